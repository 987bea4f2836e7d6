# SPDX-License-Identifier: GPL-2.0-or-later
# The measuring half of bench/run, inside a pair-topology guest (veth0 and
# veth1 attached to omx as boards 0 and 1): usage NODE [--quick] OUTDIR.
# Measures omx, raw frames, TCP, TIPC and Soft-RoCE, polling and blocking,
# then the idle mx_test cost (bench/mx_test_cost).  Writes one CSV per
# contender and mode into OUTDIR; bench/report turns them into the table,
# the goals, bench.csv and bench.png.  See bench/README.md.
. tests/vm/lib.sh
# boards 0 and 1 are in this one guest: make omx cross the veth pair like
# TCP and raw frames do, not take the in-host copy path
export OMX_DISABLE_SHARED=1
shift	# the node number
quick=0
[ "${1-}" = --quick ] && { quick=1; shift; }
out=${1:?usage: bench/guest.sh NODE [--quick] OUTDIR}
mkdir -p "$out" && rm -f "$out"/*.csv "$out"/*.log "$out"/*.txt

if [ "$quick" = 1 ]; then
	MIN=64 MAX=4096 MULT=64 ITERS=200 WARMUP=10 SECS=1
	PARTNERS=250 CALLS=100000 BIG_ITERS=4 SMALL_STREAM=2000
else
	MIN=16 MAX=32768 MULT=2 ITERS=1000 WARMUP=50 SECS=2
	PARTNERS=1000 CALLS=100000 BIG_ITERS=20 SMALL_STREAM=20000
fi
# issue 12's transport rows: a 4 MiB stream over the veth, omx against
# TCP, blocking as bench/tcp_bench.py does (omx polling printed beside
# it), and a 64-byte stream through the in-host shared path against the
# same over the veth, polling
BIG=4194304 SMALL=64
# The issue's goals are for 0-byte messages: besides the sweep, every
# contender sends its smallest message (bench/README.md, "The 0-byte row"):
# omx and perftest 0 and 1 byte, raw frames a minimum Ethernet frame (46
# bytes of payload, 60 with the header), TCP sockperf's minimum (14 bytes),
# TIPC 1 byte (its recvmsg skips 0-byte messages).
OMX_MIN=0 RAW_MIN=46 TCP_MIN=14 TIPC_MIN=1 RXE_MIN=1
# sizes of the sweep, as omx_perf and raw_pingpong walk it
sizes=$(s=$MIN; while [ "$s" -le "$MAX" ]; do echo "$s"; s=$((s * MULT)); done)
mtu=$(cat /sys/class/net/veth0/mtu)
raw_max=$(for s in $sizes; do [ "$s" -le "$mtu" ] && echo "$s"; done | tail -n 1)

# $SECONDS: where the run's time goes, without starting a program
log() { echo "bench: [${SECONDS}s] $*"; }
. bench/peers.sh

# --- TCP across the veth pair in one namespace ------------------------
. bench/veth_tcp.sh
veth_tcp_setup

tx_packets() { cat /sys/class/net/veth0/statistics/tx_packets; }

# sockperf_run MODE: ping-pong and throughput per size -> tcp_MODE.csv
sockperf_run() {
	local mode=$1 nb='' srv s lat bw
	[ "$mode" = poll ] && nb=--nonblocked
	sockperf server --tcp -i 10.77.0.2 -p 11111 $nb > "$out/sockperf_server_$mode.log" 2>&1 &
	srv=$!
	sleep 1
	echo "test,mode,bytes,iterations,latency_us,MBps,MiBps" > "$out/tcp_$mode.csv"
	for s in $sizes; do
		lat=$(sockperf ping-pong --tcp -i 10.77.0.2 -p 11111 --client_ip 10.77.0.1 $nb \
			-m "$s" -t "$SECS" 2>&1 | tee -a "$out/sockperf_$mode.log" |
			sed -n 's/.*Summary: Latency is \([0-9.]*\) usec.*/\1/p')
		bw=$(sockperf throughput --tcp -i 10.77.0.2 -p 11111 --client_ip 10.77.0.1 $nb \
			-m "$s" -t "$SECS" 2>&1 | tee -a "$out/sockperf_$mode.log" |
			sed -n 's/.*BandWidth is \([0-9.]*\) MBps.*/\1/p')
		[ -n "$lat" ] && echo "pingpong,$mode,$s,,$lat,$(echo "$s $lat" | awk '{printf "%.3f,%.3f", $1/$2, $1/$2*1e6/1048576}')" >> "$out/tcp_$mode.csv"
		[ -n "$bw" ] && echo "stream,$mode,$s,,$(echo "$s $bw" | awk '{printf "%.3f,%.3f,%.3f", ($2>0?$1/$2:0), $2, $2*1e6/1048576}')" >> "$out/tcp_$mode.csv"
	done
	# the smallest message: latency only
	s=$TCP_MIN
	lat=$(sockperf ping-pong --tcp -i 10.77.0.2 -p 11111 --client_ip 10.77.0.1 $nb \
		-m "$s" -t "$SECS" 2>&1 | tee -a "$out/sockperf_$mode.log" |
		sed -n 's/.*Summary: Latency is \([0-9.]*\) usec.*/\1/p')
	[ -n "$lat" ] && echo "pingpong,$mode,$s,,$lat,$(echo "$s $lat" | awk '{printf "%.3f,%.3f", $1/$2, $1/$2*1e6/1048576}')" >> "$out/tcp_$mode.csv"
	kill "$srv" 2> /dev/null
	wait "$srv" 2> /dev/null
}

