/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Partners (the remote endpoints we talk to), endpoint addresses and the
 * connect handshake: mx_connect, mx_iconnect, mx_disconnect and the
 * CONNECT request/reply events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"
#include "omx_wire_codec.h"

static unsigned int omx_partner_hash(uint16_t peer, uint8_t eid)
{
	return (peer * 31U + eid) % OMX_PARTNER_HASH;
}

struct omx_partner *omx_partner_find(struct mx_endpoint *ep, uint16_t peer, uint8_t eid)
{
	struct omx_partner *p;

	for (p = ep->hash[omx_partner_hash(peer, eid)]; p; p = p->hash_next)
		if (p->peer_index == peer && p->endpoint == eid)
			return p;
	return NULL;
}

void omx_partner_reset_recv(struct omx_partner *p)
{
	p->recv_ses = omx_ses_next(p->recv_ses);
	p->next_recv_seq = omx_seq_make(p->recv_ses, 0);
	p->unacked_recv = 0;
	p->ack_deadline_ms = 0;
	p->acknum_in = 0;
	free(p->partial.buf);
	memset(&p->partial, 0, sizeof(p->partial));
	p->nsync_marks = 0;
	omx_ooo_free(p);
}

/* Finds or creates the partner; @nic_id 0 asks the driver for the MAC. */
struct omx_partner *omx_partner_get(struct mx_endpoint *ep, uint16_t peer, uint8_t eid,
				    uint64_t nic_id)
{
	struct omx_partner *p = omx_partner_find(ep, peer, eid);
	unsigned int h;

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (!nic_id) {
		struct omx_peer_info pi;

		memset(&pi, 0, sizeof(pi));
		pi.peer_index = peer;
		if (omx_drv_get_peer_info(ep->dev.fd, &pi) == 0)
			nic_id = omx_mac_to_nic_id(pi.mac);
	}
	p->magic = OMX_PARTNER_MAGIC;
	p->ep = ep;
	p->peer_index = peer;
	p->endpoint = eid;
	p->nic_id = nic_id;
	omx_list_init(&p->unacked);
	omx_list_init(&p->waiting);
	omx_list_init(&p->notifywait);
	omx_list_init(&p->active_link);
	omx_list_init(&p->ready_link);
	p->cwnd = OMX_CWND_INIT;
	p->ssthresh = OMX_SEND_WINDOW_FRAMES;
	p->rto_ms = omx_config.resend_delay_ms;
	p->self = ep->self_peer == peer && ep->info.endpoint_index == eid;
	/* a random session number makes stale frames of an older us unlikely to fit */
	p->recv_ses = (uint16_t)(ep->info.session_id & 3);
	omx_partner_reset_recv(p);
	h = omx_partner_hash(peer, eid);
	p->hash_next = ep->hash[h];
	ep->hash[h] = p;
	return p;
}

void omx_partner_free_all(struct mx_endpoint *ep)
{
	struct omx_partner *p;
	unsigned int h;

	for (h = 0; h < OMX_PARTNER_HASH; h++) {
		while ((p = ep->hash[h])) {
			ep->hash[h] = p->hash_next;
			omx_req_free_list(&p->unacked);
			omx_req_free_list(&p->waiting);
			omx_req_free_list(&p->notifywait);
			omx_ooo_free(p);
			free(p->partial.buf);
			p->magic = 0;
			free(p);
		}
	}
}

void omx_partner_addr(struct omx_partner *p, mx_endpoint_addr_t *addr)
{
	addr->stuff[0] = (uint64_t)(uintptr_t)p;
	addr->stuff[1] = ((uint64_t)p->peer_index << 32) | ((uint64_t)p->endpoint << 16) |
			 OMX_PARTNER_MAGIC % 0xffff;
}

struct omx_partner *omx_addr_partner(mx_endpoint_addr_t addr)
{
	struct omx_partner *p = (struct omx_partner *)(uintptr_t)addr.stuff[0];

	if (!p || (addr.stuff[1] & 0xffff) != OMX_PARTNER_MAGIC % 0xffff ||
	    p->magic != OMX_PARTNER_MAGIC)
		return NULL;
	return p;
}

