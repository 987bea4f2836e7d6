# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the MX suites (sourced after tests/vm/lib.sh).
MX_BIN=$OMX_TOP/tests/mx

# mx_need PROG...: the programs must have been linked (they are only
# compiled while libomx lacks the MX API).
mx_need() {
	local p
	for p in "$@"; do
		if [ ! -x "$MX_BIN/$p" ]; then
			echo "not ok - $p is not built: run make (libomx must define the MX API)"
			t_fail "$p built"
			t_done
			exit 1
		fi
	done
}

# mx_run DESC SECONDS PROG ARGS...: run a test program, show its output,
# count its exit status as one check and every "not ok" line as a failure.
mx_run() {
	local desc=$1 secs=$2 out st
	shift 2
	out=$(timeout -k 5 "$secs" "$@" 2>&1)
	st=$?
	printf '%s\n' "$out" | sed "s/^/  [$desc] /"
	[ "$st" -ne 124 ] || echo "  [$desc] killed after $secs s"
	t_check "$desc: exit status 0" test "$st" = 0
	t_nomatch "$desc: no failed check" '^not ok' "$out"
	t_match "$desc: checks ran" '^ok - ' "$out"
}

# mx_discover HOST: wait until the driver knows HOST (a board hostname).
mx_discover() {
	omx_wait_for 60 sh -c "omx_info -d 2>/dev/null | grep -q 'hostname=$1'"
}
