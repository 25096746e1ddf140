#!/usr/bin/env bash
# make demo: the bundled digits model (models/digits/) run on its ten
# sample images in the Smart-Zone TA, through the simulated TEE: one
# provisioning, ten inferences, the world switches, the time measured
# here beside the latency and energy modelled for a Raspberry Pi 3B+,
# and the simulator's checks. Then the same model sealed for a fresh key
# and run encrypted. A sample's file name says which digit it is
# (digitL-testNNN.pgm: label L, row NNN of the held-out test split).
#
#   make demo            (builds build/host/bin/smartzone first)
set -euo pipefail

bin=build/host/bin/smartzone
model=models/digits/digits.tlm
samples=(models/digits/samples/*.pgm)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The double-fetch trap needs the x86-64 trap flag (docs/simulator.md).
trap_df=()
[ "$(uname -m)" = x86_64 ] && trap_df=(--double-fetch)

status=0
"$bin" run --platform rpi3bplus "${trap_df[@]}" "$model" "${samples[@]}" |
	tee "$tmp/run.txt" || status=$?

echo
echo "Which digit each sample is, and what the TA read:"
right=0
for s in "${samples[@]}"; do
	want=$(basename "$s" | sed 's/^digit\([0-9]\).*/\1/')
	got=$(awk -v f="$s:" '$1 == f { print $2 }' "$tmp/run.txt")
	[ "$got" = "$want" ] && right=$((right + 1))
	printf '  %-22s a %s, read as %s\n' "$(basename "$s")" "$want" "${got:-?}"
done

# The encrypted flow: a key made here, the model sealed for it, the key
# provisioned into the TA, the ciphertext streamed in.
"$bin" keygen -o "$tmp/demo.key" >/dev/null
"$bin" encrypt "$model" --key "$tmp/demo.key" -o "$tmp/digits.tlme" >/dev/null
"$bin" run "${trap_df[@]}" --encrypted "$tmp/demo.key" "$tmp/digits.tlme" \
	"${samples[3]}" >"$tmp/enc.txt" || status=$?
enc=$(awk -v f="${samples[3]}:" '$1 == f { print $2 }' "$tmp/enc.txt")
held=$(tail -n 1 "$tmp/enc.txt")
echo "Encrypted (smartzone keygen, encrypt, run --encrypted): $(basename \
"${samples[3]}") read as ${enc:-?}; ${held}"

echo
if [ "$status" -eq 0 ]; then
	echo "make demo: $right of ${#samples[@]} samples recognised in the" \
		"simulated TEE; every check held."
else
	echo "make demo: $right of ${#samples[@]} samples recognised; A CHECK" \
		"BROKE or a run failed (status $status): see above."
fi
exit "$status"
