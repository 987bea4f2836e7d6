# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by bench/mq_guest.sh and bench/paper/node.sh, after
# tests/vm/lib.sh: the receive set-ups of the paper's Table 1 on this
# node's NIC ($OMX_BENCH_IF, default eth0).
#   spread  one rx queue, its IRQ moved round-robin over the CPUs every
#           50 ms (what the paper's chipset did with one MSI vector)
#   cpu0    one rx queue, its IRQ on CPU 0
#   mq      every rx queue hashed by endpoint, queue q's IRQ on CPU q
# x86 moves an MSI vector only when it next fires: callers warm the
# queues up after a change before they measure.
bench_if=${OMX_BENCH_IF:-eth0}
bench_rotator=

bench_stop_rotator() {
	[ -n "$bench_rotator" ] || return 0
	touch /tmp/stop-rotate
	wait "$bench_rotator"
	bench_rotator=
	rm -f /tmp/stop-rotate
}

# bench_setup NAME [NQUEUES]: put this node's NIC in set-up NAME (mq: with
# NQUEUES queues, default 4)
bench_setup() {
	local irq ncpu
	ncpu=$(nproc)
	bench_stop_rotator
	case "$1" in
	spread)
		omx_mq_set_channels 1 "$bench_if" || return 1
		irq=$(omx_mq_irq 0 "$bench_if") || return 1
		(
			i=0
			while [ ! -e /tmp/stop-rotate ]; do
				echo $((i % ncpu)) > "/proc/irq/$irq/smp_affinity_list"
				i=$((i + 1))
				sleep 0.05
			done
		) &
		bench_rotator=$!
		;;
	cpu0)
		omx_mq_set_channels 1 "$bench_if" || return 1
		irq=$(omx_mq_irq 0 "$bench_if") || return 1
		echo 0 > "/proc/irq/$irq/smp_affinity_list"
		;;
	mq)
		omx_mq_set_channels "${2:-4}" "$bench_if" && omx_mq_bind_irqs "$bench_if" || return 1
		;;
	*)
		echo "bench_setup: unknown set-up $1" >&2
		return 1
		;;
	esac
}
