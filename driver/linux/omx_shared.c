// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pulls between two endpoints of this host: no frame at all, one copy
 * from the sender's pinned pages to the receiver's, in the PULL ioctl.
 * The remote endpoint, its session and region are checked exactly as a
 * PULL from the wire would be, and a refusal ends the pull with the
 * status the matching NACK_MCP would have given.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_pull.h"
#include "omx_region.h"

static u32 omx_shared_check(struct omx_endpoint *remote, enum omx_nack_type why,
			    const struct omx_cmd_pull *cmd, struct omx_region **srcp)
{
	struct omx_region *src;

	if (!remote)
		return why == OMX_NACK_TYPE_BAD_ENDPT ? OMX_PULL_STATUS_BAD_ENDPT :
			OMX_PULL_STATUS_ENDPT_CLOSED;
	if (remote->session_id != cmd->session)
		return OMX_PULL_STATUS_BAD_SESSION;
	src = omx_region_get(remote, cmd->remote_rdma_id, cmd->remote_rdma_seqnum);
	if (!src || (u64)cmd->remote_offset + cmd->length > src->length) {
		if (src)
			omx_region_put(src);
		omx_iface_count(remote->iface, OMX_COUNTER_RX_DROP_BAD_RDMAWIN, 1);
		return OMX_PULL_STATUS_BAD_RDMAWIN;
	}
	*srcp = src;
	return OMX_PULL_STATUS_OK;
}

/*
 * A full expected ring loses no completion: the event then waits in a
 * pull slot, as for a wire pull, and the slot's timer delivers it.
 */
static int omx_shared_done(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
			   struct omx_region *dst, u32 status, u32 length)
{
	struct omx_pull_table *table = ep->pulls;
	int ret;

	local_bh_disable();
	ret = omx_pull_deliver_done(ep, cmd->cookie, status, length, dst->id,
				    cmd->peer_index, cmd->dst_endpoint);
	local_bh_enable();
	if (!ret)
		return 0;
	return omx_pull_park_done(table, cmd, dst, status, length);
}

int omx_shared_pull(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
		    struct omx_region *dst, struct omx_endpoint *remote,
		    enum omx_nack_type why)
{
	struct omx_region *src = NULL;
	u32 status = OMX_PULL_STATUS_OK;

	if (cmd->length) {
		status = omx_shared_check(remote, why, cmd, &src);
		if (src) {
			omx_region_copy(dst, cmd->local_offset, src, cmd->remote_offset,
					cmd->length);
			omx_region_put(src);
		}
		omx_iface_count(ep->iface, OMX_COUNTER_SHARED_PULLS, 1);
		if (status != OMX_PULL_STATUS_OK)
			omx_iface_count(ep->iface, OMX_COUNTER_PULL_FAILED, 1);
	}
	return omx_shared_done(ep, cmd, dst, status,
			       status == OMX_PULL_STATUS_OK ? cmd->length : 0);
}
