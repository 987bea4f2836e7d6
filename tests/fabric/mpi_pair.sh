# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# Debian's Open MPI, unchanged, over the omx libfabric provider in one
# guest: pml cm + mtl ofi restricted to provider omx, rank 0 on board 0
# and rank 1 on board 1 (tests/fabric/rank_board sets FI_OMX_BOARD per
# rank), boards talking over the veth pair.  Runs our MPI correctness
# program (tests/fabric/mpi_check.c: point-to-point 0 B..16 MiB,
# ANY_SOURCE and ANY_TAG, probe and mprobe, Issend, cancel, collectives),
# NetPIPE's NPopenmpi up to 1 MiB, mpi_check again on 8 ranks (4 per
# board, up to 1 MiB), and a job whose rank 1 is killed mid-run, which
# must end with an error instead of hanging.  Checks that Open MPI's verbose
# selection names the ofi mtl and provider omx, and that both boards'
# omx frame and byte counters grew by what the programs sent.
. tests/vm/lib.sh

export OMX_DISABLE_SHARED=1
top=$OMX_TOP
if ! command -v mpirun > /dev/null || [ ! -x "$top/tests/fabric/mpi_check" ] ||
   [ ! -f "$top/fabric/libomx-fi.so" ]; then
	t_fail "mpirun, tests/fabric/mpi_check and fabric/libomx-fi.so present (scripts/install-deps; make)"
	t_done
	exit 1
fi

# snap NAME: both boards' frame and byte counters into the array NAME,
# one omx_counters a board (a program costs the guest about 0.15 s to
# start: reading each counter with its own omx_counters and sed took 96
# programs for the six snapshots)
declare -A before after
snap() {
	local b k v
	eval "$1=()"
	for b in 0 1; do
		# shellcheck disable=SC2034 # v is read by the eval
		while read -r k v; do
			case $k in
			tx_frames:|rx_frames:|tx_bytes:|rx_bytes:) eval "$1[$b.${k%:}]=\$v" ;;
			esac
		done < <(omx_counters -b "$b")
	done
}

# The one mpirun line of the README, plus what a test needs: root, the
# build tree's provider and library, verbose selection, no shared-memory
# btl (pml cm sends everything through the mtl anyway).
mpi() {
	timeout -k 5 "$1" mpirun --allow-run-as-root --oversubscribe -np "${NP:-2}" \
		--mca pml cm --mca mtl ofi --mca mtl_ofi_provider_include omx \
		--mca btl self --mca mtl_base_verbose 100 \
		-x FI_PROVIDER_PATH="$top/fabric" -x LD_LIBRARY_PATH="$top/libomx" \
		-x OMX_DISABLE_SHARED \
		"$top/tests/fabric/rank_board" "${@:2}"
}

# counters_moved WHAT FRAMES BYTES: each board sent and received at least
# FRAMES frames and BYTES bytes since the last snap before
counters_moved() {
	local b n d min
	snap after
	for b in 0 1; do
		for n in tx_frames rx_frames tx_bytes rx_bytes; do
			d=$((after[$b.$n] - before[$b.$n]))
			case $n in *frames) min=$2 ;; *) min=$3 ;; esac
			echo "  [$1] board $b $n: +$d"
			t_check "$1: board $b $n grew by at least $min" test "$d" -ge "$min"
		done
	done
}

snap before
t0=$(date +%s)
out=$(mpi 180 "$top/tests/fabric/mpi_check" --max 16777216 2>&1)
st=$?
echo "  [mpi_check] $(($(date +%s) - t0)) s"
printf '%s\n' "$out" | grep -v 'mca: base\|mca:base' | sed 's/^/  [mpi_check] /'
[ "$st" -ne 124 ] || echo "  [mpi_check] killed after 180 s"
t_check "mpi_check: exit status 0" test "$st" = 0
t_match "Open MPI selected the ofi mtl" 'Selected component \[ofi\]' "$out"
# Open MPI 4.1 prints the domain it chose: each rank's own board
t_match "rank on board 0: mtl ofi uses omx domain omx0" 'mtl:ofi:provider: omx0' "$out"
t_match "rank on board 1: mtl ofi uses omx domain omx1" 'mtl:ofi:provider: omx1' "$out"
t_nomatch "no other provider" 'mtl:ofi:provider: [^o]' "$out"
t_match "rank 0 on board 0" 'rank_board: rank 0 on board 0' "$out"
t_match "rank 1 on board 1" 'rank_board: rank 1 on board 1' "$out"
for c in 'point-to-point ring, 39 sizes 0..16777216' 'MPI_ANY_SOURCE' 'MPI_Iprobe of nothing' \
	'MPI_Issend' 'MPI_Cancel' 'MPI_Barrier' 'MPI_Bcast' 'MPI_Allreduce' 'MPI_Alltoall'; do
	t_match "mpi_check: $c" "^ok - $c" "$out"
