# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --no-slub-debug --topology multiqueue --smp 4,sockets=2,cores=2 --timeout 1200
# Queue-aware process binding (docs/binding.md), checked from
# /proc/PID/status, not from the library's word, on guests of two
# packages of two cores: with the NIC hashing endpoint E onto queue E % 4
# (vector of queue q bound to CPU q), a process that opens endpoint E
# under OMX_PROCESS_BINDING=P ends on the CPU set P implies for that
# queue; one started under taskset is left alone.  Then the documented
# edge cases:
# - a queue whose vector has not fired since its affinity was set: the
#   report and the binding follow the new affinity (checked first);
# - several endpoints in one process, on queues of both packages: the
#   first open decides, later opens leave the binding alone, and every
#   thread follows it;
# - the policies against a queue of the second package;
# - steering none (one rx queue): auto leaves the process alone, an
#   explicit policy still follows the queue's CPU.
# (An IRQ spread over several CPUs cannot be produced here: x86 delivers
# an MSI vector to one CPU, its effective affinity; the decision function
# is unit-tested for it in tests/unit/test_binding.c.)
# Both nodes start the same processes, each the other's partner; node 0
# checks them (omx_checker), node 1 only checks its exchanges' data.
. tests/vm/lib.sh
[ -x "$OMX_TOP/tests/mx/mx_exchange" ] || { echo "not ok - mx_exchange not built: run make"; exit 1; }

all=$(omx_cpus_expand "$(cat /sys/devices/system/cpu/online)")

start() { omx_bind_start "$@"; }
pid() { omx_bind_pid "$1"; }
out() { omx_bind_out "$1"; }
allowed() { omx_bind_allowed "$1"; }

if omx_checker; then
t_check "hwloc sees 2 packages" test "$(hwloc-calc --number-of package all)" = 2
t_check "queue 1 and queue 2 are on different packages" \
	test "$(omx_pus_of package 1)" != "$(omx_pus_of package 2)"
# --- before any frame came for queues 1-3 (discovery uses queue 0):
# x86 has not moved their vectors to the CPUs set at boot yet, and the
# report (so the binding) must follow the set affinity, not the stale
# effective CPU
info=$(omx_endpoint_info -b 0)
for q in 1 2 3; do
	irq=$(omx_mq_irq $q)
	echo "queue $q: affinity $(cat /proc/irq/$irq/smp_affinity_list)," \
		"effective $(cat /proc/irq/$irq/effective_affinity_list)"
	t_match "queue $q reported on CPU $q before its vector fired" \
		"^board 0 queue $q: irq=$irq name=[^ ]+ cpus=$q\$" "$info"
done
fi
omx_mq_discover
# queue 3 has seen no frame yet: a process binding there goes to CPU 3
# (core, not auto: with no frame seen on its hashed queue yet the board
# is in mode none, source no-evidence, where auto leaves processes alone)
start cold 3 env OMX_PROCESS_BINDING=core OMX_BINDING_VERBOSE=1
t_check "cold: exchange done" omx_xchg_wait cold 3
if omx_checker; then
echo "cold: $(out cold | grep '^omx: binding') /proc: $(allowed cold)"
t_check "cold: bound to queue 3's CPU, not the vector's old one" test "$(allowed cold)" = 3
fi
omx_barrier cold-checked
omx_xchg_release cold
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
if omx_checker; then
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
fi
omx_barrier checked
omx_xchg_release auto core package cache cpu off taskset bad

# --- several endpoints: 5 (queue 1, package 0) first, then 6 and 7
# (queues 2 and 3, package 1) in the same process
OMX_XCHG_ARGS="-x 6,7" start multi 5 env OMX_PROCESS_BINDING=core OMX_BINDING_VERBOSE=1
# --- the policies against queue 2 (package 1)
start pkg 10 env OMX_PROCESS_BINDING=package OMX_BINDING_VERBOSE=1
start cache2 14 env OMX_PROCESS_BINDING=cache OMX_BINDING_VERBOSE=1
for t in multi pkg cache2; do
	t_check "$t: exchange done" omx_xchg_wait $t "$(omx_bind_eid $t)"
