# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host-long: tests/tools/packages.sh --build-in-guest, DKMS compiling omx.ko in the guest
# The package test on the path an administrator's machine takes: no
# prebuilt module, so omx-dkms's postinst has DKMS compile omx.ko in the
# guest (about 6 minutes under TCG, 13 in all): not in make check, where
# tests/tools/packages.sh installs the module DKMS built on the host.
exec bash "$(dirname "$0")/packages.sh" --build-in-guest
