#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The libfabric provider as libfabric sees it (fabric/libomx-fi.so), on a
# host without the omx module.  Fails, one line per problem, when
#  - libomx-fi.so exports anything but fi_prov_ini (nm -D);
#  - libfabric does not load it from FI_PROVIDER_PATH (fi_info -l);
#  - its FI_OMX_* variables are not registered (fi_info -e);
#  - without /dev/omx, `fi_info -p omx` does not fail, or fails without
#    the sentence naming /dev/omx and the module, or prints it more than
#    once; or FI_PROVIDER=omx or Open MPI's
#    OMPI_MCA_mtl_ofi_provider_include=omx does not say it either;
#  - a plain fi_info (omx not named) prints anything about omx.
# With /dev/omx present (a guest with the module) the last three checks
# become: fi_info -p omx lists an FI_EP_RDM endpoint of provider omx.
# Fails when libfabric-bin is not installed: a test that cannot run is
# not a pass (scripts/install-deps installs it).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

lib=fabric/libomx-fi.so
problems=0
problem() {
	echo "test_fabric_provider: $*"
	problems=$((problems + 1))
}

if ! command -v fi_info > /dev/null; then
	echo "test_fabric_provider: fi_info missing: apt-get install libfabric-bin (scripts/install-deps)"
	exit 1
fi
if [ ! -f "$lib" ]; then
	echo "test_fabric_provider: $lib is missing (make; needs libfabric-dev)"
	exit 1
fi

exports=$(nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u)
[ "$exports" = fi_prov_ini ] ||
	problem "$lib exports $(echo "$exports" | tr '\n' ' ')instead of fi_prov_ini alone"

export FI_PROVIDER_PATH=$top/fabric
export LD_LIBRARY_PATH=$top/libomx${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
unset FI_PROVIDER FI_LOG_LEVEL

fi_info -l 2>&1 | grep -q '^omx:' || problem "fi_info -l does not list omx (not loaded from $FI_PROVIDER_PATH)"
vars=$(fi_info -e 2>/dev/null | tr -d '\0')
for v in FI_OMX_ENDPOINT_KEY FI_OMX_CONNECT_TIMEOUT_MS FI_OMX_BOARD; do
	grep -q "$v" <<< "$vars" || problem "fi_info -e does not show $v"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fi_info -p omx > "$tmp/out" 2> "$tmp/err"
st=$?
sed 's/^/# fi_info -p omx: /' "$tmp/out" "$tmp/err" | head -n 20
if [ -e /dev/omx ]; then
	[ "$st" -eq 0 ] || problem "fi_info -p omx failed ($st) although /dev/omx exists"
	grep -q 'provider: omx' "$tmp/out" || problem "fi_info -p omx lists no omx provider"
	grep -q 'FI_EP_RDM' "$tmp/out" || problem "fi_info -p omx lists no FI_EP_RDM endpoint"
else
	[ "$st" -ne 0 ] || problem "fi_info -p omx succeeded without /dev/omx"
	grep -q 'omx provider: unavailable: .*/dev/omx.*module' "$tmp/err" ||
		problem "fi_info -p omx did not say that /dev/omx or the module is missing"
	n=$(grep -c 'omx provider: unavailable' "$tmp/err")
	[ "$n" -le 1 ] || problem "the unavailability sentence was printed $n times"
	FI_PROVIDER=omx fi_info > /dev/null 2> "$tmp/err2"
	grep -q 'omx provider: unavailable: .*/dev/omx' "$tmp/err2" ||
		problem "FI_PROVIDER=omx fi_info did not say that /dev/omx is missing"
	# Open MPI names its providers in an MCA variable, not in the hints
	OMPI_MCA_mtl_ofi_provider_include=omx fi_info > /dev/null 2> "$tmp/err4"
	grep -q 'omx provider: unavailable: .*/dev/omx' "$tmp/err4" ||
		problem "OMPI_MCA_mtl_ofi_provider_include=omx fi_info did not say that /dev/omx is missing"
	fi_info > /dev/null 2> "$tmp/err3"
	! grep -q 'omx' "$tmp/err3" ||
		problem "a plain fi_info talks about omx: $(head -n 1 "$tmp/err3")"
fi

if [ "$problems" -gt 0 ]; then
	echo "test_fabric_provider: $problems problem(s)"
	exit 1
fi
echo "test_fabric_provider: ok"
