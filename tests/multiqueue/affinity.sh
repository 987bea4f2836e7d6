# SPDX-License-Identifier: GPL-2.0-or-later
# Run by tests/multiqueue/binding.sh at its end, in its boot: the same
# two-package multiqueue guests (one boot of two 4-vCPU guests less).
# omx_affinity (docs/man/omx_affinity.1) against /proc, the driver's
# counters (omx_endpoint_info) and the classes the placements imply.
# Each guest has 2 packages of 2 cores, each package one L3 (hwloc in
# qemu TCG -cpu max: pack:2 l3:1 l2:2 core:1 pu:1); queue q's vector on
# CPU q and endpoint E on queue E % 4.  Placements, on both nodes:
#   endpoint 1 (queue 1, CPU 1)  OMX_PROCESS_BINDING=core   SC
#   endpoint 2 (queue 2, CPU 2)  taskset -c 3               S$ (the package's L3)
#   endpoint 3 (queue 3, CPU 3)  taskset -c 0               OP, warned
#   endpoint 5 (queue 1, CPU 1)  taskset -c 0               S$; shares queue 1
#                                with endpoint 1, both busy: warned
# and on the paper's Clovertown (--topology) the same CPUs read SC, S$,
# SP and S$.  Node 1 places the partners; node 0 checks (omx_checker).
. tests/vm/lib.sh
[ -x "$OMX_TOP/tests/mx/mx_exchange" ] || { echo "not ok - mx_exchange not built: run make"; exit 1; }
command -v jq > /dev/null || { echo "not ok - jq missing: scripts/install-deps"; exit 1; }
CLOVERTOWN="pack:2 l2:2(size=4MiB) core:2 pu:1"

# start TAG EID PREFIX...: 5 iterations of mx_exchange on endpoint EID
# under PREFIX, kept open until omx_xchg_release TAG
declare -A EID
start() { EID[$1]=$2; OMX_XCHG_PREFIX="${*:3}" omx_xchg_start "$1" 5 "$2"; }
pid_of() { omx_xchg_pid "$1" "${EID[$1]}"; }
# what /proc says: Cpus_allowed_list, field 39 of stat, comm
allowed_of() { sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$1/status"; }
last_cpu_of() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $37 }'; }
# "board 0 endpoint E: rx ..." lines of omx_endpoint_info
rx_lines() { omx_endpoint_info -b 0 | grep "^board 0 endpoint $1: rx "; }

omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'

if omx_checker; then
t_check "hwloc: 2 packages" test "$(hwloc-calc --number-of package all)" = 2
t_check "hwloc: CPUs 0 and 1 share an L3, 2 and 3 another" \
	test "$(hwloc-calc --po -I pu l3:0)" = 0,1 -a "$(hwloc-calc --po -I pu l3:1)" = 2,3

# --- before any endpoint: queues shown, steering none warned ---
out=$(omx_affinity -b 0)
echo "$out" | sed 's/^/  idle| /'
t_match "no endpoints open, said" '^board 0: no endpoints open$' "$out"
t_match "queues listed without endpoints" '^board 0 queue 3: irq=[0-9]+ name=virtio[0-9]+-input\.3 ' "$out"
mode=$(omx_endpoint_info -b 0 | sed -n 's/^board 0 steering: mode=\([a-z]*\) .*/\1/p')
if [ "$mode" = none ]; then
	t_match "steering none: warned" '^warning: board 0: steering none ' "$out"
else
	t_nomatch "steering $mode: no steering warning" 'steering none' "$out"
fi
t_nomatch "irqbalance not running: not warned" 'irqbalance' "$out"

# --- errors ---
err=$(omx_affinity -b 9 2>&1); rc=$?
t_check "bad board: non-zero" test "$rc" -ne 0
t_match "bad board: named" '^omx_affinity: board: no board 9 is attached' "$err"
err=$(omx_affinity -b x 2>&1); rc=$?
t_check "invalid board: exit 2" test "$rc" = 2
t_match "invalid board: named" 'invalid board "x"' "$err"
err=$(omx_affinity --topology 'pack:2 bogus:3' 2>&1); rc=$?
t_check "bad --topology: exit 2" test "$rc" = 2
t_match "bad --topology: one clear line" '^omx_affinity: --topology pack:2 bogus:3: no such hwloc XML file, and not a synthetic description' "$err"

