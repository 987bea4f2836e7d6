/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MX endpoints: opening (board and endpoint wildcards, parameters),
 * mapping the rings, the progression thread, closing, mx_wakeup and the
 * unexpected handlers.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "omx_mx.h"
#include "omx_sde.h"
#include "omx_wire_codec.h"

static mx_return_t omx_parse_params(struct mx_endpoint *ep, mx_param_t *params,
				    uint32_t count)
{
	uint32_t i;

	if (count && !params)
		return omx_error(NULL, MX_BAD_PARAM_LIST,
				 "mx_open_endpoint: params_array is NULL but params_count is %u", count);
	for (i = 0; i < count; i++) {
		switch (params[i].key) {
		case MX_PARAM_ERROR_HANDLER:
			ep->handler = params[i].val.error_handler;
			break;
		case MX_PARAM_UNEXP_QUEUE_MAX:
			if (!params[i].val.unexp_queue_max)
				return omx_error(NULL, MX_BAD_PARAM_VAL,
						 "mx_open_endpoint: unexp_queue_max must be at least 1");
			ep->unexp_queue_max = params[i].val.unexp_queue_max;
			break;
		case MX_PARAM_CONTEXT_ID:
			if (params[i].val.context_id.bits > MX_CONTEXT_ID_BITS_MAX ||
			    params[i].val.context_id.bits + params[i].val.context_id.shift > 64)
				return omx_error(NULL, MX_BAD_PARAM_VAL,
						 "mx_open_endpoint: context id of %u bits at shift %u does not fit (at most %u bits within 64)",
						 params[i].val.context_id.bits,
						 params[i].val.context_id.shift, MX_CONTEXT_ID_BITS_MAX);
			ep->ctx_bits = params[i].val.context_id.bits;
			ep->ctx_shift = params[i].val.context_id.shift;
			ep->ctx_mask = ep->ctx_bits ?
				(((uint64_t)1 << ep->ctx_bits) - 1) << ep->ctx_shift : 0;
			if (ep->ctx_bits == 64)
				ep->ctx_mask = ~(uint64_t)0;
			break;
		default:
			return omx_error(NULL, MX_BAD_PARAM_NAME,
					 "mx_open_endpoint: unknown parameter key %d",
					 (int)params[i].key);
		}
	}
	return MX_SUCCESS;
}

/* why the last open failed, when the status code alone cannot say it */
static __thread char omx_open_why[OMX_LIB_ERRMSG_LEN];

/*
 * A failure of the system rather than of the request (no memory, no file
 * descriptor left) is MX_NO_RESOURCES, whatever step it hit; before, a
 * failed open(2) of /dev/omx under memory pressure read as
 * MX_BAD_KERNEL_VERSION.
 */
static bool omx_errno_is_resource(int err)
{
	return err == ENOMEM || err == EMFILE || err == ENFILE || err == ENOSPC ||
	       err == EAGAIN;
}

static void omx_open_keep_why(const struct omx_lib_dev *dev)
{
	snprintf(omx_open_why, sizeof(omx_open_why), "%s", omx_lib_errmsg(dev));
}

/* Opens endpoint @eid of @board on ep->dev; MX code on failure. */
static mx_return_t omx_try_open(struct mx_endpoint *ep, uint32_t board, uint32_t eid)
{
	enum omx_lib_status st;

	st = omx_lib_open(&ep->dev, OMX_DEVICE_PATH);
	if (st != OMX_LIB_SUCCESS) {
		omx_open_keep_why(&ep->dev);
		switch (st) {
		case OMX_LIB_NO_DRIVER:
			return MX_NO_DRIVER;
		case OMX_LIB_ACCESS_DENIED:
			return MX_NO_PERM;
		case OMX_LIB_SYSTEM_ERROR:
			if (omx_errno_is_resource(ep->dev.sys_errno))
				return MX_NO_RESOURCES;
			return MX_BAD_KERNEL_VERSION;
		default:
			return MX_BAD_KERNEL_VERSION;
		}
	}
	st = omx_lib_open_endpoint_flags(&ep->dev, board, eid,
					 omx_config.disable_shared ? OMX_ENDPOINT_OPEN_NO_SHARED : 0);
	if (st == OMX_LIB_SUCCESS)
		return MX_SUCCESS;
	if (st != OMX_LIB_BUSY && st != OMX_LIB_BAD_INDEX && st != OMX_LIB_NO_SUCH_BOARD)
		omx_open_keep_why(&ep->dev);
	omx_lib_close(&ep->dev);
	switch (st) {
	case OMX_LIB_BUSY:
		return MX_BUSY;
	case OMX_LIB_BAD_INDEX:
		return MX_BAD_ENDPOINT_ID;
	case OMX_LIB_NO_SUCH_BOARD:
		return MX_BOARD_UNKNOWN;
	default:
		return MX_NO_RESOURCES;
	}
}

