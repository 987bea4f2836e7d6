// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Untagged messages (FI_MSG): the tagged path with match info
 * OMX_FI_MSG_BIT and a receive mask of that bit only, so an fi_recv
 * takes the next untagged message and never a tagged one.
 */
#include "omx_fi.h"

static ssize_t msg_recv(struct fid_ep *fid, void *buf, size_t len, void *desc, fi_addr_t src,
			void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return omx_fi_recv_common(ep, &iov, 1, src, OMX_FI_MSG_BIT, OMX_FI_MSG_BIT, context,
				  ep->rx_op_flags | FI_MSG);
}

static ssize_t msg_recvv(struct fid_ep *fid, const struct iovec *iov, void **desc, size_t count,
			 fi_addr_t src, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	return omx_fi_recv_common(ep, iov, count, src, OMX_FI_MSG_BIT, OMX_FI_MSG_BIT, context,
				  ep->rx_op_flags | FI_MSG);
}

static ssize_t msg_recvmsg(struct fid_ep *fid, const struct fi_msg *msg, uint64_t flags)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	if (flags & ~(FI_COMPLETION | FI_MORE))
		return -FI_EBADFLAGS;	/* FI_MULTI_RECV, FI_PEEK...: tagged only */
	return omx_fi_recv_common(ep, msg->msg_iov, msg->iov_count, msg->addr, OMX_FI_MSG_BIT,
				  OMX_FI_MSG_BIT, msg->context, flags | FI_MSG);
}

static ssize_t msg_send(struct fid_ep *fid, const void *buf, size_t len, void *desc,
			fi_addr_t dest, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return omx_fi_send_common(ep, &iov, 1, dest, OMX_FI_MSG_BIT, context,
				  ep->tx_op_flags | FI_MSG);
}

static ssize_t msg_sendv(struct fid_ep *fid, const struct iovec *iov, void **desc, size_t count,
			 fi_addr_t dest, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	return omx_fi_send_common(ep, iov, count, dest, OMX_FI_MSG_BIT, context,
				  ep->tx_op_flags | FI_MSG);
}

static ssize_t msg_sendmsg(struct fid_ep *fid, const struct fi_msg *msg, uint64_t flags)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	if (flags & FI_REMOTE_CQ_DATA)
		return -FI_ENOSYS;
	return omx_fi_send_common(ep, msg->msg_iov, msg->iov_count, msg->addr, OMX_FI_MSG_BIT,
				  msg->context, (flags & ~FI_MORE) | FI_MSG);
}

static ssize_t msg_inject(struct fid_ep *fid, const void *buf, size_t len, fi_addr_t dest)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return omx_fi_send_common(ep, &iov, 1, dest, OMX_FI_MSG_BIT, NULL, FI_INJECT | FI_MSG);
}

static ssize_t msg_senddata(struct fid_ep *ep, const void *buf, size_t len, void *desc,
			    uint64_t data, fi_addr_t dest, void *context)
{
	return -FI_ENOSYS;	/* no remote CQ data */
}

static ssize_t msg_injectdata(struct fid_ep *ep, const void *buf, size_t len, uint64_t data,
			      fi_addr_t dest)
{
	return -FI_ENOSYS;
}

struct fi_ops_msg omx_fi_msg_ops = {
	.size = sizeof(struct fi_ops_msg),
	.recv = msg_recv,
	.recvv = msg_recvv,
	.recvmsg = msg_recvmsg,
	.send = msg_send,
	.sendv = msg_sendv,
	.sendmsg = msg_sendmsg,
	.inject = msg_inject,
	.senddata = msg_senddata,
	.injectdata = msg_injectdata,
};
