#!/usr/bin/env bash
# Runs every fuzz target built by fuzz/build.sh for SECONDS each, on its
# seeds (fuzz/corpus/), its regression inputs (fuzz/regressions/), the
# corpus its campaigns grew, minimized and kept (fuzz/grown/), and the
# corpus it grew in earlier runs here (build/<flavour>/run/corpus/), with
# its dictionary; appends a result line per target to RESULTS (phase "fuzz",
# as ci/run-tests.sh does: a crash, a timeout, a leak or a broken
# invariant is a failure) and prints each target's figures: executions,
# edges covered of those instrumented, corpus size. A crash's input is
# kept in build/<flavour>/run/crashes/<target>/ with the command that
# replays it (the run before's in crashes/<target>.previous/).
#
#   ci/fuzz.sh RESULTS SECONDS [TARGET...]     (default: every target)
#
# FUZZ_ENGINE=afl runs the AFL++ build (build/fuzz-afl/out) under
# afl-fuzz instead of libFuzzer. FUZZ_PARALLEL targets run at once
# (default 2, the machine's cores); FUZZ_NICE is their nice level.
# FUZZ_KEEP_GOING=1 (long campaigns) runs libFuzzer in fork mode past
# crashes, timeouts and out-of-memory inputs, keeping each; the target
# then fails when it kept any. FUZZ_OUT and FUZZ_WORK give other folders
# for the targets and for what a run writes (a campaign running from a
# copy while make check rebuilds build/fuzz/out).
set -uo pipefail

results=$1 seconds=$2
shift 2
engine=${FUZZ_ENGINE:-libfuzzer}
flavour=fuzz
[ "$engine" = afl ] && flavour=fuzz-afl
out=${FUZZ_OUT:-build/$flavour/out}
work=${FUZZ_WORK:-build/$flavour/run}
parallel=${FUZZ_PARALLEL:-2}
nice_level=${FUZZ_NICE:-0}
mkdir -p "$work" "$(dirname "$results")"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for bin in "$out"/fuzz_*; do
		[ -x "$bin" ] && [ "${bin%.*}" = "$bin" ] && targets+=("$(basename "$bin")")
	done
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "!! fuzz: no targets in $out (run fuzz/build.sh)"
	echo "fuzz none 0 1 0" >>"$results"
	exit 0
fi

# The figures libFuzzer prints: executions (its final stats, or in fork
# mode the last "#N:" line), edges ("cov:") of the instrumented ones
# ("inline 8-bit counters"), corpus inputs. Fork mode counts its "cov:"
# otherwise, so after a campaign the edges come from one more pass over
# the corpus it grew (-runs=0: "INITED cov:").
libfuzzer_figures() {
	local t=$1 log=$2 execs edges total corp
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
	if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
		"$out/$t" -runs=0 "$work/corpus/$t" >"$log.inited" 2>&1
		log=$log.inited
	fi
	edges=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	total=$(sed -n 's/.*(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -n 1)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && corp=$(find "$work/corpus/$t" -type f | wc -l)
	awk -v t="$t" -v s="$seconds" -v x="${execs:-0}" -v e="${edges:-0}" \
		-v n="${total:-0}" -v c="${corp:-0}" 'BEGIN {
		printf "fuzz %-18s %10d executions in %d s, %5d of %5d edges (%.1f%%), %d inputs\n",
			t, x, s, e, n, n ? 100 * e / n : 0, c }'
}

run_libfuzzer() {
	local t=$1 log=$2 corpus=$work/corpus/$1 crashes=$work/crashes/$1
	local dict=() dirs=() fork=()
	# what this run finds; the last run's kept beside
	rm -rf "$crashes.previous"
	[ -d "$crashes" ] && mv "$crashes" "$crashes.previous"
	mkdir -p "$corpus" "$crashes"
	[ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
	[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && fork=(-fork=1 -ignore_crashes=1
		-ignore_timeouts=1 -ignore_ooms=1)
	for d in "fuzz/corpus/$t" "fuzz/regressions/$t" "fuzz/grown/$t"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	nice -n "$nice_level" "$out/$t" -max_total_time="$seconds" \
		-print_final_stats=1 -timeout=20 -rss_limit_mb=2560 \
		-artifact_prefix="$crashes/" "${fork[@]}" "${dict[@]}" "$corpus" \
		"${dirs[@]}" >"$log" 2>&1 || return
	# fork mode exits 0 past what it kept
	! ls "$crashes"/* >/dev/null 2>&1
}

# AFL++: afl-fuzz for SECONDS (-V) from the seeds; its figures from
# fuzzer_stats.
run_afl() {
	local t=$1 log=$2 dir=$work/afl/$1 dict=()
	mkdir -p "$dir"
	[ -f "fuzz/dict/$t.dict" ] && dict=(-x "fuzz/dict/$t.dict")
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
		nice -n "$nice_level" afl-fuzz -V "$seconds" -i "fuzz/corpus/$t" \
		-o "$dir" "${dict[@]}" -- "$out/$t" >"$log" 2>&1
	local stats=$dir/default/fuzzer_stats
	[ -f "$stats" ] || return 1
	local crashes
	crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
	[ "${crashes:-0}" -eq 0 ]
}

afl_figures() {
	local t=$1 stats=$work/afl/$1/default/fuzzer_stats
	[ -f "$stats" ] || { echo "fuzz $t: no fuzzer_stats"; return; }
	awk -F' *: *' -v t="$t" '
		{ v[$1] = $2 }
		END { printf "fuzz %-18s %10d executions (AFL++), %s of the map (%s edges), %d inputs, %d crashes\n",
			t, v["execs_done"], v["bitmap_cvg"], v["edges_found"],
			v["corpus_count"], v["saved_crashes"] }' "$stats"
}

run_target() {
	local t=$1 log=$work/$1.log status
	if [ "$engine" = afl ]; then
		run_afl "$t" "$log"
	else
		run_libfuzzer "$t" "$log"
	fi
	status=$?
	echo "$status" >"$work/$t.status"
}

echo "== fuzz: ${#targets[@]} targets, $seconds s each, $parallel at once ($engine)"
running=0
for t in "${targets[@]}"; do
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$parallel" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

for t in "${targets[@]}"; do
	status=$(cat "$work/$t.status" 2>/dev/null || echo 1)
	if [ "$engine" = afl ]; then
		afl_figures "$t"
	else
		libfuzzer_figures "$t" "$work/$t.log"
	fi
	if [ "$status" -ne 0 ]; then
		echo "!! fuzz: $t failed (status $status); its log: $work/$t.log"
		grep -m 3 -E 'ERROR|invariant broken|SUMMARY' "$work/$t.log" | sed 's/^/   /'
		for c in "$work"/crashes/"$t"/*; do
			[ -f "$c" ] && echo "   replay: $out/$t $c"
		done
		echo "fuzz $t 0 1 0" >>"$results"
	else
		echo "fuzz $t 1 0 0" >>"$results"
	fi
done
exit 0