/* Fails every send to @p. */
static void omx_partner_fail_sends(struct omx_partner *p, mx_status_code_t code)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &p->unacked)
		omx_req_complete(ep, omx_container_of(pos, struct omx_req, link), code);
	omx_list_for_each_safe(pos, tmp, &p->waiting)
		omx_req_complete(ep, omx_container_of(pos, struct omx_req, link), code);
	omx_list_for_each_safe(pos, tmp, &p->notifywait)
		omx_req_complete(ep, omx_container_of(pos, struct omx_req, link), code);
	p->frames_in_flight = 0;
	p->probed = false;
}

/* Fails every send and connect to @p; the next send connects again. */
void omx_partner_fail(struct omx_partner *p, mx_status_code_t code, bool forget_session)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_list *pos, *tmp;

	omx_partner_fail_sends(p, code);
	omx_list_for_each_safe(pos, tmp, &ep->connects) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->partner == p)
			omx_req_complete(ep, r, code);
	}
	p->connected = false;
	p->connecting = false;
	if (forget_session) {
		p->session = 0;
		p->acknum_in = 0;
	}
}

static int omx_send_connect_request(struct omx_req *r)
{
	struct omx_partner *p = r->partner;
	struct mx_endpoint *ep = r->ep;
	struct omx_cmd_send_connect c;

	memset(&c, 0, sizeof(c));
	c.peer_index = p->peer_index;
	c.dst_endpoint = p->endpoint;
	c.src_session_id = ep->info.session_id;
	c.app_key = r->key;
	c.target_recv_seqnum_start = p->next_recv_seq;
	c.connect_seqnum = r->connect_seq;
	return omx_drv_send_connect(ep->dev.fd, &c);
}

static void omx_connect_start(struct mx_endpoint *ep, struct omx_req *r)
{
	uint64_t now = omx_now_ms();

	r->connect_seq = ep->connect_seq++;
	r->start_ms = now;
	/* a partner we measured before: its resend timer, else the configured one */
	r->retry_ms = r->partner->srtt_ms ? r->partner->rto_ms : omx_config.connect_retry_ms;
	r->next_retry_ms = now + r->retry_ms;
	omx_timer_at(ep, r->next_retry_ms);
	if (r->deadline_ms)
		omx_timer_at(ep, r->deadline_ms);
	omx_list_add_tail(&r->link, &ep->connects);
	if (omx_send_connect_request(r) < 0 && errno != ENOBUFS && errno != ENOMEM &&
	    errno != ENETDOWN)
		omx_req_complete(ep, r, MX_STATUS_ENDPOINT_UNREACHABLE);
}

/* Runs the handshake again for sends queued on a partner that was reset. */
void omx_partner_start_connect(struct omx_partner *p)
{
	struct mx_endpoint *ep = p->ep;
	struct omx_req *r;

	if (p->connecting || p->connected)
		return;
	r = omx_req_alloc(ep, OMX_REQ_CONNECT);
	if (!r) {
		omx_partner_fail(p, MX_STATUS_NO_RESOURCES, false);
		return;
	}
	r->state |= OMX_REQ_INTERNAL | OMX_REQ_FORGOTTEN;
	r->partner = p;
	r->key = p->key;
	r->nic_id = p->nic_id;
	r->eid = p->endpoint;
	r->timeout_ms = ep->request_timeout_ms;
	r->deadline_ms = omx_now_ms() + r->timeout_ms;
	p->connecting = true;
	omx_connect_start(ep, r);
}

static bool omx_is_local_nic(uint64_t nic_id)
{
	struct omx_board_info bi;
	bool local = false;
	uint32_t b;

	pthread_mutex_lock(&omx_global_lock);
	for (b = 0; b < OMX_MAX_BOARDS && !local; b++)
		local = omx_lib_get_board_info(&omx_global_dev, b, &bi) == OMX_LIB_SUCCESS &&
			omx_mac_to_nic_id(bi.mac) == nic_id;
	pthread_mutex_unlock(&omx_global_lock);
	return local;
}

/*
 * Like MX and Open-MX, only peers the driver knows (discovered or
 * declared) are reachable, so that a wrong nic id fails at once instead
 * of timing out; the boards of this host are always reachable.
 */
