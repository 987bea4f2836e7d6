# SPDX-License-Identifier: GPL-2.0-or-later
# Runs on each node of the demo cluster (see scripts/demo): show the board
# omx attached, discover the other node, and show it in the peer table.
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
