# SPDX-License-Identifier: GPL-2.0-or-later
# The test-only software DMA engine (tests/dmaengine/omx_swdma.ko,
# README.md there) checked by Linux's own dmatest (.cache/dmatest/,
# extracted from Debian's linux-source by make): memcpy tests on its two
# channels, in order, reordered and delayed, polled, with injected
# failures (which dmatest must report, as many as the engine injected);
# rmmod refused while dmatest holds the channels; the device unbound
# (hot-unplug) under a running test: queued copies aborted, no warning,
# freed once dmatest lets go; bound again and working; both modules
# unloaded.  Every dmatest summary line and the engine's counters are
# checked, not only exit statuses.  Part of tests/dmaengine/run.sh (one
# guest); alone: tests/vm/run --topology none --no-load THIS_FILE.
set -u
. tests/vm/lib.sh

SW=$(omx_test_ko omx_swdma.ko tests/dmaengine/omx_swdma.ko)
DT=$(omx_test_ko dmatest.ko .cache/dmatest/dmatest.ko)
DEV=/sys/bus/platform/devices/omx_swdma
DRV=/sys/bus/platform/drivers/omx_swdma
SWP=/sys/module/omx_swdma/parameters
DTP=/sys/module/dmatest/parameters
start=$(date +%s)

if [ ! -f "$SW" ] || [ ! -f "$DT" ]; then
	t_fail "$SW and $DT are built (run make at the top)"
	t_done
	exit 1
fi

counter() { cat "$DEV/$1" 2>/dev/null || echo -1; }
# The kernel log since a mark, by timestamp: line numbers shift when a
# run logs so much (dmatest's data errors) that the ring buffer wraps.
klog_mark() { dmesg | tail -n 1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'; }
klog_since() {
	dmesg | awk -v t="${1:-0}" '{
		s = $0; sub(/^\[ */, "", s); sub(/\].*/, "", s)
		if (s + 0 > t + 0) print }'
}
# summary LOG: "LINES TESTS FAILURES" over dmatest's summary lines
summary() {
	printf '%s\n' "$1" |
		grep -oE 'dma[0-9]+chan[0-9]+-copy[0-9]+: summary [0-9]+ tests, [0-9]+ failures' |
		awk '{ n++; t += $3; f += $5 } END { printf "%d %d %d\n", n, t, f }'
}
# dmatest_run: one run of dmatest with its current parameters, to the
# end; RUN_LOG gets the kernel log of the run
dmatest_run() {
	local mark
	mark=$(klog_mark)
	echo 1 > "$DTP/run"
	timeout 120 cat "$DTP/wait" > /dev/null
	RUN_LOG=$(klog_since "$mark")
}
# dmatest_set NAME=VALUE...
dmatest_set() {
	local kv
	for kv; do echo "${kv#*=}" > "$DTP/${kv%%=*}"; done
}
swdma_set() {
	local kv
	for kv; do echo "${kv#*=}" > "$SWP/${kv%%=*}"; done
}
chans_in_use() { cat "$DEV"/dma/dma*chan*/in_use 2>/dev/null | tr '\n' ' '; }

klines=$(klog_mark)
t_check "insmod omx_swdma.ko channels=2" insmod "$SW" channels=2
t_check "the driver bound the device: 2 channels" test "$(counter nr_channels)" = 2
t_check "two dmaengine channels under the device" \
	test "$(find "$DEV/dma/" -maxdepth 1 -name 'dma*chan*' 2>/dev/null | wc -l)" = 2
t_match "no channel in use before dmatest" '^0 0 $' "$(chans_in_use)"

t_check "insmod dmatest.ko" insmod "$DT" device=omx_swdma timeout=20000

# 1. Plain: 50 copies per channel, in order.
dmatest_set iterations=50 threads_per_chan=1
c0=$(counter completed)
dmatest_run
t_match "plain: 2 threads, 100 tests, 0 failures" '^2 100 0$' "$(summary "$RUN_LOG")"
t_check "plain: the engine completed the 100 copies" test $(($(counter completed) - c0)) = 100
t_check "plain: the engine counted bytes" test "$(counter bytes)" -gt 0
t_check "plain: no failure counted" test "$(counter failed)" = 0
t_match "dmatest holds both channels" '^1 1 $' "$(chans_in_use)"

out=$(rmmod omx_swdma 2>&1)
t_check "rmmod omx_swdma is refused while dmatest holds its channels" \
	test -d /sys/module/omx_swdma
t_match "rmmod says the module is in use" 'in use' "$out"
t_check "omx_swdma's refcount counts the two held channels" \
	test "$(cat /sys/module/omx_swdma/refcnt)" -ge 2

# 2. Reordered and delayed: 4 threads per channel, batches of up to 4
# completed newest first after 3 ms.
swdma_set reorder=4 delay_us=3000
dmatest_set iterations=25 threads_per_chan=4
c0=$(counter completed)
r0=$(counter reordered)
dmatest_run
t_match "reorder: 8 threads, 200 tests, 0 failures" '^8 200 0$' "$(summary "$RUN_LOG")"
t_check "reorder: the engine completed the 200 copies" test $(($(counter completed) - c0)) = 200
r1=$(counter reordered)
echo "completed ahead of an older descriptor: $((r1 - r0))"
t_check "reorder: completions really came out of order" test $((r1 - r0)) -gt 0

