// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the omx provider offers, and its negotiation against an
 * application's hints.  No MX call here: the unit test
 * tests/unit/test_fabric_info.c runs it on a host without /dev/omx.
 *
 * Rule followed throughout: a hint we cannot honour makes the board not
 * match (-FI_ENODATA, with the reason logged), never a silently weaker
 * answer; an unspecified hint gets our value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

/*
 * FI_DIRECTED_RECV is offered only when asked for (a secondary
 * capability): MX matches on match info alone, so a directed receive is
 * matched by its tag and the source is checked at completion, a mismatch
 * being an error completion.  That is exact for callers that put the
 * source in the tag, as Open MPI's ofi_tag_1 layout does; see fi_omx(7).
 */
const uint64_t omx_fi_caps = FI_MSG | FI_TAGGED | FI_SEND | FI_RECV |
			     FI_LOCAL_COMM | FI_REMOTE_COMM | FI_DIRECTED_RECV;
#define OMX_FI_DEFAULT_CAPS	(omx_fi_caps & ~FI_DIRECTED_RECV)
/* messages from one sender are matched in the order it sent them */
#define OMX_FI_MSG_ORDER	FI_ORDER_SAS
/* per-operation flags an endpoint may take as defaults */
#define OMX_FI_TX_OP_FLAGS	(FI_COMPLETION | FI_INJECT_COMPLETE | FI_TRANSMIT_COMPLETE | \
				 FI_DELIVERY_COMPLETE)
#define OMX_FI_RX_OP_FLAGS	FI_COMPLETION
#define OMX_FI_CTX_SIZE		256	/* sends/receives an endpoint queues (advisory) */

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -FI_ENODATA;
}

static bool order_ok(uint64_t order)
{
	return (order & ~OMX_FI_MSG_ORDER) == 0;
}

