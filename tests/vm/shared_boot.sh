# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host: boots two guests
# Shared boots (tests/check, tests/vm/batch.sh): tests that share a boot
# see nothing of the tests before them, are reported one by one, a kernel
# WARNING fails the test whose part of the log has it and no other, and
# the tests after a failed one get a boot of their own.  The fixtures are
# tests/vm/selftest/shared_boot/sb/*.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
. tests/check_lib.sh

logs=$(mktemp -d "${TMPDIR:-/tmp}/omx-shared-boot.XXXXXX")
trap 'rm -rf "$logs" tests/vm/logs/sbt_*' EXIT
out=$(tests/check --vm --tests tests/vm/selftest/shared_boot --logdir "$logs" \
	--name-prefix sbt_ 2>&1)
echo "$out" | sed 's/^/| /'

check "the first three fixtures shared one boot" matches '^shared boot pair_1: 4 tests in' "$out"
check "the dirty test passed" matches '^PASS: sb/1_dirty ' "$out"
check "the next one found nothing of it" matches '^PASS: sb/2_fresh ' "$out"
log2=$(cat "$logs/sb_2_fresh.log" 2>/dev/null)
check "... in the shared boot" matches '^test 2 of the shared boot pair_1' "$log2"
check "... by its seven checks" test "$(printf '%s\n' "$log2" | grep -c '^ok - ')" = 7
check "the WARNING failed its test" matches '^FAIL: sb/3_warn ' "$out"
check "... for its kernel log" matches 'its kernel log reports: .*WARNING: omx shared-boot self-test' \
	"$(cat "$logs/sb_3_warn.log" 2>/dev/null)"
check "... and no other test" sh -c '! grep -q "kernel log reports" "$0"/sb_1_dirty.log "$0"/sb_2_fresh.log' "$logs"
log4=$(cat "$logs/sb_4_after.log" 2>/dev/null)
check "the test after it passed" matches '^PASS: sb/4_after ' "$out"
check "... in a boot of its own" sh -c 'printf "%s\n" "$0" | grep -q "test 4 ran" &&
	! printf "%s\n" "$0" | grep -q "shared boot"' "$log4"
check "the counts" matches '^3 passed, 1 failed' "$out"
check "the guest logs of the failed shared boot are kept" test -d tests/vm/logs/sbt_pair_1

[ "$failed" -eq 0 ] && echo "shared_boot: all checks passed"
exit "$((failed != 0))"
