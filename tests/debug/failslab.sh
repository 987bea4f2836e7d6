# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-debug: --topology pair --timeout 900
# Fault injection on omx's allocations (debug kernel only, tests/check-debug):
# failslab fails 10% of the slab allocations made with an omx function on
# the stack (the stack-trace filter: require-start/require-end span the
# module, from /proc/modules), sleeping or not, while
#  1. the driver fuzzer (tests/fuzz/omx_fuzz, root, frames across the
#     pair) runs: it must pass, i.e. every errno is one docs/abi.md lists,
#     no taint, no stuck or dead worker; then veth1 is detached by force
#     and attached again 30 times, and must work again once injection
#     stops;
#  2. mx_loss exchanges messages both ways over the pair, then through the
#     shared path: every message the library completed must have arrived
#     exactly once, in order, intact, and every failure must be a clean MX
#     error (a status or error text), never a crash, a hang or bad data;
#  3. mx_large sends large messages (pulls) over the pair, the same rule.
# Before them, work outside omx (file and process churn) with the
# injection on must get no failure: the filter holds.  The number of
# failures injected in each phase is printed and must not be 0.
# Afterwards omx must hold no endpoint, pinned page, region or pull, and
# tests/vm/guest-init checks the unload and kmemleak.
#
# Arguments (after the node): --seed S (the fuzzer's; default random) and
# --iterations N (the fuzzer's, default 20000).
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
shift	# the node number
seed=''
iterations=20000
omx_seed_args failslab.sh "$@"
mx_need mx_loss mx_large
fuzz=$OMX_TOP/tests/fuzz/omx_fuzz
# MX errors are returned and reported by the programs, not fatal: a
# program killed by a signal then is a crash
export OMX_FATAL_ERRORS=0
fs=/sys/kernel/debug/failslab
TIMES=100000000

if [ ! -w "$fs/require-start" ]; then
	t_fail "failslab with the stack-trace filter ($fs/require-start): not the debug kernel"
	t_done
	exit 1
fi

# omx's core image: address (6th field) and size of /proc/modules
read -r _ size _ _ _ base _ < <(grep '^omx ' /proc/modules)
text=$(cat /sys/module/omx/sections/.text)
echo "omx: core at $base, $size bytes; .text at $text"
t_check "omx's .text lies within its core image" \
	test $((text - base)) -ge 0 -a $((text - base)) -lt "$size"
end=$(printf '0x%x' $((base + size)))

# inject_on VERBOSE: on; injected: the count since it was turned on; off
inject_on() {
	echo "$base" > "$fs/require-start" &&
		echo "$end" > "$fs/require-end" &&
		echo 32 > "$fs/stacktrace-depth" &&
		echo N > "$fs/ignore-gfp-wait" &&
		echo N > "$fs/task-filter" &&
		echo "$1" > "$fs/verbose" &&
		echo 1 > "$fs/interval" &&
		echo "$TIMES" > "$fs/times" &&
		echo 10 > "$fs/probability"
}
injected() { echo $((TIMES - $(cat "$fs/times"))); }
inject_off() { echo 0 > "$fs/probability"; }
total=0
# opened N: wait (60 s at most) for N endpoints open on the driver
opened() {
	omx_wait_for 60 sh -c "omx_info | grep -q '^driver: .* endpoints_open=$1 '"
}

# every failure in OUT is an MX error, not bad data: no line of mx_loss's
# or mx_large's content checks may have failed
no_bad_data() {
	! printf '%s\n' "$1" | grep -Eq -- \
		'^not ok - .*(exactly once, in order, intact|got message|payload says|checksum|byte [0-9]+ is|guard|length [0-9]+/[0-9]+, expected)'
}

# --- 0. the filter: outside omx, nothing fails (verbose 2: the stack of
# any failure injected here is in the kernel log, unless the allocation
# asked for __GFP_NOWARN).  omx must be idle first, or its own
# allocations are rightly failed and counted here: the frames of its
# boards discovering each other after loading, and the peer ager, whose
# periodic run allocates a bitmap (omx_peers_expire).  Two runs of
# 2026-12-07 counted one failure here, with no trace in the log, the
# second after waiting for the frames to stop: the ager is off (peer_age
# 0) during this phase.
age0=$(cat /sys/module/omx/parameters/peer_age)
echo 0 > /sys/module/omx/parameters/peer_age
frames() {
	{ omx_counters -b 0; omx_counters -b 1; } |
		awk '$1 ~ /^(rx|tx)_frames:$/ { s += $2 } END { print s + 0 }'
}
quiet() { local a; a=$(frames); sleep 2; [ "$(frames)" = "$a" ]; }
t_check "omx is idle: no frame sent or received for 2 s" omx_wait_for 60 quiet
t_check "injection on" inject_on 2
for _ in $(seq 1 200); do sh -c 'cat /proc/self/status > /dev/null'; done
find /usr/share/doc -maxdepth 2 -type f 2> /dev/null | head -n 2000 | xargs cat > /dev/null 2>&1
n=$(injected)
inject_off
echo "failslab: $n failure(s) injected during 200 forks and 2000 file reads outside omx"
t_check "the filter keeps the injection inside omx ($n outside)" test "$n" = 0
echo "$age0" > /sys/module/omx/parameters/peer_age

# --- 1. the fuzzer
inject_on 0
out=$("$fuzz" --seed "$seed" --iterations "$iterations" --frames veth0,veth1 --quiet 2>&1)
st=$?
n=$(injected)
inject_off
total=$((total + n))
printf '%s\n' "$out" | tail -n 20
echo "failslab: fuzzer (seed $seed, $iterations iterations): $n failure(s) injected"
t_check "fuzzer passes under injection (seed $seed)" test "$st" = 0
t_check "failures were injected under the fuzzer" test "$n" -gt 0

