// SPDX-License-Identifier: GPL-2.0-only
/*
 * The puller (docs/wire.md, "Large messages").  A pull of L bytes from
 * remote offset O is cut into reply frames aligned on the reply size R
 * in the remote region: frame i covers message bytes [i*R - O%R,
 * (i+1)*R - O%R) clipped to [0, L).  A PULL asks for a contiguous span
 * [f0, f1) of frames inside one block of OMX_PULL_REPLIES_PER_BLOCK
 * frames (Open-MX answers any such span).  Each reply is checked against
 * the frame it must be (offset, length, seqnum), copied into the pinned
 * receive region and ticked off its block's bitmap, so duplicates and
 * replies for an older pull in the same slot (other generation in the
 * handle) are dropped.
 *
 * Flow control: the replies requested and not received from one peer,
 * by all pulls of all endpoints, stay under that peer's window (struct
 * omx_pull_fc), which grows while replies come and halves when one is
 * found lost (AIMD).  The pulls of one endpoint take the window in the
 * order they started, as MX matched their messages: the oldest asks for
 * as much as the window holds (up to "pull_blocks" blocks), the next
 * ones for what it leaves.  Messages complete one after the other; equal
 * shares made every message of a stream complete near the end of the
 * whole stream (a debug kernel: none of 22 4 MiB messages within 10 s).
 * A pull that finds no room is "stalled" and tries again, oldest first,
 * when a reply of its endpoint frees room or, with nothing of its own
 * outstanding, at the next jiffy.
 *
 * Recovery: every requested frame gets a ticket, its order among all the
 * frames asked for (again) from the same peer, by any pull, and a lane,
 * the CPU that handed its PULL to the device.  A reply shows lost the
 * missing frames of the same lane, asked for by a pull of the endpoint
 * from the same remote endpoint, whose tickets are more than
 * OMX_PULL_REORDER older: they leave the window and are asked for again
 * at once, before any new frame, as the window allows
 * (pull_fast_resent); a reply after which no frame of that lane and
 * pair is outstanding shows every older one lost.  Tickets were per
 * pull once: a pull whose replies were all lost in a burst (a full
 * receive buffer) then waited for its probe, two round trips inflated
 * by the queue of the other pulls' replies, although replies asked for
 * after its own were arriving (twonode, 64 KiB stream: three such
 * waits, 10 to 28 ms each, in a 53 ms run).
 *
 * Why the order of arrival says anything, and only within a lane: the
 * inference needs the replies of one lane and pair to come back in
 * ticket order, and nothing orders PULLs sent from two CPUs.  Each CPU
 * has its own backlog on a veth (the PULL is answered, and its replies
 * handled, on the CPU that sent it: two CPUs drain theirs in parallel)
 * and its own transmit queue on a multiqueue NIC (XPS); the per-peer
 * lock that hands out tickets cannot order what happens after
 * dev_queue_xmit().  From one CPU every step is first in, first out for
 * a pair: the CPU's transmit queue (all omx frames hash alike: one flow
 * to a qdisc), the responder's receive queue (steered by the
 * destination endpoint, one CPU answering PULLs one by one, each in
 * frame order, from that CPU), then our receive queue (steered by the
 * puller's endpoint).  What a CPU sends, it sends in ticket order
 * because a PULL is built and handed to the device with bottom halves
 * disabled, in one stretch: no reply or timer handled on that CPU can
 * build and send later tickets in between, and no preemption moves the
 * sender to another CPU (the reverted first version gave tickets per
 * peer without lanes: a lossless veth pair counted re-requests of frames
 * that were only behind the other CPU's backlog, and their late copies
 * after the pull had ended).  Replies of two remote endpoints are in no
 * order either (two receive queues at the responder), nor replies to
 * two of our endpoints (two receive queues here).  A qdisc that holds
 * frames back (netem) hands them on from whichever CPU runs it, so on a
 * veth it can split a lane: that is reordering, as netem's own, and
 * OMX_PULL_REORDER absorbs it when it is light.
 *
 * The timer catches the rest (a lost tail, lost PULLs); it is an hrtimer, because two
 * round trips are often less than a jiffy and a jiffy timer made every
 * lost tail wait 4 to 8 ms (HZ=250).  First a tail-loss probe: two smoothed
 * round trips (at least OMX_PULL_PTO_MIN_US) without an accepted reply make every outstanding
 * frame lost and asked for again (pull_probe_resent), the window halved
 * as for any loss; a burst that overflowed the receiver's buffer loses
 * its tail, and nothing else would show it.  Then, if the probe brought
 * nothing either, one round trip timeout without an accepted reply
 * makes every outstanding frame lost (pull_timeout_resent counts the
 * PULLs asking for them again), collapses the window and doubles the
 * timeout.  The timeout is srtt + 4 * rttvar of the PULL ->
 * first reply time (Karn: a re-requested frame is not timed), between
 * OMX_PULL_RTO_MIN_MS and "pull_resend_ms"; "pull_timeout_ms" without
 * progress fails the pull.
 *
 * The window of blocks slides past incomplete ones: frames are asked
 * for in order from any block up to OMX_PULL_WINDOW_MAX blocks above the
 * lowest incomplete one.
 *
 * Locking: one BH-safe lock per endpoint protects its pull table; a
 * peer's omx_pull_fc lock nests inside it.  PULL frames are built under
 * the lock and sent after it is dropped, before bottom halves are
 * enabled again (the lanes above).  The table and its timers live
 * as long as the endpoint; close marks it closing, ends every pull and
 * shuts the timers down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>

#include "omx_dma.h"
#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_send.h"
#include "omx_wire.h"

#define CREATE_TRACE_POINTS
#include "omx_trace.h"

static int omx_param_set_window(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 1 || n > OMX_PULL_WINDOW_MAX)
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static int omx_param_set_ms(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 10 || n > 600000)
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops omx_window_ops = {
	.set = omx_param_set_window,
	.get = param_get_uint,
};

static const struct kernel_param_ops omx_ms_ops = {
	.set = omx_param_set_ms,
	.get = param_get_uint,
};

unsigned int omx_pull_blocks = 4;
module_param_cb(pull_blocks, &omx_window_ops, &omx_pull_blocks, 0644);
MODULE_PARM_DESC(pull_blocks, "Blocks each pull keeps in flight, 1-8 (default 4)");

unsigned int omx_pull_resend_ms = 200;
module_param_cb(pull_resend_ms, &omx_ms_ops, &omx_pull_resend_ms, 0644);
MODULE_PARM_DESC(pull_resend_ms, "Milliseconds before the missing replies of a block are asked for again (default 200)");

unsigned int omx_pull_timeout_ms = 5000;
module_param_cb(pull_timeout_ms, &omx_ms_ops, &omx_pull_timeout_ms, 0644);
MODULE_PARM_DESC(pull_timeout_ms, "Milliseconds without progress before a pull fails (default 5000)");

static u32 omx_pull_handle(const struct omx_pull *pull)
{
	return pull->gen << 8 | pull->index;
}

/* Message bytes of frame @i: [start, end). */
static u32 omx_pull_frame_start(const struct omx_pull *pull, u32 i)
{
	return i ? i * pull->reply_len - pull->first : 0;
}

