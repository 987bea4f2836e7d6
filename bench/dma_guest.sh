# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/dma, in a pair-topology guest started with
# --no-load (veth0 and veth1 become omx boards 0 and 1): usage NODE ITERS
# OUTDIR.  omx_perf stream and ping-pong, board 0 -> board 1, 64 KiB to
# 4 MiB by powers of 4, OMX_DISABLE_SHARED=1, twice in this one run:
# first omx loaded with dma=0 (the CPU copies), then reloaded with dma=1
# over the test engine tests/dmaengine/omx_swdma.ko with both thresholds
# at 0, so that the short last frame of a pull goes to the engine too.
# The second run must have offloaded every PULL_REPLY payload (the
# board counters dma_copies = rx_pull_reply, summed over both boards, no
# dma_fallbacks), else the
# script fails.  Writes cpu.csv, dma.csv and dma_counters.txt into
# OUTDIR; bench/dma prints the table.
. tests/vm/lib.sh
export OMX_DISABLE_SHARED=1
iters=${2:?usage: bench/dma_guest.sh NODE ITERS OUTDIR}
out=${3:?usage: bench/dma_guest.sh NODE ITERS OUTDIR}
mkdir -p "$out" && rm -f "$out"/*.csv "$out"/*.log "$out"/*.txt
P=/sys/module/omx/parameters
log() { echo "bench: $*"; }
# both: board counter NAME summed over boards 0 and 1
both() {
	echo $(( $(omx_counters -b 0 | sed -n "s/^  $1: //p") +
		 $(omx_counters -b 1 | sed -n "s/^  $1: //p") ))
}
replies() { both rx_pull_reply; }

# perf NAME: one omx_perf client/server round into OUTDIR/NAME.csv
perf() {
	omx_perf -b 1 -1 > "$out/$1_server.log" 2>&1 < <(sleep 3600) &
	local srv=$!
	omx_wait_for 20 grep -q "waiting for clients" "$out/$1_server.log" || return 1
	omx_perf -d node0:1 -b 0 -t both -s 65536 -S 4194304 -m 4 -n "$iters" -w 2 \
		-f csv > "$out/$1.csv" 2> "$out/$1.err" || { kill "$srv"; return 1; }
	wait "$srv"
}

log "omx with dma=0: the CPU copies"
omx_load veth0,veth1 dma=0 || exit 1
perf cpu || { log "omx_perf failed (dma=0)"; exit 1; }
omx_unload || { log "rmmod omx failed"; exit 1; }

log "omx with dma=1 over omx_swdma"
insmod tests/dmaengine/omx_swdma.ko || exit 1
omx_load veth0,veth1 dma=1 dma_min_frame=0 dma_min_pull=0 || exit 1
chan=$(cat $P/dma_channel)
[ "$chan" != none ] || { log "omx found no channel"; exit 1; }
r0=$(replies)
perf dma || { log "omx_perf failed (dma=1)"; exit 1; }
r=$(( $(replies) - r0 ))
{
	echo "channel $chan"
	echo "rx_pull_reply $r"
	for c in dma_copies dma_bytes dma_fallbacks; do
		echo "$c $(both $c)"
	done
	omx_info | grep -E '^(board [0-9]+ )?dma:'
} | tee "$out/dma_counters.txt"
rc=0
if [ "$(both dma_copies)" != "$r" ] || [ "$r" = 0 ] || [ "$(both dma_fallbacks)" != 0 ]; then
	log "not every PULL_REPLY went through the engine: dma_copies $(both dma_copies), rx_pull_reply $r"
	rc=1
else
	log "offloaded: all $r PULL_REPLY payloads copied by $chan"
fi
omx_unload && rmmod omx_swdma || rc=1
exit $rc
