#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Apply our myri10ge patch to Debian's pristine Linux 6.1 source and build
# the patched driver out of tree, with W=1, against the kernel headers.
#
#   firmware-patch/myri10ge/build.sh [--tools] [--sparse] [--quiet]
#
# Every *.patch of this directory is applied, in name order, with no fuzz
# and no offset, to a copy of drivers/net/ethernet/myricom/myri10ge/ and
# MAINTAINERS taken from the linux-source tarball.  Then myri10ge.ko and
# the probe module (probe/) are built.  The build fails on any compiler
# or modpost warning.
#   --tools   also extract checkpatch.pl, its data files and kernel-doc
#             into build/checkpatch/ (the tests use them)
#   --sparse  also run sparse (C=2) over the pristine and the patched
#             driver; fail if the patch adds a sparse warning
#   --quiet   print only errors
#
# Inputs, from config.mk unless set in the environment:
#   KDIR                   kernel build tree (linux-headers-amd64)
#   CHECKPATCH_TARBALL     Debian's linux-source-6.1.tar.xz
# Output, under MYRI10GE_BUILD (default firmware-patch/myri10ge/build):
#   myri10ge.ko, myri10ge_omx_probe.ko  the modules
#   build.log                           everything make printed
#   pristine/                           what was taken from the tarball
#                                       (kept: extracting takes a while)
#   tree/                               the patched copy, where the
#                                       modules are built
#   checkpatch/                         with --tools
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tools=0
sparse=0
quiet=0
for arg in "$@"; do
	case "$arg" in
	--tools) tools=1 ;;
	--sparse) sparse=1 ;;
	--quiet) quiet=1 ;;
	-h|--help) sed -n '3,29s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "build.sh: unknown option $arg" >&2; exit 2 ;;
	esac
done

say() { [ "$quiet" = 1 ] || echo "$@"; }
die() { echo "myri10ge build: $*" >&2; exit 1; }

config() {
	[ -f "$top/config.mk" ] || return 0
	sed -n "s/^$1 *:\?= *//p" "$top/config.mk" | tail -n 1
}
KDIR=${KDIR:-$(config KDIR)}
KDIR=${KDIR:-/lib/modules/$(uname -r)/build}
tarball=${CHECKPATCH_TARBALL:-$(config CHECKPATCH_TARBALL)}
tarball=${tarball:-/usr/src/linux-source-6.1.tar.xz}
out=${MYRI10GE_BUILD:-$here/build}

