# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# Eager messaging through the driver on a veth pair in one guest: every
# send command and event field, the wire path (board 0 -> board 1) and
# the local path (two endpoints of board 0), argument checks, waits,
# NACKs and ring overflow (omx_ring_test); then malformed frames, each
# counted under its drop counter with nothing delivered.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH

out=$(omx_ring_test pair 2>&1)
st=$?
printf '%s\n' "$out"
t_check "omx_ring_test pair passes" test "$st" = 0
t_nomatch "no check failed" '^FAIL' "$out"
t_match "local path checked" '^ok local: local_frames counted' "$out"
t_match "overflow checked" '^ok overflow: rx_drop_queue_full counted them' "$out"
t_done
