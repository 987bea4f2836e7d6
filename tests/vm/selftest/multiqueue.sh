# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-long: --no-slub-debug --topology multiqueue --no-load --timeout 240
# The virtual Myri-10G steers by destination endpoint.  node0 forges omx
# frames for node1: E+1 TINY frames for each endpoint E of 0..7, and 3
# PULL_REPLY frames whose byte 17 says 2 but whose pull magic names
# endpoint 5 (a PULL_REPLY is steered by its magic).  node1 checks, from
# the per-queue counters of `ethtool -S`, that each rx queue q received
# exactly the frames of the endpoints E with E % N = q, and from
# /proc/interrupts that queue q's MSI-X vector fired on CPU q and nowhere
# else.  Then the same with 2 queues (ethtool -L eth0 combined 2): qemu
# detaches the tap's steering program at such a change, and omx_vnic's
# guard must keep it in place (multiqueue/steering.sh changes the queue
# count back and forth with omx's traffic).
# multiqueue_detached.sh runs the first phase without the guard; it must
# fail with "steering is not in force".
. tests/vm/lib.sh
me=$OMX_NODE
# queue counts, one phase each (multiqueue_detached.sh sets its own)
mq_phases=${mq_phases:-"4 2"}
mq_total=$((1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 3))

omx_publish "mac$me" "$(cat /sys/class/net/eth0/address)"
t_check "eth0 starts with 4 queue pairs" test "$(omx_mq_channels)" = 4
t_match "eth0 has MTU 9000" "mtu 9000" "$(ip link show eth0)"
t_match "rx queue 3 has its own vector" '^[0-9]+$' "$(omx_mq_irq 3)"

hexmac() { printf '%s' "$1" | tr -d :; }

# tiny DST SRC ENDPOINT: a TINY frame (type 37) for ENDPOINT.
tiny() {
	printf '%s %s 86df 0000 25 %02x' "$(hexmac "$1")" "$(hexmac "$2")" "$3"
}

# pull_reply DST SRC ENDPOINT: a PULL_REPLY (type 42) whose byte 17 is 2
# and whose destination magic (bytes 28-31) ends in ENDPOINT.
pull_reply() {
	printf '%s %s 86df 0000 2a 02 %s %02x' "$(hexmac "$1")" "$(hexmac "$2")" \
		"$(printf '00%.0s' $(seq 13))" "$3"
}

send() {
	omx_send_frame "$@" > /dev/null || echo "omx_send_frame $* failed"
}

