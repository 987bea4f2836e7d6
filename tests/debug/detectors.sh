# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-debug: --topology none --no-load --timeout 300
# omx-vm-expect: fail kernel log of .* reports: .*WARNING: possible circular locking dependency
# omx-vm-expect-not: script exited with status
# Harness self-test for the debug kernel (tests/check-debug): each
# detector reports a real bug of its kind, committed by the test module
# tests/debug/module/omx_debugtest.ko, and tests/vm/logcheck flags the
# guest's dmesg holding just that report; then the log keeps them all and
# the harness fails the run.  lockdep first: after its first report it
# turns itself off.  tests/debug/kmemleak.sh proves the leak check.
. tests/vm/lib.sh
mod=$(dirname "$OMX_KO")/omx_debugtest.ko
t_check "the test module is built ($mod)" test -f "$mod"
cases=(
	"lockdep:WARNING: possible circular locking dependency detected"
	"sleep:BUG: sleeping function called from invalid context"
	"ubsan:UBSAN: shift-out-of-bounds"
	"kasan:BUG: KASAN: slab-out-of-bounds"
)
t_check "a clean kernel log passes" tests/vm/logcheck <(dmesg)
# tests/check-debug boots without 5-level paging (KASAN's false early
# report under LA57): the guest must not have it
t_check "no la57 in the guest (4-level paging)" sh -c '! grep -qw la57 /proc/cpuinfo'
for c in "${cases[@]}"; do
	bug=${c%%:*} report=${c#*:}
	dmesg -C
	insmod "$mod" bug="$bug" && rmmod omx_debugtest
	out=$(tests/vm/logcheck <(dmesg))
	st=$?
	t_check "$bug: the kernel log fails the check" test "$st" = 1
	t_match "$bug: the check quotes '$report'" "$report" "$out"
done
t_done
