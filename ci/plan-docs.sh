#!/usr/bin/env bash
# Regenerates the plans of docs/memory-planning.md: for every sample model
# on every platform, `smartzone plan` writes docs/plans/PLATFORM/MODEL.svg
# (the memory map before and after), and the table between the markers in
# docs/memory-planning.md is rewritten from the plans' JSON. A model a
# platform refuses has a row saying so, its sentence below the table, and
# no map.
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
		base=$tmp/$platform-$model
		if ! "$bin" plan --platform "$platform" --json --out "$base" \
			"$cfg" >"$base.json" 2>"$base.refused"; then
			grep -q ': refused: ' "$base.refused" || { cat "$base.refused" >&2; exit 1; }
			rm -f "$base.json" "docs/plans/$platform/$model.svg"
			continue
		fi
		rm "$base.refused"
		cp "$base/memory-map.svg" "docs/plans/$platform/$model.svg"
	done
done

/usr/bin/python3 - "$tmp" >"$tmp/table.md" <<'PY'
import glob, json, os, sys
MiB = 1024 * 1024
rows, refusals = [], []
paths = glob.glob(os.path.join(sys.argv[1], "*.json"))
paths += glob.glob(os.path.join(sys.argv[1], "*.refused"))
for path in sorted(paths):
    if path.endswith(".refused"):
        why = open(path).read().strip()
        head, sentence = why.split(": refused: ", 1)
        model, plat = head.split(": ", 1)[1].split(" on ")
        rows.append("| {} | {} | refused, below |{}".format(model, plat, " |" * 11))
        refusals.append("- {} on {}: {}".format(model, plat, sentence))
        continue
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
if refusals:
    print("\nRefused (`smartzone plan`'s sentence):\n")
    print("\n".join(refusals))
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
