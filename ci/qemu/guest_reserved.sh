#!/bin/busybox sh
# The device tree's reserved-memory nodes as Linux got them (OP-TEE adds
# its own to the tree it hands over): one line a node, its name, its reg
# as hex bytes in the tree's (big-endian) order and whether it has
# no-map.
for node in /proc/device-tree/reserved-memory/*/; do
	name=$(basename "$node")
	reg=$(hexdump -v -e '1/1 "%02x"' "$node/reg" 2>/dev/null)
	nomap=no
	[ -e "$node/no-map" ] && nomap=yes
	echo "$name reg=$reg no-map=$nomap"
done
