// SPDX-License-Identifier: GPL-2.0-only
/*
 * The replier: a PULL for a region of one of our endpoints is answered
 * by PULL_REPLY frames whose data are fragments of the region's pinned
 * pages (each fragment holds its own page reference), so the sender's
 * data are never copied and its process is not involved.  A frame whose
 * data would be too short for the Ethernet minimum or need more than
 * MAX_SKB_FRAGS fragments (tiny region segments) is copied instead.
 *
 * Everything in the PULL is checked against the region before a byte is
 * sent: a PULL naming an unknown endpoint, session or region, or reaching
 * outside the region, is answered by a NACK_MCP; a block the frame
 * geometry does not allow is dropped.  Only the endpoint the region's
 * last RNDV was sent to, from the board it was sent to, with the RNDV's
 * token, may pull it (omx_region_may_pull()): anybody else gets the
 * NACK_MCP of an unknown region, and replies only ever go to the
 * addressee's MAC address.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/skbuff.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_send.h"
#include "omx_trace.h"
#include "omx_wire.h"

static void omx_pull_reply_nack(struct omx_iface *iface, const struct omx_pkt *pkt,
				u16 reverse, enum omx_nack_type type)
{
	struct omx_pkt nack = { .type = OMX_PKT_TYPE_NACK_MCP };

	ether_addr_copy(nack.dst_mac, pkt->src_mac);
	nack.peer_index = reverse;
	nack.nack_mcp.dst_endpoint = pkt->pull.src_endpoint;
	nack.nack_mcp.nack_type = type;
	nack.nack_mcp.src_pull_handle = pkt->pull.src_pull_handle;
	nack.nack_mcp.src_magic = pkt->pull.src_magic;
	omx_send_frame(iface, &nack, NULL, 0, OMX_COUNTER_TX_NACK_MCP, false);
}

/* Copy path: the data in the linear part, padded to the Ethernet minimum. */
static int omx_pull_reply_copy(struct omx_iface *iface, struct omx_pkt *hdr,
			       struct omx_region *region, u64 offset, u32 len)
{
	unsigned int po, n;
	struct sk_buff *skb;
	struct page *page;
	u8 *data;
	void *addr;

	skb = omx_send_alloc(iface, hdr, max_t(u32, OMX_PULL_REPLY_HLEN + len, OMX_ETH_ZLEN),
			     GFP_ATOMIC, &data);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	while (len) {
		page = omx_region_page(region, offset, &po, &n);
		n = min(n, len);
		addr = kmap_local_page(page);
		memcpy(data, addr + po, n);
		kunmap_local(addr);
		data += n;
		offset += n;
		len -= n;
	}
	return omx_send_xmit(iface, skb, OMX_COUNTER_TX_PULL_REPLY, false);
}

static int omx_pull_reply_send(struct omx_iface *iface, struct omx_pkt *hdr,
			       struct omx_region *region, u64 offset, u32 len)
{
	unsigned int po, n, nr = 0;
	struct sk_buff *skb;
	struct page *page;
	u64 off = offset;
	u32 left = len;
	u8 *data;

	if (OMX_PULL_REPLY_HLEN + len < OMX_ETH_ZLEN)
		return omx_pull_reply_copy(iface, hdr, region, offset, len);
	skb = omx_send_alloc(iface, hdr, OMX_PULL_REPLY_HLEN, GFP_ATOMIC, &data);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	while (left) {
		if (nr == MAX_SKB_FRAGS) {
			kfree_skb(skb);
			return omx_pull_reply_copy(iface, hdr, region, offset, len);
		}
		page = omx_region_page(region, off, &po, &n);
		n = min(n, left);
		/* dropped by the skb's destructor: the page outlives an unpin */
		get_page(page);
		skb_fill_page_desc(skb, nr++, page, po, n);
		skb->len += n;
		skb->data_len += n;
		skb->truesize += n;
		off += n;
		left -= n;
	}
	/*
	 * The pages are the user's, possibly page cache of a file it may only
	 * read: whoever would write into the frags (a checksum or encryption
	 * offload fixing data in place) must copy them first.
	 */
	skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
	return omx_send_xmit(iface, skb, OMX_COUNTER_TX_PULL_REPLY, false);
}

