# SPDX-License-Identifier: GPL-2.0-or-later
# omx's receive-copy offload (module parameter dma, docs/module.md "DMA
# offload") over the veth pair, with the test engine omx_swdma
# (tests/dmaengine/README.md): which of the engine's two channels omx
# takes for the guest's one NUMA node, with the engine's device on no
# node (any node's channel) and on node 0 (a local one; the choice
# between nodes is tests/unit/test_dma_pick.c); wire pulls board 0 -> 1
# of odd sizes, segments and offsets arrive byte for byte (omx_pull_test
# wire) with every PULL_REPLY payload copied by the engine.  The dma_* board
# counters of the pulling board (1) move by exactly that: dma_copies by
# its rx_pull_reply, dma_bytes by the pulls' bytes and by the engine's
# own bytes, and board 0's stay at 0; with reordered and delayed
# completions; with failed descriptors (the CPU copies them:
# dma_fallback_failed = the engine's failures); over the thresholds
# only; under netem loss, duplication and reordering; with offload on
# and no channel (all CPU, each reply under dma_fallback_no_channel);
# the puller killed with copies in flight (drained); the engine's
# device unbound during a transfer; nothing left pinned; everything
# unloads; omx_info's "dma:" lines say off, then give the channel and
# board 1's counters.  Part of tests/dmaengine/run.sh (one guest);
# alone: tests/vm/run --topology pair --no-load THIS_FILE.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH

SW=tests/dmaengine/omx_swdma.ko
P=/sys/module/omx/parameters
SWP=/sys/module/omx_swdma/parameters
DEV=/sys/bus/platform/devices/omx_swdma
start=$(date +%s)

param() { cat "$P/$1"; }
engine() { cat "$DEV/$1" 2>/dev/null || echo -1; }
counter() { omx_counters -b "$1" | sed -n "s/^  $2: //p"; }
# dma NAME: board 1's (the puller's) counter dma_NAME
dma() { counter 1 "dma_$1"; }
# board 0 (the sender) never pulls: all its dma_* counters summed
dma0() { omx_counters -b 0 | awk '/^  dma_/ { s += $2 } END { print s + 0 }'; }
# snap: board 1's replies and dma counters, and the engine's, into S_*
snap() {
	S_replies=$(counter 1 rx_pull_reply)
	S_copies=$(dma copies) S_bytes=$(dma bytes) S_fb=$(dma fallbacks)
	S_failed=$(dma fallback_failed) S_refused=$(dma fallback_refused)
	S_ebytes=$(engine bytes) S_efailed=$(engine failed)
}
# moved NAME VAR: how much board 1's dma_NAME moved since snap took S_VAR
moved() {
	local v=S_$2
	echo $(($(dma "$1") - ${!v}))
}
# wire N SIZE NAME: N pulls board 0 -> 1, all checked byte for byte
wire() {
	local out st
	out=$(omx_pull_test wire "$1" "$2" 2>&1)
	st=$?
	printf '%s\n' "$out" | sed 's/^/  /'
	t_check "$3: omx_pull_test wire $1 $2 passes" test "$st" = 0
	t_match "$3: every pull byte for byte" "^ok wire: $(($2 - ($1 - 1) * 1001)) bytes byte for byte" "$out"
	t_nomatch "$3: no check failed" '^FAIL' "$out"
}
# wire_bytes N SIZE: the bytes of those N pulls
wire_bytes() { echo $(($1 * $2 - 1001 * ($1 - 1) * $1 / 2)); }
# all_offloaded NAME BYTES: since snap, every reply board 1 took went
# through the engine, BYTES of them, no fallback, nothing on board 0
all_offloaded() {
	local replies=$(($(counter 1 rx_pull_reply) - S_replies))
	echo "  $1: replies $replies, dma_copies +$(moved copies copies), dma_bytes +$(moved bytes bytes), engine bytes +$(($(engine bytes) - S_ebytes))"
	t_check "$1: board 1's dma_copies moved by its rx_pull_reply ($replies)" \
		test "$(moved copies copies)" = "$replies" -a "$replies" -gt 0
	t_check "$1: board 1's dma_bytes moved by the pulls' bytes ($2)" \
		test "$(moved bytes bytes)" = "$2"
	t_check "$1: the engine copied exactly those bytes" \
		test $(($(engine bytes) - S_ebytes)) = "$2"
	t_check "$1: no fallback on board 1" test "$(moved fallbacks fb)" = 0
	t_check "$1: board 0's dma counters all 0" test "$(dma0)" = 0
}
load_omx() { omx_load veth0,veth1 dma=1 dma_min_frame=0 dma_min_pull=0 "$@"; }
# in_use: the engine's channels some client holds, by name
in_use() {
	local d
	for d in "$DEV"/dma/dma*chan*; do
		[ "$(cat "$d/in_use" 2>/dev/null)" != 1 ] || printf '%s\n' "${d##*/}"
	done | paste -sd ' '
}
info_dma() { omx_info | grep '^dma:'; }
# board 1's "dma:" line as omx_info should print it, from omx_counters
want_board_dma() {
	echo "board 1 dma: copies=$(dma copies) bytes=$(dma bytes) fallbacks=$(dma fallbacks) (no_channel=$(dma fallback_no_channel) no_memory=$(dma fallback_no_memory) unsplit=$(dma fallback_unsplit) refused=$(dma fallback_refused) failed=$(dma fallback_failed))"
}

