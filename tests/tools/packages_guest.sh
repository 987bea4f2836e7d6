# SPDX-License-Identifier: GPL-2.0-or-later
# The guest half of tests/tools/packages.sh (run by it, not on its own):
# bash packages_guest.sh NODE DEBDIR VERSION [TARBALL].  In this
# throwaway guest root: dpkg -i of the built packages, DKMS installs
# omx.ko for the guest's kernel, the installed omx_init brings it up on
# the veth pair, an MX program built with the installed pkg-config file
# runs over the wire, and dpkg --purge leaves nothing behind.
# With TARBALL (dkms mktarball --binaries-only of the module DKMS built
# for this kernel on the host), it is put where omx-dkms's postinst
# (dkms's common.postinst) loads prebuilt modules from before dpkg -i:
# DKMS then loads and installs that module, and compiles nothing.
# Without, DKMS compiles omx.ko here (about 6 minutes under TCG).
# Installed programs are called by their full paths: tests/vm/lib.sh
# puts the build tree's tools first in PATH.
. tests/vm/lib.sh
debdir=$2
ver=$3
tarball=${4-}
kver=$(uname -r)
echo "# guest up, job started: $(cut -d' ' -f1 /proc/uptime) s after the kernel started"
# stamp FILE: each line of stdin into FILE, and printed indented with
# the seconds since $t0us as it comes (builtins only: a program costs
# about 0.15 s in a TCG guest)
stamp() {
	local l n
	: > "$1"
	while IFS= read -r l; do
		printf '%s\n' "$l" >> "$1"
		n=$(((${EPOCHREALTIME/./} - t0us) / 100000))
		printf '  | %4d.%d %s\n' $((n / 10)) $((n % 10)) "$l"
	done
}
pkgs="omx-dkms libomx0 libomx-dev omx-tools libfabric-omx omx-wireshark"
# "PACKAGE STATUS" of the six from one dpkg-query, not six, into pst[]:
# nothing for a package dpkg does not know
declare -A pst
pkg_status() {
	local p st
	pst=()
	# shellcheck disable=SC2086
	while read -r p st; do
		pst[$p]=$st
	done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $pkgs 2> /dev/null)
}

debs=
for p in $pkgs; do
	f=("$debdir/${p}_${ver}_"*.deb)
	t_check "$p ${ver}: .deb built" test -f "${f[0]}"
	debs="$debs ${f[0]}"
done
pkg_status
for p in $pkgs; do
	t_match "$p: not installed before" "^(not-installed|)\$" "${pst[$p]-}"
done

