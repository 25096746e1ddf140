#!/usr/bin/env bash
# Installs the Debian packages a make target needs, only those that are
# missing, and says what it installs. As a user other than root it
# installs nothing: it prints the exact commands to run and fails.
#
#   ci/deps.sh [GROUP...]     (default: demo)
#
# A group is what one make target needs beyond the groups it names
# first; `ci/deps.sh --list GROUP...` prints the packages without
# installing anything. Every package comes from Debian 12's main archive.
set -euo pipefail

native=$(dpkg --print-architecture)
# The aarch64 build links against Debian's arm64 libraries (multiarch)
# and runs under qemu-aarch64; the QEMU validation boots arm64 userland.
foreign=arm64

# The packages of each group; a line's comment says who needs them.
declare -A group
group[demo]="
	make gcc libc6-dev                  # the host build
	libmbedtls-dev:$native              # sim/: TA crypto and storage
	valgrind                            # sim/: its headers, telling valgrind of the TA's stack switches
	libunicorn-dev:$native              # sim/unicorn/: the Unicorn runner (smartzone verify)
"
group[check]="
	gcc-aarch64-linux-gnu               # the aarch64 build
	libc6-dev:$foreign                  # its C library (gcc-aarch64-linux-gnu only recommends a copy of it)
	binutils-aarch64-linux-gnu          # aarch64 nm and size
	qemu-user                           # runs the aarch64 tests
	libcmocka-dev:$native               # tests, host
	zlib1g-dev:$native                  # tests/tinylib/test_crc32: zlib's crc32, the reference
	libcmocka-dev:$foreign              # tests, aarch64
	libmbedtls-dev:$foreign             # sim/ for aarch64
	python3-onnx python3-numpy          # tools/onnx2tlm.py and its tests
	python3-torch                       # tests/onnx/: the reference suite and models/mlperf/ exported from PyTorch (make check, make reference-nets)
	python3-torchvision                 # tests/onnx/test_reference_nets.py: torchvision's mobile networks
"
group[coverage]="
	lcov                                # make coverage
"
group[bench]="
	cloc                                # secure-side line count
	nodejs npm                          # onnxruntime-node (ci/onnxruntime-node.sh, npm ci) and its coprocess, make bench and make check's bench phase
	gnuplot-nox                         # make bench's plots (SVG)
"
group[board]="
	gcc-aarch64-linux-gnu libc6-dev:$foreign  # the aarch64 build
	optee-client-dev:$foreign           # libteec and its tee_client_api.h
	libmbedtls-dev:$foreign             # AES-GCM for encrypted models
"
group[qemu]="
	qemu-system-arm                     # qemu-system-aarch64
	python3-cryptography python3-pyelftools  # optee_os's build scripts
	libssl-dev                          # TF-A's fiptool
	device-tree-compiler                # fdtput: the boot's /chosen
	cpio xz-utils                       # the initramfs; the source tarballs
"
group[fuzz]="
	clang-14 libclang-rt-14-dev         # the fuzz targets: libFuzzer, ASan, UBSan (make fuzz, make check)
	python3                             # fuzz/build.sh zips the seed corpora
"
group[fuzz-afl]="
	afl++                               # make fuzz-afl: AFL++'s compiler, driver and afl-fuzz
"
group[fresh]="
	debootstrap git                     # ci/fresh-check.sh
"
# What a target needs: its own group after those it builds on.
declare -A needs=(
	[demo]="demo"
	[check]="demo check fuzz board qemu bench"
	[coverage]="demo check coverage"
	[qemu]="demo board qemu"
	[sanitize]="demo check"
	[fuzz]="demo fuzz"
	[fuzz-afl]="demo fuzz fuzz-afl"
	[bench]="demo check bench"
	[verify-math]="demo"
	[verify]="demo check"
	[board]="demo board"
	[fresh]="fresh"
)

usage() {
	echo "usage: ci/deps.sh [--list] [GROUP...]; groups: ${!needs[*]}" >&2
	exit 2
}

list_only=0
[ "${1:-}" = --list ] && { list_only=1; shift; }
[ $# -eq 0 ] && set -- demo

wanted=()
for target in "$@"; do
	[ -n "${needs[$target]+x}" ] || usage
	for g in ${needs[$target]}; do
		while read -r line; do
			line=${line%%#*}
			# shellcheck disable=SC2206
			wanted+=($line)
		done <<<"${group[$g]}"
	done
done

if [ $list_only -eq 1 ]; then
	printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++'
	exit 0
fi

# Installed, or provided by an installed package (nodejs from NodeSource
# provides npm, and Debian's npm package would conflict with it).
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ||
		dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null |
		awk -F'\t' -v p="$1" '$1 == "install ok installed" {
			n = split($2, v, /, */)
			for (i = 1; i <= n; i++) { sub(/ .*/, "", v[i]); if (v[i] == p) f = 1 }
		} END { exit !f }'
}

missing=()
for p in $(printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++'); do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

need_arch=0
if printf '%s\n' "${missing[@]}" | grep -q ":$foreign\$"; then
	dpkg --print-foreign-architectures | grep -qx "$foreign" || need_arch=1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "ci/deps.sh: missing Debian packages: ${missing[*]}" >&2
	echo "Run these as root, then run make again:" >&2
	[ $need_arch -eq 1 ] && echo "  dpkg --add-architecture $foreign" >&2
	echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "ci/deps.sh: installing ${missing[*]}"
if [ $need_arch -eq 1 ]; then
	echo "ci/deps.sh: adding the $foreign architecture to dpkg"
	dpkg --add-architecture "$foreign"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ci/deps.sh: done"
