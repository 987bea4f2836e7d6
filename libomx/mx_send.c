/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sending side: mx_isend/mx_issend, TINY/SMALL/MEDIUM frames (RNDV
 * and NOTIFY ones come from mx_large.c), acknowledgements received, retransmission, request timeouts, explicit
 * acks (TRUC) and NACK_LIB events.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "omx_mx.h"
#include "omx_sde.h"
#include "omx_wire_codec.h"

static uint32_t omx_req_frames(struct mx_endpoint *ep, uint32_t length)
{
	if (length <= OMX_SMALL_MAX || length > OMX_MEDIUM_MAX)
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
	if (ioctl(p->ep->dev.fd, OMX_CMD_SEND_LIBACK, &c) < 0)
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
	unsigned long cmd;
	uint32_t off, i;
	int ret;

	if (r->kind != OMX_SEND_EAGER) {
		ret = r->kind == OMX_SEND_RNDV ? omx_large_send_frame(p, r) :
						 omx_notify_send_frame(p, r);
		if (ret < 0 && errno != ENOBUFS && errno != ENOMEM && errno != ENETDOWN &&
		    errno != EAGAIN && errno != EINTR)
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
			cmd = r->length <= OMX_TINY_MAX ? OMX_CMD_SEND_TINY : OMX_CMD_SEND_SMALL;
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
			cmd = OMX_CMD_SEND_MEDIUM_FRAG;
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
		if (ioctl(ep->dev.fd, cmd, &c) < 0) {
			/* transient shortage: the retransmission timer sends it again */
			if (errno == ENOBUFS || errno == ENOMEM || errno == ENETDOWN ||
			    errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
	}
	/* every frame carried our receive position */
	p->unacked_recv = 0;
	p->ack_deadline_ms = 0;
	return 0;
}

/* Sends what the window allows among the queued sends of @p. */
void omx_send_try_waiting(struct omx_partner *p)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_req *r;

	if (omx_list_empty(&p->waiting))
		return;
	if (!p->connected) {
		omx_partner_start_connect(p);
		return;
	}
	while (!omx_list_empty(&p->waiting)) {
		r = omx_container_of(p->waiting.next, struct omx_req, link);
		if (p->frames_in_flight &&
		    p->frames_in_flight + r->nframes > OMX_SEND_WINDOW_FRAMES)
			break;
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
		if (omx_send_frames(p, r) < 0) {
			omx_req_complete(ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
			continue;
		}
		if (r->sync)
			omx_send_truc(p, OMX_TRUC_FLAG_SYNC, r->seq);
	}
}

static void omx_send_acked(struct omx_partner *p, struct omx_req *r)
{
	omx_list_del(&r->link);
	r->state |= OMX_REQ_ACKED;
	if (p->frames_in_flight >= r->nframes)
		p->frames_in_flight -= r->nframes;
	else
		p->frames_in_flight = 0;
	if (r->sync && !(r->state & OMX_REQ_MATCHED)) {
		omx_list_add_tail(&r->link, &p->syncwait);
		return;
	}
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

	if (!p->connected || !omx_seq_same_session(ack, p->next_send_seq))
		return;
	/* never beyond what we sent, never backwards */
	if (omx_seq_after(ack, p->next_send_seq) || !omx_seq_after(ack, p->acked_seq))
		return;
	p->acked_seq = ack;
	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (!omx_seq_before(r->seq, ack))
			break;
		omx_send_acked(p, r);
	}
	omx_send_try_waiting(p);
}

static void omx_send_matched(struct omx_partner *p, uint16_t seq)
{
	struct omx_list *pos, *tmp;

	/* matched implies received, and the receiver takes messages in order */
	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->seq == seq)
			r->state |= OMX_REQ_MATCHED;
	}
	omx_handle_ack(p, omx_seq_add(seq, 1));
	omx_list_for_each_safe(pos, tmp, &p->syncwait) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->seq == seq) {
			r->state |= OMX_REQ_MATCHED;
			omx_req_complete(p->ep, r, MX_STATUS_SUCCESS);
		}
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
	/* the flags are idempotent: handled even from a stale ack */
	if (a->resent & OMX_TRUC_FLAG_SYNC)
		omx_recv_sync_mark(p, a->send_seq);
	if (a->resent & OMX_TRUC_FLAG_MATCHED)
		omx_send_matched(p, a->send_seq);
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

