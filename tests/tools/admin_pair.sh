# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 600
# The operator tools on one host with boards 0 (veth0) and 1 (veth1):
# omx_info's driver and counter lines, omx_endpoint_info, omx_hostname
# (renames reach the peer entry on the other board without a discovery),
# omx_init_peers (good, malformed, full table, clear, replace), the
# HOST_QUERY answer rate limit, attach-all of interfaces created after
# load, and each tool's errors: no privilege, no such board, no module.
. tests/vm/lib.sh
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
peer_lines() { printf '%s\n' "$1" | grep '^peer [0-9]*: mac='; }
counter() { omx_counters -b "$1" | sed -n "s/^  $2: //p"; }
mac0=$(cat /sys/class/net/veth0/address)
mac1=$(cat /sys/class/net/veth1/address)

# --- omx_info: module-wide figures and per-board totals
info=$(omx_info)
echo "$info"
t_match "driver line with version and live figures" \
	'^driver: version=[0-9.]+ endpoints_open=0 pinned_pages=0 regions=0 pulls=0 peers=[0-9]+/1024$' "$info"
t_match "board 0 counter totals" \
	'^board 0 counters: rx_frames=[0-9]+ tx_frames=[0-9]+ rx_dropped=[0-9]+ tx_errors=[0-9]+$' "$info"
t_match "board 1 counter totals" '^board 1 counters: rx_frames=' "$info"

# --- omx_endpoint_info
omx_hold 0 3 /tmp/hold.out
holder=$OMX_HOLDER
out=$(omx_endpoint_info)
echo "$out"
t_match "board summary counts the endpoint" '^board 0 \(veth0\): 1 of 32 endpoints open$' "$out"
t_match "endpoint 3 with its pid, command and session (root)" \
	"^board 0 endpoint 3: pid=$holder command=omx_hold_endpoi session=0x[0-9a-f]{8}\$" "$out"
t_match "board 1 has none" '^board 1 \(veth1\): 0 of 32 endpoints open$' "$out"
t_nomatch "free slots not listed by default" 'free$' "$out"
t_match "driver line counts it" '^driver: .* endpoints_open=1 ' "$(omx_info)"
out=$(nobody omx_endpoint_info -b 0)
t_match "another user sees the slot open, not who holds it nor the session" \
	"^board 0 endpoint 3: pid=- command=- session=-\$" "$out"
t_nomatch "-b 0 shows board 0 only" '^board 1' "$out"
t_match "-a lists free slots" '^board 1 endpoint 31: free$' "$(omx_endpoint_info -a)"
omx_release
t_nomatch "closed endpoint gone" 'endpoint 3:' "$(omx_endpoint_info)"
out=$(omx_endpoint_info -b 7 2>&1); st=$?
t_match "no such board explained" 'no board 7 is attached; omx_info lists the boards' "$out"
t_check "no such board exits 1" test "$st" = 1
omx_endpoint_info -b 32 > /dev/null 2>&1; st=$?
t_check "board out of range is a usage error" test "$st" = 2

# --- omx_hostname: board 0 must know board 1 as a peer first
t_check "boards see each other" omx_wait_for 20 sh -c \
	"omx_info -d -w 1 | grep -q '^peer [0-9]*: mac=$mac1 hostname=node0:1 board=0\$'"
out=$(omx_hostname)
t_match "show board 0" '^board 0 \(veth0\): hostname=node0:0$' "$out"
t_match "show board 1" '^board 1 \(veth1\): hostname=node0:1$' "$out"
replies=$(counter 1 tx_host_reply)
out=$(omx_hostname -b 1 rack7-n3:1)
t_match "rename reported with the old name" '^board 1 \(veth1\): hostname=rack7-n3:1 \(was node0:1\)$' "$out"
t_match "omx_info shows the new name" '^board 1: .* hostname=rack7-n3:1$' "$(omx_info)"
t_check "an unsolicited reply went out" test "$(counter 1 tx_host_reply)" -gt "$replies"
t_check "the peer entry follows without a discovery" omx_wait_for 10 sh -c \
	"omx_info | grep -q '^peer [0-9]*: mac=$mac1 hostname=rack7-n3:1 board=0\$'"