# A mask of two CPUs on queue 0's vector: the tool shows the CPUs the
# driver reports (x86 delivers a vector to one CPU, but until it next
# fires a pending mask may be reported) and warns exactly when they are
# several.  Read the driver before and after the tool: the same answer.
irq0=$(omx_mq_irq 0)
echo 0-1 > "/proc/irq/$irq0/smp_affinity_list"
q0cpus() { omx_endpoint_info -b 0 | sed -n 's/^board 0 queue 0: .* cpus=\([^ ]*\)$/\1/p'; }
for try in 1 2 3 4 5; do
	drv=$(q0cpus)
	out=$(omx_affinity -b 0)
	[ "$(q0cpus)" = "$drv" ] && break
done
echo "queue 0 with mask 0-1: driver cpus=$drv (effective $(omx_mq_irq_cpus 0), try $try)"
t_match "queue 0 shows the driver's CPUs ($drv)" "^board 0 queue 0: irq=$irq0 .* cpus=$drv " "$out"
case $drv in
*[,-]*) t_match "spread IRQ: warned" "^warning: board 0 queue 0: irq $irq0 spread over CPUs $drv:" "$out" ;;
*) t_nomatch "one CPU: no spread warning" 'spread over' "$out" ;;
esac
echo 0 > "/proc/irq/$irq0/smp_affinity_list"
fi

omx_mq_warm_up aff-warm

# --- the placements ---
start sc 1 env OMX_PROCESS_BINDING=core
start cache 2 taskset -c 3
start op 3 taskset -c 0
start shared 5 taskset -c 0
for t in sc cache op shared; do t_check "$t: exchange done" omx_xchg_wait $t "${EID[$t]}"; done
omx_barrier aff-exchanged
if omx_checker; then
# a process named irqbalance, for the warning
cp /bin/sleep /tmp/irqbalance
/tmp/irqbalance 120 &
fake_irqb=$!

# one snapshot each, the counters read before and after
info=$(omx_endpoint_info -b 0)
text=$(omx_affinity -b 0)
json=$(omx_affinity -b 0 --json --svg /tmp/aff.svg)
clover=$(omx_affinity -b 0 --json --topology "$CLOVERTOWN")
info2=$(omx_endpoint_info -b 0)
echo "$text" | sed 's/^/  text| /'
t_check "driver counters still while the tool ran" test "$info" = "$info2"
t_match "steering nic after warm-up" '^board 0 \(eth0\): steering=nic ' "$text"
t_check "--json is one JSON document" test "$(printf '%s\n' "$json" | jq -s length)" = 1

for q in 0 1 2 3; do
	irq=$(omx_mq_irq $q)
	t_match "queue $q: irq $irq, name, cpus of /proc" \
		"^board 0 queue $q: irq=$irq name=$(omx_mq_virtio)-input\.$q cpus=$(omx_mq_irq_cpus $q) position=Package:[01]/L3:[01]/L2:$q/Core:$q/PU:$q\$" "$text"
	t_check "queue $q: same in JSON" test \
		"$(jq -r ".boards[0].queues[$q] | \"\(.irq) \(.cpus)\"" <<< "$json")" = "$irq $(omx_mq_irq_cpus $q)"
done