static int check_hints(uint32_t version, const struct fi_info *h, uint32_t board,
		       const char **why)
{
	char dom[32];

	if (h->caps & ~omx_fi_caps)
		return refuse(why, "caps: only FI_MSG, FI_TAGGED, FI_SEND, FI_RECV, FI_LOCAL_COMM, "
			      "FI_REMOTE_COMM and FI_DIRECTED_RECV (no RMA, atomics, "
			      "FI_MULTI_RECV, FI_SOURCE...)");
	/* our per-operation state lives in the caller's fi_context */
	if (!(h->mode & FI_CONTEXT))
		return refuse(why, "mode: the provider needs FI_CONTEXT");
	if (h->addr_format != FI_FORMAT_UNSPEC)
		return refuse(why, "addr_format: only FI_FORMAT_UNSPEC (struct omx_fi_addr)");
	if (h->ep_attr) {
		const struct fi_ep_attr *e = h->ep_attr;

		if (e->type != FI_EP_UNSPEC && e->type != FI_EP_RDM)
			return refuse(why, "ep_attr.type: only FI_EP_RDM");
		if (e->protocol != FI_PROTO_UNSPEC)
			return refuse(why, "ep_attr.protocol: only FI_PROTO_UNSPEC");
		if (e->max_msg_size > OMX_FI_MAX_MSG_SIZE)
			return refuse(why, "ep_attr.max_msg_size: at most 4 GiB - 1");
		if (e->mem_tag_format & OMX_FI_MSG_BIT)
			return refuse(why, "ep_attr.mem_tag_format: tag bit 63 is reserved");
		if (e->tx_ctx_cnt > 1 || e->rx_ctx_cnt > 1)
			return refuse(why, "ep_attr: no scalable endpoints or shared contexts");
	}
	if (h->domain_attr) {
		const struct fi_domain_attr *d = h->domain_attr;

		snprintf(dom, sizeof(dom), "omx%u", board);
		if (d->name && strcmp(d->name, dom))
			return refuse(why, "domain_attr.name: not this board");
		if (d->threading != FI_THREAD_UNSPEC && d->threading != FI_THREAD_DOMAIN)
			return refuse(why, "domain_attr.threading: only FI_THREAD_DOMAIN");
		if (d->control_progress != FI_PROGRESS_UNSPEC &&
		    d->control_progress != FI_PROGRESS_MANUAL)
			return refuse(why, "domain_attr.control_progress: only FI_PROGRESS_MANUAL");
		if (d->data_progress != FI_PROGRESS_UNSPEC &&
		    d->data_progress != FI_PROGRESS_MANUAL)
			return refuse(why, "domain_attr.data_progress: only FI_PROGRESS_MANUAL");
		if (d->resource_mgmt == FI_RM_DISABLED)
			return refuse(why, "domain_attr.resource_mgmt: MX always manages resources");
		if (d->av_type != FI_AV_UNSPEC && d->av_type != FI_AV_MAP)
			return refuse(why, "domain_attr.av_type: only FI_AV_MAP");
		/* mr_mode bits are what the application can live with: we need none */
		/*
		 * cq_data_size is not refused: the answer says 0, and a caller
		 * that wants remote CQ data must check it (FI_REMOTE_CQ_DATA in
		 * caps is refused above).  Open MPI's mtl ofi asks for 4 bytes
		 * in its default tag mode, calls fi_getinfo once, and falls
		 * back to the ofi_tag_1 layout when the answer has fewer:
		 * refusing left Open MPI without a provider.
		 */
		if (d->mr_key_size > 0)
			return refuse(why, "domain_attr.mr_key_size: no memory registration keys");
	}
	if (h->tx_attr) {
		const struct fi_tx_attr *t = h->tx_attr;

		if (t->caps & ~omx_fi_caps)
			return refuse(why, "tx_attr.caps: unsupported capability");
		if (t->op_flags & ~OMX_FI_TX_OP_FLAGS)
			return refuse(why, "tx_attr.op_flags: unsupported flag");
		if (!order_ok(t->msg_order))
			return refuse(why, "tx_attr.msg_order: only FI_ORDER_SAS");
		if (t->comp_order & ~(uint64_t)FI_ORDER_NONE)
			return refuse(why, "tx_attr.comp_order: no completion ordering");
		if (t->inject_size > OMX_FI_INJECT_SIZE)
			return refuse(why, "tx_attr.inject_size: at most 128 bytes");
		if (t->iov_limit > OMX_FI_IOV_LIMIT || t->rma_iov_limit > 0)
			return refuse(why, "tx_attr.iov_limit: at most 8, no RMA");
	}
	if (h->rx_attr) {
		const struct fi_rx_attr *r = h->rx_attr;

		if (r->caps & ~omx_fi_caps)
			return refuse(why, "rx_attr.caps: unsupported capability");
		if (r->op_flags & ~OMX_FI_RX_OP_FLAGS)
			return refuse(why, "rx_attr.op_flags: unsupported flag");
		if (!order_ok(r->msg_order))
			return refuse(why, "rx_attr.msg_order: only FI_ORDER_SAS");
		if (r->comp_order & ~(uint64_t)FI_ORDER_NONE)
			return refuse(why, "rx_attr.comp_order: no completion ordering");
		if (r->iov_limit > OMX_FI_IOV_LIMIT)
			return refuse(why, "rx_attr.iov_limit: at most 8");
	}
	if (h->fabric_attr && h->fabric_attr->name &&
	    strcmp(h->fabric_attr->name, OMX_FI_FABRIC_NAME))
		return refuse(why, "fabric_attr.name: not omx");
	(void)version;
	return 0;
}

int omx_fi_info_build(uint32_t version, const struct fi_info *hints, uint32_t board,
		      struct fi_info **infop, const char **why)
{
	struct fi_info *info;
	uint64_t caps = OMX_FI_DEFAULT_CAPS;
	char dom[32];
	int ret;

	*why = NULL;
	if (hints) {
		ret = check_hints(version, hints, board, why);
		if (ret)
			return ret;
		if (hints->caps) {
			/* FI_MSG/FI_TAGGED alone mean both directions */
			caps = hints->caps;
			if (!(caps & (FI_SEND | FI_RECV)))
				caps |= FI_SEND | FI_RECV;
			caps |= FI_LOCAL_COMM | FI_REMOTE_COMM;
		}
	}

