# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 420
# The MX API conformance suite in one process: endpoints a and c on board 0
# (veth0), b on board 1 (veth1); a->b crosses the veth pair (or the shared
# path), a->c takes the local path.  See tests/mx/mx_conformance.c for the list of checks.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_conformance
# Boards of one host talk inside the host unless OMX_DISABLE_SHARED=1:
# run once over the veth pair, once through the driver's shared path.
OMX_DISABLE_SHARED=1 mx_run "conformance (wire)" 200 "$MX_BIN/mx_conformance" all --boards 0,1 --nic-count 2 --env-checks 0
mx_run "conformance (shared)" 200 "$MX_BIN/mx_conformance" all --boards 0,1 --nic-count 2
t_done
