# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host: bench/run boots its own guest
# Smoke test of the benchmark exactly as users run it: bench/run --quick
# boots the testbed once, measures omx_perf, raw frames, TCP, TIPC and
# Soft-RoCE, each busy-polling and blocking, then bench/mx_test_cost, and
# reports.  No timing thresholds: the table, CSV and PNG must hold one row
# per size and mode (and the 0-byte row) with every figure, the goals must
# be judged, mx_test_cost must have run with the partners asked for, and
# every contender must have crossed its veth pair (packet counters).
set -u
cd "$(dirname "$0")/../.."
out=tests/logs/bench-quick
rm -rf "$out"
. tests/check_lib.sh
partners=250	# bench/guest.sh's --quick figure

table=$(bench/run --quick --out "$out" 2>&1)
st=$?
printf '%s\n' "$table"
check "bench/run --quick exits 0" test "$st" -eq 0
csv=$(cat "$out/bench.csv" 2>/dev/null)
f='[0-9]+\.[0-9]+'
for mode in poll block; do
	rows=$(printf '%s\n' "$table" | sed -n "/^mode $mode:/,/^\$/p")
	for size in 64 4096; do
		check "table row $mode $size: 5 latencies, 4 ratios, 2 streams, 1 ratio" \
			matches "^ +$size( +$f){12}$" "$rows"
		check "csv row $mode $size" matches "^$mode,$size(,$f){12}\$" "$csv"
	done
	# no stream at 0 bytes; every contender's smallest message has a figure
	check "table row $mode 0: 5 latencies and 4 ratios" matches "^ +0( +$f){9}$" "$rows"
	check "csv row $mode 0" matches "^$mode,0(,$f){5},,,(,$f){4}\$" "$csv"
done
check "csv has a header and 6 rows (2 modes, 0, 64 and 4096 bytes)" test "$(wc -l < "$out/bench.csv")" -eq 7
check "csv header names the TIPC and Soft-RoCE columns" matches \
	",tipc_latency_us,rxe_latency_us,omx_tipc_latency_ratio,omx_rxe_latency_ratio$" \
	"$(head -n 1 "$out/bench.csv")"
check "report names each contender's smallest message" matches \
	"^Row 0: .*omx 0 B, TCP 14 B, raw 46 B, TIPC 1 B, Soft-RoCE 1 B" "$table"
goals=$(printf '%s\n' "$table" | sed -n '/^Issue 11 goals/,/^$/p')
for g in "raw 1.2" "TIPC 0.7" "Soft-RoCE 0.5" "TCP 0.45" "raw 1.1"; do
	check "goal omx/${g% *} <= ${g#* }x judged" matches \
		"^  omx/${g% *} $f+x \(goal <= ${g#* }x\): (met|not met), $f+x the goal, omx $f us (over|under) it$" \
		"$goals"
done
check "png" matches "PNG image data, 1200 x 500" "$(file "$out/bench.png")"

# every contender crossed a veth pair
check "TCP went out on veth0 in both modes" matches "^poll [1-9][0-9]*.*block [1-9][0-9]*" \
	"$(tr '\n' ' ' < "$out/tcp_veth0_tx_packets.txt")"
check "omx went out on veth0" matches "tx_(small|medium): [1-9]" "$(cat "$out/omx_counters_board0.txt")"
check "omx did not take the in-host path" matches "^  local_frames: 0$|^$" \
	"$(grep local_frames "$out/omx_counters_board0.txt")"
# TIPC: tv0 sent at least one frame per message (no same-host shortcut)
for mode in poll block; do
	check "TIPC crossed tv0, $mode: tx packets >= messages > 0" awk -v m="$mode" \
		'$1 == m && $3 > 0 && $5 >= $3 { ok = 1 } END { exit !ok }' \
		"$out/tipc_tx_packets.txt"
	check "Soft-RoCE crossed veth2, $mode: veth2 tx >= rxe0 sent >= messages > 0" \
		awk -v m="$mode" '$1 == m && $3 > 0 && $5 >= $3 && $7 >= $5 { ok = 1 } END { exit !ok }' \
		"$out/rxe_tx_packets.txt"
done

# the idle mx_test cost, with the partners asked for
mxc=$(cat "$out/mx_test_cost.csv" 2>/dev/null)
check "mx_test_cost: idle mx_test with 1 partner" matches "^mx_test_idle,1,[0-9]+,$f$" "$mxc"
check "mx_test_cost: idle mx_test with $partners partners" \
	matches "^mx_test_idle,$partners,[0-9]+,$f$" "$mxc"
check "mx_test_cost: ratio $partners/1" matches "^mx_test_ratio,$partners,[0-9]+,$f$" "$mxc"
check "mx_test_cost goals judged" matches \
	"^  ratio $partners partners / 1 partner $f+x \(goal <= 1.1x\): (met|not met)" "$table"
check "idle mx_test goal judged" matches \
	"^  idle mx_test, $partners partner\(s\), [0-9]+ calls $f+ ns \(goal <= 300 ns\): (met|not met)" \
	"$table"
# issue 12's transport rows: judged, with every figure
rows12=$(printf '%s\n' "$table" | sed -n '/^Issue 12 goals/,/^$/p')
check "4 MiB stream omx/TCP judged" matches \
	"^  4 MiB stream over the veth, blocking: omx $f MB/s, TCP $f MB/s, omx/TCP $f+x \(goal >= 1.2x\): (met|not met)$" \
	"$rows12"
check "4 MiB stream against TCP without offloads" matches \
	"^    TCP without TSO/GSO/GRO: $f MB/s, omx/TCP $f+x$" "$rows12"
# TCP without offloads hands veth packets of the MTU (9000): fewer than
# 9100 bytes each on average, where GSO packets carry tens of KB
check "TCP without offloads sent MTU-sized packets" matches "^    tcp_nooffload: veth0 tx [0-9]+ packets per 4 MiB message, ([0-9]{1,3}|[0-8][0-9]{3}|90[0-9]{2}) bytes per packet$" \
	"$rows12"
check "4 MiB stream of omx polling" matches "^    omx polling: $f MB/s$" "$rows12"
check "64-byte stream shared/veth judged" matches \
	"^  64-byte stream, polling: shared path [0-9]+ msg/s, veth [0-9]+ msg/s, shared/veth $f+x \(goal >= 0.5x\): (met|not met)$" \
	"$rows12"
check "the shared stream stayed in the host" matches "^  shared run, board 0 local_frames [1-9]" "$rows12"
check "TCP 4 MiB stream went out on veth0" matches "^stream [1-9][0-9]*$" \
	"$(cat "$out/tcp_big_veth0_tx_packets.txt" 2>/dev/null)"
echo "$failed failed"
[ "$failed" -eq 0 ]
