// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tagged messages, and the send/receive paths FI_MSG shares.
 *
 * fi_tsend -> mx_isend (mx_issend with FI_DELIVERY_COMPLETE), fi_trecv ->
 * mx_irecv, with match info = tag and mask = ~ignore; bit 63 is ours
 * (OMX_FI_MSG_BIT, clear for tagged messages) and always compared.  The
 * application's buffers go to MX as segments: no copy, MX's eager or
 * rendezvous protocol moving the data, except for injects (copied into
 * an inject slot of the endpoint, at most 128 bytes) and claimed
 * messages (below).
 *
 * FI_PEEK uses mx_iprobe.  FI_PEEK|FI_CLAIM must set the message aside
 * for a later FI_CLAIM receive, which no other receive may take in
 * between; MX has no such hold, so the claim posts at once an mx_irecv
 * of the message's exact match info (full mask) into a bounce buffer of
 * its length: MX matches the unexpected queue in arrival order and the
 * probe returned the first message matching a wider mask, so that
 * receive takes exactly the probed message.  The FI_CLAIM receive then
 * copies it from the bounce buffer: one copy, and one allocation, per
 * claimed message (MPI_Mprobe/MPI_Improbe only).
 */
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

static int to_segments(const struct iovec *iov, size_t count, mx_segment_t *segs)
{
	uint64_t total = 0;

	if (count > OMX_FI_IOV_LIMIT)
		return -FI_EINVAL;
	for (size_t i = 0; i < count; i++) {
		total += iov[i].iov_len;
		if (iov[i].iov_len > UINT32_MAX || total > OMX_FI_MAX_MSG_SIZE)
			return -FI_EMSGSIZE;
		segs[i].segment_ptr = iov[i].iov_base;
		segs[i].segment_length = (uint32_t)iov[i].iov_len;
	}
	return 0;
}

static size_t iov_total(const struct iovec *iov, size_t count)
{
	size_t total = 0;

	for (size_t i = 0; i < count; i++)
		total += iov[i].iov_len;
	return total;
}

/* An inject (or FI_INJECT send): copy into a slot, send from it. */
static ssize_t send_inject(struct omx_fi_ep *ep, const struct iovec *iov, size_t count,
			   struct omx_fi_peer *peer, uint64_t match, void *context, uint64_t flags)
{
	struct omx_fi_inject_slot *s;
	mx_segment_t seg;
	mx_request_t req;
	size_t len = iov_total(iov, count), off = 0;
	mx_return_t ret;

