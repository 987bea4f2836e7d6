#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# debian/libomx0.symbols states, for each shared library of libomx0
# (libomx.so.0 and its filter libmyriexpress.so), every dynamic symbol
# with the package version that first exported it.  dpkg-shlibdeps turns
# it into the "libomx0 (>= VERSION)" that programs depend on.  A name the
# file lacks only draws a warning from the package build (which then
# dates it to whatever version is being built), and one it lists that the
# library no longer exports fails that build late; so the file is kept
# true here, in every make check.  This test fails, one line per problem,
# when
#  - a library exports a name that the file does not list under its
#    soname, or the file lists one the library does not export
#    (nm -D --defined-only);
#  - the file has a section for a soname no library of libomx0 has, or
#    lacks one (the libraries: debian/libomx0.install);
#  - a version in the file is later than the package's (debian/changelog);
#  - dpkg-gensymbols at its strictest level (-c4), which reads the file as
#    the package build does, does not accept it.
# Needs the libraries built (make), nm, readelf and dpkg-dev.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/check_lib.sh

symbols=debian/libomx0.symbols
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the package's libraries, as built in libomx/
libs=$(sed -n 's|^usr/lib/\*/\(lib[^/]*\.so[.0-9]*\)$|libomx/\1|p' debian/libomx0.install)
[ -n "$libs" ] || nok "a shared library in debian/libomx0.install" "none found: update $0"
for f in $symbols $libs; do
	[ -e "$f" ] || { nok "$f exists" "run make"; exit 1; }
done

version=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
[ -n "$version" ] || nok "a version on the first line of debian/changelog"

# the file's sections: SONAME.listed holds "name@version-node minver" lines
# shellcheck disable=SC2016
check "$symbols: sections of one soname line, then \" name@node version\" lines" \
	awk -v dir="$tmp" '
	/^#/ || /^\*/ || /^[[:space:]]*$/ { next }
	/^[^[:space:]]/ { out = dir "/" $1 ".listed"; printf "" > out; print $1 > (dir "/sonames"); next }
	/^ / && out != "" { print $1, $2 > out; next }
	{ print "unexpected line: " $0; bad = 1 }
	END { exit bad }' "$symbols"

: > "$tmp/built"
for lib in $libs; do
	soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
	if [ -z "$soname" ]; then
		nok "$lib has a soname"
		continue
	fi
	echo "$soname" >> "$tmp/built"
	if [ ! -f "$tmp/$soname.listed" ]; then
		nok "$symbols has a section for $soname ($lib)" "add \"$soname libomx0 #MINVER#\" and its symbols"
		continue
	fi
	# dpkg's spelling: NAME@Base when the library has no version node
	nm -D --defined-only "$lib" |
		awk 'NF == 3 { n = $3; sub(/@@?/, "@", n); if (n !~ /@/) n = n "@Base"; print n }' |
		LC_ALL=C sort -u > "$tmp/exported"
	awk '{ print $1 }' "$tmp/$soname.listed" | LC_ALL=C sort -u > "$tmp/listed"
	# one line per name on one side only: "<" listed, ">" exported
	before=$failed
	while read -r side n; do
		if [ "$side" = ">" ]; then
			nok "$symbols lists $n under $soname" "$lib exports it: add it with the version that first ships it"
		else
			nok "$lib exports $n" "$symbols lists it under $soname"
		fi
	done < <(LC_ALL=C diff "$tmp/listed" "$tmp/exported" | grep '^[<>]')
	[ "$failed" != "$before" ] || ok "$lib exports exactly the $(wc -l < "$tmp/listed") names $symbols lists under $soname"
	while read -r n v; do
		if [ -z "$v" ]; then
			nok "$symbols: $n under $soname has a version"
		elif [ -n "$version" ] && ! dpkg --compare-versions "$v" le "$version"; then
			nok "$symbols: $n under $soname has a version up to the package's $version" "$v"
		fi
	done < "$tmp/$soname.listed"
done
for s in $(LC_ALL=C comm -13 <(LC_ALL=C sort -u "$tmp/built") <(LC_ALL=C sort -u "$tmp/sonames" 2>/dev/null)); do
	nok "$symbols: the section $s is a library of debian/libomx0.install" "no such soname built"
done

# Debian's own reading of the file, as dh_makeshlibs does, but failing on
# any difference (-c4): new or missing symbols or libraries
elist=()
for lib in $libs; do
	elist+=("-e$lib")
done
out=$(dpkg-gensymbols -plibomx0 -v"$version" -c4 "${elist[@]}" -I"$symbols" -O/dev/null 2>&1)
st=$?
[ "$st" = 0 ] || printf '%s\n' "$out" | sed 's/^/  | /'
check "dpkg-gensymbols -c4 accepts $symbols" test "$st" = 0

echo "$failed failed"
[ "$failed" = 0 ]
