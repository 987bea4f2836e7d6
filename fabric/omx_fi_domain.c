// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The domain: one omx board ("omx<board>").  It opens AVs, CQs and
 * endpoints; memory registration, counters, poll sets, scalable and
 * shared contexts are -FI_ENOSYS (mr_mode 0: no operation needs a
 * registration).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

static int domain_close(struct fid *fid)
{
	struct omx_fi_domain *dom = container_of(fid, struct omx_fi_domain, domain_fid.fid);

	if (dom->refs)
		return -FI_EBUSY;	/* libfabric wants children closed first */
	dom->fabric->refs--;
	free(dom);
	return 0;
}

static struct fi_ops domain_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = domain_close,
	.bind = omx_fi_nosys_bind,
	.control = omx_fi_nosys_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

static int domain_scalable_ep(struct fid_domain *domain, struct fi_info *info,
			      struct fid_ep **sep, void *context)
{
	return -FI_ENOSYS;
}

static int domain_cntr_open(struct fid_domain *domain, struct fi_cntr_attr *attr,
			    struct fid_cntr **cntr, void *context)
{
	return -FI_ENOSYS;	/* counters: not yet */
}

static int domain_poll_open(struct fid_domain *domain, struct fi_poll_attr *attr,
			    struct fid_poll **pollset)
{
	return -FI_ENOSYS;
}

static int domain_stx_ctx(struct fid_domain *domain, struct fi_tx_attr *attr,
			  struct fid_stx **stx, void *context)
{
	return -FI_ENOSYS;
}

static int domain_srx_ctx(struct fid_domain *domain, struct fi_rx_attr *attr,
			  struct fid_ep **rx_ep, void *context)
{
	return -FI_ENOSYS;
}

static int domain_query_atomic(struct fid_domain *domain, enum fi_datatype datatype,
			       enum fi_op op, struct fi_atomic_attr *attr, uint64_t flags)
{
	return -FI_ENOSYS;
}

static int domain_query_collective(struct fid_domain *domain, enum fi_collective_op coll,
				   struct fi_collective_attr *attr, uint64_t flags)
{
	return -FI_ENOSYS;
}

static int domain_endpoint2(struct fid_domain *domain, struct fi_info *info,
			    struct fid_ep **ep, uint64_t flags, void *context)
{
	if (flags)
		return -FI_EINVAL;
	return omx_fi_endpoint_open(domain, info, ep, context);
}

static struct fi_ops_domain domain_ops = {
	.size = sizeof(struct fi_ops_domain),
	.av_open = omx_fi_av_open,
	.cq_open = omx_fi_cq_open,
	.endpoint = omx_fi_endpoint_open,
	.scalable_ep = domain_scalable_ep,
	.cntr_open = domain_cntr_open,
	.poll_open = domain_poll_open,
	.stx_ctx = domain_stx_ctx,
	.srx_ctx = domain_srx_ctx,
	.query_atomic = domain_query_atomic,
	.query_collective = domain_query_collective,
	.endpoint2 = domain_endpoint2,
};

int omx_fi_domain_open(struct fid_fabric *fabric, struct fi_info *info,
		       struct fid_domain **domain, void *context)
{
	struct omx_fi_domain *dom;
	unsigned int board = 0;
	char extra;

	/* the name getinfo gave: "omx<board number>" */
	if (info && info->domain_attr && info->domain_attr->name &&
	    sscanf(info->domain_attr->name, "omx%u%c", &board, &extra) != 1)
		return -FI_EINVAL;
	dom = calloc(1, sizeof(*dom));
	if (!dom)
		return -FI_ENOMEM;
	dom->domain_fid.fid.fclass = FI_CLASS_DOMAIN;
	dom->domain_fid.fid.context = context;
	dom->domain_fid.fid.ops = &domain_fi_ops;
	dom->domain_fid.ops = &domain_ops;
	dom->domain_fid.mr = &omx_fi_nosys_mr;
	dom->fabric = container_of(fabric, struct omx_fi_fabric, fabric_fid);
	dom->board = board;
	dom->fabric->refs++;
	*domain = &dom->domain_fid;
	return 0;
}
