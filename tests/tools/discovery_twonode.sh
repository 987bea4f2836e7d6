# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 400
# Dynamic discovery and hostname propagation across two hosts, with no
# static file and no "omx_info -d": node1 loads omx after node0, and
# both must list each other with hostnames within seconds.  Then node1
# renames its board with omx_hostname and node0 sees the new name
# without asking; static peers from omx_init_peers coexist with
# discovered ones.
. tests/vm/lib.sh
me=$OMX_NODE
other=$((1 - OMX_NODE))
omx_publish "mac$me" "$(cat /sys/class/net/eth0/address)"
peermac=$(omx_lookup "mac$other")
peer_lines() { printf '%s\n' "$1" | grep '^peer [0-9]*: mac='; }

if [ "$me" = 1 ]; then
	t_check "node1 unloads omx" omx_unload
fi
omx_barrier node1_gone
if [ "$me" = 0 ]; then
	t_check "node0 forgets every peer" sh -c 'omx_init_peers -c > /dev/null'
	t_check "node0's table is empty" test "$(peer_lines "$(omx_info)" | wc -l)" = 0
fi
omx_barrier empty
if [ "$me" = 1 ]; then
	omx_wait_for 10 test "$(cat /sys/class/net/eth0/operstate)" = up
	t_check "node1 loads omx later" omx_load eth0
fi

want="^peer [0-9]+: mac=$peermac hostname=node$other:0 board=0\$"
t_check "node$other listed with its hostname within 10 s, without -d" \
	omx_wait_for 10 sh -c "omx_info | grep -Eq '$want'"
info=$(omx_info)
echo "$info"
t_check "exactly one peer" test "$(peer_lines "$info" | wc -l)" = 1
omx_barrier found

# A rename reaches the other host by itself.
if [ "$me" = 1 ]; then
	t_match "node1 renames its board" '^board 0 \(eth0\): hostname=renamed-n1:0 \(was node1:0\)$' \
		"$(omx_hostname -b 0 renamed-n1:0)"
fi
if [ "$me" = 0 ]; then
	t_check "node0 sees the new name without asking" omx_wait_for 10 sh -c \
		"omx_info | grep -Eq '^peer [0-9]+: mac=$peermac hostname=renamed-n1:0 board=0\$'"
fi
omx_barrier renamed
if [ "$me" = 1 ]; then
	t_check "node1 resets its name" sh -c 'omx_hostname -r > /dev/null'
fi
if [ "$me" = 0 ]; then
	t_check "node0 follows the reset" omx_wait_for 10 sh -c \
		"omx_info | grep -Eq '^peer [0-9]+: mac=$peermac hostname=node1:0 board=0\$'"
	# A static peer next to the discovered one; the discovered keeps its entry.
	printf '02:00:00:00:0f:01 offline:0\n' > /tmp/static.peers
	t_check "static peer added" sh -c 'omx_init_peers /tmp/static.peers > /dev/null'
	info=$(omx_info)
	t_match "static peer listed" '^peer [0-9]+: mac=02:00:00:00:0f:01 hostname=offline:0 board=0$' "$info"
	t_match "discovered peer kept" "^peer [0-9]+: mac=$peermac hostname=node1:0 board=0\$" "$info"
fi
omx_barrier done
t_done
