# SPDX-License-Identifier: GPL-2.0-or-later
# omx's receive-copy offload (module parameter dma, docs/module.md "DMA
# offload") over the veth pair, with the test engine omx_swdma
# (tests/dmaengine/README.md): wire pulls board 0 -> 1 of odd sizes,
# segments and offsets arrive byte for byte (omx_pull_test wire) with
# every PULL_REPLY payload copied by the engine (omx's dma_copies and
# dma_bytes against rx_pull_reply and the engine's own bytes); with
# reordered and delayed completions; with failed descriptors (the CPU
# copies them: dma_fallbacks); over the thresholds only; under netem
# loss, duplication and reordering; with offload on and no channel (all
# CPU, counted); the puller killed with copies in flight (drained); the
# engine's device unbound during a transfer; nothing left pinned;
# everything unloads; omx_info's "dma:" line says off, then gives
# the parameters' values (no channel, then the engine's).  Part of
# tests/dmaengine/run.sh (one guest); alone: tests/vm/run --topology
# pair --no-load THIS_FILE.
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
load_omx() { omx_load veth0,veth1 dma=1 dma_min_frame=0 dma_min_pull=0 "$@"; }
info_dma() { omx_info | grep '^dma:'; }
# the "dma:" line omx_info should print, from the parameters themselves
want_dma() {
	echo "dma: channel=$(param dma_channel) copies=$(param dma_copies) bytes=$(param dma_bytes) fallbacks=$(param dma_fallbacks) ($(param dma_fallback_reasons | sed 's/,//g; s/ \([0-9]\)/=\1/g'))"
}

# 0. Offload off: omx_info says so.
t_check "load omx without dma" omx_load veth0,veth1
t_check "omx_info: dma: off" test "$(info_dma)" = "dma: off"
t_check "unload omx" omx_unload

# 1. Offload on, no channel: the CPU copies, counted.
t_check "load omx with dma=1 and no DMA engine" load_omx
t_check "dma_channel says none" test "$(param dma_channel)" = none
t_match "the kernel log says the copies stay on the CPU" \
	'omx: dma=1 but no DMA_MEMCPY channel' "$(dmesg)"
r0=$(counter 1 rx_pull_reply)
wire 2 300000 "no channel"
t_check "no channel: no copy offloaded" test "$(param dma_copies)" = 0
t_check "no channel: every reply counted as a fallback" \
	test "$(param dma_fallbacks)" = $(($(counter 1 rx_pull_reply) - r0))
line=$(info_dma)
echo "  omx_info: $line"
t_check "no channel: omx_info's dma line is the parameters'" test "$line" = "$(want_dma)"
t_match "no channel: omx_info counts every reply under no_channel" \
	"^dma: channel=none copies=0 bytes=0 fallbacks=$(($(counter 1 rx_pull_reply) - r0)) \\(no_channel=$(($(counter 1 rx_pull_reply) - r0)) no_memory=0 unsplit=0 refused=0 failed=0\\)\$" "$line"
t_check "unload omx" omx_unload

# 2. With the engine: every payload through it.
t_check "insmod omx_swdma.ko" insmod "$SW" channels=2
t_check "load omx with dma=1" load_omx
chan=$(param dma_channel)
t_match "omx took a channel of the engine" '^dma[0-9]+chan[0-9]+$' "$chan"
t_check "the engine shows that channel in use" test "$(cat "$DEV/dma/$chan/in_use" 2>/dev/null)" = 1
t_match "the kernel log names it" "omx: receive copies .* go to $chan \\(omx_swdma\\)" "$(dmesg)"
t_check_fails "rmmod omx_swdma refused while omx holds the channel" rmmod omx_swdma
r0=$(counter 1 rx_pull_reply)
eb0=$(engine bytes)
wire 3 1048576 "offload"
replies=$(($(counter 1 rx_pull_reply) - r0))
echo "  replies $replies, dma_copies $(param dma_copies), dma_bytes $(param dma_bytes), engine descriptors $(engine completed)"
t_check "offload: every reply copied by the engine (dma_copies = rx_pull_reply)" \
	test "$(param dma_copies)" = "$replies"
