#!/usr/bin/env bash
# make check's runner: every test on the host, the Unicorn runner's tests
# (UNICORN_TESTS, on UNICORN_CHECK_MODELS), the kernels' tests built for
# this machine's widest vectors (NATIVE_TESTS), the aarch64 build of the
# same tests under qemu-aarch64 (which also compares Tinylibm's results
# with the host's, bit for bit), then valgrind memcheck of the host tests,
# once the Python tests of the ONNX converter (tests/onnx/), make bench
# QUICK=1's report (ci/bench.sh: phase "bench"), and every
# fuzz target (built by fuzz/build.sh) for FUZZ_SECONDS (default 60)
# each, two at a time (ci/fuzz.sh: phase "fuzz", one result a target),
# and last the QEMU validation under a real OP-TEE (ci/qemu/).
#
#   ci/check.sh TEST...      (test program names, built in build/host and
#                             build/aarch64 by the Makefile)
set -euo pipefail

results=build/check-results.txt
digests=build/host/digests
: >"$results"
rm -rf "$digests" && mkdir -p "$digests"

hosted() { printf 'build/host/bin/%s ' "$@"; }
crossed() { printf 'build/aarch64/bin/%s ' "$@"; }

# shellcheck disable=SC2046
TL_DIGEST_OUT_DIR=$digests ci/run-tests.sh host "$results" "" $(hosted "$@")
# The Unicorn runner (host only): the aarch64 guest in its planned
# address space, on make check's sample models; make verify runs all.
if [ -n "${UNICORN_TESTS:-}" ]; then
	# shellcheck disable=SC2046,SC2086
	TL_TEST_MODELS="${UNICORN_CHECK_MODELS:-}" ci/run-tests.sh unicorn \
		"$results" "" $(hosted $UNICORN_TESTS)
fi
# The kernels' tests built for this machine's widest vectors (the bench
# flavour, -march=native), strict digests compared with the host's.
if [ -n "${NATIVE_TESTS:-}" ]; then
	# shellcheck disable=SC2046,SC2086
	TL_DIGEST_REF_DIR=$digests ci/run-tests.sh native "$results" "" \
		$(printf 'build/bench/bin/%s ' $NATIVE_TESTS)
fi
# shellcheck disable=SC2046
TL_TEST_QUICK=1 TL_DIGEST_REF_DIR=$digests ci/run-tests.sh aarch64 "$results" \
	"qemu-aarch64 -L /" $(crossed "$@")
# Under valgrind, the two smallest sample models are enough to check the
# engine's memory use; the others are the same code on larger shapes.
# The Cortex-A53 estimate of run --details and compare is turned off
# there (SMARTZONE_GUEST=none): Unicorn's generated code under valgrind
# takes hours and checks nothing of the project's.
# shellcheck disable=SC2046
TL_TEST_QUICK=1 TL_TEST_MODELS="cifar tiny" SMARTZONE_GUEST=none \
	ci/run-tests.sh valgrind "$results" \
	"valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
	$(hosted "$@")
# The ONNX converter runs on the host only, with Debian's python3-onnx; its
# tests print cmocka's closing lines, so they count like the others.
ci/run-tests.sh python "$results" /usr/bin/python3 tests/onnx/test_onnx2tlm.py
# tools/tlm2onnx.py, make bench's way to onnxruntime: its graphs against
# tlmrun (evaluated with python3-torch) and back through onnx2tlm.
ci/run-tests.sh python "$results" /usr/bin/python3 tests/onnx/test_tlm2onnx.py
# The reference suite's MLPerf Tiny networks, this project's and
# torchvision's smaller ones, converted, planned and run in the simulated
# TEE (python3-torch and python3-torchvision); make reference-nets adds
# torchvision's larger ones.
ci/run-tests.sh python "$results" /usr/bin/python3 tests/onnx/test_reference_nets.py
# models/mlperf/ as a fresh export and conversion makes it (python3-torch).
ci/run-tests.sh python "$results" /usr/bin/python3 tests/onnx/test_mlperf_models.py
# make bench's report: its verdicts on the issue's bounds (fast against
# onnxruntime, strict against fast), from figures written by the test.
ci/run-tests.sh python "$results" /usr/bin/python3 tests/bench/test_bench_report.py
# make bench QUICK=1's report (ci/bench.sh, docs/bench.md) from the host
# build: S-Tinylib, Darknet's algorithm and onnxruntime on digits, cifar
# and tiny, the provisioning fit, Smart-Zone against the baseline. A step
# fails when the report can not be made or two engines' outputs disagree;
# speed fails nothing.
BENCH_QUICK=1 BENCH_BIN=build/host/bin BENCH_OUT=build/host/bench \
	ci/run-tests.sh bench "$results" "" ci/bench.sh
# The fuzz targets on their seeds and regression inputs; a crash, a leak
# or a broken invariant fails the phase, its input kept in
# build/fuzz/run/crashes/.
ci/fuzz.sh "$results" "${FUZZ_SECONDS:-60}"

# The final validation on QEMU-armv8 under a real OP-TEE (ci/qemu/): its
# checks count like tests. Without OP-TEE sources it is skipped, and says
# why; under CI=true that is a failure.
/usr/bin/python3 ci/qemu/qemu_check.py --results "$results" || true

# CI adds the results of earlier phases (.ci/run: CHECK_ALSO=the coverage
# phase's results.txt): they count in the closing line, and the figures
# written beside them (figures.txt) come just before it. A results file
# that is missing counts as a failure.
also=()
for r in ${CHECK_ALSO:-}; do
	if [ -f "$r" ]; then
		also+=("$r")
	else
		echo "!! $r: no results (did its phase run?)"
		echo "missing $(basename "$r") 0 1 0" >>"$results"
	fi
done
for r in "${also[@]}"; do
	f=$(dirname "$r")/figures.txt
	[ -f "$f" ] && cat "$f"
done
ci/summary.sh "$results" "${also[@]}"
