# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# Smoke test of the benchmark: bench/run --quick without its boot (the
# harness booted this guest): bench/guest.sh --quick measures, bench/report
# merges.  No timing thresholds: the table, CSV and PNG must exist and
# hold one row per size and mode, and TCP must have crossed the veths.
. tests/vm/lib.sh
out=/tmp/bench
t_check "raw_pingpong builds" make -s -C bench
t_check "quick measurement" bash bench/guest.sh 0 --quick "$out"
table=$(bench/report "$out")
t_check "report" test $? -eq 0
printf '%s\n' "$table"
for mode in poll block; do
	for size in 64 512 4096; do
		t_match "table row $mode $size: omx, tcp, raw and ratios" \
			"^ +$size( +[0-9]+\.[0-9]+){8}$" \
			"$(printf '%s\n' "$table" | sed -n "/^mode $mode:/,/^\$/p")"
		t_match "csv row $mode $size" "^$mode,$size(,[0-9]+\.[0-9]+){8}\$" "$(cat $out/bench.csv)"
	done
done
t_check "csv has a header and 6 rows" test "$(wc -l < $out/bench.csv)" -eq 7
t_match "png" "PNG image data, 1200 x 500" "$(file $out/bench.png)"
t_match "TCP went out on veth0 in both modes" "^poll [1-9][0-9]*.*block [1-9][0-9]*" \
	"$(tr '\n' ' ' < $out/tcp_veth0_tx_packets.txt)"
t_match "omx used the wire" "tx_medium|tx_small" "$(omx_counters -b 0)"
t_done
