#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ./configure's optional parts (hwloc, PAPI with libsde, libbpf with
# clang), run in a scratch directory so that the tree's config.mk stays
# as it is.  pkg-config pointed at an empty directory finds none of them:
#  - by default each missing part is left out with one line, config.mk
#    says HAVE_X := 0 and the summary says "no", and configure succeeds;
#  - --with-hwloc makes the missing hwloc an error (exit 1, no config.mk);
#  - --without-hwloc says nothing about hwloc;
#  - an unknown option exits 2.
# With the real pkg-config (scripts/install-deps installed everything)
# every part is built.  Fails with one line per problem.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
problems=0
problem() {
	echo "test_configure: $*"
	problems=$((problems + 1))
}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$top/configure" "$dir/"
mkdir "$dir/nopc"

# run ARGS...: configure in $dir, pkg-config finding nothing unless
# $real; sets $st, $out (stdout), $err (stderr)
run() {
	rm -f "$dir/config.mk"
	if [ -n "${real-}" ]; then
		(cd "$dir" && ./configure "$@" > out 2> err)
	else
		(cd "$dir" && PKG_CONFIG_LIBDIR=$dir/nopc PKG_CONFIG_PATH= ./configure "$@" > out 2> err)
	fi
	st=$?
	out=$(cat "$dir/out")
	err=$(cat "$dir/err")
}
has() { grep -Eq -- "$2" <<< "$1"; }
count() { grep -Ec -- "$2" <<< "$1"; }

run
[ "$st" = 0 ] || problem "missing optional parts: exit $st, not 0: $err"
for w in 'hwloc not found .*: left out' 'PAPI not found .*: left out' 'libbpf not found .*: left out'; do
	[ "$(count "$err" "$w")" = 1 ] || problem "missing optional parts: not one line /$w/ in: $err"
done
for v in HAVE_HWLOC HAVE_PAPI HAVE_SDE HAVE_BPF; do
	grep -qx "$v := 0" "$dir/config.mk" 2>/dev/null || problem "missing optional parts: config.mk lacks '$v := 0'"
done
for w in 'process binding \(hwloc\) +no$' 'PAPI counters and events +no$' 'NIC-side steering \(BPF\) +no$' \
	'libfabric provider +no \(no libfabric-dev\)$'; do
	has "$out" "$w" || problem "missing optional parts: summary lacks /$w/"
done

run --with-hwloc
[ "$st" = 1 ] || problem "--with-hwloc without hwloc: exit $st, not 1"
has "$err" '^configure: error: hwloc not found' || problem "--with-hwloc without hwloc: no error line in: $err"
[ ! -e "$dir/config.mk" ] || problem "--with-hwloc without hwloc: config.mk written anyway"

run --without-hwloc --without-papi --without-bpf
[ "$st" = 0 ] || problem "--without-*: exit $st"
! has "$err" 'hwloc|PAPI|libsde|libbpf|clang' || problem "--without-*: still talks of them: $err"

run --with-nothing
[ "$st" = 2 ] || problem "unknown option: exit $st, not 2"

real=1 run
[ "$st" = 0 ] || problem "real pkg-config: exit $st: $err"
for v in HAVE_HWLOC HAVE_PAPI HAVE_SDE HAVE_BPF; do
	grep -qx "$v := 1" "$dir/config.mk" 2>/dev/null ||
		problem "real pkg-config: config.mk lacks '$v := 1' (scripts/install-deps)"
done

[ "$problems" = 0 ] && echo "test_configure: ok"
[ "$problems" = 0 ]
