# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# The per-peer reply order on a 2-CPU guest (driver/linux/omx_pull.c,
# "Recovery"; docs/wire.md, "Large messages"): one endpoint of board 1
# pulls from board 0 over the lossless veth pair, its pulls started at
# once by two threads bound to CPUs 0 and 1 (omx_pull_test order), so
# that PULLs of one endpoint to one peer are built on both CPUs, by the
# ioctls and by the replies' softirqs. Nothing is lost, so no reply may
# make another frame look lost (pull_fast_resent), and no late copy may
# come after its pull ended. New frames go in spans of 8 or more while
# replies are outstanding (omx_pull_room()).
#
# Regression: with tickets numbered per peer and read across CPUs (the
# first version, reverted), a reply answered from one CPU's backlog made
# the frames still in the other CPU's backlog look lost: re-requests on
# a link that loses nothing, and driver/mtu_pair once counted the late
# copy of one (rx_drop_unexpected).
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH
T=/sys/kernel/tracing
[ -e "$T/trace" ] || mount -t tracefs nodev "$T"

counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

# frames dropped by the veths or a CPU's backlog (softnet_stat's second
# column, hex): a real loss, which would explain a re-request
drops() {
	local d s v n=0
	for d in veth0 veth1; do
		for s in rx_dropped tx_dropped; do
			read -r v < "/sys/class/net/$d/statistics/$s"
			n=$((n + v))
		done
	done
	while read -r _ v _; do
		n=$((n + 0x$v))
	done < /proc/net/softnet_stat
	echo "$n"
}

t_check "two CPUs online" test "$(nproc)" -ge 2
# (rx_drop_stale_pull_reply aside: omx_pull_test checks it against the
# probes, which a slow guest may fire on a lossless link)
names="rx_drop_unexpected tx_nack_mcp rx_nack_mcp pull_failed"
declare -A before
for b in 0 1; do
	for n in $names; do before[$b.$n]=$(counter $b $n); done
done
drops0=$(drops)

echo 1 > "$T/events/omx/omx_pull_send/enable"
echo 1 > "$T/tracing_on"
echo > "$T/trace"
out=$(omx_pull_test order 40 32 65536 2>&1)
st=$?
printf '%s\n' "$out"
# 1 MiB pulls overfill the peer's window (at most 128 frames) for the
# span rule below; the 64 KiB ones above never fill it on a veth
big=$(omx_pull_test order 2 16 1048576 2>&1)
bst=$?
echo 0 > "$T/events/omx/omx_pull_send/enable"
printf '%s\n' "$big"
t_check "omx_pull_test order passes" test "$st" = 0
t_check "omx_pull_test order passes with 1 MiB pulls" test "$bst" = 0
out="$out
$big"
t_nomatch "no check failed" '^FAIL' "$out"
n=$(printf '%s\n' "$out" | grep -c '^ok order: no frame taken as lost')
t_check "no frame taken as lost, in both runs ($n)" test "$n" = 2

dropped=$(($(drops) - drops0))
t_check "the veth pair and the backlogs dropped nothing ($dropped)" test "$dropped" = 0
for b in 0 1; do
	for n in $names; do
		d=$(($(counter $b $n) - ${before[$b.$n]}))
		t_check "board $b: no $n ($d)" test "$d" = 0
	done
done

# What the test exercised, from the omx_pull_send events of board 1's
# endpoint: "CPU HANDLE TICKET" per PULL, in each CPU's order.
sends=$(sed -n 's/.*\[\([0-9]*\)\].*: omx_pull_send: ep=1 handle=\([^ ]*\) .* ticket=\([0-9]*\)$/\1 \2 \3/p' \
	"$T/trace")
cpus=$(printf '%s\n' "$sends" | awk 'NF { print $1 }' | sort -u | wc -l)
# consecutive PULLs (in time) from two CPUs: tickets of one stream interleaved
switches=$(printf '%s\n' "$sends" | awk 'NF { if (NR > 1 && $1 != prev) n++; prev = $1 }
	END { print n + 0 }')
echo "PULLs traced: $(printf '%s\n' "$sends" | grep -c .), on $cpus CPUs, $switches changes of CPU"
t_check "PULLs of endpoint 1 built on both CPUs ($cpus)" test "$cpus" -ge 2
t_check "tickets of both CPUs interleaved ($switches changes of CPU)" test "$switches" -ge 10
# each CPU hands its PULLs to the device in the order of their tickets
# (16-bit, per peer: a later one is ahead by less than half the range)
unordered=$(printf '%s\n' "$sends" | awk 'NF {
		if ($1 in last && ($3 - last[$1] + 65536) % 65536 >= 32768) n++
		last[$1] = $3 }
	END { print n + 0 }')
t_check "on each CPU, PULLs in ticket order ($unordered out of order)" test "$unordered" = 0

# With the window full each reply frees room for one frame: while
# replies are outstanding a new PULL must still ask for at least 8
# frames, or half the window, or the rest of its block of 32 or of its
# message (a pull's last frame is the highest one asked for under its
# handle). Before, a pull with nothing of its own outstanding took each
# freed frame alone.
spans=$(sed -n 's/.*: omx_pull_send: ep=1 handle=\([^ ]*\) frames=\([0-9]*\)+\([0-9]*\) new inflight=\([0-9]*\) cwnd=\([0-9]*\) .*/\1 \2 \3 \4 \5/p' \
	"$T/trace")
read -r news small < <(printf '%s\n' "$spans" | awk 'NF {
		h[NR] = $1; f[NR] = $2; c[NR] = $3; o[NR] = $4; w[NR] = $5
		if ($2 + $3 > end[$1]) end[$1] = $2 + $3 }
	END {
		for (i = 1; i <= NR; i++) {
			if (!(i in h)) continue
			need = 8
			if (int(w[i] / 2) < need) need = int(w[i] / 2)
			if (end[h[i]] - f[i] < need) need = end[h[i]] - f[i]
			# a PULL asks within one block of 32 frames
			if (32 - f[i] % 32 < need) need = 32 - f[i] % 32
			n++
			if (o[i] > c[i] && c[i] < need) s++
		}
		print n + 0, s + 0 }')
echo "new PULLs: $news, smaller than their span rule with replies outstanding: $small"
t_check "new PULLs traced ($news)" test "$news" -ge 100
t_check "no new PULL below 8 frames while replies were outstanding ($small)" test "$small" = 0
t_done
