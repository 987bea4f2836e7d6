# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 420
# MX ping-pong between two guests: the server on node1, a client on node0
# that finds it by hostname (node1:0), then one that uses its nic id.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_pingpong
other=$((1 - OMX_NODE))
t_check "node$other discovered" mx_discover "node$other:0"
omx_barrier discovered

if [ "$OMX_NODE" = 1 ]; then
	"$MX_BIN/mx_pingpong" server -b 0 -e 2 -c 2 -t 300 > /tmp/server.out 2>&1 &
	pid=$!
	t_check "server ready" omx_wait_for 30 grep -q '^ready ' /tmp/server.out
	nic=$(sed -n 's/^ready \([^ ]*\) .*/\1/p' /tmp/server.out)
	omx_publish server_nic "$nic"
	timeout 330 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat /tmp/server.out)
	printf '%s\n' "$out" | sed 's/^/  [server] /'
	t_check "server: exit status 0" test "$st" = 0
	t_nomatch "server: no failed check" '^not ok' "$out"
	t_check "server: both clients served" test "$(printf '%s\n' "$out" | grep -c '^ok - server: client served')" = 2
else
	nic=$(omx_lookup server_nic)
	t_match "server published its nic id" '^0x[0-9a-f]+$' "$nic"
	mx_run "client by hostname node1:0" 200 "$MX_BIN/mx_pingpong" client -d node1:0 -e 2 -s 0 -S 32768 -i 10 -t 180
	mx_run "client by nic id $nic" 120 "$MX_BIN/mx_pingpong" client -n "$nic" -e 2 -s 1 -S 32768 -i 3 -t 100
fi
omx_barrier done
t_done
