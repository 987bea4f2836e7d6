# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 600
# make install: staged with DESTDIR as an ordinary user (content checked
# file by file, a program built against the staged headers and pkg-config
# file), then for real in this throwaway guest as root, where omx_init
# loads the installed module from /etc/omx/omx.conf, the systemd unit and
# the udev rule are checked, and make uninstall removes it all.
. tests/vm/lib.sh
eval "$(sed -n 's/^\([A-Z_]*\) := \(.*\)$/\1="\2"/p' config.mk)"
P=$PREFIX
# the libfabric provider, when libfabric-dev was there to build it, goes
# to libfabric's own directory, outside the prefix (docs/fabric.md)
fabric_dir=
[ ! -f fabric/libomx-fi.so ] || fabric_dir=$(pkg-config --variable=libdir libfabric)/libfabric
# the Wireshark dissector, to where tshark loads Lua plugins from
# (configure asked tshark; config.mk says)
ws_dir=$WIRESHARK_LUADIR

expected() {
	cat <<-LIST
	/etc/omx/omx.conf
	/etc/udev/rules.d/90-omx.rules
	/lib/modules/$KVER/extra/omx.ko
	$P/bin/omx_affinity
	$P/bin/omx_counters
	$P/bin/omx_endpoint_info
	$P/bin/omx_hostname
	$P/bin/omx_info
	$P/bin/omx_init_peers
	$P/bin/omx_perf
	$P/bin/omx_xdp
	$P/include/mx_extensions.h
	$P/include/mx_raw.h
	$P/include/myriexpress.h
	$P/include/omx_stats.h
	$P/lib/libmyriexpress.so
	$P/lib/libomx.a
	$P/lib/libomx.so
	$P/lib/libomx.so.0
	$P/lib/omx/omx_xdp_steer.bpf.o
	$P/lib/pkgconfig/omx.pc
	$P/lib/systemd/system/omx.service
	$P/sbin/omx_init
	LIST
	for m in docs/man/*.[1-9]; do echo "$P/share/man/man${m##*.}/$(basename "$m")"; done
	[ -z "$fabric_dir" ] || echo "$fabric_dir/libomx-fi.so"
	echo "$ws_dir/omx.lua"
}

# A program of MX's users: counts the boards through the installed library.
cat > /tmp/nics.c <<'C'
#include <stdio.h>
#include <myriexpress.h>
int main(void)
{
	uint32_t n = 0;

	mx_set_error_handler(MX_ERRORS_RETURN);
	if (mx_init() != MX_SUCCESS || mx_get_info(NULL, MX_NIC_COUNT, NULL, 0, &n, sizeof(n)) != MX_SUCCESS)
		return 1;
	printf("nics=%u\n", n);
	return mx_finalize() != MX_SUCCESS;
}
C

# --- staged, as nobody ---
mkdir -p /tmp/stage && chown nobody /tmp/stage
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
t_check "make install DESTDIR as an ordinary user" nobody make -s install DESTDIR=/tmp/stage
# compared as whole lists: a missing or an extra file fails
want=$(expected | sort)
got=$(cd /tmp/stage && find . ! -type d | sed 's/^\.//' | sort)
t_check "exactly the expected files" test "$got" = "$want"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/  | /'
t_check "libomx.so links to the soname" test "$(readlink /tmp/stage$P/lib/libomx.so)" = libomx.so.0
t_check "libraries are executable" test -x /tmp/stage$P/lib/libmyriexpress.so
t_check "headers identical to the tree's" cmp libomx/include/myriexpress.h /tmp/stage$P/include/myriexpress.h
t_match "omx.pc names the prefix" "^prefix=$P\$" "$(cat /tmp/stage$P/lib/pkgconfig/omx.pc)"
t_match "omx.pc has the module's version" \
	"^Version: $(sed -n 's/^#define OMX_DRIVER_VERSION[[:space:]]*"\(.*\)"$/\1/p' driver/linux/omx_main.c)\$" \
	"$(cat /tmp/stage$P/lib/pkgconfig/omx.pc)"
t_match "unit runs the installed omx_init" "^ExecStart=$P/sbin/omx_init start\$" "$(cat /tmp/stage$P/lib/systemd/system/omx.service)"
t_nomatch "no placeholder left in the unit" "@[A-Z]+@" "$(cat /tmp/stage$P/lib/systemd/system/omx.service)"
flags=$(PKG_CONFIG_SYSROOT_DIR=/tmp/stage PKG_CONFIG_LIBDIR=/tmp/stage$P/lib/pkgconfig pkg-config --cflags --libs omx)
t_match "pkg-config gives the staged paths" "-I/tmp/stage$P/include.*-lomx" "$flags"
# shellcheck disable=SC2086
t_check "an MX program builds against the staged tree" cc -o /tmp/nics /tmp/nics.c $flags
t_check "the module is the tree's" cmp driver/linux/omx.ko /tmp/stage/lib/modules/$KVER/extra/omx.ko
t_check "make uninstall DESTDIR" nobody make -s uninstall DESTDIR=/tmp/stage
t_match "nothing left but directories" "^\$" "$(find /tmp/stage ! -type d)"

# --- for real, as root, in this guest's throwaway root ---
# depmod and ldconfig over the whole system take minutes under TCG: skip
# them here; omx.conf names the installed module instead of modprobe.
t_check "make install" make -s install DEPMOD=: LDCONFIG=:
out=$(systemd-analyze verify $P/lib/systemd/system/omx.service 2>&1)
t_nomatch "systemd-analyze accepts the unit" "omx.service" "$out"

modprobe veth
ip link add vethA type veth peer name vethB && ip link set vethA up && ip link set vethB up
t_check "omx.conf installed" grep -q '^OMX_IFNAMES=""' /etc/omx/omx.conf
echo 'OMX_IFNAMES=nosuch0' > /etc/omx/omx.conf
out=$(omx_init start 2>&1)
t_check "start with a missing interface fails" test $? -eq 1
t_match "and says which" "interface nosuch0 .* does not exist" "$out"
t_check_fails "module not loaded by it" omx_loaded
out=$(omx_init status)
t_check "status of an unloaded module is 3" test $? -eq 3
t_match "status says not loaded" "omx is not loaded" "$out"

printf 'OMX_IFNAMES=vethA\nOMX_MODULE=/lib/modules/%s/extra/omx.ko\n' "$KVER" > /etc/omx/omx.conf
out=$($P/sbin/omx_init start 2>&1)
t_check "start" test $? -eq 0
t_match "start reports the interfaces" "omx loaded on vethA \(attached: vethA\)" "$out"
t_check "the installed module is loaded" sh -c 'grep -q "^omx " /proc/modules'
out=$($P/sbin/omx_init status)
t_check "status of a loaded module is 0" test $? -eq 0
t_match "status lists vethA as board 0" "board 0: ifname=vethA " "$out"
t_check "start again is harmless" $P/sbin/omx_init start
t_match "installed MX program sees one board" "^nics=1\$" "$(LD_LIBRARY_PATH=$P/lib /tmp/nics)"
t_match "installed omx_perf runs" "usage: omx_perf" "$($P/bin/omx_perf --help)"
if [ -n "$fabric_dir" ]; then
	# libfabric finds the installed provider by itself (no
	# FI_PROVIDER_PATH); the library path stands in for the skipped ldconfig
	out=$(env -u FI_PROVIDER_PATH LD_LIBRARY_PATH=$P/lib timeout 30 fi_info -p omx 2>&1)
	t_match "installed provider: fi_info -p omx lists board 0 as omx0" 'domain: omx0' "$out"
	# README's mpirun line as it stands (no FI_PROVIDER_PATH), 2 ranks
	# on board 0: what crosses between them goes inside the host
	if [ -x tests/fabric/mpi_check ]; then
		lf0=$(omx_counters -b 0 | sed -n 's/^  local_frames: //p')
		sp0=$(omx_counters -b 0 | sed -n 's/^  shared_pulls: //p')
		out=$(env -u FI_PROVIDER_PATH timeout -k 5 120 mpirun --allow-run-as-root \
			--mca pml cm --mca mtl ofi --mca mtl_ofi_provider_include omx -np 2 \
			--mca mtl_base_verbose 100 -x LD_LIBRARY_PATH=$P/lib \
			tests/fabric/mpi_check --max 1048576 2>&1)
		st=$?
		printf '%s\n' "$out" | grep '^ok\|^not ok\|^#' | sed 's/^/  [mpirun] /'
		t_check "installed provider: README's mpirun runs mpi_check" test "$st" = 0
		t_check "installed provider: both ranks chose omx0" \
			test "$(printf '%s\n' "$out" | grep -c 'mtl:ofi:provider: omx0$')" = 2
		t_nomatch "installed provider: no failed check" '^not ok' "$out"
		lf=$(($(omx_counters -b 0 | sed -n 's/^  local_frames: //p') - lf0))
		sp=$(($(omx_counters -b 0 | sed -n 's/^  shared_pulls: //p') - sp0))
		echo "  [mpirun] board 0 local_frames +$lf, shared_pulls +$sp"
		# the ring's 33 sizes each way, 14 of them above 32 KiB (pulls)
		t_check "installed provider: the ranks' messages went through omx" \
			test "$lf" -ge 33 -a "$sp" -ge 14
	else
		t_fail "tests/fabric/mpi_check built (libopenmpi-dev)"
	fi
fi
# tshark (scripts/install-deps) loads the installed dissector by itself
t_check "config.mk names tshark's Lua plugin folder" test -n "$ws_dir"
t_match "tshark loads the installed omx.lua" "^omx\.lua[[:space:]]+lua script[[:space:]]+$ws_dir/omx\.lua\$" \
	"$(tshark -G plugins 2>/dev/null)"
t_match "tshark knows the omx protocol" "^omx \(Open-MX / MX over Ethernet\)" "$(tshark -G protocols 2>/dev/null)"
mkdir -p /etc/udev/rules.d
out=$(udevadm test --action=add /sys/class/misc/omx 2>&1)
t_match "udev rule gives /dev/omx mode 0666" "90-omx.rules.*MODE 0666|MODE=0666|mode=0?666" "$out"

# an MX program holding an endpoint: an omx_perf server
$P/bin/omx_perf -b 0 > /tmp/hold.txt 2>&1 < <(sleep 600) &
holder=$!
omx_wait_for 20 grep -q "waiting for clients" /tmp/hold.txt
out=$($P/sbin/omx_init stop 2>&1)
t_check "stop with an endpoint open fails" test $? -eq 1
t_match "and says what to do" "stop the MX programs that use it first" "$out"
kill "$holder"; wait "$holder"
t_match "stop" "omx unloaded" "$($P/sbin/omx_init stop)"
t_check_fails "module gone" omx_loaded
t_match "stop again is harmless" "omx is not loaded" "$($P/sbin/omx_init stop)"

# The build tree's module through OMX_CONF.
printf 'OMX_IFNAMES=vethA,vethB\nOMX_MODULE=%s\n' "$OMX_KO" > /tmp/omx.conf
t_match "OMX_CONF and OMX_MODULE" "attached: vethA,vethB" "$(OMX_CONF=/tmp/omx.conf omx_init restart)"
t_check "stop" env OMX_CONF=/tmp/omx.conf omx_init stop

t_check "make uninstall" make -s uninstall DEPMOD=: LDCONFIG=:
t_check "edited omx.conf stays" grep -q vethA /etc/omx/omx.conf
left=$(expected | grep -v /etc/omx/omx.conf | while read -r f; do [ ! -e "$f" ] || echo "$f"; done)
t_match "everything else is gone" "^\$" "$left"
ip link del vethA
t_done
