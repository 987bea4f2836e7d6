# SPDX-License-Identifier: GPL-2.0-or-later
# Runs on each node of the demo cluster (see scripts/demo): show the board
# omx attached, discover the other node, show it in the peer table, then
# run omx_perf between the two nodes (server on node1, client on node0).
. tests/vm/lib.sh
peer=node$((1 - OMX_NODE))

# The virtual link reports carrier a moment after the interface goes up.
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
echo "== $(hostname): omx.ko loaded, attached to eth0"
omx_info
omx_barrier loaded

echo "== $(hostname): discovering peers (HOST_QUERY/HOST_REPLY on the wire)"
omx_info --discover --wait 10 > /tmp/info.txt
omx_barrier discovered
cat /tmp/info.txt
echo "== $(hostname): counters of board 0"
omx_counters -b 0 | grep -E 'rx_frames|tx_frames|host_(query|reply)'

if grep -q "^peer [0-9]*: .* hostname=$peer:0 " /tmp/info.txt; then
	echo "== $(hostname) sees $peer"
else
	echo "== $(hostname) does NOT see $peer"
	exit 1
fi

# omx_perf over the link: ping-pong and stream, 0 bytes to 1 MiB, polling
# (few iterations: under qemu TCG every byte costs).
if [ "$OMX_NODE" = 1 ]; then
	omx_perf -1 > /tmp/perf_server.txt 2>&1 < <(sleep 600) &
	server=$!
	omx_wait_for 20 grep -q "waiting for clients" /tmp/perf_server.txt
	omx_barrier perf_server
	wait "$server"
	rc=$?
	cat /tmp/perf_server.txt
	exit $rc
fi
omx_barrier perf_server
echo "== $(hostname): omx_perf -d $peer:0 -t both (qemu TCG: the figures mean little alone)"
omx_perf -d "$peer:0" -t both -S 1048576 -n 20 -w 2
