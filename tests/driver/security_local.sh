# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# Local users against each other (docs/security.md), the attacker being
# nobody (uid 65534): it cannot create peers nor fill the table, learned
# peers age out unless an open endpoint refers to them, it hits the
# per-user endpoint limit (EDQUOT) and root still opens endpoints,
# endpoint memory is charged to the opener's memory cgroup, it cannot see
# who holds root's endpoint, and its CONNECT and NACK floods are
# rate-limited and counted while root's traffic goes through; an MX
# program still works unprivileged.  About 40 s of guest time.
. tests/vm/lib.sh
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
counter() { omx_counters -b "$1" | sed -n "s/^  $2: //p"; }
peers() { omx_info | sed -n 's/^driver: .* peers=\([0-9]*\)\/.*/\1/p'; }
peers_are() { test "$(peers)" = "$1"; }
no_peer() { ! omx_info | grep -q "$1"; }
kv() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
mac1=$(cat /sys/class/net/veth1/address)

# Short ages so that the test sees them happen.
reload() { omx_unload && omx_load veth0,veth1 "$@"; }
t_check "reload with peer_age=3" reload peer_age=3
omx_info --discover > /dev/null
t_check "the two boards know each other" omx_wait_for 10 peers_are 2

# --- peers: nobody cannot create any, nor fill the table
out=$(nobody omx_sec_test create 2000)
echo "nobody: $out"
t_check "nobody creates no peer" test "$(kv created "$out")" = 0
t_check "every CREATE of a foreign MAC is EPERM" test "$(kv eperm "$out")" = 2000
t_check "the table still holds the two boards" test "$(peers)" = 2
t_nomatch "the table is not full" 'peer table full' "$(omx_info)$(dmesg)"
out=$(nobody omx_sec_test flood connect 0 1 5 1)
t_match "nobody may still look up this host's boards (its endpoint talks)" '^sent=[1-9]' "$out"

# --- peers: learned ones age out, unless an endpoint refers to them
omx_sec_test ref 02:00:00:00:07:01 14 > /tmp/ref.out &
refpid=$!
omx_wait_for 10 grep -q '^peer=' /tmp/ref.out
out=$(omx_sec_test create 50)
t_check "root creates 50 learned peers" test "$(kv created "$out")" = 50
t_check "53 peers" peers_are 53
t_check "unused learned peers age out within 8 s" omx_wait_for 8 peers_are 3
t_match "the discovered peers stay" "^peer [0-9]+: mac=$mac1 hostname=node0:1 board=0\$" "$(omx_info)"
t_match "the peer an open endpoint refers to stays" '^peer [0-9]+: mac=02:00:00:00:07:01 ' "$(omx_info)"
wait $refpid
t_check "once its endpoint is closed, it ages out too" omx_wait_for 8 no_peer 02:00:00:00:07:01

# --- endpoints: per-user limit, memory charged to the opener's cgroup
grep -q '^cgroup2 /sys/fs/cgroup ' /proc/mounts || mount -t cgroup2 none /sys/fs/cgroup
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
cg=/sys/fs/cgroup/omxsec
mkdir -p $cg
before=$(cat $cg/memory.current)
mkfifo /tmp/hold.fifo
sh -c "echo \$\$ > $cg/cgroup.procs; exec setpriv --reuid=65534 --regid=65534 --clear-groups omx_sec_test hold-max" \
	< /tmp/hold.fifo > /tmp/holdmax.out &
holdpid=$!
exec 7> /tmp/hold.fifo
omx_wait_for 60 grep -q '^held=' /tmp/holdmax.out
out=$(cat /tmp/holdmax.out)
echo "nobody: $out"
after=$(cat $cg/memory.current)
held=$(kv held "$out")
echo "memory.current: $before -> $after for $held endpoints; $(grep '^vmalloc' $cg/memory.stat)"
t_check "nobody holds endpoints_per_user (16) endpoints" test "$held" = 16
t_check "the next one is refused with EDQUOT" test "$(kv errno "$out")" = EDQUOT
t_match "the kernel says which limit" 'uid 65534 holds 16 endpoint\(s\), the endpoints_per_user limit' "$(dmesg)"
t_check "each endpoint charged >= 4 MiB to nobody's memory cgroup" \
	test $((after - before)) -ge $((held * 4 * 1024 * 1024))
