/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The receiving side: message events (TINY, SMALL, MEDIUM fragments) in
 * per-partner seqnum order, medium reassembly, matching against posted
 * receives, the unexpected queue and its handler, synchronous-send
 * notifications, mx_irecv and mx_iprobe.  Large messages (RNDV) take
 * the same ordering and matching path; their data is pulled by
 * mx_large.c once matched.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"
#include "omx_sde.h"
#include "omx_wire_codec.h"

void omx_unexp_free(struct omx_unexp *u)
{
	free(u->data);
	free(u);
}

static bool omx_take_sync_mark(struct omx_partner *p, uint16_t seq)
{
	uint32_t i;

	for (i = 0; i < p->nsync_marks; i++) {
		if (p->sync_marks[i] == seq) {
			p->sync_marks[i] = p->sync_marks[--p->nsync_marks];
			return true;
		}
	}
	return false;
}

static void omx_recv_matched(struct omx_partner *p, uint16_t seq, bool sync)
{
	if (sync)
		omx_send_truc(p, OMX_TRUC_FLAG_MATCHED, seq);
}

void omx_recv_sync_mark(struct omx_partner *p, uint16_t seq)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_list *pos, *tmp;
	uint32_t i;

	if (!omx_seq_same_session(seq, p->next_recv_seq))
		return;
	omx_list_for_each_safe(pos, tmp, &ep->unexp) {
		struct omx_unexp *u = omx_container_of(pos, struct omx_unexp, link);

		if (u->partner == p && u->seq == seq) {
			u->sync = true;
			return;
		}
	}
	if (omx_seq_before(seq, p->next_recv_seq)) {
		/* received and no longer unexpected: it was matched */
		omx_send_truc(p, OMX_TRUC_FLAG_MATCHED, seq);
		return;
	}
	for (i = 0; i < p->nsync_marks; i++)
		if (p->sync_marks[i] == seq)
			return;
	/* when full, the sender's next mark gets through */
	if (p->nsync_marks < OMX_SYNC_MARKS_MAX)
		p->sync_marks[p->nsync_marks++] = seq;
}

void omx_recv_fill(struct mx_endpoint *ep, struct omx_req *r, struct omx_partner *p,
		   uint64_t match, const void *data, uint32_t len)
{
	uint32_t xfer = len < r->length ? len : r->length;

	omx_scatter(r->segs, r->nseg, data, xfer);
	omx_sde_add(OMX_SDE_RECV_BYTES_COPIED, xfer);
	omx_partner_addr(p, &r->status.source);
	r->status.match_info = match;
	r->status.msg_length = len;
	r->status.xfer_length = xfer;
	omx_req_complete(ep, r, len > r->length ? MX_STATUS_TRUNCATED : MX_STATUS_SUCCESS);
}

struct omx_req *omx_find_recv(struct mx_endpoint *ep, uint64_t match)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &ep->recvs) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (omx_match(match, r->match_info, r->match_mask))
			return r;
	}
	return NULL;
}

/* Hands a matched message to @r: copied now, or pulled when large. */
static void omx_recv_take(struct mx_endpoint *ep, struct omx_req *r, struct omx_partner *p,
			  uint64_t match, const void *data, uint32_t len,
			  const struct omx_rndv *rndv)
{
	if (rndv)
		omx_large_recv_start(ep, r, p, match, rndv);
	else
		omx_recv_fill(ep, r, p, match, data, len);
}

/*
 * Unexpected queue full: false, the message is dropped unacknowledged
 * and the sender will send it again.
 */
