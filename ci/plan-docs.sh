#!/usr/bin/env bash
# Regenerates the plans of docs/memory-planning.md: for every sample model
# on every platform, `smartzone plan` writes docs/plans/PLATFORM/MODEL.svg
# (the memory map before and after), and the table between the markers in
# docs/memory-planning.md is rewritten from the plans' JSON.
#
#   make FLAVOR=host programs && ci/plan-docs.sh
set -euo pipefail

bin=build/host/bin/smartzone
cfgs=${SMARTZONE_CFG_DIR:-models/zoo}
doc=docs/memory-planning.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for platform in rpi3bplus qemu_armv8a; do
	mkdir -p "docs/plans/$platform"
	for cfg in "$cfgs"/*.cfg; do
		model=$(basename "$cfg" .cfg)
		"$bin" plan --platform "$platform" --json --out "$tmp/$platform-$model" \
			"$cfg" >"$tmp/$platform-$model.json"
		cp "$tmp/$platform-$model/memory-map.svg" "docs/plans/$platform/$model.svg"
	done
done

/usr/bin/python3 - "$tmp" >"$tmp/table.md" <<'PY'
import glob, json, os, sys
MiB = 1024 * 1024
rows = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    p = json.load(open(path))
    a, n = p["after"], p["needs"]
    rows.append("| {model} | {plat} | {w:.2f} | {f:.2f} | 0x{data:x} | 0x{start:08x} | {size:.0f} | {place} | {taram:.0f} | {pgt} | {xlat} | {pgtc} | {win} | [map](plans/{plat}/{model}.svg) |".format(
        model=p["model"], plat=p["platform"], w=n["weights"] / MiB,
        f=n["arena"] / MiB, data=p["ta"]["TA_DATA_SIZE"],
        start=a["CFG_TZDRAM_START"], size=a["CFG_TZDRAM_SIZE"] / MiB,
        place=p["placement"], taram=p["ta_ram"]["size"] / MiB,
        pgt=n["num_pgt_paper"], xlat=a["MAX_XLAT_TABLES"],
        pgtc=a["PGT_CACHE_SIZE"], win=p["shm_window"]["bytes"] // 1024))
print("| model | platform | model file MiB | arena MiB | TA_DATA_SIZE | CFG_TZDRAM_START | TZDRAM MiB | placement | TA_RAM MiB | NUM_pgt (paper) | MAX_XLAT_TABLES | PGT_CACHE_SIZE | window KiB | map |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
PY

/usr/bin/python3 - "$doc" "$tmp/table.md" <<'PY'
import sys
doc, table = sys.argv[1], open(sys.argv[2]).read()
text = open(doc).read()
begin, end = "<!-- plans: begin -->\n", "<!-- plans: end -->"
head, rest = text.split(begin)
_, tail = rest.split(end)
open(doc, "w").write(head + begin + table + end + tail)
PY
echo "ci/plan-docs.sh: $(ls docs/plans/*/*.svg | wc -l) maps, table in $doc"
