# SPDX-License-Identifier: GPL-2.0-or-later
# The runs of the paper's Tables 1 and 2 (seeds/002), on one of two nodes:
# bench/paper/run starts it on both guests of the multiqueue testbed; on
# two real hosts, start it by hand on both (bench/paper/README.md).
#   bench/paper/node.sh NODE [--quick] OUT
# Node 1 serves, node 0 measures and writes OUT/table1.csv and
# OUT/table2.csv.  Both nodes put their NIC in the same receive set-up
# (bench/mq_setup.sh) and their process at the same placement class
# relative to the CPU that processes its receive queue, the paper's:
#   SC  that CPU              S$  another core sharing a cache with it
#   SP  same package, no cache shared   OP  another package
# A class this machine cannot give (no such CPU) is recorded as "n/a".
# Placement is by taskset: the library leaves a restricted process alone.
. tests/vm/lib.sh
. bench/mq_setup.sh
quick=0
[ "${2-}" = --quick ] && { quick=1; shift; }
out=$2
me=$OMX_NODE
other=$((1 - me))
peer=${OMX_PAPER_PEER:-node$other:0}
EID=1	# queue 1 with 4 queues: its IRQ on CPU 1
if [ "$quick" = 1 ]; then
	lat_n=50 bw_n=1 t2_n=10 wup=2
else
	lat_n=2000 bw_n=20 t2_n=500 wup=10
fi
mkdir -p "$out"
scratch=$out/node$me
mkdir -p "$scratch"

# in_list CPU LIST: CPU is one of the comma-separated LIST
in_list() { case ",$2," in *",$1,"*) return 0 ;; esac; return 1; }
# minus A B: the CPUs of list A not in list B
minus() {
	local c r=
	for c in ${1//,/ }; do in_list "$c" "$2" || r=${r:+$r,}$c; done
	echo "$r"
}
# pus TYPE CPU: the PUs of the object of TYPE holding CPU, "" if no such type
pus() { omx_pus_of "$1" "$2" 2> /dev/null; }

# class_cpu CLASS REF: the first CPU at placement CLASS from CPU REF, "" if none
class_cpu() {
	local class=$1 ref=$2 core t c shared= widest= pkg all
	core=$(pus core "$ref")
	all=$(omx_cpus_expand "$(cat /sys/devices/system/cpu/online)")
	pkg=$(pus package "$ref")
	[ -n "$pkg" ] || pkg=$all
	for t in l1cache l2cache l3cache l4cache l5cache; do
		c=$(pus "$t" "$ref")
		[ -n "$c" ] || continue
		widest=$c
		[ -z "$shared" ] && [ -n "$(minus "$c" "$core")" ] && shared=$c
	done
	case $class in
	SC) echo "$ref" ;;
	S\$) [ -n "$shared" ] && minus "$shared" "$core" | cut -d, -f1 ;;
	SP) minus "$pkg" "${widest:-$core}" | cut -d, -f1 ;;
	OP) minus "$all" "$pkg" | cut -d, -f1 ;;
	esac
}

# serve: node 1 answers one omx_perf client on CPU $1
serve() { taskset -c "$1" omx_perf -e $EID -1 >> "$scratch/server.log" 2>&1; }
# client CPU ARGS...: node 0 measures on CPU, csv on stdout
client() {
	local cpu=$1
	shift
	sleep 1
	taskset -c "$cpu" omx_perf -e $EID -d "$peer" -r $EID -f csv "$@"
}
# column NAME: the value of column NAME in the first data row of csv stdin
column() { awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next }
	c && !done { print $c; done = 1 }'; }

# warm: one round per set-up so that moved vectors have fired once
warm() {
	if [ "$me" = 1 ]; then serve "$1"; else client "$1" -t pingpong -s 0 -S 0 -n 20 > /dev/null; fi
	omx_barrier "warm-$2"
}

# measure TAG CPU ARGS...: one omx_perf round between the nodes; node 0
# leaves the csv in $scratch/TAG.csv
measure() {
	local tag=$1 cpu=$2
	shift 2
	if [ "$me" = 1 ]; then
		serve "$cpu"
	else
		client "$cpu" "$@" > "$scratch/$tag.csv" 2> "$scratch/$tag.err"
	fi
	omx_barrier "m-$tag"
}

omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier loaded
omx_wait_for 60 sh -c "omx_info -d -w 1 | grep -q 'hostname=${peer%:*}:0 board=0\$'" ||
	{ echo "bench/paper: ${peer%:*} not discovered"; exit 1; }
omx_barrier discovered
if [ "$me" = 0 ]; then
	echo "setup,class,cpu,irq_cpus,lat0_us,stream4M_MBps" > "$out/table1.csv"
	echo "setup,class,cpu,bytes,latency_us,event,user_per_msg,kernel_per_msg,note" \
		> "$out/table2.csv"
	lscpu > "$out/lscpu.txt" 2>&1
	hwloc-ls --of console > "$out/topology.txt" 2>&1
fi

# --- Table 1: 0-byte latency and 4 MiB throughput
row=0
for s in spread cpu0 mq; do
	bench_setup "$s" || exit 1
	omx_barrier "setup1-$s"
	warm 1 "t1-$s"
	# the queue of endpoint EID, and the CPU its IRQ went to once warm
	q=0
	[ "$s" = mq ] && q=$EID
	irqcpus=$(omx_mq_irq_cpus "$q" "$bench_if")
	case $s in
	spread) classes="rr" ref=1 ;;
	cpu0) classes="SC S\$ SP OP" ref=0 ;;
	mq) classes="SC S\$ SP OP" ref=$irqcpus ;;
	esac
	irq=$irqcpus
	[ "$s" = spread ] && irq=rotating
	for c in $classes; do
		row=$((row + 1))
		if [ "$c" = rr ]; then cpu=1; else cpu=$(class_cpu "$c" "$ref"); fi
		if [ -z "$cpu" ]; then
			[ "$me" = 0 ] && echo "$s,$c,n/a,$irq,," >> "$out/table1.csv"
			continue
		fi
		measure "t1-$row-lat" "$cpu" -t pingpong -s 0 -S 0 -n "$lat_n" -w "$wup"
		measure "t1-$row-bw" "$cpu" -t stream -s 4194304 -S 4194304 -n "$bw_n" -w 2
		if [ "$me" = 0 ]; then
			lat=$(column latency_us < "$scratch/t1-$row-lat.csv")
			bw=$(column MBps < "$scratch/t1-$row-bw.csv")
			echo "$s,$c,$cpu,$irq,${lat:-nan},${bw:-nan}" >> "$out/table1.csv"
			echo "bench/paper: table 1: $s $c (CPU $cpu): ${lat:-?} us, ${bw:-?} MB/s"
		fi
	done
done

# --- Table 2: L2 misses, kernel and user, per message
for cfg in "spread rr" "cpu0 S\$" "cpu0 SC"; do
	set -- $cfg
	s=$1 c=$2
	bench_setup "$s" || exit 1
	omx_barrier "setup2-$s-$c"
	if [ "$c" = rr ]; then cpu=1; else cpu=$(class_cpu "$c" 0); fi
	warm "${cpu:-0}" "t2-$s-$c"
	for b in 0 128 32768 1048576; do
		if [ -z "$cpu" ]; then
			[ "$me" = 0 ] && echo "$s,$c,n/a,$b,,,,,no CPU at this class" >> "$out/table2.csv"
			continue
		fi
		tag=t2-$s-${c/\$/c}-$b
		measure "$tag" "$cpu" -t pingpong -s "$b" -S "$b" -n "$t2_n" -w "$wup" --papi
		[ "$me" = 0 ] || continue
		f=$scratch/$tag.csv
		lat=$(column latency_us < "$f")
		# the first event omx_perf counted (the default: the L2 misses)
		ev=$(head -1 "$f" | tr , '\n' | sed -n 's/:user$//p' | head -1)
		u= k=
		[ -z "$ev" ] || { u=$(column "$ev:user" < "$f"); k=$(column "$ev:kernel" < "$f"); }
		note=$(grep -m1 -i 'papi\|counter' "$scratch/$tag.err" | tr -d ',' | cut -c1-200)
		echo "$s,$c,$cpu,$b,${lat:-nan},$ev,$u,$k,$note" >> "$out/table2.csv"
		echo "bench/paper: table 2: $s $c $b B: ${lat:-?} us, $ev user=${u:--} kernel=${k:--}"
	done
done
bench_stop_rotator
bench_setup mq
exit 0
