/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sending side: mx_isend/mx_issend, TINY/SMALL/MEDIUM frames (RNDV
 * and NOTIFY ones come from mx_large.c; every mx_issend is a RNDV), acknowledgements received, retransmission, request timeouts, explicit
 * acks (TRUC) and NACK_LIB events.
 */
#include <errno.h>
#include <string.h>

#include "omx_mx.h"
#include "omx_sde.h"
#include "omx_wire_codec.h"

static uint32_t omx_req_frames(struct mx_endpoint *ep, uint32_t length)
{
	if (length <= OMX_SMALL_MAX)
		return 1;
	return (length + ep->frag_len - 1) / ep->frag_len;
}

int omx_send_truc(struct omx_partner *p, uint8_t flags, uint16_t send_seq)
{
	struct omx_cmd_send_liback c;

	if (!p->session)
		return -1;
	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.resent = flags;
	c.session = p->session;
	c.acknum = ++p->acknum_out;
	c.lib_seqnum = p->next_recv_seq;
	c.send_seq = flags ? send_seq : p->next_recv_seq;
	if (omx_drv_send_liback(p->ep->dev.fd, &c) < 0)
		return -1;
	p->unacked_recv = 0;
	p->ack_deadline_ms = 0;
	return 0;
}

void omx_send_ack_now(struct omx_partner *p)
{
	omx_send_truc(p, 0, 0);
}

/* Puts every frame of @r on the wire again; 0, or -1 if it can never go. */
static int omx_send_frames(struct omx_partner *p, struct omx_req *r)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_cmd_send_msg c;
	uint8_t small[OMX_SMALL_MAX];
	int (*send)(int fd, const struct omx_cmd_send_msg *cmd);
	uint32_t off, i;
	int ret;

	if (r->kind != OMX_SEND_EAGER) {
		ret = r->kind == OMX_SEND_RNDV ? omx_large_send_frame(p, r) :
						 omx_notify_send_frame(p, r);
		if (ret < 0 && !omx_drv_send_transient(errno))
			return -1;
		p->unacked_recv = 0;
		p->ack_deadline_ms = 0;
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.session = p->session;
	c.seqnum = r->seq;
	c.match_info = r->match_info;
	for (i = 0, off = 0; i < r->nframes; i++) {
		c.piggyack = p->next_recv_seq;
		if (r->length <= OMX_SMALL_MAX) {
			send = r->length <= OMX_TINY_MAX ? omx_drv_send_tiny : omx_drv_send_small;
			c.length = r->length;
			if (r->nseg == 1 && r->length) {
				c.data = (uintptr_t)r->segs[0].segment_ptr;
			} else {
				omx_gather(r->segs, r->nseg, 0, small, r->length);
				c.data = (uintptr_t)small;
			}
		} else {
			uint32_t len = r->length - off;

			if (len > ep->frag_len)
				len = ep->frag_len;
			send = omx_drv_send_medium_frag;
			c.frag_seqnum = (uint8_t)i;
			c.length = len;
			c.msg_length = r->length;
			if (r->nseg == 1) {
				c.data = (uintptr_t)((char *)r->segs[0].segment_ptr + off);
			} else {
				omx_gather(r->segs, r->nseg, off, ep->scratch, len);
				c.data = (uintptr_t)ep->scratch;
			}
			off += len;
		}
		if (send(ep->dev.fd, &c) < 0) {
			/* transient shortage: the retransmission timer sends it again */
			if (omx_drv_send_transient(errno))
				continue;
			return -1;
		}
	}
	/* every frame carried our receive position */
	p->unacked_recv = 0;
	p->ack_deadline_ms = 0;
	return 0;
}

/*
 * Tail-loss probe (docs/mx-api.md, "Loss recovery"): a lost last message
 * leaves the receiver nothing to report a gap from, and only the resend
 * timer would find it.  So two smoothed round trips plus the receiver's
 * ack delay and a clock tick after the newest send, if no ack moved
 * since, that newest message goes again: it either fills the tail or,
 * arriving after a hole, makes the receiver report the hole.  0: no
 * probe (no round trip measured yet, or the resend timer comes first).
 */
static uint32_t omx_probe_delay(const struct omx_partner *p)
{
	uint32_t pto;

	if (!p->srtt_ms)
		return 0;
	pto = 2 * p->srtt_ms + omx_config.ack_delay_ms + 1;
	if (pto < OMX_PTO_MIN_MS)
		pto = OMX_PTO_MIN_MS;
	return pto < p->rto_ms ? pto : 0;
}

