# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# Messages of every class (tiny, small, medium, large) between boards 0
# and 1 over the veth pair at interface MTUs other than 9000: 1500 (a
# standard fabric size), 3000 and 1200 (between standard sizes: the
# fabric falls back to the 1500 sizes, or uses the whole frame below
# 1500); 1500 and 3000 set while omx is loaded (netdevice notifier), 1200
# before it is loaded (attach). Every byte is checked (mx_pingpong,
# mx_large), the omx_perf sweep must pass, and no board may count a drop, a NACK or a
# transmit error, nor either veth drop a frame. (omx_perf's goodbye may
# legitimately reach a client that already closed: one endpoint-closed
# NACK is allowed there; and on a loaded host a server may resend its
# last message (omx_perf's goodbye, mx_pingpong's or mx_large's last
# reply) before the client's ack reaches it, so the client acks the
# duplicate again after the server closed: that ack counts as
# rx_drop_unexpected on board 1, an answer nobody waits for. At most one
# per server is allowed: two in the phase of the mx programs.)
#
# Regression: the library used to size medium fragments from the Linux
# MTU with its own rule, the driver from the fabric's standard sizes, so
# at any MTU but exactly 1500 or 9000 they disagreed: the driver refused
# the library's fragments (omx_perf: "Endpoint unreachable" from 2048
# bytes on at MTU 3000).
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_pingpong mx_large
# boards 0 and 1 of this guest must talk over the veth pair
export OMX_DISABLE_SHARED=1

# counters that must not move: every drop reason (stale pull replies
# aside: a slow guest may ask for a block again and get it twice) and
# every failure
BAD="rx_drop_bad_ethertype rx_drop_too_short rx_drop_bad_header
	rx_drop_unknown_endpoint rx_drop_iface_down rx_drop_other_host
	rx_drop_bad_type rx_drop_unsupported rx_drop_bad_length rx_drop_bad_frag
	rx_drop_bad_nack rx_drop_bad_subtype rx_drop_own_mac rx_drop_bad_hostname
	rx_drop_endpoint_closed rx_drop_bad_session rx_drop_queue_full
	rx_drop_unexpected rx_drop_bad_rdmawin tx_errors tx_nack_lib tx_nack_mcp
	rx_nack_lib rx_nack_mcp pull_failed"

# snapshot FILE: every counter of both boards and the veths' drops
snapshot() {
	local d s v w n
	{
		omx_counters -b 0 | sed -n 's/^  \([a-z_]*\): /0 \1 /p'
		omx_counters -b 1 | sed -n 's/^  \([a-z_]*\): /1 \1 /p'
		for d in veth0 veth1; do
			for s in rx_dropped tx_dropped; do
				read -r v < "/sys/class/net/$d/statistics/$s"
				echo "$d $s $v"
			done
		done
	} > "$1"
	# kept in SNAP too: delta reads them 108 times a phase, and two awk
	# a read cost 70 s of TCG guest time in all
	while read -r w n v; do
		SNAP["$1|$w|$n"]=$v
	done < "$1"
}
declare -A SNAP

# delta BEFORE AFTER WHO NAME: how much NAME of WHO (0, 1, veth0, veth1)
# grew; "missing" if a snapshot lacks it
delta() {
	local a=${SNAP["$1|$3|$4"]-} b=${SNAP["$2|$3|$4"]-}
	if [ -z "$a" ] || [ -z "$b" ]; then
		echo missing
	else
		echo $((b - a))
	fi
}

set_mtu() {
	ip link set veth0 mtu "$1" && ip link set veth1 mtu "$1"
}

