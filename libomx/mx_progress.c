/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Progression: consuming the two event rings, running the timers of the
 * partners and connects, sleeping in the driver, and the request
 * plumbing (allocation, completion, segment lists) the API files share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "omx_mx.h"

bool omx_match(uint64_t a, uint64_t b, uint64_t mask)
{
	return ((a ^ b) & mask) == 0;
}

struct omx_req *omx_req_alloc(struct mx_endpoint *ep, enum omx_req_type type)
{
	struct omx_req *r = calloc(1, sizeof(union mx_request));

	if (!r)
		return NULL;
	r->magic = OMX_REQ_MAGIC;
	r->type = type;
	r->ep = ep;
	r->segs = &r->seg1;
	r->status.code = MX_STATUS_PENDING;
	omx_list_init(&r->link);
	omx_list_init(&r->done_link);
	return r;
}

void omx_req_free(struct omx_req *r)
{
	omx_region_put(r->ep, r->region);
	omx_list_del(&r->link);
	omx_list_del(&r->done_link);
	if (r->segs != &r->seg1)
		free(r->segs);
	r->magic = 0;
	free(r);
}

void omx_req_free_list(struct omx_list *head)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, head)
		omx_req_free(omx_container_of(pos, struct omx_req, link));
}

void omx_req_complete(struct mx_endpoint *ep, struct omx_req *r, mx_status_code_t code)
{
	struct omx_partner *p = r->partner;

	/* completing twice would put it twice in the done list */
	if (r->state & OMX_REQ_DONE)
		return;
	omx_list_del(&r->link);
	if (r->type == OMX_REQ_SEND && p && (r->state & OMX_REQ_SENT) &&
	    !(r->state & OMX_REQ_ACKED)) {
		if (p->frames_in_flight >= r->nframes)
			p->frames_in_flight -= r->nframes;
		else
			p->frames_in_flight = 0;
	}
	/* the buffer is the application's again: its region may be cached */
	omx_region_put(ep, r->region);
	r->region = NULL;
	r->status.code = code;
	if (r->state & OMX_REQ_FORGOTTEN) {
		omx_req_free(r);
		return;
	}
	r->state |= OMX_REQ_DONE;
	omx_list_add_tail(&r->done_link, &ep->done);
}

mx_return_t omx_copy_segments(struct mx_endpoint *ep, struct omx_req *r,
			      mx_segment_t *segs, uint32_t count, const char *fn)
{
	uint64_t total = 0;
	uint32_t i;

	if (count > MX_MAX_SEGMENTS)
		return omx_error(ep, MX_BAD_SEG_CNT, "%s: %u segments, at most %u allowed", fn,
				 count, MX_MAX_SEGMENTS);
	if (count && !segs)
		return omx_error(ep, MX_BAD_SEG_LIST, "%s: segment list is NULL but count is %u",
				 fn, count);
	for (i = 0; i < count; i++) {
		if (!segs[i].segment_ptr && segs[i].segment_length)
			return omx_error(ep, MX_BAD_SEG_MEM, "%s: segment %u is NULL with length %u",
					 fn, i, segs[i].segment_length);
		total += segs[i].segment_length;
	}
	if (total > UINT32_MAX)
		return omx_error(ep, MX_BAD_SEG_LIST, "%s: segments add up to more than 4 GiB", fn);
	if (count > 1) {
		r->segs = malloc(count * sizeof(*segs));
		if (!r->segs) {
			r->segs = &r->seg1;
			return omx_error(ep, MX_NO_RESOURCES, "%s: out of memory", fn);
		}
		memcpy(r->segs, segs, count * sizeof(*segs));
	} else if (count == 1) {
		r->seg1 = segs[0];
	} else {
		r->seg1.segment_ptr = NULL;
		r->seg1.segment_length = 0;
	}
	r->nseg = count ? count : 1;
	r->length = (uint32_t)total;
	return MX_SUCCESS;
}

void omx_scatter(const mx_segment_t *segs, uint32_t nseg, const void *data, uint32_t len)
{
	const uint8_t *src = data;
	uint32_t i, n;

	for (i = 0; i < nseg && len; i++) {
		n = segs[i].segment_length < len ? segs[i].segment_length : len;
		if (n)
			memcpy(segs[i].segment_ptr, src, n);
		src += n;
		len -= n;
	}
}

