#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/vm/logcheck, the harness's verdict on a guest kernel log: each
# kind of bad line, alone in an otherwise clean log, must fail the run
# and be quoted; clean logs (a boot, omx's own notices) must pass.  The
# sample lines are copied from what Debian's 6.1 kernel prints.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/tests/vm/logcheck
failed=0 passed=0

clean='[    0.000000] Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org)
[    0.000000] Command line: console=ttyS0 loglevel=7 panic=-1 mitigations=off slub_debug=FZPU omx.run=/work/omx/tests/vm/.runs/vm_selftest_hung_task.9eCzRv
[    1.234567] omx: loaded, ABI 0x105
[    2.000001] omx: board 1 (veth1): detached by force, 2 endpoint(s) are now dead
[    2.100000] veth1: renamed from eth0
[    3.000000] omx: omx_fuzz[812] was built for ABI 0x1105 but this driver speaks ABI 0x105; rebuild it against the loaded driver'

# (the run directory, named after the test, is on the command line: a
# test named after a pattern must not fail because of its name)

# bad lines, one per pattern of tests/vm/logcheck --patterns
bad_lines=(
'[   12.345678] Oops: 0002 [#1] PREEMPT SMP NOPTI'
'[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008'
'[   12.345678] BUG: Bad page state in process omx_fuzz  pfn:0a1b2'
'[   12.345678] kernel BUG at mm/slub.c:432!'
'[   12.345678] WARNING: CPU: 1 PID: 812 at driver/linux/omx_pull.c:321 omx_pull_done+0x1a/0x40 [omx]'
'[   12.345678] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP NOPTI'
'[   12.345678] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [omx_fuzz:812]'
'[   12.345678] Watchdog detected hard LOCKUP on cpu 1'
'[   12.345678] list_add corruption. prev->next should be next (ffff9a0c41c2d2a8), but was 0000000000000000.'
'[   12.345678] list_del corruption, ffff9a0c41c2d2a8->next is LIST_POISON1 (dead000000000100)'
'[   12.345678] refcount_t: underflow; use-after-free.'
'[   12.345678] UBSAN: shift-out-of-bounds in driver/linux/omx_peer.c:42:17'
'[   12.345678] Kernel panic - not syncing: Fatal exception in interrupt'
'[  125.000000] INFO: task sh:301 blocked for more than 120 seconds.'
'[  125.000000] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.'
'[   12.345678] unregister_netdevice: waiting for veth1 to become free. Usage count = 2'
'[   12.345678] rcu: INFO: rcu_preempt self-detected stall on CPU'
'[   12.345678] virtio_net virtio2 eth0: NETDEV WATCHDOG: CPU: 0: transmit queue 0 timed out 5120 ms'
'[   12.345678] omx_fuzz: page allocation failure: order:10, mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0'
'[   12.345678] BUG kmalloc-128 (Tainted: G           OE     ): Poison overwritten'
'[   12.345678] BUG omx_peer (Not tainted): Redzone overwritten'
# the debug kernel's detectors (tests/vm/debug-kernel)
'[   12.345678] BUG: KASAN: slab-out-of-bounds in omx_recv_frame+0x4c2/0x9e0 [omx]'
'[   12.345678] BUG: KASAN: use-after-free in omx_pull_done+0x1a/0x40 [omx]'
'[   12.345678] WARNING: possible circular locking dependency detected'
'[   12.345678] WARNING: possible recursive locking detected'
'[   12.345678] WARNING: inconsistent lock state'
'[   12.345678] WARNING: suspicious RCU usage'
'[   12.345678] INFO: trying to register non-static key.'
'[   12.345678] BUG: sleeping function called from invalid context at mm/slab.h:742'
'[   12.345678] BUG: scheduling while atomic: omx_fuzz/812/0x00000002'
'[   12.345678] UBSAN: array-index-out-of-bounds in driver/linux/omx_ring.c:88:9'
)

ok() { echo "ok - $1"; passed=$((passed + 1)); }
nok() { echo "not ok - $1"; failed=$((failed + 1)); }

if out=$(printf '%s\n' "$clean" | "$check"); then
	ok "a clean log passes"
else
	nok "a clean log passes (logcheck said: $out)"
fi
"$check" /dev/null > /dev/null && ok "an empty log passes" || nok "an empty log passes"

for line in "${bad_lines[@]}"; do
	if out=$(printf '%s\n%s\n%s\n' "$clean" "$line" "$clean" | "$check"); then
		nok "fails: $line"
	elif [ "$out" != "$line" ]; then
		nok "quotes the line: $line (quoted: $out)"
	else
		ok "fails: $line"
	fi
done

# every pattern has a sample above that matches it and no other sample's
# pattern hides it: each pattern alone must match some bad line
while IFS=$'\t' read -r re why; do
	hit=0
	for line in "${bad_lines[@]}"; do
		printf '%s\n' "$line" | grep -Eq -- "$re" && hit=1
	done
	[ "$hit" = 1 ] && ok "pattern /$re/ ($why) has a sample" ||
		nok "pattern /$re/ ($why) has no sample line in this test"
done < <("$check" --patterns)

# the files of a run, as tests/vm/run passes them
d=$(mktemp -d)
printf '%s\n' "$clean" > "$d/console.log"
printf '%s\n%s\n' "$clean" "${bad_lines[17]}" > "$d/dmesg"
if out=$("$check" "$d/console.log" "$d/dmesg"); then
	nok "a bad line in the second file fails"
else
	ok "a bad line in the second file fails"
fi
rm -rf "$d"

echo "test_logcheck: $passed ok, $failed failed"
[ "$failed" -eq 0 ]