static struct omx_req *omx_newest_unacked(struct omx_partner *p)
{
	if (omx_list_empty(&p->unacked))
		return NULL;
	return omx_container_of(p->unacked.prev, struct omx_req, link);
}

/* When the probe of @p's newest send is due; 0 if none is (once per ack). */
static uint64_t omx_probe_deadline(struct omx_partner *p)
{
	struct omx_req *r = omx_newest_unacked(p);
	uint32_t pto = omx_probe_delay(p);

	if (!r || !pto || p->probed)
		return 0;
	return r->last_send_ms + pto;
}

/*
 * Sends what the window allows among the queued sends of @p, then wakes
 * the timers for the probe of the newest send: a send or an ack (the
 * callers) may have moved it.
 */
void omx_send_try_waiting(struct omx_partner *p)
{
	struct mx_endpoint *ep = p->ep;
	uint64_t probe;
	struct omx_req *r;

	if (omx_list_empty(&p->waiting))
		goto probe;
	if (!p->connected) {
		omx_partner_start_connect(p);
		return;
	}
	while (!omx_list_empty(&p->waiting)) {
		r = omx_container_of(p->waiting.next, struct omx_req, link);
		if (p->frames_in_flight && p->frames_in_flight + r->nframes > p->cwnd) {
			if (!p->stalled)
				ep->stats.window_stalls++;
			p->stalled = true;
			break;
		}
		p->stalled = false;
		/* the receiver drops frames too far ahead of what it expects */
		if (omx_seq_dist(p->acked_seq, p->next_send_seq) >= OMX_SEQNUM_EARLY_MAX)
			break;
		r->seq = p->next_send_seq;
		p->next_send_seq = omx_seq_add(p->next_send_seq, 1);
		omx_list_del(&r->link);
		omx_list_add_tail(&r->link, &p->unacked);
		r->state |= OMX_REQ_SENT;
		p->frames_in_flight += r->nframes;
		r->last_send_ms = omx_now_ms();
		omx_partner_arm(p, r->last_send_ms + p->rto_ms);
		if (omx_send_frames(p, r) < 0) {
			omx_req_complete(ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
			continue;
		}
	}
probe:
	probe = omx_probe_deadline(p);
	if (probe)
		omx_partner_arm(p, probe);
}

/*
 * A round-trip sample (Karn: never from a resent message): the resend
 * timer follows srtt + 4 rttvar, plus the receiver's ack delay and one
 * clock tick, within [OMX_RTO_MIN_MS, OMX_RESEND_DELAY_MS].
 */
static void omx_rtt_sample(struct omx_partner *p, uint32_t rtt)
{
	uint32_t rto, dev;

	if (!p->srtt_ms) {
		p->srtt_ms = rtt ? rtt : 1;
		p->rttvar_ms = rtt / 2;
	} else {
		dev = rtt > p->srtt_ms ? rtt - p->srtt_ms : p->srtt_ms - rtt;
		p->rttvar_ms = (3 * p->rttvar_ms + dev) / 4;
		p->srtt_ms = (7 * p->srtt_ms + rtt) / 8;
		if (!p->srtt_ms)
			p->srtt_ms = 1;
	}
	rto = p->srtt_ms + 4 * p->rttvar_ms + omx_config.ack_delay_ms + 4;
	if (rto < OMX_RTO_MIN_MS)
		rto = OMX_RTO_MIN_MS;
	if (rto > omx_config.resend_delay_ms)
		rto = omx_config.resend_delay_ms;
	p->rto_ms = rto;
}

/* Acked frames open the window: doubling up to ssthresh, then +1 per window. */
static void omx_cwnd_grow(struct omx_partner *p, uint32_t frames)
{
	if (p->cwnd < p->ssthresh) {
		p->cwnd += frames;
	} else {
		p->cwnd_acc += frames;
		while (p->cwnd_acc >= p->cwnd) {
			p->cwnd_acc -= p->cwnd;
			p->cwnd++;
		}
	}
	if (p->cwnd > OMX_SEND_WINDOW_FRAMES)
		p->cwnd = OMX_SEND_WINDOW_FRAMES;
}

/* A loss: halve the window, at most once per round trip. */
static void omx_cwnd_loss(struct omx_partner *p, uint64_t now, bool timeout)
{
	if (!timeout && p->last_reduce_ms && now < p->last_reduce_ms + p->srtt_ms + 1)
		return;
	p->last_reduce_ms = now;
	p->ssthresh = p->cwnd / 2 > OMX_CWND_MIN ? p->cwnd / 2 : OMX_CWND_MIN;
	p->cwnd = timeout ? OMX_CWND_MIN : p->ssthresh;
	p->cwnd_acc = 0;
}

static void omx_send_acked(struct omx_partner *p, struct omx_req *r, uint64_t now)
{
	if (!(r->state & OMX_REQ_RESENT))
		omx_rtt_sample(p, (uint32_t)(now - r->last_send_ms));
	omx_cwnd_grow(p, r->nframes);
	omx_list_del(&r->link);
	r->state |= OMX_REQ_ACKED;
	if (p->frames_in_flight >= r->nframes)
		p->frames_in_flight -= r->nframes;
	else
		p->frames_in_flight = 0;
	/* the receiver has the RNDV; its NOTIFY says the data was taken */
	if (r->kind == OMX_SEND_RNDV) {
		omx_list_add_tail(&r->link, &p->notifywait);
		return;
	}
	omx_req_complete(p->ep, r, MX_STATUS_SUCCESS);
}

void omx_handle_ack(struct omx_partner *p, uint16_t ack)
{
	struct omx_list *pos, *tmp;
	uint64_t now;

	if (!p->connected || !omx_seq_same_session(ack, p->next_send_seq))
		return;
	/* never beyond what we sent, never backwards */
	if (omx_seq_after(ack, p->next_send_seq) || !omx_seq_after(ack, p->acked_seq))
		return;
	p->acked_seq = ack;
	/* the ack moved: the newest send may be probed again */
	p->probed = false;
	now = omx_now_ms();
	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (!omx_seq_before(r->seq, ack))
			break;
		omx_send_acked(p, r, now);
	}
	/* the oldest now outstanding is resent if not acked within the timer */
	if (!omx_list_empty(&p->unacked)) {
		struct omx_req *r = omx_container_of(p->unacked.next, struct omx_req, link);

		omx_partner_arm(p, r->last_send_ms + p->rto_ms);
	}
	omx_send_try_waiting(p);
}