t_match "kernel log tells" 'board 1 \(veth1\): hostname node0:1 is now rack7-n3:1, announced to 1 peer' "$(dmesg)"
out=$(omx_hostname clusterA)
t_match "without -b every board gets NAME:INDEX (0)" '^board 0 \(veth0\): hostname=clusterA:0 ' "$out"
t_match "without -b every board gets NAME:INDEX (1)" '^board 1 \(veth1\): hostname=clusterA:1 ' "$out"
out=$(omx_hostname -r)
t_match "reset to the system name" "^board 1 \\(veth1\\): hostname=$(uname -n):1 \\(was clusterA:1\\)\$" "$out"
t_check "peer entry back to the system name" omx_wait_for 10 sh -c \
	"omx_info | grep -q '^peer [0-9]*: mac=$mac1 hostname=$(uname -n):1 board=0\$'"
out=$(nobody omx_hostname -b 0 evil:0 2>&1); st=$?
t_match "unprivileged rename explained" 'permission denied: this needs CAP_NET_ADMIN' "$out"
t_check "unprivileged rename exits 1" test "$st" = 1
t_match "name unchanged" '^board 0 \(veth0\): hostname=node0:0$' "$(nobody omx_hostname -b 0)"
out=$(omx_hostname -b 0 "$(printf 'bad\tname')" 2>&1); st=$?
t_match "control character refused" 'invalid hostname' "$out"
t_check "bad name is a usage error" test "$st" = 2
out=$(omx_hostname -b 0 "$(printf 'x%.0s' $(seq 80))" 2>&1); st=$?
t_check "80-character name refused" test "$st" = 2
out=$(omx_hostname -b 9 foo 2>&1); st=$?
t_match "rename of a missing board explained" 'no board 9 is attached' "$out"
t_check "missing board exits 1" test "$st" = 1

# --- omx_init_peers
good=/tmp/peers.good
cat > $good <<'PEERS'
# static peers
02:00:00:00:0b:01 static1:0

02:00:00:00:0b:02   static2:0   # trailing comment
02:00:00:00:0b:03 static3:1
PEERS
before=$(peer_lines "$(omx_info)" | wc -l)
out=$(omx_init_peers $good); st=$?
echo "$out"
t_check "good file loads" test "$st" = 0
t_match "load reported" "^omx_init_peers: loaded 3 peer\\(s\\) from $good on board 0, $((before + 3)) in the table\$" "$out"
info=$(omx_info)
for n in 1 2 3; do
	t_match "static$n listed with its hostname" "^peer [0-9]+: mac=02:00:00:00:0b:0$n hostname=static$n:[01] board=0\$" "$info"
done
t_check "loading again adds no duplicate" sh -c \
	"omx_init_peers $good > /dev/null && test \$(omx_info | grep -c 'mac=02:00:00:00:0b:0') = 3"
bad=/tmp/peers.bad
cat > $bad <<'PEERS'
02:00:00:00:0c:01 fine:0
02:00:00:00:0c:0g nothex:0
02:00:00:00:0c:03
01:00:5e:00:00:01 group:0
02:00:00:00:0c:01 dupmac:0
02:00:00:00:0c:05 fine:0
PEERS
out=$(omx_init_peers $bad 2>&1); st=$?
echo "$out"
t_check "malformed file exits 1" test "$st" = 1
t_match "bad MAC with its line" "$bad:2: bad MAC address" "$out"
t_match "missing hostname with its line" "$bad:3: .*no hostname" "$out"
t_match "group MAC with its line" "$bad:4: MAC address 01:00:5e:00:00:01 is not a board's" "$out"
t_match "duplicate MAC with both lines" "$bad:5: MAC address 02:00:00:00:0c:01 already on line 1" "$out"
t_match "duplicate hostname with both lines" "$bad:6: hostname fine:0 already on line 1" "$out"
t_match "nothing loaded" "5 bad line\\(s\\) in $bad: nothing loaded" "$out"
t_nomatch "not even the good line" 'mac=02:00:00:00:0c:01' "$(omx_info)"
t_match "check mode counts peers" "^omx_init_peers: $good: 3 peer\\(s\\), no error\$" "$(omx_init_peers -n $good)"
out=$(omx_init_peers -b 5 $good 2>&1); st=$?
t_match "unknown local board explained" 'no board 5 is attached' "$out"
t_check "unknown local board exits 1" test "$st" = 1
out=$(nobody omx_init_peers $good 2>&1); st=$?
t_match "unprivileged load explained" 'permission denied: this needs CAP_NET_ADMIN' "$out"
t_check "unprivileged load exits 1" test "$st" = 1
printf '02:00:00:00:0d:01 only1:0\n02:00:00:00:0b:01 static1:0\n' > /tmp/peers.replace
out=$(omx_init_peers -c /tmp/peers.replace)
t_match "replace reported" 'loaded 2 peer\(s\) .* in place of the old table, 2 in the table$' "$out"
info=$(omx_info)
t_check "replace leaves exactly the file's peers" test "$(peer_lines "$info" | wc -l)" = 2
t_match "kept peer renamed by the file" '^peer [0-9]+: mac=02:00:00:00:0b:01 hostname=static1:0 ' "$info"
t_match "clear" '^omx_init_peers: peer table cleared$' "$(omx_init_peers -c)"
t_check "table empty after clear" test "$(peer_lines "$(omx_info)" | wc -l)" = 0

