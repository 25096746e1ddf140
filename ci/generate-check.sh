#!/usr/bin/env bash
# make generate-check: COUNT generated models (tests/generated/,
# docs/generated-models.md) through the whole oracle on the host, in two
# shards at once, then every EVERY-th of them again under qemu-aarch64,
# bit for bit against the host's outputs; the counts of both added up in
# the closing lines, which go to build/generate-check/summary.txt too.
#
#   ci/generate-check.sh [COUNT [FIRST [EVERY]]]     (10000, 1, 20)
#
# Needs build/host/bin/test_generated_models and its aarch64 build (the
# Makefile's generate-check target builds both). Exits 1 when a model
# failed or a run did not finish; the shrunk failing models are in
# build/generate-check/failures/, each with the command that repeats it.
set -uo pipefail

count=${1:-10000} first=${2:-1} every=${3:-20}
out=build/generate-check
rm -rf "$out"
mkdir -p "$out/failures"
half=$(((count + 1) / 2))
start=$(date +%s)

# shard NAME FIRST COUNT WRAPPER [VAR=VALUE...]: one test program run,
# its log and counts in $out; the exit status in $out/NAME.status.
shard() {
	local name=$1 from=$2 n=$3 wrapper=$4
	shift 4
	# shellcheck disable=SC2086
	env TL_GEN_FIRST="$from" TL_GEN_MODELS="$n" \
		TL_GEN_STATS="$out/$name.txt" TL_GEN_FAILURES="$out/failures" \
		"$@" nice -n 10 $wrapper >"$out/$name.log" 2>&1
	echo $? >"$out/$name.status"
}

host=build/host/bin/test_generated_models
cross="qemu-aarch64 -L / build/aarch64/bin/test_generated_models"
echo "== host: seeds $first to $((first + count - 1)), two shards"
for k in 0 1; do
	from=$((first + k * half)) n=$half
	[ $k -eq 1 ] && n=$((count - half))
	mkdir -p "$out/digests-$k"
	shard host-$k "$from" "$n" "$host" TL_DIGEST_OUT_DIR="$out/digests-$k" &
done
wait
echo "== aarch64 under qemu-aarch64: every ${every}th seed, bit for bit"
for k in 0 1; do
	from=$((first + k * half)) n=$half
	[ $k -eq 1 ] && n=$((count - half))
	shard aarch64-$k "$from" "$n" "$cross" TL_TEST_QUICK=1 \
		TL_GEN_EVERY="$every" TL_GEN_QUICK_BYTES=0 \
		TL_DIGEST_REF_DIR="$out/digests-$k" &
done
wait
seconds=$(($(date +%s) - start))

# The counts: sums, the smallest of the minima, the largest of the maxima.
total() { # total PREFIX: the key-value lines of the shards PREFIX-*.txt
	cat "$out/$1"-*.txt 2>/dev/null | awk '
		$1 ~ /_min_|^file_min|needs_min/ { if (!($1 in v) || $2 < v[$1]) v[$1] = $2; next }
		$1 ~ /_max_|^file_max|needs_max/ { if (!($1 in v) || $2 > v[$1]) v[$1] = $2; next }
		{ v[$1] += $2 }
		END { for (k in v) print k, v[k] }'
}
get() { # get COUNTS KEY [DEFAULT]: the value, or DEFAULT (0)
	local v
	v=$(awk -v k="$2" '$1 == k { print $2 }' <<<"$1")
	echo "${v:-${3:-0}}"
}
h=$(total host) a=$(total aarch64)
failed=$(($(get "$h" failures) + $(get "$a" failures)))
bad_runs=$(cat "$out"/*.status | grep -cv '^0$')

{
	echo "== make generate-check: seeds $first to $((first + count - 1)), in ${seconds} s"
	echo "  generated $(get "$h" generated), checked on the host $(get "$h" checked): files $(get "$h" file_min) to $(get "$h" file_max) bytes"
	for p in rpi3bplus qemu_armv8a; do
		echo "  $p: planned $(get "$h" planned_$p) (files $(get "$h" planned_min_$p -) to $(get "$h" planned_max_$p -) bytes; window by the fit $(get "$h" by_fit_$p), by the points $(get "$h" by_points_$p)), refused for size $(get "$h" refused_$p) (for one inference's shared memory $(get "$h" refused_shm_$p); files $(get "$h" refused_min_$p -) to $(get "$h" refused_max_$p -) bytes, needing $(get "$h" needs_min_$p -) to $(get "$h" needs_max_$p -) MiB)"
	done
	echo "  smartzone run: $(get "$h" ran) ran with every check held, outputs bit-identical to tlmrun strict"
	echo "  aarch64 (qemu-aarch64): $(get "$a" checked) checked, $(get "$a" cross_compared) bit-identical to the host's outputs"
	echo "  failed: $failed models; test programs that failed: $bad_runs of 4 (logs in $out/)"
} | tee "$out/summary.txt"
[ "$failed" -eq 0 ] && [ "$bad_runs" -eq 0 ]
