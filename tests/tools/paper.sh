# SPDX-License-Identifier: GPL-2.0-or-later
# omx-host-long: bench/paper/run boots its own guests; about 5 minutes, not in make check
# (tests/check --long -f tools/paper, or make check-long)
# Smoke test of the paper's tables exactly as users run them:
# bench/paper/run --quick boots the multiqueue testbed with two packages
# of two cores per guest and fills Tables 1 and 2.  No timing threshold:
# every row must be there with its figures, each class must have been
# placed on the CPU the guest's topology implies (packages {0,1} {2,3},
# one L3 per package: no SP), the cache-miss cells must be empty with
# omx_perf's reason (no PMU in TCG), and the plots and report must exist.
set -u
cd "$(dirname "$0")/../.."
out=tests/logs/paper-quick
rm -rf "$out"
. tests/check_lib.sh

report=$(bench/paper/run --quick --out "$out" 2>&1)
st=$?
printf '%s\n' "$report"
check "bench/paper/run --quick exits 0" test "$st" -eq 0
t1=$(cat "$out/table1.csv" 2> /dev/null)
t2=$(cat "$out/table2.csv" 2> /dev/null)
num='[0-9]+(\.[0-9]+)?'
# setup,class,cpu,irq_cpus,lat0_us,stream4M_MBps
for row in "spread,rr,1,rotating" "cpu0,SC,0,0" "cpu0,S\\\$,1,0" "cpu0,OP,2,0" \
	"mq,SC,1,1" "mq,S\\\$,0,1" "mq,OP,2,1"; do
	check "table 1: $row with latency and throughput" matches "^$row,$num,$num\$" "$t1"
done
for s in cpu0 mq; do
	check "table 1: $s SP is n/a (the L3 covers the package)" matches "^$s,SP,n/a,[0-9]+,,\$" "$t1"
done
check "table 1: header and 9 rows" test "$(printf '%s\n' "$t1" | wc -l)" -eq 10
# setup,class,cpu,bytes,latency_us,event,user_per_msg,kernel_per_msg,note
for cfg in "spread,rr,1" "cpu0,S\\\$,1" "cpu0,SC,0"; do
	for b in 0 128 32768 1048576; do
		check "table 2: $cfg $b B: latency, no counts" \
			matches "^$cfg,$b,$num,[A-Za-z0-9_:]*,,," "$t2"
	done
done
check "table 2: header and 12 rows" test "$(printf '%s\n' "$t2" | wc -l)" -eq 13
check "table 2: omx_perf's reason for the empty counts is recorded" \
	matches '^spread,rr,1,0,.*,,,.*[a-z]{4}' "$t2"
check "report: Table 1 ratio to mq SC is 1.00" \
	matches '^mq +SC +1 +1 +[0-9.]+ +1\.00 +[0-9.]+ +1\.00$' "$report"
check "report.md names the cells a TCG guest cannot fill" \
	matches 'no CPU at that class on this machine\): cpu0/SP, mq/SP' "$(cat "$out/report.md" 2> /dev/null)"
check "report.md says the misses need real hardware" \
	matches 'need real hardware' "$(cat "$out/report.md" 2> /dev/null)"
for p in table1 table2; do
	check "$p.png" matches "PNG image data, 1000 x 700" "$(file "$out/$p.png")"
done
echo "$failed failed"
[ "$failed" -eq 0 ]
