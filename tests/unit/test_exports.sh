#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The dynamic symbols of the shared libraries are the MX API and nothing
# else, and both library names are one library.  libomx/libomx.map is the
# one list of exported names; this test fails, with one line per problem,
# when
#  - libomx/libomx.so.0 or libomx/libmyriexpress.so exports a name the map
#    does not list (a leak), or lacks one it lists (nm -D --defined-only);
#  - a listed name is not declared in a public header (libomx/include/),
#    or is not in docs/mx-api.md;
#  - a function of myriexpress.h or mx_extensions.h is not listed (mx_raw.h
#    is declared only: docs/mx-api.md);
#  - libmyriexpress.so is not a filter of libomx.so.0 (soname
#    libmyriexpress.so, DT_FILTER libomx.so.0) or has data of its own;
#  - a program linked with -lmyriexpress, or with both names, does not
#    get one copy of the library and of its state (exports_probe.c).
# Needs the libraries built (make), nm, readelf and cc.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

lib=libomx
map=$lib/libomx.map
problems=0
checked=0

problem() {
	echo "test_exports: $*"
	problems=$((problems + 1))
}

# names: stdin sorted, unique lines
names() {
	LC_ALL=C sort -u
}

# the names between "global:" and "local:" of the map, comments dropped
map_names() {
	sed -e 's|/\*.*\*/||g' -e '/\/\*/,/\*\//d' "$map" |
		sed -n '/^[[:space:]]*global:/,/^[[:space:]]*local:/p' |
		sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' | names
}

# exported NAME.so: its defined dynamic symbols
exported() {
	nm -D --defined-only "$1" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | names
}

# compare WHAT EXPECTED-FILE GOT-FILE: names missing from or added to GOT
compare() {
	local n
	checked=$((checked + 1))
	for n in $(LC_ALL=C comm -23 "$2" "$3"); do
		problem "$1 does not export $n (listed in $map)"
	done
	for n in $(LC_ALL=C comm -13 "$2" "$3"); do
		problem "$1 exports $n, which $map does not list (make it static, or list and document it)"
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$map" $lib/libomx.so.0 $lib/libmyriexpress.so; do
	if [ ! -e "$f" ]; then
		echo "test_exports: $f is missing (run make)"
		exit 1
	fi
done

map_names > "$tmp/map"
[ -s "$tmp/map" ] || problem "no name found in $map: update tests/unit/test_exports.sh"

# (a) exactly the listed names, from both files.
exported $lib/libomx.so.0 > "$tmp/omx"
exported $lib/libmyriexpress.so > "$tmp/mx"
compare $lib/libomx.so.0 "$tmp/map" "$tmp/omx"
compare $lib/libmyriexpress.so "$tmp/map" "$tmp/mx"

# (b) the public headers: the functions they declare (gcc -aux-info gives
# one prototype a line with its header) and their extern objects.
hdrs="myriexpress.h mx_extensions.h mx_raw.h omx_stats.h"
for h in $hdrs; do
	echo "#include <$h>"
done > "$tmp/hdrs.c"
if ! cc -I$lib/include -fsyntax-only -aux-info "$tmp/aux" "$tmp/hdrs.c"; then
	problem "the public headers do not compile"
fi
for h in $hdrs; do
	grep "/$h:" "$tmp/aux" 2>/dev/null |
		sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p'
	sed -n 's/^extern[^"(]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' "$lib/include/$h"
done | names > "$tmp/declared"
[ -s "$tmp/declared" ] || problem "no declaration found in $lib/include: update tests/unit/test_exports.sh"
for h in myriexpress.h mx_extensions.h omx_stats.h; do
	grep "/$h:" "$tmp/aux" 2>/dev/null |
		sed -n 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p'
done | names > "$tmp/api"
checked=$((checked + 1))
for n in $(LC_ALL=C comm -23 "$tmp/map" "$tmp/declared"); do
	problem "$map lists $n, which no header of $lib/include declares"
done
for n in $(LC_ALL=C comm -13 "$tmp/map" "$tmp/api"); do
	problem "$n is declared in myriexpress.h, mx_extensions.h or omx_stats.h but $map does not list it"
done

# (c) every exported name is in the API description.
checked=$((checked + 1))
while read -r n; do
	grep -Eq "(^|[^A-Za-z0-9_])$n([^A-Za-z0-9_]|\$)" docs/mx-api.md ||
		problem "docs/mx-api.md does not mention $n"
done < "$tmp/map"

# (d) libmyriexpress.so is a filter of libomx.so.0 without data of its own.
checked=$((checked + 1))
dyn=$(readelf -d $lib/libmyriexpress.so)
printf '%s\n' "$dyn" | grep -q 'Library soname: \[libmyriexpress.so\]' ||
	problem "$lib/libmyriexpress.so: soname is not libmyriexpress.so"
printf '%s\n' "$dyn" | grep -q '(FILTER).*\[libomx.so.0\]' ||
	problem "$lib/libmyriexpress.so is not a filter (DT_FILTER) of libomx.so.0"
for size in $(readelf -SW $lib/libmyriexpress.so | sed 's/^ *\[ *[0-9]*\]//' |
	awk '$1 ~ /^\.(data|bss|tbss|tdata)$/ { print $5 }'); do
	[ $((16#$size)) -eq 0 ] ||
		problem "$lib/libmyriexpress.so has data or bss of its own (a second copy of state)"
done
readelf -d $lib/libomx.so.0 | grep -q 'Library soname: \[libomx.so.0\]' ||
	problem "$lib/libomx.so.0: soname is not libomx.so.0"

# (e) one library at run time, by either name or both.
libdir=$top/$lib
probe_cflags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I$lib/include"
for variant in mx both; do
	checked=$((checked + 1))
	case $variant in
	mx) libs="-lmyriexpress" ;;
	both) libs="-lomx -lmyriexpress" ;;
	esac
	# shellcheck disable=SC2086
	if ! cc $probe_cflags -o "$tmp/probe_$variant" tests/unit/exports_probe.c \
		-L"$libdir" -Wl,-rpath,"$libdir" -Wl,--no-as-needed $libs -ldl; then
		problem "exports_probe ($libs) does not build"
		continue
	fi
	needed=$(readelf -d "$tmp/probe_$variant" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
	echo "# $libs: NEEDED $needed"
	case " $needed " in
	*" libmyriexpress.so "*) ;;
	*) problem "a program linked with $libs does not need libmyriexpress.so" ;;
	esac
	if ! out=$("$tmp/probe_$variant" "$libdir" 2>&1); then
		problem "exports_probe ($libs) failed: $(printf '%s\n' "$out" | grep '^not ok' | tr '\n' ';')"
	fi
	printf '%s\n' "$out" | sed "s/^/# [$variant] /"
done

if [ "$problems" -gt 0 ]; then
	echo "test_exports: $problems problem(s) in $checked checks"
	exit 1
fi
echo "test_exports: ok, $(wc -l < "$tmp/map") names exported, $checked checks"
