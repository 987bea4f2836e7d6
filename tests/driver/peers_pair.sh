# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# Peer discovery between the two boards of a veth pair in one guest: each
# board lists the other, once; discovery follows down/up; detaching a
# board forgets its peers; the peer ioctls check their arguments and
# privileges; a full table is reported.
. tests/vm/lib.sh
param=/sys/module/omx/parameters/ifnames
mac0=$(cat /sys/class/net/veth0/address)
mac1=$(cat /sys/class/net/veth1/address)

# peer_lines TEXT: the "peer N: mac=..." lines of omx_info output
peer_lines() {
	printf '%s\n' "$1" | grep '^peer [0-9]*: mac='
}

# counter BOARD NAME: one counter of one board
counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

info=$(omx_info --discover)
echo "$info"
t_match "board 0 lists veth1 with its hostname" \
	"^peer [0-9]+: mac=$mac1 hostname=node0:1 board=0\$" "$info"
t_match "board 1 lists veth0 with its hostname" \
	"^peer [0-9]+: mac=$mac0 hostname=node0:0 board=1\$" "$info"
t_check "exactly two peers" test "$(peer_lines "$info" | wc -l)" = 2
t_nomatch "no warning" '^warning:' "$info"
t_match "each side knows its index at the other" \
	'^peer [0-9]+: reverse_index=[0-9]+$' "$(omx_info -v)"

info=$(omx_info -d -w 1)
t_check "a second discovery adds no duplicate" test "$(peer_lines "$info" | wc -l)" = 2
t_check "board 0 sent queries" test "$(counter 0 tx_host_query)" -ge 2
t_check "board 1 answered" test "$(counter 1 tx_host_reply)" -ge 2
t_check "no send error" test "$(counter 0 tx_errors)" = 0

# Down: nothing is sent.  Up again: the board broadcasts by itself.
ip link set veth1 down
out=$(omx_info -d -w 0 2>&1)
t_match "discovery on a down board says what to do" \
	'no discovery on board 1 \(veth1\): .*bring its interface up' "$out"
t_match "board 0 lost its link: refused too" 'no discovery on board 0 \(veth0\)' "$out"
queries=$(counter 1 tx_host_query)
ip link set veth1 up
t_check "board 1 broadcasts a query when it comes back" \
	omx_wait_for 10 sh -c "test \$(omx_counters -b 1 | sed -n 's/^  tx_host_query: //p') -gt $queries"

# Detach forgets the peers heard through the board; re-attach finds them.
echo -veth1 > "$param"
info=$(omx_info)
t_nomatch "no peer heard through the detached board" 'board=1$' "$info"
t_match "veth1 is still a peer of board 0" "^peer [0-9]+: mac=$mac1 hostname=node0:1 board=0\$" "$info"
t_match "the kernel log says so" 'board 1: 1 peer\(s\) heard through it removed' "$(dmesg)"
echo +veth1 > "$param"
t_check "re-attached board finds veth0 again" omx_wait_for 10 sh -c \
	"omx_info | grep -q '^peer [0-9]*: mac=$mac0 hostname=node0:0 board=1\$'"
t_check "still two peers" test "$(peer_lines "$(omx_info)" | wc -l)" = 2

# Argument and privilege checks of the peer ioctls.
out=$(omx_bad_ioctl 2>&1)
st=$?
t_check "peer ioctls: documented errnos as root" test "$st" = 0
t_match "peer ioctl checks ran" '^ok DISCOVER_PEERS on a running board' "$out"
t_match "peer info checked" '^ok GET_PEER_INFO fields' "$out"
t_nomatch "no check failed as root" '^FAIL' "$out"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
out=$(nobody omx_bad_ioctl 2>&1)
st=$?
t_check "peer ioctls: documented errnos unprivileged" test "$st" = 0
t_match "unprivileged discovery is EPERM" '^ok DISCOVER_PEERS without privilege' "$out"
t_nomatch "no check failed unprivileged" '^FAIL' "$out"
out=$(nobody omx_info -d 2>&1)
t_match "unprivileged omx_info -d explains" 'permission denied \(needs CAP_NET_ADMIN' "$out"
t_match "any user may list the peers" "^peer [0-9]+: mac=$mac1 " "$(nobody omx_info)"

# A one-entry table: the second peer is refused, counted and reported.
t_check "unload" omx_unload
t_check "load with peers=1" omx_load veth0,veth1 peers=1
info=$(omx_info -d)
echo "$info"
t_check "one peer recorded" test "$(peer_lines "$info" | wc -l)" = 1
t_match "omx_info warns that the table is full" \
	'^warning: peer table full: new peers refused [1-9][0-9]* time\(s\) \(table size 1\); reload omx with a larger peers= parameter$' "$info"
t_match "the kernel warns too" 'peer table full \(1 peers\): .* not recorded' "$(dmesg)"
t_check "unload" omx_unload
t_check_fails "peers=0 refused" omx_load veth0 peers=0
t_check_fails "peers=65536 refused" omx_load veth0 peers=65536
t_match "refusal explained" 'peers=65536 is out of range: use 1 to 65535' "$(dmesg)"
t_check "load again" omx_load veth0,veth1
t_done