	if (len > OMX_FI_INJECT_SIZE)
		return -FI_EMSGSIZE;
	if (!ep->free_slots)
		omx_fi_ep_progress(ep);	/* slots come back as their sends complete */
	s = ep->free_slots;
	if (!s)
		return -FI_EAGAIN;
	for (size_t i = 0; i < count; i++) {
		if (iov[i].iov_len)
			memcpy(s->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	seg.segment_ptr = s->data;
	seg.segment_length = (uint32_t)len;
	ret = mx_isend(ep->mx, &seg, 1, peer->mx_addr, match, s, &req);
	if (ret != MX_SUCCESS)
		return ret == MX_NO_RESOURCES ? -FI_EAGAIN : omx_fi_mx_errno(ret);
	ep->free_slots = s->next_free;
	s->app_context = context;
	s->flags = flags;
	return 0;
}

ssize_t omx_fi_send_common(struct omx_fi_ep *ep, const struct iovec *iov, size_t count,
			   fi_addr_t dest, uint64_t match, void *context, uint64_t flags)
{
	struct omx_fi_opctx *op = context;
	mx_segment_t segs[OMX_FI_IOV_LIMIT];
	struct omx_fi_peer *peer;
	mx_return_t ret;
	int err;

	err = omx_fi_ep_peer(ep, dest, &peer);
	if (err)
		return err;
	flags |= FI_SEND;
	if (flags & FI_INJECT)
		return send_inject(ep, iov, count, peer, match, context, flags);
	if (!op) {
		/*
		 * No fi_context to keep the operation's state in.  Allowed for
		 * a send that reports no completion (FI_SELECTIVE_COMPLETION
		 * bind, no FI_COMPLETION) and fits an inject slot: Open MPI
		 * acknowledges a synchronous send with such a 0-byte
		 * fi_tsendmsg, context NULL.  It goes as an inject; an error
		 * on it has no context to be reported with.
		 */
		if (omx_fi_want_completion(ep, flags) || iov_total(iov, count) > OMX_FI_INJECT_SIZE)
			return -FI_EINVAL;
		return send_inject(ep, iov, count, peer, match, NULL, flags);
	}
	err = to_segments(iov, count, segs);
	if (err)
		return err;
	op->flags = flags;
	op->buf = NULL;
	op->src = 0;
	/* the completion when the receiver has matched and taken the data */
	if (flags & FI_DELIVERY_COMPLETE)
		ret = mx_issend(ep->mx, segs, (uint32_t)count, peer->mx_addr, match, op, &op->req);
	else
		ret = mx_isend(ep->mx, segs, (uint32_t)count, peer->mx_addr, match, op, &op->req);
	if (ret != MX_SUCCESS) {
		op->req = NULL;
		return ret == MX_NO_RESOURCES ? -FI_EAGAIN : omx_fi_mx_errno(ret);
	}
	return 0;
}

ssize_t omx_fi_recv_common(struct omx_fi_ep *ep, const struct iovec *iov, size_t count,
			   fi_addr_t src, uint64_t match, uint64_t mask, void *context,
			   uint64_t flags)
{
	struct omx_fi_opctx *op = context;
	mx_segment_t segs[OMX_FI_IOV_LIMIT];
	mx_return_t ret;
	int err;

	if (!ep->enabled)
		return -FI_EOPBADSTATE;
	if (!op)
		return -FI_EINVAL;
	err = to_segments(iov, count, segs);
	if (err)
		return err;
	op->flags = flags | FI_RECV;
	op->buf = count ? iov[0].iov_base : NULL;
	op->src = 0;
	/*
	 * fi_addr 0 names no peer here (FI_AV_MAP addresses are pointers to
	 * our omx_fi_peer), and Open MPI's mtl ofi passes 0 as the source of
	 * the receive for a synchronous send's acknowledgement in its
	 * ofi_tag_1 layout, where the source is in the tag: 0 means any
	 * source, like FI_ADDR_UNSPEC, instead of failing MPI_Ssend.
	 */
	if ((ep->caps & FI_DIRECTED_RECV) && src != FI_ADDR_UNSPEC && src != 0) {
		struct omx_fi_peer *peer;

		err = omx_fi_ep_peer(ep, src, &peer);
		if (err)
			return err;
		op->src = (uintptr_t)peer;
	}
	ret = mx_irecv(ep->mx, segs, (uint32_t)count, match & mask, mask, op, &op->req);
	if (ret != MX_SUCCESS) {
		op->req = NULL;
		return ret == MX_NO_RESOURCES ? -FI_EAGAIN : omx_fi_mx_errno(ret);
	}
	return 0;
}

static uint64_t tag_mask(uint64_t ignore)
{
	return ~ignore | OMX_FI_MSG_BIT;
}

/* The claimed message is in its bounce buffer and the FI_CLAIM recv is here. */
void omx_fi_claim_complete(struct omx_fi_ep *ep, struct omx_fi_opctx *op)
{
	struct omx_fi_claim *c = op->buf;
	size_t have = c->status.xfer_length, off = 0, room;
	uint64_t tag = c->status.match_info & OMX_FI_TAG_BITS;
	int err = 0;

	room = iov_total(c->iov, c->iov_count);
	for (size_t i = 0; i < c->iov_count && off < have; i++) {
		size_t n = have - off < c->iov[i].iov_len ? have - off : c->iov[i].iov_len;

		memcpy(c->iov[i].iov_base, (char *)c->bounce + off, n);
		off += n;
	}
	if (c->status.code != MX_STATUS_SUCCESS)
		err = FI_EIO;
	else if (have > room)
		err = FI_ETRUNC;
	op->flags &= ~OMX_FI_OP_CLAIMED;
	op->buf = c->iov_count ? c->iov[0].iov_base : NULL;
	if (err || omx_fi_want_completion(ep, op->flags))
		omx_fi_push(ep, op->flags, op, off, op->buf, tag, err,
			    err == FI_ETRUNC ? have - room : 0, (int)c->status.code);
	free(c->bounce);
	free(c);
}

static ssize_t trecv_peek(struct omx_fi_ep *ep, const struct fi_msg_tagged *msg, uint64_t flags)
{
	struct omx_fi_opctx *op = msg->context;
	uint64_t mask = tag_mask(msg->ignore);
	struct omx_fi_claim *c;
	mx_segment_t seg;
	mx_status_t st;
	uint32_t result = 0;
	mx_return_t ret;

	if (!ep->enabled)
		return -FI_EOPBADSTATE;
	if (!op)
		return -FI_EINVAL;
	if (flags & FI_DISCARD)
		return -FI_ENOSYS;	/* FI_PEEK|FI_DISCARD: not yet */
	ret = mx_iprobe(ep->mx, msg->tag & mask, mask, &st, &result);
	if (ret != MX_SUCCESS)
		return omx_fi_mx_errno(ret);
	op->flags = FI_RECV | FI_TAGGED | (flags & FI_COMPLETION);
	op->req = NULL;
	op->src = 0;
	op->buf = NULL;
	if (!result) {
		omx_fi_push(ep, op->flags, op, 0, NULL, 0, FI_ENOMSG, 0, 0);
		return 0;
	}
	if (flags & FI_CLAIM) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return -FI_ENOMEM;
		c->len = st.msg_length;
		c->bounce = malloc(st.msg_length ? st.msg_length : 1);
		if (!c->bounce) {
			free(c);
			return -FI_ENOMEM;
		}
		seg.segment_ptr = c->bounce;
		seg.segment_length = st.msg_length;
		op->flags |= OMX_FI_OP_CLAIMED;
		op->buf = c;
		ret = mx_irecv(ep->mx, &seg, 1, st.match_info, MX_MATCH_MASK_NONE, op, &op->req);
		if (ret != MX_SUCCESS) {
			op->flags &= ~OMX_FI_OP_CLAIMED;
			op->buf = NULL;
			free(c->bounce);
			free(c);
			return omx_fi_mx_errno(ret);
		}
	}
	/* the peek's own completion: length and tag of the message found */
	omx_fi_push(ep, FI_RECV | FI_TAGGED, op, st.msg_length, NULL,
		    st.match_info & OMX_FI_TAG_BITS, 0, 0, 0);
	return 0;
}

static ssize_t trecv_claim(struct omx_fi_ep *ep, const struct fi_msg_tagged *msg, uint64_t flags)
{
	struct omx_fi_opctx *op = msg->context;
	struct omx_fi_claim *c;

	if (!op || !(op->flags & OMX_FI_OP_CLAIMED))
		return -FI_EINVAL;	/* no FI_PEEK|FI_CLAIM with this context */
	c = op->buf;
	if (flags & FI_DISCARD) {
		c->iov_count = 0;
	} else {
		if (msg->iov_count > OMX_FI_IOV_LIMIT)
			return -FI_EINVAL;
		for (size_t i = 0; i < msg->iov_count; i++)
			c->iov[i] = msg->msg_iov[i];
		c->iov_count = msg->iov_count;
	}
	c->recv_posted = true;
	op->flags = (op->flags & OMX_FI_OP_CLAIMED) | FI_RECV | FI_TAGGED | (flags & FI_COMPLETION);
	if (c->done)
		omx_fi_claim_complete(ep, op);
	return 0;
}

static ssize_t tagged_recvmsg(struct fid_ep *fid, const struct fi_msg_tagged *msg, uint64_t flags)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	if (flags & FI_PEEK)
		return trecv_peek(ep, msg, flags);
	if (flags & FI_CLAIM)
		return trecv_claim(ep, msg, flags);
	if (flags & ~(FI_COMPLETION | FI_MORE))
		return -FI_EBADFLAGS;
	return omx_fi_recv_common(ep, msg->msg_iov, msg->iov_count, msg->addr, msg->tag,
				  tag_mask(msg->ignore), msg->context, flags | FI_TAGGED);
}