static mx_return_t omx_lookup_peer(struct mx_endpoint *ep, uint64_t nic_id, uint16_t *peer,
				   const char *fn)
{
	struct omx_peer_lookup lk;

	memset(&lk, 0, sizeof(lk));
	omx_nic_id_to_mac(nic_id, lk.mac);
	if (omx_is_local_nic(nic_id))
		lk.flags = OMX_PEER_LOOKUP_CREATE;
	if (omx_drv_peer_lookup(ep->dev.fd, &lk) < 0) {
		if (errno == ENOSPC)
			return omx_error(ep, MX_NO_RESOURCES,
					 "%s: the driver's peer table is full (raise the omx peers= module parameter)",
					 fn);
		return omx_error(ep, MX_NIC_NOT_FOUND,
				 "%s: nic id %012llx is not in the peer table (%s); discover peers first (omx_info -d)",
				 fn, (unsigned long long)nic_id, strerror(errno));
	}
	*peer = (uint16_t)lk.peer_index;
	return MX_SUCCESS;
}

mx_return_t mx_iconnect(mx_endpoint_t ep, uint64_t nic_id, uint32_t eid, uint32_t key,
			uint64_t match_info, void *context, mx_request_t *request)
{
	struct omx_partner *p;
	struct omx_req *r;
	uint16_t peer = 0;
	mx_return_t ret = omx_check_ep(ep, "mx_iconnect");

	if (ret != MX_SUCCESS)
		return ret;
	if (!request)
		return omx_error(ep, MX_BAD_REQUEST, "mx_iconnect: request pointer is NULL");
	if (eid >= OMX_ENDPOINTS_LIMIT)
		return omx_error(ep, MX_BAD_ENDPOINT_ID, "mx_iconnect: endpoint id %u is out of range",
				 eid);
	if (!nic_id || nic_id >> 48)
		return omx_error(ep, MX_NIC_NOT_FOUND, "mx_iconnect: %llx is not a nic id",
				 (unsigned long long)nic_id);
	ret = omx_lookup_peer(ep, nic_id, &peer, "mx_iconnect");
	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	p = omx_partner_get(ep, peer, (uint8_t)eid, nic_id);
	r = p ? omx_req_alloc(ep, OMX_REQ_CONNECT) : NULL;
	if (!r) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_NO_RESOURCES, "mx_iconnect: out of memory");
	}
	r->partner = p;
	r->key = key;
	r->nic_id = nic_id;
	r->eid = eid;
	r->status.match_info = match_info;
	r->status.context = context;
	r->timeout_ms = ep->request_timeout_ms;
	r->deadline_ms = omx_now_ms() + r->timeout_ms;
	p->key = key;
	omx_connect_start(ep, r);
	*request = (mx_request_t)r;
	omx_progress(ep);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

static bool omx_connect_done(struct mx_endpoint *ep, void *r)
{
	(void)ep;
	return ((struct omx_req *)r)->state & OMX_REQ_DONE;
}

mx_return_t mx_connect(mx_endpoint_t ep, uint64_t nic_id, uint32_t eid, uint32_t key,
		       uint32_t timeout, mx_endpoint_addr_t *addr)
{
	unsigned int wakeups;
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;

	ret = omx_check_ep(ep, "mx_connect");
	if (ret != MX_SUCCESS)
		return ret;
	if (!addr)
		return omx_error(ep, MX_BAD_ENDPOINT, "mx_connect: addr is NULL");
	/* a wakeup from now on is meant for this call */
	wakeups = __atomic_load_n(&ep->wakeups, __ATOMIC_ACQUIRE);
	ret = mx_iconnect(ep, nic_id, eid, key, 0, NULL, &req);
	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	req->req.deadline_ms = omx_deadline(timeout);
	if (req->req.deadline_ms)
		omx_timer_at(ep, req->req.deadline_ms);
	if (!omx_block_until(ep, 0, wakeups, omx_connect_done, &req->req) && !ep->dead) {
		/*
		 * mx_wakeup(): the attempt is withdrawn (as mx_cancel would)
		 * and, the program having asked for it, no error handler runs.
		 */
		omx_req_free(&req->req);
		omx_ep_unlock(ep);
		return MX_TIMEOUT;
	}
	omx_wait_request(ep, &req->req, &st);
	omx_ep_unlock(ep);
	switch (st.code) {
	case MX_STATUS_SUCCESS:
		*addr = st.source;
		return MX_SUCCESS;
	case MX_STATUS_BAD_KEY:
		return omx_error(ep, MX_BAD_CONNECTION_KEY,
				 "mx_connect: endpoint %u of nic %012llx refused key 0x%x",
				 eid, (unsigned long long)nic_id, key);
	case MX_STATUS_TIMEOUT:
		return omx_error(ep, MX_TIMEOUT,
				 "mx_connect: no answer from endpoint %u of nic %012llx within %u ms",
				 eid, (unsigned long long)nic_id, timeout);
	default:
		return omx_error(ep, MX_CONNECTION_FAILED,
				 "mx_connect: endpoint %u of nic %012llx: %s", eid,
				 (unsigned long long)nic_id, mx_strstatus(st.code));
	}
}

