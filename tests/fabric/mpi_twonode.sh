# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 600
# Open MPI across the two guests of twonode over the omx provider: mpirun
# on node0 starts orted on node1 through tests/fabric/rsh_agent (the
# guests have no ssh; node1 runs the commands it is handed, see
# rsh_serve), 4 ranks, 2 per node, each on its node's only board 0.
# Runs tests/fabric/mpi_check up to 1 MiB; Open MPI's verbose selection
# must name omx0 on all 4 ranks and each node's board counters must have
# moved by what crossed between the nodes.  Then NetPIPE's NPopenmpi
# between one rank on each node up to 256 KiB, and a 2-rank job whose rank
# on node1 is killed (SIGKILL) while rank 0 on node0 waits for it: the
# job must end with an error, not hang.
. tests/vm/lib.sh

top=$OMX_TOP
net=10.86.223
other=$((1 - OMX_NODE))
export OMX_RUN_DIR

counter() {
	omx_counters -b 0 | sed -n "s/^  $1: //p"
}

t_check "eth0 gets $net.$((OMX_NODE + 1))" ip addr add "$net.$((OMX_NODE + 1))/24" dev eth0
t_check "node$other discovered" \
	omx_wait_for 60 sh -c "omx_info -d 2>/dev/null | grep -q 'hostname=node$other:0'"
declare -A c0
for n in tx_frames rx_frames tx_bytes rx_bytes; do c0[$n]=$(counter $n); done
omx_barrier ready

# rsh_serve: run each command rsh_agent hands this node, until node0 is
# done; a command runs in the background (orted lives as long as the job).
rsh_serve() {
	local d=$OMX_RUN_DIR/rsh/$net.$((OMX_NODE + 1)) f id
	mkdir -p "$d"
	while [ ! -e "$OMX_RUN_DIR/kv/mpi_done" ]; do
		for f in "$d"/*.cmd; do
			[ -e "$f" ] || continue
			id=${f%.cmd}
			mv "$f" "$id.run"
			echo "  [rsh] $(cut -c1-160 "$id.run")"
			( bash -c "$(cat "$id.run")" > "$id.out" 2>&1; echo $? > "$id.status" ) &
		done
		omx_nap 0.2
	done
	wait
}

if [ "$OMX_NODE" = 1 ]; then
	rsh_serve
	t_ok "node1 served mpirun's commands"
else
	# mpi SECONDS NP HOSTS PROGRAM ARGS...: one job across the nodes
	mpi() {
		timeout -k 5 "$1" mpirun --allow-run-as-root --oversubscribe -np "$2" \
			--host "$3" \
			--mca plm_rsh_agent "$top/tests/fabric/rsh_agent" \
			--mca oob_tcp_if_include "$net.0/24" \
			--mca pml cm --mca mtl ofi --mca mtl_ofi_provider_include omx \
			--mca btl self --mca mtl_base_verbose 100 \
			-x FI_PROVIDER_PATH="$top/fabric" -x LD_LIBRARY_PATH="$top/libomx" \
			-x OMX_RANK_BOARDS=1 -x OMX_RUN_DIR \
			"$top/tests/fabric/rank_board" "${@:4}"
	}
	t0=$(date +%s)
	out=$(mpi 300 4 "$net.1:2,$net.2:2" "$top/tests/fabric/mpi_check" --max 1048576 2>&1)
	st=$?
	echo "  [mpi_check] $(($(date +%s) - t0)) s"
	printf '%s\n' "$out" | grep -v 'mca: base\|mca:base\|select:' | sed 's/^/  [mpi_check] /'
	t_check "mpi_check on 4 ranks over 2 nodes: exit status 0" test "$st" = 0
	t_check "4 ranks chose omx0" test "$(printf '%s\n' "$out" | grep -c 'mtl:ofi:provider: omx0$')" = 4
	t_match "ran on 4 ranks" '^# mpi_check: 4 ranks' "$out"
	t_check "all 9 checks passed" test "$(printf '%s\n' "$out" | grep -c '^ok - ')" = 9
	t_nomatch "no failed check" '^not ok' "$out"

	# NetPIPE, rank 0 on node0 and rank 1 on node1
	t0=$(date +%s)
	out=$(mpi 180 2 "$net.1:1,$net.2:1" NPopenmpi -p 0 -n 3 -u 262144 -o /tmp/np.out 2>&1)
	st=$?
	echo "  [NPopenmpi] $(($(date +%s) - t0)) s"
	printf '%s\n' "$out" | grep -v 'mca: base\|mca:base\|select:' | tail -n 6 | sed 's/^/  [NPopenmpi] /'
	tail -n 3 /tmp/np.out 2>/dev/null | sed 's/^/  [np.out] /'
	t_check "NPopenmpi across the nodes: exit status 0" test "$st" = 0
	t_check "NPopenmpi: both ranks chose omx0" \
		test "$(printf '%s\n' "$out" | grep -c 'mtl:ofi:provider: omx0$')" = 2
	t_match "NPopenmpi: reached 256 KiB (rendezvous) at a non-zero rate" '^ *262144 +[0-9]*[1-9][0-9.]* ' \
		"$(tail -n 1 /tmp/np.out 2>/dev/null)"

	# rank 1, on node1, kills itself while rank 0 waits in MPI_Recv
	t0=$(date +%s)
	out=$(mpi 120 2 "$net.1:1,$net.2:1" "$top/tests/fabric/mpi_check" --die 1 2>&1)
	st=$?
	dt=$(($(date +%s) - t0))
	printf '%s\n' "$out" | grep -v 'mca: base\|mca:base\|select:' | tail -n 8 | sed 's/^/  [die] /'
	echo "  [die] exit status $st after $dt s"
	t_check "rank 1 killed on node1: the job fails" test "$st" != 0
	t_check "rank 1 killed on node1: the job ends within 60 s (no hang)" test "$dt" -lt 60
	t_match "rank 1 killed on node1: rank 0 was waiting for it" \
		'rank 0 waits for rank 1, which dies' "$out"
	t_match "rank 1 killed on node1: mpirun names the killed rank" \
		'rank 1 .*exited on signal 9' "$out"
	omx_publish mpi_done yes
fi
omx_barrier done
# The ring 0 -> 1 -> 2 -> 3 -> 0 with ranks 0,1 on node0 and 2,3 on
# node1 crosses between the nodes twice per size: 33 messages and over
# 2 MiB each way at least.
for n in tx_frames rx_frames tx_bytes rx_bytes; do
	d=$(($(counter $n) - c0[$n]))
	case $n in *frames) min=33 ;; *) min=2097152 ;; esac
	echo "  board 0 $n: +$d"
	t_check "board 0 $n grew by at least $min" test "$d" -ge "$min"
done
t_done
