# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for scripts that run inside a test guest (sourced by guest-init and
# by the tests). Environment: OMX_TOP, OMX_RUN_DIR, OMX_NODE, OMX_NODES,
# OMX_TOPOLOGY.

OMX_KO=${OMX_KO:-$OMX_TOP/driver/linux/omx.ko}
OMX_TOOLS=$OMX_TOP/tools
export PATH=$OMX_TOOLS:$OMX_TOP/tests/driver:$PATH

# omx_test_ko NAME TREE_PATH: a test module (NAME.ko) built for the
# running kernel: the one beside $OMX_KO when a build for another kernel
# put it there (tests/check-debug does, for its debug kernel), else the
# tree's TREE_PATH.
omx_test_ko() {
	local d
	d=$(dirname "$OMX_KO")
	if [ -f "$d/$1" ]; then echo "$d/$1"; else echo "$2"; fi
}

# Interfaces that omx attaches for each topology.
omx_vm_setup_topology() {
	case "$OMX_TOPOLOGY" in
	none)
		OMX_VM_IFNAMES=
		;;
	pair)
		modprobe veth || return 1
		# one ip for the three commands: a program costs a TCG guest
		# about 0.15 s to start
		ip -batch - <<-EOF || return 1
		link add veth0 type veth peer name veth1
		link set veth0 mtu 9000 up
		link set veth1 mtu 9000 up
		EOF
		OMX_VM_IFNAMES=veth0,veth1
		;;
	twonode)
		modprobe virtio_net || return 1
		omx_wait_for 20 test -e /sys/class/net/eth0 || {
			echo "twonode: no eth0 appeared"; return 1; }
		ip link set eth0 mtu 9000 up || return 1
		OMX_VM_IFNAMES=eth0
		;;
	multiqueue)
		modprobe virtio_net || return 1
		omx_wait_for 20 test -e /sys/class/net/eth0 || {
			echo "multiqueue: no eth0 appeared"; return 1; }
		# No IPv6 chatter: only what tests send may move the per-queue
		# counters.
		sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 2>/dev/null
		ip link set eth0 mtu 9000 up || return 1
		omx_mq_set_channels 4 || return 1
		omx_mq_bind_irqs || return 1
		OMX_VM_IFNAMES=eth0
		;;
	*)
		echo "unknown topology '$OMX_TOPOLOGY'"
		return 1
		;;
	esac
	export OMX_VM_IFNAMES
}

# Remove the topology's devices: a leaked netdev reference makes this hang,
# which the timeout turns into a failure.
omx_vm_teardown_topology() {
	case "$OMX_TOPOLOGY" in
	pair)
		! test -e /sys/class/net/veth0 || timeout 30 ip link del veth0
		;;
	twonode|multiqueue)
		! grep -q '^virtio_net ' /proc/modules || timeout 30 rmmod virtio_net
		;;
	esac
}

# The multiqueue NIC (topology multiqueue: eth0, a virtio-net NIC whose
# rx queue Q has its own MSI-X vector, named virtioN-input.Q in
# /proc/interrupts, N being the virtio device behind the interface).
# Each helper takes the interface as an optional last argument (eth0).
# Those the checks call over and over start no program (builtins and
# subshells only): a program costs these guests about 0.15 s of CPU to
# start, and their readlink, awk, cat, sed and seq were a good part of
# what the multiqueue suites spent.

# omx_mq_virtio [IF]: the virtio device of IF, e.g. virtio2.
omx_mq_virtio() {
	local dev
	dev=$(cd -P "/sys/class/net/${1:-eth0}/device" 2> /dev/null && pwd -P) || return 1
	case "${dev##*/}" in
	virtio*) echo "${dev##*/}" ;;
	*) echo "omx_mq_virtio: ${1:-eth0} is not a virtio device" >&2; return 1 ;;
	esac
}

# omx_mq_irq Q [IF]: the IRQ number of rx queue Q.
omx_mq_irq() {
	local name l irq=
	name=$(omx_mq_virtio "${2:-eth0}")-input.$1 || return 1
	while read -r -a l; do
		[ "${#l[@]}" -gt 0 ] && [ "${l[-1]}" = "$name" ] && { irq=${l[0]%:}; break; }
	done < /proc/interrupts
	[ -n "$irq" ] || { echo "omx_mq_irq: no vector $name in /proc/interrupts" >&2; return 1; }
	echo "$irq"
}