# omx_run MODE ARGS...: one omx_perf client run (ARGS: sizes, test) against
# a server on board 1, its CSV rows appended to omx_MODE.csv
omx_run() {
	omx_run_to "omx_$1" "$@"
}

# omx_run_to NAME MODE [--shared] ARGS...: the same into NAME.csv; with
# --shared both ends take the in-host path (OMX_DISABLE_SHARED unset)
omx_run_to() {
	local name=$1 mode=$2 srv rc=0 envs=()
	shift 2
	if [ "${1-}" = --shared ]; then
		envs=(-u OMX_DISABLE_SHARED)
		shift
	fi
	env "${envs[@]}" omx_perf -b 1 -1 > "$out/${name}_server_$mode.log" 2>&1 < <(sleep 3600) &
	srv=$!
	omx_wait_for 20 grep -q "waiting for clients" "$out/${name}_server_$mode.log"
	env "${envs[@]}" omx_perf -v -d node0:1 -b 0 -n "$ITERS" -w "$WARMUP" -M "$mode" -f csv "$@" \
		> "$out/$name.part" 2> "$out/$name.err" || { log "omx_perf $* failed"; rc=1; }
	# a client that failed may leave the server waiting for it
	[ "$rc" = 0 ] || kill "$srv" 2> /dev/null
	wait "$srv" || rc=1
	csv_append "$out/$name.part" "$out/$name.csv"
	return $rc
}

# raw_run MODE MIN MAX: one raw_pingpong client run -> raw_MODE.csv
raw_run() {
	local mode=$1 srv rc=0
	bench/raw_pingpong -i veth1 -r -M "$mode" > "$out/raw_server_$mode.log" 2>&1 &
	srv=$!
	omx_wait_for 20 grep -q echoing "$out/raw_server_$mode.log"
	bench/raw_pingpong -i veth0 -d "$(cat /sys/class/net/veth1/address)" -s "$2" \
		-S "$3" -m "$MULT" -n "$ITERS" -w "$WARMUP" -M "$mode" -q \
		> "$out/raw_$mode.part" || { log "raw_pingpong failed"; rc=1; }
	wait "$srv" || rc=1
	csv_append "$out/raw_$mode.part" "$out/raw_$mode.csv"
	return $rc
}

# csv_append PART CSV: PART's rows into CSV (its header only if CSV is new)
csv_append() {
	if [ -s "$2" ]; then
		tail -n +2 "$1" >> "$2"
	else
		cat "$1" > "$2"
	fi
	rm -f "$1"
}

rc=0
printf '%s\n' "omx $OMX_MIN" "raw $RAW_MIN" "tcp $TCP_MIN" "tipc $TIPC_MIN" "rxe $RXE_MIN" \
	> "$out/smallest.txt"
log "Soft-RoCE set-up (rdma_rxe on veth2/veth3)"
rxe_setup || { log "Soft-RoCE set-up failed"; rc=1; }
log "TIPC set-up (netns tipca/tipcb, veth tv0/tv1)"
tipc_setup || { log "TIPC set-up failed"; rc=1; }
for mode in poll block; do
	log "omx_perf, $mode"
	omx_run "$mode" -t both -s "$MIN" -S "$MAX" -m "$MULT" || rc=1
	omx_run "$mode" -t pingpong -s "$OMX_MIN" -S "$OMX_MIN" || rc=1

	log "raw AF_PACKET ping-pong, $mode"
	raw_run "$mode" "$MIN" "$raw_max" || rc=1
	raw_run "$mode" "$RAW_MIN" "$RAW_MIN" || rc=1

	log "TCP (sockperf), $mode"
	before=$(tx_packets)
	sockperf_run "$mode"
	# proof that TCP crossed the veth pair and not lo
	echo "$mode $(( $(tx_packets) - before ))" >> "$out/tcp_veth0_tx_packets.txt"

	log "TIPC (bench/tipc_pingpong), $mode"
	tipc_run "$mode" || rc=1

	log "Soft-RoCE (ib_send_lat), $mode"
	rxe_run "$mode" "$RXE_MIN" $sizes || rc=1
done
# proof that omx crossed the veth pair too (OMX_DISABLE_SHARED above)
omx_counters -b 0 > "$out/omx_counters_board0.txt"