bool omx_deliver(struct mx_endpoint *ep, struct omx_partner *p, uint16_t seq, uint64_t match,
		 const void *data, uint32_t len, const struct omx_rndv *rndv)
{
	bool sync = omx_take_sync_mark(p, seq);
	struct omx_unexp *u;
	struct omx_req *r;

	r = omx_find_recv(ep, match);
	if (!r && ep->unexp_handler) {
		mx_endpoint_addr_t addr;
		mx_unexp_handler_action_t act;
		struct mx_endpoint *prev;

		omx_partner_addr(p, &addr);
		prev = omx_handler_enter(ep);
		act = ep->unexp_handler(ep->unexp_handler_ctx, addr, match, len, (void *)data);
		omx_handler_exit(ep, prev);
		if (act == MX_RECV_FINISHED) {
			/* a large message consumed unseen: release its sender */
			if (rndv)
				omx_notify_queue(p, rndv, 0);
			omx_recv_matched(p, seq, sync);
			return true;
		}
		/* the handler may have posted the receive for it */
		r = omx_find_recv(ep, match);
	}
	if (r) {
		omx_recv_take(ep, r, p, match, data, len, rndv);
		omx_recv_matched(p, seq, sync);
		return true;
	}
	if (ep->unexp_count >= ep->unexp_queue_max)
		goto drop;
	u = calloc(1, sizeof(*u));
	if (!u)
		goto drop;
	if (rndv) {
		u->large = true;
		u->rndv = *rndv;
	} else if (len) {
		u->data = malloc(len);
		if (!u->data) {
			free(u);
			goto drop;
		}
		memcpy(u->data, data, len);
	}
	u->partner = p;
	u->match_info = match;
	u->length = len;
	u->seq = seq;
	u->sync = sync;
	omx_list_add_tail(&u->link, &ep->unexp);
	ep->unexp_count++;
	omx_sde_add(OMX_SDE_UNEXPECTED_MESSAGES, 1);
	if (ep->unexp_callback) {
		struct mx_endpoint *prev = omx_handler_enter(ep);

		ep->unexp_callback(ep->unexp_callback_ctx, match, (int)len);
		omx_handler_exit(ep, prev);
	}
	return true;

drop:
	if (sync && p->nsync_marks < OMX_SYNC_MARKS_MAX)
		p->sync_marks[p->nsync_marks++] = seq;
	return false;
}

static void omx_partial_reset(struct omx_partner *p)
{
	free(p->partial.buf);
	memset(&p->partial, 0, sizeof(p->partial));
}

/* Adds a fragment; returns true when the message is complete. */
static bool omx_medium_frag(struct mx_endpoint *ep, struct omx_partner *p,
			    const struct omx_evt_msg *m, const uint8_t *payload)
{
	struct omx_partial *pa = &p->partial;
	struct omx_pkt_medium pm;
	uint32_t off;

	memset(&pm, 0, sizeof(pm));
	pm.msg_length = m->length;
	pm.frag_length = m->frag_length;
	pm.frag_seqnum = m->frag_seqnum;
	if (!m->length || m->length > OMX_MEDIUM_MAX || m->frag_length > OMX_RECVQ_SLOT_LEN ||
	    omx_wire_medium_frag_offset(&pm, ep->frag_len, &off) != OMX_WIRE_OK)
		return false;
	if (pa->active && (pa->seq != m->seqnum || pa->length != m->length))
		omx_partial_reset(p);	/* a leftover of an abandoned attempt */
	if (!pa->active) {
		pa->buf = malloc(m->length);
		if (!pa->buf)
			return false;
		pa->active = true;
		pa->seq = m->seqnum;
		pa->length = m->length;
		pa->match_info = m->match_info;
		pa->nfrags = (m->length + ep->frag_len - 1) / ep->frag_len;
	}
	if (pa->received & (1U << m->frag_seqnum))
		return false;
	memcpy((uint8_t *)pa->buf + off, payload, m->frag_length);
	pa->received |= 1U << m->frag_seqnum;
	pa->count++;
	return pa->count == pa->nfrags;
}

void omx_handle_msg(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_msg *m = &evt->msg;
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);
	const uint8_t *payload = NULL;
	const void *data;
	uint32_t len = m->length;
	bool ok;

	if (!p || !p->session)
		return;		/* nobody connected from there: nothing to answer */
	omx_handle_ack(p, m->piggyack);
	if (!omx_recv_seq_next(p, m->seqnum, evt))
		return;
	if (ep->replay_data) {
		payload = ep->replay_data;
	} else if (evt->type != OMX_EVT_RECV_TINY) {
		if (m->recvq_slot >= OMX_UNEXP_EVENTS)
			return;
		payload = ep->recvq + (size_t)m->recvq_slot * OMX_RECVQ_SLOT_LEN;
	}
	switch (evt->type) {
	case OMX_EVT_RECV_TINY:
		if (len > OMX_TINY_MAX)
			return;
		data = m->data;
		break;
	case OMX_EVT_RECV_SMALL:
		if (len > OMX_SMALL_MAX)
			return;
		data = payload;
		break;
	default:
		if (!omx_medium_frag(ep, p, m, payload))
			return;
		data = p->partial.buf;
		break;
	}
	ok = omx_deliver(ep, p, m->seqnum, m->match_info, data, len, NULL);
	if (evt->type == OMX_EVT_RECV_MEDIUM_FRAG)
		omx_partial_reset(p);
	if (ok)
		omx_recv_seq_accept(p);
}