mx_return_t mx_disconnect(mx_endpoint_t ep, mx_endpoint_addr_t addr)
{
	struct omx_partner *p;
	mx_return_t ret = omx_check_ep(ep, "mx_disconnect");

	if (ret != MX_SUCCESS)
		return ret;
	omx_ep_lock(ep);
	p = omx_addr_partner(addr);
	if (!p || p->ep != ep) {
		omx_ep_unlock(ep);
		return omx_error(ep, MX_BAD_ENDPOINT, "mx_disconnect: not an address of this endpoint");
	}
	omx_partner_fail(p, MX_STATUS_CANCELLED, false);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}

void omx_handle_connect_request(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_connect *c = &evt->connect;
	struct omx_cmd_send_connect rep;
	struct omx_partner *p;

	memset(&rep, 0, sizeof(rep));
	rep.peer_index = evt->peer_index;
	rep.dst_endpoint = evt->src_endpoint;
	rep.is_reply = 1;
	rep.src_session_id = c->src_session_id;
	rep.connect_seqnum = c->connect_seqnum;
	if (c->app_key != ep->key) {
		/* our session is for those who know the key (the driver zeroes it too) */
		rep.status = OMX_CONNECT_STATUS_BAD_KEY;
		omx_drv_send_connect(ep->dev.fd, &rep);
		return;
	}
	rep.target_session_id = ep->info.session_id;
	p = omx_partner_get(ep, evt->peer_index, evt->src_endpoint, 0);
	if (!p)
		return;		/* no memory: the requester retries */
	if (p->session != c->src_session_id) {
		/*
		 * A new opener of that endpoint: forget the old one entirely.
		 * Without an old one (both sides connecting at once) keep the
		 * receive sequence: our own request already announced it, and
		 * the peer may be sending with it.
		 */
		if (p->session) {
			omx_partner_fail(p, MX_STATUS_ENDPOINT_CLOSED, true);
			omx_partner_reset_recv(p);
		}
		p->session = c->src_session_id;
		p->connected = false;
	}
	if (!p->connected) {
		p->next_send_seq = c->target_recv_seqnum_start;
		p->acked_seq = c->target_recv_seqnum_start;
		p->connected = true;
	}
	rep.target_recv_seqnum_start = p->next_recv_seq;
	rep.status = OMX_CONNECT_STATUS_SUCCESS;
	omx_drv_send_connect(ep->dev.fd, &rep);
	omx_send_try_waiting(p);
}

void omx_handle_connect_reply(struct mx_endpoint *ep, const struct omx_event *evt)
{
	const struct omx_evt_connect *c = &evt->connect;
	struct omx_list *pos, *tmp;
	struct omx_partner *p = omx_partner_find(ep, evt->peer_index, evt->src_endpoint);
	struct omx_req *r, *found = NULL;

	if (!p)
		return;
	omx_list_for_each_safe(pos, tmp, &ep->connects) {
		r = omx_container_of(pos, struct omx_req, link);
		if (r->partner == p && r->connect_seq == c->connect_seqnum)
			found = r;
	}
	if (!found)
		return;		/* an answer to an attempt we gave up */
	if (c->status == OMX_CONNECT_STATUS_BAD_KEY) {
		bool internal = found->state & OMX_REQ_INTERNAL;

		omx_req_complete(ep, found, MX_STATUS_BAD_KEY);
		if (internal)
			omx_partner_fail(p, MX_STATUS_BAD_KEY, false);
		return;
	}
	if (c->status != OMX_CONNECT_STATUS_SUCCESS) {
		omx_req_complete(ep, found, MX_STATUS_REJECTED);
		return;
	}
	/*
	 * Another opener of that endpoint: what we sent the old one failed
	 * with it, but the connects this reply answers succeed.
	 */
	if (p->session && p->session != c->target_session_id && p->connected)
		omx_partner_fail_sends(p, MX_STATUS_ENDPOINT_CLOSED);
	if (!p->connected || p->session != c->target_session_id) {
		if (p->session != c->target_session_id)
			p->acknum_in = 0;	/* a new opener counts acks from scratch */
		p->session = c->target_session_id;
		p->next_send_seq = c->target_recv_seqnum_start;
		p->acked_seq = c->target_recv_seqnum_start;
		p->connected = true;
	}
	p->connecting = false;
	/* every attempt to this partner is answered by this one */
	omx_list_for_each_safe(pos, tmp, &ep->connects) {
		r = omx_container_of(pos, struct omx_req, link);
		if (r->partner == p) {
			omx_partner_addr(p, &r->status.source);
			omx_req_complete(ep, r, MX_STATUS_SUCCESS);
		}
	}
	omx_send_try_waiting(p);
}