void omx_gather(const mx_segment_t *segs, uint32_t nseg, uint32_t offset, void *dst,
		uint32_t len)
{
	uint8_t *out = dst;
	uint32_t i, n;

	for (i = 0; i < nseg && len; i++) {
		uint32_t sl = segs[i].segment_length;

		if (offset >= sl) {
			offset -= sl;
			continue;
		}
		n = sl - offset < len ? sl - offset : len;
		memcpy(out, (const uint8_t *)segs[i].segment_ptr + offset, n);
		out += n;
		len -= n;
		offset = 0;
	}
}

static void omx_handle_event(struct mx_endpoint *ep, const struct omx_event *evt)
{
	switch (evt->type) {
	case OMX_EVT_RECV_CONNECT_REQUEST:
		omx_handle_connect_request(ep, evt);
		break;
	case OMX_EVT_RECV_CONNECT_REPLY:
		omx_handle_connect_reply(ep, evt);
		break;
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
	case OMX_EVT_RECV_MEDIUM_FRAG:
		omx_handle_msg(ep, evt);
		break;
	case OMX_EVT_RECV_LIBACK:
		omx_handle_liback(ep, evt);
		break;
	case OMX_EVT_RECV_NACK_LIB:
		omx_handle_nack(ep, evt);
		break;
	case OMX_EVT_RECV_RNDV:
		omx_handle_rndv(ep, evt);
		break;
	case OMX_EVT_RECV_NOTIFY:
		omx_handle_notify(ep, evt);
		break;
	case OMX_EVT_PULL_DONE:
		omx_handle_pull_done(ep, evt);
		break;
	default:
		break;	/* unknown: skipped */
	}
}

/*
 * Consumes one ring.  The event is copied first so that a handler that
 * re-enters progression (unexpected handler) sees a stable copy; the
 * consumer index moves only after the payload was copied out.
 */
static void omx_consume(struct mx_endpoint *ep, const struct omx_event *ring, uint32_t nslots,
			uint32_t *prodp, uint32_t *consp, uint32_t *mycons, bool exp_first)
{
	uint32_t prod = __atomic_load_n(prodp, __ATOMIC_ACQUIRE);
	struct omx_event evt;

	while (*mycons != prod) {
		/*
		 * NOTIFYs (expected ring) share the partners' sequence with the
		 * messages of the unexpected ring: take the expected events that
		 * arrived first, or a message behind a NOTIFY looks early and
		 * waits for a retransmission.
		 */
		if (exp_first && __atomic_load_n(&ep->ctrl->exp_prod, __ATOMIC_ACQUIRE) != ep->exp_cons)
			omx_consume(ep, ep->exp_ring, OMX_EXP_EVENTS, &ep->ctrl->exp_prod,
				    &ep->ctrl->exp_cons, &ep->exp_cons, false);
		/* a bogus producer index must not make us walk garbage forever */
		if (prod - *mycons > nslots)
			*mycons = prod - nslots;
		memcpy(&evt, &ring[*mycons % nslots], sizeof(evt));
		omx_handle_event(ep, &evt);
		(*mycons)++;
		__atomic_store_n(consp, *mycons, __ATOMIC_RELEASE);
		prod = __atomic_load_n(prodp, __ATOMIC_ACQUIRE);
	}
}

static void omx_timers(struct mx_endpoint *ep, uint64_t now, uint64_t *next)
{
	struct omx_partner *p;
	unsigned int h;

	omx_connect_timers(ep, now, next);
	for (h = 0; h < OMX_PARTNER_HASH; h++)
		for (p = ep->hash[h]; p; p = p->hash_next)
			omx_send_timers(p, now, next);
}