/* Tells the sender at once which sequence number is missing. */
static void omx_send_gap(struct omx_partner *p)
{
	if (omx_send_truc(p, OMX_TRUC_FLAG_GAP, p->next_recv_seq) == 0)
		p->ep->stats.gap_reports++;
}

bool omx_recv_seq_next(struct omx_partner *p, uint16_t seq, const struct omx_event *evt)
{
	int d;

	if (!omx_seq_same_session(seq, p->next_recv_seq))
		return false;	/* a frame of an older session */
	d = omx_seq_diff(seq, p->next_recv_seq);
	if (d < 0) {
		/* a duplicate: our ack was lost, say it again */
		p->ep->stats.duplicates++;
		omx_send_ack_now(p);
		return false;
	}
	if (d > 0 && evt)
		omx_ooo_keep(p, evt, seq);
	return d == 0;
}

/* Whether @evt is the same frame as the kept @o (medium: same fragment). */
static bool omx_ooo_same(const struct omx_ooo *o, const struct omx_event *evt, uint16_t seq)
{
	if (o->evt.type != evt->type || o->seq != seq)
		return false;
	return evt->type != OMX_EVT_RECV_MEDIUM_FRAG ||
	       o->evt.msg.frag_seqnum == evt->msg.frag_seqnum;
}

static bool omx_ooo_has_seq(const struct omx_partner *p, uint16_t seq)
{
	const struct omx_ooo *o;

	for (o = p->ooo; o; o = o->next)
		if (o->seq == seq)
			return true;
	return false;
}

/* The event is copied whole; SMALL and MEDIUM payloads from their slot. */
void omx_ooo_keep(struct omx_partner *p, const struct omx_event *evt, uint16_t seq)
{
	struct mx_endpoint *ep = p->ep;
	uint32_t len = 0;
	struct omx_ooo *o;
	bool new_seq;

	if (omx_seq_diff(seq, p->next_recv_seq) > OMX_OOO_SEQ_AHEAD || ep->replay_data)
		goto drop;
	for (o = p->ooo; o; o = o->next) {
		if (omx_ooo_same(o, evt, seq)) {
			ep->stats.duplicates++;
			return;
		}
	}
	if (evt->type == OMX_EVT_RECV_SMALL || evt->type == OMX_EVT_RECV_MEDIUM_FRAG) {
		if (evt->msg.recvq_slot >= OMX_UNEXP_EVENTS)
			return;
		len = evt->type == OMX_EVT_RECV_SMALL ? evt->msg.length : evt->msg.frag_length;
		if (len > OMX_RECVQ_SLOT_LEN)
			return;
	}
	if (p->nooo >= OMX_OOO_FRAMES_MAX || ep->ooo_bytes + len > OMX_OOO_BYTES_MAX)
		goto drop;
	o = malloc(sizeof(*o) + len);
	if (!o)
		goto drop;
	o->evt = *evt;
	o->seq = seq;
	o->len = len;
	if (len)
		memcpy(o->data, ep->recvq + (size_t)evt->msg.recvq_slot * OMX_RECVQ_SLOT_LEN, len);
	new_seq = !omx_ooo_has_seq(p, seq);
	o->next = p->ooo;
	p->ooo = o;
	p->nooo++;
	ep->ooo_bytes += len;
	ep->stats.ooo_kept++;
	/* once per message that came early: the sender resends the hole once */
	if (new_seq)
		omx_send_gap(p);
	return;
drop:
	ep->stats.ooo_dropped++;
}