# 0. Offload off: omx_info says so.
t_check "load omx without dma" omx_load veth0,veth1
t_check "omx_info: dma: off" test "$(info_dma)" = "dma: off"
t_check "omx_info: no board dma line when off" test -z "$(omx_info | grep '^board [0-9]* dma:')"
t_check "unload omx" omx_unload

# 1. Offload on, no channel: the CPU copies, counted.
t_check "load omx with dma=1 and no DMA engine" load_omx
t_check "dma_channel says none" test "$(param dma_channel)" = none
t_match "the kernel log says the copies stay on the CPU" \
	'omx: dma=1 but no DMA_MEMCPY channel' "$(dmesg)"
snap
wire 2 300000 "no channel"
replies=$(($(counter 1 rx_pull_reply) - S_replies))
t_check "no channel: no copy offloaded" test "$(dma copies) $(dma bytes)" = "0 0"
t_check "no channel: every reply of board 1 counted as a fallback ($replies)" \
	test "$(dma fallbacks)" = "$replies" -a "$replies" -gt 0
t_check "no channel: and under dma_fallback_no_channel" \
	test "$(dma fallback_no_channel)" = "$replies"
t_check "no channel: board 0's dma counters all 0" test "$(dma0)" = 0
t_check "no channel: omx_info says channel=none" test "$(info_dma)" = "dma: channel=none"
line=$(omx_info | grep '^board 1 dma:')
echo "  omx_info: $line"
t_check "no channel: omx_info's board 1 dma line is its counters" test "$line" = "$(want_board_dma)"
t_match "no channel: omx_info counts every reply under no_channel" \
	"^board 1 dma: copies=0 bytes=0 fallbacks=$replies \\(no_channel=$replies no_memory=0 unsplit=0 refused=0 failed=0\\)\$" "$line"
t_check "unload omx" omx_unload

