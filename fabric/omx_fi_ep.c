// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * FI_EP_RDM endpoints: one MX endpoint each (opened at fi_endpoint, so
 * that fi_getname works before fi_enable), bound to a TX CQ, an RX CQ
 * and one AV.  Progress is manual: fi_cq_read drains the MX endpoint's
 * done requests here.  Besides, libomx's progression thread keeps acks
 * and retransmissions going while the application computes.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

bool omx_fi_want_completion(const struct omx_fi_ep *ep, uint64_t flags)
{
	bool selective = (flags & FI_SEND) ? ep->tx_selective : ep->rx_selective;

	return !selective || (flags & FI_COMPLETION);
}

void omx_fi_push(struct omx_fi_ep *ep, uint64_t flags, void *context, size_t len, void *buf,
		 uint64_t tag, int err, size_t olen, int prov_errno)
{
	struct omx_fi_cq *cq = (flags & FI_SEND) ? ep->tx_cq : ep->rx_cq;
	struct omx_fi_cq_entry e = {
		.e = {
			.op_context = context,
			.flags = flags & OMX_FI_CQ_FLAGS,
			.len = len,
			.buf = buf,
			.tag = tag,
		},
		.err = err,
		.olen = olen,
		.prov_errno = prov_errno,
	};

	if (!cq)
		return;
	if (omx_fi_cq_push(cq, &e))
		OMX_FI_WARN(FI_LOG_CQ, "out of memory: a completion of context %p is lost\n",
			    context);
}

static int status_to_err(mx_status_code_t code)
{
	switch (code) {
	case MX_STATUS_SUCCESS:
		return 0;
	case MX_STATUS_TRUNCATED:
		return FI_ETRUNC;
	case MX_STATUS_CANCELLED:
		return FI_ECANCELED;
	case MX_STATUS_TIMEOUT:
		return FI_ETIMEDOUT;
	case MX_STATUS_ENDPOINT_CLOSED:
	case MX_STATUS_ENDPOINT_UNKNOWN:
	case MX_STATUS_ENDPOINT_UNREACHABLE:
	case MX_STATUS_BAD_SESSION:
	case MX_STATUS_BAD_ENDPOINT:
		return FI_EHOSTUNREACH;
	default:
		return FI_EIO;
	}
}

void omx_fi_ep_complete(struct omx_fi_ep *ep, struct omx_fi_opctx *op, const mx_status_t *st)
{
	uint64_t tag = (op->flags & FI_TAGGED) ? st->match_info & OMX_FI_TAG_BITS : 0;
	int err = status_to_err(st->code);
	size_t olen = 0;

	op->req = NULL;
	if (op->flags & OMX_FI_OP_CLAIMED) {
		struct omx_fi_claim *c = op->buf;

		c->done = true;
		c->status = *st;
		if (c->recv_posted)
			omx_fi_claim_complete(ep, op);
		return;
	}
	if ((op->flags & FI_RECV) && op->src && err == 0) {
		void *peer = NULL;

		/*
		 * MX matched on the tag alone (fi_omx(7), FI_DIRECTED_RECV):
		 * a message from another source than the one asked for is an
		 * error, never silently delivered as if it were.
		 */
		if (mx_get_endpoint_addr_context(st->source, &peer) != MX_SUCCESS ||
		    (uintptr_t)peer != op->src) {
			OMX_FI_WARN(FI_LOG_EP_DATA, "directed receive matched a message from "
				    "another source (tag 0x%llx): put the source in the tag\n",
				    (unsigned long long)tag);
			err = FI_EIO;
		}
	}
	if (err == FI_ETRUNC)
		olen = st->msg_length - st->xfer_length;
	if (!err && !omx_fi_want_completion(ep, op->flags))
		return;
	omx_fi_push(ep, op->flags, op, (op->flags & FI_RECV) ? st->xfer_length : 0,
		    (op->flags & FI_RECV) ? op->buf : NULL, tag, err, olen, (int)st->code);
}

static bool is_slot(const struct omx_fi_ep *ep, const void *ctx)
{
	const struct omx_fi_inject_slot *s = ctx;

	return s >= ep->slots && s < ep->slots + OMX_FI_INJECT_SLOTS;
}

