#!/bin/busybox sh
# The normal world reading TZDRAM while the TA holds the model there:
# starts the run (its arguments after the first four) in the background
# with one more input, a FIFO, waits until its provisioning is done (the
# progress bar reaches 100%), then reads [ADDR, ADDR + SIZE) through
# /dev/mem looking for pieces of the model (memscan), and only then
# writes INPUT into the FIFO and waits for the run. The run reads its
# inputs in turn, so it can not end before the scan, however fast the
# model: a small one once did, and the scan found nothing to look at.
#
#   guest_memscan.sh ADDR SIZE NEEDLES INPUT smartzone run ...
addr=$1 size=$2 needles=$3 input=$4
shift 4
hold=/tmp/memscan.hold
rm -f "$hold"
mkfifo "$hold"
"$@" "$hold" --progress > /dev/null 2> /out/memscan.progress &
run=$!
for i in $(seq 1 600); do
	grep -q '100%' /out/memscan.progress && break
	kill -0 $run 2>/dev/null || break
	sleep 0.5
done
if kill -0 $run 2>/dev/null; then
	echo "memscan: while the TA holds the model"
else
	echo "memscan: the run had already ended"
fi
memscan "$addr" "$size" "$needles"
# in the background: a run that ended never opens the FIFO
cat "$input" > "$hold" &
feed=$!
wait $run
echo "memscan: the run ended with status $?"
kill $feed 2>/dev/null
rm -f "$hold"
