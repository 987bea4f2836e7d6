# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600 --mem 1024
# Large messages in one process (mx_large local): sizes from 32 KiB + 1
# to 64 MiB, aligned or not, contiguous or in odd segments, byte for
# byte; mx_issend, truncation, unexpected, cancel; the registration
# cache.  Over the veth pair (OMX_DISABLE_SHARED=1), through the shared
# path, between two endpoints of one board, to self in the library and
# through the driver (OMX_DISABLE_SELF=1); the cache on and off.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_large
BIG=67108864
L="$MX_BIN/mx_large"

OMX_DISABLE_SHARED=1 mx_run "wire" 300 "$L" local --big "$BIG"
mx_run "shared" 240 "$L" local --paths ab,ba,ac --big "$BIG" --no-rcache
OMX_DISABLE_SELF=1 mx_run "self through the driver" 120 "$L" local --paths aa --max 4194307 --no-rcache
OMX_DISABLE_SHARED=1 OMX_RCACHE=0 mx_run "wire, no rcache" 120 "$L" local --paths ab,ac --max 65536 --no-cases
mx_run "shared, rcache" 120 "$L" local --paths ab --max 65536 --no-cases
mx_run "shared, no rcache" 120 env OMX_RCACHE=0 "$L" local --paths ab --max 65536 --no-cases
mx_run "pinned pages" 30 "$L" unpinned
t_done