void omx_fi_ep_progress(struct omx_fi_ep *ep)
{
	mx_status_t st;
	uint32_t result;

	/* every done request of the endpoint: sends, receives, claims */
	while (mx_test_any(ep->mx, 0, 0, &st, &result) == MX_SUCCESS && result) {
		if (is_slot(ep, st.context)) {
			struct omx_fi_inject_slot *s = st.context;
			int err = status_to_err(st.code);

			if (err)
				OMX_FI_WARN(FI_LOG_EP_DATA, "injected send failed: %s\n",
					    mx_strstatus(st.code));
			if (s->app_context && (err || omx_fi_want_completion(ep, s->flags)))
				omx_fi_push(ep, s->flags, s->app_context, 0, NULL, 0, err, 0,
					    (int)st.code);
			s->app_context = NULL;
			s->next_free = ep->free_slots;
			ep->free_slots = s;
			continue;
		}
		if (st.context)
			omx_fi_ep_complete(ep, st.context, &st);
	}
}

int omx_fi_ep_peer(struct omx_fi_ep *ep, fi_addr_t addr, struct omx_fi_peer **peer)
{
	struct omx_fi_peer *p = (struct omx_fi_peer *)(uintptr_t)addr;

	if (!ep->enabled)
		return -FI_EOPBADSTATE;
	if (addr == FI_ADDR_UNSPEC || addr == FI_ADDR_NOTAVAIL || !p)
		return -FI_EINVAL;
	if (!p->connected)
		return -FI_EHOSTUNREACH;
	*peer = p;
	return 0;
}

static int ep_close(struct fid *fid)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid.fid);

	/* closing the MX endpoint drops its pending requests */
	mx_close_endpoint(ep->mx);
	if (ep->tx_cq)
		omx_fi_cq_del_ep(ep->tx_cq, ep);
	if (ep->rx_cq && ep->rx_cq != ep->tx_cq)
		omx_fi_cq_del_ep(ep->rx_cq, ep);
	if (ep->av) {
		ep->av->ep = NULL;
		ep->av->refs--;
		/* its connections belonged to the closed MX endpoint */
		for (struct omx_fi_peer *p = ep->av->peers; p; p = p->next)
			p->connected = false;
	}
	ep->domain->refs--;
	free(ep->slots);
	free(ep);
	return 0;
}

static int ep_bind(struct fid *fid, struct fid *bfid, uint64_t flags)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid.fid);
	int ret;

	if (ep->enabled)
		return -FI_EOPBADSTATE;
	switch (bfid->fclass) {
	case FI_CLASS_CQ: {
		struct omx_fi_cq *cq = container_of(bfid, struct omx_fi_cq, cq_fid.fid);

		if (flags & ~(FI_TRANSMIT | FI_RECV | FI_SELECTIVE_COMPLETION))
			return -FI_EBADFLAGS;
		if (!(flags & (FI_TRANSMIT | FI_RECV)))
			return -FI_EINVAL;
		if (((flags & FI_TRANSMIT) && ep->tx_cq) || ((flags & FI_RECV) && ep->rx_cq))
			return -FI_EINVAL;	/* already bound */
		ret = omx_fi_cq_add_ep(cq, ep);
		if (ret)
			return ret;
		if (flags & FI_TRANSMIT) {
			ep->tx_cq = cq;
			ep->tx_selective = flags & FI_SELECTIVE_COMPLETION;
		}
		if (flags & FI_RECV) {
			ep->rx_cq = cq;
			ep->rx_selective = flags & FI_SELECTIVE_COMPLETION;
		}
		return 0;
	}
	case FI_CLASS_AV: {
		struct omx_fi_av *av = container_of(bfid, struct omx_fi_av, av_fid.fid);

		if (ep->av)
			return -FI_EINVAL;
		/* MX connections belong to one MX endpoint */
		if (av->ep)
			return -FI_ENOSYS;
		av->ep = ep;
		av->refs++;
		ep->av = av;
		return 0;
	}
	default:
		return -FI_ENOSYS;	/* counters, EQs, shared contexts */
	}
}