# A full table: nothing of the file is added.
t_check "unload" omx_unload
t_check "load with peers=4" omx_load veth0,veth1 peers=4
# let the attach-time discovery settle before emptying the table
omx_wait_for 10 sh -c 'test $(omx_info | grep -c "^peer .*hostname=node0") = 2'
omx_init_peers -c > /dev/null
printf '02:00:00:00:0e:01 a:0\n02:00:00:00:0e:02 b:0\n' > /tmp/peers.two
t_check "two static peers fit" sh -c 'omx_init_peers /tmp/peers.two > /dev/null'
out=$(omx_init_peers $good 2>&1); st=$?
echo "$out"
t_match "full table explained" "peer table full: 3 peer\\(s\\) from $good do not fit \\(2 of 4 slots used\\); nothing loaded" "$out"
t_check "full table exits 1" test "$st" = 1
t_check "still exactly two peers" test "$(peer_lines "$(omx_info)" | wc -l)" = 2
t_match "replace may use the whole table" 'loaded 3 peer' "$(omx_init_peers -c $good)"
t_check "three peers after replace" test "$(peer_lines "$(omx_info)" | wc -l)" = 3

# --- answers to HOST_QUERY are rate-limited per board
omx_counters -c > /dev/null
omx_init_peers -c > /dev/null
q="ffffffffffff 02000000aa01 86df ffff 03 00 ffff 00000000 12345678 00000000"
t_check "a burst of 300 queries sent" sh -c "omx_send_frame -n 300 veth1 $q > /dev/null"
t_check "queries arrived" omx_wait_for 10 sh -c \
	"test \$(omx_counters -b 0 | sed -n 's/^  rx_host_query: //p') -ge 200"
unans=$(counter 0 host_query_unanswered)
answered=$(counter 0 tx_host_reply)
echo "rx_host_query=$(counter 0 rx_host_query) tx_host_reply=$answered unanswered=$unans"
t_check "some queries left unanswered" test "$unans" -gt 0
t_check "at most the burst answered per second" test "$answered" -le 200
t_match "the querier was recorded anyway" '^peer [0-9]+: mac=02:00:00:00:aa:01 hostname=- ' "$(omx_info)"

# --- attach-all follows interfaces created after load
t_check "unload" omx_unload
t_check "load without ifnames" omx_load
ip link add vn0 type veth peer name vn1
t_check "vn0 attached when created" omx_wait_for 10 sh -c "omx_info | grep -q 'ifname=vn0 '"
t_match "vn1 too" 'ifname=vn1 ' "$(omx_info)"
ip link del vn0
t_nomatch "both gone when deleted" 'ifname=vn' "$(omx_info)"
t_check "unload" omx_unload
ip link add vn0 type veth peer name vn1
t_check "load with a list" omx_load veth0
ip link add vn2 type veth peer name vn3
t_nomatch "a list disables attach-all" 'ifname=vn' "$(omx_info)"
ip link del vn0; ip link del vn2

# --- without the module every tool says so
t_check "unload" omx_unload
for tool in omx_endpoint_info omx_hostname "omx_init_peers -c"; do
	out=$($tool 2>&1); st=$?
	t_match "$tool without the module says what to do" '/dev/omx.*(modprobe|insmod)' "$out"
	t_check "$tool without the module exits 1" test "$st" = 1
done
t_check "load again" omx_load veth0,veth1
t_done
