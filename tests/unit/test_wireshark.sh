#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Wireshark dissector (wireshark/omx.lua) on the host, with tshark:
#  - the hand-built frames of tests/wireshark/frames.txt get the verdict
#    that file gives them, from the C codec (wire_verdict) and from the
#    dissector alike; a few of their fields are read back;
#  - 3000 mutants of the well-formed ones (cut, extended, bytes changed)
#    get the same verdict from the dissector as from the C codec, frame by
#    frame;
#  - no Lua error and nothing on tshark's stderr, however bad the frame;
#  - the capture the testbed took (tests/wireshark/omx_pair.pcap, from
#    tests/wireshark/capture.sh) passes tests/wireshark/check_capture.py.
# Needs tshark (scripts/install-deps) and python3.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/check_lib.sh
lua=wireshark/omx.lua
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v tshark > /dev/null || { echo "not ok - tshark missing: scripts/install-deps"; exit 1; }
[ -x tests/unit/wire_verdict ] || { echo "not ok - tests/unit/wire_verdict not built: make"; exit 1; }
# an installed copy and the tree's would register the protocol twice
args=(-X "lua_script:$lua")
for d in $(tshark -G folders 2>/dev/null | sed -n 's/^\(Global\|Personal\) Lua Plugins:[[:space:]]*//p'); do
	if [ -f "$d/omx.lua" ]; then
		cmp -s "$d/omx.lua" "$lua" || { echo "not ok - $d/omx.lua differs from the tree's: make install, or remove it"; exit 1; }
		args=()
	fi
done
args+=(-o omx.queues:4 -o omx.mtu:9000)
ts() { tshark -n "${args[@]}" "$@" 2>> "$tmp/stderr"; }

# --- hand-built frames ---
python3 tests/wireshark/frames.py crafted "$tmp/c.pcap" "$tmp/c.hex"
grep -v '^#' tests/wireshark/frames.txt | grep . | cut -d'|' -f1 > "$tmp/c.want"
tests/unit/wire_verdict < "$tmp/c.hex" > "$tmp/c.codec"
check "frames.txt: the C codec gives every listed verdict ($(wc -l < "$tmp/c.want") frames)" \
	cmp -s "$tmp/c.want" "$tmp/c.codec"
ts -r "$tmp/c.pcap" -T fields -e omx.verdict > "$tmp/c.lua"
check "frames.txt: the dissector gives every listed verdict" cmp -s "$tmp/c.want" "$tmp/c.lua"
paste -d'|' "$tmp/c.want" "$tmp/c.lua" "$tmp/c.codec" | awk -F'|' '$1 != $2 || $1 != $3 { print "  | frame " NR ": want " $1 ", dissector " $2 ", codec " $3 }'
bad=$(grep -vc '^ok$' "$tmp/c.want")
check "frames.txt: $bad malformed frames flagged with the expert item omx.malformed" \
	test "$(ts -r "$tmp/c.pcap" -Y omx.malformed | wc -l)" = "$bad"

# field NAME FIELD...: the fields of the frames.txt frame called NAME (first
# occurrences), read with tshark's options "${extra[@]}" too
extra=()
field() {
	local nr
	nr=$(grep -v '^#' tests/wireshark/frames.txt | grep . | awk -F'|' -v n="$1" '$2 == n { print NR }')
	shift
	# shellcheck disable=SC2046
	ts ${extra[@]+"${extra[@]}"} -r "$tmp/c.pcap" -Y "frame.number == $nr" -T fields -E separator=, \
		-E occurrence=f $(printf -- '-e %s ' "$@")
}
# fieldcheck NAME EXPECTED FIELD...
fieldcheck() {
	local name=$1 want=$2 got
	shift 2
	got=$(field "$name" "$@")
	if [ "$got" = "$want" ]; then ok "$name: $* = $want"; else nok "$name: $*" "got $got, want $want"; fi
}
fieldcheck "tiny 20" "37,3,2,0x4001,1,1,0x8002,0x0000000200000014,0xdeadbeef,20,tiny,3" \
	omx.type omx.dst_endpoint omx.src_endpoint omx.lib_seqnum omx.seq.session omx.seq.count \
	omx.piggyack omx.match_info omx.session omx.length omx.class omx.queue
fieldcheck "truc ack, gap" "0x55,0x4005,7,0x4005,1,0,0xdeadbeef" \
	omx.truc.type omx.lib_seqnum omx.truc.acknum omx.truc.send_seq omx.truc.flags.gap \
	omx.truc.flags.resent omx.truc.ack_session
fieldcheck "connect request" "0,0x6d716578,0xcafef00d,0x8000,1,1" \
	omx.connect.is_reply omx.connect.app_key omx.connect.src_session omx.connect.recv_seqnum_start \
	omx.connect.seqnum omx.connect.peer_index