static u32 omx_pull_frame_end(const struct omx_pull *pull, u32 i)
{
	u64 end = (u64)(i + 1) * pull->reply_len - pull->first;

	return min_t(u64, end, pull->length);
}

static u32 omx_pull_block_frames(const struct omx_pull *pull, u32 block)
{
	u32 first = block * OMX_PULL_REPLIES_PER_BLOCK;

	return min_t(u32, pull->nr_frames - first, OMX_PULL_REPLIES_PER_BLOCK);
}

static struct omx_pull_block *omx_pull_win(struct omx_pull *pull, u32 frame)
{
	return &pull->win[(frame / OMX_PULL_REPLIES_PER_BLOCK) % OMX_PULL_WINDOW_MAX];
}

/* A PULL asking for frames [f0, f1) of @pull, all in one block. */
static void omx_pull_build(const struct omx_pull *pull, u32 f0, u32 f1,
			   struct omx_pkt *pkt)
{
	struct omx_pkt_pull *p = &pkt->pull;

	memset(pkt, 0, sizeof(*pkt));
	pkt->type = OMX_PKT_TYPE_PULL;
	ether_addr_copy(pkt->dst_mac, pull->dst_mac);
	pkt->peer_index = pull->reverse;
	p->dst_endpoint = pull->dst_endpoint;
	p->src_endpoint = pull->ep->index;
	p->session = pull->session;
	p->total_length = pull->length;
	p->pulled_rdma_id = pull->rdma_id;
	p->token_hi = pull->token_hi;
	p->pulled_rdma_seqnum = pull->rdma_seqnum;
	p->pulled_rdma_offset = pull->remote_offset;
	p->src_pull_handle = omx_pull_handle(pull);
	p->src_magic = omx_pull_magic(pull->ep->index);
	p->first_frame_offset = f0 ? 0 : pull->first;
	p->frame_index = f0;
	p->block_length = omx_pull_frame_end(pull, f1 - 1) - omx_pull_frame_start(pull, f0);
}

/* PULL frames built under the lock, sent after it. */
#define OMX_PULL_BATCH	OMX_PULL_WINDOW_MAX

struct omx_pull_batch {
	unsigned int n;
	struct omx_pkt pkts[OMX_PULL_BATCH];
};

/*
 * Flow control state, one per peer index.  A peer index reused for
 * another host inherits a window and round trip that adapt within a few
 * replies, which is harmless.
 */
static struct omx_pull_fc *omx_pull_fcs;

int omx_pull_module_init(void)
{
	unsigned int i;

	omx_pull_fcs = kvcalloc(omx_peers_max, sizeof(*omx_pull_fcs), GFP_KERNEL);
	if (!omx_pull_fcs)
		return -ENOMEM;
	for (i = 0; i < omx_peers_max; i++) {
		spin_lock_init(&omx_pull_fcs[i].lock);
		omx_pull_fcs[i].cwnd = OMX_PULL_CWND_INIT;
		omx_pull_fcs[i].ssthresh = OMX_PULL_CWND_MAX;
	}
	return 0;
}

void omx_pull_module_exit(void)
{
	kvfree(omx_pull_fcs);
	omx_pull_fcs = NULL;
}

/* Retransmission timeout in microseconds, backoff included; fc lock held. */
static u64 omx_pull_rto(const struct omx_pull *pull)
{
	const struct omx_pull_fc *fc = pull->fc;
	u64 max = (u64)READ_ONCE(omx_pull_resend_ms) * USEC_PER_MSEC;
	u64 rto;

	if (!fc->srtt_us)
		return max;
	rto = max_t(u64, fc->srtt_us + 4 * (u64)fc->rttvar_us,
		    OMX_PULL_RTO_MIN_MS * USEC_PER_MSEC);
	if (pull->backoff)
		rto <<= min_t(u8, pull->backoff, 8);
	return min(rto, max);
}

/*
 * Tail-loss probe delay in microseconds: two smoothed round trips, at
 * least OMX_PULL_PTO_MIN_US; 0 while no round trip was measured.  fc
 * lock held.
 */
static u64 omx_pull_pto(const struct omx_pull_fc *fc)
{
	if (!fc->srtt_us)
		return 0;
	return max_t(u64, 2 * (u64)fc->srtt_us, OMX_PULL_PTO_MIN_US);
}

/* Arm @pull's timer @us microseconds from now (a running callback re-arms too). */
static void omx_pull_timer_in(struct omx_pull *pull, u64 us)
{
	hrtimer_start(&pull->timer, ns_to_ktime(us * NSEC_PER_USEC), HRTIMER_MODE_REL_SOFT);
}

static u64 omx_pull_resend_us(void)
{
	return (u64)READ_ONCE(omx_pull_resend_ms) * USEC_PER_MSEC;
}

