/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Large messages (above OMX_MEDIUM_MAX) and synchronous sends of any
 * length (mx_issend, as Open-MX sends them): the sender registers its buffer
 * and sends a RNDV, one message of the partner's sequence; the receiver
 * matches it, registers its buffer for writing and has the driver pull
 * the data (OMX_CMD_PULL); once the pull is done it sends a NOTIFY, also
 * a sequenced message, and the sender's request completes on it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "omx_mx.h"
#include "omx_sde.h"
#include "omx_wire_codec.h"

mx_return_t omx_large_send_prepare(struct mx_endpoint *ep, struct omx_req *r, const char *fn)
{
	r->kind = OMX_SEND_RNDV;
	/* 0 bytes (an mx_issend of nothing) pin nothing, but take an id for the NOTIFY */
	r->region = r->length ? omx_region_get(ep, r->segs, r->nseg, 0) : omx_region_get_empty(ep);
	if (r->region)
		return MX_SUCCESS;
	switch (errno) {
	case EBUSY:
		return omx_error(ep, MX_NO_RESOURCES,
				 "%s: %u large messages are already in flight on this endpoint; wait for some to complete",
				 fn, OMX_REGIONS_MAX);
	case EFAULT:
		return omx_error(ep, MX_BAD_SEG_MEM, "%s: a segment of the %u-byte message is not mapped memory",
				 fn, r->length);
	case ENOMEM:
		return omx_error(ep, MX_NO_RESOURCES,
				 "%s: cannot pin the %u-byte buffer: raise the locked-memory limit (ulimit -l)",
				 fn, r->length);
	default:
		return omx_error(ep, MX_NO_RESOURCES, "%s: cannot register the %u-byte buffer: %s",
				 fn, r->length, strerror(errno));
	}
}

int omx_large_send_frame(struct omx_partner *p, struct omx_req *r)
{
	struct omx_cmd_send_rndv c;

	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.rdma_id = r->region->id;
	c.rdma_seqnum = r->region->seqnum;
	c.session = p->session;
	c.seqnum = r->seq;
	c.piggyack = p->next_recv_seq;
	c.msg_length = r->length;
	c.match_info = r->match_info;
	return omx_drv_send_rndv(p->ep->dev.fd, &c);
}

int omx_notify_send_frame(struct omx_partner *p, struct omx_req *r)
{
	struct omx_cmd_send_notify c;

	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.rdma_id = r->rndv.rdma_id;
	c.rdma_seqnum = r->rndv.rdma_seqnum;
	c.session = p->session;
	c.seqnum = r->seq;
	c.piggyack = p->next_recv_seq;
	c.total_length = r->length;
	return omx_drv_send_notify(p->ep->dev.fd, &c);
}

/* Queues a NOTIFY for @rndv: sent, acked and resent like any message. */
void omx_notify_queue(struct omx_partner *p, const struct omx_rndv *rndv, uint32_t length)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_req *r = omx_req_alloc(ep, OMX_REQ_SEND);

	/* without memory the sender's request times out: nothing better to do */
	if (!r)
		return;
	r->state |= OMX_REQ_INTERNAL | OMX_REQ_FORGOTTEN;
	r->kind = OMX_SEND_NOTIFY;
	r->partner = p;
	r->rndv = *rndv;
	r->length = length;
	r->nseg = 0;
	r->nframes = 1;
	r->timeout_ms = ep->request_timeout_ms;
	r->start_ms = omx_now_ms();
	omx_partner_arm(p, r->start_ms + r->timeout_ms);
	omx_list_add_tail(&r->link, &p->waiting);
	omx_send_try_waiting(p);
}

static mx_status_code_t omx_pull_status_code(uint32_t status)
{
	switch (status) {
	case OMX_PULL_STATUS_OK:
		return MX_STATUS_SUCCESS;
	case OMX_PULL_STATUS_TIMEOUT:
		return MX_STATUS_TIMEOUT;
	case OMX_PULL_STATUS_BAD_RDMAWIN:
		return MX_STATUS_BAD_RDMAWIN;
	case OMX_PULL_STATUS_ENDPT_CLOSED:
		return MX_STATUS_ENDPOINT_CLOSED;
	case OMX_PULL_STATUS_BAD_SESSION:
		return MX_STATUS_BAD_SESSION;
	case OMX_PULL_STATUS_BAD_ENDPT:
		return MX_STATUS_BAD_ENDPOINT;
	default:
		return MX_STATUS_ABORTED;
	}
}

/*
 * Registers the receive buffer and starts the pull.  Shortages (no free
 * region id, pinning limit, OMX_PULLS_MAX pulls running) leave @r in
 * pull_wait for the next progression round; anything else fails it.
 */