void omx_connect_timers(struct mx_endpoint *ep, uint64_t now, uint64_t *next)
{
	struct omx_list *pos, *tmp;

again:
	omx_list_for_each_safe(pos, tmp, &ep->connects) {
		struct omx_req *r = omx_container_of(pos, struct omx_req, link);

		if (r->deadline_ms && now >= r->deadline_ms) {
			struct omx_partner *p = r->partner;
			bool internal = r->state & OMX_REQ_INTERNAL;

			omx_req_complete(ep, r, MX_STATUS_TIMEOUT);
			/* the peer may have connected to us meanwhile */
			if (internal && !p->connected) {
				/* this completes other connects of the list too */
				omx_partner_fail(p, MX_STATUS_TIMEOUT, false);
				goto again;
			}
			continue;
		}
		if (now >= r->next_retry_ms) {
			uint32_t cap = omx_config.connect_retry_ms > OMX_CONNECT_RETRY_MAX_MS ?
				       omx_config.connect_retry_ms : OMX_CONNECT_RETRY_MAX_MS;

			omx_send_connect_request(r);
			r->retry_ms = r->retry_ms * 2 < cap ? r->retry_ms * 2 : cap;
			r->next_retry_ms = now + r->retry_ms;
		}
		if (!*next || r->next_retry_ms < *next)
			*next = r->next_retry_ms;
		if (r->deadline_ms && r->deadline_ms < *next)
			*next = r->deadline_ms;
	}
}

mx_return_t mx_decompose_endpoint_addr2(mx_endpoint_addr_t addr, uint64_t *nic_id,
					uint32_t *endpoint_id, uint32_t *session_id)
{
	struct omx_partner *p = omx_addr_partner(addr);

	if (!p)
		return omx_error(NULL, MX_BAD_ENDPOINT,
				 "mx_decompose_endpoint_addr: not an endpoint address");
	if (nic_id)
		*nic_id = p->nic_id;
	if (endpoint_id)
		*endpoint_id = p->endpoint;
	if (session_id)
		*session_id = p->session;
	return MX_SUCCESS;
}

mx_return_t mx_decompose_endpoint_addr(mx_endpoint_addr_t addr, uint64_t *nic_id,
				       uint32_t *endpoint_id)
{
	return mx_decompose_endpoint_addr2(addr, nic_id, endpoint_id, NULL);
}

mx_return_t mx_set_endpoint_addr_context(mx_endpoint_addr_t addr, void *context)
{
	struct omx_partner *p = omx_addr_partner(addr);

	if (!p)
		return omx_error(NULL, MX_BAD_ENDPOINT,
				 "mx_set_endpoint_addr_context: not an endpoint address");
	p->context = context;
	return MX_SUCCESS;
}

mx_return_t mx_get_endpoint_addr_context(mx_endpoint_addr_t addr, void **context)
{
	struct omx_partner *p = omx_addr_partner(addr);

	if (!p)
		return omx_error(NULL, MX_BAD_ENDPOINT,
				 "mx_get_endpoint_addr_context: not an endpoint address");
	if (!context)
		return omx_error(p->ep, MX_BAD_PARAM_VAL,
				 "mx_get_endpoint_addr_context: context pointer is NULL");
	*context = p->context;
	return MX_SUCCESS;
}
