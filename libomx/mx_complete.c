/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Completion: mx_test/mx_wait and their _any forms, mx_ipeek/mx_peek,
 * mx_ibuffered/mx_buffered, mx_cancel, mx_forget, mx_context and
 * mx_set_request_timeout.  Blocking calls sleep in the driver between
 * progression rounds (omx_sleep), never spin; those with a timeout (and
 * mx_probe) share one loop, omx_block_until.
 */
#include <string.h>
#include <time.h>

#include "omx_mx.h"
#include "omx_sde.h"

/* Locked.  The request behind *@request if it belongs to @ep, else NULL. */
static struct omx_req *omx_req_of(struct mx_endpoint *ep, mx_request_t *request)
{
	struct omx_req *r;

	if (!request || !*request)
		return NULL;
	r = &(*request)->req;
	if (r->magic != OMX_REQ_MAGIC || r->ep != ep || (r->state & OMX_REQ_FORGOTTEN))
		return NULL;
	return r;
}

/* Hands a done request's status to the caller and frees it. */
static void omx_req_reap(struct omx_req *r, mx_status_t *status)
{
	if (r->type == OMX_REQ_RECV && (r->status.code == MX_STATUS_SUCCESS ||
					r->status.code == MX_STATUS_TRUNCATED))
		omx_sde_add(OMX_SDE_MESSAGES_RECEIVED, 1);
	if (status)
		*status = r->status;
	omx_req_release(r);
}

void omx_wait_request(struct mx_endpoint *ep, struct omx_req *r, mx_status_t *st)
{
	unsigned int wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);

	for (;;) {
		omx_progress(ep);
		if (r->state & OMX_REQ_DONE)
			break;
		if (ep->dead) {
			omx_req_complete(ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
			break;
		}
		omx_sleep(ep, 0, wakeups);
		wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	}
	omx_req_reap(r, st);
}

#define OMX_CHECK_REQ(ep, request, fn)						\
	do {									\
		if (!omx_req_of(ep, request)) {					\
			pthread_mutex_unlock(&(ep)->lock);			\
			return omx_error(ep, MX_BAD_REQUEST,			\
					 "%s: not a pending request of this endpoint", fn); \
		}								\
	} while (0)

mx_return_t mx_test(mx_endpoint_t ep, mx_request_t *request, mx_status_t *status,
		    uint32_t *result)
{
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_test");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_test: result is NULL");
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_test");
	r = omx_req_of(ep, request);
	omx_progress(ep);
	*result = 0;
	if (r->state & OMX_REQ_DONE) {
		omx_req_reap(r, status);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

uint64_t omx_deadline(uint32_t timeout)
{
	struct timespec res;
	uint64_t tick = 10;

	if (timeout == MX_INFINITE)
		return 0;
	/* the coarse clock may lag by one tick: never end a wait early */
	if (clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0)
		tick = (uint64_t)res.tv_sec * 1000 + ((uint64_t)res.tv_nsec + 999999) / 1000000;
	return omx_now_ms() + timeout + tick;
}

bool omx_block_until(struct mx_endpoint *ep, uint64_t deadline, unsigned int wakeups,
		     bool (*ready)(struct mx_endpoint *ep, void *arg), void *arg)
{
	for (;;) {
		omx_progress(ep);
		if (ready(ep, arg))
			return true;
		if (ep->dead || (deadline && omx_now_ms() >= deadline))
			return false;
		if (omx_sleep(ep, deadline, wakeups))
			return false;
	}
}

static bool omx_req_done(struct mx_endpoint *ep, void *r)
{
	(void)ep;
	return ((struct omx_req *)r)->state & OMX_REQ_DONE;
}

mx_return_t mx_wait(mx_endpoint_t ep, mx_request_t *request, uint32_t timeout,
		    mx_status_t *status, uint32_t *result)
{
	uint64_t deadline = omx_deadline(timeout);
	unsigned int wakeups;
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_wait");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_wait: result is NULL");
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_wait");
	r = omx_req_of(ep, request);
	*result = 0;
	if (omx_block_until(ep, deadline, wakeups, omx_req_done, r)) {
		omx_req_reap(r, status);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

static struct omx_req *omx_find_done(struct mx_endpoint *ep, uint64_t info, uint64_t mask)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &ep->done) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, done_link);

		if (omx_match(r->status.match_info, info, mask))
			return r;
	}
	return NULL;
}

