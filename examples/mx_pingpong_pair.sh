# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# The MX ping-pong between boards 0 and 1 (over the veth wire) and
# between two endpoints of board 0 (delivered by the driver locally).
# Run: tests/vm/run examples/mx_pingpong_pair.sh
. tests/vm/lib.sh
pp=$OMX_TOP/examples/mx_pingpong
iters=${PP_ITERS:-6}

run_pair() {	# NAME RESPONDER_BOARD CLIENT_BOARD DEST_HOST
	local out rc log=/tmp/resp.$2.$3
	"$pp" -r -b "$2" -e 3 > "$log" 2>&1 &
	local rpid=$!
	omx_wait_for 20 grep -q "responder ready" "$log"
	out=$(timeout 300 "$pp" -b "$3" -e 1 -d "$4" -E 3 -n "$iters" 2>&1)
	rc=$?
	echo "$out"
	wait "$rpid"
	local rrc=$?
	cat "$log"
	t_check "$1: every echo intact" test "$rc" = 0
	t_match "$1: all sizes up to 32768 done" "size 32768: $iters round trips ok" "$out"
	t_check "$1: responder exited cleanly" test "$rrc" = 0
}

run_pair "wire board1->board0" 0 1 node0:0
run_pair "same board" 0 0 node0:0
omx_counters -b 0 | grep -E 'local_frames|tx_medium|rx_medium|drop' || true
t_done
