# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300 --no-load
# The DMA offload suite in one guest (CI time): first the test engine
# against Linux's dmatest (swdma.sh), so that a bug of the engine shows
# as such, then omx's offload on it (offload.sh).  Each part prints its
# own checks and also runs alone (see its header).
start=$(date +%s)
status=0
bash tests/dmaengine/swdma.sh || status=1
# a failed first part may leave its modules behind
rmmod dmatest omx_swdma 2> /dev/null
bash tests/dmaengine/offload.sh || status=1
echo "suite wall time $(($(date +%s) - start)) s"
exit "$status"
