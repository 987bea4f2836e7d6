# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host: builds the Debian packages and omx.ko with DKMS on the host, installs them in a guest
# The Debian packages (docs/packaging.md): dpkg-buildpackage -us -uc -b
# in a copy of the tree's files under .cache/packages/ (the source tree
# is never written), the six .debs and their contents, lintian with no
# error or warning (overrides in debian/*.lintian-overrides), then
# tests/tools/packages_guest.sh in a guest: dpkg -i, DKMS, omx_init, an
# MX program, dpkg --purge.
# DKMS compiling omx.ko in the TCG guest takes about 6 minutes: so here
# DKMS builds it on the host, for the guest's kernel (KVER of config.mk),
# from the source the omx-dkms .deb ships, in a DKMS tree of its own
# under .cache/packages/dkms/ (a mount namespace puts its own directory
# over /var/lib/dkms, where DKMS makes its signing key: the host's DKMS
# state is never written), and packs it with "dkms mktarball
# --binaries-only"; the guest puts that tarball where omx-dkms's
# postinst (dkms's common.postinst) loads a prebuilt module from,
# /usr/share/omx-dkms/omx-VERSION.dkms.tar.gz, so that DKMS in the guest
# installs the module built for its kernel without compiling it.
# With --build-in-guest (tests/tools/packages_long.sh, make check-long)
# no tarball: DKMS compiles omx.ko in the guest as on an administrator's
# machine (about 13 minutes in all).
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
. tests/check_lib.sh
work=$top/.cache/packages
pkgs="omx-dkms libomx0 libomx-dev omx-tools libfabric-omx omx-wireshark"
prebuilt=1
case "${1-}" in
--build-in-guest) prebuilt=0 ;;
"") ;;
*) echo "usage: tests/tools/packages.sh [--build-in-guest]" >&2; exit 2 ;;
esac
t_start=$(date +%s)

ver=$(scripts/version)
check "debian/changelog's version is the module's ($ver)" \
	test -n "$ver" -a "$(dpkg-parsechangelog -S Version)" = "$ver"
kver=$(sed -n 's/^KVER *:\?= *//p' config.mk 2>/dev/null)
check "the guest's kernel version from config.mk ($kver)" test -n "$kver"

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
check "omx-dkms: nothing in /usr/share/omx-dkms (where its postinst looks for a prebuilt tarball)" \
	test -z "$(c omx-dkms all | grep '^\./usr/share/omx-dkms/')"
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

# lintian (about 10 s) beside DKMS's build on the host (2 cores)
t0=$(date +%s)
{
	lintian "$work/omx_${ver}_$arch.changes" 2>&1 | grep -v '^running with root privileges'
	echo "# lintian: $(($(date +%s) - t0)) s"
} > "$work/lintian.log" &
lintian_pid=$!

# DKMS on the host, for the guest's kernel, from the .deb's source: the
# omx-dkms package unpacked under dkms/root, a DKMS tree of its own,
# /var/lib/dkms (the signing key) a directory of ours in a mount
# namespace.
tarball=
if [ "$prebuilt" = 1 ]; then
	dk=$work/dkms
	mkdir -p "$dk/root" "$dk/tree" "$dk/var" &&
		dpkg-deb -x "$work/omx-dkms_${ver}_all.deb" "$dk/root"
	check "omx-dkms unpacked for DKMS on the host" test -f "$dk/root/usr/src/omx-$ver/dkms.conf"
	ns=(unshare -m)
	[ "$(id -u)" = 0 ] || ns=(unshare -r -m)
	dopt=(-m omx -v "$ver" --dkmstree "$dk/tree" --sourcetree "$dk/root/usr/src")
	t0=$(date +%s)
	# shellcheck disable=SC2016
	KVER=$kver ARCHIVE=$dk/omx-$ver.dkms.tar.gz "${ns[@]}" bash -c '
		set -e
		mount --bind "$1" /var/lib/dkms
		shift
		dkms add "$@"
		dkms build "$@" -k "$KVER"
		dkms mktarball "$@" -k "$KVER" --binaries-only --archive "$ARCHIVE"' \
		bash "$dk/var" "${dopt[@]}" > "$dk/dkms.log" 2>&1
	st=$?
	echo "# dkms add, build, mktarball on the host: $(($(date +%s) - t0)) s"
	sed 's/^/  | /' "$dk/dkms.log"
	check "dkms add, build, mktarball on the host for $kver" test "$st" -eq 0
	check "dkms status: omx $ver built for $kver (in the host's own tree)" \
		matches "^omx/$ver, $kver, [^:]*: built\$" "$(dkms status "${dopt[@]}" -k "$kver" 2>&1)"
	kos=("$dk/tree/omx/$ver/$kver"/*/module/omx.ko)
	ko=${kos[0]}
	check "the module's vermagic is $kver's" matches "^$kver " "$(modinfo -F vermagic "$ko" 2>&1)"
	check "the tarball holds the module, not the source" \
		test "$(tar -tzf "$dk/omx-$ver.dkms.tar.gz" 2>&1 | grep -Ec '^\./(dkms_main_tree/.*/module/omx\.ko|dkms_binaries_only/dkms\.conf)$|dkms_source_tree')" -eq 2
	check "the host's /var/lib/dkms holds no omx" test ! -e /var/lib/dkms/omx
	tarball=${dk#"$top"/}/omx-$ver.dkms.tar.gz
fi

wait "$lintian_pid"
out=$(grep -v '^# lintian: ' "$work/lintian.log")
grep '^# lintian: ' "$work/lintian.log"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/  | /'
check "lintian: no error, no warning" test -z "$out"

# in a guest: install, DKMS, omx_init, an MX program, purge
t0=$(date +%s)
tmo=900
[ "$prebuilt" = 1 ] || tmo=1800
tests/vm/run --name tools_packages_guest --topology pair --no-load --timeout "$tmo" \
	tests/tools/packages_guest.sh "${work#"$top"/}" "$ver" "$tarball"
st=$?
echo "# guest: $(($(date +%s) - t0)) s"
check "in a guest: install, DKMS, omx_init, MX program, purge" test "$st" -eq 0
echo "# in all: $(($(date +%s) - t_start)) s"

if [ "$failed" -ne 0 ]; then
	echo "$failed failed"
	exit 1
fi
echo "all passed"
