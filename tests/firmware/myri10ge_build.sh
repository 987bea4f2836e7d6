# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host: applies and builds the myri10ge patch on the host, no guest
# The myri10ge patch (firmware-patch/myri10ge/) applies to Debian's Linux
# 6.1 source with no fuzz, the patched driver and the probe module build
# out of tree at W=1 with no warning and no new sparse warning, the patch
# is a format-patch a netdev maintainer can take (checkpatch --strict
# clean, kernel-doc clean, signed off), and the module exports
# myri10ge_omx_endpoint_slice GPL-only.
set -u
cd "$(dirname "$0")/../.." || exit 1
dir=firmware-patch/myri10ge
out=${MYRI10GE_BUILD:-$dir/build}
. tests/check_lib.sh

start=$(date +%s)
"$dir/build.sh" --tools --sparse
st=$?
check "build.sh --tools --sparse: applies without fuzz, builds, no new sparse warning" test "$st" -eq 0
if [ "$st" -ne 0 ]; then
	echo "1 failed: nothing more to check"
	exit 1
fi
warnings=$(grep -Eic '(^|[^a-z_])warning' "$out/build.log")
check "W=1 build log has no warning ($warnings)" test "$warnings" -eq 0

cp_pl=$out/checkpatch/checkpatch.pl
for p in "$dir"/*.patch; do
	name=$(basename "$p")
	# On stdin: checkpatch reads a file that git tracks as a source file.
	res=$(perl "$cp_pl" --strict --no-tree - < "$p" 2>&1)
	if printf '%s\n' "$res" | grep -q '^total: 0 errors, 0 warnings, 0 checks'; then
		ok "checkpatch --strict $name: 0 errors, 0 warnings, 0 checks"
	else
		printf '%s\n' "$res"
		nok "checkpatch --strict $name"
	fi
	check "$name is git format-patch output" grep -q '^From [0-9a-f]\{40\} ' "$p"
	check "$name subject starts with myri10ge:" \
		grep -q '^Subject: \[PATCH[^]]*\] myri10ge: ' "$p"
	check "$name is signed off" \
		grep -q '^Signed-off-by: omx developers <omx@example.invalid>$' "$p"
done
res=$(perl "$cp_pl" --strict --no-tree -f "$dir"/probe/*.c 2>&1)
if printf '%s\n' "$res" | grep -q '^total: 0 errors, 0 warnings, 0 checks'; then
	ok "checkpatch --strict -f probe module: clean"
else
	printf '%s\n' "$res"
	nok "checkpatch --strict -f probe module"
fi

src=$out/tree/drivers/net/ethernet/myricom/myri10ge/myri10ge.c
res=$(perl "$out/checkpatch/kernel-doc" -none "$src" 2>&1)
check "kernel-doc: myri10ge.c has no warning" test -z "$res"
res2=$(perl "$out/checkpatch/kernel-doc" -rst -function myri10ge_omx_endpoint_slice "$src" 2>&1)
check "kernel-doc: myri10ge_omx_endpoint_slice is documented, with Context and Return" \
	grep -Pzq '(?s)c:function:: int myri10ge_omx_endpoint_slice.*\*\*Context\*\*.*\*\*Return\*\*' <<< "$res2"
[ -z "$res" ] || printf '%s\n' "$res"

ko=$out/myri10ge.ko
kver=$(sed -n 's/^KVER *:\?= *//p' config.mk 2>/dev/null)
check "myri10ge.ko is built" test -f "$ko"
check "modinfo: module name myri10ge" test "$(modinfo -F name "$ko")" = myri10ge
[ -z "$kver" ] || check "modinfo: vermagic is $kver" \
	test "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$kver"
echo "modinfo depends: $(modinfo -F depends "$ko")"
check "nm: myri10ge_omx_endpoint_slice is a global text symbol" \
	grep -q ' T myri10ge_omx_endpoint_slice$' <(nm "$ko")
check "objdump: its __ksymtab entry is in __ksymtab_gpl" \
	grep -Eq '[[:space:]]__ksymtab_gpl[[:space:]].*[[:space:]]__ksymtab_myri10ge_omx_endpoint_slice$' \
	<(objdump -t "$ko")
check "Module.symvers: exported with EXPORT_SYMBOL_GPL" \
	grep -Eq '^0x[0-9a-f]+[[:space:]]myri10ge_omx_endpoint_slice[[:space:]].*EXPORT_SYMBOL_GPL' \
	"$out/tree/Module.symvers"
check "myri10ge_omx_probe.ko is built" test -f "$out/myri10ge_omx_probe.ko"

# The firmware's rule is fixed; omx's one hash (common/omx_steer.h) must
# stay the same rule, or omx would bind processes to the wrong CPUs.
check "the patch computes the slice as endpoint % num_slices" \
	grep -q '^+	slice = endpoint % mgp->num_slices;$' "$dir"/*.patch
check "common/omx_steer.h uses the same rule (endpoint % nr_queues)" \
	grep -q 'return nr_queues ? endpoint % nr_queues : 0;' common/omx_steer.h

echo "wall time $(( $(date +%s) - start )) s"
if [ "$failed" -ne 0 ]; then
	echo "$failed failed"
	exit 1
fi
echo "all passed"
