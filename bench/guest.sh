# SPDX-License-Identifier: GPL-2.0-or-later
# The measuring half of bench/run, inside a pair-topology guest (veth0 and
# veth1 attached to omx as boards 0 and 1): usage NODE [--quick] OUTDIR.
# Writes one CSV per contender and mode into OUTDIR; bench/report turns
# them into the table, bench.csv and bench.png.  See bench/README.md.
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
	MIN=64 MAX=4096 MULT=8 ITERS=200 WARMUP=10 SECS=1
else
	MIN=16 MAX=32768 MULT=2 ITERS=1000 WARMUP=50 SECS=2
fi
# sizes of the sweep, as omx_perf and raw_pingpong walk it
sizes=$(s=$MIN; while [ "$s" -le "$MAX" ]; do echo "$s"; s=$((s * MULT)); done)
mtu=$(cat /sys/class/net/veth0/mtu)
raw_max=$(for s in $sizes; do [ "$s" -le "$mtu" ] && echo "$s"; done | tail -n 1)

log() { echo "bench: $*"; }

# --- TCP across the veth pair in one namespace ------------------------
# Both addresses are local, so the kernel would deliver over lo.  Policy
# routing sends locally generated packets for the other end out of the
# own veth, and the local table only answers what arrives on a veth.
ip addr add 10.77.0.1/24 dev veth0
ip addr add 10.77.0.2/24 dev veth1
ip rule add pref 10 iif lo to 10.77.0.2 lookup 7701
ip rule add pref 11 iif lo to 10.77.0.1 lookup 7702
ip route add 10.77.0.2 dev veth0 src 10.77.0.1 table 7701
ip route add 10.77.0.1 dev veth1 src 10.77.0.2 table 7702
ip rule add pref 100 lookup local
ip rule del pref 0
for i in all veth0 veth1; do
	sysctl -qw net.ipv4.conf.$i.rp_filter=0 net.ipv4.conf.$i.accept_local=1
done
# static neighbours: no ARP in the figures
ip neigh replace 10.77.0.2 lladdr "$(cat /sys/class/net/veth1/address)" dev veth0
ip neigh replace 10.77.0.1 lladdr "$(cat /sys/class/net/veth0/address)" dev veth1

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
	kill "$srv" 2> /dev/null
	wait "$srv" 2> /dev/null
}

rc=0
for mode in poll block; do
	log "omx_perf, $mode"
	omx_perf -b 1 -1 > "$out/omx_server_$mode.log" 2>&1 < <(sleep 3600) &
	srv=$!
	omx_wait_for 20 grep -q "waiting for clients" "$out/omx_server_$mode.log"
	omx_perf -d node0:1 -b 0 -t both -s "$MIN" -S "$MAX" -m "$MULT" -n "$ITERS" \
		-w "$WARMUP" -M "$mode" -f csv > "$out/omx_$mode.csv" || { log "omx_perf failed"; rc=1; }
	wait "$srv" || rc=1

	log "raw AF_PACKET ping-pong, $mode"
	bench/raw_pingpong -i veth1 -r -M "$mode" > "$out/raw_server_$mode.log" 2>&1 &
	srv=$!
	omx_wait_for 20 grep -q echoing "$out/raw_server_$mode.log"
	bench/raw_pingpong -i veth0 -d "$(cat /sys/class/net/veth1/address)" -s "$MIN" \
		-S "$raw_max" -m "$MULT" -n "$ITERS" -w "$WARMUP" -M "$mode" -q \
		> "$out/raw_$mode.csv" || { log "raw_pingpong failed"; rc=1; }
	wait "$srv" || rc=1

	log "TCP (sockperf), $mode"
	before=$(tx_packets)
	sockperf_run "$mode"
	# proof that TCP crossed the veth pair and not lo
	echo "$mode $(( $(tx_packets) - before ))" >> "$out/tcp_veth0_tx_packets.txt"
done
# proof that omx crossed the veth pair too (OMX_DISABLE_SHARED above)
omx_counters -b 0 > "$out/omx_counters_board0.txt"
log "raw results in $out"
exit $rc
