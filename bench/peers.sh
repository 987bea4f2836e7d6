# SPDX-License-Identifier: GPL-2.0-or-later
# Set-up and measurement of the two contenders of bench/guest.sh that need
# a veth pair of their own: Soft-RoCE (rdma_rxe + perftest's ib_send_lat)
# and TIPC (bench/tipc_pingpong).
# Sourced by bench/guest.sh, which sets $out, $ITERS, $WARMUP and log().
# Why each set-up looks the way it does: bench/README.md, "How the traffic
# is kept on the wire".

# --- Soft-RoCE ---------------------------------------------------------
# rxe works only in the initial netns of the Debian 6.1 kernel, so its
# veth pair (veth2/veth3) stays there, with the same policy routing as TCP.
RXE_A=10.78.0.1
RXE_B=10.78.0.2

rxe_setup() {
	modprobe rdma_rxe || { log "modprobe rdma_rxe failed"; return 1; }
	ip link add veth2 type veth peer name veth3 || return 1
	for i in veth2 veth3; do
		ip link set "$i" mtu 9000 up
		sysctl -qw net.ipv4.conf.$i.rp_filter=0 net.ipv4.conf.$i.accept_local=1
	done
	ip addr add $RXE_A/24 dev veth2
	ip addr add $RXE_B/24 dev veth3
	# guest.sh has already moved the local table to priority 100
	ip rule add pref 12 iif lo to $RXE_B lookup 7801
	ip rule add pref 13 iif lo to $RXE_A lookup 7802
	ip route add $RXE_B dev veth2 src $RXE_A table 7801
	ip route add $RXE_A dev veth3 src $RXE_B table 7802
	ip neigh replace $RXE_B lladdr "$(cat /sys/class/net/veth3/address)" dev veth2 nud permanent
	ip neigh replace $RXE_A lladdr "$(cat /sys/class/net/veth2/address)" dev veth3 nud permanent
	rdma link add rxe0 type rxe netdev veth2 || return 1
	rdma link add rxe1 type rxe netdev veth3 || return 1
	RXE_GID0=$(omx_wait_for 20 rxe_gid_index rxe0 $RXE_A) || { log "no IPv4 GID on rxe0"; return 1; }
	RXE_GID1=$(omx_wait_for 20 rxe_gid_index rxe1 $RXE_B) || { log "no IPv4 GID on rxe1"; return 1; }
	log "rxe0 (veth2) GID index $RXE_GID0, rxe1 (veth3) GID index $RXE_GID1"
}

# rxe_gid_index DEV IPV4: index of DEV's RoCE v2 GID mapping IPV4 (::ffff:a.b.c.d)
rxe_gid_index() {
	local want g i
	want=$(echo "$2" | awk -F. '{printf "0000:0000:0000:0000:0000:ffff:%02x%02x:%02x%02x", $1, $2, $3, $4}')
	for g in /sys/class/infiniband/"$1"/ports/1/gids/*; do
		i=${g##*/}
		[ "$(cat "$g" 2>/dev/null)" = "$want" ] &&
			grep -qs "RoCE v2" /sys/class/infiniband/"$1"/ports/1/gid_attrs/types/"$i" &&
			{ echo "$i"; return 0; }
	done
	return 1
}

rxe_sent() { cat /sys/class/infiniband/rxe0/ports/1/hw_counters/sent_pkts; }
veth2_tx() { cat /sys/class/net/veth2/statistics/tx_packets; }

# rxe_lat MODE SIZE ITERS: one ib_send_lat run (it takes one size per run);
# prints its average one-way latency (it reports half the round trip)
rxe_lat() {
	local ev='' srv lat
	[ "$1" = block ] && ev=-e
	# the server waits for its client for ever: bound it like the client
	timeout 120 ib_send_lat -d rxe1 -i 1 -x "$RXE_GID1" -s "$2" -n "$3" $ev -F \
		>> "$out/rxe_server_$1.log" 2>&1 &
	srv=$!
	# its out-of-band TCP port: a client started before it listens fails
	# at once ("Couldn't connect", seen in CI after a fixed 1 s sleep)
	omx_wait_for 30 sh -c 'ss -ltn | grep -q ":18515 "'
	lat=$(timeout 120 ib_send_lat -d rxe0 -i 1 -x "$RXE_GID0" -s "$2" -n "$3" $ev -F $RXE_B 2>&1 |
		tee -a "$out/rxe_$1.log" |
		awk -v s="$2" '$1 == s && NF >= 6 && $2 ~ /^[0-9]+$/ { print $6 }')
	wait "$srv"
	echo "$lat"
}