static int ep_control(struct fid *fid, int command, void *arg)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid.fid);
	uint64_t *of = arg;	/* FI_GETOPSFLAG/FI_SETOPSFLAG: FI_TRANSMIT or FI_RECV | flags */

	switch (command) {
	case FI_ENABLE:
		if (ep->enabled)
			return 0;
		if (!ep->av || (!ep->tx_cq && !ep->rx_cq))
			return -FI_ENOCQ;
		ep->enabled = true;
		/* the addresses inserted before the endpoint existed */
		if (omx_fi_av_connect_all(ep->av))
			OMX_FI_WARN(FI_LOG_EP_CTRL, "some AV addresses could not be connected\n");
		return 0;
	case FI_GETOPSFLAG:
		if (!of)
			return -FI_EINVAL;
		*of = (*of & FI_TRANSMIT) ? ep->tx_op_flags : ep->rx_op_flags;
		return 0;
	case FI_SETOPSFLAG:
		if (!of)
			return -FI_EINVAL;
		if (*of & FI_TRANSMIT)
			ep->tx_op_flags = *of & ~FI_TRANSMIT;
		else
			ep->rx_op_flags = *of & ~FI_RECV;
		return 0;
	default:
		return -FI_ENOSYS;
	}
}

static struct fi_ops ep_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = ep_close,
	.bind = ep_bind,
	.control = ep_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

static ssize_t ep_cancel(fid_t fid, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid.fid);
	struct omx_fi_opctx *op = context;
	uint32_t result = 0;

	if (!op || !op->req)
		return 0;	/* completed already, or never posted */
	/* MX withdraws unmatched receives only; sends complete normally */
	if (mx_cancel(ep->mx, &op->req, &result) != MX_SUCCESS || !result)
		return 0;
	op->req = NULL;
	if (op->flags & OMX_FI_OP_CLAIMED) {
		struct omx_fi_claim *c = op->buf;

		free(c->bounce);
		free(c);
		op->flags &= ~OMX_FI_OP_CLAIMED;
		op->buf = NULL;
	}
	omx_fi_push(ep, op->flags, op, 0, op->buf, 0, FI_ECANCELED, 0, MX_STATUS_CANCELLED);
	return 0;
}

static int ep_getopt(fid_t fid, int level, int optname, void *optval, size_t *optlen)
{
	return -FI_ENOPROTOOPT;	/* FI_OPT_MIN_MULTI_RECV...: no FI_MULTI_RECV */
}

static int ep_setopt(fid_t fid, int level, int optname, const void *optval, size_t optlen)
{
	return -FI_ENOPROTOOPT;
}

static int ep_tx_ctx(struct fid_ep *sep, int index, struct fi_tx_attr *attr,
		     struct fid_ep **tx_ep, void *context)
{
	return -FI_ENOSYS;
}

static int ep_rx_ctx(struct fid_ep *sep, int index, struct fi_rx_attr *attr,
		     struct fid_ep **rx_ep, void *context)
{
	return -FI_ENOSYS;
}

static ssize_t ep_size_left(struct fid_ep *ep)
{
	return -FI_ENOSYS;	/* deprecated in libfabric */
}

static struct fi_ops_ep ep_ops = {
	.size = sizeof(struct fi_ops_ep),
	.cancel = ep_cancel,
	.getopt = ep_getopt,
	.setopt = ep_setopt,
	.tx_ctx = ep_tx_ctx,
	.rx_ctx = ep_rx_ctx,
	.rx_size_left = ep_size_left,
	.tx_size_left = ep_size_left,
};

static int cm_setname(fid_t fid, void *addr, size_t addrlen)
{
	return -FI_ENOSYS;	/* MX chooses the endpoint id */
}

static int cm_getname(fid_t fid, void *addr, size_t *addrlen)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid.fid);
	size_t len = *addrlen;

	*addrlen = sizeof(ep->name);
	if (len < sizeof(ep->name))
		return -FI_ETOOSMALL;
	memcpy(addr, &ep->name, sizeof(ep->name));
	return 0;
}

static int cm_getpeer(struct fid_ep *ep, void *addr, size_t *addrlen)
{
	return -FI_ENOSYS;
}