/* Resends @r now; false if it can never go (completed with an error). */
static bool omx_resend(struct omx_partner *p, struct omx_req *r, uint64_t now)
{
	r->last_send_ms = now;
	r->state |= OMX_REQ_RESENT;
	if (omx_send_frames(p, r) < 0) {
		omx_req_complete(p->ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
		return false;
	}
	return true;
}

/*
 * The receiver has later messages but not @seq: resend it at once, once;
 * if that copy is lost too, the resend timer takes over.
 */
static void omx_send_gap(struct omx_partner *p, uint16_t seq)
{
	struct omx_list *pos, *tmp;
	uint64_t now;

	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->seq != seq)
			continue;
		if (r->state & OMX_REQ_FAST_RESENT)
			return;
		now = omx_now_ms();
		r->state |= OMX_REQ_FAST_RESENT;
		p->ep->stats.resent_fast++;
		omx_cwnd_loss(p, now, false);
		if (omx_resend(p, r, now))
			omx_partner_arm(p, now + p->rto_ms);
		return;
	}
}

void omx_handle_liback(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_liback *a = &evt->liback;
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);

	if (!p)
		return;
	if (!p->acknum_in || (int32_t)(a->acknum - p->acknum_in) > 0) {
		p->acknum_in = a->acknum;
		omx_handle_ack(p, a->lib_seqnum);
	}
	/*
	 * The flags are idempotent: handled even from a stale ack.  SYNC
	 * comes from an omx peer older than the RNDV-only mx_issend: it
	 * still gets its MATCHED answer.  We never send SYNC, so a MATCHED
	 * names nothing of ours and is ignored.
	 */
	if (a->resent & OMX_TRUC_FLAG_SYNC)
		omx_recv_sync_mark(p, a->send_seq);
	if ((a->resent & OMX_TRUC_FLAG_GAP) && p->connected)
		omx_send_gap(p, a->send_seq);
}

/*
 * A NACK answers one frame; a late or duplicated one (a CONNECT refused
 * before the peer opened, then accepted) must not kill the working
 * connection: honour it only if it names a connect still pending or a
 * message still unacknowledged.
 */
