#!/usr/bin/env bash
# make bench's report (docs/bench.md): S-Tinylib strict and fast, Darknet's
# algorithm and onnxruntime interleaved on one core on the sample models
# and digits; provisioning time against window size with its fit;
# Smart-Zone against the baseline; loading. Writes OUT/report.json,
# OUT/report.md and OUT/plots/*.svg and prints the report.
#
#   ci/bench.sh        (from the root; settings from the environment)
#
#   BENCH_QUICK=1      digits, cifar and tiny, 5 rounds, compare on tiny
#                      alone: make bench QUICK=1, and make check's phase
#   BENCH_BIN          the programs (build/bench/bin: make FLAVOR=bench
#                      benches build/bench/bin/smartzone)
#   BENCH_OUT          where everything goes (build/bench)
#   BENCH_ROUNDS       rounds per model (15; quick 5)
#   BENCH_CORE         the core to pin to (the last one)
#   BENCH_NODE         the node that runs onnxruntime (node)
#
# Each step is reported in cmocka's words, so that ci/run-tests.sh counts
# them: a step fails when its program fails or its output is missing, or
# when two engines' outputs disagree (bench_engines). A slow engine fails
# nothing: speed goes in the figures.
# shellcheck disable=SC2317  # model() and models_all() run through step
set -uo pipefail

quick=${BENCH_QUICK:-0}
[ "$quick" = 0 ] && quick=
bin=${BENCH_BIN:-build/bench/bin}
out=${BENCH_OUT:-build/bench}
if [ -n "$quick" ]; then
	models="digits cifar tiny" rounds=${BENCH_ROUNDS:-5}
	loading=cifar compare_models=tiny compare_runs=1
else
	models="digits alexnet cifar darknet mobilenet_v1 resnet18 tiny yolov3-tiny"
	rounds=${BENCH_ROUNDS:-15} loading=alexnet
	compare_models="mobilenet_v1 darknet tiny" compare_runs=5
fi
py=/usr/bin/python3
mkdir -p "$out/models" "$out/work" "$out/logs"

passed=0 failed=()
# step NAME COMMAND...: runs it, its output kept in OUT/logs/NAME.log and
# shown when it fails.
step() {
	local name=$1
	shift
	echo "[ RUN      ] $name"
	if "$@" >"$out/logs/$name.log" 2>&1; then
		echo "[       OK ] $name"
		passed=$((passed + 1))
		return 0
	fi
	cat "$out/logs/$name.log"
	echo "[  FAILED  ] $name"
	failed+=("$name")
	return 1
}

# A model's .tlm (digits as committed, the zoo's converted with seeded
# weights) and its .onnx (tools/tlm2onnx.py), each made again only when
# what it is made from is newer.
model() {
	local m=$1 tlm=$out/models/$1.tlm
	if [ "$m" = digits ]; then
		cp models/digits/digits.tlm "$tlm"
	elif [ ! "$tlm" -nt "models/zoo/$m.cfg" ] || [ "$bin/smartzone" -nt "$tlm" ]; then
		"$bin/smartzone" convert "models/zoo/$m.cfg" -o "$tlm" || return 1
	fi
	if [ ! "$out/models/$m.onnx" -nt "$tlm" ] || [ tools/tlm2onnx.py -nt "$out/models/$m.onnx" ]; then
		$py tools/tlm2onnx.py "$tlm" -o "$out/models/$m.onnx" || return 1
	fi
}
models_all() {
	for m in $models; do model "$m" || return 1; done
}
tlms() { for m in "$@"; do printf '%s/models/%s.tlm ' "$out" "$m"; done; }

# the figures of an earlier run are not this run's
rm -f "$out"/{engines,window,compare,report}.json "$out/report.md"

echo "[==========] Running make bench${quick:+ QUICK=1}'s steps."
ort=
step onnxruntime-node ci/onnxruntime-node.sh "$out/ort" &&
	ort=$(tail -n 1 "$out/logs/onnxruntime-node.log")
step models models_all
if [ -n "$ort" ]; then
	# shellcheck disable=SC2046,SC2086
	step engines "$bin/bench_engines" --out "$out/engines.json" \
		--work "$out/work" --ort-dir "$ort" --rounds "$rounds" \
		${BENCH_CORE:+--core "$BENCH_CORE"} ${BENCH_NODE:+--node "$BENCH_NODE"} \
		--loading "$out/models/$loading.tlm" $(tlms $models) &&
		cat "$out/logs/engines.log"
fi
# shellcheck disable=SC2046,SC2086
step window sh -c "\"$bin/bench_window\" $(tlms $models) >\"$out/window.json\""
# shellcheck disable=SC2046,SC2086
step compare sh -c "\"$bin/smartzone\" compare --json --runs $compare_runs \
	$(tlms $compare_models) >\"$out/compare.json\""
report_args=(--engines "$out/engines.json" --out "$out")
[ -s "$out/window.json" ] && report_args+=(--window "$out/window.json")
[ -s "$out/compare.json" ] && report_args+=(--compare "$out/compare.json")
step report $py tools/bench_report.py "${report_args[@]}" &&
	cat "$out/logs/report.log"

echo "[==========] $((passed + ${#failed[@]})) test(s) run."
echo "[  PASSED  ] $passed test(s)."
if [ ${#failed[@]} -gt 0 ]; then
	echo "[  FAILED  ] ${#failed[@]} test(s), listed below:"
	printf '[  FAILED  ] %s\n' "${failed[@]}"
	exit 1
fi
exit 0