# omx_mq_irq_count Q CPU [IF]: interrupts of rx queue Q's vector on CPU.
omx_mq_irq_count() {
	local irq
	irq=$(omx_mq_irq "$1" "${3:-eth0}") || return 1
	awk -v irq="$irq:" -v cpu="$2" '
		NR == 1 { ncpu = NF }
		$1 == irq { if (cpu < ncpu) print $(cpu + 2); else print 0 }' /proc/interrupts
}

# omx_mq_rx_packets Q [IF]: packets received on rx queue Q (ethtool -S
# rx_queue_Q_packets; only the enabled queues are listed).
omx_mq_rx_packets() {
	local n
	n=$(ethtool -S "${2:-eth0}" | awk -v k="rx_queue_$1_packets:" '$1 == k { print $2 }')
	[ -n "$n" ] || { echo "omx_mq_rx_packets: no rx_queue_$1_packets for ${2:-eth0}" >&2; return 1; }
	echo "$n"
}

# omx_mq_counters [IF]: every per-queue counter at once, cheaply (one
# ethtool and one read of /proc/interrupts), one "KEY VALUE" a line:
# "rx Q PACKETS" for each enabled rx queue, "irq Q CPU COUNT" for the
# vector of each rx queue on each CPU.
omx_mq_counters() {
	local ifn=${1:-eth0} dev
	dev=$(omx_mq_virtio "$ifn") || return 1
	ethtool -S "$ifn" | sed -n 's/^ *rx_queue_\([0-9]*\)_packets: *\([0-9]*\)$/rx \1 \2/p'
	awk -v pre="$dev-input." '
		NR == 1 { ncpu = NF; next }
		index($NF, pre) == 1 {
			q = substr($NF, length(pre) + 1)
			for (c = 0; c < ncpu; c++) print "irq", q, c, $(c + 2)
		}' /proc/interrupts
}

# omx_mq_channels [IF]: the number of enabled (combined) queue pairs.
omx_mq_channels() {
	ethtool -l "${1:-eth0}" | awk '/^Current/ { cur = 1 } cur && $1 == "Combined:" { print $2; exit }'
}

# omx_mq_set_channels N [IF]: enable N queue pairs (ethtool -L) unless
# that many already are.
omx_mq_set_channels() {
	local ifn=${2:-eth0}
	[ "$(omx_mq_channels "$ifn")" = "$1" ] && return 0
	ethtool -L "$ifn" combined "$1" || {
		echo "omx_mq_set_channels: ethtool -L $ifn combined $1 failed"; return 1; }
	[ "$(omx_mq_channels "$ifn")" = "$1" ] || {
		echo "omx_mq_set_channels: $ifn has $(omx_mq_channels "$ifn") channels, not $1"; return 1; }
}

# omx_mq_bind_irqs [IF]: bind the vector of each enabled rx queue Q to CPU
# Q (Q modulo the CPU count on a smaller guest), as the paper's Myri-10G
# setup does.  On x86 without interrupt remapping the kernel moves an MSI
# vector only when it next fires: until then the old CPU takes it and
# omx_mq_irq_cpus still names that CPU.
omx_mq_bind_irqs() {
	local ifn=${1:-eth0} n q irq cpu ncpu
	n=$(omx_mq_channels "$ifn")
	ncpu=$(nproc)
	[ -n "$n" ] || { echo "omx_mq_bind_irqs: no channel count for $ifn"; return 1; }
	for q in $(seq 0 $((n - 1))); do
		irq=$(omx_mq_irq "$q" "$ifn") || return 1
		cpu=$((q % ncpu))
		echo "$cpu" > "/proc/irq/$irq/smp_affinity_list" || {
			echo "omx_mq_bind_irqs: cannot bind IRQ $irq (rx queue $q) to CPU $cpu"; return 1; }
	done
}

# omx_mq_irq_cpus Q [IF]: the CPUs that rx queue Q's vector really goes to
# (effective_affinity_list of its IRQ).
omx_mq_irq_cpus() {
	local irq cpus=
	irq=$(omx_mq_irq "$1" "${2:-eth0}") || return 1
	read -r cpus < "/proc/irq/$irq/effective_affinity_list" || [ -n "$cpus" ] || return 1
	echo "$cpus"
}

# omx_wait_for SECONDS CMD...: poll until CMD succeeds.
# omx_seed_args NAME ARGS...: a job's arguments --seed S and --iterations
# N into $seed and $iterations (the caller sets the defaults first; an
# empty seed becomes a random one); NAME is the script's, for the error.
omx_seed_args() {
	local name=$1
	shift
	while [ $# -gt 0 ]; do
		case "$1" in
		--seed) seed=$2; shift 2 ;;
		--iterations) iterations=$2; shift 2 ;;
		"") shift ;;	# tests/vm/run passes one empty argument when given none
		*) echo "$name: unknown argument $1"; exit 2 ;;
		esac
	done
	[ -n "$seed" ] || seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
}

