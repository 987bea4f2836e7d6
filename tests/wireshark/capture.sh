# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-long: --topology pair --timeout 300
# The Wireshark dissector (wireshark/omx.lua) over a capture of real
# traffic: dumpcap records veth0 while boards 0 and 1 exchange MX
# messages of every class (mx_exchange: connect, tiny, small, medium,
# large with its pulls, notify and acks), discover each other (host
# query/reply), refuse hand-built frames (NACK_LIB, NACK_MCP) and receive
# a RAW frame and three malformed ones (tests/wireshark/scenario.sh).
# tests/wireshark/check_capture.py then reads the capture back with tshark
# and checks every frame type and the fields against what was sent.
# The capture is left in the run directory (kept with --vm-args --keep),
# which is where tests/wireshark/omx_pair.pcap came from.
. tests/vm/lib.sh
. tests/wireshark/scenario.sh
# boards 0 and 1 of this guest must talk over the veth pair
export OMX_DISABLE_SHARED=1
cap=/tmp/omx.pcap

command -v dumpcap > /dev/null || { echo "not ok - dumpcap missing: scripts/install-deps"; exit 1; }
omx_wait_for 20 sh -c 'omx_info | grep -q "^board 1: .*status=up"'

# 96 bytes of each frame hold every header and the start of its data, and
# keep the capture small enough to commit (under 10 KB)
dumpcap -q -P -i veth0 -s 96 -f "ether proto 0x86df" -w $cap 2> /tmp/dumpcap.err &
dumper=$!
t_check "dumpcap is capturing" omx_wait_for 30 test -s $cap

t_check "discovery (host query and reply)" omx_info -d -w 1 > /dev/null

# the two ends of the exchange, each kept open until /tmp/release exists
hold() { while [ ! -e /tmp/release ]; do omx_nap 0.2; done; }
xchg() {
	"$OMX_TOP/tests/mx/mx_exchange" -b "$1" -e "$2" -d "node$OMX_NODE:$3" -r "$4" -n 1 \
		-s "${SIZES// /,}" < <(hold) > "/tmp/x$1" 2>&1
}
: > /tmp/x0; : > /tmp/x1
xchg 0 $EP_A 1 $EP_B & xa=$!
xchg 1 $EP_B 0 $EP_A & xb=$!
omx_wait_for 120 sh -c 'grep -q "^done" /tmp/x0 && grep -q "^done" /tmp/x1'
t_match "board 0 exchanged every size" "^done sent=6 received=6 bad=0 " "$(cat /tmp/x0)"
t_match "board 1 exchanged every size" "^done sent=6 received=6 bad=0 " "$(cat /tmp/x1)"
# closing the endpoints sends the last explicit acks
touch /tmp/release
t_check "mx_exchange on board 0 exits 0" wait $xa
t_check "mx_exchange on board 1 exits 0" wait $xb

mac1=$(cat /sys/class/net/veth1/address)
t_check "crafted frames sent" send_crafted veth0 "$mac1" > /dev/null
# the NACKs come back within a moment; let dumpcap write them

omx_nap 1
kill -INT $dumper
t_check "dumpcap stops cleanly" wait $dumper
# (its running count ends in a carriage return)
err=$(tr '\r' '\n' < /tmp/dumpcap.err)
printf '%s\n' "$err" | sed 's/^/  dumpcap| /'
t_match "dumpcap dropped no frame" "^Packets received/dropped on interface 'veth0': [0-9]+/0 " "$err"
t_match "dumpcap said nothing else" "^\$" "$(printf '%s\n' "$err" | grep -Ev '^(Capturing on|File:|Packets|$)')"
echo "capture: $(stat -c %s $cap) bytes"
cp $cap "$OMX_RUN_DIR/omx_pair.pcap"

out=$(python3 tests/wireshark/check_capture.py $cap "node$OMX_NODE" 2>&1)
st=$?
printf '%s\n' "$out" | sed 's/^/  | /'
t_check "check_capture passes" test $st = 0
t_nomatch "no capture check failed" '^not ok' "$out"
t_match "every frame type was checked" '^ok - every frame type appears' "$out"
t_done
