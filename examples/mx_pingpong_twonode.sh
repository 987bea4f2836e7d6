# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 900
# The MX ping-pong between two hosts: node1 answers, node0 sends.
# Run: tests/vm/run examples/mx_pingpong_twonode.sh
. tests/vm/lib.sh
pp=$OMX_TOP/examples/mx_pingpong
iters=${PP_ITERS:-4}
omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*running"'
if [ "$OMX_NODE" = 1 ]; then
	"$pp" -r -b 0 -e 2 > /tmp/resp 2>&1 &
	rpid=$!
	omx_wait_for 20 grep -q "responder ready" /tmp/resp
	omx_publish mac1 "$(cat /sys/class/net/eth0/address)"
	wait "$rpid"
	rc=$?
	cat /tmp/resp
	t_check "node1: responder exited cleanly" test "$rc" = 0
else
	mac=$(omx_lookup mac1)
	# connects need a peer the driver knows
	omx_wait_for 60 sh -c "omx_info -d 2>/dev/null | grep -q 'hostname=node1:0'"
	out=$(timeout 600 "$pp" -b 0 -d "$mac" -E 2 -n "$iters" 2>&1)
	rc=$?
	echo "$out"
	t_check "node0: every echo intact" test "$rc" = 0
	t_match "node0: all sizes up to 32768 done" "size 32768: $iters round trips ok" "$out"
fi
omx_barrier done
t_done
