# SPDX-License-Identifier: GPL-2.0-or-later
# Runs on each node of the demo cluster (see scripts/demo): show the board
# omx attached, discover the other node, show it in the peer table, run
# omx_perf between the two nodes (server on node1, client on node0) and
# TCP at 64 KiB and 1 MiB on the same link for comparison, then
# start four MX processes per node, one per receive queue, which the
# library binds beside their queue's core, and show the chain on node0
# with omx_affinity (queue -> IRQ -> CPU -> process, SC/S$/SP/OP).
. tests/vm/lib.sh
peer=node$((1 - OMX_NODE))

# The virtual link reports carrier a moment after the interface goes up.
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
echo "== $(hostname): omx.ko loaded, attached to eth0 (4 receive queues, queue q's IRQ on CPU q)"
omx_info
omx_barrier loaded

echo "== $(hostname): discovering peers (HOST_QUERY/HOST_REPLY on the wire)"
omx_info --discover --wait 10 > /tmp/info.txt
omx_barrier discovered
cat /tmp/info.txt
echo "== $(hostname): counters of board 0"
omx_counters -b 0 | grep -E 'rx_frames|tx_frames|host_(query|reply)'

if grep -q "^peer [0-9]*: .* hostname=$peer:0 " /tmp/info.txt; then
	echo "== $(hostname) sees $peer"
else
	echo "== $(hostname) does NOT see $peer"
	exit 1
fi

# omx_perf over the link: ping-pong and stream, 0 bytes to 1 MiB (few
# iterations: under qemu TCG every byte costs), sleeping in mx_wait
# (-M block) as TCP below sleeps in recv: a process busy-polling in a
# guest takes the host CPU the guest's own receive path needs (bench/
# README.md, "Large messages on the lossy link"), and compares polling
# with blocking, never omx with TCP.
if [ "$OMX_NODE" = 1 ]; then
	omx_perf -1 > /tmp/perf_server.txt 2>&1 < <(sleep 600) &
	server=$!
	omx_wait_for 20 grep -q "waiting for clients" /tmp/perf_server.txt
	omx_barrier perf_server
	wait "$server"
	rc=$?
	cat /tmp/perf_server.txt
	[ "$rc" = 0 ] || exit "$rc"
else
	omx_barrier perf_server
	echo "== $(hostname): omx_perf -d $peer:0 -M block -t both (qemu TCG: the figures mean little alone)"
	omx_perf -d "$peer:0" -M block -t both -S 1048576 -n 20 -w 2 || exit 1
fi
omx_barrier perf_done

# TCP over the same link, as the yardstick for the large rows above
ip addr add "10.79.0.$((OMX_NODE + 1))/24" dev eth0
if [ "$OMX_NODE" = 1 ]; then
	python3 bench/tcp_bench.py serve 10.79.0.2 11797 &
	server=$!
	omx_wait_for 10 sh -c 'ss -ltn | grep -q ":11797 "'
	omx_barrier tcp_server
	wait "$server"
else
	omx_barrier tcp_server
	echo "== $(hostname): TCP on the same link (bench/tcp_bench.py: test,bytes,iterations,usec per message)"
	timeout 120 python3 bench/tcp_bench.py run 10.79.0.2 11797 20 65536 1048576 || exit 1
fi
omx_barrier tcp_done

# One process per receive queue: endpoint E lands on queue E % 4 (the NIC
# hashes the destination endpoint), and the library binds the process to
# that queue's core (OMX_PROCESS_BINDING=auto, docs/binding.md).
echo "== $(hostname): 4 MX processes on endpoints 4-7, exchanging with $peer"
omx_xchg_start demo 5 4 5 6 7
omx_xchg_wait demo 4 5 6 7 || exit 1
omx_barrier exchanged
if [ "$OMX_NODE" = 0 ]; then
	echo "== $(hostname): omx_affinity (where each queue's IRQ and each process run)"
	omx_affinity -b 0 || exit 1
fi
omx_barrier shown
omx_xchg_release demo
