# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# The omx:* trace events (docs/tracing.md): a stream of large messages
# from board 0 to board 1 over the veth pair (OMX_DISABLE_SHARED) shows
# every event of a message's life, tied together by region and handle:
# each RNDV sent and received, each pull started, asking for its frames
# and ending ok with all of them, each PULL answered, each NOTIFY; and
# nothing is recorded while the events are off.
. tests/vm/lib.sh
export OMX_DISABLE_SHARED=1
T=/sys/kernel/tracing
[ -e "$T/trace" ] || mount -t tracefs nodev "$T"
t_check "omx events in tracefs" test -d "$T/events/omx/omx_pull_start"
for e in omx_recv_rndv omx_pull_start omx_pull_send omx_pull_reply omx_pull_reply_first \
	omx_pull_reply_last omx_pull_done omx_send_rndv omx_recv_pull omx_recv_notify; do
	t_check "event $e defined" test -e "$T/events/omx/$e/format"
done

omx_perf -b 1 > /tmp/perf.out 2>&1 < <(sleep 600) &
srv=$!
omx_wait_for 20 grep -q "waiting for clients" /tmp/perf.out
perf() { omx_perf -d "$(hostname):1" -b 0 -t stream -s 262144 -S 262144 -n 5 -w 0 -f csv; }

# off: nothing recorded
echo 1 > "$T/tracing_on"
echo > "$T/trace"
perf > /dev/null
t_check "events off: no omx record" sh -c "! grep -q ': omx_' $T/trace"

echo 1 > "$T/events/omx/enable"
echo > "$T/trace"
out=$(perf)
echo 0 > "$T/events/omx/enable"
t_match "the stream ran" '^stream,' "$out"
tr=$(grep ': omx_' "$T/trace")
count() { printf '%s\n' "$tr" | grep -c ": $1: "; }
# a RNDV or NOTIFY whose ack came late is sent (and recorded) again
for e in omx_send_rndv omx_recv_rndv omx_recv_notify; do
	t_check "5 or more x $e (got $(count $e))" test "$(count $e)" -ge 5
done
for e in omx_pull_start omx_pull_reply_first omx_pull_reply_last omx_pull_done; do
	t_check "5 x $e (got $(count $e))" test "$(count $e)" = 5
done
frames=$(printf '%s\n' "$tr" | sed -n 's/.*: omx_pull_start: .* frames=\([0-9]*\) .*/\1/p' |
	awk '{ n += $1 } END { print n + 0 }')
t_check "one reply accepted per frame of the pulls ($(count omx_pull_reply) of $frames)" \
	test "$(count omx_pull_reply)" = "$frames" -a "$frames" -ge 150
t_check "every pull ended ok with 262144 bytes" \
	test "$(printf '%s\n' "$tr" | grep -c ': omx_pull_done: .* status=ok len=262144$')" = 5
# the PULLs a pull sent are the PULLs answered, by handle and frames
sent=$(printf '%s\n' "$tr" | sed -n 's/.*: omx_pull_send: .*handle=\([^ ]*\) frames=\([^ ]*\) .*/\1 \2/p' | sort)
answered=$(printf '%s\n' "$tr" | sed -n 's/.*: omx_recv_pull: .*handle=\([^ ]*\) frames=\([^ ]*\) .*/\1 \2/p' | sort)
t_check "PULLs sent = PULLs answered ($(printf '%s\n' "$sent" | wc -l))" test "$sent" = "$answered"
# each pull names the region its RNDV named
rndv=$(printf '%s\n' "$tr" | sed -n 's/.*: omx_recv_rndv: .* len=262144 rdma=\([^ ]*\)$/\1/p' | sort -u)
pulls=$(printf '%s\n' "$tr" | sed -n 's/.*: omx_pull_start: .* rdma=\([^ ]*\)$/\1/p' | sort -u)
t_check "pulls name the RNDVs' regions" test -n "$rndv" -a "$rndv" = "$pulls"
kill "$srv"
t_done