# 2. The engine's device on no known node (a platform device's): no
# node has a local channel, so omx takes one channel of any node, one of
# the two, and node 0 uses it.
t_check "insmod omx_swdma.ko channels=2 (node unknown)" insmod "$SW" channels=2
t_check "load omx with dma=1" load_omx
desc=$(param dma_channel)
chan=${desc#node0:}
t_match "any node: dma_channel gives node 0 a channel of the engine" '^node0:dma[0-9]+chan[0-9]+$' "$desc"
t_check "any node: omx holds that channel and not the other" test "$(in_use)" = "$chan"
t_match "any node: the kernel log gives node 0 that channel, of unknown node" \
	"omx: node 0: receive copies .* go to $chan \\(omx_swdma, on node -1\\)" "$(dmesg)"
t_check "any node: omx_info names it" test "$(info_dma)" = "dma: channel=node0:$chan"
t_check "unload omx" omx_unload
t_check "rmmod omx_swdma" rmmod omx_swdma

# 3. The engine's device on node 0, the guest's only node: node 0 takes
# a channel of its own (the per-node request), the rest runs on it.
t_check "insmod omx_swdma.ko channels=2 node=0" insmod "$SW" channels=2 node=0
t_match "the engine says node 0" 'omx_swdma: 2 memcpy channel\(s\) on node 0' "$(dmesg)"
t_check "load omx with dma=1" load_omx
desc=$(param dma_channel)
chan=${desc#node0:}
t_match "local: dma_channel gives node 0 a channel of the engine" '^node0:dma[0-9]+chan[0-9]+$' "$desc"
t_check "local: omx holds that channel and not the other" test "$(in_use)" = "$chan"
t_match "local: the kernel log says node 0's channel is local" \
	"omx: node 0: receive copies .* go to $chan \\(omx_swdma, on node 0: local\\)" "$(dmesg)"
t_check_fails "rmmod omx_swdma refused while omx holds the channel" rmmod omx_swdma
snap
wire 3 1048576 "offload"
all_offloaded offload "$(wire_bytes 3 1048576)"
t_check "offload: omx_info names the channel" test "$(info_dma)" = "dma: channel=node0:$chan"
line=$(omx_info | grep '^board 1 dma:')
echo "  omx_info: $line"
t_check "offload: omx_info's board 1 dma line is its counters" test "$line" = "$(want_board_dma)"
t_match "offload: omx_info gives board 1's copies and bytes" \
	"^board 1 dma: copies=$(dma copies) bytes=$(wire_bytes 3 1048576) fallbacks=0 \\(no_channel=0 no_memory=0 unsplit=0 refused=0 failed=0\\)\$" "$line"
t_match "offload: omx_info's board 0 dma line is all 0" \
	'^board 0 dma: copies=0 bytes=0 fallbacks=0 \(no_channel=0 no_memory=0 unsplit=0 refused=0 failed=0\)$' "$(omx_info)"

# 4. Reordered and delayed completions.
echo 4 > "$SWP/reorder"
echo 500 > "$SWP/delay_us"
ro0=$(engine reordered)
snap
wire 2 1048576 "reorder"
t_check "reorder: completions came out of order" test $(($(engine reordered) - ro0)) -gt 0
all_offloaded reorder "$(wire_bytes 2 1048576)"
echo 0 > "$SWP/reorder"
echo 0 > "$SWP/delay_us"

# 5. Failed descriptors: the CPU copies them again.
echo 7 > "$SWP/fail_every"
snap
wire 2 1048576 "fail_every=7"
echo 0 > "$SWP/fail_every"
failed=$(($(engine failed) - S_efailed))
replies=$(($(counter 1 rx_pull_reply) - S_replies))
echo "  engine failed $failed descriptors; board 1: dma_fallback_failed +$(moved fallback_failed failed), dma_fallbacks +$(moved fallbacks fb), dma_copies +$(moved copies copies) of $replies replies"
t_check "fail_every=7: the engine failed descriptors" test "$failed" -gt 0
t_check "fail_every=7: board 1's dma_fallback_failed moved by exactly those" \
	test "$(moved fallback_failed failed)" = "$failed"
t_check "fail_every=7: a fallback per payload hit (at least one, at most one per failure)" \
	test "$(moved fallbacks fb)" -gt 0 -a "$(moved fallbacks fb)" -le "$failed"
t_check "fail_every=7: every reply either copied by the engine or a fallback" \
	test $(($(moved copies copies) + $(moved fallbacks fb))) = "$replies"
t_check "fail_every=7: dma_bytes = the engine's bytes (the descriptors it copied)" \
	test "$(moved bytes bytes)" = $(($(engine bytes) - S_ebytes))
t_check "fail_every=7: dma_bytes below the pulls' bytes (the CPU wrote the failed ones)" \
	test "$(moved bytes bytes)" -lt "$(wire_bytes 2 1048576)"
t_check "fail_every=7: board 0's dma counters all 0" test "$(dma0)" = 0

# 6. Thresholds: frames under dma_min_frame stay on the CPU, uncounted.
echo 100000 > "$P/dma_min_frame"
snap
wire 1 300000 "threshold"
t_check "threshold: nothing offloaded under dma_min_frame" test "$(moved copies copies)" = 0
t_check "threshold: and no fallback counted" test "$(moved fallbacks fb)" = 0
echo 0 > "$P/dma_min_frame"

# 7. Loss, duplication and reordering on the wire (as driver/pull_pair).
snap
if modprobe sch_netem 2>/dev/null &&
   tc qdisc add dev veth0 root netem loss 3% duplicate 3% delay 1ms reorder 20% &&
   tc qdisc add dev veth1 root netem loss 3% duplicate 3%; then
	out=$(omx_pull_test lossy 3 4194304 2>&1)
	st=$?
	printf '%s\n' "$out" | sed 's/^/  /'
	t_check "netem: omx_pull_test lossy 3 4194304 passes" test "$st" = 0
	t_match "netem: every pull byte for byte" '^ok lossy wire: 4192302 bytes byte for byte' "$out"
	all_offloaded netem $((3 * 4194304 - 1001 - 2002))
	tc qdisc del dev veth0 root
	tc qdisc del dev veth1 root
else
	t_check "netem available (modprobe sch_netem, tc)" false
fi

# 8. The puller killed with copies in flight: the copies finish into
# pages that stay pinned until then, and nothing is left behind.
echo 64 > "$SWP/reorder"
echo 200000 > "$SWP/delay_us"
s0=$(engine submitted)
omx_pull_test wire 1 2097152 > /dev/null 2>&1 &
pid=$!
t_check "kill: copies submitted" \
	omx_wait_for 30 sh -c "test \$(cat $DEV/submitted) -gt $((s0 + 64))"
kill -9 "$pid"
wait "$pid" 2>/dev/null
drained() {
	test $(($(engine completed) + $(engine failed) + $(engine aborted))) = "$(engine submitted)"
}
t_check "kill: the engine drained the killed puller's copies" omx_wait_for 60 drained
# (nothing left pinned: checked once at the end, omx_pull_test idle takes 5 s)
echo 0 > "$SWP/reorder"

# 9. The engine's device unbound (hot-unplug) during a transfer.
echo 1000 > "$SWP/delay_us"
snap
out=/tmp/unplug.out
omx_pull_test wire 2 4194304 > "$out" 2>&1 &
pid=$!
sleep 0.5
t_check "unbind the engine's device during the transfer" \
	sh -c "echo omx_swdma > /sys/bus/platform/drivers/omx_swdma/unbind"
wait "$pid"
st=$?
sed 's/^/  /' "$out"
t_check "unplug: the transfer passes" test "$st" = 0
t_match "unplug: byte for byte" '^ok wire: 4193303 bytes byte for byte' "$(cat "$out")"
echo "  board 1: dma_fallbacks +$(moved fallbacks fb), dma_fallback_failed +$(moved fallback_failed failed), dma_fallback_refused +$(moved fallback_refused refused)"
t_check "unplug: the rest fell back to the CPU" test "$(moved fallbacks fb)" -gt 0
t_check "unplug: refused by the dead channel, counted on board 1" \
	test "$(moved fallback_refused refused)" -gt 0

out=$(omx_pull_test idle 2>&1)
printf '%s\n' "$out" | sed 's/^/  /'
t_match "nothing pinned at the end" '^ok GET_DRIVER_INFO: nothing pinned' "$out"
mark=$(dmesg | wc -l)
t_check "omx unloads (releasing the dead channel)" omx_unload
t_match "the engine's device was freed with omx's release" 'omx_swdma: released:' \
	"$(dmesg | tail -n +$((mark + 1)))"
t_check "rmmod omx_swdma" rmmod omx_swdma
echo "wall time $(($(date +%s) - start)) s"
t_done
