#!/usr/bin/env bash
# Runs test programs in one phase and appends a line per program to a
# results file: "<phase> <program> <passed> <failed> <skipped>".
#
#   ci/run-tests.sh PHASE RESULTS "WRAPPER" PROGRAM...
#
# WRAPPER (may be empty) runs each program: "qemu-aarch64 -L /",
# "valgrind ...". Counts come from cmocka's closing lines; a program that
# exits non-zero without reporting a failed test (a crash, a valgrind
# error) counts as one failure.
set -uo pipefail

phase=$1 results=$2 wrapper=$3
shift 3
logs="$(dirname "$results")/logs"
mkdir -p "$logs"

count() { # count PATTERN LOG: the number in cmocka's last line of that kind
	sed -n "s/^\[  $1 *\] \([0-9]*\) test(s).*/\1/p" "$2" | tail -n 1
}

for program in "$@"; do
	name=$(basename "$program")
	log="$logs/$phase-$name.log"
	echo "== $phase: $name"
	# shellcheck disable=SC2086
	$wrapper "$program" >"$log" 2>&1
	status=$?
	cat "$log"
	passed=$(count PASSED "$log")
	failed=$(count FAILED "$log")
	skipped=$(count SKIPPED "$log")
	passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
	if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		echo "!! $phase: $name exited with status $status"
		failed=1
	fi
	echo "$phase $name $passed $failed $skipped" >>"$results"
done
exit 0
