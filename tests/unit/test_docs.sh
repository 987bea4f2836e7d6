#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Keep the docs in step with the code. Fails, with one line per problem, when
#  - docs/abi.md does not give the OMX_ABI_VERSION of common/omx_abi.h;
#  - an OMX_CMD_* command of common/omx_abi.h is not in docs/abi.md;
#  - a counter name of OMX_COUNTER_NAMES is not in docs/abi.md and
#    docs/man/omx_counters.1;
#  - a module parameter (module_param*() in driver/linux/*.c) is not in
#    docs/module.md and docs/man/omx.4;
#  - a tool (tools/*.c) has no man page docs/man/TOOL.1, or an option its
#    getopt string or long-option table accepts is not in that page;
#  - an OMX_* environment variable that libomx reads (getenv() or
#    omx_env_u32() in libomx/*.c) is not in docs/mx-api.md and
#    docs/man/libmyriexpress.7;
#  - a man page in docs/man/ makes `groff -man -ww -z` complain.
# Needs bash, grep, sed and groff (Debian: groff-base).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

problems=0
checked=0

problem() {
	echo "test_docs: $*"
	problems=$((problems + 1))
}

# Roff source as plain text: font escapes dropped, \- turned into -, so
# that "\fB\-\-board\fR" reads "--board".
roff_text() {
	sed -e 's/\\f\[[A-Za-z]*\]//g' -e 's/\\f([A-Za-z][A-Za-z]//g' \
	    -e 's/\\f[A-Za-z0-9]//g' -e 's/\\(hy/-/g' -e 's/\\-/-/g' \
	    -e 's/\\%//g' -e 's/\\&//g' "$1"
}

# has_word TEXT WORD: WORD occurs in TEXT, not as part of a longer
# identifier or option (letters, digits, _ and - continue a word).
has_word() {
	printf '%s\n' "$1" | grep -Eq -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|\$)"
}

# need_word DOC TEXT WORD WHAT: record a problem unless WORD is in TEXT.
need_word() {
	checked=$((checked + 1))
	has_word "$2" "$3" || problem "$1 does not mention $4 $3"
}