static int cm_connect(struct fid_ep *ep, const void *addr, const void *param, size_t paramlen)
{
	return -FI_ENOSYS;
}

static int cm_listen(struct fid_pep *pep)
{
	return -FI_ENOSYS;
}

static int cm_accept(struct fid_ep *ep, const void *param, size_t paramlen)
{
	return -FI_ENOSYS;
}

static int cm_reject(struct fid_pep *pep, fid_t handle, const void *param, size_t paramlen)
{
	return -FI_ENOSYS;
}

static int cm_shutdown(struct fid_ep *ep, uint64_t flags)
{
	return -FI_ENOSYS;
}

static int cm_join(struct fid_ep *ep, const void *addr, uint64_t flags, struct fid_mc **mc,
		   void *context)
{
	return -FI_ENOSYS;
}

static struct fi_ops_cm ep_cm_ops = {
	.size = sizeof(struct fi_ops_cm),
	.setname = cm_setname,
	.getname = cm_getname,
	.getpeer = cm_getpeer,
	.connect = cm_connect,
	.listen = cm_listen,
	.accept = cm_accept,
	.reject = cm_reject,
	.shutdown = cm_shutdown,
	.join = cm_join,
};

int omx_fi_endpoint_open(struct fid_domain *domain, struct fi_info *info, struct fid_ep **epp,
			 void *context)
{
	struct omx_fi_domain *dom = container_of(domain, struct omx_fi_domain, domain_fid);
	mx_param_t param = {
		.key = MX_PARAM_ERROR_HANDLER,
		.val.error_handler = MX_ERRORS_RETURN,
	};
	mx_endpoint_addr_t self;
	struct omx_fi_ep *ep;
	mx_return_t mret;

	if (!info || !info->ep_attr || info->ep_attr->type != FI_EP_RDM)
		return -FI_EINVAL;
	if (info->caps & ~omx_fi_caps)
		return -FI_EINVAL;
	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -FI_ENOMEM;
	ep->slots = calloc(OMX_FI_INJECT_SLOTS, sizeof(*ep->slots));
	if (!ep->slots) {
		free(ep);
		return -FI_ENOMEM;
	}
	for (int i = 0; i < OMX_FI_INJECT_SLOTS; i++) {
		ep->slots[i].next_free = ep->free_slots;
		ep->free_slots = &ep->slots[i];
	}
	mret = mx_open_endpoint(dom->board, MX_ANY_ENDPOINT, omx_fi_params.endpoint_key, &param, 1,
				&ep->mx);
	if (mret != MX_SUCCESS) {
		OMX_FI_WARN(FI_LOG_EP_CTRL, "mx_open_endpoint on board %u: %s\n", dom->board,
			    mx_strerror(mret));
		free(ep->slots);
		free(ep);
		return omx_fi_mx_errno(mret);
	}
	mx_get_endpoint_addr(ep->mx, &self);
	mx_decompose_endpoint_addr(self, &ep->name.nic_id, &ep->name.eid);
	ep->name.key = omx_fi_params.endpoint_key;
	ep->caps = info->caps ? info->caps : omx_fi_caps;
	ep->tx_op_flags = info->tx_attr ? info->tx_attr->op_flags : 0;
	ep->rx_op_flags = info->rx_attr ? info->rx_attr->op_flags : 0;
	ep->domain = dom;
	ep->ep_fid.fid.fclass = FI_CLASS_EP;
	ep->ep_fid.fid.context = context;
	ep->ep_fid.fid.ops = &ep_fi_ops;
	ep->ep_fid.ops = &ep_ops;
	ep->ep_fid.cm = &ep_cm_ops;
	ep->ep_fid.msg = &omx_fi_msg_ops;
	ep->ep_fid.tagged = &omx_fi_tagged_ops;
	ep->ep_fid.rma = &omx_fi_nosys_rma;
	ep->ep_fid.atomic = &omx_fi_nosys_atomic;
	ep->ep_fid.collective = &omx_fi_nosys_collective;
	dom->refs++;
	*epp = &ep->ep_fid;
	return 0;
}
