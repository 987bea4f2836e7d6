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
# the puller killed with copies in flight (its pages pinned until the
# engine completed every copy, then nothing pinned); a pull failing with
# copies in flight (its PULL_DONE only after the last, omx_pull_test
# dmafail); the engine's device unbound during a transfer; nothing left
# pinned; everything
# unloads; omx_info's "dma:" lines say off, then give the channel and
# board 1's counters.  Part of tests/dmaengine/run.sh (one guest);
# alone: tests/vm/run --topology pair --no-load THIS_FILE.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH

SW=$(omx_test_ko omx_swdma.ko tests/dmaengine/omx_swdma.ko)
P=/sys/module/omx/parameters
SWP=/sys/module/omx_swdma/parameters
DEV=/sys/bus/platform/devices/omx_swdma
start=$(date +%s)

# Figures are read with the read builtin and each step reads board 1's
# counters once (b1): starting a program costs a TCG guest a lot, and
# this script used to run omx_counters once per counter it read.
param() { local v; read -r v < "$P/$1" && echo "$v"; }
engine() { local v; { read -r v < "$DEV/$1"; } 2>/dev/null && echo "$v" || echo -1; }
declare -A B1 S
# b1: board 1's (the puller's) counters into B1[NAME]
b1() {
	local n v
	B1=()
	while read -r n v; do B1[${n%:}]=$v; done < <(omx_counters -b 1)
}
# dma NAME: board 1's dma_NAME, as b1 last read it
dma() { echo "${B1[dma_$1]}"; }
# board 0 (the sender) never pulls: all its dma_* counters summed
dma0() { omx_counters -b 0 | awk '/^  dma_/ { s += $2 } END { print s + 0 }'; }
# snap: b1, then its values and the engine's bytes and failures into S
snap() {
	local k
	b1
	S=()
	for k in "${!B1[@]}"; do S[$k]=${B1[$k]}; done
	S[ebytes]=$(engine bytes)
	S[efailed]=$(engine failed)
}
# moved NAME: how much board 1's dma_NAME moved from snap to the last b1
moved() { echo $((B1[dma_$1] - S[dma_$1])); }
# replies: board 1's rx_pull_reply from snap to the last b1
replies() { echo $((B1[rx_pull_reply] - S[rx_pull_reply])); }
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
	local replies
	b1
	replies=$(replies)
	echo "  $1: replies $replies, dma_copies +$(moved copies), dma_bytes +$(moved bytes), engine bytes +$(($(engine bytes) - S[ebytes]))"
	t_check "$1: board 1's dma_copies moved by its rx_pull_reply ($replies)" \
		test "$(moved copies)" = "$replies" -a "$replies" -gt 0
	t_check "$1: board 1's dma_bytes moved by the pulls' bytes ($2)" \
		test "$(moved bytes)" = "$2"
	t_check "$1: the engine copied exactly those bytes" \
		test $(($(engine bytes) - S[ebytes])) = "$2"
	t_check "$1: no fallback on board 1" test "$(moved fallbacks)" = 0
	t_check "$1: board 0's dma counters all 0" test "$(dma0)" = 0
}
load_omx() { omx_load veth0,veth1 dma=1 dma_min_frame=0 dma_min_pull=0 "$@"; }
# engine_pending: descriptors the engine was given and has not completed
engine_pending() {
	echo $(($(engine submitted) - $(engine completed) - $(engine failed) - $(engine aborted)))
}
# driver_figure NAME: a figure of omx_info's "driver:" line
driver_figure() { omx_info | sed -n "s/^driver: .* $1=\([0-9]*\).*/\1/p"; }
# driver_idle: the figures that must be 0 once nothing is open
driver_idle() {
	omx_info | sed -n 's/^driver: .* \(endpoints_open=[0-9]* pinned_pages=[0-9]* regions=[0-9]* pulls=[0-9]*\) .*/\1/p'
}
# in_use: the engine's channels some client holds, by name
in_use() {
	local d
	for d in "$DEV"/dma/dma*chan*; do
		[ "$(cat "$d/in_use" 2>/dev/null)" != 1 ] || printf '%s\n' "${d##*/}"
	done | paste -sd ' '
}
info_dma() { omx_info | grep '^dma:'; }
# took_channel NAME WHERE: omx holds exactly the channel of the engine
# that dma_channel gives node 0 (into chan), omx_info names it, and the
# kernel log says where it is: WHERE, e.g. "on node 0: local"
took_channel() {
	local desc
	desc=$(param dma_channel)
	chan=${desc#node0:}
	t_match "$1: dma_channel gives node 0 a channel of the engine" '^node0:dma[0-9]+chan[0-9]+$' "$desc"
	t_check "$1: omx holds that channel and not the other" test "$(in_use)" = "$chan"
	t_match "$1: the kernel log gives node 0 that channel, $2" \
		"omx: node 0: receive copies .* go to $chan \\(omx_swdma, $2\\)" "$(dmesg)"
	t_check "$1: omx_info names it" test "$(info_dma)" = "dma: channel=node0:$chan"
}
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
b1
replies=$(replies)
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
took_channel "any node" 'on node -1'
t_check "unload omx" omx_unload
t_check "rmmod omx_swdma" rmmod omx_swdma

# 3. The engine's device on node 0, the guest's only node: node 0 takes
# a channel of its own (the per-node request), the rest runs on it.
t_check "insmod omx_swdma.ko channels=2 node=0" insmod "$SW" channels=2 node=0
t_match "the engine says node 0" 'omx_swdma: 2 memcpy channel\(s\) on node 0' "$(dmesg)"
t_check "load omx with dma=1" load_omx
took_channel local 'on node 0: local'
t_check_fails "rmmod omx_swdma refused while omx holds the channel" rmmod omx_swdma
snap
wire 3 1048576 "offload"
all_offloaded offload "$(wire_bytes 3 1048576)"
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
b1
failed=$(($(engine failed) - S[efailed]))
replies=$(replies)
echo "  engine failed $failed descriptors; board 1: dma_fallback_failed +$(moved fallback_failed), dma_fallbacks +$(moved fallbacks), dma_copies +$(moved copies) of $replies replies"
t_check "fail_every=7: the engine failed descriptors" test "$failed" -gt 0
t_check "fail_every=7: board 1's dma_fallback_failed moved by exactly those" \
	test "$(moved fallback_failed)" = "$failed"
t_check "fail_every=7: a fallback per payload hit (at least one, at most one per failure)" \
	test "$(moved fallbacks)" -gt 0 -a "$(moved fallbacks)" -le "$failed"
t_check "fail_every=7: every reply either copied by the engine or a fallback" \
	test $(($(moved copies) + $(moved fallbacks))) = "$replies"
t_check "fail_every=7: dma_bytes = the engine's bytes (the descriptors it copied)" \
	test "$(moved bytes)" = $(($(engine bytes) - S[ebytes]))
t_check "fail_every=7: dma_bytes below the pulls' bytes (the CPU wrote the failed ones)" \
	test "$(moved bytes)" -lt "$(wire_bytes 2 1048576)"
t_check "fail_every=7: board 0's dma counters all 0" test "$(dma0)" = 0

# 6. Thresholds: frames under dma_min_frame stay on the CPU, uncounted.
echo 100000 > "$P/dma_min_frame"
snap
wire 1 300000 "threshold"
b1
t_check "threshold: nothing offloaded under dma_min_frame" test "$(moved copies)" = 0
t_check "threshold: and no fallback counted" test "$(moved fallbacks)" = 0
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
	# the three long pulls, then omx_pull_test's 150 tail pulls of 64 KiB
	all_offloaded netem $((3 * 4194304 - 1001 - 2002 + 150 * 65536))
	tc qdisc del dev veth0 root
	tc qdisc del dev veth1 root
else
	t_check "netem available (modprobe sch_netem, tc)" false
fi

# 8. The puller killed with copies in flight: its endpoint's close
# waits for them, the pages stay pinned until the engine wrote them, and
# then nothing is left: every copy completed, nothing pinned.
echo 64 > "$SWP/reorder"
echo 200000 > "$SWP/delay_us"
snap
s0=$(engine submitted) c0=$(engine completed)
omx_pull_test wire 1 2097152 > /dev/null 2>&1 &
pid=$!
t_check "kill: copies submitted" \
	omx_wait_for 30 sh -c "test \$(cat $DEV/submitted) -gt $((s0 + 64))"
kill -9 "$pid"
pinned=$(driver_figure pinned_pages)
pending=$(engine_pending)
echo "  killed with $pending copies in the engine and $pinned pages pinned"
t_check "kill: the pages stay pinned while the copies are in flight" \
	test "$pinned" -gt 0 -a "$pending" -gt 0
wait "$pid" 2>/dev/null
t_check "kill: the puller's exit waited for its copies: none pending" \
	test "$(engine_pending)" = 0
t_check "kill: the engine completed every copy it was given ($(($(engine submitted) - s0)))" \
	test $(($(engine completed) - c0)) = $(($(engine submitted) - s0))
t_check "kill: nothing pinned, no endpoint, region or pull left" \
	test "$(driver_idle)" = "endpoints_open=0 pinned_pages=0 regions=0 pulls=0"
b1
t_check "kill: board 1 counted the copies, no fallback, bytes = the engine's" \
	test "$(moved fallbacks) $(moved bytes)" = "0 $(($(engine bytes) - S[ebytes]))"

# 9. A pull that fails (its sender killed: the next PULL is refused)
# while copies of its replies are in flight: no PULL_DONE before the
# engine completed the last of them (omx_pull_test dmafail checks it
# at each step); then every copy completed, nothing pinned.
echo 100000 > "$SWP/delay_us"
snap
s0=$(engine submitted) c0=$(engine completed)
if tc qdisc add dev veth0 root netem delay 40ms; then
	out=$(omx_pull_test dmafail $((24 * 1048576 + 5)) "$DEV" 2>&1)
	st=$?
	tc qdisc del dev veth0 root
	printf '%s\n' "$out" | sed 's/^/  /'
	t_check "dmafail: omx_pull_test dmafail passes" test "$st" = 0
	t_match "dmafail: copies in flight when the sender died" \
		'^ok dmafail: [1-9][0-9]* copies in the engine when the sender died' "$out"
	t_match "dmafail: the pull failed with copies still in flight" \
		'^ok dmafail: [1-9][0-9]* copies still in the engine when it failed' "$out"
	t_match "dmafail: no event meanwhile" '^ok dmafail: no event while the copies are in flight' "$out"
	t_match "dmafail: PULL_DONE ENDPT_CLOSED after the last copy" \
		'^ok dmafail: PULL_DONE only once the engine completed every copy \(0 pending\)' "$out"
	t_match "dmafail: the buffer holds nothing but the sender's bytes" \
		'^ok dmafail: every byte is the sender.s or the fill \(0 others\)' "$out"
	t_nomatch "dmafail: no check failed" '^FAIL' "$out"
else
	t_check "netem available for dmafail (tc)" false
fi
t_check "dmafail: the engine completed every copy it was given ($(($(engine submitted) - s0)))" \
	test $(($(engine completed) - c0)) = $(($(engine submitted) - s0)) -a "$(engine_pending)" = 0
t_check "dmafail: nothing pinned, no endpoint, region or pull left" \
	test "$(driver_idle)" = "endpoints_open=0 pinned_pages=0 regions=0 pulls=0"
b1
t_check "dmafail: board 1 counted the copies, no fallback, bytes = the engine's" \
	test "$(moved fallbacks) $(moved bytes)" = "0 $(($(engine bytes) - S[ebytes]))"
echo 0 > "$SWP/reorder"

# 10. The engine's device unbound (hot-unplug) during a transfer.
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
b1
echo "  board 1: dma_fallbacks +$(moved fallbacks), dma_fallback_failed +$(moved fallback_failed), dma_fallback_refused +$(moved fallback_refused)"
t_check "unplug: the rest fell back to the CPU" test "$(moved fallbacks)" -gt 0
t_check "unplug: refused by the dead channel, counted on board 1" \
	test "$(moved fallback_refused)" -gt 0

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
