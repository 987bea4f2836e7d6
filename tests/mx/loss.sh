# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# Loss test: netem on both ends of the veth pair (so data and acks alike
# are lost, duplicated, delayed and reordered); a process on each board
# sends 5000 messages of mixed sizes (0..32768) to the other, 10,000 in
# all; each must arrive exactly once, in order, byte for byte intact.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
# boards 0 and 1 must talk over the veth pair, not inside the host
export OMX_DISABLE_SHARED=1
mx_need mx_loss
COUNT=5000
NETEM="delay 1ms reorder 25% 50% loss 10% duplicate 5%"

t_check "sch_netem loads" modprobe sch_netem
for v in veth0 veth1; do
	# shellcheck disable=SC2086
	t_check "netem on $v" tc qdisc add dev "$v" root netem $NETEM
done

"$MX_BIN/mx_loss" --board 1 --peer-board 0 --count "$COUNT" --seed 7 --deadline 420 > /tmp/loss1.out 2>&1 &
p1=$!
"$MX_BIN/mx_loss" --board 0 --peer-board 1 --count "$COUNT" --seed 7 --deadline 420 > /tmp/loss0.out 2>&1 &
p0=$!
for b in 0 1; do
	eval "pid=\$p$b"
	timeout 540 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat "/tmp/loss$b.out")
	printf '%s\n' "$out" | sed "s/^/  [board $b] /"
	t_check "board $b: exit status 0" test "$st" = 0
	t_nomatch "board $b: no failed check" '^not ok' "$out"
	t_match "board $b: received all $COUNT" '^ok - loss: every message of the peer received' "$out"
	t_match "board $b: exactly once, in order, intact" '^ok - loss: each exactly once, in order, intact' "$out"
	# how the losses were repaired (docs/mx-api.md, "Loss recovery")
	stats=$(printf '%s\n' "$out" | sed -n 's/^stats: //p')
	stat() { printf '%s\n' "$stats" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	kept=$(stat ooo_kept) fast=$(stat resent_fast) slow=$(stat resent_timeout)
	probe=$(stat resent_probe)
	t_check "board $b: frames after a gap were kept (ooo_kept=$kept)" test "${kept:-0}" -gt 0
	t_check "board $b: gaps repaired by gap reports (resent_fast=$fast)" test "${fast:-0}" -gt 0
	t_check "board $b: fewer timer resends than fast ones ($slow < $fast)" \
		test "${slow:-1}" -lt "${fast:-0}"
	# a lost last message (or its lost ack) is found by the probe
	t_check "board $b: tail losses probed (resent_probe=$probe)" test "${probe:-0}" -gt 0
done
for v in veth0 veth1; do
	stats=$(tc -s qdisc show dev "$v")
	echo "$stats"
	t_match "netem on $v dropped frames" 'dropped [1-9]' "$stats"
	t_match "netem on $v saw traffic both ways" 'Sent [1-9][0-9]* bytes' "$stats"
	tc qdisc del dev "$v" root
done
t_done