fieldcheck "connect refused" "1,11,0x00000000,2" \
	omx.connect.is_reply omx.connect.status omx.connect.target_session omx.connect.seqnum
fieldcheck "host reply" "node0:0,8,1,0x12345678,0" \
	omx.host.hostname omx.host.hostname_len omx.host.peer_index omx.host.magic omx.queue
fieldcheck "medium 1500, fragment 1 of 1452" "1500,1,48,8192,1" \
	omx.msg_length omx.frag_seqnum omx.frag_length omx.frag_offset omx.frag_count
fieldcheck "medium 1500, fragment 1 of 1452" "1" omx.frag_mismatch
fieldcheck "rndv, omx token" "100000,7,1,0x1234,0x89abcdef,large (rendezvous)" \
	omx.msg_length omx.rdma_id omx.rdma_seqnum omx.token_lo omx.token_hi omx.class
fieldcheck "rndv, Open-MX" "100000," omx.msg_length omx.token_hi
fieldcheck "pull" "2,3,100000,7,1,0x89abcdef,4660,0x00010203,0x6f6d7803,3,omx,4660,65536,0,8,2" \
	omx.dst_endpoint omx.src_endpoint omx.total_length omx.rdma_id omx.rdma_seqnum omx.token_hi \
	omx.rdma_offset omx.pull_handle omx.magic omx.magic.endpoint omx.magic.kind \
	omx.pull.first_frame_offset omx.pull.block_length omx.pull.frame_index omx.pull.replies omx.queue
fieldcheck "pull reply" "5,16,0,0x00010203,3,3" omx.pull_reply.frame_seqnum omx.pull_reply.frame_length \
	omx.pull_reply.msg_offset omx.pull_handle omx.dst_endpoint omx.queue
fieldcheck "pull reply, Open-MX magic" "Open-MX,3,3" omx.magic.kind omx.magic.endpoint omx.queue
fieldcheck "notify" "2,3,100000,7,1,0x4006,0x8003" omx.dst_endpoint omx.src_endpoint omx.total_length \
	omx.rdma_id omx.rdma_seqnum omx.piggyack omx.lib_seqnum
fieldcheck "nack lib closed" "5,9,2,0x1234,3,1" omx.dst_endpoint omx.src_endpoint omx.nack_type \
	omx.lib_seqnum omx.nack.peer_index omx.queue
fieldcheck "nack mcp bad rdmawin" "5,4,0x00abcdef,0x6f6d7805,5,1" omx.dst_endpoint omx.nack_type \
	omx.pull_handle omx.magic omx.magic.endpoint omx.queue
fieldcheck "raw" "68656c6c6f,0" omx.data omx.queue
extra=(-o omx.queues:3)
fieldcheck "nack lib closed" "5,2" omx.dst_endpoint omx.queue
extra=(-o omx.mtu:1500)
fieldcheck "medium 1500, fragment 1 of 1452" "1452,2," omx.frag_offset omx.frag_count omx.frag_mismatch
extra=()

# --- mutants ---
python3 tests/wireshark/frames.py mutated "$tmp/m.pcap" "$tmp/m.hex" 3000
tests/unit/wire_verdict < "$tmp/m.hex" > "$tmp/m.codec"
ts -r "$tmp/m.pcap" -T fields -e omx.verdict > "$tmp/m.lua"
diffs=$(paste -d'|' "$tmp/m.lua" "$tmp/m.codec" | awk -F'|' '$1 != $2 { print "frame " NR ": dissector " $1 ", codec " $2 }')
check "3000 mutants: the dissector's verdict is the C codec's, frame by frame" test -z "$diffs"
printf '%s\n' "$diffs" | head -5 | sed '/^$/d; s/^/  | /'
check "the mutants cover every verdict" test "$(sort -u "$tmp/m.codec" | wc -l)" -ge 8
for p in c m; do
	out=$(ts -r "$tmp/$p.pcap" -V | grep -c 'Lua Error')
	check "$p.pcap: no Lua error in any frame" test "$out" = 0
	out=$(ts -r "$tmp/$p.pcap" -Y '_ws.malformed && omx.verdict == "ok"')
	check "$p.pcap: no well-formed frame marked malformed by Wireshark" test -z "$out"
done
grep -v 'Running as user' "$tmp/stderr" | sed 's/^/  | /'
check "tshark's stderr is clean" test -z "$(grep -v 'Running as user' "$tmp/stderr")"

# --- the testbed's capture ---
out=$(python3 tests/wireshark/check_capture.py tests/wireshark/omx_pair.pcap node0 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "omx_pair.pcap: check_capture.py passes" test "$st" = 0

echo "$failed failed"
[ "$failed" = 0 ]