t_check "offload: no fallback" test "$(param dma_fallbacks)" = 0
t_check "offload: the engine copied exactly omx's dma_bytes" \
	test $(($(engine bytes) - eb0)) = "$(param dma_bytes)"
t_check "offload: the 3 pulls' bytes went through it" \
	test "$(param dma_bytes)" = $((1048576 * 3 - 1001 - 2002))
line=$(info_dma)
echo "  omx_info: $line"
t_check "offload: omx_info's dma line is the parameters'" test "$line" = "$(want_dma)"
t_match "offload: omx_info gives the channel, the copies and the bytes" \
	"^dma: channel=$chan copies=$replies bytes=$((1048576 * 3 - 1001 - 2002)) fallbacks=0 \\(no_channel=0 no_memory=0 unsplit=0 refused=0 failed=0\\)\$" "$line"

# 3. Reordered and delayed completions.
echo 4 > "$SWP/reorder"
echo 500 > "$SWP/delay_us"
ro0=$(engine reordered)
c0=$(param dma_copies)
wire 2 1048576 "reorder"
t_check "reorder: completions came out of order" test $(($(engine reordered) - ro0)) -gt 0
t_check "reorder: the replies still went through the engine" test "$(param dma_copies)" -gt "$c0"
t_check "reorder: no fallback" test "$(param dma_fallbacks)" = 0
echo 0 > "$SWP/reorder"
echo 0 > "$SWP/delay_us"

# 4. Failed descriptors: the CPU copies them again.
echo 7 > "$SWP/fail_every"
f0=$(engine failed)
wire 2 1048576 "fail_every=7"
echo 0 > "$SWP/fail_every"
failed=$(($(engine failed) - f0))
echo "  engine failed $failed descriptors, omx fell back for $(param dma_fallbacks) replies"
t_check "fail_every=7: the engine failed descriptors" test "$failed" -gt 0
t_check "fail_every=7: omx fell back to the CPU for them" \
	test "$(param dma_fallbacks)" -gt 0 -a "$(param dma_fallbacks)" -le "$failed"

# 5. Thresholds: frames under dma_min_frame stay on the CPU, uncounted.
echo 100000 > "$P/dma_min_frame"
c0=$(param dma_copies)
fb0=$(param dma_fallbacks)
wire 1 300000 "threshold"
t_check "threshold: nothing offloaded under dma_min_frame" test "$(param dma_copies)" = "$c0"
t_check "threshold: and no fallback counted" test "$(param dma_fallbacks)" = "$fb0"
echo 0 > "$P/dma_min_frame"

# 6. Loss, duplication and reordering on the wire (as driver/pull_pair).
c0=$(param dma_copies)
if modprobe sch_netem 2>/dev/null &&
   tc qdisc add dev veth0 root netem loss 3% duplicate 3% delay 1ms reorder 20% &&
   tc qdisc add dev veth1 root netem loss 3% duplicate 3%; then
	out=$(omx_pull_test lossy 3 4194304 2>&1)
	st=$?
	printf '%s\n' "$out" | sed 's/^/  /'
	t_check "netem: omx_pull_test lossy 3 4194304 passes" test "$st" = 0
	t_match "netem: every pull byte for byte" '^ok lossy wire: 4192302 bytes byte for byte' "$out"
	t_check "netem: the replies went through the engine" test "$(param dma_copies)" -gt "$c0"
	t_check "netem: no fallback" test "$(param dma_fallbacks)" = "$fb0"
	tc qdisc del dev veth0 root
	tc qdisc del dev veth1 root
else
	t_check "netem available (modprobe sch_netem, tc)" false
fi

# 7. The puller killed with copies in flight: the copies finish into
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

# 8. The engine's device unbound (hot-unplug) during a transfer.
echo 1000 > "$SWP/delay_us"
fb0=$(param dma_fallbacks)
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
t_check "unplug: the rest fell back to the CPU" test "$(param dma_fallbacks)" -gt "$fb0"

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
