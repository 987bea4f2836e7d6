# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/twonode (run on the twonode topology): omx_perf
# ping-pong and stream at every power of two from 16 KiB to 4 MiB from
# node0 to node1 over the qemu socket link, next to TCP
# (bench/tcp_bench.py ping-pong and stream) on the same link, with the
# medium and pull counters of both nodes and the client library's
# transport counters (omx_perf -v). TCP runs twice: as the guests come
# (the virtio link carries TCP's GSO/TSO segments of up to 64 KiB as one
# frame each) and with segmentation and receive offloads off on both
# nodes (every frame at most the MTU, as omx's are). Prints omx_perf's
# csv, "tcp,TEST,BYTES,ITERS,usec", "tcp_nooffload,..." and
# "frames,WHAT,N": eth0 tx packets of node0 during each run.
. tests/vm/lib.sh
me=$OMX_NODE
# arguments after the node: ITERS and omx_perf's mode (bench/twonode)
ITERS=${2:-20}
MODE=${3:-block}
[ "$me" = 1 ] || echo "bench: $ITERS iterations, omx_perf -M $MODE"
ip addr add "10.78.0.$((me + 1))/24" dev eth0
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier up
counters() {
	omx_counters -b 0 | grep -E ' (tx_medium|rx_medium|tx_pull_reply|rx_pull_reply|tx_pull|pull_[a-z_]*|rx_drop_stale_pull_reply):' |
		sed "s/^/  node$me $1: /"
}
counters before
tx() { cat /sys/class/net/eth0/statistics/tx_packets; }
SIZES="16384 32768 65536 131072 262144 524288 1048576 2097152 4194304"
# tcp_round NAME PORT: one TCP ping-pong and stream run, node0 -> node1
tcp_round() {
	local name=$1 port=$2 srv t0
	if [ "$me" = 1 ]; then
		python3 bench/tcp_bench.py serve 10.78.0.2 "$port" &
		srv=$!
		sleep 1
		omx_publish "$name" ready
		omx_barrier "${name}_done"
		kill "$srv" 2> /dev/null
	else
		omx_lookup "$name" > /dev/null
		t0=$(tx)
		# shellcheck disable=SC2086 # the sizes are words
		timeout 300 python3 bench/tcp_bench.py run 10.78.0.2 "$port" "$ITERS" 64 $SIZES |
			sed "s/^tcp,/$name,/"
		echo "$name exit ${PIPESTATUS[0]}"
		echo "frames,$name,$(($(tx) - t0))"
		omx_barrier "${name}_done"
	fi
}
if [ "$me" = 1 ]; then
	omx_perf -b 0 > /tmp/perf.out 2>&1 < <(sleep 3600) &
	srv=$!
	omx_wait_for 20 grep -q "waiting for clients" /tmp/perf.out
	omx_publish perf ready
	omx_barrier omx_done
	kill "$srv"
	counters after_omx
else
	omx_lookup perf > /dev/null
	# the round trip of small frames that a rendezvous (RNDV, then PULL)
	# adds before the first byte of a large message: 64-byte ping-pong
	# (tiny frames: no medium or pull counter moves)
	timeout 100 omx_perf -d node1:0 -M "$MODE" -t pingpong -s 64 -S 64 -n 200 -w 10 -f csv |
		grep '^pingpong,'
	start=$(date +%s.%N)
	t0=$(tx)
	timeout 500 omx_perf -v -d node1:0 -M "$MODE" -t both -s 16384 -S 4194304 -m 2 -n "$ITERS" -w 2 -f csv \
		> /tmp/omx.csv 2>&1
	echo "omx_perf exit $? in $(echo "$(date +%s.%N) $start" | awk '{printf "%.1f", $1-$2}') s"
	echo "frames,omx,$(($(tx) - t0))"
	cat /tmp/omx.csv
	counters after_omx
	omx_barrier omx_done
fi
tcp_round tcp 11799
ethtool -K eth0 tso off gso off gro off > /dev/null 2>&1
echo "eth0 offloads now: $(ethtool -k eth0 | grep -E '^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload):' | tr -s '\n' ' ')"
omx_barrier offloads_off
tcp_round tcp_nooffload 11800
t_ok "bench ran"
t_done