static ssize_t tagged_recv(struct fid_ep *fid, void *buf, size_t len, void *desc,
			   fi_addr_t src_addr, uint64_t tag, uint64_t ignore, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return omx_fi_recv_common(ep, &iov, 1, src_addr, tag, tag_mask(ignore), context,
				  ep->rx_op_flags | FI_TAGGED);
}

static ssize_t tagged_recvv(struct fid_ep *fid, const struct iovec *iov, void **desc,
			    size_t count, fi_addr_t src_addr, uint64_t tag, uint64_t ignore,
			    void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	return omx_fi_recv_common(ep, iov, count, src_addr, tag, tag_mask(ignore), context,
				  ep->rx_op_flags | FI_TAGGED);
}

static bool tag_ok(uint64_t tag)
{
	return !(tag & OMX_FI_MSG_BIT);
}

static ssize_t tagged_send(struct fid_ep *fid, const void *buf, size_t len, void *desc,
			   fi_addr_t dest, uint64_t tag, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	if (!tag_ok(tag))
		return -FI_EINVAL;
	return omx_fi_send_common(ep, &iov, 1, dest, tag, context, ep->tx_op_flags | FI_TAGGED);
}

static ssize_t tagged_sendv(struct fid_ep *fid, const struct iovec *iov, void **desc,
			    size_t count, fi_addr_t dest, uint64_t tag, void *context)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	if (!tag_ok(tag))
		return -FI_EINVAL;
	return omx_fi_send_common(ep, iov, count, dest, tag, context, ep->tx_op_flags | FI_TAGGED);
}