done
if omx_checker; then
for t in multi pkg cache2; do
	echo "$t: $(out $t | grep '^omx: binding' | tr '\n' ' ') /proc: $(allowed $t)"
done
t_check "several endpoints: on the first endpoint's core" \
	test "$(allowed multi)" = "$(omx_pus_of core 1)"
t_match "several endpoints: the first open binds" \
	'^omx: binding: policy=core mode=nic queue=1 .* -> bound to ' "$(out multi | grep -m1 '^omx: binding')"
t_check "several endpoints: the two later opens do not rebind" \
	test "$(out multi | grep -c 'queue=[23] .*-> not rebinding: bound at the first endpoint open')" = 2
tasks=$(ls /proc/"$(pid multi)"/task)
t_check "several endpoints: a progression thread per endpoint" test "$(echo "$tasks" | wc -l)" -ge 4
for task in $tasks; do
	t_check "several endpoints: thread $task on the first queue's core" \
		test "$(omx_proc_allowed "$task")" = "$(omx_pus_of core 1)"
done
# the binding moved the process, not the steering: frames for endpoint 5
# were processed on queue 1's CPU only
t_match "endpoint 5's frames processed on queue 1's CPU" \
	"^board 0 endpoint 5: rx cpu=$(omx_mq_irq_cpus 1) frames=[1-9][0-9]* " "$(omx_endpoint_info -b 0)"
t_check "endpoint 5's frames on no other CPU" \
	test "$(omx_endpoint_info -b 0 | grep -c '^board 0 endpoint 5: rx ')" = 1
t_check "package: on package 1, queue 2's" test "$(allowed pkg)" = "$(omx_pus_of package 2)"
# qemu gives each package one L3 for its cores: cache = the other core
want=
for c in $(omx_pus_of l3cache 2 | tr , ' '); do
	case ",$(omx_pus_of core 2)," in *",$c,"*) ;; *) want=${want:+$want,}$c ;; esac
done
t_check "cache: the other cores of queue 2's L3 ($want)" test "$(allowed cache2)" = "$want"
fi
omx_barrier cases-checked
omx_xchg_release multi pkg cache2

# --- steering none: one rx queue on both nodes.  virtio-net spreads the
# one vector's affinity over all CPUs when the queue count changes, and
# until that vector next fires the report follows that spread (core then
# leaves the process alone: unit-tested) or, once it fired, the one CPU
# x86 picked: bind it, as an admin would, so the case is the same on
# every run
omx_mq_set_channels 1 && omx_mq_bind_irqs
omx_barrier l1
start none_auto 1 env OMX_PROCESS_BINDING=auto OMX_BINDING_VERBOSE=1
start none_core 2 env OMX_PROCESS_BINDING=core OMX_BINDING_VERBOSE=1
for t in none_auto none_core; do
	t_check "$t: exchange done" omx_xchg_wait $t "$(omx_bind_eid $t)"
done
if omx_checker; then
t_match "one queue: mode none" '^board 0 steering: mode=none source=single-queue queues=1 ' \
	"$(omx_endpoint_info -b 0)"
q0=$(omx_mq_irq_cpus 0)
for t in none_auto none_core; do
	echo "$t: $(out $t | grep '^omx: binding') /proc: $(allowed $t)"
done
t_check "none, auto: left alone" test "$(allowed none_auto)" = "$all"
t_match "none, auto: says why" 'policy=auto mode=none .* left alone: ' "$(out none_auto)"
t_check "none, core: on the one queue's core ($q0)" test "$(allowed none_core)" = "$(omx_pus_of core "$q0")"
fi
omx_barrier none-checked
omx_xchg_release none_auto none_core
omx_mq_set_channels 4 && omx_mq_bind_irqs

# omx_affinity's suite needs these same guests: it runs in this boot
bash tests/multiqueue/affinity.sh "$@"
t_check "tests/multiqueue/affinity.sh passed (its checks above)" test $? = 0
t_done
