// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pulls between two endpoints of this host: no frame at all, one copy
 * from the sender's pinned pages to the receiver's, in the PULL ioctl.
 * The remote endpoint, its session and region are checked exactly as a
 * PULL from the wire would be, and a refusal ends the pull with the
 * status the matching NACK_MCP would have given.  The copy (up to 4 GiB)
 * stops at a fatal signal: the PULL command then fails with EINTR.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_pull.h"
#include "omx_region.h"

/*
 * Inside the host the driver knows the puller exactly: the grant must
 * name its board, index and session (a reopened endpoint has another),
 * and the token must be the RNDV's, as on the wire.
 */
static u32 omx_shared_check(struct omx_endpoint *ep, struct omx_endpoint *remote,
			    enum omx_nack_type why, const struct omx_cmd_pull *cmd,
			    struct omx_region **srcp, u64 *src_offset)
{
	struct omx_pull_claim claim = {
		.mac = ep->mac,
		.endpoint = ep->index,
		.local = true,
		.session = ep->session_id,
		.offset = cmd->remote_offset,
		.length = cmd->length,
		.token_hi = cmd->remote_token_hi,
	};
	struct omx_region *src;
	int ret = -ERANGE;

	if (!remote)
		return why == OMX_NACK_TYPE_BAD_ENDPT ? OMX_PULL_STATUS_BAD_ENDPT :
			OMX_PULL_STATUS_ENDPT_CLOSED;
	if (remote->session_id != cmd->session)
		return OMX_PULL_STATUS_BAD_SESSION;
	src = omx_region_get(remote, cmd->remote_rdma_id, cmd->remote_rdma_seqnum);
	if (src)
		ret = omx_region_may_pull(remote, src, &claim, src_offset);
	if (ret) {
		if (src)
			omx_region_put(src);
		/* the same answer as for an unknown region: no oracle */
		omx_iface_count(remote->iface, ret == -EACCES ? OMX_COUNTER_PULL_DENIED :
				OMX_COUNTER_RX_DROP_BAD_RDMAWIN, 1);
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
	u64 src_offset = 0, copied;
	int ret = 0;

	if (cmd->length) {
		status = omx_shared_check(ep, remote, why, cmd, &src, &src_offset);
		if (src) {
			ret = omx_region_copy(dst, cmd->local_offset, src, src_offset,
					      cmd->length, &copied);
			omx_region_put(src);
		}
		omx_iface_count(ep->iface, OMX_COUNTER_SHARED_PULLS, 1);
		if (status != OMX_PULL_STATUS_OK || ret)
			omx_iface_count(ep->iface, OMX_COUNTER_PULL_FAILED, 1);
		/*
		 * Killed mid-copy: the process will not read a PULL_DONE; both
		 * regions' references are back, the endpoint closes next.
		 */
		if (ret)
			return ret;
	}
	return omx_shared_done(ep, cmd, dst, status,
			       status == OMX_PULL_STATUS_OK ? cmd->length : 0);
}