# Counters of node1 (omx_mq_counters) before and after a round, as
# associative arrays B and A keyed "rx Q" and "irq Q CPU".
declare -A B A
load() {
	local -n arr=$1
	local line
	arr=()
	while read -r line; do
		arr["${line% *}"]=${line##* }
	done <<< "$(omx_mq_counters)"
}

# rx_deltas N: "0:d0 1:d1 ..." packets per rx queue from B to A.
rx_deltas() {
	local q out=
	for q in $(seq 0 $(($1 - 1))); do
		out="$out $q:$((${A[rx $q]:-0} - ${B[rx $q]:-0}))"
	done
	echo "${out# }"
}

# total "0:d0 1:d1 ...": the sum.
total() {
	local kv s=0
	for kv in $1; do
		s=$((s + ${kv#*:}))
	done
	echo "$s"
}

# wait_total N TOTAL: wait (20 s at most) until TOTAL packets came in over
# the N queues since B, plus half a second for stragglers; leaves A.
wait_total() {
	local i
	for i in $(seq 100); do
		load A
		[ "$(total "$(rx_deltas "$1")")" -lt "$2" ] || break
		omx_nap 0.2
	done
	omx_nap 0.5
	load A
}

# check_steering LABEL N EXPECTED: EXPECTED is "0:n0 1:n1 ...".
check_steering() {
	local got
	got=$(rx_deltas "$2")
	if [ "$(total "$got")" -ne "$(total "$3")" ]; then
		t_fail "$1: $(total "$3") frames expected over the $2 queues, $(total "$got") came (per queue $got)"
	elif [ "$got" != "$3" ]; then
		t_fail "$1: steering is not in force on node1: per-queue rx packets $got, the endpoint hash gives $3"
	else
		t_ok "$1: every frame on the queue of its endpoint ($got)"
	fi
}

# check_vectors LABEL N: the vector of each queue fired on its CPU, on no
# other.
check_vectors() {
	local q c cpu mine others ncpu
	ncpu=$(nproc)
	for q in $(seq 0 $(($2 - 1))); do
		cpu=$((q % ncpu))
		mine=$((${A[irq $q $cpu]:-0} - ${B[irq $q $cpu]:-0}))
		others=0
		for c in $(seq 0 $((ncpu - 1))); do
			[ "$c" = "$cpu" ] ||
				others=$((others + ${A[irq $q $c]:-0} - ${B[irq $q $c]:-0}))
		done
		if [ "$mine" -gt 0 ] && [ "$others" -eq 0 ]; then
			t_ok "$1: rx queue $q's vector fired on CPU $cpu only (+$mine)"
		else
			t_fail "$1: rx queue $q's vector fired $mine times on CPU $cpu, $others times elsewhere"
		fi
	done
}

# expected N: packets per queue that the endpoint hash gives for our frames.
expected() {
	local n=$1 q e c out=
	for q in $(seq 0 $((n - 1))); do
		c=0
		for e in $(seq 0 7); do
			[ $((e % n)) -ne "$q" ] || c=$((c + e + 1))
		done
		[ $((5 % n)) -ne "$q" ] || c=$((c + 3))
		out="$out $q:$c"
	done
	echo "${out# }"
}

phase=0
if [ "$me" = 1 ]; then
	for n in $mq_phases; do
		phase=$((phase + 1))
		label="$n queues (phase $phase)"
		t_check "$label: ethtool -L eth0 combined $n" omx_mq_set_channels "$n"
		t_check "$label: vectors bound" omx_mq_bind_irqs
		# A vector moves to its new CPU when it next fires: one frame per
		# queue first, to the endpoint of the same number.
		load B
		omx_publish "warm$phase" "$n"
		omx_lookup "warmed$phase" > /dev/null
		wait_total "$n" "$n"
		check_steering "$label, warm-up" "$n" \
			"$(for q in $(seq 0 $((n - 1))); do printf '%s:1 ' "$q"; done | sed 's/ $//')"
		for q in $(seq 0 $((n - 1))); do
			t_check "$label: rx queue $q's vector now goes to CPU $((q % $(nproc)))" \
				test "$(omx_mq_irq_cpus "$q")" = $((q % $(nproc)))
		done

		load B
		omx_publish "go$phase" 1
		omx_lookup "sent$phase" > /dev/null
		wait_total "$n" "$mq_total"
		check_steering "$label" "$n" "$(expected "$n")"
		check_vectors "$label" "$n"
		omx_publish "done$phase" 1
	done
else
	node1=$(omx_lookup mac1)
	mac=$(cat /sys/class/net/eth0/address)
	for n in $mq_phases; do
		phase=$((phase + 1))
		n=$(omx_lookup "warm$phase")
		for e in $(seq 0 $((n - 1))); do
			send eth0 "$(tiny "$node1" "$mac" "$e")"
		done
		omx_publish "warmed$phase" 1
		omx_lookup "go$phase" > /dev/null
		for e in $(seq 0 7); do
			send -n $((e + 1)) eth0 "$(tiny "$node1" "$mac" "$e")"
		done
		send -n 3 eth0 "$(pull_reply "$node1" "$mac" 5)"
		omx_publish "sent$phase" 1
		omx_lookup "done$phase" > /dev/null
	done
	t_ok "sent $phase rounds of frames to node1"
fi
t_done