static mx_return_t omx_open_any(struct mx_endpoint *ep, uint32_t board, uint32_t eid)
{
	struct omx_board_info bi;
	uint32_t b, e, bfirst, blast;
	mx_return_t ret = MX_BOARD_UNKNOWN, r;

	if (board == MX_ANY_NIC) {
		bfirst = 0;
		blast = OMX_MAX_BOARDS - 1;
	} else {
		if (board >= OMX_MAX_BOARDS)
			return MX_BOARD_UNKNOWN;
		bfirst = blast = board;
	}
	for (b = bfirst; b <= blast; b++) {
		if (omx_lib_get_board_info(&omx_global_dev, b, &bi) != OMX_LIB_SUCCESS)
			continue;
		if (eid != MX_ANY_ENDPOINT) {
			if (eid >= bi.endpoint_max)
				return MX_BAD_ENDPOINT_ID;
			return omx_try_open(ep, b, eid);
		}
		for (e = 0; e < bi.endpoint_max; e++) {
			r = omx_try_open(ep, b, e);
			if (r == MX_SUCCESS)
				return r;
			if (r != MX_BUSY)
				return r;
		}
		ret = MX_NO_RESOURCES;
	}
	return ret;
}

/* how long the thread naps while the program progresses the endpoint */
#define OMX_THREAD_NAP_MS	10

static void *omx_progression_thread(void *arg);

/* Our board's index in the peer table: partners there with our index are us. */
static uint32_t omx_self_peer(struct mx_endpoint *ep)
{
	struct omx_peer_lookup lk;

	memset(&lk, 0, sizeof(lk));
	lk.flags = OMX_PEER_LOOKUP_CREATE;
	memcpy(lk.mac, ep->info.mac, 6);
	if (omx_drv_peer_lookup(ep->dev.fd, &lk) < 0)
		return OMX_PEER_INDEX_NONE;
	return lk.peer_index;
}