	info = fi_dupinfo(NULL);
	if (!info)
		return -FI_ENOMEM;
	snprintf(dom, sizeof(dom), "omx%u", board);
	info->caps = caps;
	info->mode = FI_CONTEXT;
	info->addr_format = FI_FORMAT_UNSPEC;

	info->ep_attr->type = FI_EP_RDM;
	info->ep_attr->protocol = FI_PROTO_UNSPEC;
	info->ep_attr->protocol_version = 1;
	info->ep_attr->max_msg_size = OMX_FI_MAX_MSG_SIZE;
	info->ep_attr->mem_tag_format = OMX_FI_TAG_BITS;
	info->ep_attr->tx_ctx_cnt = 1;
	info->ep_attr->rx_ctx_cnt = 1;

	info->domain_attr->name = strdup(dom);
	info->domain_attr->threading = FI_THREAD_DOMAIN;
	info->domain_attr->control_progress = FI_PROGRESS_MANUAL;
	info->domain_attr->data_progress = FI_PROGRESS_MANUAL;
	info->domain_attr->resource_mgmt = FI_RM_ENABLED;
	info->domain_attr->av_type = FI_AV_MAP;
	/* no registration at all; before 1.5 mr_mode was an enum */
	info->domain_attr->mr_mode = FI_VERSION_GE(version, FI_VERSION(1, 5)) ? 0 : FI_MR_SCALABLE;
	info->domain_attr->mr_key_size = 0;
	info->domain_attr->cq_data_size = 0;
	info->domain_attr->cq_cnt = 64;
	info->domain_attr->ep_cnt = 32;	/* MX endpoints per board, by default */
	info->domain_attr->tx_ctx_cnt = 32;
	info->domain_attr->rx_ctx_cnt = 32;
	info->domain_attr->max_ep_tx_ctx = 1;
	info->domain_attr->max_ep_rx_ctx = 1;
	info->domain_attr->mr_iov_limit = 1;
	info->domain_attr->caps = FI_LOCAL_COMM | FI_REMOTE_COMM;

	info->tx_attr->caps = caps & ~(FI_RECV | FI_DIRECTED_RECV);
	info->tx_attr->mode = FI_CONTEXT;
	info->tx_attr->op_flags = hints && hints->tx_attr ? hints->tx_attr->op_flags : 0;
	info->tx_attr->msg_order = OMX_FI_MSG_ORDER;
	info->tx_attr->comp_order = FI_ORDER_NONE;
	info->tx_attr->inject_size = OMX_FI_INJECT_SIZE;
	info->tx_attr->size = OMX_FI_CTX_SIZE;
	info->tx_attr->iov_limit = OMX_FI_IOV_LIMIT;
	info->tx_attr->rma_iov_limit = 0;

	info->rx_attr->caps = caps & ~FI_SEND;
	info->rx_attr->mode = FI_CONTEXT;
	info->rx_attr->op_flags = hints && hints->rx_attr ? hints->rx_attr->op_flags : 0;
	info->rx_attr->msg_order = OMX_FI_MSG_ORDER;
	info->rx_attr->comp_order = FI_ORDER_NONE;
	info->rx_attr->total_buffered_recv = 0;
	info->rx_attr->size = OMX_FI_CTX_SIZE;
	info->rx_attr->iov_limit = OMX_FI_IOV_LIMIT;

	info->fabric_attr->name = strdup(OMX_FI_FABRIC_NAME);
	info->fabric_attr->prov_name = strdup(OMX_FI_NAME);
	info->fabric_attr->prov_version = OMX_FI_PROV_VERSION;
	info->fabric_attr->api_version = OMX_FI_API_VERSION;

	if (!info->domain_attr->name || !info->fabric_attr->name || !info->fabric_attr->prov_name) {
		fi_freeinfo(info);
		return -FI_ENOMEM;
	}
	*infop = info;
	return 0;
}
