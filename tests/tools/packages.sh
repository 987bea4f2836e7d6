# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host-long: builds the Debian packages on the host, then installs them in a guest
# The Debian packages (docs/packaging.md): dpkg-buildpackage -us -uc -b
# in a copy of the tree's files under .cache/packages/ (the source tree
# is never written), the six .debs and their contents, lintian with no
# error or warning (overrides in debian/*.lintian-overrides), then
# tests/tools/packages_guest.sh in a guest: dpkg -i, DKMS, omx_init, an
# MX program, dpkg --purge.
# Not in make check (make check-long): DKMS compiling omx.ko in the TCG
# guest takes about 6 minutes, depmod over the kernel's modules about 70 s
# at install and again at purge (docs/testing.md).
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
. tests/check_lib.sh
work=$top/.cache/packages
pkgs="omx-dkms libomx0 libomx-dev omx-tools libfabric-omx omx-wireshark"

ver=$(scripts/version)
check "debian/changelog's version is the module's ($ver)" \
	test -n "$ver" -a "$(dpkg-parsechangelog -S Version)" = "$ver"

# the files git knows, as they are in the work tree
rm -rf "$work" && mkdir -p "$work/omx" || exit 1
git ls-files -z | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C "$work/omx"
t0=$(date +%s)
(cd "$work/omx" && dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1
st=$?
echo "# dpkg-buildpackage: $(($(date +%s) - t0)) s"
check "dpkg-buildpackage -us -uc -b" test "$st" -eq 0
[ "$st" -eq 0 ] || tail -n 30 "$work/build.log"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
for p in $pkgs; do
	a=$arch
	[ "$p" != omx-dkms ] || a=all
	check "$p ${ver}_$a.deb built" test -f "$work/${p}_${ver}_$a.deb"
done
c() { dpkg-deb -c "$work/$1_${ver}_$2.deb" 2>&1 | awk '{ print $6 }'; }
check "omx-dkms: dkms.conf and the module's source" \
	matches "^\./usr/src/omx-$ver/dkms\.conf\$" "$(c omx-dkms all)"
check "omx-dkms: driver beside common/" \
	test "$(c omx-dkms all | grep -Ec "^\./usr/src/omx-$ver/(driver/linux/(Kbuild|omx_main\.c)|common/omx_wire\.h)\$")" -eq 3
check "omx-dkms: no built object" test -z "$(c omx-dkms all | grep -E '\.(o|ko|mod\.c|cmd)$')"
check "libomx0: the two sonames, no development link" \
	test "$(c libomx0 "$arch" | grep -E '\.so' | sed 's|.*/||' | sort | tr '\n' ' ')" = "libmyriexpress.so libomx.so.0 "
check "libomx-dev: headers, omx.pc, static library, libomx.so" \
	test "$(c libomx-dev "$arch" | grep -Ec '/(myriexpress\.h|omx\.pc|libomx\.a|libomx\.so)$')" -eq 4
check "omx-tools: /etc/omx/omx.conf is a conffile" \
	matches '^/etc/omx/omx\.conf$' "$(dpkg-deb --ctrl-tarfile "$work/omx-tools_${ver}_$arch.deb" | tar -xOf - ./conffiles)"
check "omx-tools: unit, udev rule, omx_init, man pages" \
	test "$(c omx-tools "$arch" | grep -Ec '/(omx\.service|90-omx\.rules|sbin/omx_init|omx_init\.8\.gz)$')" -eq 4
check "libfabric-omx: the provider in libfabric's directory" \
	matches '/libfabric/libomx-fi\.so$' "$(c libfabric-omx "$arch")"
check "omx-wireshark: omx.lua where tshark loads Lua plugins" \
	matches "^\.$(tshark -G folders 2>/dev/null | sed -n 's/^Global Lua Plugins:[[:space:]]*//p')/omx\.lua\$" \
	"$(c omx-wireshark "$arch")"

t0=$(date +%s)
out=$(lintian "$work/omx_${ver}_$arch.changes" 2>&1 | grep -v '^running with root privileges')
echo "# lintian: $(($(date +%s) - t0)) s"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/  | /'
check "lintian: no error, no warning" test -z "$out"

# in a guest: install, DKMS, omx_init, an MX program, purge
t0=$(date +%s)
tests/vm/run --name tools_packages_guest --topology pair --no-load --timeout 1800 \
	tests/tools/packages_guest.sh "${work#"$top"/}" "$ver"
st=$?
echo "# guest: $(($(date +%s) - t0)) s"
check "in a guest: install, DKMS, omx_init, MX program, purge" test "$st" -eq 0

if [ "$failed" -ne 0 ]; then
	echo "$failed failed"
	exit 1
fi
echo "all passed"
