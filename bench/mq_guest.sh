# SPDX-License-Identifier: GPL-2.0-or-later
# Inside the multiqueue testbed (both nodes), for bench/multiqueue:
# measure omx with three receive set-ups on both nodes, one after the
# other in the same guest run (spread, cpu0 and mq: bench/mq_setup.sh).
# Per set-up: 0-byte ping-pong latency and 4 MiB stream throughput
# (omx_perf, endpoint 1, both processes on CPU 1), then 4 processes per
# node (endpoint p on CPU p) doing an all-to-all exchange (mx_exchange).
# node0 writes OUT/mq.csv.  Usage: bench/mq_guest.sh NODE [--quick] OUT
. tests/vm/lib.sh
quick=0
[ "${2-}" = --quick ] && { quick=1; shift; }
out=$2
me=$OMX_NODE
other=$((1 - me))
X=$OMX_TOP/tests/mx/mx_exchange
if [ "$quick" = 1 ]; then
	lat_n=200 bw_n=4 a2a_n=2
else
	lat_n=2000 bw_n=20 a2a_n=10
fi
ncpu=$(nproc)

. bench/mq_setup.sh

# a2a TAG: 4 processes per node, endpoint p on CPU p, all-to-all; prints
# the slowest process's milliseconds
a2a() {
	local tag=$1 p ms=0 m
	rm -f "/tmp/release.$tag"
	for p in 0 1 2 3; do
		taskset -c $((p % ncpu)) "$X" -e $((p + 4)) -d "node$other:0" -r 4,5,6,7 \
			-n "$a2a_n" -s 0,4000,100000 > "/tmp/a2a.$tag.$p" 2>&1 \
			< <(while [ ! -e "/tmp/release.$tag" ]; do sleep 0.2; done) &
	done
	for p in 0 1 2 3; do
		omx_wait_for 600 grep -q '^done ' "/tmp/a2a.$tag.$p" || { echo "a2a $tag: process $p did not finish" >&2; cat "/tmp/a2a.$tag.$p" >&2; }
		m=$(sed -n 's/^done .* bad=0 ms=\([0-9]*\)$/\1/p' "/tmp/a2a.$tag.$p")
		[ -n "$m" ] || { echo "a2a $tag: process $p failed" >&2; m=-1; }
		[ "$m" -gt "$ms" ] && ms=$m
	done
	omx_barrier "a2a-$tag"
	touch "/tmp/release.$tag"
	wait
	echo "$ms"
}

omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier loaded
omx_wait_for 60 sh -c "omx_info -d -w 1 | grep -q 'hostname=node$other:0 board=0\$'" ||
	{ echo "bench: node$other not discovered"; exit 1; }
omx_barrier discovered

[ "$me" = 0 ] && echo "setup,lat0_us,stream4M_MBps,a2a_ms" > "$out/mq.csv"
for s in spread cpu0 mq; do
	bench_setup "$s" || exit 1
	omx_barrier "setup-$s"
	if [ "$me" = 1 ]; then
		taskset -c 1 omx_perf -e 1 -1 > "/tmp/srv.$s.lat" 2>&1
		taskset -c 1 omx_perf -e 1 -1 > "/tmp/srv.$s.bw" 2>&1
	else
		sleep 1
		taskset -c 1 omx_perf -e 1 -d node1:0 -r 1 -t pingpong -s 0 -S 0 -n "$lat_n" -f csv \
			> "$out/mq_$s.lat.csv" 2>&1
		sleep 1
		taskset -c 1 omx_perf -e 1 -d node1:0 -r 1 -t stream -s 4194304 -S 4194304 \
			-n "$bw_n" -w 2 -f csv > "$out/mq_$s.bw.csv" 2>&1
	fi
	omx_barrier "perf-$s"
	ms=$(a2a "$s")
	if [ "$me" = 0 ]; then
		# omx_perf csv: test,mode,bytes,iterations,latency_us,MBps,MiBps
		lat=$(awk -F, '$1 == "pingpong" && $3 == 0 { print $5 }' "$out/mq_$s.lat.csv")
		bw=$(awk -F, '$1 == "stream" && $3 == 4194304 { print $6 }' "$out/mq_$s.bw.csv")
		echo "$s,${lat:-nan},${bw:-nan},$ms" >> "$out/mq.csv"
		echo "bench: $s: latency ${lat:-?} us, 4 MiB stream ${bw:-?} MB/s, all-to-all ${ms} ms"
	fi
done
bench_stop_rotator
bench_setup mq
exit 0