# 3. Polled: dmatest polls tx_status instead of waiting for callbacks.
# One poller only: dma_sync_wait() spins without yielding, and with as
# many pollers as vCPUs the engine's work (a CPU) never runs.
swdma_set reorder=0 delay_us=0
dmatest_set iterations=50 threads_per_chan=1 polled=1 max_channels=1
dmatest_run
t_match "polled: 1 thread, 50 tests, 0 failures" '^1 50 0$' "$(summary "$RUN_LOG")"
dmatest_set polled=0 max_channels=0

# 4. Injected failures: every 5th descriptor fails; dmatest must see each.
swdma_set fail_every=5
dmatest_set iterations=50
c0=$(counter completed)
f0=$(counter failed)
dmatest_run
swdma_set fail_every=0
t_match "fail_every=5: 2 threads, 100 tests, 20 failures" '^2 100 20$' "$(summary "$RUN_LOG")"
t_check "fail_every=5: the engine failed 20 descriptors" test $(($(counter failed) - f0)) = 20
t_check "fail_every=5: and copied the 80 others" test $(($(counter completed) - c0)) = 80
t_check "fail_every=5: dmatest reported 20 'completion error status'" \
	test "$(printf '%s\n' "$RUN_LOG" | grep -c "'completion error status'")" = 20

# 5. Hot-unplug: the device unbound under a running test whose copies
# wait 200 ms each (4 s a thread); dmatest keeps its channels until it
# stops.  At 50 ms (1 s a thread) a loaded host once let dmatest finish
# before the unbind came, 1.3 s after the start, and nothing was
# aborted.  Once unbound, each copy left fails at prep (dmatest then
# sleeps 100 ms).
swdma_set delay_us=200000
dmatest_set iterations=20
mark=$(klog_mark)
s0=$(counter submitted)
echo 1 > "$DTP/run"
t_check "unbind: dmatest is submitting" \
	omx_wait_for 20 sh -c "test \$(cat $DEV/submitted) -gt $s0"
t_check "unbind the device while dmatest holds its channels" \
	sh -c "echo omx_swdma > $DRV/unbind"
timeout 120 cat "$DTP/wait" > /dev/null
RUN_LOG=$(klog_since "$mark")
set -- $(summary "$RUN_LOG")
t_check "unbind: dmatest ended (2 threads, 40 tests)" test "${1:-0} ${2:-0}" = "2 40"
t_check "unbind: the aborted and refused copies are dmatest failures" test "${3:-0}" -gt 0
t_match "unbind: a queued copy completed as aborted (error status)" \
	"'completion error status'" "$RUN_LOG"
t_match "unbind: later copies could not be prepared" "'prep error'" "$RUN_LOG"
t_match "unbind: the engine said its channels were still held" \
	'omx_swdma: unbound with 2 channel\(s\) still held' "$RUN_LOG"
t_check "unbind: the channels left /sys/class/dma" \
	test -z "$(ls /sys/class/dma/ 2>/dev/null)"
mark=$(klog_mark)
dmatest_set run=0
log=$(klog_since "$mark")
t_match "unbind: freed once dmatest released the channels, aborts counted" \
	'omx_swdma: released: [0-9]+ copies \([0-9]+ bytes\), [0-9]+ failed, [1-9][0-9]* aborted' "$log"
t_check "unbind: omx_swdma's refcount is back to 0" \
	test "$(cat /sys/module/omx_swdma/refcnt)" = 0

# 6. Bound again: a fresh device that works.
swdma_set delay_us=0
t_check "bind the device again" sh -c "echo omx_swdma > $DRV/bind"
t_check "rebound: 2 channels, counters from 0" \
	test "$(counter nr_channels) $(counter completed)" = "2 0"
dmatest_set iterations=20
dmatest_run
t_match "rebound: 2 threads, 40 tests, 0 failures" '^2 40 0$' "$(summary "$RUN_LOG")"
t_check "rebound: the engine completed the 40 copies" test "$(counter completed)" = 40

# 7. Unload: dmatest first (it releases the channels), then the engine.
t_check "rmmod dmatest" rmmod dmatest
mark=$(klog_mark)
t_check "rmmod omx_swdma" rmmod omx_swdma
t_check "omx_swdma is gone" test ! -d /sys/module/omx_swdma
t_check "its platform device is gone" test ! -e "$DEV"
t_match "rmmod released the device at once" 'omx_swdma: released: 40 copies' \
	"$(klog_since "$mark")"

log=$(klog_since "$klines")
bad=$(printf '%s\n' "$log" | grep -v 'module verification failed' |
	grep -Ei 'Unknown symbol|disagrees about version|called while|refcount|leak')
t_check "no symbol, reference or leak complaint in the kernel log" test -z "$bad"
[ -z "$bad" ] || printf '%s\n' "$bad" | sed 's/^/  | /'
echo "wall time $(($(date +%s) - start)) s"
t_done
