# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/twonode_trace (twonode topology): usage NODE ITERS
# MODE OUTDIR TEST:SIZE...  Both nodes enable the driver's omx:* trace
# events (docs/tracing.md); for each TEST:SIZE node0 runs omx_perf -t
# TEST at SIZE bytes to node1 (-n ITERS -w 2, -M MODE), and each node
# writes its trace of that run into OUTDIR/TEST_SIZE.nodeN.trace and
# omx_perf's csv into OUTDIR/TEST_SIZE.csv; bench/twonode_trace_report
# reads them on the host.
. tests/vm/lib.sh
me=$OMX_NODE
ITERS=${2:?usage: NODE ITERS MODE OUTDIR TEST:SIZE...}
MODE=${3:?}
OUT=${4:?}
shift 4
ip addr add "10.78.0.$((me + 1))/24" dev eth0
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'

T=/sys/kernel/tracing
[ -e "$T/trace" ] || mount -t tracefs nodev "$T" || t_fail "cannot mount tracefs on $T"
[ -d "$T/events/omx" ] || t_fail "no omx events in $T/events: omx.ko built without omx_trace.h?"
echo 0 > "$T/tracing_on"
echo nop > "$T/current_tracer"
# about 16 events per message; room for thousands of messages on one CPU
echo 8192 > "$T/buffer_size_kb"
echo 1 > "$T/events/omx/enable"
omx_barrier up

if [ "$me" = 1 ]; then
	omx_perf -b 0 > /tmp/perf.out 2>&1 < <(sleep 3600) &
	srv=$!
	omx_wait_for 20 grep -q "waiting for clients" /tmp/perf.out
	omx_publish perf ready
else
	omx_lookup perf > /dev/null
fi

for run in "$@"; do
	test=${run%%:*}
	size=${run#*:}
	echo > "$T/trace"
	echo 1 > "$T/tracing_on"
	omx_barrier "start_$run"
	if [ "$me" = 0 ]; then
		echo "omx_trace: $test $size begin" > "$T/trace_marker"
		timeout 300 omx_perf -d node1:0 -M "$MODE" -t "$test" -s "$size" -S "$size" \
			-n "$ITERS" -w 2 -f csv > "$OUT/${test}_$size.csv" 2>&1 ||
			echo "bench: omx_perf $test $size failed"
		echo "omx_trace: $test $size end" > "$T/trace_marker"
		grep "^$test," "$OUT/${test}_$size.csv"
	fi
	omx_barrier "end_$run"
	echo 0 > "$T/tracing_on"
	cp "$T/trace" "$OUT/${test}_$size.node$me.trace"
	# a full buffer overwrites the oldest events: the report would lie
	grep -q 'entries-in-buffer/entries-written: \([0-9]*\)/\1 ' "$OUT/${test}_$size.node$me.trace" ||
		echo "bench: node$me lost trace events in $test $size"
done
echo 0 > "$T/events/omx/enable"
omx_barrier all_done
[ "$me" = 1 ] && kill "$srv"
t_ok "traced"
t_done