# omx_nap SECONDS: sleep without starting a program: a read that times
# out on a FIFO nobody writes to.  A program costs a TCG guest about
# 0.15 s of CPU to start, so waiting loops that ran sleep (and find, wc)
# 5-10 times a second, one per waiting process, starved the processes
# they waited for: on the multiqueue guests a phase of 8 exchanges spent
# 155 s checking what they had done.
omx_nap() {
	local f
	if [ -z "${OMX_NAP_FD:-}" ]; then
		f=$(mktemp -u "${TMPDIR:-/tmp}/omx-nap.XXXXXX") && mkfifo "$f" &&
			exec {OMX_NAP_FD}<> "$f"
		rm -f "$f"
		[ -n "${OMX_NAP_FD:-}" ] || { sleep "$1"; return 0; }
	fi
	read -r -t "$1" -u "$OMX_NAP_FD" _ || :
}

omx_wait_for() {
	local limit=$1 i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 10)) ] || return 1
		omx_nap 0.1
	done
}

omx_loaded() {
	grep -q '^omx ' /proc/modules
}

# omx_load [IFNAMES] [PARAM=VALUE...]
omx_load() {
	local ifn=${1-}
	[ $# -eq 0 ] || shift
	insmod "$OMX_KO" ${ifn:+ifnames=$ifn} "$@" || {
		echo "omx_load: insmod $OMX_KO failed"; return 1; }
}

omx_unload() {
	timeout 30 rmmod omx
}

# Unload omx if loaded and prove nothing stayed behind.
omx_unload_checked() {
	local ok=0
	if omx_loaded && ! omx_unload; then
		echo "rmmod omx failed"
		ok=1
	fi
	if grep -qi '^86df ' /proc/net/ptype; then
		echo "ethertype 0x86df handler still registered"
		ok=1
	fi
	if test -e /dev/omx || test -e /dev/omx-raw; then
		echo "/dev/omx or /dev/omx-raw still present"
		ok=1
	fi
	omx_vm_teardown_topology || { echo "topology teardown failed"; ok=1; }
	return $ok
}

# Cross-node coordination through the shared run directory.
# omx_barrier NAME: wait until every node reached NAME (builtins only
# while waiting: see omx_nap).
omx_barrier() {
	local d=$OMX_RUN_DIR/barrier i
	[ -d "$d" ] || mkdir -p "$d"
	: > "$d/$1.$OMX_NODE"
	i=0
	while [ "$i" -lt "$OMX_NODES" ]; do
		if [ -e "$d/$1.$i" ]; then
			i=$((i + 1))
		else
			omx_nap 0.2
		fi
	done
}

omx_publish() {
	mkdir -p "$OMX_RUN_DIR/kv"
	printf '%s\n' "$2" > "$OMX_RUN_DIR/kv/$1.tmp" &&
		mv "$OMX_RUN_DIR/kv/$1.tmp" "$OMX_RUN_DIR/kv/$1"
}

omx_lookup() {
	omx_wait_for 120 test -e "$OMX_RUN_DIR/kv/$1" && cat "$OMX_RUN_DIR/kv/$1"
}

# Checks: each prints one "ok"/"not ok" line; t_done sums them up.
T_PASSED=0
T_FAILED=0

# A check that came 5 s or more after the one before it is preceded by a
# "# +N s" line: a test's log shows where its time goes (CI's 45 minutes).
T_LAST=$SECONDS
t_elapsed() {
	[ $((SECONDS - T_LAST)) -lt 5 ] || echo "# +$((SECONDS - T_LAST)) s"
	T_LAST=$SECONDS
}

t_ok() {
	t_elapsed
	T_PASSED=$((T_PASSED + 1))
	echo "ok - $1"
}

t_fail() {
	t_elapsed
	T_FAILED=$((T_FAILED + 1))
	echo "not ok - $1"
}

# t_check DESC CMD...: CMD must succeed.
t_check() {
	local desc=$1
	shift
	if "$@"; then t_ok "$desc"; else t_fail "$desc"; fi
}

# t_check_fails DESC CMD...: CMD must fail.
t_check_fails() {
	local desc=$1
	shift
	if "$@"; then t_fail "$desc"; else t_ok "$desc"; fi
}

# t_match DESC REGEX TEXT: TEXT must match the extended REGEX.
t_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_ok "$1"
	else
		t_fail "$1"
		printf '  expected /%s/ in:\n%s\n' "$2" "$3" | sed 's/^/  | /'
	fi
}