/* Checks and sends; returns the drop counter or OMX_COUNTER_NR. */
static enum omx_counter_index omx_pull_reply_block(struct omx_iface *iface,
						   const struct omx_pkt *pkt,
						   struct omx_endpoint *ep,
						   struct omx_region *region, u64 start,
						   u16 reverse)
{
	const struct omx_pkt_pull *p = &pkt->pull;
	struct omx_pkt hdr = { .type = OMX_PKT_TYPE_PULL_REPLY };
	u32 reply_len = ep->pull_reply_len;
	u32 n, i, len, left;
	s64 msg_offset;

	n = omx_wire_pull_block_replies(p, reply_len);
	if (!n)
		return OMX_COUNTER_RX_DROP_BAD_FRAG;
	msg_offset = (s64)p->frame_index * reply_len -
		(p->pulled_rdma_offset % reply_len) + p->first_frame_offset;
	if (msg_offset < 0 || msg_offset + p->block_length > p->total_length)
		return OMX_COUNTER_RX_DROP_BAD_FRAG;

	omx_iface_count(iface, OMX_COUNTER_RX_PULL, 1);
	trace_omx_recv_pull(iface, p, n);
	ether_addr_copy(hdr.dst_mac, pkt->src_mac);
	hdr.peer_index = reverse;
	hdr.pull_reply.dst_pull_handle = p->src_pull_handle;
	hdr.pull_reply.dst_magic = p->src_magic;
	left = p->block_length;
	for (i = 0; i < n && left; i++) {
		len = min(left, i ? reply_len : reply_len - p->first_frame_offset);
		hdr.pull_reply.frame_seqnum = (u8)(p->frame_index + i);
		hdr.pull_reply.frame_length = len;
		hdr.pull_reply.msg_offset = msg_offset;
		/* a failed send is counted in tx_errors; the puller asks again */
		omx_pull_reply_send(iface, &hdr, region, start + msg_offset, len);
		msg_offset += len;
		left -= len;
	}
	return OMX_COUNTER_NR;
}

enum omx_counter_index omx_pull_reply_recv_pull(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt)
{
	const struct omx_pkt_pull *p = &pkt->pull;
	struct omx_pull_claim claim = {
		.mac = pkt->src_mac,
		.endpoint = p->src_endpoint,
		.offset = p->pulled_rdma_offset,
		.length = p->total_length,
		.token_hi = p->token_hi,
	};
	enum omx_counter_index drop;
	struct omx_region *region = NULL;
	struct omx_endpoint *ep;
	enum omx_nack_type why;
	u16 reverse = OMX_PEER_INDEX_UNKNOWN;
	u64 start = 0;
	int peer, ret = -ERANGE;

	/* no lock; an unknown sender is learned once its session proved right */
	peer = omx_peer_lookup_rcu(iface->index, pkt->peer_index, pkt->src_mac,
				   OMX_PEER_INDEX_UNKNOWN, &reverse);

	ep = omx_endpoint_get_rcu(iface, p->dst_endpoint, &why);
	if (!ep) {
		omx_pull_reply_nack(iface, pkt, reverse, why);
		return why == OMX_NACK_TYPE_BAD_ENDPT ? OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT :
			OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED;
	}
	if (p->session != ep->session_id) {
		omx_endpoint_put(ep);
		omx_pull_reply_nack(iface, pkt, reverse, OMX_NACK_TYPE_BAD_SESSION);
		return OMX_COUNTER_RX_DROP_BAD_SESSION;
	}
	if (peer < 0 &&
	    omx_peer_learn_index(iface->index, pkt->src_mac, OMX_PEER_INDEX_UNKNOWN) < 0) {
		/* peer table full: counted in its "refused" too */
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	}
	if (p->pulled_rdma_id < OMX_REGIONS_MAX)
		region = omx_region_get(ep, p->pulled_rdma_id, p->pulled_rdma_seqnum);
	if (region)
		ret = omx_region_may_pull(ep, region, &claim, &start);
	if (ret) {
		if (region)
			omx_region_put(region);
		omx_endpoint_put(ep);
		/* refused as if unknown: no hint that the region exists */
		omx_pull_reply_nack(iface, pkt, reverse, OMX_NACK_TYPE_BAD_RDMAWIN);
		return ret == -EACCES ? OMX_COUNTER_PULL_DENIED : OMX_COUNTER_RX_DROP_BAD_RDMAWIN;
	}
	drop = omx_pull_reply_block(iface, pkt, ep, region, start, reverse);
	omx_region_put(region);
	omx_endpoint_put(ep);
	return drop;
}
