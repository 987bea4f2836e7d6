# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# The libfabric provider (fabric/libomx-fi.so) against the module, in one
# guest: fi_info -p omx lists both boards as FI_EP_RDM domains omx0 and
# omx1 with tagged and untagged messages; libfabric's own fi_pingpong
# (libfabric-bin) runs between an endpoint on board 0 (domain omx0) and
# one on board 1 (omx1), untagged and tagged, over every size from 0 B to
# 6 MiB (inject, eager and rendezvous paths) with its data checks; the
# boards' frame counters must have moved by at least the number of
# messages, so the bytes really crossed the veth pair through omx.
# Then tests/fabric/fi_check, between the same two domains: FI_ETRUNC and
# FI_ECANCELED error completions, FI_DELIVERY_COMPLETE and
# FI_SELECTIVE_COMPLETION.
. tests/vm/lib.sh

# boards 0 and 1 must talk over the veth pair, not inside the host
export OMX_DISABLE_SHARED=1
export FI_PROVIDER_PATH=$OMX_TOP/fabric
export LD_LIBRARY_PATH=$OMX_TOP/libomx${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
unset FI_PROVIDER FI_LOG_LEVEL

if [ ! -f "$FI_PROVIDER_PATH/libomx-fi.so" ] || ! command -v fi_pingpong > /dev/null ||
   [ ! -x "$OMX_TOP/tests/fabric/fi_check" ]; then
	t_fail "fabric/libomx-fi.so and tests/fabric/fi_check built, fi_pingpong installed (make; scripts/install-deps)"
	t_done
	exit 1
fi

# counter BOARD NAME: one omx counter of one board
counter() {
	omx_counters -b "$1" | sed -n "s/^  $2: //p"
}

out=$(timeout 30 fi_info -p omx -v 2>&1)
st=$?
printf '%s\n' "$out" | grep -E '^ *(provider|domain|type|caps|fabric):' | sed 's/^/  [fi_info] /'
t_check "fi_info -p omx: exit status 0" test "$st" = 0
t_match "fi_info -p omx: provider omx" 'prov_name: omx' "$out"
t_match "fi_info -p omx: an FI_EP_RDM endpoint" 'type: FI_EP_RDM' "$out"
t_match "fi_info -p omx: tagged caps" 'caps: .*FI_TAGGED' "$out"
t_match "fi_info -p omx: untagged caps" 'caps: .*FI_MSG' "$out"
t_match "fi_info -p omx: board 0 is domain omx0" 'name: omx0' "$out"
t_match "fi_info -p omx: board 1 is domain omx1" 'name: omx1' "$out"
# FI_OMX_BOARD: the way to choose a board without naming a domain
out=$(FI_OMX_BOARD=1 timeout 30 fi_info -p omx 2>&1)
t_match "FI_OMX_BOARD=1: domain omx1 listed" 'domain: omx1' "$out"
t_nomatch "FI_OMX_BOARD=1: domain omx0 not listed" 'domain: omx0' "$out"
out=$(FI_OMX_BOARD=2 timeout 30 fi_info -p omx 2>&1)
st=$?
t_check "FI_OMX_BOARD=2 (no such board): fi_info fails" test "$st" != 0
t_match "FI_OMX_BOARD=2: says why" 'FI_OMX_BOARD=2 but only 2 board' "$out"

# pingpong MODE PORT ARGS...: fi_pingpong server on board 1, client on
# board 0, MODE msg or tagged; their out-of-band TCP on 127.0.0.1:PORT.
# Sets $nmsg to the messages each side sent (iterations times sizes).
pingpong() {
	local mode=$1 port=$2 srv cli st_s st_c rows iters
	shift 2
	iters=$PP_ITERS
	srv=/tmp/pp_server.$mode
	cli=/tmp/pp_client.$mode
	timeout -k 5 120 fi_pingpong -p omx -e rdm -m "$mode" -d omx1 -B "$port" \
		-I "$iters" -c "$@" > "$srv" 2>&1 &
	local spid=$!
	# the client does not retry its TCP connect: wait for the listener
	if ! omx_wait_for 30 sh -c "ss -Hltn 'sport = :$port' | grep -q ."; then
		t_fail "fi_pingpong $mode: server listening on port $port"
		kill "$spid" 2>/dev/null
	fi
	timeout -k 5 120 fi_pingpong -p omx -e rdm -m "$mode" -d omx0 -P "$port" \
		-I "$iters" -c "$@" 127.0.0.1 > "$cli" 2>&1
	st_c=$?
	wait "$spid"
	st_s=$?
	sed "s/^/  [server $mode] /" "$srv"
	sed "s/^/  [client $mode] /" "$cli"
	t_check "fi_pingpong $mode: server exit status 0" test "$st_s" = 0
	t_check "fi_pingpong $mode: client exit status 0" test "$st_c" = 0
	# fi_pingpong -c prints "Error at iteration=..." for a corrupted buffer
	t_nomatch "fi_pingpong $mode: no data error" 'Error|error' "$(cat "$srv" "$cli")"
	# one result row per size: "SIZE  #sent  =#ack ..."
	rows=$(grep -cE '^[0-9.]+[kmg]? +[0-9]+[kmb]? +=' "$cli")
	nmsg=$((rows * iters))
	t_check "fi_pingpong $mode: every size acknowledged in full ($rows rows)" test "$rows" -gt 0
}

declare -A before after
snap() {
	local b n
	for b in 0 1; do
		for n in tx_frames rx_frames; do
			eval "$1[$b.$n]=\$(counter $b $n)"
		done
	done
}

# round trips per size: 4 keeps each sweep (46 sizes to 6 MiB) short
PP_ITERS=4
total=0
snap before
pingpong msg 47601 -S all
t_match "msg: a 0-byte message" "^0 +$PP_ITERS +=$PP_ITERS " "$(cat /tmp/pp_client.msg)"
t_match "msg: above inject size (192 B)" "^192 +$PP_ITERS +=$PP_ITERS " "$(cat /tmp/pp_client.msg)"
t_match "msg: 1 MiB (rendezvous)" "^1m +$PP_ITERS +=$PP_ITERS " "$(cat /tmp/pp_client.msg)"
t_match "msg: 4 MiB" "^4m +$PP_ITERS +=$PP_ITERS " "$(cat /tmp/pp_client.msg)"
total=$((total + nmsg))
pingpong tagged 47602 -S all
t_match "tagged: 1 MiB (rendezvous)" "^1m +$PP_ITERS +=$PP_ITERS " "$(cat /tmp/pp_client.tagged)"
total=$((total + nmsg))
snap after

t_check "messages counted from fi_pingpong's rows ($total)" test "$total" -gt 0
for b in 0 1; do
	for n in tx_frames rx_frames; do
		d=$((after[$b.$n] - before[$b.$n]))
		echo "  board $b $n: +$d (messages each way: $total)"
		t_check "board $b $n moved by at least $total" test "$d" -ge "$total"
	done
done

t0=$(date +%s)
out=$(timeout -k 5 120 "$OMX_TOP/tests/fabric/fi_check" 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/  [fi_check] /'
echo "  [fi_check] $(($(date +%s) - t0)) s"
t_check "fi_check: exit status 0" test "$st" = 0
t_nomatch "fi_check: no failed check" '^not ok' "$out"
for c in 'truncation of an eager message: error FI_ETRUNC' \
	'truncation of a rendezvous message: olen' \
	'truncation of a rendezvous message: the sender.s completion is a success' \
	'cancel: the receive completes with FI_ECANCELED' \
	'cancel: the cancelled buffer is untouched' \
	'FI_DELIVERY_COMPLETE send of 64 B: no completion while nothing is posted' \
	'FI_DELIVERY_COMPLETE send of 16 KiB: completes once received' \
	'selective: the send without FI_COMPLETION left no entry'; do
	t_match "fi_check: $c" "^ok - $c" "$out"
done
t_done
