# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --timeout 300 --no-load
# The patched myri10ge (firmware-patch/myri10ge/) loads in a guest, binds
# no device (a guest has no Myri-10G NIC), exports
# myri10ge_omx_endpoint_slice to other modules (the probe module finds it
# with symbol_get() and every net device answers -ENODEV), and unloads
# cleanly.  omx.ko is not needed (--no-load).  If the module is missing
# or older than its sources, it is built here first (tests/check runs the
# host build test, firmware/myri10ge_build, first).
set -u
dir=firmware-patch/myri10ge
out=${MYRI10GE_BUILD:-$dir/build}
ko=$out/myri10ge.ko
probe=$out/myri10ge_omx_probe.ko
. tests/check_lib.sh
finish() {
	echo "wall time $(( $(date +%s) - start )) s"
	if [ "$failed" -ne 0 ]; then
		echo "$failed failed"
		exit 1
	fi
	echo "all passed"
	exit 0
}
start=$(date +%s)

stale=
if [ -f "$ko" ] && [ -f "$probe" ]; then
	stale=$(find "$dir" -path "$out" -prune -o -type f \
		\( -name '*.patch' -o -name build.sh -o -path '*/probe/*' \) \
		-newer "$ko" -print)
fi
if [ ! -f "$ko" ] || [ ! -f "$probe" ] || [ -n "$stale" ]; then
	# In the guest's own /tmp: the guest clock lags the host's a little,
	# and make warns about files on the shared tree dated in its future.
	echo "building the patched module in the guest (${stale:+changed: }${stale:-not built})"
	out=/tmp/myri10ge-build
	ko=$out/myri10ge.ko
	probe=$out/myri10ge_omx_probe.ko
	b=$(date +%s)
	check "build.sh, in the guest" env MYRI10GE_BUILD="$out" "$dir/build.sh" --quiet
	echo "built in $(( $(date +%s) - b )) s"
	[ "$failed" -eq 0 ] || finish
fi

pci_bound() {
	find /sys/bus/pci/drivers/myri10ge -maxdepth 1 -name '[0-9a-f]*:*' 2>/dev/null | wc -l
}
netdevs_bound() {
	local n=0 d
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink -f "$d/device/driver" 2>/dev/null)")" = myri10ge ] &&
			n=$((n + 1))
	done
	echo "$n"
}

if [ -d /sys/module/myri10ge ]; then
	echo "a myri10ge module is already loaded; removing it"
	rmmod myri10ge
fi
for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
	check "modprobe dependency $dep" modprobe "$dep"
done

# Only our part of the kernel log; the harness checks all of it.
klines=$(dmesg | wc -l)
ourlog() { dmesg | tail -n +$((klines + 1)); }
check "insmod the patched myri10ge.ko" insmod "$ko"
check "/sys/module/myri10ge exists" test -d /sys/module/myri10ge
check "the loaded module is ours (srcversion $(modinfo -F srcversion "$ko"))" \
	test "$(cat /sys/module/myri10ge/srcversion 2>/dev/null)" = "$(modinfo -F srcversion "$ko")"
check "the PCI driver myri10ge is registered" test -d /sys/bus/pci/drivers/myri10ge
check "it binds no PCI device" test "$(pci_bound)" -eq 0
check "no net device is driven by myri10ge" test "$(netdevs_bound)" -eq 0
check "/proc/kallsyms has myri10ge_omx_endpoint_slice [myri10ge]" \
	grep -Eq ' myri10ge_omx_endpoint_slice[[:space:]]+\[myri10ge\]$' /proc/kallsyms

check "insmod the probe module (symbol_get, every device -ENODEV)" insmod "$probe"
log=$(ourlog)
check "the probe found the routine and it answered as documented" \
	grep -q 'myri10ge_omx_probe: myri10ge_omx_endpoint_slice found and answered as documented' <<< "$log"
check "the probe saw lo as not a myri10ge device" \
	grep -q 'myri10ge_omx_probe: lo: not a myri10ge device' <<< "$log"
check "the probe released the symbol (myri10ge refcnt 0)" \
	test "$(cat /sys/module/myri10ge/refcnt 2>/dev/null)" = 0
check "rmmod the probe module" rmmod myri10ge_omx_probe
check "rmmod myri10ge" rmmod myri10ge
check "myri10ge is gone" test ! -d /sys/module/myri10ge
check "the PCI driver myri10ge is unregistered" test ! -d /sys/bus/pci/drivers/myri10ge

log=$(ourlog)
echo "kernel log of the test:"
printf '%s\n' "$log" | sed 's/^/  /'
# Unsigned out-of-tree modules taint the kernel; that is expected.
bad=$(printf '%s\n' "$log" | grep -v 'module verification failed' |
	grep -Ei 'myri10ge.*(error|fail)|Unknown symbol|disagrees about version')
check "no myri10ge error or symbol problem in the kernel log" test -z "$bad"
finish