static ssize_t tagged_sendmsg(struct fid_ep *fid, const struct fi_msg_tagged *msg, uint64_t flags)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);

	if (!tag_ok(msg->tag))
		return -FI_EINVAL;
	if (flags & FI_REMOTE_CQ_DATA)
		return -FI_ENOSYS;
	return omx_fi_send_common(ep, msg->msg_iov, msg->iov_count, msg->addr, msg->tag,
				  msg->context, (flags & ~FI_MORE) | FI_TAGGED);
}

static ssize_t tagged_inject(struct fid_ep *fid, const void *buf, size_t len, fi_addr_t dest,
			     uint64_t tag)
{
	struct omx_fi_ep *ep = container_of(fid, struct omx_fi_ep, ep_fid);
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	if (!tag_ok(tag))
		return -FI_EINVAL;
	/* never a completion: no context to report */
	return omx_fi_send_common(ep, &iov, 1, dest, tag, NULL, FI_INJECT | FI_TAGGED);
}

static ssize_t tagged_senddata(struct fid_ep *ep, const void *buf, size_t len, void *desc,
			       uint64_t data, fi_addr_t dest, uint64_t tag, void *context)
{
	return -FI_ENOSYS;	/* cq_data_size 0: no remote CQ data */
}

static ssize_t tagged_injectdata(struct fid_ep *ep, const void *buf, size_t len, uint64_t data,
				 fi_addr_t dest, uint64_t tag)
{
	return -FI_ENOSYS;
}

struct fi_ops_tagged omx_fi_tagged_ops = {
	.size = sizeof(struct fi_ops_tagged),
	.recv = tagged_recv,
	.recvv = tagged_recvv,
	.recvmsg = tagged_recvmsg,
	.send = tagged_send,
	.sendv = tagged_sendv,
	.sendmsg = tagged_sendmsg,
	.inject = tagged_inject,
	.senddata = tagged_senddata,
	.injectdata = tagged_injectdata,
};