[ -f "$KDIR/Makefile" ] || die "no kernel build tree at $KDIR: apt-get install linux-headers-amd64 and rerun ./configure"
[ -r "$tarball" ] || die "no $tarball: apt-get install linux-source-6.1 and rerun ./configure"
patches=("$here"/*.patch)
[ -f "${patches[0]}" ] || die "no patch in $here"
mkdir -p "$out" || die "cannot create $out"

drv=drivers/net/ethernet/myricom/myri10ge
# Debian's tarball holds everything under linux-source-6.1/.
topdir=$(basename "$tarball")
topdir=${topdir%.tar.*}

# extract DIR MEMBER...: the members (paths under $topdir) into
# $out/DIR, once per tarball.  The tarball is in 24 MiB xz blocks, which
# xz 5.4 decompresses in parallel; tar stops after the last member, so
# the driver alone (half-way through the archive) comes out sooner.
extract() {
	local dir=$1 stamp
	shift
	stamp="$tarball $(stat -c '%s %Y' "$tarball") $*"
	[ "$(cat "$out/$dir/.stamp" 2>/dev/null)" = "$stamp" ] && return 0
	say "extracting $dir/ from $tarball"
	rm -rf "${out:?}/$dir" "$out/$dir.tmp"
	mkdir -p "$out/$dir.tmp"
	xz -dc -T0 "$tarball" |
		tar -x -C "$out/$dir.tmp" --strip-components=1 --occurrence=1 \
			"${@/#/$topdir/}" ||
		die "extracting $* from $tarball failed"
	for m in "$@"; do
		[ -f "$out/$dir.tmp/$m" ] || die "$tarball has no $topdir/$m"
	done
	echo "$stamp" > "$out/$dir.tmp/.stamp"
	mv "$out/$dir.tmp" "$out/$dir"
}

# 1. The pristine files.
extract pristine MAINTAINERS "$drv/Makefile" "$drv/myri10ge.c" \
	"$drv/myri10ge_mcp.h" "$drv/myri10ge_mcp_gen_header.h"
if [ "$tools" = 1 ]; then
	extract tools scripts/checkpatch.pl scripts/spelling.txt \
		scripts/const_structs.checkpatch scripts/kernel-doc
	mkdir -p "$out/checkpatch"
	cp "$out"/tools/scripts/* "$out/checkpatch/"
fi

# 2. A fresh patched copy.
rm -rf "$out/tree"
mkdir -p "$out/tree/$drv"
cp "$out/pristine/MAINTAINERS" "$out/tree/"
cp "$out/pristine/$drv"/* "$out/tree/$drv/"
for p in "${patches[@]}"; do
	say "applying $(basename "$p")"
	log=$(patch -d "$out/tree" -p1 -F0 -N --no-backup-if-mismatch < "$p" 2>&1)
	st=$?
	if [ "$quiet" = 0 ] || [ "$st" -ne 0 ]; then
		printf '%s\n' "$log" | sed 's/^/  /'
	fi
	[ "$st" -eq 0 ] || die "$(basename "$p") does not apply"
	if printf '%s\n' "$log" | grep -Eq 'offset|fuzz'; then
		die "$(basename "$p") applies only with an offset: refresh it against $tarball"
	fi
done

# 3. Build both modules in one kbuild run over the copy, at W=1.  KCFLAGS
# finds the patch's include/linux/myri10ge.h, which the installed headers
# do not have.
mkdir -p "$out/tree/probe"
cp "$here"/probe/Kbuild "$here"/probe/*.c "$out/tree/probe/"
printf 'obj-m += %s/\nobj-m += probe/\n' "$drv" > "$out/tree/Kbuild"
say "building myri10ge.ko and myri10ge_omx_probe.ko (W=1) against $KDIR"
make -C "$KDIR" M="$out/tree" W=1 KCFLAGS="-I$out/tree/include" \
	-j "$(nproc)" modules > "$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	die "the build failed"
}
warnings=$(grep -Eic '(^|[^a-z_])warning' "$out/build.log")
if [ "$warnings" -ne 0 ]; then
	grep -Ei '(^|[^a-z_])warning' "$out/build.log" >&2
	die "$warnings warning(s), see $out/build.log"
fi
cp "$out/tree/$drv/myri10ge.ko" "$out/tree/probe/myri10ge_omx_probe.ko" "$out/"
say "myri10ge.ko and myri10ge_omx_probe.ko: 0 warnings"

# 4. Optionally, sparse: the patch must not add a warning of its own.
if [ "$sparse" = 1 ]; then
	command -v sparse > /dev/null || die "sparse missing: apt-get install sparse"
	rm -rf "$out/sparse"
	mkdir -p "$out/sparse/pristine" "$out/sparse/patched"
	cp "$out/pristine/$drv"/* "$out/sparse/pristine/"
	cp "$out/tree/$drv"/* "$out/sparse/patched/"
	for v in pristine patched; do
		make -C "$KDIR" M="$out/sparse/$v" W=1 C=2 KCFLAGS="-I$out/tree/include" \
			modules > "$out/sparse/$v.log" 2>&1 ||
			die "sparse build of the $v driver failed, see $out/sparse/$v.log"
		# Compare messages without their line numbers, which the patch shifts.
		grep -E ': (warning|error):' "$out/sparse/$v.log" |
			sed -E 's|^.*/([^/:]+):[0-9]+:[0-9]+:|\1:|' | sort > "$out/sparse/$v.msgs"
	done
	added=$(comm -13 "$out/sparse/pristine.msgs" "$out/sparse/patched.msgs")
	if [ -n "$added" ]; then
		printf '%s\n' "$added" >&2
		die "the patch adds sparse warnings"
	fi
	say "sparse: nothing new ($(wc -l < "$out/sparse/pristine.msgs") warning(s) already in Linux 6.1's driver)"
fi
exit 0
