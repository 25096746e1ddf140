#!/bin/busybox sh
# The guest's /init (ci/qemu: the QEMU validation). Mounts what the
# steps need, loads OP-TEE's driver, starts tee-supplicant with its REE
# file system (secure storage) on a tmpfs, runs /steps.sh (written by the host for this
# boot), then powers off. Everything the host reads back goes to the
# console between "@@SZ" markers (guest.py parses them).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# tee-supplicant's REE file system (Debian's path), empty at every boot
mount -t tmpfs tmp /var/lib/optee-client
mkdir -p /var/lib/optee-client/data/tee /out

say() { echo "@@SZ $*"; }

# send NAME FILE: the file, base64, between markers
send() {
	say "FILE $1"
	base64 "$2"
	say "EOF $1"
}

# The optee driver's SMC tracepoints count every world switch the
# normal world's kernel makes (optee_invoke_fn_begin/end).
T=/sys/kernel/tracing
trace_start() {
	echo 0 > $T/tracing_on
	echo > $T/trace
	echo 1 > $T/events/optee/enable
	echo 1 > $T/tracing_on
}
trace_stop() {
	echo 0 > $T/tracing_on
	echo 0 > $T/events/optee/enable
	grep -v '^#' $T/trace > "$1"
}

# step NAME COMMAND...: runs the command with its SMCs traced; its
# stdout, stderr, exit status and trace go back to the host, and the
# files it wrote in /out/NAME/ (smartzone run --save-outputs).
step() {
	name=$1
	shift
	say "STEP $name"
	mkdir -p /out/$name
	trace_start
	"$@" > /out/$name.stdout 2> /out/$name.stderr
	rc=$?
	trace_stop /out/$name.trace
	for f in /out/$name.stdout /out/$name.stderr /out/$name.trace; do
		send "$(basename $f)" $f
	done
	for f in /out/$name/*; do
		[ -f "$f" ] && send "$name/$(basename $f)" "$f"
	done
	say "STATUS $name $rc"
}

say "BOOTED"
if insmod /lib/tee.ko && insmod /lib/optee.ko; then
	say "DRIVER $(dmesg | grep -c 'optee: initialized driver')"
	dmesg | grep 'optee:' | sed 's/^/@@SZ DMESG /'
fi
mount -t tracefs nodev $T
echo 8192 > $T/buffer_size_kb
tee-supplicant -d
cd /sz
. /steps.sh
say "DONE"
poweroff -f
