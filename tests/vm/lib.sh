# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for scripts that run inside a test guest (sourced by guest-init and
# by the tests). Environment: OMX_TOP, OMX_RUN_DIR, OMX_NODE, OMX_NODES,
# OMX_TOPOLOGY.

OMX_KO=${OMX_KO:-$OMX_TOP/driver/linux/omx.ko}
OMX_TOOLS=$OMX_TOP/tools
export PATH=$OMX_TOOLS:$OMX_TOP/tests/driver:$PATH

# Interfaces that omx attaches for each topology.
omx_vm_setup_topology() {
	case "$OMX_TOPOLOGY" in
	none)
		OMX_VM_IFNAMES=
		;;
	pair)
		modprobe veth || return 1
		ip link add veth0 type veth peer name veth1 || return 1
		ip link set veth0 mtu 9000 up && ip link set veth1 mtu 9000 up || return 1
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

# omx_mq_virtio [IF]: the virtio device of IF, e.g. virtio2.
omx_mq_virtio() {
	local dev
	dev=$(readlink -f "/sys/class/net/${1:-eth0}/device") || return 1
	case "${dev##*/}" in
	virtio*) echo "${dev##*/}" ;;
	*) echo "omx_mq_virtio: ${1:-eth0} is not a virtio device" >&2; return 1 ;;
	esac
}

# omx_mq_irq Q [IF]: the IRQ number of rx queue Q.
omx_mq_irq() {
	local name irq
	name=$(omx_mq_virtio "${2:-eth0}")-input.$1 || return 1
	irq=$(awk -v n="$name" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts)
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
	local irq
	irq=$(omx_mq_irq "$1" "${2:-eth0}") || return 1
	cat "/proc/irq/$irq/effective_affinity_list"
}

# omx_wait_for SECONDS CMD...: poll until CMD succeeds.
omx_wait_for() {
	local limit=$1 i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 10)) ] || return 1
		sleep 0.1
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
omx_barrier() {
	local name=$1 n=0
	mkdir -p "$OMX_RUN_DIR/barrier"
	touch "$OMX_RUN_DIR/barrier/$name.$OMX_NODE"
	while [ "$n" -lt "$OMX_NODES" ]; do
		n=$(find "$OMX_RUN_DIR/barrier" -name "$name.*" | wc -l)
		[ "$n" -ge "$OMX_NODES" ] && break
		sleep 0.2
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

t_ok() {
	T_PASSED=$((T_PASSED + 1))
	echo "ok - $1"
}

t_fail() {
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