read_doc() {
	if [ ! -f "$1" ]; then
		problem "$1 is missing"
		return
	fi
	case "$1" in
	docs/man/*) roff_text "$1" ;;
	*) cat "$1" ;;
	esac
}

abi_md=$(read_doc docs/abi.md)
module_md=$(read_doc docs/module.md)
omx_4=$(read_doc docs/man/omx.4)
counters_1=$(read_doc docs/man/omx_counters.1)

# (a) ioctl commands.
cmds=$(sed -n 's/^#define[[:space:]]\{1,\}\(OMX_CMD_[A-Z0-9_]\{1,\}\).*/\1/p' common/omx_abi.h)
[ -n "$cmds" ] || problem "no OMX_CMD_* found in common/omx_abi.h: update tests/unit/test_docs.sh"
for c in $cmds; do
	need_word docs/abi.md "$abi_md" "$c" "ioctl command"
done

# The ABI version the page describes.
version=$(sed -n 's/^#define[[:space:]]\{1,\}OMX_ABI_VERSION[[:space:]]\{1,\}\(0x[0-9a-fA-F]\{1,\}\).*/\1/p' common/omx_abi.h)
if [ -z "$version" ]; then
	problem "no OMX_ABI_VERSION found in common/omx_abi.h: update tests/unit/test_docs.sh"
else
	checked=$((checked + 1))
	printf '%s\n' "$abi_md" | grep -q "OMX_ABI_VERSION\` is \`$version\`" ||
		problem "docs/abi.md does not say \"\`OMX_ABI_VERSION\` is \`$version\`\""
fi

# Counter names.
counters=$(sed -n 's/.*\[OMX_COUNTER_[A-Z0-9_]*\][[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' common/omx_abi.h)
[ -n "$counters" ] || problem "no counter names found in common/omx_abi.h: update tests/unit/test_docs.sh"
for c in $counters; do
	need_word docs/abi.md "$abi_md" "$c" "counter"
	need_word docs/man/omx_counters.1 "$counters_1" "$c" "counter"
done

# (b) module parameters: the first argument of module_param(),
# module_param_named(), module_param_cb(), ... (calls may span lines).
params=$(cat driver/linux/*.c | tr '\n\t' '  ' |
	grep -oE '(^|[^A-Za-z0-9_])module_param[a-z_]*[[:space:]]*\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*' |
	sed -E 's/.*\([[:space:]]*//' | sort -u)
[ -n "$params" ] || problem "no module_param*() found in driver/linux/*.c: update tests/unit/test_docs.sh"
for p in $params; do
	need_word docs/module.md "$module_md" "$p" "module parameter"
	need_word docs/man/omx.4 "$omx_4" "$p" "module parameter"
done

# (c) tool options: the getopt() option string and the long-option table.
for src in tools/*.c; do
	[ -f "$src" ] || continue
	grep -q '^int main(' "$src" || continue
	tool=$(basename "$src" .c)
	page=docs/man/$tool.1
	if [ ! -f "$page" ]; then
		problem "$src: no man page $page"
		continue
	fi
	text=$(roff_text "$page")
	opts=
	shorts=$(grep -oE 'getopt(_long(_only)?)?[[:space:]]*\([^"]*"[^"]*"' "$src" |
		sed -E 's/.*"([^"]*)"$/\1/; s/^[-+]//; s/[:;]//g')
	for s in $shorts; do
		while [ -n "$s" ]; do
			opts="$opts -${s:0:1}"
			s=${s:1}
		done
	done
	longs=$(grep -oE '\{[[:space:]]*"[^"]+"[[:space:]]*,[[:space:]]*(no_argument|required_argument|optional_argument|[0-2])[[:space:]]*,' "$src" |
		sed -E 's/^\{[[:space:]]*"([^"]+)".*/\1/')
	for l in $longs; do
		opts="$opts --$l"
	done
	if [ -z "$opts" ]; then
		grep -q getopt "$src" &&
			problem "$src uses getopt but no option was found: update tests/unit/test_docs.sh"
		continue
	fi
	for o in $opts; do
		need_word "$page" "$text" "$o" "option"
	done
done

# (c2) environment variables of the library: a quoted OMX_NAME given to
# getenv() or omx_env_u32() (calls may span lines).
mx_md=$(read_doc docs/mx-api.md)
mx_7=$(read_doc docs/man/libmyriexpress.7)
envs=$(cat libomx/*.c | tr '\n\t' '  ' |
	grep -oE '(getenv|omx_env_[a-z0-9]+)[[:space:]]*\([[:space:]]*"OMX_[A-Z0-9_]+"' |
	sed -E 's/.*"(OMX_[A-Z0-9_]+)"/\1/' | sort -u)
[ -n "$envs" ] || problem "no OMX_* getenv() found in libomx/*.c: update tests/unit/test_docs.sh"
for v in $envs; do
	need_word docs/mx-api.md "$mx_md" "$v" "environment variable"
	need_word docs/man/libmyriexpress.7 "$mx_7" "$v" "environment variable"
done

# (d) every man page renders without a groff warning.
if ! command -v groff > /dev/null; then
	problem "groff not found: apt-get install groff-base (or run scripts/install-deps)"
else
	for page in docs/man/*.[1-9]; do
		[ -f "$page" ] || continue
		checked=$((checked + 1))
		if ! out=$(groff -man -ww -z "$page" 2>&1) || [ -n "$out" ]; then
			problem "$page: groff -man -ww -z: $(printf '%s' "$out" | head -n 1)"
		fi
	done
fi

if [ "$problems" -gt 0 ]; then
	echo "test_docs: $problems problem(s) in $checked checks"
	exit 1
fi
echo "test_docs: ok, $checked checks"