/* Jacobson/Karels estimator on one PULL -> first reply sample; fc lock held. */
static void omx_pull_rtt_sample(struct omx_pull_fc *fc, u32 us)
{
	u32 dev;

	us = max(us, 1U);
	if (!fc->srtt_us) {
		fc->srtt_us = us;
		fc->rttvar_us = us / 2;
		return;
	}
	dev = fc->srtt_us > us ? fc->srtt_us - us : us - fc->srtt_us;
	fc->rttvar_us = fc->rttvar_us - fc->rttvar_us / 4 + dev / 4;
	fc->srtt_us = fc->srtt_us - fc->srtt_us / 8 + us / 8;
}

/* One reply arrived cleanly: slow start below ssthresh, then +1 per window. */
static void omx_pull_fc_grow(struct omx_pull_fc *fc)
{
	if (fc->cwnd >= OMX_PULL_CWND_MAX)
		return;
	if (fc->cwnd < fc->ssthresh) {
		fc->cwnd++;
		return;
	}
	if (++fc->acked >= fc->cwnd) {
		fc->acked = 0;
		fc->cwnd++;
	}
}

/*
 * A reply was found lost: halve the window, once per round trip (the
 * frames of one burst are often lost together); @timeout: collapse it.
 */
static void omx_pull_fc_loss(struct omx_pull_fc *fc, bool timeout)
{
	unsigned long now = jiffies;

	if (!timeout && time_before(now, fc->recover_until))
		return;
	fc->ssthresh = max_t(u32, fc->cwnd / 2, OMX_PULL_CWND_MIN);
	fc->cwnd = timeout ? OMX_PULL_CWND_MIN : fc->ssthresh;
	fc->acked = 0;
	fc->recover_until = now + usecs_to_jiffies(fc->srtt_us) + 1;
}

/* @n more (or fewer) frames of @pull outstanding; under the table lock. */
static void omx_pull_outstanding(struct omx_pull *pull, s32 n)
{
	pull->inflight += n;
	pull->ep->pulls->inflight += n;
}

/* Frames @pull may still ask for now; fc lock held. */
static u32 omx_pull_room(const struct omx_pull *pull)
{
	const struct omx_pull_fc *fc = pull->fc;
	u32 cap = READ_ONCE(omx_pull_blocks) * OMX_PULL_REPLIES_PER_BLOCK;
	u32 room, need;

	if (fc->inflight >= fc->cwnd || pull->inflight >= cap)
		return 0;
	room = min(fc->cwnd - fc->inflight, cap - pull->inflight);
	if (pull->lost)
		/* lost frames go at once */
		return room;
	/*
	 * New frames by spans worth a PULL, while a reply of this endpoint
	 * is to come (it kicks the stalled pulls again) and the window is
	 * busy.  Its replies, not this pull's: with a dozen pulls sharing
	 * a window of 15 to 30 frames, a pull with nothing outstanding
	 * took each freed frame alone (twonode, 256 KiB stream: 2 of 3
	 * PULLs were for one frame).  Not without a reply of its own to
	 * come: the timer is all that looks again then, once a jiffy, and
	 * another endpoint's kicks would take all the room first.  Half
	 * the window at most, so that a small window still moves.
	 */
	need = min3(OMX_PULL_SPAN_MIN, fc->cwnd / 2, pull->nr_frames - pull->next_frame);
	if (fc->inflight && pull->ep->pulls->inflight && room < need)
		return 0;
	return room;
}

/*
 * Give frames [f0, f1) of one block the peer's next tickets, in the order
 * their replies will come, and this CPU's lane; under both locks, bottom
 * halves disabled until the PULL is handed to the device (a lane is in
 * ticket order only if nothing else on this CPU sends in between).
 */
static void omx_pull_ticket(struct omx_pull *pull, u32 f0, u32 f1, bool again)
{
	struct omx_pull_block *w = omx_pull_win(pull, f0);
	u16 lane = smp_processor_id();
	u16 *t;
	u32 i;

	/*
	 * The last frame of the span is timed: the sender sends the span's
	 * replies back to back, so the first one's round trip leaves out
	 * the span's own transmission, and a timer built on it fired on
	 * replies that were still coming (twonode: 73 timeouts against 30).
	 */
	if (!again && !pull->timing) {
		pull->timing = true;
		pull->timed_ticket = (u16)(pull->fc->ticket + (f1 - f0) - 1);
		pull->timed_at = ktime_get();
	}
	for (i = f0; i < f1; i++) {
		t = &w->ticket[i % OMX_PULL_REPLIES_PER_BLOCK];
		/* Karn: a frame asked for twice gives no round trip sample */
		if (again && pull->timing && *t == pull->timed_ticket)
			pull->timing = false;
		*t = pull->fc->ticket++;
		w->lane[i % OMX_PULL_REPLIES_PER_BLOCK] = lane;
	}
}

/*
 * Ask again for lost frames, lowest first, one PULL per run of them in a
 * block, while the windows allow; under both locks.  False if stopped
 * for lack of room.
 */
static bool omx_pull_resend_lost(struct omx_pull *pull, struct omx_pull_batch *batch)
{
	enum omx_pull_ask ask = pull->timed_out ? OMX_PULL_ASK_TIMEOUT :
		pull->probe_lost ? OMX_PULL_ASK_PROBE : OMX_PULL_ASK_FAST;
	enum omx_counter_index why = pull->timed_out ? OMX_COUNTER_PULL_TIMEOUT_RESENT :
		pull->probe_lost ? OMX_COUNTER_PULL_PROBE_RESENT : OMX_COUNTER_PULL_FAST_RESENT;
	u32 b, end_block = DIV_ROUND_UP(pull->next_frame, OMX_PULL_REPLIES_PER_BLOCK);

	for (b = pull->low_block; pull->lost && b < end_block; b++) {
		struct omx_pull_block *w = &pull->win[b % OMX_PULL_WINDOW_MAX];

		while (w->lost) {
			u32 room = omx_pull_room(pull), f0 = __ffs(w->lost), f1 = f0;

			if (!room)
				return false;
			if (batch->n == OMX_PULL_BATCH)
				return true;
			while (f1 < OMX_PULL_REPLIES_PER_BLOCK && f1 - f0 < room &&
			       (w->lost & BIT(f1)))
				f1++;
			w->lost &= ~GENMASK(f1 - 1, f0);
			w->again |= GENMASK(f1 - 1, f0);
			pull->lost -= f1 - f0;
			omx_pull_outstanding(pull, f1 - f0);
			pull->fc->inflight += f1 - f0;
			f0 += b * OMX_PULL_REPLIES_PER_BLOCK;
			f1 += b * OMX_PULL_REPLIES_PER_BLOCK;
			omx_pull_ticket(pull, f0, f1, true);
			omx_pull_build(pull, f0, f1, &batch->pkts[batch->n++]);
			trace_omx_pull_send(pull, f0, f1 - f0, ask);
			omx_iface_count(pull->ep->iface, why, 1);
		}
	}
	pull->timed_out = false;
	pull->probe_lost = false;
	return true;
}