mx_return_t mx_open_endpoint(uint32_t board_number, uint32_t endpoint_id,
			     uint32_t endpoint_key, mx_param_t *params_array,
			     uint32_t params_count, mx_endpoint_t *endpoint)
{
	struct mx_endpoint *ep;
	mx_return_t ret;

	if (!__atomic_load_n(&omx_initialized, __ATOMIC_ACQUIRE))
		return omx_error(NULL, MX_NOT_INITIALIZED, "mx_open_endpoint: call mx_init() first");
	if (!endpoint)
		return omx_error(NULL, MX_BAD_ENDPOINT, "mx_open_endpoint: endpoint pointer is NULL");
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return omx_error(NULL, MX_NO_RESOURCES, "mx_open_endpoint: out of memory");
	ep->dev.fd = -1;
	ep->unexp_queue_max = omx_config.unexp_queue_max;
	ep->request_timeout_ms = omx_config.request_timeout_ms;
	ret = omx_parse_params(ep, params_array, params_count);
	if (ret != MX_SUCCESS) {
		free(ep);
		return ret;
	}
	ep->scratch = malloc(OMX_RECVQ_SLOT_LEN);
	if (!ep->scratch) {
		free(ep);
		return omx_error(NULL, MX_NO_RESOURCES, "mx_open_endpoint: out of memory");
	}

	omx_open_why[0] = '\0';
	pthread_mutex_lock(&omx_global_lock);
	ret = omx_open_any(ep, board_number, endpoint_id);
	pthread_mutex_unlock(&omx_global_lock);
	if (ret != MX_SUCCESS) {
		mx_error_handler_t h = ep->handler;

		free(ep->scratch);
		free(ep);
		ep = NULL;
		if (h)
			return h((char *)"mx_open_endpoint failed", ret);
		switch (ret) {
		case MX_BUSY:
			return omx_error(NULL, ret, "mx_open_endpoint: endpoint %u of board %u is already open; pick another id or MX_ANY_ENDPOINT",
					 endpoint_id, board_number);
		case MX_BAD_ENDPOINT_ID:
			return omx_error(NULL, ret, "mx_open_endpoint: endpoint id %u is out of range for board %u (see omx_info)",
					 endpoint_id, board_number);
		case MX_BOARD_UNKNOWN:
			return omx_error(NULL, ret, "mx_open_endpoint: no board %u attached (see omx_info)",
					 board_number);
		case MX_NO_RESOURCES:
			if (omx_open_why[0])
				return omx_error(NULL, ret, "mx_open_endpoint: %s", omx_open_why);
			return omx_error(NULL, ret, "mx_open_endpoint: every endpoint of the board is in use");
		default:
			if (omx_open_why[0])
				return omx_error(NULL, ret, "mx_open_endpoint: %s", omx_open_why);
			return omx_error(NULL, ret, "mx_open_endpoint: cannot open the omx device");
		}
	}

	if (omx_lib_get_endpoint_info(&ep->dev, &ep->info) != OMX_LIB_SUCCESS)
		goto fail_dev;
	ep->map = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED,
		       ep->dev.fd, 0);
	if (ep->map == MAP_FAILED) {
		ep->map = NULL;
		goto fail_dev;
	}
	ep->ctrl = (struct omx_ring_ctrl *)((char *)ep->map + OMX_CTRL_OFFSET);
	ep->exp_ring = (const struct omx_event *)((char *)ep->map + OMX_EXP_EVENTQ_OFFSET);
	ep->unexp_ring = (const struct omx_event *)((char *)ep->map + OMX_UNEXP_EVENTQ_OFFSET);
	ep->recvq = (const uint8_t *)ep->map + OMX_RECVQ_OFFSET;
	ep->exp_cons = __atomic_load_n(&ep->ctrl->exp_cons, __ATOMIC_ACQUIRE);
	ep->unexp_cons = __atomic_load_n(&ep->ctrl->unexp_cons, __ATOMIC_ACQUIRE);
	/*
	 * info.mtu is the Linux MTU the driver sized this endpoint's
	 * fragments from: cut and reassemble with the very same size. Below
	 * OMX_MTU_MIN (the board warns mtu_too_small) no size fits 32 KiB in
	 * 32 fragments and the driver refuses medium sends.
	 */
	ep->frag_len = omx_wire_medium_frag_len(ep->info.mtu);
	if (ep->frag_len < OMX_MEDIUM_FRAG_LEN_MIN || ep->frag_len > OMX_RECVQ_SLOT_LEN)
		ep->frag_len = OMX_MEDIUM_FRAG_LEN_MIN;
	ep->nic_id = omx_mac_to_nic_id(ep->info.mac);
	ep->key = endpoint_key;

	pthread_mutex_init(&ep->lock, NULL);
	pthread_cond_init(&ep->cond, NULL);
	omx_list_init(&ep->recvs);
	omx_list_init(&ep->unexp);
	omx_list_init(&ep->connects);
	omx_list_init(&ep->active);
	omx_list_init(&ep->ooo_ready);
	omx_list_init(&ep->done);
	omx_list_init(&ep->pulling);
	omx_list_init(&ep->pull_wait);
	omx_list_init(&ep->selfsends);
	ep->self_peer = omx_self_peer(ep);
	ep->magic = OMX_ENDPOINT_MAGIC;

	/* before the progression thread: it inherits the process's binding */
	omx_binding_endpoint_open(ep);
	if (omx_config.progression) {
		if (pthread_create(&ep->thread, NULL, omx_progression_thread, ep) == 0)
			ep->thread_running = true;
	}
	pthread_mutex_lock(&omx_global_lock);
	omx_list_add_tail(&ep->ep_link, &omx_endpoints);
	pthread_mutex_unlock(&omx_global_lock);
	*endpoint = ep;
	return MX_SUCCESS;

fail_dev:
	ret = omx_error(NULL, MX_NO_RESOURCES, "mx_open_endpoint: cannot map the endpoint rings: %s",
			ep->dev.errmsg[0] ? ep->dev.errmsg : strerror(errno));
	omx_lib_close(&ep->dev);
	free(ep->scratch);
	free(ep);
	return ret;
}

/* Sleeps on the endpoint's condition for @ms (lock held, released meanwhile). */
static void omx_thread_nap(struct mx_endpoint *ep, uint64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&ep->cond, &ep->lock, &ts);
}

/*
 * Sleeps in the driver (lock released meanwhile) until an event beyond
 * @w's consumer indexes, @w's timeout or a wakeup.
 */
