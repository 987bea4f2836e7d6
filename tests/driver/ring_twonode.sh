# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 300
# Eager messaging between two hosts: node1 connects to endpoint 1 of
# node0 before it is open (ENDPT_CLOSED NACKs, retried as the library
# does), then sends TINY, SMALL and every fragment of MEDIUM messages at
# the class boundaries; node0 checks every event field and payload byte
# and acknowledges with a LIBACK (omx_ring_test serve / client).
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH
me=$OMX_NODE
omx_publish "mac$me" "$(cat /sys/class/net/eth0/address)"
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier up

counter() {
	omx_counters -b 0 | sed -n "s/^  $1: //p"
}

if [ "$me" = 0 ]; then
	omx_lookup client-started > /dev/null
	sleep 3		# let the client knock on a closed endpoint first
	out=$(omx_ring_test serve 2>&1)
	st=$?
	printf '%s\n' "$out"
	t_check "serve passes" test "$st" = 0
	t_nomatch "no server check failed" '^FAIL' "$out"
	t_match "every message checked" '^ok twonode message 13 ' "$out"
	t_check "3 TINY received" test "$(counter rx_tiny)" = 3
	t_check "3 SMALL received" test "$(counter rx_small)" = 3
	t_check "8 MEDIUM fragments received" test "$(counter rx_medium)" = 8
	t_check "closed endpoint NACKed" test "$(counter tx_nack_lib)" -ge 1
	t_check "nothing local" test "$(counter local_frames)" = 0
else
	node0=$(omx_lookup mac0)
	omx_publish client-started 1
	out=$(omx_ring_test client "$node0" 2>&1)
	st=$?
	printf '%s\n' "$out"
	t_check "client passes" test "$st" = 0
	t_nomatch "no client check failed" '^FAIL' "$out"
	t_match "client was NACKed while the server was closed" \
		'^ok client: connected after [0-9]+ attempt\(s\), [1-9][0-9]* ENDPT_CLOSED' "$out"
	t_check "14 message frames sent" test $(($(counter tx_tiny) + $(counter tx_small) + $(counter tx_medium))) = 14
	t_check "NACKs received" test "$(counter rx_nack_lib)" -ge 1
fi
omx_barrier done
t_done