done
t_nomatch "mpi_check: no failed check" '^not ok' "$out"
# the sweep alone sends 39 messages each way, its two largest 24 MiB
counters_moved mpi_check 39 25165824

snap before
out=$(mpi 120 NPopenmpi -p 0 -n 5 -u 1048576 -o /tmp/np.out 2>&1)
st=$?
printf '%s\n' "$out" | grep -v 'mca: base\|mca:base' | tail -n 8 | sed 's/^/  [NPopenmpi] /'
t_check "NPopenmpi: exit status 0" test "$st" = 0
t_match "NPopenmpi: mtl ofi uses provider omx" 'mtl:ofi:provider: omx[01]' "$out"
np=$(cat /tmp/np.out 2>/dev/null)
printf '%s\n' "$np" | tail -n 3 | sed 's/^/  [np.out] /'
# last line: bytes, Mbps, seconds; 1 MiB reached at a non-zero rate
t_match "NPopenmpi: reached 1 MiB at a non-zero rate" '^ *1048576 +[0-9]*[1-9][0-9.]* ' \
	"$(tail -n 1 /tmp/np.out 2>/dev/null)"
# 5 round trips of 1 MiB alone: 5 MiB each way
counters_moved NPopenmpi 10 5242880

# 8 ranks, 4 per board (rank_board: even ranks on board 0, odd on 1):
# every hop of the ring crosses the veth pair, and each endpoint talks
# to 7 peers.
snap before
t0=$(date +%s)
out=$(NP=8 mpi 180 "$top/tests/fabric/mpi_check" --max 1048576 2>&1)
st=$?
echo "  [8 ranks] $(($(date +%s) - t0)) s"
printf '%s\n' "$out" | grep '^ok\|^not ok\|^#\|mpi_check:' | sed 's/^/  [8 ranks] /'
t_check "8 ranks: exit status 0" test "$st" = 0
t_check "8 ranks: four chose omx0" test "$(printf '%s\n' "$out" | grep -c 'mtl:ofi:provider: omx0$')" = 4
t_check "8 ranks: four chose omx1" test "$(printf '%s\n' "$out" | grep -c 'mtl:ofi:provider: omx1$')" = 4
t_match "8 ranks: ran on 8 ranks" '^# mpi_check: 8 ranks' "$out"
t_check "8 ranks: all 9 checks passed" test "$(printf '%s\n' "$out" | grep -c '^ok - ')" = 9
t_nomatch "8 ranks: no failed check" '^not ok' "$out"
# the ring: 33 messages from each of the 4 ranks of a board, the two
# largest (1 MiB and 1 MiB + 1) 8 MiB in all
counters_moved "8 ranks" 132 8388608

# A rank killed mid-run (SIGKILL while rank 0 waits in MPI_Recv for it):
# mpirun must notice and end the job with an error, well before the
# timeout.
t0=$(date +%s)
out=$(mpi 120 "$top/tests/fabric/mpi_check" --die 1 2>&1)
st=$?
dt=$(($(date +%s) - t0))
printf '%s\n' "$out" | grep -v 'mca: base\|mca:base\|select:' | tail -n 8 | sed 's/^/  [die] /'
echo "  [die] exit status $st after $dt s"
t_check "rank 1 killed: the job fails" test "$st" != 0
t_check "rank 1 killed: the job ends within 60 s (no hang)" test "$dt" -lt 60
t_match "rank 1 killed: rank 0 was waiting for it" 'rank 0 waits for rank 1, which dies' "$out"
t_match "rank 1 killed: mpirun names the killed rank" 'rank 1 .*exited on signal 9' "$out"
t_nomatch "rank 1 killed: nothing received from the dead rank" '^not ok' "$out"
t_done