t_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_fail "$1"
		printf '  unexpected /%s/ in:\n%s\n' "$2" "$3" | sed 's/^/  | /'
	else
		t_ok "$1"
	fi
}

t_done() {
	echo "checks: $T_PASSED ok, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ] && [ "$T_PASSED" -gt 0 ]
}

# The exchanges of the multiqueue tests: tests/mx/mx_exchange between
# endpoint E of this node and endpoint E of the other, files in
# $OMX_XCHG_DIR (default: this node's directory of the run).
# omx_xchg_start TAG ITERS EID...: one mx_exchange per endpoint, each kept
# open (its endpoint and counters alive) until omx_xchg_release TAG; its
# output in x.TAG.EID, its pid in pid.TAG.EID.  $OMX_XCHG_PREFIX (words,
# e.g. "env OMX_PROCESS_BINDING=core") runs before it, $OMX_XCHG_ARGS
# are added to its options.
omx_xchg_dir() {
	local d=${OMX_XCHG_DIR:-$OMX_RUN_DIR/node$OMX_NODE.files}
	[ -d "$d" ] || mkdir -p "$d" || return 1
	echo "$d"
}

omx_xchg_start() {
	local tag=$1 iters=$2 e d
	shift 2
	d=$(omx_xchg_dir)
	rm -f "$d/release.$tag"
	for e in "$@"; do
		# shellcheck disable=SC2086
		$OMX_XCHG_PREFIX "$OMX_TOP/tests/mx/mx_exchange" -e "$e" \
			-d "node$((1 - OMX_NODE)):0" -r "$e" -n "$iters" $OMX_XCHG_ARGS \
			> "$d/x.$tag.$e" 2>&1 \
			< <(while [ ! -e "$d/release.$tag" ]; do omx_nap 0.2; done) &
		echo $! > "$d/pid.$tag.$e"
	done
}

# omx_xchg_pid TAG EID, omx_xchg_out TAG EID: its pid, its output file
omx_xchg_pid() { cat "$(omx_xchg_dir)/pid.$1.$2"; }
omx_xchg_out() { echo "$(omx_xchg_dir)/x.$1.$2"; }

# omx_xchg_finished TAG EID: the exchange printed its verdict or is gone
omx_xchg_finished() {
	local d=${OMX_XCHG_DIR:-$OMX_RUN_DIR/node$OMX_NODE.files} l pid=
	# builtins only: it is polled (omx_nap)
	if [ -f "$d/x.$1.$2" ]; then
		while read -r l; do
			[[ $l != "done "* ]] || return 0
		done < "$d/x.$1.$2"
	fi
	[ ! -f "$d/pid.$1.$2" ] || read -r pid < "$d/pid.$1.$2"
	[ -n "$pid" ] || return 0
	! kill -0 "$pid" 2> /dev/null
}

# omx_xchg_wait TAG EID...: every exchange finished with every message intact
omx_xchg_wait() {
	local tag=$1 e f ok=0
	shift
	for e in "$@"; do
		f=$(omx_xchg_out "$tag" "$e")
		if ! omx_wait_for 600 omx_xchg_finished "$tag" "$e"; then
			echo "  endpoint $e did not finish:"; sed 's/^/  | /' "$f"
			ok=1
		elif ! grep -q '^done sent=[1-9][0-9]* received=[1-9][0-9]* bad=0 ms=[0-9][0-9]*$' "$f"; then
			echo "  endpoint $e failed:"; sed 's/^/  | /' "$f"
			ok=1
		fi
	done
	return $ok
}

# omx_xchg_release TAG...: let the exchanges of each TAG close their
# endpoints, and wait for every background job of the test
omx_xchg_release() {
	local d tag
	d=$(omx_xchg_dir)
	for tag in "$@"; do
		touch "$d/release.$tag"
	done
	wait
}

