# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 480 --mem 1024
# Large messages between two guests: "mx_large serve" on node1 checks
# every message (it sees each unexpected first) and echoes it back;
# "mx_large drive" on node0 sends the size sweep in every layout, an
# mx_issend and 64 MiB twice, and checks every echo byte for byte.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
mx_need mx_large
L="$MX_BIN/mx_large"
other=$((1 - OMX_NODE))
t_check "node$other discovered" mx_discover "node$other:0"
omx_barrier discovered

if [ "$OMX_NODE" = 1 ]; then
	"$L" serve --board 0 --eid 4 --seconds 360 > /tmp/serve.out 2>&1 &
	pid=$!
	t_check "server ready" omx_wait_for 30 grep -q '^ready ' /tmp/serve.out
	omx_publish large_server ready
	timeout 400 tail --pid="$pid" -f /dev/null || kill -9 "$pid"
	wait "$pid"
	st=$?
	out=$(cat /tmp/serve.out)
	printf '%s\n' "$out" | sed 's/^/  [serve] /'
	t_check "serve: exit status 0" test "$st" = 0
	t_nomatch "serve: no failed check" '^not ok' "$out"
	t_match "serve: every message checked and echoed" '^ok - serve: every message intact' "$out"
else
	t_match "server started" '^ready$' "$(omx_lookup large_server)"
	mx_run "drive node1:0" 380 "$L" drive --board 0 --peer node1:0 --peer-eid 4 --max 1052673 --big 67108864
fi
omx_barrier done
mx_run "pinned pages" 30 "$L" unpinned
t_done
