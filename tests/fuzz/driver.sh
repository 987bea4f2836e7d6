# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# The driver under tests/fuzz/omx_fuzz (random ioctls, mmaps and frames,
# seeded; docs/testing.md, "Fuzzers"), on boards 0 (veth0) and 1 (veth1):
#  1. as root, with frames across the pair both ways and the receiving
#     boards' drop counters checked against the codec's verdict on every
#     frame sent;
#  2. as uid 65534 while a root process sends frames and veth1 is detached
#     by force and attached again underneath, and root holds an endpoint
#     the attacker must not reach;
# then nothing may stay pinned or registered, no pull in progress, the
# drop counters must have moved, the module must unload and the kernel
# must not be tainted (the harness also fails the run on any oops, WARN
# or BUG in the kernel log).
#
# Arguments (after the node): --seed S (default random, printed) and
# --iterations N (each phase, the root frame sender does N/2; default
# 60000, about 196,000 calls; the CI's run must make at least 100,000).  The long run for developers
# (docs/testing.md), about 3,300,000 calls in 6 minutes:
#   flock /tmp/omx-vm.lock tests/vm/run --topology pair --timeout 3600 \
#       tests/fuzz/driver.sh --iterations 1000000
. tests/vm/lib.sh
shift	# the node number
seed= iterations=60000
omx_seed_args driver.sh "$@"
fuzz=$OMX_TOP/tests/fuzz/omx_fuzz
[ -x "$fuzz" ] || { echo "not ok - $fuzz not built (make)"; exit 1; }
echo "fuzz: seed $seed, $iterations iterations per phase"
echo "fuzz: again with: tests/vm/run --topology pair tests/fuzz/driver.sh --seed $seed --iterations $iterations"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
drops() {
	omx_counters -b "$1" | awk '$1 ~ /^rx_drop_/ { s += $2 } END { print s + 0 }'
}
idle() { omx_info | grep -q '^driver: .* endpoints_open=0 pinned_pages=0 regions=0 pulls=0 '; }
tainted0=$(cat /proc/sys/kernel/tainted)
start=$(date +%s)

# --- 1. root: ioctls, mmaps, frames; exact drop counters
t_check "boards see each other" omx_wait_for 20 sh -c \
	"omx_info -d -w 1 | grep -q 'hostname=node0:1 board=0\$'"
t0=$(date +%s)
out=$("$fuzz" --seed "$seed" --iterations "$iterations" --frames veth0,veth1 \
	--check-counters --quiet 2>&1)
st=$?
t1=$(date +%s)
echo "$out"
root_out=$out
t_check "root run passes" test "$st" = 0
t_match "root run: drop counters exactly as the frames sent" \
	'^omx_fuzz: counters exact: [1-9][0-9]* ' "$out"
t_match "root run: ioctls, mmaps and frames made" \
	'calls \(ioctl [1-9][0-9]*, mmap [1-9][0-9]*, frames [1-9][0-9]*, other [1-9]' "$out"
# the fuzzer may clear the counters (root): it checks them between clears,
# and sums up what it saw
for c in rx_drop_too_short= rx_drop_bad_type= rx_drop_unsupported= rx_drop_bad_length= \
	rx_drop_bad_frag= rx_drop_bad_nack= rx_drop_bad_subtype= rx_drop_own_mac= \
	rx_drop_bad_header\>= rx_drop_other_host\>=; do
	t_match "root run: ${c%%[>=]*} grew as expected" "^omx_fuzz: counters exact: .* $c[1-9]" "$out"
done
t_check "the boards show drops" test "$(($(drops 0) + $(drops 1)))" -gt 0
t_check "root run: nothing left pinned, registered or pulling" omx_wait_for 30 idle
echo "fuzz: root phase took $((t1 - t0)) s"

# --- 2. uid 65534, veth1 detached by force and attached again underneath
omx_hold 0 0 /tmp/hold.out
stop=/tmp/fuzz.stop
rm -f "$stop"
(
	n=0
	while [ ! -e "$stop" ]; do
		echo --veth1 > /sys/module/omx/parameters/ifnames && n=$((n + 1))
		sleep 0.1
		echo +veth1 > /sys/module/omx/parameters/ifnames
		sleep 0.4
	done
	echo "$n" > /tmp/fuzz.detaches
) &
flipper=$!
"$fuzz" --seed "$((seed + 1))" --iterations "$((iterations / 2))" --frames veth0,veth1 \
	--frames-only --quiet > /tmp/fuzz.frames 2>&1 &
framer=$!
t0=$(date +%s)
out=$(nobody "$fuzz" --seed "$((seed + 2))" --iterations "$iterations" --ifaces veth0,veth1 \
	--quiet 2>&1)
st=$?
t1=$(date +%s)
wait "$framer"
fst=$?
touch "$stop"
wait "$flipper"
echo "$out"
cat /tmp/fuzz.frames
t_check "unprivileged run passes" test "$st" = 0
t_match "it ran as uid 65534 without privileges" '^omx_fuzz: seed [0-9]+, [0-9]+ iterations, uid 65534, unprivileged' "$out"
t_check "the root frame sender passes" test "$fst" = 0
t_check "veth1 was detached underneath, $(cat /tmp/fuzz.detaches) times" \
	test "$(cat /tmp/fuzz.detaches)" -ge 1
echo "fuzz: endpoints found dead by a forced detach: $(dmesg | grep -c 'detached by force') times"
grep -q veth1 /sys/module/omx/parameters/ifnames || echo +veth1 > /sys/module/omx/parameters/ifnames
t_match "veth1 attached again" 'ifname=veth1' "$(omx_info)"
omx_release
t_match "the root endpoint survived" 'endpoint alive' "$(cat /tmp/hold.out)"
t_check "unprivileged run: nothing left pinned, registered or pulling" omx_wait_for 30 idle
echo "fuzz: unprivileged phase took $((t1 - t0)) s"

# --- the module goes away cleanly; the kernel is as it was
t_check "rmmod omx succeeds" omx_unload
t_check "no 0x86df handler left" sh -c '! grep -qi "^86df " /proc/net/ptype'
t_check "the kernel is not tainted by the run" test "$(cat /proc/sys/kernel/tainted)" = "$tainted0"
echo "fuzz: both phases and checks took $(($(date +%s) - start)) s of guest time"
calls=$(printf '%s\n' "$root_out" "$out" "$(cat /tmp/fuzz.frames)" |
	sed -n 's/^omx_fuzz: seed [0-9]*: [0-9]* iterations, \([0-9]*\) calls.*/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
echo "fuzz: calls: $calls in all"
[ "$iterations" -lt 60000 ] || t_check "at least 100,000 calls in all ($calls)" test "$calls" -ge 100000
t_done
