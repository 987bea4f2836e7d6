# SPDX-License-Identifier: GPL-2.0-or-later
# The guest half of tests/tools/packages.sh (run by it, not on its own):
# bash packages_guest.sh NODE DEBDIR VERSION.  In this throwaway guest
# root: dpkg -i of the built packages, DKMS builds omx.ko for the guest's
# kernel, the installed omx_init brings it up on the veth pair, an MX
# program built with the installed pkg-config file runs over the wire,
# and dpkg --purge leaves nothing behind.  Installed programs are called
# by their full paths: tests/vm/lib.sh puts the build tree's tools first
# in PATH.
. tests/vm/lib.sh
debdir=$2
ver=$3
kver=$(uname -r)
pkgs="omx-dkms libomx0 libomx-dev omx-tools libfabric-omx omx-wireshark"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

debs=
for p in $pkgs; do
	f=$(ls "$debdir/${p}_${ver}_"*.deb 2>/dev/null)
	t_check "$p ${ver}: .deb built" test -f "$f"
	debs="$debs $f"
done
for p in $pkgs; do
	t_match "$p: not installed before" "^(not-installed|)\$" \
		"$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)"
done

# --- install: dpkg -i, DKMS builds the module for this kernel ---
# man-db's trigger would index every manual page of the system (minutes
# under TCG): not what this test is about
rm -f /var/lib/man-db/auto-update
t0=$(date +%s)
# shellcheck disable=SC2086
out=$(dpkg -i $debs 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/  | /'
echo "# dpkg -i (DKMS build included): $(($(date +%s) - t0)) s"
t_check "dpkg -i of the six packages" test "$st" -eq 0
for p in $pkgs; do
	t_match "$p: installed" "^installed\$" "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>&1)"
done
t_match "dkms status: omx $ver installed for $kver" "^omx/$ver, $kver, [^:]*: installed" "$(dkms status -m omx 2>&1)"
ko=/lib/modules/$kver/updates/dkms/omx.ko
t_check "DKMS installed $ko" test -f "$ko"
t_match "modinfo finds that module (depmod ran)" "^$ko\$" "$(modinfo -n omx 2>&1)"
t_match "its vermagic is the guest kernel's" "^$kver " "$(modinfo -F vermagic "$ko" 2>&1)"
t_match "its version is the package's" "^$ver\$" "$(modinfo -F version "$ko" 2>&1)"
t_check "omx.conf is a conffile of omx-tools" \
	grep -q '^ /etc/omx/omx.conf ' <(dpkg-query -W -f='${Conffiles}\n' omx-tools)
# what purge must remove, listed while it is there
# shellcheck disable=SC2086
files=$(dpkg -L $pkgs | while read -r f; do [ -d "$f" ] || echo "$f"; done)
t_check "the packages hold files" test "$(printf '%s\n' "$files" | wc -l)" -gt 50

# --- omx_init start, systemctl-less, from omx.conf ---
printf 'OMX_IFNAMES=veth0,veth1\n' > /etc/omx/omx.conf
out=$(/usr/sbin/omx_init start 2>&1)
t_check "omx_init start" test $? -eq 0
t_match "it loaded omx on the veth pair" "omx loaded on veth0,veth1 \(attached: veth0,veth1\)" "$out"
t_check "omx is in /proc/modules" omx_loaded
t_match "the loaded module is DKMS's" "^$(modinfo -F srcversion "$ko")\$" "$(cat /sys/module/omx/srcversion 2>&1)"
out=$(/usr/bin/omx_info 2>&1)
printf '%s\n' "$out" | sed 's/^/  | /'
t_match "omx_info: driver version $ver" "^driver: version=$ver " "$out"
t_match "omx_info: board 0 up on veth0" "^board 0: ifname=veth0 .*status=up" "$out"
t_match "omx_info: board 1 up on veth1" "^board 1: ifname=veth1 .*status=up" "$out"

# --- an MX program built against the installed headers and library ---
flags=$(pkg-config --cflags --libs omx 2>&1)
t_match "pkg-config --libs omx: -lomx" "(^| )-lomx( |\$)" "$flags"
t_match "pkg-config --modversion omx: the package's version" "^$ver\$" "$(pkg-config --modversion omx 2>&1)"
cp examples/mx_pingpong.c /tmp/
# shellcheck disable=SC2086
t_check "mx_pingpong.c builds with pkg-config's flags alone" \
	cc -std=c11 -D_GNU_SOURCE -O2 -o /tmp/mx_pingpong /tmp/mx_pingpong.c $flags
# /lib is /usr/lib on Debian 12
t_match "it runs on the installed libomx.so.0" "libomx\.so\.0 => (/usr)?/lib/$multiarch/libomx\.so\.0" \
	"$(ldd /tmp/mx_pingpong 2>&1)"
tx0=$(/usr/bin/omx_counters -b 1 | awk '$1 == "tx_frames:" { print $2 }')
/tmp/mx_pingpong -r -b 0 -e 3 > /tmp/resp.log 2>&1 &
resp=$!
omx_wait_for 20 grep -q "responder ready" /tmp/resp.log
out=$(OMX_DISABLE_SHARED=1 timeout 300 /tmp/mx_pingpong -b 1 -e 1 -d node0:0 -E 3 -n 2 -m 65536 2>&1)
st=$?
wait "$resp"
rst=$?
printf '%s\n' "$out" | sed 's/^/  | /'
t_check "mx_pingpong board 1 -> board 0 over the veth pair: every echo intact" test "$st" -eq 0
t_match "up to 64 KiB (large messages)" "size  *65536: 2 round trips ok" "$out"
t_check "the responder exited cleanly" test "$rst" -eq 0
tx1=$(/usr/bin/omx_counters -b 1 | awk '$1 == "tx_frames:" { print $2 }')
t_check "board 1 sent frames on the wire ($tx0 -> $tx1)" test "${tx1:-0}" -gt "${tx0:-0}"

# --- stop, purge: nothing left ---
t_match "omx_init stop" "omx unloaded" "$(/usr/sbin/omx_init stop 2>&1)"
t_check_fails "omx is gone from /proc/modules" omx_loaded
t0=$(date +%s)
# shellcheck disable=SC2086
out=$(dpkg --purge $pkgs 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/  | /'
echo "# dpkg --purge: $(($(date +%s) - t0)) s"
t_check "dpkg --purge of the six packages" test "$st" -eq 0
for p in $pkgs; do
	t_match "$p: purged" "^(not-installed|)\$" \
		"$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)"
done
left=$(printf '%s\n' "$files" | while read -r f; do [ ! -e "$f" ] && [ ! -L "$f" ] || echo "$f"; done)
t_match "no file of the packages left" "^\$" "$left"
t_check_fails "no /etc/omx (the edited conffile purged)" test -e /etc/omx
t_check_fails "no /usr/src/omx-$ver" test -e "/usr/src/omx-$ver"
t_check_fails "no DKMS tree /var/lib/dkms/omx" test -e /var/lib/dkms/omx
t_match "dkms status knows no omx" "^\$" "$(dkms status -m omx 2>&1)"
t_match "no omx.ko under /lib/modules/$kver" "^\$" "$(find "/lib/modules/$kver" -name 'omx.ko*' 2>&1)"
t_check_fails "modinfo finds no omx" sh -c "modinfo -n omx 2> /dev/null"
t_done
