# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --no-slub-debug --topology multiqueue --smp 4,sockets=2,cores=2 --timeout 600
# The demo (scripts/demo, the README's main command) runs its per-node
# script, scripts/demo-cluster.sh, in the same testbed; this checks what
# it shows: the peer found, omx_perf figures, and on node0 omx_affinity
# with the four exchange processes each on its queue's CPU (class SC),
# agreeing with /proc.
. tests/vm/lib.sh
out=$OMX_RUN_DIR/demo.node$OMX_NODE.txt
bash scripts/demo-cluster.sh > "$out" 2>&1
st=$?
sed 's/^/  | /' "$out"
t_check "demo-cluster.sh exits 0" test "$st" -eq 0
text=$(cat "$out")
t_match "the other node is seen" "^== node$OMX_NODE sees node$((1 - OMX_NODE))\$" "$text"
if [ "$OMX_NODE" = 0 ]; then
	t_match "omx_perf printed a 1 MiB stream row" '^stream +block +1048576 ' "$text"
	t_match "TCP on the same link, 1 MiB stream" '^tcp,stream,1048576,20,[0-9.]+$' "$text"
	for e in 4 5 6 7; do
		q=$((e % 4))
		t_match "omx_affinity: endpoint $e on queue $q, process on SC" \
			"endpoint $e: .*queue=$q .*class=SC" "$text"
	done
	t_nomatch "omx_affinity: no warning (steering nic, one process per queue, none on OP)" '^warning: ' "$text"
fi
t_done
