# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 400
# omx_perf --papi between boards 0 and 1 (veth0/veth1): libomx's
# software-defined events read through PAPI give exact per-message
# figures (receives, bytes copied, sends, unexpected messages) in csv,
# json and table output, on the client and on the server; hardware
# events (no PMU in a TCG guest) give one line on stderr and empty
# columns while latency is still measured; unknown events are errors.
. tests/vm/lib.sh
# boards 0 and 1 of this guest must talk over the veth pair
export OMX_DISABLE_SHARED=1

SDE=sde:::omx
RECV=$SDE::messages_received
COPY=$SDE::recv_bytes_copied
SENT=$SDE::messages_sent
UNEXP=$SDE::unexpected_messages
OFF=$SDE::rx_frames_off_cpu

# perf_server LOG [ARGS]: an omx_perf server on board 1 for one client
perf_server() {
	local log=$1
	shift
	omx_perf -b 1 -1 "$@" > "$log" 2>&1 < <(sleep 600) &
	SERVER=$!
	omx_wait_for 20 grep -q "waiting for clients" "$log"
}

# Ping-pong, an eager and a large size, every libomx event on the client.
t_check "server with --papi starts" perf_server /tmp/srv1.log --papi "$RECV,$COPY"
out=$(omx_perf -d node0:1 -b 0 -f csv -t pingpong -s 1000 -S 64000 -m 64 -n 40 -w 3 \
	--papi "$RECV,$COPY,$SENT,$UNEXP,$OFF" 2> /tmp/cli.err)
t_check "csv client succeeds" test $? -eq 0
t_match "csv header has one column per software event" \
	"^test,mode,bytes,iterations,latency_us,MBps,MiBps,$RECV,$COPY,$SENT,$UNEXP,$OFF\$" "$out"
# The client posts its receive before its send: the echo is never
# unexpected.  A veth has no IRQ, so its queue has no CPU and no frame is
# counted off it (the multiqueue testbed has real queue CPUs).
t_match "eager: 1 receive, 1000 bytes copied, 1 send, 0 unexpected per message" \
	"^pingpong,poll,1000,40,[0-9.]+,[0-9.]+,[0-9.]+,1\.000,1000\.000,1\.000,0\.000,0\.000\$" "$out"
t_match "large (pulled): 64000 bytes written into the buffer per message" \
	"^pingpong,poll,64000,40,[0-9.]+,[0-9.]+,[0-9.]+,1\.000,64000\.000,1\.000,0\.000,0\.000\$" "$out"
t_check "nothing on stderr" test ! -s /tmp/cli.err
t_check "server exits 0" wait "$SERVER"
srv=$(cat /tmp/srv1.log)
# rounds: warm-up and timed of each size
t_match "server counts the timed eager round" \
	"^omx_perf: round 2 pingpong 1000 bytes x 40: $RECV=1\.000 $COPY=1000\.000\$" "$srv"
t_match "server counts the warm-up round too" \
	"^omx_perf: round 3 pingpong 64000 bytes x 3: $RECV=1\.000 $COPY=64000\.000\$" "$srv"
t_match "server counts the timed large round" \
	"^omx_perf: round 4 pingpong 64000 bytes x 40: $RECV=1\.000 $COPY=64000\.000\$" "$srv"

# JSON, stream: 1 send per message, one receive (the DONE) per 40 messages.
t_check "server restarts" perf_server /tmp/srv2.log
out=$(omx_perf -d node0:1 -b 0 -f json -t both -s 2048 -S 2048 -n 40 -w 0 \
	--papi="$RECV,$COPY,$SENT" 2> /tmp/cli.err)
t_check "json client succeeds" test $? -eq 0
t_check "json: exact counts per message, pingpong and stream" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
r = {x["test"]: x for x in d["results"]}
pp, st = r["pingpong"]["papi"], r["stream"]["papi"]
s = "sde:::omx::"
assert pp == {s + "messages_received": {"count": 1.0}, s + "recv_bytes_copied": {"count": 2048.0},
              s + "messages_sent": {"count": 1.0}}, pp
