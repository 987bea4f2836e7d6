/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Progression: consuming the two event rings, running the timers of the
 * partners and connects, sleeping in the driver, and the request
 * plumbing (allocation, completion, segment lists) the API files share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"

bool omx_match(uint64_t a, uint64_t b, uint64_t mask)
{
	return ((a ^ b) & mask) == 0;
}

/* Requests kept per endpoint for reuse: no allocation per message. */
#define OMX_REQ_CACHE_MAX	256

struct omx_req *omx_req_alloc(struct mx_endpoint *ep, enum omx_req_type type)
{
	struct omx_req *r = ep->req_cache;

	if (r) {
		ep->req_cache = r->cache_next;
		ep->req_cached--;
		memset(r, 0, sizeof(union mx_request));
	} else {
		r = calloc(1, sizeof(union mx_request));
		if (!r)
			return NULL;
	}
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
	struct mx_endpoint *ep = r->ep;

	omx_region_put(ep, r->region);
	omx_list_del(&r->link);
	omx_list_del(&r->done_link);
	if (r->segs != &r->seg1)
		free(r->segs);
	/* a stale handle of the application sees no magic either way */
	r->magic = 0;
	if (ep->req_cached < OMX_REQ_CACHE_MAX) {
		r->cache_next = ep->req_cache;
		ep->req_cache = r;
		ep->req_cached++;
		return;
	}
	free(r);
}

void omx_req_cache_free(struct mx_endpoint *ep)
{
	struct omx_req *r;

	while ((r = ep->req_cache)) {
		ep->req_cache = r->cache_next;
		free(r);
	}
	ep->req_cached = 0;
}

void omx_req_free_list(struct omx_list *head)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, head)
		omx_req_free(omx_container_of(pos, struct omx_req, link));
}

void omx_req_release(struct omx_req *r)
{
	if (r->state & OMX_REQ_ZOMBIE) {
		omx_list_del(&r->done_link);
		r->state &= ~OMX_REQ_DONE;
		r->state |= OMX_REQ_FORGOTTEN;
		return;
	}
	omx_req_free(r);
}

/* The transport is done with a zombie: its status was told long ago. */
static void omx_zombie_end(struct mx_endpoint *ep, struct omx_req *r, mx_status_code_t code)
{
	r->state &= ~OMX_REQ_ZOMBIE;
	ep->zombies--;
	if (code != MX_STATUS_SUCCESS)
		ep->stats.zombies_failed++;
	if (r->state & OMX_REQ_FORGOTTEN)
		omx_req_free(r);
}