out=$(omx_sec_test open 0)
t_match "root still opens an endpoint" '^opened=[0-9]+$' "$out"
t_match "libomx names the limit and the parameter" 'endpoints_per_user' "$(nobody omx_perf -b 0 -e 20 -1 2>&1 | head -3)"
exec 7>&-
wait $holdpid
t_check "all endpoints closed: memory back" omx_wait_for 10 sh -c "test \$(cat $cg/memory.current) -lt $((before + 8 * 1024 * 1024))"
rmdir $cg 2> /dev/null

# --- network namespaces: /dev/omx used from another one opens no endpoint
ip netns add omxsec
out=$(ip netns exec omxsec omx_sec_test open 0)
t_check "another network namespace: the board is not there (ENODEV)" test "$out" = errno=ENODEV
ip netns del omxsec

# --- visibility: nobody sees that root's slot is open, not who holds it
omx_hold 0 3 /tmp/hold.out
t_match "nobody: root's endpoint shows no pid nor command" \
	'^board 0 endpoint 3: pid=- command=- session=-$' "$(nobody omx_endpoint_info -b 0)"
t_match "root sees its own" "^board 0 endpoint 3: pid=$OMX_HOLDER command=omx_hold_endpoi session=0x" \
	"$(omx_endpoint_info -b 0)"
omx_release

# --- CONNECT flood from nobody to root's endpoint 0 of board 1
declare -A b
for n in rx_connect rx_drop_rate_limited tx_nack_lib nack_lib_unsent; do b[$n]=$(counter 1 $n); done
omx_perf -b 1 > /tmp/server.out 2>&1 &
spid=$!
sleep 1
nobody omx_sec_test flood connect 0 1 0 6 > /tmp/flood.out &
fpid=$!
out=$(OMX_DISABLE_SHARED=1 omx_perf -b 0 -d node0:1 -n 200 -S 64 2>&1)
wait $fpid
flood=$(cat /tmp/flood.out)
echo "flood: $flood"
limited=$(($(counter 1 rx_drop_rate_limited) - b[rx_drop_rate_limited]))
connects=$(($(counter 1 rx_connect) - b[rx_connect]))
echo "rx_drop_rate_limited +$limited, rx_connect +$connects"
sent=$(kv sent "$flood")
t_check "the flood went out" test "${sent:-0}" -gt 1000
t_check "all but burst + rate x 7 s of it counted as rate-limited" \
	test "$limited" -ge $((sent - 32 - 100 * 7))
t_check "at most burst + rate x 7 s (+ root's connects) delivered" test "$connects" -le $((32 + 100 * 7 + 10))
t_match "root's omx_perf completes meanwhile" 'pingpong +poll +64 ' "$out"
# MX programs work unprivileged: mx_connect by hostname to the other
# board, through the library's lookups (PEER_LOOKUP CREATE of a local MAC)
out=$(OMX_DISABLE_SHARED=1 nobody omx_perf -b 0 -d node0:1 -n 20 -S 64 2>&1)
t_match "nobody's omx_perf to root's server completes" 'pingpong +poll +64 ' "$out"
kill $spid; wait $spid 2> /dev/null

# --- NACK_LIB answers are rate-limited: TINY to a closed endpoint
out=$(nobody omx_sec_test flood tiny 0 1 30 2)
echo "tiny flood: $out"
nacks=$(($(counter 1 tx_nack_lib) - b[tx_nack_lib]))
unsent=$(($(counter 1 nack_lib_unsent) - b[nack_lib_unsent]))
echo "tx_nack_lib +$nacks, nack_lib_unsent +$unsent"
t_check "at most 500 NACKs a second" test "$nacks" -le $((500 * 4))
t_check "the others are counted as unsent" test "$unsent" -gt 0
t_done