static bool omx_nack_is_current(struct omx_partner *p, uint16_t seq)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &p->ep->connects) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->partner == p)
			return true;
	}
	return p->connected && omx_seq_same_session(seq, p->next_send_seq) &&
	       !omx_seq_before(seq, p->acked_seq) && omx_seq_before(seq, p->next_send_seq);
}

void omx_handle_nack(struct mx_endpoint *ep, const struct omx_event *evt)
{
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);
	mx_status_code_t code;

	if (!p)
		return;
	switch (evt->nack_lib.nack_type) {
	case OMX_NACK_TYPE_BAD_ENDPT:
		code = MX_STATUS_BAD_ENDPOINT;
		break;
	case OMX_NACK_TYPE_ENDPT_CLOSED:
		code = MX_STATUS_ENDPOINT_CLOSED;
		break;
	case OMX_NACK_TYPE_BAD_SESSION:
		code = MX_STATUS_BAD_SESSION;
		break;
	default:
		return;
	}
	if (!omx_nack_is_current(p, evt->nack_lib.lib_seqnum))
		return;
	omx_partner_fail(p, code, true);
}

static void omx_next(uint64_t *next, uint64_t t)
{
	if (!*next || t < *next)
		*next = t;
}

static uint64_t omx_req_deadline(struct omx_req *r)
{
	return r->start_ms + r->timeout_ms;
}

/* The tail-loss probe of @p, once per ack, if its time came. */
static void omx_send_probe(struct omx_partner *p, uint64_t now, uint64_t *next)
{
	uint64_t due = omx_probe_deadline(p);
	struct omx_req *r = omx_newest_unacked(p);

	if (!due)
		return;
	if (now < due) {
		omx_next(next, due);
		return;
	}
	/* no window cut: only a gap it reveals is a loss */
	p->probed = true;
	p->ep->stats.resent_probe++;
	if (omx_resend(p, r, now))
		omx_next(next, now + p->rto_ms);
}

void omx_send_timers(struct omx_partner *p, uint64_t now, uint64_t *next)
{
	struct omx_list *pos, *tmp;
	uint32_t delay = p->rto_ms;
	bool oldest = true;

	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (now >= omx_req_deadline(r)) {
			/* the partner is gone or unreachable: start over */
			omx_partner_fail(p, MX_STATUS_TIMEOUT, false);
			return;
		}
		omx_next(next, omx_req_deadline(r));
		/*
		 * Only the oldest is resent by the timer: the receiver keeps
		 * what came after a gap and reports the next hole itself.
		 */
		if (!oldest)
			continue;
		oldest = false;
		if (now >= r->last_send_ms + delay) {
			p->ep->stats.resent_timeout++;
			omx_cwnd_loss(p, now, true);
			/* backoff: each expiry doubles the timer, a new sample resets it */
			p->rto_ms = p->rto_ms * 2 < OMX_RTO_MAX_MS ? p->rto_ms * 2 : OMX_RTO_MAX_MS;
			if (!omx_resend(p, r, now)) {
				oldest = true;
				continue;
			}
		}
		omx_next(next, r->last_send_ms + p->rto_ms);
	}
	omx_send_probe(p, now, next);
	omx_list_for_each_safe(pos, tmp, &p->waiting) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (now >= omx_req_deadline(r)) {
			omx_req_complete(p->ep, r, MX_STATUS_TIMEOUT);
			continue;
		}
		omx_next(next, omx_req_deadline(r));
	}
	omx_list_for_each_safe(pos, tmp, &p->notifywait) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		/* never matched or never pulled: the request timeout ends it */
		if (now >= omx_req_deadline(r)) {
			omx_req_complete(p->ep, r, MX_STATUS_TIMEOUT);
			continue;
		}
		omx_next(next, omx_req_deadline(r));
	}
	if (p->ack_deadline_ms) {
		if (now >= p->ack_deadline_ms)
			omx_send_ack_now(p);
		else
			omx_next(next, p->ack_deadline_ms);
	}
}

/*
 * Small eager sends complete at once, as in MX and Open-MX: their data is
 * copied, so the buffer is the application's again; the request lives on
 * for the ack (a ping-pong echo otherwise completes only when the next
 * ping brings its ack, after that ping arrived unexpected).
 */
static bool omx_send_can_zombie(struct mx_endpoint *ep, const struct omx_req *r)
{
	return r->kind == OMX_SEND_EAGER && r->length <= OMX_SMALL_MAX &&
	       ep->zombies < omx_config.zombie_max;
}