/* Ask for lost, then new frames while the windows allow; under the table lock. */
static void omx_pull_fill(struct omx_pull *pull, struct omx_pull_batch *batch)
{
	struct omx_pull_fc *fc = pull->fc;
	bool stalled = false;

	spin_lock(&fc->lock);
	if (!omx_pull_resend_lost(pull, batch))
		stalled = true;
	while (!stalled && pull->next_frame < pull->nr_frames && batch->n < OMX_PULL_BATCH) {
		u32 f0 = pull->next_frame, b = f0 / OMX_PULL_REPLIES_PER_BLOCK;
		u32 bend = b * OMX_PULL_REPLIES_PER_BLOCK + omx_pull_block_frames(pull, b);
		struct omx_pull_block *w = omx_pull_win(pull, f0);
		u32 room, f1;

		if (b >= pull->low_block + OMX_PULL_WINDOW_MAX)
			break;
		room = omx_pull_room(pull);
		if (!room) {
			stalled = true;
			break;
		}
		f1 = min(f0 + room, bend);
		if (f0 % OMX_PULL_REPLIES_PER_BLOCK == 0) {
			u32 nf = bend - f0;

			w->block = b;
			w->missing = nf == 32 ? ~0U : (1U << nf) - 1;
			w->asked = 0;
			w->lost = 0;
			w->again = 0;
		}
		w->asked |= GENMASK(f1 - 1 - b * 32, f0 - b * 32);
		omx_pull_ticket(pull, f0, f1, false);
		omx_pull_outstanding(pull, f1 - f0);
		fc->inflight += f1 - f0;
		pull->next_frame = f1;
		omx_pull_build(pull, f0, f1, &batch->pkts[batch->n++]);
		trace_omx_pull_send(pull, f0, f1 - f0, OMX_PULL_ASK_NEW);
	}
	spin_unlock(&fc->lock);
	if (stalled && !pull->stalled)
		omx_iface_count(pull->ep->iface, OMX_COUNTER_PULL_WINDOW_STALLS, 1);
	pull->stalled = stalled;
}

/* @n outstanding frames of @pull were just marked lost: out of the windows. */
static void omx_pull_count_lost(struct omx_pull *pull, u32 n, bool timeout)
{
	pull->lost += n;
	omx_pull_outstanding(pull, -(s32)n);
	spin_lock(&pull->fc->lock);
	pull->fc->inflight -= min(pull->fc->inflight, n);
	omx_pull_fc_loss(pull->fc, timeout);
	spin_unlock(&pull->fc->lock);
}

/*
 * Take every outstanding frame of @pull as lost (a probe, a timeout):
 * they leave the windows until asked for again.  The window halves, or
 * collapses on a @timeout.  Under the table lock.
 */
static void omx_pull_mark_all_lost(struct omx_pull *pull, bool timeout)
{
	u32 b, end_block = DIV_ROUND_UP(pull->next_frame, OMX_PULL_REPLIES_PER_BLOCK);
	u32 n = 0;

	for (b = pull->low_block; b < end_block; b++) {
		struct omx_pull_block *w = &pull->win[b % OMX_PULL_WINDOW_MAX];
		u32 out = w->missing & w->asked & ~w->lost;

		w->lost |= out;
		n += hweight32(out);
	}
	if (n)
		omx_pull_count_lost(pull, n, timeout);
}

/*
 * The reply of ticket @newest on @lane came: take as lost the frames of
 * @pull outstanding on the same lane whose tickets are more than @slack
 * older, as omx_pull_mark_all_lost() does; set *@newer if one outstanding
 * on that lane is younger than @newest (a reply still to come after it).
 * Under the table lock.
 */
static void omx_pull_mark_older(struct omx_pull *pull, u16 lane, u16 newest, u16 slack,
				bool *newer)
{
	u32 b, end_block = DIV_ROUND_UP(pull->next_frame, OMX_PULL_REPLIES_PER_BLOCK);
	u32 n = 0;

	for (b = pull->low_block; b < end_block; b++) {
		struct omx_pull_block *w = &pull->win[b % OMX_PULL_WINDOW_MAX];
		u32 out = w->missing & w->asked & ~w->lost, i;
		s16 age;

		while (out) {
			i = __ffs(out);
			out &= out - 1;
			if (w->lane[i] != lane)
				continue;
			age = (s16)(newest - w->ticket[i]);
			if (age < 0)
				*newer = true;
			if (age > (s16)slack) {
				w->lost |= BIT(i);
				n++;
			}
		}
	}
	if (n)
		omx_pull_count_lost(pull, n, false);
}

/*
 * Hand the PULLs built under the table lock to the device, in the order
 * of their tickets, on the CPU that built them and before bottom halves
 * are enabled again: that is what makes a lane first in, first out.
 */
static void omx_pull_send_batch(struct omx_iface *iface, struct omx_pull_batch *batch)
{
	unsigned int i;

	lockdep_assert_in_softirq();

	for (i = 0; i < batch->n; i++)
		omx_send_frame(iface, &batch->pkts[i], NULL, 0, OMX_COUNTER_TX_PULL, false);
}

