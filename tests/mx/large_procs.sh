# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 420 --mem 1024
# Large messages between processes: four processes at once, each with its
# own endpoint pair (board 0 <-> board 1 over the veth pair, then through
# the shared path), messages both ways; then a 64 MiB send whose sender
# is killed once the receiver's pull has started (netem delay on veth0
# keeps it mid-pull): the receive must end with an error, and nothing
# may stay pinned.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_large
L="$MX_BIN/mx_large"
LEN=67108864

OMX_DISABLE_SHARED=1 mx_run "4 pairs, wire" 240 "$L" pairs --count 4 --rounds 6 --max 4194304
mx_run "4 pairs, shared" 240 "$L" pairs --count 4 --rounds 6 --max 4194304

counter() {
	local v
	v=$(omx_counters -b "$1" | sed -n "s/^  $2: //p")
	echo "${v:-0}"
}
# pull_started N: board 0 has counted more than N pull replies
pull_started() {
	[ "$(counter 0 rx_pull_reply)" -gt "$1" ]
}

export OMX_DISABLE_SHARED=1
t_check "sch_netem loads" modprobe sch_netem
t_check "netem delay on veth0" tc qdisc add dev veth0 root netem delay 100ms
pulls0=$(counter 0 rx_pull_reply)
"$L" survivor --board 0 --eid 5 --len "$LEN" --seconds 90 > /tmp/survivor.out 2>&1 &
surv=$!
t_check "survivor ready" omx_wait_for 30 grep -q '^ready' /tmp/survivor.out
"$L" victim --board 1 --peer-board 0 --peer-eid 5 --len "$LEN" > /tmp/victim.out 2>&1 &
vict=$!
# bounded in time, not in tries: each try forks omx_counters, slow under TCG
end=$((SECONDS + 60))
until pull_started "$pulls0" || [ "$SECONDS" -ge "$end" ]; do omx_nap 0.2; done
t_check "the receiver's pull has started" pull_started "$pulls0"
t_check "the sender is still sending" kill -0 "$vict"
kill -9 "$vict"
wait "$vict"
sed 's/^/  [victim] /' /tmp/victim.out
t_nomatch "the send did not complete before the kill" 'completed' "$(cat /tmp/victim.out)"
timeout 120 tail --pid="$surv" -f /dev/null || kill -9 "$surv"
wait "$surv"
st=$?
out=$(cat /tmp/survivor.out)
printf '%s\n' "$out" | sed 's/^/  [survivor] /'
t_check "survivor: exit status 0" test "$st" = 0
t_nomatch "survivor: no failed check" '^not ok' "$out"
t_match "survivor: the receive ended with an error" '^ok - survivor: with an error status' "$out"
echo "pull_failed on board 0: $(counter 0 pull_failed), rx_pull_reply: $(counter 0 rx_pull_reply)"
tc qdisc del dev veth0 root
mx_run "pinned pages" 30 "$L" unpinned
t_done
