#!/usr/bin/env bash
# Installs onnxruntime-node, at the version tests/bench/ort/package.json
# pins (package-lock.json: every package and its hash), into build/bench/ort
# for make bench's onnxruntime coprocess (tests/bench/ort_server.js).
# npm ci with --ignore-scripts: the package's install script only fetches
# GPU libraries; the CPU build ships in the package itself. Nothing is
# done when that version is there already. Prints the module's folder.
#
#   ci/onnxruntime-node.sh [DIR]      (default build/bench/ort)
set -euo pipefail

dir=${1:-build/bench/ort}
src=tests/bench/ort
want=$(sed -n 's/.*"onnxruntime-node": "\([^"]*\)".*/\1/p' $src/package.json)
have=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' \
	"$dir/node_modules/onnxruntime-node/package.json" 2>/dev/null || true)
if [ "$have" != "$want" ] || ! cmp -s $src/package-lock.json "$dir/package-lock.json"; then
	for tool in node npm; do
		command -v $tool >/dev/null || {
			echo "ci/onnxruntime-node.sh: no $tool; ci/deps.sh bench installs it" >&2
			exit 1
		}
	done
	mkdir -p "$dir"
	cp $src/package.json $src/package-lock.json "$dir/"
	echo "ci/onnxruntime-node.sh: npm ci onnxruntime-node@$want into $dir" >&2
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
echo "$dir/node_modules/onnxruntime-node"