void omx_ooo_free(struct omx_partner *p)
{
	struct omx_ooo *o;

	while ((o = p->ooo)) {
		p->ooo = o->next;
		p->ep->ooo_bytes -= o->len;
		free(o);
	}
	p->nooo = 0;
	if (p->ready) {
		omx_list_del(&p->ready_link);
		p->ready = false;
	}
}

/* Takes the kept frames of the next sequence number out of @p, in arrival order. */
static struct omx_ooo *omx_ooo_take_next(struct omx_partner *p)
{
	struct omx_ooo **pp = &p->ooo, *o, *taken = NULL;

	while ((o = *pp)) {
		if (o->seq == p->next_recv_seq) {
			*pp = o->next;
			p->nooo--;
			/* the list is newest first: prepend to restore arrival order */
			o->next = taken;
			taken = o;
		} else {
			pp = &o->next;
		}
	}
	return taken;
}

static void omx_ooo_dispatch(struct mx_endpoint *ep, struct omx_ooo *o)
{
	switch (o->evt.type) {
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
	case OMX_EVT_RECV_MEDIUM_FRAG:
		ep->replay_data = o->data;
		omx_handle_msg(ep, &o->evt);
		ep->replay_data = NULL;
		break;
	case OMX_EVT_RECV_RNDV:
		omx_handle_rndv(ep, &o->evt);
		break;
	case OMX_EVT_RECV_NOTIFY:
		omx_handle_notify(ep, &o->evt);
		break;
	default:
		break;
	}
}

void omx_ooo_replay(struct mx_endpoint *ep)
{
	while (!omx_list_empty(&ep->ooo_ready)) {
		struct omx_partner *p = omx_container_of(ep->ooo_ready.next, struct omx_partner,
							 ready_link);
		uint16_t before = p->next_recv_seq;
		struct omx_ooo *o;

		omx_list_del(&p->ready_link);
		p->ready = false;
		o = omx_ooo_take_next(p);
		while (o) {
			struct omx_ooo *n = o->next;

			ep->ooo_bytes -= o->len;
			omx_ooo_dispatch(ep, o);
			free(o);
			o = n;
		}
		/* accepted: omx_recv_seq_accept queued @p again if more are next */
		if (p->next_recv_seq != before || !p->ooo || p->ready)
			continue;
		/* still a hole before what is kept: say so again */
		omx_send_gap(p);
	}
}

void omx_recv_seq_accept(struct omx_partner *p)
{
	p->next_recv_seq = omx_seq_add(p->next_recv_seq, 1);
	p->unacked_recv++;
	if (p->ooo && !p->ready && omx_ooo_has_seq(p, p->next_recv_seq)) {
		p->ready = true;
		omx_list_add_tail(&p->ready_link, &p->ep->ooo_ready);
	} else if (p->ooo && !p->ready) {
		/* what is kept is further on: the next hole is missing too */
		omx_send_gap(p);
		return;
	}
	if (p->unacked_recv >= omx_config.ack_threshold || !omx_config.ack_delay_ms)
		omx_send_ack_now(p);
	else if (!p->ack_deadline_ms) {
		p->ack_deadline_ms = omx_now_ms() + omx_config.ack_delay_ms;
		omx_partner_arm(p, p->ack_deadline_ms);
	}
}

static mx_return_t omx_check_mask(struct mx_endpoint *ep, uint64_t info, uint64_t mask,
				  const char *fn)
{
	if ((mask & ep->ctx_mask) != ep->ctx_mask)
		return omx_error(ep, MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK,
				 "%s: the match mask must cover all context id bits (0x%016llx)", fn,
				 (unsigned long long)ep->ctx_mask);
	if (info & ~mask)
		return omx_error(ep, MX_BAD_MATCH_MASK,
				 "%s: match info 0x%016llx has bits outside mask 0x%016llx", fn,
				 (unsigned long long)info, (unsigned long long)mask);
	return MX_SUCCESS;
}