/* (Re)arm @pull's timer for its next deadline; under the table lock. */
static void omx_pull_arm(struct omx_pull *pull)
{
	u64 delay, pto;

	pull->probe_armed = false;
	if (pull->inflight) {
		spin_lock(&pull->fc->lock);
		delay = omx_pull_rto(pull);
		pto = pull->probed || pull->backoff ? 0 : omx_pull_pto(pull->fc);
		spin_unlock(&pull->fc->lock);
		if (pto && pto < delay) {
			delay = pto;
			pull->probe_armed = true;
		}
	} else if (pull->stalled || pull->lost) {
		/* nothing of ours will come back to make room: look again soon */
		delay = jiffies_to_usecs(1);
	} else {
		delay = omx_pull_resend_us();
	}
	omx_pull_timer_in(pull, delay);
}

int omx_pull_deliver_done(struct omx_endpoint *ep, u64 cookie, u32 status,
			  u32 length, u32 region_id, u16 peer_index, u8 peer_endpoint)
{
	struct omx_event evt = { .type = OMX_EVT_PULL_DONE };

	evt.peer_index = peer_index;
	evt.src_endpoint = peer_endpoint;
	evt.pull_done.cookie = cookie;
	evt.pull_done.status = status;
	evt.pull_done.length = length;
	evt.pull_done.local_region_id = region_id;
	return omx_endpoint_deliver(ep, OMX_RING_EXP, &evt, false, NULL, 0, 0);
}

/* @pull leaves ACTIVE: give its outstanding frames back to the peer's window. */
static void omx_pull_fc_detach(struct omx_pull *pull)
{
	struct omx_pull_fc *fc = pull->fc;

	spin_lock(&fc->lock);
	fc->inflight -= min(fc->inflight, pull->inflight);
	spin_unlock(&fc->lock);
	list_del(&pull->link);
	omx_pull_outstanding(pull, -(s32)pull->inflight);
	pull->lost = 0;
	pull->stalled = false;
}

/*
 * End @pull with @status under the lock: report it, or leave it ENDED for
 * the timer to report when the ring has room.  Returns the region
 * reference to drop after the lock, if any.
 */
static struct omx_region *omx_pull_end(struct omx_pull *pull, u32 status)
{
	struct omx_region *region;

	if (pull->state == OMX_PULL_ACTIVE) {
		if (status != OMX_PULL_STATUS_OK)
			omx_iface_count(pull->ep->iface, OMX_COUNTER_PULL_FAILED, 1);
		omx_pull_fc_detach(pull);
	}
	pull->status = status;
	/*
	 * Copies still writing into the region (DMA): no event before they
	 * are done, so that user space never reuses a buffer that is still
	 * being written; omx_pull_copy_done() ends it then.
	 */
	if (pull->copies) {
		pull->state = OMX_PULL_ENDED;
		return NULL;
	}
	if (omx_pull_deliver_done(pull->ep, pull->cookie, status, pull->received,
				  pull->region->id, pull->peer_index, pull->dst_endpoint)) {
		pull->state = OMX_PULL_ENDED;
		omx_pull_timer_in(pull, omx_pull_resend_us());
		return NULL;
	}
	trace_omx_pull_done(pull);
	pull->state = OMX_PULL_FREE;
	region = pull->region;
	pull->region = NULL;
	atomic_dec(&omx_live.pulls);
	return region;
}

static enum hrtimer_restart omx_pull_timer(struct hrtimer *t)
{
	struct omx_pull *pull = container_of(t, struct omx_pull, timer);
	struct omx_endpoint *ep = pull->ep;
	struct omx_pull_table *table = ep->pulls;
	struct omx_region *region = NULL;
	struct omx_pull_batch batch;
	unsigned long timeout;

	batch.n = 0;
	spin_lock(&table->lock);
	if (table->closing || pull->state == OMX_PULL_FREE)
		goto out;
	if (pull->state == OMX_PULL_ENDED) {
		region = omx_pull_end(pull, pull->status);
		goto out;
	}
	timeout = msecs_to_jiffies(READ_ONCE(omx_pull_timeout_ms));
	if (time_after(jiffies, pull->last_progress + timeout)) {
		region = omx_pull_end(pull, OMX_PULL_STATUS_TIMEOUT);
		goto out;
	}
	if (pull->inflight && pull->probe_armed) {
		/* two round trips without a reply: probe with all of it, once */
		omx_pull_mark_all_lost(pull, false);
		pull->probe_lost = true;
		pull->probed = true;
	} else if (pull->inflight) {
		/* a whole timeout without an accepted reply: all of it again */
		omx_pull_mark_all_lost(pull, true);
		pull->timed_out = true;
		if (pull->backoff < U8_MAX)
			pull->backoff++;
	}
	omx_pull_fill(pull, &batch);
	omx_pull_arm(pull);
out:
	spin_unlock(&table->lock);
	omx_pull_send_batch(ep->iface, &batch);
	if (region)
		omx_region_put(region);
	return HRTIMER_NORESTART;
}