assert st == {s + "messages_received": {"count": 0.025}, s + "recv_bytes_copied": {"count": 0.0},
              s + "messages_sent": {"count": 1.0}}, st
assert r["stream"]["latency_us"] > 0
' "$out"
t_check "server exits 0" wait "$SERVER"
t_nomatch "a server without --papi prints no counts" "^omx_perf: round" "$(cat /tmp/srv2.log)"

# Hardware events: no PMU under TCG.
t_check "server restarts" perf_server /tmp/srv3.log
out=$(omx_perf -d node0:1 -b 0 -f csv -s 64 -S 64 -n 20 -w 1 --papi "PAPI_L2_TCM,$SENT" 2> /tmp/cli.err)
t_check "client without a PMU succeeds" test $? -eq 0
err=$(cat /tmp/cli.err)
t_check "exactly one line on stderr" test "$(wc -l < /tmp/cli.err)" -eq 1
t_match "it names the cause and the event" \
	"^omx_perf: hardware counters are unavailable \(PAPI perf_event component: [^)]+\): PAPI_L2_TCM not counted\$" "$err"
t_match "csv header: user and kernel columns" \
	"^test,mode,bytes,iterations,latency_us,MBps,MiBps,PAPI_L2_TCM:user,PAPI_L2_TCM:kernel,$SENT\$" "$out"
t_match "latency measured, hardware columns empty, sde counted" \
	"^pingpong,poll,64,20,[0-9]*[1-9][0-9.]*,[0-9.]+,[0-9.]+,,,1\.000\$" "$out"
t_check "server exits 0" wait "$SERVER"
t_match "no repeat round without kernel-domain counts" "client done after 2 rounds" "$(cat /tmp/srv3.log)"

# Default events (the paper's L2 misses), table and json.
t_check "server restarts" perf_server /tmp/srv4.log
out=$(omx_perf -d node0:1 -b 0 -s 8 -S 8 -n 10 -w 0 --papi 2> /tmp/cli.err)
t_check "bare --papi succeeds" test $? -eq 0
t_match "table: PAPI_L2_TCM user and kernel columns" \
	"^test +mode +bytes +latency_us +MB/s +MiB/s +PAPI_L2_TCM/u +PAPI_L2_TCM/k\$" "$out"
t_match "table row: latency, empty counts" "^pingpong +poll +8 +[0-9.]+ +[0-9.]+ +[0-9.]+ *\$" "$out"
t_match "bare --papi: one no-PMU line" "^omx_perf: hardware counters are unavailable .*: PAPI_L2_TCM not counted\$" "$(cat /tmp/cli.err)"
t_check "server exits 0" wait "$SERVER"
t_check "server restarts" perf_server /tmp/srv5.log
out=$(omx_perf -d node0:1 -b 0 -f json -s 8 -S 8 -n 10 -w 0 --papi default 2> /tmp/cli.err)
t_check "--papi default succeeds" test $? -eq 0
t_check "json: uncounted is null, never 0" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["results"][0]["papi"] == {"PAPI_L2_TCM": {"user": None, "kernel": None}}, d
assert d["results"][0]["latency_us"] > 0
' "$out"
t_check "server exits 0" wait "$SERVER"

# Unknown events: exit 2 and a message naming them, before any traffic.
err=$(omx_perf -d node0:1 --papi "$SDE::no_such_event" 2>&1)
t_check "unknown software event exits 2" test $? -eq 2
t_match "and names it" "unknown event '$SDE::no_such_event': no such software-defined event" "$err"
err=$(omx_perf -d node0:1 --papi "$SENT,PAPI_NO_SUCH" 2>&1)
t_check "unknown hardware event exits 2" test $? -eq 2
t_match "and names it" "unknown event 'PAPI_NO_SUCH': neither a PAPI preset" "$err"
err=$(omx_perf -d node0:1 --papi "$SENT,,$RECV" 2>&1)
t_check "empty name in the list exits 2" test $? -eq 2
t_match "bad list message" "bad --papi list" "$err"
t_done
