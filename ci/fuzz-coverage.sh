#!/usr/bin/env bash
# The line coverage each fuzz target's corpus reaches in the code it is
# there to test: the targets built with clang's source-based coverage
# (build/fuzz-cov, no sanitizers), each run once over its corpus (the
# seeds, the regression inputs, and what campaigns grew in
# build/fuzz/run/corpus/), then llvm-cov's line and branch figures over
# the target's own files. Prints one line a target.
# (fuzz/grown/: the corpus campaigns grew, kept minimized.)
#
#   ci/fuzz-coverage.sh [TARGET...]     (default: every target)
set -euo pipefail

out=build/fuzz-cov/out
work=build/fuzz-cov/run
mkdir -p "$work"
FUZZ_FLAVOR=fuzz-cov CC=clang-14 \
	CFLAGS="-O1 -g -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$out" fuzz/build.sh >/dev/null

# The files each target is there to test.
declare -A under_test=(
	[fuzz_ta_boundary]="ta/"
	[fuzz_tlm]="tinylib/secure/src/"
	[fuzz_tlme]="ta/model_load.c ta/model_decrypt.c ta/key_store.c tinylib/normal/src/tlme.c"
	[fuzz_darknet]="tinylib/normal/src/darknet_"
	[fuzz_platform]="memmodel/src/"
	[fuzz_client]="tinylib/normal/src/client tinylib/normal/src/baseline_run.c"
)

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_ta_boundary fuzz_tlm fuzz_tlme \
	fuzz_darknet fuzz_platform fuzz_client)
for t in "${targets[@]}"; do
	dirs=()
	for d in "fuzz/corpus/$t" "fuzz/regressions/$t" "fuzz/grown/$t" \
		"build/fuzz/run/corpus/$t"; do
		[ -d "$d" ] && dirs+=("$d")
	done
	rm -f "$work/$t".*.profraw
	LLVM_PROFILE_FILE="$work/$t.%p.profraw" "$out/$t" -runs=0 \
		"${dirs[@]}" >"$work/$t.log" 2>&1 || true
	llvm-profdata-14 merge -sparse "$work/$t".*.profraw -o "$work/$t.profdata"
	files=()
	for f in $(git ls-files '*.c'); do
		for u in ${under_test[$t]}; do
			case "$f" in "$u"*) files+=("$f") ;; esac
		done
	done
	inputs=$(find "${dirs[@]}" -type f | wc -l)
	llvm-cov-14 report "$out/$t" -instr-profile="$work/$t.profdata" \
		"${files[@]}" 2>/dev/null | awk -v t="$t" -v n="$inputs" '
		/^TOTAL/ { printf "fuzz coverage %-18s lines %s (%d of %d), branches %s, over %d inputs\n",
			t, $10, $8 - $9, $8, $13, n }'
done