# omx_cpus_expand "0-2,5": "0,1,2,5"
omx_cpus_expand() {
	local r i out=
	for r in ${1//,/ }; do
		case $r in
		*-*) for ((i = ${r%-*}; i <= ${r#*-}; i++)); do out="$out,$i"; done ;;
		*) out="$out,$r" ;;
		esac
	done
	echo "${out#,}"
}

# omx_pus_of TYPE CPU: the CPUs ("0,1") of the core, package or l3cache
# that holds CPU, as sysfs states them (where hwloc takes them from on
# Linux).  Read directly: one hwloc-calc costs about 3 s in a 4-vCPU TCG
# guest, and the binding test asks a dozen of these.
omx_pus_of() {
	local d=/sys/devices/system/cpu/cpu$2 l v f=
	case $1 in
	core) f=$d/topology/core_cpus_list ;;
	package) f=$d/topology/package_cpus_list ;;
	l3cache)
		for l in "$d"/cache/index*/level; do
			read -r v 2> /dev/null < "$l" && [ "$v" = 3 ] && { f=${l%/level}/shared_cpu_list; break; }
		done ;;
	esac
	[ -n "$f" ] && [ -r "$f" ] || { echo "omx_pus_of: no $1 for CPU $2 in sysfs" >&2; return 1; }
	read -r v < "$f"
	omx_cpus_expand "$v"
}

# omx_checker: true on the node that runs a two-node test's checks when
# both nodes run the same processes only to be each other's partner (the
# multiqueue binding tests): node 1 runs the same code, and checking it
# twice doubled the CPU time the two 4-vCPU guests share on the host.
omx_checker() { [ "$OMX_NODE" = 0 ]; }

# omx_proc_allowed PID: the CPUs PID may run on, from /proc, expanded
omx_proc_allowed() {
	local k v a=
	while read -r k v; do
		[ "$k" != Cpus_allowed_list: ] || { a=$v; break; }
	done < "/proc/$1/status"
	omx_cpus_expand "$a"
}

# omx_mq_discover: wait for board 0 to be up and the other node to be a peer
omx_mq_discover() {
	omx_wait_for 20 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
	omx_barrier loaded
	t_check "the other node is a peer" omx_wait_for 60 sh -c \
		"omx_info -d -w 1 | grep -q 'hostname=node$((1 - OMX_NODE)):0 board=0\$'"
	omx_barrier discovered
	OMX_MQ_DISCOVERED=1
}

# omx_mq_warm_up [TAG]: omx_mq_discover unless done, then one exchange
# on each of endpoints 0-3, unbound, so that every queue's vector has
# fired (x86 moves a vector only when it next fires) and the driver has
# seen frames on their hashed queues; checks that the mode is nic.  A
# second warm-up in the same run needs its own TAG (its barriers).
omx_mq_warm_up() {
	local tag=${1:-warm}
	[ -n "${OMX_MQ_DISCOVERED-}" ] || omx_mq_discover
	OMX_XCHG_PREFIX="env OMX_PROCESS_BINDING=off" omx_xchg_start "$tag" 1 0 1 2 3
	omx_xchg_wait "$tag" 0 1 2 3 > /dev/null
	omx_barrier "$tag-done"
	omx_xchg_release "$tag"
	omx_barrier "$tag-closed"
	t_match "steering is nic" '^board 0 steering: mode=nic ' "$(omx_endpoint_info -b 0)"
}

# The binding tests name each exchange process by a tag:
# omx_bind_start TAG EID PREFIX...: one exchange (1 iteration) on endpoint
# EID run under PREFIX (e.g. env OMX_PROCESS_BINDING=core), released with
# omx_xchg_release TAG; omx_bind_pid/out/allowed TAG: its pid, its output,
# the CPUs /proc says it may run on.
declare -gA OMX_BIND_EID
omx_bind_start() {
	local tag=$1 e=$2
	shift 2
	OMX_BIND_EID[$tag]=$e
	OMX_XCHG_PREFIX="$*" omx_xchg_start "$tag" 1 "$e"
}
omx_bind_eid() { echo "${OMX_BIND_EID[$1]}"; }
omx_bind_pid() { omx_xchg_pid "$1" "${OMX_BIND_EID[$1]}"; }
omx_bind_out() { cat "$(omx_xchg_out "$1" "${OMX_BIND_EID[$1]}")"; }
omx_bind_allowed() { omx_proc_allowed "$(omx_bind_pid "$1")"; }

# omx_hold BOARD INDEX OUTFILE: keep an endpoint open in the background
# (omx_hold_endpoint) until omx_release; its verdict lands in OUTFILE.
# Its stdin is a pipe from a process outside the job, so that waiting for
# the holder does not wait for the pipe's writer.
omx_hold() {
	omx_hold_endpoint "$1" "$2" > "$3" < <(sleep 600) &
	OMX_HOLDER=$!
	omx_wait_for 10 grep -q held "$3"
}

omx_release() {
	kill "$OMX_HOLDER" && wait "$OMX_HOLDER"
}