static void omx_send_zombify(struct mx_endpoint *ep, struct omx_req *r)
{
	omx_gather(r->segs, r->nseg, 0, r->zbuf, r->length);
	if (r->segs != &r->seg1)
		free(r->segs);
	r->segs = &r->seg1;
	r->seg1.segment_ptr = r->zbuf;
	r->seg1.segment_length = r->length;
	r->nseg = 1;
	r->state |= OMX_REQ_ZOMBIE | OMX_REQ_DONE;
	r->status.code = MX_STATUS_SUCCESS;
	omx_list_add_tail(&r->done_link, &ep->done);
	ep->zombies++;
}

static mx_return_t omx_isend_common(mx_endpoint_t ep, mx_segment_t *segs, uint32_t count,
				    mx_endpoint_addr_t dest, uint64_t match_info,
				    void *context, mx_request_t *request, bool sync,
				    const char *fn)
{
	struct omx_partner *p;
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, fn);

	if (ret != MX_SUCCESS)
		return ret;
	if (!request)
		return omx_error(ep, MX_BAD_REQUEST, "%s: request pointer is NULL", fn);
	omx_ep_lock(ep);
	p = omx_addr_partner(dest);
	if (!p || p->ep != ep) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_BAD_ENDPOINT,
				 "%s: destination is not an address given by mx_connect() on this endpoint",
				 fn);
	}
	r = omx_req_alloc(ep, OMX_REQ_SEND);
	if (!r) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_NO_RESOURCES, "%s: out of memory", fn);
	}
	ret = omx_copy_segments(ep, r, segs, count, fn);
	if (ret != MX_SUCCESS) {
		omx_req_free(r);
		omx_ep_unlock(ep);
		return ret;
	}
	r->partner = p;
	r->sync = sync;
	if (p->self && !omx_config.disable_self) {
		r->match_info = match_info;
		r->status.match_info = match_info;
		r->status.context = context;
		r->status.msg_length = r->length;
		r->status.xfer_length = r->length;
		omx_partner_addr(p, &r->status.source);
		*request = (mx_request_t)r;
		omx_sde_add(OMX_SDE_MESSAGES_SENT, 1);
		omx_self_send(ep, r);
		omx_ep_unlock(ep);
		return MX_SUCCESS;
	}
	/*
	 * A synchronous send of any length is a rendezvous, as Open-MX
	 * sends it: its NOTIFY comes once a receive took it, which is the
	 * completion mx_issend promises (docs/mx-api.md, "Synchronous sends").
	 */
	if (r->length > OMX_MEDIUM_MAX || sync) {
		ret = omx_large_send_prepare(ep, r, fn);
		if (ret != MX_SUCCESS) {
			omx_req_free(r);
			omx_ep_unlock(ep);
			return ret;
		}
	}
	r->match_info = match_info;
	r->nframes = r->kind == OMX_SEND_RNDV ? 1 : omx_req_frames(ep, r->length);
	r->timeout_ms = ep->request_timeout_ms;
	r->start_ms = omx_now_ms();
	omx_partner_arm(p, r->start_ms + r->timeout_ms);
	r->status.match_info = match_info;
	r->status.context = context;
	r->status.msg_length = r->length;
	r->status.xfer_length = r->length;
	omx_partner_addr(p, &r->status.source);
	if (omx_send_can_zombie(ep, r))
		omx_send_zombify(ep, r);
	omx_list_add_tail(&r->link, &p->waiting);
	*request = (mx_request_t)r;
	omx_sde_add(OMX_SDE_MESSAGES_SENT, 1);
	omx_send_try_waiting(p);
	omx_progress(ep);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_isend(mx_endpoint_t ep, mx_segment_t *segments_list, uint32_t segments_count,
		     mx_endpoint_addr_t dest_endpoint, uint64_t match_info, void *context,
		     mx_request_t *request)
{
	return omx_isend_common(ep, segments_list, segments_count, dest_endpoint, match_info,
				context, request, false, "mx_isend");
}

mx_return_t mx_issend(mx_endpoint_t ep, mx_segment_t *segments_list, uint32_t segments_count,
		      mx_endpoint_addr_t dest_endpoint, uint64_t match_info, void *context,
		      mx_request_t *request)
{
	return omx_isend_common(ep, segments_list, segments_count, dest_endpoint, match_info,
				context, request, true, "mx_issend");
}
