# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# Eager messaging through the driver on a veth pair in one guest: every
# send command and event field, the wire path (board 0 -> board 1) and
# the local path (two endpoints of board 0), argument checks, waits,
# NACKs and ring overflow (omx_ring_test pair); malformed and refused
# frames, each counted under its drop counter with nothing delivered; an
# endpoint whose board is detached by force.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH

counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

out=$(omx_ring_test pair 2>&1)
st=$?
printf '%s\n' "$out"
t_check "omx_ring_test pair passes" test "$st" = 0
t_nomatch "no check failed" '^FAIL' "$out"
t_match "local path checked" '^ok local: local_frames counted' "$out"
t_match "overflow checked" '^ok overflow: rx_drop_queue_full counted them' "$out"
t_match "EMSGSIZE checked" '^ok MEDIUM fragment larger than the new MTU: EMSGSIZE' "$out"

# Forged frames from a host that does not exist, sent on veth0 to board 1
# (veth1) where endpoint 0 is open: none may reach it.
mac1=$(cat /sys/class/net/veth1/address | tr -d :)
fake=020000000077
head="$mac1 $fake 86df ffff"
zero8=0000000000000000
declare -A before
names="rx_drop_bad_length rx_drop_bad_frag rx_drop_bad_subtype rx_drop_bad_nack
	rx_drop_endpoint_closed rx_drop_unknown_endpoint rx_drop_bad_session
	rx_drop_unexpected tx_nack_lib rx_tiny rx_small rx_medium rx_truc rx_connect rx_nack_lib"
for n in $names; do before[$n]=$(counter 1 $n); done
# the guest is slow: leave the endpoint open long enough for every frame
quiet=$OMX_RUN_DIR/quiet.out
omx_ring_test quiet 1 0 30 "$OMX_RUN_DIR/quiet.stop" > "$quiet" 2>&1 &
qpid=$!
omx_wait_for 10 grep -q ready "$quiet"
send() { omx_send_frame veth0 "$head" "$@" > /dev/null || echo "send failed: $*"; }
# TINY announcing 32 bytes in a 60-byte frame
send 25000200 0020 0000 0001 0000 $zero8 00000000 0102030405060708090a
# SMALL of 129 bytes
send 26000200 0081 0000 0001 0000 $zero8 00000000
# MEDIUM fragment 32
send 27000200 00008000 0001 0000 $zero8 00000000 0001 20 00 0000 0000
# TRUC with subtype 0x66
send 23000200 10 000000 00000000 66 00 0001 00000000 00000000 0001 00 00
# CONNECT with is_reply 2
send 24000200 10 000000 0000 0000 00000000 00000000 00000000 0000 02 00 00 000000
# NACK_LIB with type 9
send 2c000009 00000000 00 00 ffff 0001 0000
# well-formed, refused: closed endpoint, index beyond endpoint_max, wrong session
send 25070200 0001 0000 0005 0000 $zero8 00000000 aa
send 25ff0200 0001 0000 0006 0000 $zero8 00000000 aa
send 25000200 0001 0000 0007 0000 $zero8 12345678 aa
# answers nobody asked for are never answered: TRUC, NACK_LIB, CONNECT reply
send 23070200 10 000000 00000000 55 00 0001 00000000 00000001 0001 00 00
send 2c000002 00000000 00 07 ffff 0001 0000
send 24070200 10 000000 0000 0000 00000000 00000000 00000000 0000 01 00 00 000000
sleep 1
delta() { echo $(($(counter 1 $1) - ${before[$1]})); }
t_check "truncated TINY, long SMALL: rx_drop_bad_length" test "$(delta rx_drop_bad_length)" = 2
t_check "MEDIUM frag 32: rx_drop_bad_frag" test "$(delta rx_drop_bad_frag)" = 1
t_check "TRUC subtype, CONNECT is_reply: rx_drop_bad_subtype" test "$(delta rx_drop_bad_subtype)" = 2
t_check "NACK type 9: rx_drop_bad_nack" test "$(delta rx_drop_bad_nack)" = 1
t_check "closed endpoint: rx_drop_endpoint_closed" test "$(delta rx_drop_endpoint_closed)" = 1
t_check "endpoint 255: rx_drop_unknown_endpoint" test "$(delta rx_drop_unknown_endpoint)" = 1
t_check "wrong session: rx_drop_bad_session" test "$(delta rx_drop_bad_session)" = 1
t_check "unasked answers: rx_drop_unexpected" test "$(delta rx_drop_unexpected)" = 3
t_check "exactly three NACKs sent" test "$(delta tx_nack_lib)" = 3
for n in rx_tiny rx_small rx_medium rx_truc rx_connect rx_nack_lib; do
	t_check "nothing counted as $n" test "$(delta $n)" = 0
done
touch "$OMX_RUN_DIR/quiet.stop"
wait $qpid
st=$?
cat "$quiet"
t_check "the endpoint received nothing" test "$st" = 0

# Forced detach: a sleeper in WAIT_EVENT wakes with ENODEV.
out=$(omx_ring_test dead 1 veth1 2>&1)
st=$?
printf '%s\n' "$out"
t_check "dead endpoint checks pass" test "$st" = 0
t_nomatch "no dead endpoint check failed" '^FAIL' "$out"
echo +veth1 > /sys/module/omx/parameters/ifnames
t_done
