# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --smp 2 --timeout 560
# XDP steering on virtio-net (Linux 6.1): native XDP there needs an MTU
# below about 4 KiB, so at the testbed's MTU 9000 omx_xdp attach must fail
# with the kernel's reason and the tool's hint; at MTU 3000 on both nodes
# it attaches natively on node1's eth0, and omx_perf clients on node0
# drive servers on node1 endpoints 0-3 (tiny to large): every endpoint's
# frames must be processed on the CPU of slot E % N.  After detaching,
# traffic goes on and the driver no longer reports steering=xdp.
. tests/vm/lib.sh
XDP=$OMX_TOP/tools/omx_xdp
EPS="0 1 2 3"
MTU=3000

CPUS=()
for r in $(tr ',' ' ' < /sys/devices/system/cpu/online); do
	for c in $(seq "${r%-*}" "${r#*-}"); do CPUS+=("$c"); done
done
N=${#CPUS[@]}

slot_frames() {
	printf '%s\n' "$1" | sed -n "s/^eth0: slot $2 cpu=[0-9]* frames=\([0-9]*\) .*/\1/p"
}

check_endpoint_rx() {
	local info=$1 e=$2 cpu=$3 lines total off
	lines=$(printf '%s\n' "$info" | grep "^board 0 endpoint $e: rx cpu=")
	total=$(printf '%s\n' "$lines" | sed -n 's/.* frames=\([0-9]*\) .*/\1/p' | awk '{s += $1} END {print s + 0}')
	off=$(printf '%s\n' "$lines" | grep -v "^board 0 endpoint $e: rx cpu=$cpu " |
		sed -n 's/.* frames=\([0-9]*\) .*/\1/p' | awk '{s += $1} END {print s + 0}')
	echo "  endpoint $e: $total frames received, $off of them off cpu $cpu"
	[ "$total" -gt 0 ] && [ "$off" -eq 0 ]
}

client() {
	omx_perf -b 0 -d node1:0 -r "$1" -s 0 -S 65536 -m 4 -n 5 -w 1 -f csv 2> "/tmp/cli$1.err"
}

if [ "$OMX_NODE" = 1 ]; then
	t_check "at least 2 online CPUs" test "$N" -ge 2
	t_check "eth0 is virtio_net" test "$(basename "$(readlink /sys/class/net/eth0/device/driver)")" = virtio_net
	err=$("$XDP" attach eth0 2>&1)
	t_check "native attach at MTU 9000 fails" test $? -eq 1
	echo "$err"
	t_match "the kernel's reason is shown" "MTU too large to enable XDP" "$err"
	t_match "the tool's virtio_net hint" "virtio_net .* MTU below about 4 KiB" "$err"
	t_check "nothing left attached" test "$("$XDP" status eth0)" = "eth0: not attached"
fi
omx_barrier tried

t_check "MTU $MTU on eth0" ip link set eth0 mtu "$MTU"
# no host offloads with qemu's socket netdev; switch them off where offered
ethtool -K eth0 rx-gro-hw off 2> /dev/null
ethtool -k eth0 | grep -E '^(rx-gro-hw|rx-checksumming):'
other=$((1 - OMX_NODE))
t_check "node$other discovered" omx_wait_for 60 sh -c "omx_info -d 2>/dev/null | grep -q 'hostname=node$other:0'"
omx_barrier mtu

if [ "$OMX_NODE" = 1 ]; then
	out=$("$XDP" attach eth0 2>&1)
	t_check "native attach at MTU $MTU" test $? -eq 0
	echo "$out"
	t_match "attach message" "^omx_xdp: attached to eth0 \(native mode, program id [0-9]+\): $N slots" "$out"
	SERVERS=()
	for e in $EPS; do
		omx_perf -b 0 -e "$e" > "/tmp/srv$e.log" 2>&1 < <(sleep 600) &
		SERVERS+=($!)
	done
	for e in $EPS; do
		t_check "server on endpoint $e" omx_wait_for 30 grep -q "waiting for clients" "/tmp/srv$e.log"
	done
	omx_publish servers up
	omx_lookup clients_done > /dev/null
	st=$("$XDP" status eth0)
	info=$(omx_endpoint_info -b 0)
	echo "$st"
	echo "$info"
	t_match "status: native, $N slots" "^eth0: attached mode=native prog_id=[0-9]+ slots=$N qsize=2048$" "$st"
	t_match "status: no omx frame unsteered" "^eth0: passed .* unsteered=0$" "$st"
	for s in $(seq 0 $((N - 1))); do
		t_check "slot $s (cpu ${CPUS[$s]}) got frames" test "$(slot_frames "$st" "$s")" -gt 100
	done
	for e in $EPS; do
		s=$((e % N))
		t_match "endpoint $e: steering=xdp queue=$s/$N cpus=${CPUS[$s]}" \
			"^board 0 endpoint $e: steering=xdp queue=$s/$N irq=- cpus=${CPUS[$s]}$" "$info"
		t_check "endpoint $e: 100% of its frames processed on cpu ${CPUS[$s]}" \
			check_endpoint_rx "$info" "$e" "${CPUS[$s]}"
	done
	t_check "detach eth0" "$XDP" detach eth0
	omx_publish detached yes
	omx_lookup after_done > /dev/null
	info=$(omx_endpoint_info -b 0)
	t_nomatch "no steering=xdp after detach" "steering=xdp" "$info"
	for p in "${SERVERS[@]}"; do kill "$p"; done
	for p in "${SERVERS[@]}"; do wait "$p"; done
else
	omx_lookup servers > /dev/null
	for e in $EPS; do
		out=$(client "$e")
		t_check "client to node1 endpoint $e" test $? -eq 0
		t_match "endpoint $e: large row" "^pingpong,poll,65536,5," "$out"
	done
	omx_publish clients_done yes
	omx_lookup detached > /dev/null
	out=$(client 1)
	t_check "traffic after detach still works" test $? -eq 0
	t_match "large row after detach" "^pingpong,poll,65536,5," "$out"
	omx_publish after_done yes
	t_check "nothing on the clients' stderr" test ! -s /tmp/cli0.err -a ! -s /tmp/cli1.err -a ! -s /tmp/cli2.err -a ! -s /tmp/cli3.err
fi
omx_barrier done
t_done