void omx_progress(struct mx_endpoint *ep)
{
	uint64_t next = 0;

	/* an unexpected handler calling back into the API must not re-enter */
	if (ep->dead || !ep->map || ep->progressing)
		return;
	ep->progressing = true;
	if (!ep->in_thread)
		ep->app_progress_ms = omx_now_ms();
	omx_consume(ep, ep->exp_ring, OMX_EXP_EVENTS, &ep->ctrl->exp_prod, &ep->ctrl->exp_cons,
		    &ep->exp_cons, false);
	omx_consume(ep, ep->unexp_ring, OMX_UNEXP_EVENTS, &ep->ctrl->unexp_prod,
		    &ep->ctrl->unexp_cons, &ep->unexp_cons, true);
	if (!omx_list_empty(&ep->pull_wait))
		omx_pull_retry(ep);
	omx_timers(ep, omx_now_ms(), &next);
	ep->progressing = false;
}

uint64_t omx_next_deadline(struct mx_endpoint *ep, uint64_t now)
{
	struct omx_list *pos, *tmp;
	uint64_t next = 0;
	struct omx_partner *p;
	unsigned int h;

	/* receives waiting for a pull slot or a region: try again soon */
	if (!omx_list_empty(&ep->pull_wait))
		next = now + 10;
	omx_list_for_each_safe(pos, tmp, &ep->connects) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (!next || r->next_retry_ms < next)
			next = r->next_retry_ms;
		if (r->deadline_ms && r->deadline_ms < next)
			next = r->deadline_ms;
	}
	for (h = 0; h < OMX_PARTNER_HASH; h++) {
		for (p = ep->hash[h]; p; p = p->hash_next) {
			uint64_t t = 0;

			if (p->ack_deadline_ms)
				t = p->ack_deadline_ms;
			omx_list_for_each_safe(pos, tmp, &p->unacked) {
				struct omx_req *r = omx_container_of(pos, struct omx_req, link);
				uint64_t rt = r->last_send_ms + omx_config.resend_delay_ms;

				if (!t || rt < t)
					t = rt;
			}
			omx_list_for_each_safe(pos, tmp, &p->syncwait) {
				struct omx_req *r = omx_container_of(pos, struct omx_req, link);
				uint64_t rt = r->last_send_ms + omx_config.resend_delay_ms;

				if (!t || rt < t)
					t = rt;
			}
			omx_list_for_each_safe(pos, tmp, &p->notifywait) {
				struct omx_req *r = omx_container_of(pos, struct omx_req, link);
				uint64_t rt = r->start_ms + r->timeout_ms;

				if (!t || rt < t)
					t = rt;
			}
			if (!omx_list_empty(&p->waiting)) {
				struct omx_req *r = omx_container_of(p->waiting.next,
								     struct omx_req, link);
				uint64_t rt = r->start_ms + r->timeout_ms;

				if (!t || rt < t)
					t = rt;
			}
			if (t && (!next || t < next))
				next = t;
		}
	}
	return next;
}

void omx_wait_prepare(struct mx_endpoint *ep, uint64_t now, uint64_t deadline,
		      struct omx_wait *w)
{
	uint64_t next = omx_next_deadline(ep, now);
	int64_t delay;

	if (deadline && (!next || deadline < next))
		next = deadline;
	/* bounded, so that a wakeup eaten by another sleeper costs little */
	delay = next ? (int64_t)(next - now) : 1000;
	if (delay > 1000)
		delay = 1000;
	if (delay < 0)
		delay = 0;
	memset(w, 0, sizeof(*w));
	w->exp_cons = ep->exp_cons;
	w->unexp_cons = ep->unexp_cons;
	w->timeout_ms = (uint32_t)delay;
}

int omx_sleep(struct mx_endpoint *ep, uint64_t deadline, unsigned int wakeups)
{
	struct omx_wait w;
	uint64_t now = omx_now_ms();
	int ret = 0;

	if (__atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE) != wakeups)
		return 1;
	omx_wait_prepare(ep, now, deadline, &w);
	ep->waiters++;
	pthread_mutex_unlock(&ep->lock);
	/* wakeups are told by the counter: the status may be another thread's */
	if (ioctl(ep->dev.fd, OMX_CMD_WAIT_EVENT, &w) < 0 && errno == ENODEV)
		ep->dead = true;
	pthread_mutex_lock(&ep->lock);
	ep->waiters--;
	if (__atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE) != wakeups)
		ret = 1;
	return ret;
}
