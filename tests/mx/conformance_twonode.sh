# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 420
# The conformance client/server pair across two guests: a server on node1,
# a client on node0 that finds it by hostname, keeps 1200 sends
# outstanding against 1200 pre-posted receives, then echoes every size
# class over the link between the guests.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_conformance
other=$((1 - OMX_NODE))
t_check "node$other discovered" mx_discover "node$other:0"
omx_barrier discovered

if [ "$OMX_NODE" = 1 ]; then
	"$MX_BIN/mx_conformance" server --board 0 > /tmp/server.out 2>&1 &
	pid=$!
	t_check "server ready" omx_wait_for 30 grep -q '^ready ' /tmp/server.out
	read -r _nic eid < <(sed -n 's/^ready //p' /tmp/server.out)
	omx_publish server_eid "$eid"
	timeout 330 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat /tmp/server.out)
	printf '%s\n' "$out" | sed 's/^/  [server] /'
	t_check "server: exit status 0" test "$st" = 0
	t_nomatch "server: no failed check" '^not ok' "$out"
else
	eid=$(omx_lookup server_eid)
	t_match "server published its endpoint" '^[0-9]+$' "$eid"
	mx_run "client node0 -> server node1:0" 300 \
		"$MX_BIN/mx_conformance" client --board 0 --peer node1:0 --peer-eid "$eid"
	t_check "frames crossed the link" test "$(omx_counters -b 0 | sed -n 's/^  tx_medium: //p')" -gt 0
fi
omx_barrier done
t_done
