# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 120
# omx-vm-expect: fail kernel log of .* reports: .*NETDEV WATCHDOG
# omx-vm-expect-not: script exited with status
# The kernel-log lines that Debian's kernel cannot be made to print for
# real in a test guest without breaking it (a corrupt struct page, SLUB
# finding a red zone overwritten) or without fault injection, which it
# lacks (a failed page allocation), plus the transmit watchdog, written
# into the kernel log through /dev/kmsg.  Each is written alone and
# tests/vm/logcheck (the harness's check) must flag the guest's dmesg
# with just that line; then the log is left holding them so that the
# harness fails the run.  tests/vm/selftest/hung_task.sh triggers its
# pattern for real.
. tests/vm/lib.sh
lines=(
	"virtio_net virtio1 eth0: NETDEV WATCHDOG: CPU: 0: transmit queue 0 timed out 5120 ms"
	"omx_fuzz: page allocation failure: order:10, mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0"
	"BUG: Bad page state in process omx_fuzz  pfn:0a1b2"
	"BUG kmalloc-128 (Tainted: G           OE     ): Redzone overwritten"
)
t_check "a clean kernel log passes" tests/vm/logcheck <(dmesg)
for l in "${lines[@]}"; do
	dmesg -C
	echo "$l" > /dev/kmsg
	out=$(tests/vm/logcheck <(dmesg))
	st=$?
	t_check "flagged alone: $l" test "$st" = 1
	t_check "quoted: $l" grep -qF -- "$l" <<< "$out"
done
# all of them in the log the harness reads at the end
for l in "${lines[@]}"; do echo "$l" > /dev/kmsg; done
t_done