void omx_send_timers(struct omx_partner *p, uint64_t now, uint64_t *next)
{
	struct omx_list *pos, *tmp;
	uint32_t delay = omx_config.resend_delay_ms;

	omx_list_for_each_safe(pos, tmp, &p->unacked) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (now >= omx_req_deadline(r)) {
			/* the partner is gone or unreachable: start over */
			omx_partner_fail(p, MX_STATUS_TIMEOUT, false);
			return;
		}
		if (now >= r->last_send_ms + delay) {
			r->last_send_ms = now;
			if (omx_send_frames(p, r) < 0) {
				omx_req_complete(p->ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
				continue;
			}
			if (r->sync)
				omx_send_truc(p, OMX_TRUC_FLAG_SYNC | OMX_TRUC_FLAG_RESENT, r->seq);
		}
		omx_next(next, r->last_send_ms + delay);
		omx_next(next, omx_req_deadline(r));
	}
	omx_list_for_each_safe(pos, tmp, &p->syncwait) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (now >= omx_req_deadline(r)) {
			omx_req_complete(p->ep, r, MX_STATUS_TIMEOUT);
			continue;
		}
		if (now >= r->last_send_ms + delay) {
			r->last_send_ms = now;
			omx_send_truc(p, OMX_TRUC_FLAG_SYNC | OMX_TRUC_FLAG_RESENT, r->seq);
		}
		omx_next(next, r->last_send_ms + delay);
		omx_next(next, omx_req_deadline(r));
	}
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
	pthread_mutex_lock(&ep->lock);
	p = omx_addr_partner(dest);
	if (!p || p->ep != ep) {
		pthread_mutex_unlock(&ep->lock);
		return omx_error(ep, MX_BAD_ENDPOINT,
				 "%s: destination is not an address given by mx_connect() on this endpoint",
				 fn);
	}
	r = omx_req_alloc(ep, OMX_REQ_SEND);
	if (!r) {
		pthread_mutex_unlock(&ep->lock);
		return omx_error(ep, MX_NO_RESOURCES, "%s: out of memory", fn);
	}
	ret = omx_copy_segments(ep, r, segs, count, fn);
	if (ret != MX_SUCCESS) {
		omx_req_free(r);
		pthread_mutex_unlock(&ep->lock);
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
		pthread_mutex_unlock(&ep->lock);
		return MX_SUCCESS;
	}
	if (r->length > OMX_MEDIUM_MAX) {
		/* completion on NOTIFY already means matched: no sync marks */
		r->sync = false;
		ret = omx_large_send_prepare(ep, r, fn);
		if (ret != MX_SUCCESS) {
			omx_req_free(r);
			pthread_mutex_unlock(&ep->lock);
			return ret;
		}
	}
	r->match_info = match_info;
	r->nframes = omx_req_frames(ep, r->length);
	r->timeout_ms = ep->request_timeout_ms;
	r->start_ms = omx_now_ms();
	r->status.match_info = match_info;
	r->status.context = context;
	r->status.msg_length = r->length;
	r->status.xfer_length = r->length;
	omx_partner_addr(p, &r->status.source);
	omx_list_add_tail(&r->link, &p->waiting);
	*request = (mx_request_t)r;
	omx_sde_add(OMX_SDE_MESSAGES_SENT, 1);
	omx_send_try_waiting(p);
	omx_progress(ep);
	pthread_mutex_unlock(&ep->lock);
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
