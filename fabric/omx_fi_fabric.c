// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fabric object: holds the MX library (mx_init) for as long as it is
 * open, and opens domains and event queues (omx_fi_eq.c).  No passive
 * endpoints (FI_EP_RDM only) and no wait sets.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

static int fabric_close(struct fid *fid)
{
	struct omx_fi_fabric *fab = container_of(fid, struct omx_fi_fabric, fabric_fid.fid);

	if (fab->refs)
		return -FI_EBUSY;	/* domains and EQs are closed first */
	free(fab);
	omx_fi_mx_put();
	return 0;
}

static struct fi_ops fabric_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = fabric_close,
	.bind = omx_fi_nosys_bind,
	.control = omx_fi_nosys_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

static int fabric_passive_ep(struct fid_fabric *fabric, struct fi_info *info,
			     struct fid_pep **pep, void *context)
{
	return -FI_ENOSYS;	/* FI_EP_MSG is not offered */
}

static int fabric_wait_open(struct fid_fabric *fabric, struct fi_wait_attr *attr,
			    struct fid_wait **waitset)
{
	return -FI_ENOSYS;
}

static int fabric_trywait(struct fid_fabric *fabric, struct fid **fids, int count)
{
	return -FI_ENOSYS;
}

static int fabric_domain2(struct fid_fabric *fabric, struct fi_info *info,
			  struct fid_domain **dom, uint64_t flags, void *context)
{
	if (flags)
		return -FI_EINVAL;	/* e.g. FI_PEER: not a peer provider */
	return omx_fi_domain_open(fabric, info, dom, context);
}

static struct fi_ops_fabric fabric_ops = {
	.size = sizeof(struct fi_ops_fabric),
	.domain = omx_fi_domain_open,
	.passive_ep = fabric_passive_ep,
	.eq_open = omx_fi_eq_open,
	.wait_open = fabric_wait_open,
	.trywait = fabric_trywait,
	.domain2 = fabric_domain2,
};

int omx_fi_fabric_open(struct fi_fabric_attr *attr, struct fid_fabric **fabric, void *context)
{
	struct omx_fi_fabric *fab;
	const char *why = NULL;
	int ret;

	if (attr->name && strcmp(attr->name, OMX_FI_FABRIC_NAME))
		return -FI_EINVAL;
	ret = omx_fi_mx_get(&why);
	if (ret) {
		OMX_FI_WARN(FI_LOG_FABRIC, "omx unavailable: %s\n", why);
		return ret;
	}
	fab = calloc(1, sizeof(*fab));
	if (!fab) {
		omx_fi_mx_put();
		return -FI_ENOMEM;
	}
	fab->fabric_fid.fid.fclass = FI_CLASS_FABRIC;
	fab->fabric_fid.fid.context = context;
	fab->fabric_fid.fid.ops = &fabric_fi_ops;
	fab->fabric_fid.ops = &fabric_ops;
	*fabric = &fab->fabric_fid;
	return 0;
}