# rxe_run MODE SIZES...: -> rxe_MODE.csv, and the proof in rxe_tx_packets.txt
rxe_run() {
	local mode=$1 s lat sent0 tx0 n=0
	shift
	sent0=$(rxe_sent)
	tx0=$(veth2_tx)
	echo "test,mode,bytes,iterations,latency_us,MBps,MiBps" > "$out/rxe_$mode.csv"
	for s in "$@"; do
		# ib_send_lat in a TCG guest now and then prints "inf" for every
		# column of a run (seen in CI at 1 B, polling): no figure, try again
		for try in 1 2 3; do
			lat=$(rxe_lat "$mode" "$s" "$ITERS")
			case $lat in
			''|*inf*|*nan*) log "ib_send_lat $mode $s B, try $try: no figure (${lat:-none})" ;;
			*) break ;;
			esac
		done
		case $lat in
		''|*inf*|*nan*) log "ib_send_lat $mode $s B failed (see rxe_$mode.log)"; return 1 ;;
		esac
		echo "pingpong,$mode,$s,$ITERS,$lat,$(echo "$s $lat" | awk '{printf "%.3f,%.3f", $1/$2, $1/$2*1e6/1048576}')" >> "$out/rxe_$mode.csv"
		n=$((n + ITERS))
	done
	# rxe0's own count of RoCE packets it sent, and what veth2 carried
	echo "$mode messages $n rxe0_sent_pkts $(( $(rxe_sent) - sent0 )) veth2_tx_packets $(( $(veth2_tx) - tx0 ))" \
		>> "$out/rxe_tx_packets.txt"
}

rxe_teardown() {
	rdma link delete rxe0
	rdma link delete rxe1
}

# --- TIPC --------------------------------------------------------------
# Two netns (tipca, tipcb) joined by the veth pair tv0/tv1, one TIPC node
# each.  Nodes of one kernel find each other's netns through the peer-net
# hash word (word 13, byte 52) of their LINK_CONFIG discovery messages and
# then hand messages over inside the kernel, never touching the veth; a tc
# pedit action overwrites that word on egress so that no netns matches.
TIPC_LINK_CONFIG=0x1a000000	# user 13 in bits 25..28 of word 0
TIPC_USER_MASK=0x1e000000

tipc_setup() {
	local ns dev id=1
	modprobe tipc || { log "modprobe tipc failed"; return 1; }
	ip netns add tipca && ip netns add tipcb || return 1
	ip link add tv0 type veth peer name tv1 || return 1
	ip link set tv0 netns tipca && ip link set tv1 netns tipcb || return 1
	for ns in tipca tipcb; do
		dev=tv$((id - 1))
		ip -n $ns link set lo up
		ip -n $ns link set $dev mtu 9000 up
		tc -n $ns qdisc add dev $dev clsact || return 1
		tc -n $ns filter add dev $dev egress protocol 0x88ca prio 1 u32 \
			match u32 $TIPC_LINK_CONFIG $TIPC_USER_MASK at 0 \
			action pedit munge offset 52 u32 set 0x5eedf00d || return 1
		ip netns exec $ns tipc node set identity "bench$id" || return 1
		ip netns exec $ns tipc bearer enable media eth device $dev || return 1
		id=$((id + 1))
	done
	omx_wait_for 30 tipc_link_up || { log "TIPC link tipca-tipcb not up"; return 1; }
	log "TIPC link up: $(ip netns exec tipca tipc link list | tr '\n' ' ')"
}

tipc_link_up() { ip netns exec tipca tipc link list 2>/dev/null | grep -v broadcast | grep -q ": up"; }
tv0_tx() { ip netns exec tipca cat /sys/class/net/tv0/statistics/tx_packets; }

# tipc_one MODE MIN MAX: one tipc_pingpong client run in tipca (sizes MIN,
# MIN*MULT, ... MAX) against an echo side in tipcb; prints its CSV
tipc_one() {
	local mode=$1 srv rc=0
	ip netns exec tipcb bench/tipc_pingpong -r -M "$mode" > "$out/tipc_server_$mode.log" 2>&1 &
	srv=$!
	omx_wait_for 20 grep -q echoing "$out/tipc_server_$mode.log" || return 1
	ip netns exec tipca bench/tipc_pingpong -M "$mode" -s "$2" -S "$3" -m "$MULT" \
		-n "$ITERS" -w "$WARMUP" -q || rc=1
	wait "$srv" || rc=1
	return $rc
}

# tipc_run MODE: TIPC_MIN and the sweep -> tipc_MODE.csv; the proof (tv0's
# tx packets against the messages sent) in tipc_tx_packets.txt
tipc_run() {
	local mode=$1 tx0 rc=0 rows
	tx0=$(tv0_tx)
	tipc_one "$mode" "$TIPC_MIN" "$TIPC_MIN" > "$out/tipc_$mode.csv" || rc=1
	tipc_one "$mode" "$MIN" "$MAX" > "$out/tipc_$mode.part" || rc=1
	tail -n +2 "$out/tipc_$mode.part" >> "$out/tipc_$mode.csv"
	rm -f "$out/tipc_$mode.part"
	rows=$(($(wc -l < "$out/tipc_$mode.csv") - 1))
	echo "$mode messages $((rows * (ITERS + WARMUP))) tv0_tx_packets $(( $(tv0_tx) - tx0 ))" \
		>> "$out/tipc_tx_packets.txt"
	return $rc
}