# --- issue 12's transport rows -------------------------------------------
log "4 MiB stream over the veth: omx_perf and TCP (bench/tcp_bench.py)"
# veth0 carries the data of both (omx: board 1 pulls from board 0; TCP:
# 10.77.0.1 sends): its packets and bytes say how each cuts 4 MiB.
# bench/tcp_bench.py sleeps in recv, so omx_perf blocks too for the
# goal (modes are never compared across); polling is printed beside it
tx_bytes() { cat /sys/class/net/veth0/statistics/tx_bytes; }
before=$(tx_packets) before_b=$(tx_bytes)
ITERS=$BIG_ITERS WARMUP=1 omx_run_to omx_big block -t stream -s "$BIG" -S "$BIG" || rc=1
echo "omx $(( $(tx_packets) - before )) $(( $(tx_bytes) - before_b )) $((BIG_ITERS + 1))" \
	> "$out/big_veth0_tx.txt"
ITERS=$BIG_ITERS WARMUP=1 omx_run_to omx_big_poll poll -t stream -s "$BIG" -S "$BIG" || rc=1
# tcp_big NAME LABEL PORT: a bench/tcp_bench.py run of BIG bytes on its
# own server (it serves one client) -> NAME.txt; veth0's packets and
# bytes during it -> big_veth0_tx.txt as "LABEL PACKETS BYTES ITERS"
tcp_big() {
	local srv r=0
	python3 bench/tcp_bench.py serve 10.77.0.2 "$3" > "$out/${1}_server.log" 2>&1 &
	srv=$!
	omx_wait_for 10 sh -c "ss -ltn | grep -q ':$3 '"
	before=$(tx_packets) before_b=$(tx_bytes)
	timeout 300 python3 bench/tcp_bench.py run 10.77.0.2 "$3" "$BIG_ITERS" "$BIG" \
		> "$out/$1.txt" 2>&1 || { log "tcp_bench ($1) failed"; r=1; }
	echo "$2 $(( $(tx_packets) - before )) $(( $(tx_bytes) - before_b )) $BIG_ITERS" \
		>> "$out/big_veth0_tx.txt"
	kill "$srv" 2> /dev/null
	wait "$srv" 2> /dev/null
	return $r
}
tcp_big tcp_big tcp 11798 || rc=1
echo "stream $(( $(tx_packets) - before ))" > "$out/tcp_big_veth0_tx_packets.txt"
# the same with TSO, GSO and GRO off on both ends: TCP then hands veth
# packets of the MTU, as omx does, so the two differ by protocol only
# offloads DEV: "tso on gso on gro off", as ethtool -K takes them back
offloads() {
	ethtool -k "$1" | sed -n 's/^tcp-segmentation-offload: \(o[nf]*\).*/tso \1/p
		s/^generic-segmentation-offload: \(o[nf]*\).*/gso \1/p
		s/^generic-receive-offload: \(o[nf]*\).*/gro \1/p' | tr '\n' ' '
}
saved0=$(offloads veth0) saved1=$(offloads veth1)
ethtool -K veth0 tso off gso off gro off && ethtool -K veth1 tso off gso off gro off ||
	{ log "ethtool -K failed"; rc=1; }
tcp_big tcp_big_nooffload tcp_nooffload 11799 || rc=1
# shellcheck disable=SC2086 # word splitting wanted: "tso on gso on ..."
ethtool -K veth0 $saved0; ethtool -K veth1 $saved1
log "$SMALL-byte stream through the in-host shared path and over the veth"
before=$(omx_counters -b 0 | sed -n 's/^  local_frames: //p')
ITERS=$SMALL_STREAM WARMUP=10 omx_run_to omx_shared_stream poll --shared -t stream -s "$SMALL" \
	-S "$SMALL" || rc=1
echo "local_frames $(( $(omx_counters -b 0 | sed -n 's/^  local_frames: //p') - before ))" \
	> "$out/omx_shared_local_frames.txt"
ITERS=$SMALL_STREAM WARMUP=10 omx_run_to omx_veth_stream poll -t stream -s "$SMALL" -S "$SMALL" ||
	rc=1

# --- the idle mx_test cost, last: it reloads omx with 4 boards ----------
log "mx_test_cost, $PARTNERS partners"
rxe_teardown
omx_unload && omx_load veth0,veth1,veth2,veth3 endpoints=256 || { log "omx reload failed"; rc=1; }
# partners are endpoints of boards 0..3, reached inside the host: the
# shared path is what connects board 0 to boards 2 and 3 (no veth between)
env -u OMX_DISABLE_SHARED bench/mx_test_cost --boards 4 --partners "$PARTNERS" \
	--calls "$CALLS" > "$out/mx_test_cost.csv" 2> "$out/mx_test_cost.log" ||
	{ log "mx_test_cost failed"; rc=1; }
log "raw results in $out"
exit $rc