# --- install: dpkg -i, DKMS builds the module for this kernel ---
# man-db's trigger would index every manual page of the system (minutes
# under TCG): not what this test is about
rm -f /var/lib/man-db/auto-update
# unattended, as CI and cluster installs run it: debconf (which dkms's
# common.postinst loads) tries no dialog or readline front end
export DEBIAN_FRONTEND=noninteractive
# the prebuilt module: where common.postinst looks for
# NAME-VERSION.dkms.tar.gz (its third argument, /usr/share/omx-dkms,
# which the package does not ship)
tb=/usr/share/omx-dkms/omx-$ver.dkms.tar.gz
kdir=/lib/modules/$kver
if [ -n "$tarball" ]; then
	# depmod reads every module of the kernel: Debian's 4000 took it
	# about 65 s at install and 43 s at purge under TCG.  This guest's
	# kernel/ holds only the modules it has loaded (the initramfs's,
	# the topology's veth) and what modules.dep says they need, copied
	# to a tmpfs mounted over it: depmod, modinfo and modprobe work on
	# that tree as on the whole one (omx.ko needs no other module).
	# tests/tools/packages_long.sh keeps the whole tree.
	keep=$(awk 'NR == FNR { loaded[$1] = 1; next }
		{ f = $1; sub(/:$/, "", f); n = f; sub(/.*\//, "", n); sub(/\.ko.*/, "", n)
		  gsub(/-/, "_", n)
		  if (n in loaded) { print f; for (i = 2; i <= NF; i++) print $i } }' \
		/proc/modules "$kdir/modules.dep" | sort -u)
	t_check "the loaded modules are in modules.dep" test -n "$keep"
	mkdir -p /tmp/kmods/kernel
	for f in $keep; do
		mkdir -p "/tmp/kmods/${f%/*}" && cp -a "$kdir/$f" "/tmp/kmods/$f"
	done
	t_check "the kernel's modules on a tmpfs: $(printf '%s\n' "$keep" | wc -l) of $(wc -l < "$kdir/modules.dep")" \
		mount --bind /tmp/kmods/kernel "$kdir/kernel"
	t_check_fails "no /usr/share/omx-dkms before" test -e /usr/share/omx-dkms
	mkdir -p /usr/share/omx-dkms && cp "$tarball" "$tb"
	t_check "the host's DKMS tarball in $tb" test -s "$tb"
fi
t0=$(date +%s)
t0us=${EPOCHREALTIME/./}
# shellcheck disable=SC2086
dpkg -i $debs 2>&1 | stamp /tmp/dpkg-i.log
st=${PIPESTATUS[0]}
out=$(cat /tmp/dpkg-i.log)
echo "# dpkg -i: $(($(date +%s) - t0)) s"
t_check "dpkg -i of the six packages" test "$st" -eq 0
if [ -n "$tarball" ]; then
	t_match "omx-dkms's postinst loaded the tarball" "^Loading tarball for omx-$ver\$" "$out"
	t_check_fails "and compiled nothing (no \"Building initial module\")" \
		grep -q "Building initial module" /tmp/dpkg-i.log
	# the module of the tarball, byte for byte (a module compiled here
	# would be signed with this guest's own DKMS key)
	arch=$(uname -m)
	t_check "the installed omx.ko is the tarball's" \
		cmp -s "/lib/modules/$kver/updates/dkms/omx.ko" \
		<(tar -xzOf "$tarball" "./dkms_main_tree/$kver/$arch/module/omx.ko")
	# it was only for the postinst, and is not the packages' to purge
	rm -f "$tb" && rmdir /usr/share/omx-dkms
else
	t_match "omx-dkms's postinst had DKMS compile the module" "^Building initial module for $kver\$" "$out"
fi
pkg_status
for p in $pkgs; do
	t_match "$p: installed" "^installed\$" "${pst[$p]-}"
done
t_match "dkms status: omx $ver installed for $kver" "^omx/$ver, $kver, [^:]*: installed" "$(dkms status -m omx 2>&1)"
ko=/lib/modules/$kver/updates/dkms/omx.ko
t_check "DKMS installed $ko" test -f "$ko"
t_match "modinfo finds that module (depmod ran)" "^$ko\$" "$(modinfo -n omx 2>&1)"
t_match "its vermagic is the guest kernel's" "^$kver " "$(modinfo -F vermagic "$ko" 2>&1)"
t_match "its version is the package's" "^$ver\$" "$(modinfo -F version "$ko" 2>&1)"
t_match "it needs no other module" "^\$" "$(modinfo -F depends "$ko" 2>&1)"
t_check "omx.conf is a conffile of omx-tools" \
	grep -q '^ /etc/omx/omx.conf ' <(dpkg-query -W -f='${Conffiles}\n' omx-tools)
# what purge must remove, listed while it is there
# shellcheck disable=SC2086
files=$(dpkg -L $pkgs | while read -r f; do [ -d "$f" ] || echo "$f"; done)
t_check "the packages hold files" test "$(printf '%s\n' "$files" | wc -l)" -gt 50

# --- omx_init start, systemctl-less, from omx.conf ---
t0=$(date +%s)
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
echo "# omx_init start, omx_info: $(($(date +%s) - t0)) s"
t0=$(date +%s)

# --- an MX program built against the installed headers and library ---
flags=$(pkg-config --cflags --libs omx 2>&1)
t_match "pkg-config --libs omx: -lomx" "(^| )-lomx( |\$)" "$flags"
t_match "pkg-config --modversion omx: the package's version" "^$ver\$" "$(pkg-config --modversion omx 2>&1)"
cp examples/mx_pingpong.c /tmp/
# shellcheck disable=SC2086
t_check "mx_pingpong.c builds with pkg-config's flags alone" \
	cc -std=c11 -D_GNU_SOURCE -O2 -o /tmp/mx_pingpong /tmp/mx_pingpong.c $flags
# /lib is /usr/lib on Debian 12; gcc's multiarch is Debian's
multiarch=$(cc -print-multiarch)
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
echo "# the MX program, built and run: $(($(date +%s) - t0)) s"

# --- stop, purge: nothing left ---
t_match "omx_init stop" "omx unloaded" "$(/usr/sbin/omx_init stop 2>&1)"
t_check_fails "omx is gone from /proc/modules" omx_loaded
t0=$(date +%s)
t0us=${EPOCHREALTIME/./}
# shellcheck disable=SC2086
dpkg --purge $pkgs 2>&1 | stamp /tmp/dpkg-purge.log
st=${PIPESTATUS[0]}
echo "# dpkg --purge: $(($(date +%s) - t0)) s"
t_check "dpkg --purge of the six packages" test "$st" -eq 0
pkg_status
for p in $pkgs; do
	t_match "$p: purged" "^(not-installed|)\$" "${pst[$p]-}"
done
left=$(printf '%s\n' "$files" | while read -r f; do [ ! -e "$f" ] && [ ! -L "$f" ] || echo "$f"; done)
t_match "no file of the packages left" "^\$" "$left"
t_check_fails "no /etc/omx (the edited conffile purged)" test -e /etc/omx
t_check_fails "no /usr/src/omx-$ver" test -e "/usr/src/omx-$ver"
t_check_fails "no DKMS tree /var/lib/dkms/omx" test -e /var/lib/dkms/omx
t_check_fails "no /usr/share/omx-dkms" test -e /usr/share/omx-dkms
t_match "dkms status knows no omx" "^\$" "$(dkms status -m omx 2>&1)"
t_match "no omx.ko under /lib/modules/$kver" "^\$" "$(find "/lib/modules/$kver" -name 'omx.ko*' 2>&1)"
t_check_fails "modinfo finds no omx" sh -c "modinfo -n omx 2> /dev/null"
t_done
