# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology multiqueue --timeout 600
# Queue-aware process binding (docs/binding.md), checked from
# /proc/PID/status, not from the library's word: with the NIC hashing
# endpoint E onto queue E % 4 (vector of queue q on CPU q), a process
# that opens endpoint E under OMX_PROCESS_BINDING=P ends on the CPU set
# P implies for that queue; one started under taskset is left alone.
. tests/vm/lib.sh
[ -x "$OMX_TOP/tests/mx/mx_exchange" ] || { echo "not ok - mx_exchange not built: run make"; exit 1; }

all=$(omx_cpus_expand "$(cat /sys/devices/system/cpu/online)")

start() { omx_bind_start "$@"; }
pid() { omx_bind_pid "$1"; }
out() { omx_bind_out "$1"; }
allowed() { omx_bind_allowed "$1"; }

omx_mq_warm_up

# policy endpoint: queue = endpoint % 4
start auto 5 env OMX_PROCESS_BINDING=auto OMX_BINDING_VERBOSE=1
start core 6 env OMX_PROCESS_BINDING=core OMX_BINDING_VERBOSE=1
start package 7 env OMX_PROCESS_BINDING=package OMX_BINDING_VERBOSE=1
start cache 9 env OMX_PROCESS_BINDING=cache OMX_BINDING_VERBOSE=1
start cpu 10 env OMX_PROCESS_BINDING=cpu:3 OMX_BINDING_VERBOSE=1
start off 11 env OMX_PROCESS_BINDING=off OMX_BINDING_VERBOSE=1
start taskset 12 taskset -c 2 env OMX_BINDING_VERBOSE=1
start bad 13 env OMX_PROCESS_BINDING=socket OMX_BINDING_VERBOSE=1
for t in auto core package cache cpu off taskset bad; do
	t_check "$t: exchange done" omx_xchg_wait $t "$(omx_bind_eid $t)"
done
for t in auto core package cache cpu off taskset bad; do
	echo "$t: $(out $t | grep '^omx: binding') /proc: $(allowed $t)"
done
t_check "auto: on queue 1's core" test "$(allowed auto)" = "$(omx_pus_of core 1)"
t_check "core: on queue 2's core" test "$(allowed core)" = "$(omx_pus_of core 2)"
# the frames of the core-bound process were processed where it runs, and
# its progression thread (created after the binding) runs there too
t_match "core: its frames processed on queue 2's CPU only" \
	"^board 0 endpoint 6: rx cpu=$(omx_mq_irq_cpus 2) frames=[1-9]" \
	"$(omx_endpoint_info -b 0 | grep '^board 0 endpoint 6: rx ')"
t_nomatch "core: no frame of it processed elsewhere" \
	"^board 0 endpoint 6: rx cpu=[^$(omx_mq_irq_cpus 2)] " "$(omx_endpoint_info -b 0)"
tasks=$(ls /proc/"$(pid core)"/task)
t_check "core: the progression thread exists" test "$(echo "$tasks" | wc -l)" -ge 2
for task in $tasks; do
	t_check "core: thread $task on queue 2's core" \
		test "$(omx_proc_allowed "$task")" = "$(omx_pus_of core 2)"
done
t_check "package: on queue 3's package" test "$(allowed package)" = "$(omx_pus_of package 3)"
c=$(allowed cache)
if grep -q 'left alone: no cache shared' <(out cache); then
	t_check "cache: no shared cache, left alone" test "$c" = "$all"
else
	t_check "cache: not on queue 1's core" sh -c "! echo ,$c, | grep -q ,1,"
	t_check "cache: bound" test "$c" != "$all"
fi
t_check "cpu:3: on CPU 3" test "$(allowed cpu)" = 3
t_check "off: left alone" test "$(allowed off)" = "$all"
t_check "taskset -c 2: left alone" test "$(allowed taskset)" = 2
t_match "taskset: the library says why" 'left alone: affinity already restricted' "$(out taskset)"
t_check "bad value: left alone" test "$(allowed bad)" = "$all"
t_match "bad value: named with the accepted values" \
	'OMX_PROCESS_BINDING=socket: expected auto, core, cache, package, off or cpu:N' "$(out bad)"
t_match "bad value: the decision names it" 'policy=invalid .* left alone: OMX_PROCESS_BINDING not understood' "$(out bad)"
omx_barrier checked
omx_xchg_release auto core package cache cpu off taskset bad
t_done
