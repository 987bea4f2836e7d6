# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 900
# The MX ping-pong, 0 bytes to 8 MiB (large messages by rendezvous and
# pull, odd segment lists), between boards 0 and 1 over the veth wire
# (OMX_DISABLE_SHARED=1), between boards 0 and 1 inside the host
# (shared), between two endpoints of board 0 (always local), and from
# an endpoint to itself (self, in the library; then through the driver
# with OMX_DISABLE_SELF=1).
# Run: tests/vm/run examples/mx_pingpong_pair.sh
. tests/vm/lib.sh
pp=$OMX_TOP/examples/mx_pingpong
iters=${PP_ITERS:-4}
max=${PP_MAX:-8388608}

counter() {	# BOARD NAME
	omx_counters -b "$1" | awk -v n="$2" '$1 == n || $1 == n":" { print $NF; exit }'
}

run_pair() {	# NAME RESPONDER_BOARD CLIENT_BOARD DEST_HOST
	local out rc log=/tmp/resp.$2.$3
	"$pp" -r -b "$2" -e 3 > "$log" 2>&1 &
	local rpid=$!
	omx_wait_for 20 grep -q "responder ready" "$log"
	out=$(timeout 600 "$pp" -b "$3" -e 1 -d "$4" -E 3 -n "$iters" -m "$max" 2>&1)
	rc=$?
	echo "$out"
	wait "$rpid"
	local rrc=$?
	cat "$log"
	t_check "$1: every echo intact" test "$rc" = 0
	t_match "$1: medium sizes done" "size   32768: $iters round trips ok" "$out"
	t_match "$1: large sizes done" "size $max: [0-9]* round trips ok" "$out"
	t_check "$1: responder exited cleanly" test "$rrc" = 0
}

run_self() {	# NAME
	local out rc
	out=$(timeout 600 "$pp" -S -b 0 -e 5 -n "$iters" -m "$max" 2>&1)
	rc=$?
	echo "$out"
	t_check "$1: every message intact" test "$rc" = 0
	t_match "$1: large sizes done" "size $max: [0-9]* round trips ok" "$out"
}

local0=$(counter 1 local_frames)
reply0=$(counter 1 tx_pull_reply)
OMX_DISABLE_SHARED=1 run_pair "wire board1->board0" 0 1 node0:0
local1=$(counter 1 local_frames)
reply1=$(counter 1 tx_pull_reply)
t_check "wire: nothing delivered inside the host by board 1" test "$local1" = "$local0"
t_check "wire: board 1 answered pulls on the wire" test "${reply1:-0}" -gt "${reply0:-0}"
shared0=$(($(counter 0 shared_pulls) + $(counter 1 shared_pulls)))
run_pair "shared board1->board0" 0 1 node0:0
shared1=$(($(counter 0 shared_pulls) + $(counter 1 shared_pulls)))
t_check "shared: large messages copied inside the host" test "$shared1" -gt "$shared0"
run_pair "same board" 0 0 node0:0
pulls0=$(counter 0 tx_pull)
run_self "self"
pulls1=$(counter 0 tx_pull)
t_check "self: no pull through the driver" test "${pulls1:-0}" = "${pulls0:-0}"
OMX_DISABLE_SELF=1 run_self "self through the driver"
omx_counters -b 0 | grep -E 'local_frames|rndv|pull|notify|drop' || true
omx_counters -b 1 | grep -E 'local_frames|rndv|pull|notify|drop' || true
t_done