static void omx_thread_wait(struct mx_endpoint *ep, struct omx_wait *w)
{
	pthread_mutex_unlock(&ep->lock);
	if (omx_drv_wait_event(ep->dev.fd, w) < 0) {
		pthread_mutex_lock(&ep->lock);
		if (errno == ENODEV)
			ep->dead = true;
		return;
	}
	pthread_mutex_lock(&ep->lock);
	if (w->status == OMX_WAIT_WAKEUP && ep->waiters) {
		/* the wakeup was meant for an application waiter */
		omx_drv_wakeup(ep->dev.fd);
		omx_thread_nap(ep, 20);
	}
}

/*
 * The progression thread keeps acks, retransmissions, connects, pulls
 * and NOTIFYs going while the application computes.  Its schedule
 * (docs/mx-api.md, "Threads") is decided by a counter, not a clock: at
 * each wake-up it compares ep->app_progress, the progression rounds
 * made by application threads, with the value it saw at its previous
 * wake-up.
 *  - Unchanged: nobody progressed the endpoint meanwhile.  The thread
 *    takes the lock, progresses the endpoint and sleeps in the driver
 *    until an event it has not consumed, the endpoint's next deadline
 *    or a wakeup.
 *  - Changed: an application thread is progressing the endpoint itself
 *    (polling with mx_test, or blocked in mx_wait).  The thread leaves
 *    the lock and the events to it and naps OMX_THREAD_NAP_MS without
 *    waking on events.  Taking the lock and the events from a polling
 *    application would cost it a context switch or two per message, and
 *    so would merely waking on each of its events to read the counter.
 */
static void *omx_progression_thread(void *arg)
{
	struct mx_endpoint *ep = arg;
	struct omx_wait w;
	uint64_t seen = 0, calls;

	pthread_mutex_lock(&ep->lock);
	while (!ep->thread_stop) {
		if (ep->progression_disabled || ep->dead) {
			pthread_cond_wait(&ep->cond, &ep->lock);
			continue;
		}
		calls = ep->app_progress;
		if (calls == seen) {
			ep->in_thread = true;
			omx_progress(ep);
			ep->in_thread = false;
			omx_wait_prepare(ep, omx_now_ms(), 0, &w);
			omx_thread_wait(ep, &w);
			continue;
		}
		seen = calls;
		/*
		 * The program is progressing the endpoint itself: nap without
		 * waking on its events (each wake-up would be a context switch
		 * per message on the program's CPU: +57 us per 0-byte one-way
		 * message in the testbed) and look at the counter again.
		 */
		omx_thread_nap(ep, OMX_THREAD_NAP_MS);
	}
	pthread_mutex_unlock(&ep->lock);
	return NULL;
}

/*
 * Sends the acks the endpoint owes before it goes: a message taken but
 * acked only after OMX_ACK_DELAY_MS would otherwise be resent to a closed
 * endpoint, whose driver NACKs it, and its sender would report a
 * delivered message as failed.
 */
static void omx_flush_acks(struct mx_endpoint *ep)
{
	struct omx_list *pos, *tmp;

	if (ep->dead)
		return;
	/* a partner owing an ack has its deadline, so it is active */
	omx_list_for_each_safe(pos, tmp, &ep->active) {
		struct omx_partner *p = omx_container_of(pos, struct omx_partner, active_link);

		if (!p->self && (p->unacked_recv || p->ack_deadline_ms))
			omx_send_ack_now(p);
	}
}

void omx_endpoint_close_locked(struct mx_endpoint *ep)
{
	struct omx_list *pos, *tmp;

	omx_req_free_list(&ep->recvs);
	omx_req_free_list(&ep->connects);
	omx_list_for_each_safe(pos, tmp, &ep->done)
		omx_req_free(omx_container_of(pos, struct omx_req, done_link));
	omx_req_free_list(&ep->pulling);
	omx_req_free_list(&ep->pull_wait);
	omx_req_free_list(&ep->selfsends);
	omx_list_for_each_safe(pos, tmp, &ep->unexp) {
		struct omx_unexp *u = omx_container_of(pos, struct omx_unexp, link);

		omx_list_del(&u->link);
		omx_unexp_free(u);
	}
	omx_partner_free_all(ep);
	omx_req_cache_free(ep);
	omx_regions_free(ep);
}

