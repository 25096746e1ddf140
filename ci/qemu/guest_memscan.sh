#!/bin/busybox sh
# The normal world reading TZDRAM while the TA holds the model there:
# starts the run (its arguments after the first three) in the
# background, waits until its provisioning is done (the progress bar
# reaches 100%), then reads [ADDR, ADDR + SIZE) through /dev/mem looking
# for pieces of the model (memscan), and waits for the run.
#
#   guest_memscan.sh ADDR SIZE NEEDLES smartzone run ...
addr=$1 size=$2 needles=$3
shift 3
"$@" --progress > /dev/null 2> /out/memscan.progress &
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
wait $run
echo "memscan: the run ended with status $?"