# run_classes LABEL MTU: every message class from board 0 to board 1 and back
run_classes() {
	local label=$1 mtu=$2 pid st out b w n d
	local before=$OMX_RUN_DIR/before.$label mid=$OMX_RUN_DIR/mid.$label
	local after=$OMX_RUN_DIR/after.$label

	t_match "$label: both boards at MTU $mtu" "^board 0: .* mtu=$mtu .*
board 1: .* mtu=$mtu " "$(omx_info | grep '^board [01]:')"
	t_check "$label: board 1 discovered" mx_discover node0:1
	snapshot "$before"

	# tiny, small, medium: 0, 1, 2, 4 ... 32768, then odd sizes across
	# fragment boundaries; both sides check every byte
	"$MX_BIN/mx_pingpong" server -b 1 -e 3 -c 2 -t 300 > /tmp/pp.out 2>&1 &
	pid=$!
	t_check "$label: mx_pingpong server ready" omx_wait_for 30 grep -q '^ready ' /tmp/pp.out
	mx_run "$label: mx_pingpong 0..32768" 200 \
		"$MX_BIN/mx_pingpong" client -b 0 -d node0:1 -e 3 -s 0 -S 32768 -i 3 -t 180
	mx_run "$label: mx_pingpong 1451..32767" 200 \
		"$MX_BIN/mx_pingpong" client -b 0 -d node0:1 -e 3 -s 1451 -S 32767 -i 3 -t 180
	timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat /tmp/pp.out)
	printf '%s\n' "$out" | sed "s/^/  [$label: pingpong server] /"
	t_check "$label: mx_pingpong server: exit status 0" test "$st" = 0
	t_nomatch "$label: mx_pingpong server: no failed check" '^not ok' "$out"

	# large: 32769, 36864, 65536, 100003 in four layouts, 2 MiB + 1
	# synchronously, 100000 in odd segments; echoed and checked
	"$MX_BIN/mx_large" serve --board 1 --eid 4 --seconds 300 > /tmp/large.out 2>&1 &
	pid=$!
	t_check "$label: mx_large server ready" omx_wait_for 30 grep -q '^ready ' /tmp/large.out
	mx_run "$label: mx_large drive" 280 "$MX_BIN/mx_large" drive --board 0 \
		--peer node0:1 --peer-eid 4 --max 100003 --big 100001
	timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat /tmp/large.out)
	printf '%s\n' "$out" | sed "s/^/  [$label: large server] /"
	t_check "$label: mx_large server: exit status 0" test "$st" = 0
	t_match "$label: mx_large server: every message intact" '^ok - serve: every message intact' "$out"

	snapshot "$mid"

	# the colleague's reproduction, up to a large size
	omx_perf -b 1 -e 1 -1 > /tmp/perf.out 2>&1 < <(sleep 600) &
	pid=$!
	t_check "$label: omx_perf server ready" omx_wait_for 30 grep -q "waiting for clients" /tmp/perf.out
	out=$(timeout 200 omx_perf -b 0 -d node0:1 -r 1 -s 0 -S 131072 -n 3 -w 1 2>&1)
	st=$?
	printf '%s\n' "$out" | sed "s/^/  [$label: omx_perf] /"
	t_check "$label: omx_perf 0..131072 succeeds" test "$st" = 0
	t_match "$label: omx_perf reached 131072 bytes" '^pingpong +poll +131072 ' "$out"
	timeout 30 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	t_check "$label: omx_perf server exits 0" test $? = 0

	snapshot "$after"
	for b in 0 1; do
		d=$(delta "$before" "$after" $b tx_medium)
		t_check "$label: board $b sent medium frames ($d)" test "$d" != missing -a "$d" -gt 0
		d=$(delta "$before" "$after" $b rx_pull_reply)
		t_check "$label: board $b received pull replies ($d)" test "$d" != missing -a "$d" -gt 0
		for n in $BAD; do
			d=$(delta "$before" "$mid" $b $n)
			if [ "$b.$n" = 1.rx_drop_unexpected ]; then
				t_check "$label: mx programs: board $b: at most 2 $n, late acks to closed servers ($d)" \
					test "$d" != missing -a "$d" -le 2
			else
				t_check "$label: mx programs: board $b: no $n ($d)" test "$d" = 0
			fi
			case $n in
			rx_drop_endpoint_closed|tx_nack_lib|rx_nack_lib|rx_drop_unexpected) continue ;;
			esac
			d=$(delta "$mid" "$after" $b $n)
			t_check "$label: omx_perf: board $b: no $n ($d)" test "$d" = 0
		done
	done
	for w in veth0 veth1; do
		for n in rx_dropped tx_dropped; do
			d=$(delta "$before" "$after" $w $n)
			t_check "$label: $w: no $n ($d)" test "$d" = 0
		done
	done
}

# MTU changed under a loaded omx (NETDEV_CHANGEMTU); endpoints opened after
t_check "MTU 1500 with omx loaded" set_mtu 1500
run_classes mtu1500 1500
t_check "MTU 3000 with omx loaded" set_mtu 3000
run_classes mtu3000 3000

# MTU set before omx attaches the interfaces
t_check "unload omx" omx_unload
t_check "MTU 1200 before loading" set_mtu 1200
t_check "load omx" omx_load veth0,veth1
run_classes mtu1200 1200
t_done
