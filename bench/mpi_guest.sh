# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/mpi, in a pair-topology guest (veth0 and veth1 are
# omx boards 0 and 1): usage NODE ITERS OUTDIR.  In this one run:
#  - omx_perf ping-pong, board 0 to board 1, 1 B to 4 MiB by powers of 4
#    (MX without MPI: the layering's reference);
#  - NetPIPE's NPopenmpi, one rank per board, over Open MPI's pml cm + mtl
#    ofi + the omx provider, then over Open MPI's pml ob1 + btl tcp across
#    the same veth pair (bench/veth_tcp.sh's policy routing);
#  - bench/mpi_alltoall on 4 ranks (2 per board) over both.
# Everything polls, as Open MPI does.  OMX_DISABLE_SHARED=1: the boards
# talk over the veth pair, like TCP.  Writes omx_perf.csv, np_omx.out,
# np_tcp.out, alltoall_omx.csv, alltoall_tcp.csv and the counters into
# OUTDIR; bench/mpi prints the table.
. tests/vm/lib.sh
. bench/veth_tcp.sh
export OMX_DISABLE_SHARED=1
top=$OMX_TOP
iters=${2:?usage: bench/mpi_guest.sh NODE ITERS OUTDIR}
out=${3:?usage: bench/mpi_guest.sh NODE ITERS OUTDIR}
mkdir -p "$out" && rm -f "$out"/*.csv "$out"/*.out "$out"/*.log "$out"/*.txt
log() { echo "bench: $*"; }
rc=0
veth_tcp_setup
veth0_tx() { cat /sys/class/net/veth0/statistics/tx_packets; }

# mpi ARGS... -- PROGRAM...: one Open MPI job, ranks on alternate boards
mpi() {
	local args=()
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	timeout -k 5 900 mpirun --allow-run-as-root --oversubscribe "${args[@]}" \
		-x FI_PROVIDER_PATH="$top/fabric" -x LD_LIBRARY_PATH="$top/libomx" \
		-x OMX_DISABLE_SHARED "$top/tests/fabric/rank_board" "$@"
}
OMX_MCA=(--mca pml cm --mca mtl ofi --mca mtl_ofi_provider_include omx --mca btl self)
TCP_MCA=(--mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include 10.77.0.0/24)

omx_counters -b 0 > "$out/counters_before.txt"
log "omx_perf ping-pong, board 0 -> board 1, $iters iterations"
omx_perf -b 1 -1 > "$out/omx_perf_server.log" 2>&1 < <(sleep 3600) &
srv=$!
omx_wait_for 20 grep -q "waiting for clients" "$out/omx_perf_server.log"
omx_perf -d node0:1 -b 0 -t pingpong -s 1 -S 4194304 -m 4 -n "$iters" -w 2 -M poll -f csv \
	> "$out/omx_perf.csv" 2> "$out/omx_perf.err" || { log "omx_perf failed"; rc=1; kill "$srv"; }
wait "$srv"

log "NPopenmpi over omx (pml cm, mtl ofi, provider omx)"
mpi -np 2 "${OMX_MCA[@]}" --mca mtl_base_verbose 100 -- \
	NPopenmpi -p 0 -l 1 -u 4194304 -n "$iters" -o "$out/np_omx.out" > "$out/np_omx.log" 2>&1 ||
	{ log "NPopenmpi over omx failed"; rc=1; }
grep -c 'mtl:ofi:provider: omx' "$out/np_omx.log" | sed 's/^/ranks on omx: /' > "$out/np_omx_ranks.txt"
omx_counters -b 0 > "$out/counters_after_np.txt"

log "NPopenmpi over TCP (pml ob1, btl tcp across the veth pair)"
before=$(veth0_tx)
mpi -np 2 "${TCP_MCA[@]}" -- \
	NPopenmpi -p 0 -l 1 -u 4194304 -n "$iters" -o "$out/np_tcp.out" > "$out/np_tcp.log" 2>&1 ||
	{ log "NPopenmpi over TCP failed"; rc=1; }
echo "np_tcp $(( $(veth0_tx) - before ))" > "$out/tcp_veth0_tx_packets.txt"

log "MPI_Alltoall, 4 ranks, over omx"
mpi -np 4 "${OMX_MCA[@]}" -- "$top/bench/mpi_alltoall" > "$out/alltoall_omx.csv" \
	2> "$out/alltoall_omx.log" || { log "mpi_alltoall over omx failed"; rc=1; }
log "MPI_Alltoall, 4 ranks, over TCP"
before=$(veth0_tx)
mpi -np 4 "${TCP_MCA[@]}" -- "$top/bench/mpi_alltoall" > "$out/alltoall_tcp.csv" \
	2> "$out/alltoall_tcp.log" || { log "mpi_alltoall over TCP failed"; rc=1; }
echo "alltoall_tcp $(( $(veth0_tx) - before ))" >> "$out/tcp_veth0_tx_packets.txt"
omx_counters -b 0 > "$out/counters_after.txt"
log "raw results in $out"
exit $rc