mx_return_t mx_close_endpoint(mx_endpoint_t ep)
{
	mx_return_t ret = omx_check_ep(ep, "mx_close_endpoint");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	if (omx_in_handler(ep)) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_CLOSE_IN_HANDLER,
				 "mx_close_endpoint: cannot close an endpoint from its unexpected handler");
	}
	ep->thread_stop = true;
	pthread_cond_broadcast(&ep->cond);
	omx_ep_unlock(ep);
	if (ep->thread_running) {
		omx_drv_wakeup(ep->dev.fd);
		pthread_join(ep->thread, NULL);
	}
	pthread_mutex_lock(&omx_global_lock);
	omx_sde_endpoint_closing(ep);
	omx_list_del(&ep->ep_link);
	pthread_mutex_unlock(&omx_global_lock);
	omx_ep_lock(ep);
	omx_flush_acks(ep);
	ep->magic = 0;
	omx_endpoint_close_locked(ep);
	if (ep->map)
		munmap(ep->map, OMX_ENDPOINT_MMAP_LEN);
	omx_lib_close(&ep->dev);
	omx_ep_unlock(ep);
	pthread_mutex_destroy(&ep->lock);
	pthread_cond_destroy(&ep->cond);
	free(ep->scratch);
	free(ep);
	return MX_SUCCESS;
}

mx_return_t mx_wakeup(mx_endpoint_t ep)
{
	mx_return_t ret = omx_check_ep(ep, "mx_wakeup");

	if (ret != MX_SUCCESS)
		return ret;
	__atomic_add_fetch(&ep->wakeups, 1, __ATOMIC_ACQ_REL);
	if (omx_drv_wakeup(ep->dev.fd) < 0)
		return omx_error(ep, MX_BAD_ENDPOINT, "mx_wakeup: %s", strerror(errno));
	return MX_SUCCESS;
}

mx_return_t mx_disable_progression(mx_endpoint_t ep)
{
	mx_return_t ret = omx_check_ep(ep, "mx_disable_progression");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	ep->progression_disabled++;
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_reenable_progression(mx_endpoint_t ep)
{
	mx_return_t ret = omx_check_ep(ep, "mx_reenable_progression");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	if (!ep->progression_disabled) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_BAD_ENDPOINT,
				 "mx_reenable_progression: progression was not disabled");
	}
	ep->progression_disabled--;
	pthread_cond_broadcast(&ep->cond);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_progress(mx_endpoint_t ep)
{
	mx_return_t ret = omx_check_ep(ep, "mx_progress");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	omx_progress(ep);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_register_unexp_handler(mx_endpoint_t ep, mx_unexp_handler_t handler,
				      void *context)
{
	mx_return_t ret = omx_check_ep(ep, "mx_register_unexp_handler");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	ep->unexp_handler = handler;
	ep->unexp_handler_ctx = context;
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_register_unexp_callback(mx_endpoint_t ep, mx_matching_callback_t cb,
				       void *ctxt)
{
	mx_return_t ret = omx_check_ep(ep, "mx_register_unexp_callback");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	ep->unexp_callback = cb;
	ep->unexp_callback_ctx = ctxt;
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

mx_return_t mx_get_endpoint_addr(mx_endpoint_t ep, mx_endpoint_addr_t *addr)
{
	struct omx_partner *p;
	struct omx_peer_lookup lk;
	mx_return_t ret = omx_check_ep(ep, "mx_get_endpoint_addr");

	if (ret != MX_SUCCESS)
		return ret;
	if (!addr)
		return omx_error(ep, MX_BAD_ENDPOINT, "mx_get_endpoint_addr: addr is NULL");
	memset(&lk, 0, sizeof(lk));
	lk.flags = OMX_PEER_LOOKUP_CREATE;
	memcpy(lk.mac, ep->info.mac, 6);
	if (omx_drv_peer_lookup(ep->dev.fd, &lk) < 0)
		return omx_error(ep, MX_NO_RESOURCES,
				 "mx_get_endpoint_addr: our board is not in the peer table: %s",
				 strerror(errno));
	omx_ep_lock(ep);
	p = omx_partner_get(ep, (uint16_t)lk.peer_index, (uint8_t)ep->info.endpoint_index,
			    ep->nic_id);
	if (!p) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_NO_RESOURCES, "mx_get_endpoint_addr: out of memory");
	}
	if (!p->connected) {
		/* ourselves: the connect handshake will talk to us */
		p->session = ep->info.session_id;
		p->key = ep->key;
	}
	omx_partner_addr(p, addr);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}
