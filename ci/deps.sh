#!/usr/bin/env bash
# Installs the Debian packages Smart-Zone needs, only those that are
# missing, and says what it installs. As a user other than root it
# installs nothing: it prints the exact commands to run and fails.
set -euo pipefail

native=$(dpkg --print-architecture)
# The aarch64 build of the tests links against Debian's arm64 cmocka and
# runs under qemu-aarch64 with Debian's arm64 C library.
foreign=arm64

packages=(
	make gcc libc6-dev               # the host build
	gcc-aarch64-linux-gnu            # the aarch64 build
	binutils-aarch64-linux-gnu       # aarch64 nm for the freestanding test
	qemu-user                        # runs the aarch64 tests
	"libcmocka-dev:$native"          # tests, host
	"libcmocka-dev:$foreign"         # tests, aarch64
	"libmbedtls-dev:$native"         # sim/: TA crypto and storage, host
	"libmbedtls-dev:$foreign"        # sim/: the same, aarch64
	valgrind                         # memcheck of the host tests
	lcov                             # make coverage
	cloc                             # make bench: secure-side line count
	python3-onnx python3-numpy       # tools/onnx2tlm.py and its tests
)

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${packages[@]}"; do
	p=${p%%#*}
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

need_arch=0
dpkg --print-foreign-architectures | grep -qx "$foreign" || need_arch=1

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