/* What mx_wait_any looks for, and what it found. */
struct omx_any {
	uint64_t info, mask;
	struct omx_req *found;
};

static bool omx_any_done(struct mx_endpoint *ep, void *arg)
{
	struct omx_any *any = arg;

	any->found = omx_find_done(ep, any->info, any->mask);
	return any->found != NULL;
}

static mx_return_t omx_check_any_mask(struct mx_endpoint *ep, uint64_t info, uint64_t mask,
				      const char *fn)
{
	if ((mask & ep->ctx_mask) != ep->ctx_mask)
		return omx_error(ep, MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK,
				 "%s: the match mask must cover all context id bits", fn);
	if (info & ~mask)
		return omx_error(ep, MX_BAD_MATCH_MASK,
				 "%s: match info has bits outside the mask", fn);
	return MX_SUCCESS;
}

mx_return_t mx_test_any(mx_endpoint_t ep, uint64_t match_info, uint64_t match_mask,
			mx_status_t *status, uint32_t *result)
{
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_test_any");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_test_any: result is NULL");
	ret = omx_check_any_mask(ep, match_info, match_mask, "mx_test_any");
	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	omx_progress(ep);
	r = omx_find_done(ep, match_info, match_mask);
	*result = r != NULL;
	if (r)
		omx_req_reap(r, status);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_wait_any(mx_endpoint_t ep, uint32_t timeout, uint64_t match_info,
			uint64_t match_mask, mx_status_t *status, uint32_t *result)
{
	uint64_t deadline = omx_deadline(timeout);
	unsigned int wakeups;
	struct omx_any any = { .info = match_info, .mask = match_mask };
	mx_return_t ret = omx_check_ep(ep, "mx_wait_any");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_wait_any: result is NULL");
	ret = omx_check_any_mask(ep, match_info, match_mask, "mx_wait_any");
	if (ret != MX_SUCCESS)
		return ret;
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	omx_ep_lock(ep);
	*result = 0;
	if (omx_block_until(ep, deadline, wakeups, omx_any_done, &any)) {
		omx_req_reap(any.found, status);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

static bool omx_some_done(struct mx_endpoint *ep, void *arg)
{
	(void)arg;
	return !omx_list_empty(&ep->done);
}

mx_return_t mx_ipeek(mx_endpoint_t ep, mx_request_t *request, uint32_t *result)
{
	mx_return_t ret = omx_check_ep(ep, "mx_ipeek");

	if (ret != MX_SUCCESS)
		return ret;
	if (!request || !result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_ipeek: request and result must not be NULL");
	omx_ep_lock(ep);
	omx_progress(ep);
	*result = 0;
	if (!omx_list_empty(&ep->done)) {
		*request = (mx_request_t)omx_container_of(ep->done.next, struct omx_req, done_link);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_peek(mx_endpoint_t ep, uint32_t timeout, mx_request_t *request,
		    uint32_t *result)
{
	uint64_t deadline = omx_deadline(timeout);
	unsigned int wakeups;
	mx_return_t ret = omx_check_ep(ep, "mx_peek");

	if (ret != MX_SUCCESS)
		return ret;
	if (!request || !result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_peek: request and result must not be NULL");
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	omx_ep_lock(ep);
	*result = 0;
	if (omx_block_until(ep, deadline, wakeups, omx_some_done, NULL)) {
		*request = (mx_request_t)omx_container_of(ep->done.next, struct omx_req, done_link);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

/*
 * Buffered: an eager send whose data the peer library holds, or anything
 * done.  A large send's buffer is read until the NOTIFY: done only.
 */
static bool omx_is_buffered(struct omx_req *r)
{
	return (r->state & OMX_REQ_DONE) ||
	       (r->type == OMX_REQ_SEND && r->kind == OMX_SEND_EAGER &&
		(r->state & OMX_REQ_ACKED));
}

static bool omx_req_buffered(struct mx_endpoint *ep, void *request)
{
	return omx_is_buffered(omx_req_of(ep, request));
}

mx_return_t mx_ibuffered(mx_endpoint_t ep, mx_request_t *request, uint32_t *result)
{
	mx_return_t ret = omx_check_ep(ep, "mx_ibuffered");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_ibuffered: result is NULL");
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_ibuffered");
	omx_progress(ep);
	*result = omx_is_buffered(omx_req_of(ep, request));
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_buffered(mx_endpoint_t ep, mx_request_t *request, uint32_t timeout,
			uint32_t *result)
{
	uint64_t deadline = omx_deadline(timeout);
	unsigned int wakeups;
	mx_return_t ret = omx_check_ep(ep, "mx_buffered");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_buffered: result is NULL");
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_buffered");
	*result = omx_block_until(ep, deadline, wakeups, omx_req_buffered, request);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_cancel(mx_endpoint_t ep, mx_request_t *request, uint32_t *result)
{
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_cancel");

	if (ret != MX_SUCCESS)
		return ret;
	if (!result)
		return omx_error(ep, MX_BAD_PARAM_VAL, "mx_cancel: result is NULL");
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_cancel");
	r = omx_req_of(ep, request);
	*result = 0;
	/* only what the network has not touched yet: unmatched receives, connects */
	if (!(r->state & (OMX_REQ_DONE | OMX_REQ_PULLING)) &&
	    (r->type == OMX_REQ_RECV || r->type == OMX_REQ_CONNECT)) {
		omx_req_free(r);
		*result = 1;
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_forget(mx_endpoint_t ep, mx_request_t *request)
{
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_forget");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	OMX_CHECK_REQ(ep, request, "mx_forget");
	r = omx_req_of(ep, request);
	if (r->state & OMX_REQ_DONE)
		omx_req_release(r);
	else
		r->state |= OMX_REQ_FORGOTTEN;
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_context(mx_request_t *request, void **context)
{
	struct omx_req *r;

	if (!request || !*request || !context)
		return omx_error(NULL, MX_BAD_REQUEST, "mx_context: request and context must not be NULL");
	r = &(*request)->req;
	if (r->magic != OMX_REQ_MAGIC)
		return omx_error(NULL, MX_BAD_REQUEST, "mx_context: not a pending request");
	*context = r->status.context;
	return MX_SUCCESS;
}

mx_return_t mx_set_request_timeout(mx_endpoint_t ep, mx_request_t request, uint32_t ms)
{
	struct omx_req *r;
	mx_return_t ret = omx_check_ep(ep, "mx_set_request_timeout");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	if (!request) {
		ep->request_timeout_ms = ms ? ms : omx_config.request_timeout_ms;
		omx_ep_unlock(ep);
		return MX_SUCCESS;
	}
	r = omx_req_of(ep, &request);
	if (!r) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_BAD_REQUEST,
				 "mx_set_request_timeout: not a pending request of this endpoint");
	}
	r->timeout_ms = ms ? ms : omx_config.request_timeout_ms;
	if (r->type == OMX_REQ_CONNECT) {
		r->deadline_ms = r->start_ms + r->timeout_ms;
		omx_timer_at(ep, r->deadline_ms);
	} else if (r->type == OMX_REQ_SEND && r->partner) {
		omx_partner_arm(r->partner, r->start_ms + r->timeout_ms);
	}
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}
