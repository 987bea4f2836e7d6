# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 360
# libfabric's fi_pingpong over the omx provider between the two guests of
# twonode: server on node1, client on node0, each on its board 0 (domain
# omx0), tagged, every size from 0 B to 6 MiB with data checks.  Its
# out-of-band address exchange is TCP, so eth0 (omx's board) also gets an
# IPv4 address on each node; omx only takes ethertype 0x86df frames.
# Each node's board must have sent and received at least as many frames
# as fi_pingpong's messages.
. tests/vm/lib.sh

export FI_PROVIDER_PATH=$OMX_TOP/fabric
export LD_LIBRARY_PATH=$OMX_TOP/libomx${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
unset FI_PROVIDER FI_LOG_LEVEL
other=$((1 - OMX_NODE))
net=10.86.223
port=47603
# round trips per size: 4 keeps the test near a minute (46 sizes to 6 MiB)
iters=4

if [ ! -f "$FI_PROVIDER_PATH/libomx-fi.so" ] || ! command -v fi_pingpong > /dev/null; then
	t_fail "fabric/libomx-fi.so built and fi_pingpong installed (make; scripts/install-deps)"
	t_done
	exit 1
fi

counter() {
	omx_counters -b 0 | sed -n "s/^  $1: //p"
}

t_check "eth0 gets $net.$((OMX_NODE + 1))" ip addr add "$net.$((OMX_NODE + 1))/24" dev eth0
t_check "node$other discovered" \
	omx_wait_for 60 sh -c "omx_info -d 2>/dev/null | grep -q 'hostname=node$other:0'"
tx0=$(counter tx_frames)
rx0=$(counter rx_frames)
omx_barrier ready

if [ "$OMX_NODE" = 1 ]; then
	timeout -k 5 240 fi_pingpong -p omx -e rdm -m tagged -d omx0 -B "$port" \
		-I "$iters" -c -S all > /tmp/pp.out 2>&1 &
	pid=$!
	# the client does not retry its TCP connect: say when we listen
	t_check "server listening on port $port" \
		omx_wait_for 30 sh -c "ss -Hltn 'sport = :$port' | grep -q ."
	omx_publish pp_listening yes
	wait "$pid"
	st=$?
	role=server
else
	t_check "server listening" test "$(omx_lookup pp_listening)" = yes
	timeout -k 5 240 fi_pingpong -p omx -e rdm -m tagged -d omx0 -P "$port" \
		-I "$iters" -c -S all "$net.2" > /tmp/pp.out 2>&1
	st=$?
	role=client
fi
out=$(cat /tmp/pp.out)
printf '%s\n' "$out" | sed "s/^/  [$role] /"
t_check "fi_pingpong $role: exit status 0" test "$st" = 0
t_nomatch "fi_pingpong $role: no data error" 'Error|error' "$out"
# one result row per size ("SIZE  #sent  =#ack ..."), on both sides
rows=$(printf '%s\n' "$out" | grep -cE '^[0-9.]+[kmg]? +[0-9]+[kmb]? +=')
t_check "fi_pingpong $role: 46 sizes acknowledged in full ($rows)" test "$rows" = 46
t_match "fi_pingpong $role: 1 MiB" "^1m +$iters +=$iters " "$out"
t_match "fi_pingpong $role: 6 MiB" "^6m +$iters +=$iters " "$out"
nmsg=$((rows * iters))
dtx=$(($(counter tx_frames) - tx0))
drx=$(($(counter rx_frames) - rx0))
echo "  [$role] board 0: tx_frames +$dtx, rx_frames +$drx (messages each way: $nmsg)"
t_check "$role: messages counted ($nmsg)" test "$nmsg" -gt 0
t_check "$role: board 0 tx_frames grew by at least $nmsg" test "$dtx" -ge "$nmsg"
t_check "$role: board 0 rx_frames grew by at least $nmsg" test "$drx" -ge "$nmsg"
omx_barrier done
t_done