mx_return_t mx_irecv(mx_endpoint_t ep, mx_segment_t *segments_list, uint32_t segments_count,
		     uint64_t match_info, uint64_t match_mask, void *context,
		     mx_request_t *request)
{
	struct omx_list *pos, *tmp;
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_irecv");

	if (ret != MX_SUCCESS)
		return ret;
	if (!request)
		return omx_error(ep, MX_BAD_REQUEST, "mx_irecv: request pointer is NULL");
	ret = omx_check_mask(ep, match_info, match_mask, "mx_irecv");
	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	r = omx_req_alloc(ep, OMX_REQ_RECV);
	if (!r) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_NO_RESOURCES, "mx_irecv: out of memory");
	}
	ret = omx_copy_segments(ep, r, segments_list, segments_count, "mx_irecv");
	if (ret != MX_SUCCESS) {
		omx_req_free(r);
		omx_ep_unlock(ep);
		return ret;
	}
	r->match_info = match_info;
	r->match_mask = match_mask;
	r->status.context = context;
	/* receives never time out: no clock read */
	r->timeout_ms = ep->request_timeout_ms;
	*request = (mx_request_t)r;
	omx_list_for_each_safe(pos, tmp, &ep->unexp) {
		struct omx_unexp *u = omx_container_of(pos, struct omx_unexp, link);

		if (!omx_match(u->match_info, match_info, match_mask))
			continue;
		omx_list_del(&u->link);
		ep->unexp_count--;
		if (u->self_send)
			omx_self_match(ep, r, u);
		else
			omx_recv_take(ep, r, u->partner, u->match_info, u->data, u->length,
				      u->large ? &u->rndv : NULL);
		omx_recv_matched(u->partner, u->seq, u->sync);
		omx_unexp_free(u);
		omx_ep_unlock(ep);
		return MX_SUCCESS;
	}
	omx_list_add_tail(&r->link, &ep->recvs);
	omx_progress(ep);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

/* Locked: the first unexpected message that fits, into @status. */
static bool omx_probe_unexp(struct mx_endpoint *ep, uint64_t info, uint64_t mask,
			    mx_status_t *status)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &ep->unexp) {
		struct omx_unexp *u = omx_container_of(pos, struct omx_unexp, link);

		if (!omx_match(u->match_info, info, mask))
			continue;
		memset(status, 0, sizeof(*status));
		status->code = MX_STATUS_SUCCESS;
		omx_partner_addr(u->partner, &status->source);
		status->match_info = u->match_info;
		status->msg_length = u->length;
		status->xfer_length = u->length;
		return true;
	}
	return false;
}

/* What mx_probe looks for, and where it tells what it found. */
struct omx_probe {
	uint64_t info, mask;
	mx_status_t *status;
};

static bool omx_probe_ready(struct mx_endpoint *ep, void *arg)
{
	struct omx_probe *pr = arg;

	return omx_probe_unexp(ep, pr->info, pr->mask, pr->status);
}

mx_return_t mx_iprobe(mx_endpoint_t ep, uint64_t match_info, uint64_t match_mask,
		      mx_status_t *status, uint32_t *result)
{
	mx_return_t ret = omx_check_ep(ep, "mx_iprobe");

	if (ret != MX_SUCCESS)
		return ret;
	if (!status || !result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_iprobe: status and result must not be NULL");
	ret = omx_check_mask(ep, match_info, match_mask, "mx_iprobe");
	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	omx_progress(ep);
	*result = omx_probe_unexp(ep, match_info, match_mask, status);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_probe(mx_endpoint_t ep, uint32_t timeout, uint64_t match_info,
		     uint64_t match_mask, mx_status_t *status, uint32_t *result)
{
	uint64_t deadline;
	unsigned int wakeups;
	struct omx_probe pr = { .info = match_info, .mask = match_mask, .status = status };
	mx_return_t ret = omx_check_ep(ep, "mx_probe");

	if (ret != MX_SUCCESS)
		return ret;
	if (!status || !result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_probe: status and result must not be NULL");
	ret = omx_check_mask(ep, match_info, match_mask, "mx_probe");
	if (ret != MX_SUCCESS)
		return ret;
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	deadline = omx_deadline(timeout);
	omx_ep_lock(ep);
	*result = omx_block_until(ep, deadline, wakeups, omx_probe_ready, &pr);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}