# --- 1b. veth1 detached by force and attached again, 30 times
params=/sys/module/omx/parameters/ifnames
refused=0
inject_on 0
for _ in $(seq 1 30); do
	echo --veth1 > "$params" 2> /dev/null
	echo +veth1 > "$params" 2> /dev/null || refused=$((refused + 1))
done
n=$(injected)
inject_off
total=$((total + n))
echo "failslab: 30 detach/attach cycles of veth1: $n failure(s) injected, $refused attach(es) refused"
t_check "failures were injected under detach/attach" test "$n" -gt 0
# without injection, veth1 comes back and both boards work
grep -qw veth1 "$params" || echo +veth1 > "$params"
t_check "veth1 attached again" omx_wait_for 20 sh -c 'omx_info | grep -q "ifname=veth1"'
t_check "the boards see each other again" omx_wait_for 30 sh -c \
	"omx_info -d -w 1 | grep -q 'hostname=node0:1 board=0\$'"

# --- 2. mx_loss, both ways, over the pair and through the shared path;
# an endpoint may fail to open (No resources): up to 8 rounds, until one
# ran with both open
loss_round() {
	local name=$1 try
	shift
	for try in 1 2 3 4 5 6 7 8; do
		loss_try "$name" "$@"
		if ! grep -q '^not ok - .*open endpoint' /tmp/fl0.out /tmp/fl1.out; then
			t_ok "mx_loss $name: both endpoints opened (round $try)"
			return
		fi
	done
	t_fail "mx_loss $name: an endpoint failed to open in each of 8 rounds"
}
loss_try() {
	local name=$1 o0 o1 s0 s1 n
	shift
	env "$@" timeout -k 5 400 "$MX_BIN/mx_loss" --board 1 --peer-board 0 --count 1000 \
		--seed 11 --deadline 300 > /tmp/fl1.out 2>&1 &
	local p1=$!
	env "$@" timeout -k 5 400 "$MX_BIN/mx_loss" --board 0 --peer-board 1 --count 1000 \
		--seed 11 --deadline 300 > /tmp/fl0.out 2>&1 &
	local p0=$!
	# opening an endpoint makes many allocations, and at 10% each it
	# nearly always failed: the injection starts once both are open
	opened 2
	inject_on 0
	wait "$p0"
	s0=$?
	wait "$p1"
	s1=$?
	n=$(injected)
	inject_off
	total=$((total + n))
	o0=$(cat /tmp/fl0.out) o1=$(cat /tmp/fl1.out)
	printf '%s\n' "$o0" | sed "s/^/  [$name, board 0] /"
	printf '%s\n' "$o1" | sed "s/^/  [$name, board 1] /"
	echo "failslab: mx_loss $name: $n failure(s) injected, exit statuses $s0 and $s1"
	t_check "mx_loss $name: failures were injected" test "$n" -gt 0
	t_check "mx_loss $name: both ended by themselves (no signal, no timeout)" \
		test "$s0" -le 1 -a "$s1" -le 1
	t_check "mx_loss $name, board 0: no bad data" no_bad_data "$o0"
	t_check "mx_loss $name, board 1: no bad data" no_bad_data "$o1"
	# what one side's library completed as sent, the other received
	if printf '%s\n' "$o0" | grep -q '^ok - loss: every send completed successfully'; then
		t_match "mx_loss $name: board 1 received all board 0 completed" \
			'^ok - loss: every message of the peer received' "$o1"
	fi
	if printf '%s\n' "$o1" | grep -q '^ok - loss: every send completed successfully'; then
		t_match "mx_loss $name: board 0 received all board 1 completed" \
			'^ok - loss: every message of the peer received' "$o0"
	fi
	echo "  [$name] $(printf '%s\n%s\n' "$o0" "$o1" | grep -c '^ok - ') checks passed, $(printf '%s\n%s\n' "$o0" "$o1" | grep -c '^not ok - ') failed (MX errors)"
}
loss_round "over the pair" OMX_DISABLE_SHARED=1
loss_round "shared path" OMX_DISABLE_SHARED=0

# --- 3. large messages (pulls) over the pair, up to 8 rounds as above
for try in 1 2 3 4 5 6 7 8; do
	OMX_DISABLE_SHARED=1 timeout -k 5 400 "$MX_BIN/mx_large" local --paths ab,ba \
		--max 1052673 --no-cases > /tmp/fl.out 2>&1 &
	pl=$!
	opened 3	# a and c on board 0, b on board 1
	inject_on 0
	wait "$pl"
	st=$?
	out=$(cat /tmp/fl.out)
	n=$(injected)
	inject_off
	total=$((total + n))
	printf '%s\n' "$out" | grep -q '^not ok - .*open endpoint' || break
	echo "  [mx_large] round $try: an endpoint did not open"
done
t_nomatch "mx_large: its endpoints opened (round $try)" '^not ok - .*open endpoint' "$out"
printf '%s\n' "$out" | sed 's/^/  [mx_large] /'
echo "failslab: mx_large: $n failure(s) injected, exit status $st"
t_check "mx_large: failures were injected" test "$n" -gt 0
t_check "mx_large: ended by itself (no signal, no timeout)" test "$st" -le 1
t_check "mx_large: no bad data" no_bad_data "$out"
echo "  [mx_large] $(printf '%s\n' "$out" | grep -c '^ok - ') checks passed, $(printf '%s\n' "$out" | grep -c '^not ok - ') failed (MX errors)"

echo "failslab: $total failure(s) injected into omx's allocations in all"
t_check "nothing left: no endpoint, pinned page, region or pull" omx_wait_for 30 sh -c \
	"omx_info | grep -q '^driver: .* endpoints_open=0 pinned_pages=0 regions=0 pulls=0 '"
t_done
