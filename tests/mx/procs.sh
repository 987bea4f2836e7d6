# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 480
# Several processes: a server on each board and two clients on board 0 at
# once (so board 0 holds three processes): one reaches the server on its
# own board through the local path by nic id, the other the server on
# board 1 across the veth pair by hostname.  Each client keeps 1200 sends
# outstanding against 1200 pre-posted receives, then echoes every size.
# Then request timeouts against a stopped, a killed and a vanished peer.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
# boards 0 and 1 must talk over the veth pair, not inside the host
export OMX_DISABLE_SHARED=1
mx_need mx_conformance
modprobe sch_netem || echo "modprobe sch_netem failed"

start_server() {
	"$MX_BIN/mx_conformance" server --board "$1" > "/tmp/server$1.out" 2>&1 &
	eval "server$1=\$!"
	omx_wait_for 30 grep -q '^ready ' "/tmp/server$1.out"
}

t_check "server on board 0 ready" start_server 0
t_check "server on board 1 ready" start_server 1
# "ready NICID EID" follows the servers' first check lines
read -r nic0 eid0 < <(sed -n 's/^ready //p' /tmp/server0.out)
read -r nic1 eid1 < <(sed -n 's/^ready //p' /tmp/server1.out)
mx_run "client board 0 -> server board 0 (local)" 300 \
	"$MX_BIN/mx_conformance" client --board 0 --peer-nic "$nic0" --peer-eid "$eid0" > /tmp/client0.out 2>&1 &
c0=$!
mx_run "client board 0 -> server board 1 (wire)" 300 \
	"$MX_BIN/mx_conformance" client --board 0 --peer node0:1 --peer-eid "$eid1" > /tmp/client1.out 2>&1 &
c1=$!
wait "$c0"
wait "$c1"
# the clients' checks ran in subshells: count them from their output
for f in /tmp/client0.out /tmp/client1.out; do
	cat "$f"
	n_ok=$(grep -c '^ok - ' "$f")
	n_bad=$(grep -c '^not ok - ' "$f")
	T_PASSED=$((T_PASSED + n_ok))
	T_FAILED=$((T_FAILED + n_bad))
done
for b in 0 1; do
	eval "pid=\$server$b"
	timeout 120 tail --pid="$pid" -f /dev/null
	wait "$pid"
	st=$?
	sed "s/^/  [server $b] /" "/tmp/server$b.out"
	t_check "server on board $b: exit status 0" test "$st" = 0
	t_nomatch "server on board $b: no failed check" '^not ok' "$(cat "/tmp/server$b.out")"
done

mx_run "request timeouts" 240 "$MX_BIN/mx_conformance" timeouts --board 0 --peer-board 1 \
	--cut "tc qdisc add dev veth0 root netem loss 100%" \
	--uncut "tc qdisc del dev veth0 root"
t_done