void omx_req_complete(struct mx_endpoint *ep, struct omx_req *r, mx_status_code_t code)
{
	struct omx_partner *p = r->partner;

	/* completing twice would put it twice in the done list */
	if ((r->state & OMX_REQ_DONE) && !(r->state & OMX_REQ_ZOMBIE))
		return;
	omx_list_del(&r->link);
	if (r->type == OMX_REQ_SEND && p && (r->state & OMX_REQ_SENT) &&
	    !(r->state & OMX_REQ_ACKED)) {
		if (p->frames_in_flight >= r->nframes)
			p->frames_in_flight -= r->nframes;
		else
			p->frames_in_flight = 0;
	}
	if (r->state & OMX_REQ_ZOMBIE) {
		omx_zombie_end(ep, r, code);
		return;
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
	/* frames kept ahead of a gap that this event filled */
	if (!omx_list_empty(&ep->ooo_ready))
		omx_ooo_replay(ep);
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

void omx_timer_at(struct mx_endpoint *ep, uint64_t t)
{
	if (!ep->timer_next || t < ep->timer_next)
		ep->timer_next = t;
}

void omx_partner_arm(struct omx_partner *p, uint64_t t)
{
	if (!p->active) {
		p->active = true;
		omx_list_add_tail(&p->active_link, &p->ep->active);
	}
	omx_timer_at(p->ep, t);
}

static bool omx_partner_idle(const struct omx_partner *p)
{
	return omx_list_empty(&p->unacked) && omx_list_empty(&p->waiting) &&
	       omx_list_empty(&p->notifywait) &&
	       !p->ack_deadline_ms;
}

/*
 * Runs the due timers: connects, then only the partners that have any.
 * Handlers called from here re-arm what they schedule, so timer_next is
 * recomputed from scratch.
 */
static void omx_timers(struct mx_endpoint *ep, uint64_t now)
{
	struct omx_list *pos, *tmp;
	uint64_t next = 0;

	ep->timer_next = 0;
	omx_connect_timers(ep, now, &next);
	omx_list_for_each_safe(pos, tmp, &ep->active) {
		struct omx_partner *p = omx_container_of(pos, struct omx_partner, active_link);

		omx_send_timers(p, now, &next);
		if (omx_partner_idle(p)) {
			omx_list_del(&p->active_link);
			p->active = false;
		}
	}
	if (next)
		omx_timer_at(ep, next);
}

/*
 * The endpoint whose unexpected handler (or matching callback) this
 * thread is running, with that endpoint's lock held by the progression
 * round below it; NULL outside handlers.  Thread-local, so no other
 * thread ever reads it.  Initial-exec: read without a call to
 * __tls_get_addr (the library is linked at start or dlopen'ed early, and
 * one pointer fits glibc's spare static TLS).
 */
static _Thread_local struct mx_endpoint *omx_handler_ep
	__attribute__((tls_model("initial-exec")));

/*
 * The fast path reads ep->in_handlers first: zero means no handler of
 * @ep runs anywhere, so this thread is in none and takes the lock,
 * without reading its TLS.  Nonzero (a handler runs, the lock is held)
 * sends it to the TLS test.  A thread sees its own increments, so the
 * handler's thread never takes the lock it already holds; the count is
 * changed only with the lock held, so lock and unlock decide alike.
 */
static bool omx_lock_skipped(const struct mx_endpoint *ep)
{
	return __atomic_load_n(&ep->in_handlers, __ATOMIC_RELAXED) && omx_handler_ep == ep;
}

void omx_ep_lock(struct mx_endpoint *ep)
{
	if (!omx_lock_skipped(ep))
		pthread_mutex_lock(&ep->lock);
}

void omx_ep_unlock(struct mx_endpoint *ep)
{
	if (!omx_lock_skipped(ep))
		pthread_mutex_unlock(&ep->lock);
}

bool omx_in_handler(const struct mx_endpoint *ep)
{
	return omx_lock_skipped(ep);
}

struct mx_endpoint *omx_handler_enter(struct mx_endpoint *ep)
{
	struct mx_endpoint *prev = omx_handler_ep;

	__atomic_store_n(&ep->in_handlers, ep->in_handlers + 1, __ATOMIC_RELAXED);
	omx_handler_ep = ep;
	return prev;
}

void omx_handler_exit(struct mx_endpoint *ep, struct mx_endpoint *prev)
{
	omx_handler_ep = prev;
	__atomic_store_n(&ep->in_handlers, ep->in_handlers - 1, __ATOMIC_RELAXED);
}

void omx_progress(struct mx_endpoint *ep)
{
	uint64_t now;

	/* an unexpected handler calling back into the API must not re-enter */
	if (ep->dead || !ep->map || ep->progressing)
		return;
	ep->progressing = true;
	/* written and read under the lock: no locked bus cycle per poll */
	if (!ep->in_thread)
		ep->app_progress++;
	omx_consume(ep, ep->exp_ring, OMX_EXP_EVENTS, &ep->ctrl->exp_prod, &ep->ctrl->exp_cons,
		    &ep->exp_cons, false);
	omx_consume(ep, ep->unexp_ring, OMX_UNEXP_EVENTS, &ep->ctrl->unexp_prod,
		    &ep->ctrl->unexp_cons, &ep->unexp_cons, true);
	if (!omx_list_empty(&ep->pull_wait))
		omx_pull_retry(ep);
	/* the clock is read only while some timer exists */
	if (ep->timer_next) {
		now = omx_now_ms();
		if (now >= ep->timer_next)
			omx_timers(ep, now);
	}
	ep->progressing = false;
}

uint64_t omx_next_deadline(struct mx_endpoint *ep, uint64_t now)
{
	uint64_t next = ep->timer_next;

	/* receives waiting for a pull slot or a region: try again soon */
	if (!omx_list_empty(&ep->pull_wait) && (!next || now + 10 < next))
		next = now + 10;
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
	/*
	 * A blocking call from the unexpected handler: the lock belongs to
	 * the progression round the handler runs in and nothing can
	 * progress until it returns, so the call gives up at once, as if
	 * woken by mx_wakeup (docs/mx-api.md, "Threads").
	 */
	if (omx_in_handler(ep))
		return 1;
	omx_wait_prepare(ep, now, deadline, &w);
	ep->waiters++;
	pthread_mutex_unlock(&ep->lock);
	/* wakeups are told by the counter: the status may be another thread's */
	if (omx_drv_wait_event(ep->dev.fd, &w) < 0 && errno == ENODEV)
		ep->dead = true;
	pthread_mutex_lock(&ep->lock);
	ep->waiters--;
	if (__atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE) != wakeups)
		ret = 1;
	return ret;
}
