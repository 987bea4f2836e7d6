# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --smp 2 --timeout 400
# XDP steering on the veth pair: omx_xdp attaches omx_xdp_steer to veth1
# (board 1); omx_perf clients on board 0 drive servers on board 1
# endpoints 0-3 with tiny, small, medium and large (PULL/PULL_REPLY)
# messages.  The program must redirect every frame of endpoint E to slot
# E % N (the N online CPUs in increasing id order), and the driver's
# per-endpoint per-CPU receive counters must show 100% of each endpoint's
# frames processed on that slot's CPU.  Then: detach restores normal
# delivery, generic mode steers the same way, and the tool's errors.
. tests/vm/lib.sh
# boards 0 and 1 of this guest must talk over the veth pair
export OMX_DISABLE_SHARED=1
XDP=$OMX_TOP/tools/omx_xdp
EPS="0 1 2 3"

# The CPU rule, computed here from sysfs independently of the tool.
CPUS=()
for r in $(tr ',' ' ' < /sys/devices/system/cpu/online); do
	for c in $(seq "${r%-*}" "${r#*-}"); do CPUS+=("$c"); done
done
N=${#CPUS[@]}
echo "online CPUs: ${CPUS[*]} (N=$N)"
t_check "at least 2 online CPUs (steering needs a choice)" test "$N" -ge 2

# slot_frames STATUS SLOT: the frames counted on SLOT in omx_xdp status
slot_frames() {
	printf '%s\n' "$1" | sed -n "s/^veth1: slot $2 cpu=[0-9]* frames=\([0-9]*\) .*/\1/p"
}

counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

# check_endpoint_rx INFO E CPU: endpoint E received frames, and every rx
# line of it in omx_endpoint_info output INFO is on CPU
check_endpoint_rx() {
	local info=$1 e=$2 cpu=$3 lines total off
	lines=$(printf '%s\n' "$info" | grep "^board 1 endpoint $e: rx cpu=")
	total=$(printf '%s\n' "$lines" | sed -n 's/.* frames=\([0-9]*\) .*/\1/p' | awk '{s += $1} END {print s + 0}')
	off=$(printf '%s\n' "$lines" | grep -v "^board 1 endpoint $e: rx cpu=$cpu " |
		sed -n 's/.* frames=\([0-9]*\) .*/\1/p' | awk '{s += $1} END {print s + 0}')
	echo "  endpoint $e: $total frames received, $off of them off cpu $cpu"
	[ "$total" -gt 0 ] && [ "$off" -eq 0 ]
}

# --- errors a user meets ---
err=$("$XDP" attach nosuch0 2>&1)
t_check "attach to a missing interface fails" test $? -eq 1
t_match "missing interface message" "no such interface 'nosuch0'" "$err"
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$XDP" attach veth1 2>&1)
t_check "attach as nobody fails" test $? -eq 1
t_match "not root message" "permission denied.*needs root" "$err"
err=$("$XDP" detach veth1 2>&1)
t_check "detach when not attached fails" test $? -eq 1
t_match "not attached message" "veth1: omx_xdp is not attached" "$err"
err=$("$XDP" attach veth1 --mode turbo 2>&1)
t_check "bad mode is a usage error" test $? -eq 2
t_match "bad mode message" "bad value 'turbo' for --mode" "$err"
err=$(OMX_XDP_OBJECT=/nonexistent.o "$XDP" attach veth1 2>&1)
t_check "missing object fails" test $? -eq 1
t_match "missing object message" "cannot read the BPF object /nonexistent.o" "$err"
out=$("$XDP" status veth1)
t_check "status of a bare interface exits 3" test $? -eq 3
t_match "status says not attached" "^veth1: not attached$" "$out"

# --- attach, native mode ---
out=$("$XDP" attach veth1 2>&1)
t_check "attach veth1 (native)" test $? -eq 0
echo "$out"
t_match "attach reports the mode and N slots" "^omx_xdp: attached to veth1 \(native mode, program id [0-9]+\): $N slots: 0->cpu${CPUS[0]} 1->cpu${CPUS[1]}" "$out"
err=$("$XDP" attach veth1 2>&1)
t_check "second attach fails" test $? -eq 1
t_match "already attached message" "veth1: omx_xdp is already attached \(native mode" "$err"
st=$("$XDP" status veth1)
t_check "status exits 0 when attached" test $? -eq 0
echo "$st"
t_match "status header" "^veth1: attached mode=native prog_id=[0-9]+ slots=$N qsize=2048$" "$st"
for s in $(seq 0 $((N - 1))); do
	t_match "slot $s is cpu ${CPUS[$s]}" "^veth1: slot $s cpu=${CPUS[$s]} frames=0 bytes=0$" "$st"
done
t_match "status without an interface lists veth1" "^veth1: attached mode=native" "$("$XDP" status)"
t_check "veth0 has nothing attached" test "$("$XDP" status veth0; echo $?)" = "veth0: not attached
3"
# bpftool lists the kernel's BPF programs (scripts/install-deps installs it)
t_check "bpftool is installed" command -v bpftool
t_match "the kernel names the program omx_xdp_steer" "xdp +name omx_xdp_steer" "$(bpftool prog show 2>&1)"

# --- servers on board 1, endpoints 0-3 ---
SERVERS=()
for e in $EPS; do
	omx_perf -b 1 -e "$e" > "/tmp/srv$e.log" 2>&1 < <(sleep 600) &
	SERVERS+=($!)
done
for e in $EPS; do
	t_check "server on board 1 endpoint $e" omx_wait_for 20 grep -q "waiting for clients" "/tmp/srv$e.log"
done

# client E: every class of message to endpoint E: 0-16 tiny, 64 small,
# 256-16384 medium, 65536 large (rendezvous, pulled by board 1)
client() {
	omx_perf -b 0 -d node0:1 -r "$1" -s 0 -S 65536 -m 4 -n 5 -w 1 -f csv 2> "/tmp/cli$1.err"
}

# quiet_status: omx_xdp status once the counters stopped moving for a
# second, so that a previous client's last frames (its acks, the NACKs for
# its closed endpoint) are not counted against the next one
quiet_status() {
	local a b i
	a=$("$XDP" status veth1)
	for i in $(seq 10); do
		sleep 1
		b=$("$XDP" status veth1)
		[ "$a" = "$b" ] && break
		a=$b
	done
	printf '%s\n' "$b"
}

pull_replies=$(counter 1 rx_pull_reply)
for e in $EPS; do
	before=$(quiet_status)
	out=$(client "$e")
	t_check "client to endpoint $e succeeds" test $? -eq 0
	t_match "endpoint $e: large row" "^pingpong,poll,65536,5," "$out"
	after=$("$XDP" status veth1)
	want=$((e % N))
	for s in $(seq 0 $((N - 1))); do
		b=$(slot_frames "$before" "$s") a=$(slot_frames "$after" "$s")
		if [ "$s" = "$want" ]; then
			t_check "endpoint $e: frames redirected to slot $s ($b -> $a)" test "$a" -gt $((b + 50))
		else
			t_check "endpoint $e: none to slot $s ($b -> $a)" test "$a" -eq "$b"
		fi
	done
done
t_check "board 1 received pull replies (steered by the magic)" test "$(counter 1 rx_pull_reply)" -gt "$pull_replies"
st=$(quiet_status)
info=$(omx_endpoint_info -b 1)
echo "$st"
t_match "no omx frame left unsteered" "^veth1: passed not_omx=[0-9]+ no_endpoint=[0-9]+ unsteered=0$" "$st"

# --- the driver's view: where each endpoint's frames were processed ---
echo "$info"
for e in $EPS; do
	s=$((e % N))
	t_match "endpoint $e: driver reports steering=xdp queue=$s/$N cpus=${CPUS[$s]}" \
		"^board 1 endpoint $e: steering=xdp queue=$s/$N irq=- cpus=${CPUS[$s]}$" "$info"
	t_check "endpoint $e: 100% of its frames processed on cpu ${CPUS[$s]}" \
		check_endpoint_rx "$info" "$e" "${CPUS[$s]}"
done
# the frames the driver processed are the frames the program redirected
for s in $(seq 0 $((N - 1))); do
	sum=0
	for e in $EPS; do
		[ $((e % N)) = "$s" ] || continue
		f=$(printf '%s\n' "$info" | sed -n "s/^board 1 endpoint $e: rx cpu=[0-9]* frames=\([0-9]*\) .*/\1/p" |
			awk '{s += $1} END {print s + 0}')
		sum=$((sum + f))
	done
	t_check "slot $s: driver counted the $(slot_frames "$st" "$s") frames the program redirected ($sum)" \
		test "$sum" -eq "$(slot_frames "$st" "$s")"
done

# --- detach: normal delivery resumes ---
out=$("$XDP" detach veth1 2>&1)
t_check "detach veth1" test $? -eq 0
t_match "detach message" "^omx_xdp: detached from veth1 \(native mode, program id [0-9]+\)$" "$out"
out=$("$XDP" status veth1)
t_check "status after detach exits 3" test $? -eq 3
t_match "status after detach" "^veth1: not attached$" "$out"
progs=$(bpftool prog show 2>&1)
t_check "bpftool lists the kernel's programs" test $? -eq 0
t_nomatch "no program left in the kernel" "omx_xdp_steer" "$progs"
out=$(client 1)
t_check "traffic after detach still works" test $? -eq 0
t_match "large row after detach" "^pingpong,poll,65536,5," "$out"
info=$(omx_endpoint_info -b 1)
t_match "driver still lists the endpoints" "^board 1 endpoint 1: " "$info"
t_nomatch "driver no longer reports steering=xdp" "steering=xdp" "$info"
t_nomatch "nor mode=xdp for the board" "mode=xdp" "$info"

# --- generic mode steers the same way (endpoint 3 had no traffic since) ---
out=$("$XDP" attach veth1 --mode generic 2>&1)
t_check "attach veth1 --mode generic" test $? -eq 0
t_match "generic attach message" "^omx_xdp: attached to veth1 \(generic mode" "$out"
before=$(quiet_status)
t_match "status says generic" "^veth1: attached mode=generic " "$before"
out=$(client 3)
t_check "client to endpoint 3 in generic mode" test $? -eq 0
after=$("$XDP" status veth1)
s=$((3 % N))
t_check "generic: endpoint 3 redirected to slot $s" \
	test "$(slot_frames "$after" "$s")" -gt $(($(slot_frames "$before" "$s") + 50))
info=$(omx_endpoint_info -b 1)
t_check "generic: endpoint 3 still 100% on cpu ${CPUS[$s]}" check_endpoint_rx "$info" 3 "${CPUS[$s]}"
t_check "detach generic" "$XDP" detach veth1
t_nomatch "no steering=xdp after the last detach" "steering=xdp" "$(omx_endpoint_info -b 1)"

for p in "${SERVERS[@]}"; do kill "$p"; done
for p in "${SERVERS[@]}"; do wait "$p"; done
t_check "nothing on the clients' stderr" test ! -s /tmp/cli0.err -a ! -s /tmp/cli1.err -a ! -s /tmp/cli2.err -a ! -s /tmp/cli3.err
t_done
