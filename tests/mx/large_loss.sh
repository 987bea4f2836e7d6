# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 480 --mem 1024
# Large messages under netem loss 5%, duplication 5% and reordering 25%
# on both veths (so PULL, PULL_REPLY, RNDV, NOTIFY and acks all suffer),
# over the wire (OMX_DISABLE_SHARED=1): the size sweep up to 4 MiB both
# ways, mx_issend, truncation, unexpected and cancel, then four endpoint
# pairs at once; every message complete and byte for byte correct.
. tests/vm/lib.sh
. tests/mx/lib_mx.sh
export OMX_DISABLE_SHARED=1
mx_need mx_large
L="$MX_BIN/mx_large"
NETEM="delay 1ms reorder 25% 50% loss 5% duplicate 5%"

t_check "sch_netem loads" modprobe sch_netem
for v in veth0 veth1; do
	# shellcheck disable=SC2086
	t_check "netem on $v" tc qdisc add dev "$v" root netem $NETEM
done
mx_run "lossy sweep and cases" 300 "$L" local --paths ab,ba --max 4194307 --no-rcache
mx_run "lossy, 4 pairs" 150 "$L" pairs --count 4 --rounds 3 --max 2097152
for v in veth0 veth1; do
	stats=$(tc -s qdisc show dev "$v")
	echo "$stats"
	t_match "netem on $v dropped frames" 'dropped [1-9]' "$stats"
	tc qdisc del dev "$v" root
done
omx_counters -b 0 | grep -E 'pull_fast_resent|pull_probe_resent|pull_timeout_resent|pull_window_stalls|pull_failed|rx_drop_stale_pull_reply' | sed 's/^/  board 0: /'
mx_run "pinned pages" 30 "$L" unpinned
t_done
