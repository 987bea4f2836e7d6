# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the tests that do not use tests/vm/lib.sh's t_* (the
# "# omx-host:" tests and the myri10ge ones): TAP-like lines, a failure
# count, and regex matching on a text.
failed=0
ok() { echo "ok - $1"; }
nok() { echo "not ok - $1${2:+: $2}"; failed=$((failed + 1)); }
# check NAME CMD...: ok when CMD exits 0
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
# matches ERE TEXT: some line of TEXT matches ERE
matches() { printf '%s\n' "$2" | grep -Eq -- "$1"; }