# endpoint TAG EID QUEUE CLASS CLOVERTOWN_CLASS
endpoint() {
	local tag=$1 e=$2 q=$3 cls=$4 ccls=$5 pid allowed last comm j re
	re=${cls//\$/\\\$}
	pid=$(pid_of "$tag")
	allowed=$(allowed_of "$pid")
	last=$(last_cpu_of "$pid")
	comm=$(cat "/proc/$pid/comm")
	t_match "$tag: text agrees with /proc and the class is $cls" \
		"^board 0 endpoint $e: queue=$q irq=$(omx_mq_irq $q) cpus=$q pid=$pid command=$comm state=S allowed=$allowed last_cpu=$last class=$re allowed_class=$re busy=yes\$" "$text"
	j=$(jq -r ".boards[0].endpoints[] | select(.index == $e) |
		\"\(.queue) \(.pid) \(.command) \(.allowed_cpus) \(.last_cpu) \(.class) \(.busy)\"" <<< "$json")
	t_check "$tag: JSON agrees ($j)" test "$j" = "$q $pid $comm $allowed $last $cls true"
	t_check "$tag: rx lines are the driver's" test \
		"$(grep "^board 0 endpoint $e: rx " <<< "$text")" = "$(grep "^board 0 endpoint $e: rx " <<< "$info")"
	t_check "$tag: JSON rx is the driver's" test \
		"$(jq -r ".boards[0].endpoints[] | select(.index == $e) | .rx[] |
			\"board 0 endpoint $e: rx cpu=\(.cpu) frames=\(.frames) bytes=\(.bytes)\"" <<< "$json")" = \
		"$(grep "^board 0 endpoint $e: rx " <<< "$info")"
	t_check "$tag: frames received" test -n "$(grep "^board 0 endpoint $e: rx " <<< "$info")"
	t_check "$tag: SVG line class $cls" test \
		"$(xmllint --xpath "string(//*[local-name()='path'][@data-endpoint='$e']/@data-class)" /tmp/aff.svg)" = "$cls"
	t_check "$tag: Clovertown class $ccls" test \
		"$(jq -r ".boards[0].endpoints[] | select(.index == $e) | .class" <<< "$clover")" = "$ccls"
}
endpoint sc 1 1 SC SC
endpoint cache 2 2 'S$' 'S$'
endpoint op 3 3 OP SP
endpoint shared 5 1 'S$' 'S$'
t_match "sc: bound to queue 1's core by the library" '^1$' "$(allowed_of "$(pid_of sc)")"

# warnings: exactly one OP (endpoint 3), queue 1 shared, irqbalance
t_match "OP: warned" "^warning: board 0 endpoint 3: pid $(pid_of op) \(mx_exchange\) last ran on CPU 0, in another package than queue 3 \(CPUs 3\): OP\$" "$text"
t_check "OP: the only other-package warning in JSON" test \
	"$(jq -c '[.warnings[] | select(.kind == "other-package") | .endpoint]' <<< "$json")" = '[3]'
t_match "shared queue: warned" '^warning: board 0 queue 1: 2 busy endpoints \(1,5\) share it' "$text"
t_check "shared queue: in JSON" test \
	"$(jq -c '[.warnings[] | select(.kind == "shared-queue") | .queue]' <<< "$json")" = '[1]'
t_match "irqbalance: warned" "^warning: irqbalance is running \(pid $fake_irqb\)" "$text"
t_check "irqbalance: in JSON" test "$(jq .irqbalance_pid <<< "$json")" = "$fake_irqb"
kill "$fake_irqb"; wait "$fake_irqb" 2> /dev/null

# the picture holds the same document and draws every endpoint once
meta=$(xmllint --xpath "string(//*[local-name()='metadata'])" /tmp/aff.svg)
t_check "SVG metadata: the --json classes" test \
	"$(jq -c '[.boards[0].endpoints[] | [.index, .class]]' <<< "$meta")" = \
	"$(jq -c '[.boards[0].endpoints[] | [.index, .class]]' <<< "$json")"
t_check "SVG: one line per endpoint" test \
	"$(xmllint --xpath "count(//*[local-name()='path'][@class='placement'])" /tmp/aff.svg)" = 4
t_check "SVG: a box per CPU" test \
	"$(xmllint --xpath "count(//*[local-name()='rect'][@class='pu'])" /tmp/aff.svg)" = 4
t_check "Clovertown: 2 packages of 4 PUs" test \
	"$(jq -c '.topology | [.packages, .pus]' <<< "$clover")" = '[2,8]'
omx_affinity -b 0 --topology "$CLOVERTOWN" --svg /tmp/clover.svg > /dev/null
t_check "Clovertown SVG: 8 CPU boxes" test \
	"$(xmllint --xpath "count(//*[local-name()='rect'][@class='pu'])" /tmp/clover.svg)" = 8

# --watch: a bounded number of refreshes
t_check "--watch 1 --count 2 --json: two documents" test \
	"$(omx_affinity -b 0 --watch 1 --count 2 --json | jq -s length)" = 2
t_check "-w1 -c 2: two text snapshots" test \
	"$(omx_affinity -b 0 -w1 -c 2 | grep -c '^topology: ')" = 2

# another user: the endpoints with "-" fields, no failure
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups omx_affinity -b 0 2>&1); rc=$?
t_check "another user: exit 0" test "$rc" = 0
t_match "another user: queue, owner and class unknown" \
	"^board 0 endpoint 3: queue=- irq=- cpus=- pid=- command=- .* class=\? allowed_class=\? busy=no\$" "$out"
t_nomatch "another user: no rx lines" 'rx cpu=' "$out"
fi

omx_barrier aff-checked
omx_xchg_release sc cache op shared
omx_barrier aff-closed

# --- module unloaded ---
omx_unload
if omx_checker; then
err=$(omx_affinity 2>&1); rc=$?
t_check "module unloaded: exit 1" test "$rc" = 1
t_match "module unloaded: said" '/dev/omx not found: is the omx kernel module loaded\?' "$err"
fi
t_done
