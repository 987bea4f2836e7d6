# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 1200 --mem 1536
# Large messages on a veth pair in one guest (omx_pull_test pair):
# registration errors and invalidation, RNDV/NOTIFY, pulls over the wire
# (board 1 -> board 0 with NO_SHARED) and inside the host (same board,
# and cross-board without NO_SHARED) from 32 KiB+1 to 64 MiB, odd
# segments and offsets, refusals, concurrent pulls, a sleeping and a
# killed sender; malformed PULL/PULL_REPLY/NACK_MCP frames counted and
# dropped; pulls under netem loss, duplication and reordering; nothing
# left pinned at the end.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH
modprobe sch_netem 2>/dev/null	# omx_pull_test slows veth0 down for the killed sender

counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

out=$(omx_pull_test pair 2>&1)
st=$?
printf '%s\n' "$out"
t_check "omx_pull_test pair passes" test "$st" = 0
t_nomatch "no check failed" '^FAIL' "$out"
t_match "64 MiB over the wire" '^ok wire: pulled 67108864 bytes' "$out"
t_match "64 MiB inside the host" '^ok same-board shared: pulled 67108863 bytes' "$out"
t_match "killed sender checked" '^ok sender killed mid-pull' "$out"

# Malformed and unasked-for frames from a host that does not exist, to board 1.
mac1=$(cat /sys/class/net/veth1/address | tr -d :)
head="$mac1 020000000077 86df ffff"
names="rx_drop_bad_length rx_drop_bad_frag rx_drop_stale_pull_reply rx_drop_unexpected
	rx_drop_endpoint_closed tx_nack_mcp rx_pull rx_pull_reply rx_nack_mcp tx_pull_reply"
declare -A before
for n in $names; do before[$n]=$(counter 1 $n); done
send() { omx_send_frame veth0 "$head" "$@" > /dev/null || echo "send failed: $*"; }
magic=6f6d7801
# PULL with block_length 0; PULL with first_frame_offset 9000
send 29070000 00000000 00010000 00000000 00000000 00000000 00000001 $magic 00000000 00000000 00000000
send 29070000 00000000 00010000 00000000 00000000 00000000 00000001 $magic 00002328 00000100 00000000
# well-formed PULL for a closed endpoint: NACK_MCP ENDPT_CLOSED, no reply
send 29070000 00000000 00010000 00000000 00000000 00000000 00000001 $magic 00000000 00000100 00000000
# PULL_REPLY with frame_length 0; announcing 100 bytes, carrying 28
send 2a000000 00000000 00000001 $magic
send 2a000064 00000000 00000001 $magic 00000000000000000000000000000000000000000000000000000000
# well-formed PULL_REPLY and NACK_MCP for no pull at all
send 2a000010 00000000 00000001 $magic 0102030405060708090a0b0c0d0e0f10 000000000000000000000000
send 2d010004 00000000 00000001 $magic
sleep 1
delta() { echo $(($(counter 1 $1) - ${before[$1]})); }
t_check "PULL block 0, PULL_REPLY length 0 or past the frame: rx_drop_bad_length" \
	test "$(delta rx_drop_bad_length)" = 3
t_check "PULL first_frame_offset 9000: rx_drop_bad_frag" test "$(delta rx_drop_bad_frag)" = 1
t_check "PULL for a closed endpoint: rx_drop_endpoint_closed" \
	test "$(delta rx_drop_endpoint_closed)" = 1
t_check "... answered by one NACK_MCP" test "$(delta tx_nack_mcp)" = 1
t_check "PULL_REPLY for no pull: rx_drop_stale_pull_reply" \
	test "$(delta rx_drop_stale_pull_reply)" = 1
t_check "NACK_MCP for no pull: rx_drop_unexpected" test "$(delta rx_drop_unexpected)" = 1
for n in rx_pull rx_pull_reply rx_nack_mcp tx_pull_reply; do
	t_check "nothing counted as $n" test "$(delta $n)" = 0
done

# Loss, duplication and reordering both ways.
if modprobe sch_netem 2>/dev/null &&
   tc qdisc add dev veth0 root netem loss 3% duplicate 3% delay 1ms reorder 20% &&
   tc qdisc add dev veth1 root netem loss 3% duplicate 3%; then
	out=$(omx_pull_test lossy 3 4194304 2>&1)
	st=$?
	printf '%s\n' "$out"
	t_check "pulls under netem pass" test "$st" = 0
	t_nomatch "no lossy check failed" '^FAIL' "$out"
	t_match "every lossy pull byte for byte" '^ok lossy wire: 4192302 bytes byte for byte' "$out"
	tc qdisc del dev veth0 root
	tc qdisc del dev veth1 root
else
	t_check "netem available (modprobe sch_netem, tc)" false
fi

out=$(omx_pull_test idle 2>&1)
printf '%s\n' "$out"
t_match "nothing pinned at the end" '^ok GET_DRIVER_INFO: nothing pinned' "$out"
t_check "module unloads" omx_unload
t_done
