# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology multiqueue --timeout 600
# Queue-aware process binding (docs/binding.md), checked from
# /proc/PID/status, not from the library's word: with the NIC hashing
# endpoint E onto queue E % 4 (vector of queue q on CPU q), a process
# that opens endpoint E under OMX_PROCESS_BINDING=P ends on the CPU set
# P implies for that queue; one started under taskset is left alone.
. tests/vm/lib.sh
me=$OMX_NODE
other=$((1 - me))
X=$OMX_TOP/tests/mx/mx_exchange
[ -x "$X" ] || { echo "not ok - $X not built: run make"; exit 1; }
D=$OMX_RUN_DIR/node$me.files
mkdir -p "$D"

# expand "0-2,5" into "0,1,2,5"
expand() {
	local r out=
	for r in ${1//,/ }; do
		case $r in
		*-*) out="$out,$(seq -s, "${r%-*}" "${r#*-}")" ;;
		*) out="$out,$r" ;;
		esac
	done
	echo "${out#,}"
}
allowed() { expand "$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "/proc/$1/status")"; }
# PUs (OS numbers) of the object of TYPE holding CPU $2
pus_of() { hwloc-calc "$1:$(hwloc-calc --pi "pu:$2" -I "$1")" --po -I pu; }
all=$(expand "$(cat /sys/devices/system/cpu/online)")

# start TAG EID PREFIX...: mx_exchange on endpoint EID, kept open until release
start() {
	local tag=$1 e=$2
	shift 2
	"$@" "$X" -e "$e" -d "node$other:0" -r "$e" -n 1 > "$D/x.$tag" 2>&1 \
		< <(while [ ! -e "$D/release" ]; do sleep 0.2; done) &
	echo $! > "$D/pid.$tag"
}
done_() { grep -q '^done ' "$D/x.$1" || ! kill -0 "$(cat "$D/pid.$1")" 2> /dev/null; }

omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier loaded
t_check "the other node is a peer" omx_wait_for 60 sh -c \
	"omx_info -d -w 1 | grep -q 'hostname=node$other:0 board=0\$'"
omx_barrier discovered
# x86 moves a vector when it next fires, and the driver reports mode nic
# once it has seen frames on their hashed queues: warm every queue first
rm -f "$D/release"
for e in 0 1 2 3; do start warm$e $e env OMX_PROCESS_BINDING=off; done
for e in 0 1 2 3; do omx_wait_for 300 done_ warm$e; done
omx_barrier warmed
touch "$D/release"; wait
omx_barrier warm-closed
t_match "steering is nic" '^board 0 steering: mode=nic ' "$(omx_endpoint_info -b 0)"

# policy endpoint: queue = endpoint % 4
rm -f "$D/release"
start auto 5 env OMX_PROCESS_BINDING=auto OMX_BINDING_VERBOSE=1
start core 6 env OMX_PROCESS_BINDING=core OMX_BINDING_VERBOSE=1
start package 7 env OMX_PROCESS_BINDING=package OMX_BINDING_VERBOSE=1
start cache 9 env OMX_PROCESS_BINDING=cache OMX_BINDING_VERBOSE=1
start cpu 10 env OMX_PROCESS_BINDING=cpu:3 OMX_BINDING_VERBOSE=1
start off 11 env OMX_PROCESS_BINDING=off OMX_BINDING_VERBOSE=1
start taskset 12 taskset -c 2 env OMX_BINDING_VERBOSE=1
start bad 13 env OMX_PROCESS_BINDING=socket OMX_BINDING_VERBOSE=1
for t in auto core package cache cpu off taskset bad; do
	t_check "$t: exchange done" omx_wait_for 300 done_ $t
done
for t in auto core package cache cpu off taskset bad; do
	echo "$t: $(grep '^omx: binding' "$D/x.$t") /proc: $(allowed "$(cat "$D/pid.$t")")"
done
t_check "auto: on queue 1's core" test "$(allowed "$(cat "$D/pid.auto")")" = "$(pus_of core 1)"
t_check "core: on queue 2's core" test "$(allowed "$(cat "$D/pid.core")")" = "$(pus_of core 2)"
t_check "package: on queue 3's package" test "$(allowed "$(cat "$D/pid.package")")" = "$(pus_of package 3)"
c=$(allowed "$(cat "$D/pid.cache")")
if grep -q 'left alone: no cache shared' "$D/x.cache"; then
	t_check "cache: no shared cache, left alone" test "$c" = "$all"
else
	t_check "cache: not on queue 1's core" sh -c "! echo ,$c, | grep -q ,1,"
	t_check "cache: bound" test "$c" != "$all"
fi
t_check "cpu:3: on CPU 3" test "$(allowed "$(cat "$D/pid.cpu")")" = 3
t_check "off: left alone" test "$(allowed "$(cat "$D/pid.off")")" = "$all"
t_check "taskset -c 2: left alone" test "$(allowed "$(cat "$D/pid.taskset")")" = 2
t_match "taskset: the library says why" 'left alone: affinity already restricted' "$(cat "$D/x.taskset")"
t_check "bad value: left alone" test "$(allowed "$(cat "$D/pid.bad")")" = "$all"
t_match "bad value: named with the accepted values" \
	'OMX_PROCESS_BINDING=socket: expected auto, core, cache, package, off or cpu:N' "$(cat "$D/x.bad")"
omx_barrier checked
touch "$D/release"; wait
t_done
