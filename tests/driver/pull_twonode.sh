# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --timeout 600
# A large message between two hosts: node0 exposes 20 MiB (three odd
# segments) and sleeps in WAIT_EVENT; node1 pulls it all over the wire,
# checks it byte for byte and NOTIFYs; node0's kernel sent every
# PULL_REPLY from the pinned pages (omx_pull_test rsend / rrecv).
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$PATH
me=$OMX_NODE
size=$((20 * 1024 * 1024 + 77))
omx_publish "mac$me" "$(cat /sys/class/net/eth0/address)"
omx_wait_for 10 sh -c 'omx_info | grep -q "^board 0: .*status=up,running"'
omx_barrier up

counter() {
	omx_counters -b 0 | sed -n "s/^  $1: //p"
}

if [ "$me" = 0 ]; then
	log=$OMX_RUN_DIR/rsend.out
	omx_pull_test rsend $size > "$log" 2>&1 &
	pid=$!
	omx_wait_for 30 grep -q '^ready' "$log"
	omx_publish ready "$(sed -n 's/^ready //p' "$log")"
	wait $pid
	st=$?
	cat "$log"
	t_check "rsend passes" test "$st" = 0
	t_nomatch "no sender check failed" "^FAIL" "$(cat "$log")"
	t_check "every reply sent by the kernel" test "$(counter tx_pull_reply)" -ge $((size / 8968))
	t_check "PULLs received" test "$(counter rx_pull)" -ge $((size / 286976))
	t_check "nothing local" test "$(counter local_frames)" = 0
else
	node0=$(omx_lookup mac0)
	set -- $(omx_lookup ready)
	out=$(omx_pull_test rrecv "$node0" "$1" "$2" $size 2>&1)
	st=$?
	printf '%s\n' "$out"
	t_check "rrecv passes" test "$st" = 0
	t_nomatch "no puller check failed" '^FAIL' "$out"
	t_check "every reply received" test "$(counter rx_pull_reply)" -ge $((size / 8968))
fi
omx_barrier done
out=$(omx_pull_test idle 2>&1)
printf '%s\n' "$out"
t_match "nothing pinned at the end" '^ok GET_DRIVER_INFO' "$out"
t_done
