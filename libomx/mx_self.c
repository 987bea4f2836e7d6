/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Self messages: a send to our own endpoint is matched inside the
 * library and copied once from the send segments to the receive
 * segments, without the driver.  Unmatched, it waits in the unexpected
 * queue: a small non-synchronous one as a copy (the send completes, as
 * an eager send does once acknowledged), any other still in the
 * sender's buffers (the send completes when a receive takes it).
 * OMX_DISABLE_SELF=1 sends them through the driver like any other.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"

void omx_copy_segs(const mx_segment_t *dst, uint32_t dnseg, const mx_segment_t *src,
		   uint32_t snseg, uint32_t len)
{
	uint32_t di = 0, si = 0, doff = 0, soff = 0, n;

	while (len && di < dnseg && si < snseg) {
		uint32_t dl = dst[di].segment_length - doff;
		uint32_t sl = src[si].segment_length - soff;

		if (!dl) {
			di++;
			doff = 0;
			continue;
		}
		if (!sl) {
			si++;
			soff = 0;
			continue;
		}
		n = dl < sl ? dl : sl;
		if (n > len)
			n = len;
		memcpy((uint8_t *)dst[di].segment_ptr + doff,
		       (const uint8_t *)src[si].segment_ptr + soff, n);
		doff += n;
		soff += n;
		len -= n;
	}
}

/* Copies @s into @recv and completes both. */
static void omx_self_deliver(struct mx_endpoint *ep, struct omx_req *recv, struct omx_req *s)
{
	uint32_t xfer = s->length < recv->length ? s->length : recv->length;

	omx_copy_segs(recv->segs, recv->nseg, s->segs, s->nseg, xfer);
	omx_partner_addr(s->partner, &recv->status.source);
	recv->status.match_info = s->match_info;
	recv->status.msg_length = s->length;
	recv->status.xfer_length = xfer;
	omx_req_complete(ep, recv, s->length > recv->length ? MX_STATUS_TRUNCATED :
			 MX_STATUS_SUCCESS);
	s->status.xfer_length = xfer;
	omx_req_complete(ep, s, MX_STATUS_SUCCESS);
}

void omx_self_match(struct mx_endpoint *ep, struct omx_req *recv, struct omx_unexp *u)
{
	omx_self_deliver(ep, recv, u->self_send);
	u->self_send = NULL;
}

/* The message as one buffer for the unexpected handler; *@tmp to free. */
static const void *omx_self_flat(struct omx_req *s, void **tmp)
{
	*tmp = NULL;
	/* like a RNDV, a large message is announced without its data */
	if (s->length > OMX_MEDIUM_MAX)
		return NULL;
	if (s->nseg == 1 || !s->length)
		return s->segs[0].segment_ptr;
	*tmp = malloc(s->length);
	if (*tmp)
		omx_gather(s->segs, s->nseg, 0, *tmp, s->length);
	return *tmp;
}

void omx_self_send(struct mx_endpoint *ep, struct omx_req *s)
{
	struct omx_unexp *u;
	struct omx_req *recv;

	recv = omx_find_recv(ep, s->match_info);
	if (!recv && ep->unexp_handler) {
		mx_endpoint_addr_t addr;
		mx_unexp_handler_action_t act;
		struct mx_endpoint *prev;
		const void *data;
		void *tmp;

		data = omx_self_flat(s, &tmp);
		omx_partner_addr(s->partner, &addr);
		prev = omx_handler_enter(ep);
		act = ep->unexp_handler(ep->unexp_handler_ctx, addr, s->match_info, s->length,
					(void *)data);
		omx_handler_exit(ep, prev);
		free(tmp);
		if (act == MX_RECV_FINISHED) {
			omx_req_complete(ep, s, MX_STATUS_SUCCESS);
			return;
		}
		recv = omx_find_recv(ep, s->match_info);
	}
	if (recv) {
		omx_self_deliver(ep, recv, s);
		return;
	}
	/* no retransmission to fall back on: queued even beyond unexp_queue_max */
	u = calloc(1, sizeof(*u));
	if (!u) {
		omx_req_complete(ep, s, MX_STATUS_NO_RESOURCES);
		return;
	}
	u->partner = s->partner;
	u->match_info = s->match_info;
	u->length = s->length;
	if (!s->sync && s->length <= OMX_MEDIUM_MAX && s->length) {
		u->data = malloc(s->length);
		if (u->data)
			omx_gather(s->segs, s->nseg, 0, u->data, s->length);
	}
	if (u->data || (!s->length && !s->sync)) {
		omx_req_complete(ep, s, MX_STATUS_SUCCESS);
	} else {
		u->self_send = s;
		omx_list_add_tail(&s->link, &ep->selfsends);
	}
	omx_list_add_tail(&u->link, &ep->unexp);
	ep->unexp_count++;
	if (ep->unexp_callback) {
		struct mx_endpoint *prev = omx_handler_enter(ep);

		ep->unexp_callback(ep->unexp_callback_ctx, s->match_info, (int)s->length);
		omx_handler_exit(ep, prev);
	}
}
