#!/usr/bin/env bash
# Proof from nothing: a minimal Debian 12 root made with debootstrap, a
# clean clone of this checkout's HEAD put in it (nothing beside it), and
# the README's two commands run there as root, exactly as the README's
# "Two commands" block writes them. Each command's time and closing lines
# are printed; the whole output goes to build/fresh/*.log. The root is
# made outside the checkout ($FRESH_ROOT, default
# /var/tmp/smartzone-fresh), with a /dev of its own, so that nothing that
# walks or removes build/ meets the mounts inside it.
#
#   ci/fresh-check.sh [--reuse-base] [--keep] [--beside DIR]
#
#   --reuse-base  start from build/fresh/base.tar (a bare debootstrap of
#                 an earlier run) instead of debootstrapping again;
#                 the project's own set-up still starts from nothing
#   --keep        leave the root in $FRESH_ROOT afterwards
#   --beside DIR  bind DIR read-only beside the clone as ../NAME (e.g.
#                 ../shared, for the QEMU validation's OP-TEE sources)
#
# Root only (debootstrap, chroot, mounts); it needs the package registry
# (FRESH_MIRROR, default the Debian mirror of this machine's sources) and
# minutes. For people and for set-up changes, not for CI.
set -euo pipefail
cd "$(dirname "$0")/.."

suite=bookworm
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
work=$PWD/build/fresh
root=${FRESH_ROOT:-/var/tmp/smartzone-fresh}
reuse=0 keep=0 beside=()
while [ $# -gt 0 ]; do
	case $1 in
	--reuse-base) reuse=1 ;;
	--keep) keep=1 ;;
	--beside) beside+=("$(realpath "$2")"); shift ;;
	*) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;$d' >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" -eq 0 ] || { echo "ci/fresh-check.sh: run as root" >&2; exit 2; }
ci/deps.sh fresh

# The README's commands: the lines of the first ```sh block after the
# "Two commands" heading, each without its trailing comment.
mapfile -t commands < <(awk '
	/^## Two commands/ { section = 1 }
	section && /^```sh/ { inside = 1; next }
	inside && /^```/ { exit }
	inside { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }' README.md)
[ ${#commands[@]} -gt 0 ] || { echo "no commands found in README.md" >&2; exit 1; }

# A /dev of the root's own: the few devices the build, the tests and QEMU
# open, on a tmpfs (binding the host's /dev would put its nodes in reach of
# anything that cleans the root up).
private_dev() {
	local dev=$1
	mount -t tmpfs -o mode=755 dev "$dev"
	mknod -m 666 "$dev/null" c 1 3
	mknod -m 666 "$dev/zero" c 1 5
	mknod -m 666 "$dev/full" c 1 7
	mknod -m 666 "$dev/random" c 1 8
	mknod -m 666 "$dev/urandom" c 1 9
	mknod -m 666 "$dev/tty" c 5 0
	mkdir -p "$dev/pts" "$dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dev/pts"
	ln -s pts/ptmx "$dev/ptmx"
	mount -t tmpfs -o mode=1777 shm "$dev/shm"
	ln -s /proc/self/fd "$dev/fd"
}

unmount_all() {
	for m in "$root"/root/* "$root/dev" "$root/proc" "$root/sys"; do
		mountpoint -q "$m" 2>/dev/null && umount -R "$m"
	done
	# nothing of the host's may be below the root when it is removed
	! grep -q " $root/" /proc/mounts
	return 0
}
cleanup() {
	if ! unmount_all; then
		echo "fresh-check: $root still has mounts; not removing it" >&2
		return
	fi
	[ $keep -eq 1 ] || rm -rf --one-file-system "$root"
}
trap cleanup EXIT

mkdir -p "$work"
unmount_all || { echo "fresh-check: $root has mounts left" >&2; exit 1; }
rm -rf --one-file-system "$root"
started=$SECONDS
if [ $reuse -eq 1 ] && [ -f "$work/base.tar" ]; then
	echo "fresh-check: the bare Debian 12 root from $work/base.tar"
	mkdir -p "$root" && tar -xf "$work/base.tar" -C "$root"
else
	echo "fresh-check: debootstrap --variant=minbase $suite from $mirror"
	mkdir -p "$(dirname "$root")"
	debootstrap --variant=minbase "$suite" "$root" "$mirror" \
		>"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log"; exit 1; }
	tar -cf "$work/base.tar" -C "$root" .
fi
echo "fresh-check: bare root ready in $((SECONDS - started)) s"

# A clean clone of HEAD: what is committed, nothing else.
git clone --quiet --no-local "$PWD" "$root/root/smartzone"
echo "fresh-check: cloned $(git rev-parse --short HEAD) into $root/root/smartzone"
for dir in "${beside[@]}"; do
	mkdir -p "$root/root/$(basename "$dir")"
	mount --bind -o ro "$dir" "$root/root/$(basename "$dir")"
	echo "fresh-check: $dir beside the clone, read-only"
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The network as this machine sees it: its resolver above, and the
# certificate authorities it gives node (a TLS-inspecting proxy's, say),
# without which npm can not reach the registry (make bench's
# onnxruntime-node). A laptop without them passes nothing.
node_ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
	cp "$NODE_EXTRA_CA_CERTS" "$root/etc/fresh-check-node-ca.pem"
	node_ca=(NODE_EXTRA_CA_CERTS=/etc/fresh-check-node-ca.pem)
fi
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
private_dev "$root/dev"

status=0
n=0
for cmd in "${commands[@]}"; do
	n=$((n + 1))
	log=$work/command-$n.log
	echo "fresh-check: [$n] $cmd"
	t0=$SECONDS
	rc=0
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		"${node_ca[@]}" /bin/bash -c "cd /root/smartzone && $cmd" >"$log" 2>&1 || rc=$?
	tail -n 4 "$log" | sed 's/^/    /'
	echo "fresh-check: [$n] exit status $rc after $((SECONDS - t0)) s (log: $log)"
	[ $rc -eq 0 ] || status=1
done
echo "fresh-check: $( [ $status -eq 0 ] && echo passed || echo FAILED) in" \
	"$((SECONDS - started)) s, from a bare Debian 12 root"
exit $status
