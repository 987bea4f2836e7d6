# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# A flood of forged frames from 5,000 random source MACs leaves the peer
# table as it was: the receive path learns a sender only once its frame
# proved itself (open endpoint and right session, or a CONNECT to an open
# endpoint).  Each frame is counted under its drop reason, and a genuine
# partner still gets through afterwards.
. tests/vm/lib.sh
mac1=$(cat /sys/class/net/veth1/address | tr -d :)
zero8=0000000000000000

counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}
peers() {
	omx_info | sed -n 's/^driver: .* peers=\([0-9]*\)\/.*/\1/p'
}

omx_info --discover > /dev/null
before_peers=$(peers)
before_table=$(omx_info | grep '^peer [0-9]*: mac=')
echo "peers before: $before_peers"
t_check "the two boards know each other" test "$before_peers" = 2

# endpoint 0 of board 1 is open: a wrong session must not teach anything
out=$OMX_RUN_DIR/quiet.out
# (60 s for a slow guest; the stop file ends it once the flood is counted)
omx_ring_test quiet 1 0 60 "$OMX_RUN_DIR/quiet.stop" > "$out" 2>&1 &
qpid=$!
omx_wait_for 10 grep -q ready "$out"

declare -A before
names="rx_frames rx_drop_endpoint_closed rx_drop_bad_session rx_tiny rx_connect"
for n in $names; do before[$n]=$(counter 1 $n); done

flood() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		omx_send_frame -R -n 500 veth0 "$mac1 000000000000 86df ffff" "$@" > /dev/null ||
			echo "send failed: $*"
	done
}
# TINY to a closed endpoint, TINY with a wrong session, CONNECT to a closed endpoint
flood 25070200 0001 0000 0005 0000 $zero8 00000000 aa
flood 25000200 0001 0000 0007 0000 $zero8 12345678 aa
flood 24070200 10 000000 0000 0000 00000000 00000000 00000000 0000 00 00 00 000000
t_check "15,000 forged frames arrived" omx_wait_for 30 sh -c \
	"test \$(omx_counters -b 1 | sed -n 's/^  rx_frames: //p') -ge $((before[rx_frames] + 15000))"
delta() { echo $(($(counter 1 $1) - ${before[$1]})); }
t_check "closed endpoint: 10,000 counted as rx_drop_endpoint_closed" \
	test "$(delta rx_drop_endpoint_closed)" = 10000
t_check "wrong session: 5,000 counted as rx_drop_bad_session" test "$(delta rx_drop_bad_session)" = 5000
t_check "nothing delivered as TINY or CONNECT" test "$(delta rx_tiny)$(delta rx_connect)" = 00
t_check "the peer table did not grow" test "$(peers)" = "$before_peers"
t_check "the same two peers" test "$(omx_info | grep '^peer [0-9]*: mac=')" = "$before_table"
t_nomatch "no peer refused for lack of room" 'peer table full' "$(omx_info)"
touch "$OMX_RUN_DIR/quiet.stop"
wait $qpid
st=$?
cat "$out"
t_check "the endpoint received nothing" test "$st" = 0

# a genuine partner still gets through
out=$(OMX_DISABLE_SHARED=1 omx_perf -b 0 -d node0:1 -n 10 -S 1024 2>&1 & omx_perf -b 1 -1 > /dev/null 2>&1; wait)
t_match "omx_perf between the boards works after the flood" 'pingpong +poll +1024 ' "$out"
t_done
