# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 300
# Peer discovery across two hosts: each lists the other (MAC, hostname
# node1:0 / node0:0), never itself, once even after another discovery,
# and both agree on each other's indexes.  Then node1 sends node0 forged
# and malformed frames: each is counted under its drop reason and none
# adds a peer, while well-formed HOST_REPLYs add or rename one.
. tests/vm/lib.sh
me=$OMX_NODE
other=$((1 - OMX_NODE))
mymac=$(cat /sys/class/net/eth0/address)
omx_publish "mac$me" "$mymac"
peermac=$(omx_lookup "mac$other")
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
t_match "eth0 is this node's only board, MTU 9000, up" \
	"^board 0: ifname=eth0 mac=$mymac mtu=9000 status=up,running endpoints=0 hostname=node$me:0\$" \
	"$(omx_info)"
t_nomatch "no second board" '^board 1:' "$(omx_info)"
omx_barrier loaded

peer_lines() {
	printf '%s\n' "$1" | grep '^peer [0-9]*: mac='
}

# The peer line of the other node, once discovery has run on both sides.
want="^peer [0-9]+: mac=$peermac hostname=node$other:0 board=0\$"
t_check "node$other found" omx_wait_for 60 sh -c \
	"omx_info -d | grep -Eq '$want'"
omx_barrier found
info=$(omx_info -v)
echo "$info"
t_match "node$other listed with its MAC and hostname" "$want" "$info"
t_nomatch "no entry for this node itself" "^peer [0-9]+: mac=$mymac " "$info"
t_check "exactly one peer" test "$(peer_lines "$info" | wc -l)" = 1

info=$(omx_info -d -v)
t_check "a second discovery adds no duplicate" test "$(peer_lines "$info" | wc -l)" = 1
t_match "same line after a second discovery" "$want" "$info"

# Where each keeps the other: my reverse index is my index at the other.
index=$(printf '%s\n' "$info" | sed -En "s/^peer ([0-9]+): mac=$peermac .*/\1/p")
reverse=$(printf '%s\n' "$info" | sed -En "s/^peer $index: reverse_index=([0-9]+)\$/\1/p")
omx_publish "index$me" "$index"
t_check "reverse index learned" test -n "$reverse"
t_check "reverse index is my index in node$other's table" \
	test "$reverse" = "$(omx_lookup "index$other")"
omx_barrier indexes

# Frames node1 forges for node0, in hex (see omx_send_frame).
hexmac() { printf '%s' "$1" | tr -d :; }
hexstr() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# host_reply DST SRC HOSTNAME_LEN HOSTNAME_HEX
host_reply() {
	echo "$(hexmac "$1") $(hexmac "$2") 86df ffff 04 $3 ffff 00000000 12345678 00000000 $4"
}
fake=02:00:00:00:0a:01		# locally administered, unused
ghost=02:00:00:00:0a:02

if [ "$me" = 1 ]; then
	omx_barrier cleared
	node0=$peermac
	send() { omx_send_frame eth0 "$@" > /dev/null || echo "send failed: $*"; }
	send "$(host_reply "$node0" $fake 03 "$(hexstr bad)")"		# no NUL
	send "$(host_reply "$node0" $fake 06 616200636400)"		# "ab\0cd\0"
	send "$(host_reply "$node0" $fake 04 61096200)"			# "a\tb\0"
	send "$(host_reply "$node0" $fake 00 '')"			# empty
	send "$(host_reply "$node0" $fake 50 "$(hexstr x)00")"		# 80 bytes announced
	send "$(host_reply "$node0" "$node0" 08 "$(hexstr spoof:0)00")"	# our own MAC
	send "$(host_reply "$node0" 03:00:00:00:00:01 08 "$(hexstr multi:0)00")"
	send "$(host_reply ff:ff:ff:ff:ff:ff $fake 08 "$(hexstr bcast:0)00")"
	send "$(hexmac "$node0") $(hexmac $fake) 86df ffff 07"		# undefined type
	send "$(hexmac "$node0") $(hexmac $fake) 86df ffff 02"		# MFM_NIC_REPLY
	send "$(hexmac "$node0") $(hexmac $fake) 86df ffff 01"		# RAW, no handler
	send "$(host_reply "$node0" $ghost 08 "$(hexstr ghost:0)00")"	# well-formed
	send "$(host_reply "$node0" $ghost 08 "$(hexstr ghost:1)00")"	# renames it
	omx_publish sent 1
else
	omx_counters -c > /dev/null
	omx_barrier cleared
	omx_lookup sent > /dev/null
	t_check "the well-formed forged reply renamed its peer" omx_wait_for 30 sh -c \
		"omx_info | grep -q '^peer [0-9]*: mac=$ghost hostname=ghost:1 board=0\$'"
	info=$(omx_info)
	counters=$(omx_counters -b 0)
	echo "$info"
	echo "$counters"
	t_check "one entry for the renamed peer" test "$(peer_lines "$info" | grep -c "mac=$ghost ")" = 1
	t_nomatch "malformed replies added no peer" "mac=$fake " "$info"
	t_nomatch "forged own-MAC reply added no peer" "^peer [0-9]+: mac=$mymac " "$info"
	t_nomatch "multicast source added no peer" 'mac=03:00:00:00:00:01 ' "$info"
	t_nomatch "no other forged hostname recorded" 'hostname=(spoof|multi|bcast|bad)' "$info"
	t_check "two peers: node1 and the forged one" test "$(peer_lines "$info" | wc -l)" = 2
	t_match "bad hostnames counted" '^  rx_drop_bad_hostname: 3$' "$counters"
	t_match "bad hostname lengths counted" '^  rx_drop_bad_length: 2$' "$counters"
	t_match "own MAC as source counted" '^  rx_drop_own_mac: 1$' "$counters"
	t_match "group source or destination counted" '^  rx_drop_bad_header: 2$' "$counters"
	t_match "undefined type counted" '^  rx_drop_bad_type: 1$' "$counters"
	t_match "unsupported types counted" '^  rx_drop_unsupported: 2$' "$counters"
	t_match "both forged replies accepted" '^  rx_host_reply: [2-9]' "$counters"
fi
omx_barrier done
t_done