static void omx_pull_start(struct mx_endpoint *ep, struct omx_req *r)
{
	struct omx_partner *p = r->partner;
	struct omx_cmd_pull c;

	omx_list_del(&r->link);
	if (!r->region) {
		r->region = omx_region_get(ep, r->segs, r->nseg, OMX_REGION_WRITABLE);
		if (!r->region) {
			if (errno == EBUSY || errno == ENOMEM) {
				omx_list_add_tail(&r->link, &ep->pull_wait);
				return;
			}
			if (errno == EOPNOTSUPP)
				fprintf(stderr,
					"MX: cannot receive a %u-byte message into a MAP_SHARED mapping of a file on a disk filesystem (its page cache pages cannot be pinned for writing); receive into anonymous, MAP_PRIVATE or shared memory (tmpfs, memfd) instead\n",
					r->length);
			/* EFAULT: the receive buffer is not (writable) memory */
			omx_req_complete(ep, r, MX_STATUS_ABORTED);
			return;
		}
	}
	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.remote_rdma_id = r->rndv.rdma_id;
	c.remote_rdma_seqnum = r->rndv.rdma_seqnum;
	c.session = p->session;
	c.length = r->status.xfer_length;
	/* the sender's token: only the RNDV's addressee knows it */
	c.remote_offset = r->rndv.rdma_offset;
	c.remote_token_hi = r->rndv.token_hi;
	c.local_region_id = r->region->id;
	c.local_offset = 0;
	r->cookie = ++ep->next_cookie;
	c.cookie = r->cookie;
	if (omx_drv_pull(ep->dev.fd, &c) < 0) {
		if (errno == EBUSY || errno == ENOMEM || errno == ENOBUFS || errno == EINTR) {
			omx_list_add_tail(&r->link, &ep->pull_wait);
			return;
		}
		omx_req_complete(ep, r, errno == ENETDOWN ? MX_STATUS_ENDPOINT_UNREACHABLE :
					MX_STATUS_ABORTED);
		return;
	}
	omx_list_add_tail(&r->link, &ep->pulling);
}

void omx_large_recv_start(struct mx_endpoint *ep, struct omx_req *r, struct omx_partner *p,
			  uint64_t match, const struct omx_rndv *rndv)
{
	uint32_t xfer = rndv->msg_length < r->length ? rndv->msg_length : r->length;

	omx_list_del(&r->link);
	r->partner = p;
	r->rndv = *rndv;
	r->state |= OMX_REQ_PULLING;
	omx_partner_addr(p, &r->status.source);
	r->status.match_info = match;
	r->status.msg_length = rndv->msg_length;
	r->status.xfer_length = xfer;
	if (!xfer) {
		/* nothing to pull (an empty message or buffer): notify the sender at once */
		omx_notify_queue(p, rndv, 0);
		omx_req_complete(ep, r, rndv->msg_length ? MX_STATUS_TRUNCATED : MX_STATUS_SUCCESS);
		return;
	}
	omx_pull_start(ep, r);
}

void omx_pull_retry(struct mx_endpoint *ep)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &ep->pull_wait)
		omx_pull_start(ep, omx_container_of(pos, struct omx_req, link));
}

void omx_handle_pull_done(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_pull_done *d = &evt->pull_done;
	struct omx_list *pos, *tmp;
	struct omx_req *r = NULL;
	mx_status_code_t code;

	omx_list_for_each_safe(pos, tmp, &ep->pulling) {
		struct omx_req *q = omx_container_of(pos, struct omx_req, link);

		if (q->cookie == d->cookie) {
			r = q;
			break;
		}
	}
	if (!r)
		return;		/* its request was freed (endpoint closing) */
	code = omx_pull_status_code(d->status);
	/* a failed pull reports what arrived before it stopped */
	if (d->length < r->status.xfer_length)
		r->status.xfer_length = d->length;
	/* the driver wrote them into the application's buffer */
	omx_sde_add(OMX_SDE_RECV_BYTES_COPIED, r->status.xfer_length);
	if (code == MX_STATUS_SUCCESS) {
		omx_notify_queue(r->partner, &r->rndv, r->status.xfer_length);
		if (r->status.xfer_length < r->status.msg_length)
			code = MX_STATUS_TRUNCATED;
	}
	omx_req_complete(ep, r, code);
	/* a pull slot and a region are free again */
	omx_pull_retry(ep);
}

void omx_handle_rndv(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_rndv *e = &evt->rndv;
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);
	struct omx_rndv rndv;

	if (!p || !p->session)
		return;
	omx_handle_ack(p, e->piggyack);
	if (!omx_recv_seq_next(p, e->seqnum, evt))
		return;
	memset(&rndv, 0, sizeof(rndv));
	rndv.seq = e->seqnum;
	rndv.rdma_id = e->rdma_id;
	rndv.rdma_seqnum = e->rdma_seqnum;
	rndv.rdma_offset = e->rdma_offset;
	rndv.token_hi = e->token_hi;
	rndv.msg_length = e->msg_length;
	if (!omx_deliver(ep, p, e->seqnum, e->match_info, NULL, e->msg_length, &rndv))
		return;
	omx_recv_seq_accept(p);
}

/* Completes the large send that region (@id, @seqnum) belongs to. */
static void omx_notified(struct omx_partner *p, uint8_t id, uint8_t seqnum, uint32_t length)
{
	struct omx_list *lists[2] = { &p->notifywait, &p->unacked };
	struct omx_list *pos, *tmp;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		omx_list_for_each_safe(pos, tmp, lists[i]) {
			struct omx_req *r = omx_container_of(pos, struct omx_req, link);

			if (r->kind != OMX_SEND_RNDV || !r->region || r->region->id != id ||
			    r->region->seqnum != seqnum)
				continue;
			r->status.xfer_length = length < r->length ? length : r->length;
			omx_req_complete(p->ep, r, MX_STATUS_SUCCESS);
			return;
		}
	}
}

void omx_handle_notify(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_notify *n = &evt->notify;
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);

	if (!p || !p->session)
		return;
	omx_handle_ack(p, n->piggyack);
	if (!omx_recv_seq_next(p, n->seqnum, evt))
		return;
	omx_notified(p, n->rdma_id, n->rdma_seqnum, n->total_length);
	omx_recv_seq_accept(p);
}