int omx_pull_table_alloc(struct omx_endpoint *ep)
{
	struct omx_pull_table *table;
	unsigned int i;

	/* about 90 KiB: the reply tickets and lanes of every slot */
	table = kvzalloc(sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	spin_lock_init(&table->lock);
	INIT_LIST_HEAD(&table->active);
	for (i = 0; i < OMX_PULLS_MAX; i++) {
		table->pulls[i].ep = ep;
		table->pulls[i].index = i;
		hrtimer_init(&table->pulls[i].timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
		table->pulls[i].timer.function = omx_pull_timer;
	}
	ep->pulls = table;
	return 0;
}

void omx_pull_table_close(struct omx_endpoint *ep)
{
	struct omx_pull_table *table = ep->pulls;
	struct omx_region *regions[OMX_PULLS_MAX];
	unsigned int i, n = 0;

	spin_lock_bh(&table->lock);
	table->closing = true;
	for (i = 0; i < OMX_PULLS_MAX; i++) {
		struct omx_pull *pull = &table->pulls[i];

		if (pull->state == OMX_PULL_FREE)
			continue;
		if (pull->state == OMX_PULL_ACTIVE) {
			omx_iface_count(ep->iface, OMX_COUNTER_PULL_FAILED, 1);
			omx_pull_fc_detach(pull);
		}
		pull->state = OMX_PULL_FREE;
		regions[n++] = pull->region;
		pull->region = NULL;
		atomic_dec(&omx_live.pulls);
	}
	spin_unlock_bh(&table->lock);
	/*
	 * The callbacks see @closing and do not re-arm, and nothing else
	 * arms a FREE slot: once cancelled, a timer stays idle.
	 */
	for (i = 0; i < OMX_PULLS_MAX; i++)
		hrtimer_cancel(&table->pulls[i].timer);
	while (n)
		omx_region_put(regions[--n]);
	/*
	 * Nothing may write into the process's memory once its endpoint is
	 * closed: wait for the DMA copies in flight (they hold the regions).
	 */
	wait_var_event(&table->copies, !atomic_read(&table->copies));
}

void omx_pull_table_free(struct omx_endpoint *ep)
{
	kvfree(ep->pulls);
	ep->pulls = NULL;
}

static int omx_pull_check(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
			  struct omx_region **regionp)
{
	struct omx_region *region;
	unsigned int i;

	for (i = 0; i < sizeof(cmd->pad); i++)
		if (cmd->pad[i])
			return -EINVAL;
	if ((u64)cmd->remote_offset + cmd->length > OMX_LARGE_MAX)
		return -EINVAL;
	region = omx_region_get_any(ep, cmd->local_region_id);
	if (!region)
		return -ENOENT;
	if (!region->writable ||
	    (u64)cmd->local_offset + cmd->length > region->length) {
		omx_region_put(region);
		return -EINVAL;
	}
	*regionp = region;
	return 0;
}

/*
 * A free slot, made ACTIVE; under the lock.  NULL if none, or once the
 * table is closing (its timers are cancelled once and must stay idle).
 */
static struct omx_pull *omx_pull_alloc(struct omx_pull_table *table)
{
	unsigned int i;

	if (table->closing)
		return NULL;
	for (i = 0; i < OMX_PULLS_MAX; i++) {
		struct omx_pull *pull = &table->pulls[i];

		/* a slot whose old timer may still run is reused safely: it checks the state */
		if (pull->state == OMX_PULL_FREE) {
			u32 gen;

			/*
			 * unpredictable: a forged PULL_REPLY must guess it, and
			 * never the previous one, whose replies may still come
			 */
			do {
				gen = get_random_u32() & 0xffffff;
			} while (gen == pull->gen);
			pull->state = OMX_PULL_ACTIVE;
			pull->gen = gen;
			pull->copies = 0;
			atomic_inc(&omx_live.pulls);
			return pull;
		}
	}
	return NULL;
}

int omx_pull_start(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd)
{
	struct omx_pull_table *table = ep->pulls;
	enum omx_nack_type why = OMX_NACK_TYPE_ENDPT_CLOSED;
	struct omx_endpoint *remote = NULL;
	struct omx_iface *peer_iface;
	struct omx_region *region;
	struct omx_pull_batch batch;
	struct omx_pull *pull;
	u8 mac[ETH_ALEN];
	u16 reverse;
	bool shared;
	int ret;

	ret = omx_pull_check(ep, cmd, &region);
	if (ret)
		return ret;
	ret = omx_peer_resolve(cmd->peer_index, mac, &reverse);
	if (ret) {
		omx_region_put(region);
		return ret;
	}

	rcu_read_lock();
	peer_iface = omx_iface_find_by_mac_rcu(mac);
	shared = peer_iface && (peer_iface == ep->iface ||
				!(ep->open_flags & OMX_ENDPOINT_OPEN_NO_SHARED));
	if (shared)
		remote = omx_endpoint_get_rcu(peer_iface, cmd->dst_endpoint, &why);
	rcu_read_unlock();
	if (shared || !cmd->length) {
		ret = omx_shared_pull(ep, cmd, region, remote, why);
		if (remote)
			omx_endpoint_put(remote);
		omx_region_put(region);
		return ret;
	}
	if (!ep->pull_reply_len) {
		omx_region_put(region);
		return -EINVAL;
	}

	batch.n = 0;
	spin_lock_bh(&table->lock);
	pull = omx_pull_alloc(table);
	if (!pull) {
		spin_unlock_bh(&table->lock);
		omx_region_put(region);
		return -EBUSY;
	}
	pull->region = region;
	pull->cookie = cmd->cookie;
	pull->length = cmd->length;
	pull->local_offset = cmd->local_offset;
	pull->remote_offset = cmd->remote_offset;
	pull->session = cmd->session;
	pull->peer_index = cmd->peer_index;
	pull->reverse = reverse;
	pull->dst_endpoint = cmd->dst_endpoint;
	pull->rdma_id = cmd->remote_rdma_id;
	pull->rdma_seqnum = cmd->remote_rdma_seqnum;
	pull->token_hi = cmd->remote_token_hi;
	ether_addr_copy(pull->dst_mac, mac);
	pull->reply_len = ep->pull_reply_len;
	pull->first = cmd->remote_offset % pull->reply_len;
	pull->nr_frames = DIV_ROUND_UP((u64)pull->first + cmd->length, pull->reply_len);
	pull->nr_blocks = DIV_ROUND_UP(pull->nr_frames, OMX_PULL_REPLIES_PER_BLOCK);
	pull->low_block = 0;
	pull->next_frame = 0;
	pull->inflight = 0;
	pull->lost = 0;
	pull->timed_out = false;
	pull->probe_lost = false;
	pull->probe_armed = false;
	pull->probed = false;
	pull->timing = false;
	pull->stalled = false;
	pull->backoff = 0;
	pull->received = 0;
	pull->last_progress = jiffies;
	pull->fc = &omx_pull_fcs[array_index_nospec(cmd->peer_index, omx_peers_max)];
	list_add_tail(&pull->link, &table->active);
	trace_omx_pull_start(pull);
	omx_pull_fill(pull, &batch);
	omx_pull_arm(pull);
	spin_unlock(&table->lock);

	/*
	 * Still with bottom halves off: a reply or timer handled on this CPU
	 * once they are on would send later tickets of this lane first.
	 */
	omx_pull_send_batch(ep->iface, &batch);
	local_bh_enable();
	return 0;
}

int omx_pull_park_done(struct omx_pull_table *table, const struct omx_cmd_pull *cmd,
		       struct omx_region *dst, u32 status, u32 length)
{
	struct omx_pull *pull;

	spin_lock_bh(&table->lock);
	pull = omx_pull_alloc(table);
	if (!pull) {
		spin_unlock_bh(&table->lock);
		return -EBUSY;
	}
	kref_get(&dst->kref);
	pull->region = dst;
	pull->cookie = cmd->cookie;
	pull->peer_index = cmd->peer_index;
	pull->dst_endpoint = cmd->dst_endpoint;
	pull->received = length;
	pull->status = status;
	pull->state = OMX_PULL_ENDED;
	omx_pull_timer_in(pull, omx_pull_resend_us());
	spin_unlock_bh(&table->lock);
	return 0;
}

/* The endpoint a PULL_REPLY or NACK_MCP is for, with a reference. */
static struct omx_endpoint *omx_pull_find_ep(struct omx_iface *iface, u32 magic)
{
	int index = omx_pull_magic_endpoint(magic);
	enum omx_nack_type why;

	if (index < 0)
		return NULL;
	return omx_endpoint_get_rcu(iface, index, &why);
}

/* The active pull @handle names, from @mac; under the lock. */
static struct omx_pull *omx_pull_lookup(struct omx_pull_table *table, u32 handle,
					const u8 *mac)
{
	u32 index = handle & 0xff;
	struct omx_pull *pull;

	if (index >= OMX_PULLS_MAX || table->closing)
		return NULL;
	pull = &table->pulls[array_index_nospec(index, OMX_PULLS_MAX)];
	if (pull->state != OMX_PULL_ACTIVE || pull->gen != handle >> 8 ||
	    !ether_addr_equal(pull->dst_mac, mac))
		return NULL;
	return pull;
}

/*
 * Which frame of @pull the reply is, if it is exactly that frame and is
 * still missing; -1 otherwise.
 */
static int omx_pull_reply_frame(const struct omx_pull *pull,
				const struct omx_pkt_pull_reply *r)
{
	const struct omx_pull_block *w;
	u32 i, b;

	if (r->msg_offset >= pull->length)
		return -1;
	i = ((u64)r->msg_offset + pull->first) / pull->reply_len;
	if (i >= pull->nr_frames || r->msg_offset != omx_pull_frame_start(pull, i) ||
	    r->frame_length != omx_pull_frame_end(pull, i) - r->msg_offset ||
	    r->frame_seqnum != (u8)i)
		return -1;
	b = i / OMX_PULL_REPLIES_PER_BLOCK;
	if (b < pull->low_block || i >= pull->next_frame)
		return -1;
	w = &pull->win[b % OMX_PULL_WINDOW_MAX];
	if (w->block != b || !(w->missing & BIT(i % OMX_PULL_REPLIES_PER_BLOCK)))
		return -1;
	return i;
}

/* Pulls whose replies come back in one order with @pull's ("Recovery" above). */
static bool omx_pull_same_stream(const struct omx_pull *p, const struct omx_pull *pull)
{
	/*
	 * Same peer, same remote endpoint: a multiqueue NIC steers the PULLs
	 * for each remote endpoint to its own queue and CPU, so the replies
	 * of two remote endpoints are in no order between them.
	 */
	return p->fc == pull->fc && p->dst_endpoint == pull->dst_endpoint && p->inflight;
}

/*
 * Frame @i of @pull arrived: tick it off, feed the window and the round
 * trip estimate, and mark what the order of arrival says is lost, in
 * @pull and the other pulls of @table in the same stream, for
 * omx_pull_fill() to ask again at once; under the table lock.
 */
static void omx_pull_got(struct omx_pull_table *table, struct omx_pull *pull, u32 i)
{
	struct omx_pull_block *w = omx_pull_win(pull, i);
	u16 ticket = w->ticket[i % OMX_PULL_REPLIES_PER_BLOCK];
	u16 lane = w->lane[i % OMX_PULL_REPLIES_PER_BLOCK];
	struct omx_pull_fc *fc = pull->fc;
	u32 bit = BIT(i % OMX_PULL_REPLIES_PER_BLOCK);
	struct omx_pull *p;
	bool newer = false;

	w->missing &= ~bit;
	pull->backoff = 0;
	pull->probed = false;
	spin_lock(&fc->lock);
	if (w->lost & bit) {
		/* late, not lost: it left the windows already */
		w->lost &= ~bit;
		pull->lost--;
	} else {
		omx_pull_outstanding(pull, -1);
		fc->inflight -= min(fc->inflight, 1U);
	}
	omx_pull_fc_grow(fc);
	if (pull->timing && ticket == pull->timed_ticket) {
		pull->timing = false;
		omx_pull_rtt_sample(fc, ktime_us_delta(ktime_get(), pull->timed_at));
	}
	spin_unlock(&fc->lock);
	/* which copy of a frame asked for twice came is unknown: no order from it */
	if (w->again & bit)
		return;
	/*
	 * Only frames sent from the same CPU as this one's PULL are known to
	 * have been answered before it (the lanes of "Recovery").
	 */
	list_for_each_entry(p, &table->active, link)
		if (omx_pull_same_stream(p, pull))
			omx_pull_mark_older(p, lane, ticket, OMX_PULL_REORDER, &newer);
	/*
	 * Nothing asked for after it on its lane is outstanding: no later
	 * reply will show the older ones missing (a receive buffer overflow
	 * drops the tail of a burst), so they are lost now rather than at the
	 * probe.
	 */
	if (newer)
		return;
	list_for_each_entry(p, &table->active, link)
		if (omx_pull_same_stream(p, pull))
			omx_pull_mark_older(p, lane, ticket, 0, &newer);
}

/*
 * Room freed by a reply of @self goes to the pulls of the same endpoint
 * in the order they started: @self, the stalled ones and those with lost
 * frames to ask for again, oldest first,
 * so that a younger pull never takes what an older one waits for.
 * Stalled pulls of other endpoints look again from their timer.
 */
static void omx_pull_kick(struct omx_pull_table *table, struct omx_pull *self,
			  struct omx_pull_batch *batch)
{
	struct omx_pull *p;

	list_for_each_entry(p, &table->active, link) {
		/* stalled, or with frames that a reply of @self showed lost */
		if (p != self && !p->stalled && !p->lost)
			continue;
		if (batch->n < OMX_PULL_BATCH)
			omx_pull_fill(p, batch);
		else if (p != self)
			continue;
		/* @self is re-armed even with a full batch: it just had a reply */
		omx_pull_arm(p);
	}
}

enum omx_counter_index omx_pull_recv_reply(struct omx_iface *iface,
					   const struct sk_buff *skb,
					   const struct omx_pkt *pkt)
{
	const struct omx_pkt_pull_reply *r = &pkt->pull_reply;
	int payload = pkt->payload_offset - ETH_HLEN;
	struct omx_region *region = NULL, *dma = NULL;
	struct omx_pull_batch batch;
	struct omx_pull_table *table;
	u32 dma_index = 0, dma_gen = 0;
	struct omx_endpoint *ep;
	struct omx_pull *pull;
	u64 offset;
	int i;

	ep = omx_pull_find_ep(iface, r->dst_magic);
	if (!ep)
		return OMX_COUNTER_RX_DROP_STALE_PULL_REPLY;
	table = ep->pulls;
	batch.n = 0;
	spin_lock(&table->lock);
	pull = omx_pull_lookup(table, r->dst_pull_handle, pkt->src_mac);
	i = pull ? omx_pull_reply_frame(pull, r) : -1;
	if (i < 0) {
		spin_unlock(&table->lock);
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_STALE_PULL_REPLY;
	}
	/* the codec checked the frame holds frame_length bytes */
	offset = (u64)pull->local_offset + r->msg_offset;
	if (omx_dma_wanted(ep->iface, r->frame_length, pull->length)) {
		/* copied after the lock; the pull ends once it is in */
		dma = pull->region;
		kref_get(&dma->kref);
		dma_index = pull->index;
		dma_gen = pull->gen;
		pull->copies++;
		atomic_inc(&table->copies);
	} else {
		omx_region_write(pull->region, offset, skb, payload, r->frame_length);
	}
	pull->received += r->frame_length;
	trace_omx_pull_reply(pull, i);
	if (pull->received == r->frame_length)
		trace_omx_pull_reply_first(pull, i);
	pull->last_progress = jiffies;
	omx_pull_got(table, pull, i);
	while (pull->low_block * OMX_PULL_REPLIES_PER_BLOCK < pull->next_frame &&
	       !pull->win[pull->low_block % OMX_PULL_WINDOW_MAX].missing)
		pull->low_block++;
	if (pull->low_block == pull->nr_blocks)
		trace_omx_pull_reply_last(pull, i);
	if (pull->low_block == pull->nr_blocks && !pull->copies) {
		region = omx_pull_end(pull, OMX_PULL_STATUS_OK);
		pull = NULL;
	}
	omx_pull_kick(table, pull, &batch);
	spin_unlock(&table->lock);

	omx_iface_count(iface, OMX_COUNTER_RX_PULL_REPLY, 1);
	omx_pull_send_batch(ep->iface, &batch);
	if (region)
		omx_region_put(region);
	if (dma)
		/* takes over our references on @ep and @dma */
		omx_dma_copy_reply(ep, dma, offset, skb, payload, r->frame_length,
				   dma_index, dma_gen);
	else
		omx_endpoint_put(ep);
	return OMX_COUNTER_NR;
}

void omx_pull_copy_done(struct omx_endpoint *ep, u32 index, u32 gen)
{
	struct omx_pull_table *table = ep->pulls;
	struct omx_pull *pull = &table->pulls[index];
	struct omx_region *region = NULL;

	spin_lock(&table->lock);
	/* a closed table freed its pulls: only the count below matters */
	if (pull->gen == gen && pull->state != OMX_PULL_FREE && pull->copies) {
		/* progress too: a slow engine must not time the pull out */
		pull->last_progress = jiffies;
		pull->copies--;
		/* ENDED: it failed meanwhile, and its event waited for the copies */
		if (!pull->copies && pull->state == OMX_PULL_ENDED)
			region = omx_pull_end(pull, pull->status);
		else if (!pull->copies && pull->low_block == pull->nr_blocks)
			region = omx_pull_end(pull, OMX_PULL_STATUS_OK);
	}
	spin_unlock(&table->lock);
	if (region)
		omx_region_put(region);
	if (atomic_dec_and_test(&table->copies))
		wake_up_var(&table->copies);
}

static u32 omx_pull_nack_status(u8 nack_type)
{
	switch (nack_type) {
	case OMX_NACK_TYPE_BAD_ENDPT:
		return OMX_PULL_STATUS_BAD_ENDPT;
	case OMX_NACK_TYPE_ENDPT_CLOSED:
		return OMX_PULL_STATUS_ENDPT_CLOSED;
	case OMX_NACK_TYPE_BAD_SESSION:
		return OMX_PULL_STATUS_BAD_SESSION;
	default:
		return OMX_PULL_STATUS_BAD_RDMAWIN;
	}
}

enum omx_counter_index omx_pull_recv_nack_mcp(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt)
{
	const struct omx_pkt_nack_mcp *n = &pkt->nack_mcp;
	struct omx_region *region = NULL;
	struct omx_pull_table *table;
	struct omx_endpoint *ep;
	struct omx_pull *pull;

	ep = omx_pull_find_ep(iface, n->src_magic);
	if (!ep)
		return OMX_COUNTER_RX_DROP_UNEXPECTED;
	if (ep->index != n->dst_endpoint) {
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	}
	table = ep->pulls;
	spin_lock(&table->lock);
	pull = omx_pull_lookup(table, n->src_pull_handle, pkt->src_mac);
	if (pull)
		region = omx_pull_end(pull, omx_pull_nack_status(n->nack_type));
	spin_unlock(&table->lock);
	omx_endpoint_put(ep);
	if (!pull)
		return OMX_COUNTER_RX_DROP_UNEXPECTED;
	if (region)
		omx_region_put(region);
	omx_iface_count(iface, OMX_COUNTER_RX_NACK_MCP, 1);
	return OMX_COUNTER_NR;
}
