# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 420
# The MX API conformance suite in one process: endpoints a and c on board 0
# (veth0), b on board 1 (veth1); a->b crosses the veth pair, a->c takes the
# local path.  See tests/mx/mx_conformance.c for the list of checks.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_conformance
mx_run "conformance" 360 "$MX_BIN/mx_conformance" all --boards 0,1 --nic-count 2
t_done
