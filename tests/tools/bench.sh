# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host: bench/run boots its own guest
# Smoke test of the benchmark exactly as users run it: bench/run --quick
# boots the testbed once, measures omx_perf, TCP and raw frames on the
# veth pair, each busy-polling and blocking, and reports.  No timing
# thresholds: the table, CSV and PNG must hold one row per size and mode
# with every figure, and both omx and TCP must have crossed the veths.
set -u
cd "$(dirname "$0")/../.."
out=tests/logs/bench-quick
rm -rf "$out"
. tests/check_lib.sh

table=$(bench/run --quick --out "$out" 2>&1)
st=$?
printf '%s\n' "$table"
check "bench/run --quick exits 0" test "$st" -eq 0
for mode in poll block; do
	rows=$(printf '%s\n' "$table" | sed -n "/^mode $mode:/,/^\$/p")
	for size in 64 512 4096; do
		check "table row $mode $size: omx, tcp, raw and ratios" \
			matches "^ +$size( +[0-9]+\.[0-9]+){8}$" "$rows"
		check "csv row $mode $size" \
			matches "^$mode,$size(,[0-9]+\.[0-9]+){8}\$" "$(cat "$out/bench.csv" 2>/dev/null)"
	done
done
check "csv has a header and 6 rows" test "$(wc -l < "$out/bench.csv")" -eq 7
check "png" matches "PNG image data, 1200 x 500" "$(file "$out/bench.png")"
check "TCP went out on veth0 in both modes" matches "^poll [1-9][0-9]*.*block [1-9][0-9]*" \
	"$(tr '\n' ' ' < "$out/tcp_veth0_tx_packets.txt")"
check "omx went out on veth0" matches "tx_(small|medium): [1-9]" "$(cat "$out/omx_counters_board0.txt")"
check "omx did not take the in-host path" matches "^  local_frames: 0$|^$" \
	"$(grep local_frames "$out/omx_counters_board0.txt")"
echo "$failed failed"
[ "$failed" -eq 0 ]
