// SPDX-License-Identifier: GPL-2.0-only
/*
 * Send path: frames are encoded by the shared wire codec, copied into an
 * skb and handed to the board, or, when they are for the board's own MAC
 * address (another endpoint of this board), handed straight to the
 * receive path.  The send commands validate every argument here, before
 * anything is allocated.
 *
 * The board's netdev is read under RCU: detach clears it and waits for a
 * grace period before dropping its reference.  User memory is copied
 * outside RCU, into an skb sized for the netdev seen at build time;
 * dev_queue_xmit() copes if the netdev changed in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/if_packet.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_peer.h"
#include "omx_recv.h"
#include "omx_region.h"
#include "omx_send.h"
#include "omx_trace.h"
#include "omx_wire.h"

static_assert(OMX_ABI_TINY_MAX == OMX_TINY_MAX);
static_assert(OMX_ABI_SMALL_MAX == OMX_SMALL_MAX);
static_assert(OMX_ABI_MEDIUM_MAX == OMX_MEDIUM_MAX);
static_assert(OMX_ABI_MEDIUM_FRAGS_MAX == OMX_MEDIUM_FRAGS_MAX);
static_assert(OMX_ENDPOINTS_LIMIT == OMX_ENDPOINT_INDEX_MAX);

struct sk_buff *omx_send_alloc(struct omx_iface *iface, struct omx_pkt *pkt,
			       unsigned int len, gfp_t gfp, u8 **payload)
{
	const struct omx_wire_type_info *type = omx_wire_type(pkt->type);
	unsigned int hdr_len = type->hdr_len;
	unsigned int headroom, tailroom;
	struct net_device *dev;
	struct sk_buff *skb;
	u8 *frame;

	rcu_read_lock();
	dev = rcu_dereference(iface->netdev);
	if (!dev) {
		rcu_read_unlock();
		return ERR_PTR(-ENETDOWN);
	}
	headroom = LL_RESERVED_SPACE(dev);
	tailroom = dev->needed_tailroom;
	memcpy(pkt->src_mac, dev->dev_addr, ETH_ALEN);
	rcu_read_unlock();

	skb = alloc_skb(headroom + len + tailroom, gfp);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, headroom);
	skb_reset_mac_header(skb);
	frame = skb_put_zero(skb, len);
	if (WARN_ON_ONCE(omx_wire_encode(pkt, frame, len) != hdr_len)) {
		kfree_skb(skb);
		return ERR_PTR(-EINVAL);
	}
	*payload = frame + hdr_len;
	return skb;
}

/* An skb holding the encoded header of @pkt and room for the payload. */
static struct sk_buff *omx_send_build(struct omx_iface *iface,
				      struct omx_pkt *pkt,
				      unsigned int payload_len, gfp_t gfp,
				      u8 **payload)
{
	unsigned int hdr_len = omx_wire_type(pkt->type)->hdr_len;

	return omx_send_alloc(iface, pkt,
			      max_t(unsigned int, hdr_len + payload_len, OMX_ETH_ZLEN),
			      gfp, payload);
}

/* As if received: the receive path wants skb->data past the Ethernet header. */
static void omx_send_local(struct omx_iface *iface, struct sk_buff *skb)
{
	skb->pkt_type = PACKET_HOST;
	skb_pull(skb, ETH_HLEN);
	local_bh_disable();
	omx_recv_local(iface, skb);
	local_bh_enable();
	consume_skb(skb);
}

int omx_send_xmit(struct omx_iface *iface, struct sk_buff *skb,
		  enum omx_counter_index counter, bool shared)
{
	unsigned int len = skb->len;
	struct omx_iface *other;
	struct net_device *dev;
	bool local = false;
	int ret = 0;

	rcu_read_lock();
	dev = rcu_dereference(iface->netdev);
	if (!dev || !(READ_ONCE(iface->status) & OMX_BOARD_STATUS_UP) ||
	    !netif_running(dev) || !netif_carrier_ok(dev)) {
		kfree_skb(skb);
		ret = -ENETDOWN;
		goto out;
	}
	if (len > dev->mtu + ETH_HLEN) {
		kfree_skb(skb);
		ret = -EMSGSIZE;
		goto out;
	}

	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = htons(OMX_ETH_P);
	skb->dev = dev;
	other = NULL;
	if (shared && !ether_addr_equal(eth_hdr(skb)->h_dest, dev->dev_addr))
		other = omx_iface_find_by_mac_rcu(eth_hdr(skb)->h_dest);
	if (ether_addr_equal(eth_hdr(skb)->h_dest, dev->dev_addr)) {
		local = true;
		omx_send_local(iface, skb);
	} else if (other) {
		/* another board of this host: no wire needed either */
		local = true;
		omx_send_local(other, skb);
	} else {
		/* consumes the skb whatever happens */
		ret = dev_queue_xmit(skb);
		if (ret != NET_XMIT_SUCCESS)
			ret = ret < 0 ? ret : -ENOBUFS;
	}
out:
	rcu_read_unlock();

	if (ret) {
		omx_iface_count(iface, OMX_COUNTER_TX_ERRORS, 1);
		return ret;
	}
	if (local) {
		omx_iface_count(iface, OMX_COUNTER_LOCAL_FRAMES, 1);
	} else {
		omx_iface_count(iface, OMX_COUNTER_TX_FRAMES, 1);
		omx_iface_count(iface, OMX_COUNTER_TX_BYTES, len);
	}
	omx_iface_count(iface, counter, 1);
	return 0;
}

int omx_send_frame(struct omx_iface *iface, struct omx_pkt *pkt,
		   const void *payload, unsigned int payload_len,
		   enum omx_counter_index counter, bool shared)
{
	struct sk_buff *skb;
	u8 *data;

	skb = omx_send_build(iface, pkt, payload_len, GFP_ATOMIC, &data);
	if (IS_ERR(skb)) {
		omx_iface_count(iface, OMX_COUNTER_TX_ERRORS, 1);
		return PTR_ERR(skb);
	}
	if (payload_len)
		memcpy(data, payload, payload_len);
	return omx_send_xmit(iface, skb, counter, shared);
}

/* Destination MAC and head peer index (our index at the peer). */
static int omx_send_resolve(u16 peer_index, struct omx_pkt *pkt)
{
	u16 reverse;
	int ret;

	ret = omx_peer_resolve(peer_index, pkt->dst_mac, &reverse);
	if (ret)
		return ret;
	pkt->peer_index = reverse;
	return 0;
}

/* Build, fill from user memory, send. */
static int omx_send_user(struct omx_endpoint *ep, struct omx_pkt *pkt,
			 u64 data, unsigned int len,
			 enum omx_counter_index counter)
{
	struct sk_buff *skb;
	u8 *payload;

	skb = omx_send_build(ep->iface, pkt, len, GFP_KERNEL, &payload);
	if (IS_ERR(skb)) {
		omx_iface_count(ep->iface, OMX_COUNTER_TX_ERRORS, 1);
		return PTR_ERR(skb);
	}
	if (len && copy_from_user(payload, u64_to_user_ptr(data), len)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	return omx_send_xmit(ep->iface, skb, counter,
			     !(ep->open_flags & OMX_ENDPOINT_OPEN_NO_SHARED));
}

static int omx_send_check_medium(const struct omx_endpoint *ep,
				 const struct omx_cmd_send_msg *cmd,
				 struct omx_pkt_medium *medium)
{
	u32 offset;

	if (!cmd->length || cmd->length > ep->frag_len ||
	    cmd->length > OMX_RECVQ_SLOT_LEN)
		return -EINVAL;
	if (!cmd->msg_length || cmd->msg_length > OMX_MEDIUM_MAX ||
	    cmd->frag_seqnum >= OMX_MEDIUM_FRAGS_MAX)
		return -EINVAL;
	medium->msg_length = cmd->msg_length;
	medium->frag_length = cmd->length;
	medium->frag_seqnum = cmd->frag_seqnum;
	/* every fragment but the last is full, the last ends the message */
	if (omx_wire_medium_frag_offset(medium, ep->frag_len, &offset) != OMX_WIRE_OK)
		return -EINVAL;
	return 0;
}

int omx_send_cmd_msg(struct omx_endpoint *ep, unsigned int type,
		     const struct omx_cmd_send_msg *cmd)
{
	struct omx_pkt pkt = { .type = type };
	enum omx_counter_index counter;
	struct omx_pkt_msg *msg;
	int ret;

	if (cmd->pad)
		return -EINVAL;

	switch (type) {
	case OMX_PKT_TYPE_TINY:
	case OMX_PKT_TYPE_SMALL:
		if (cmd->length > (type == OMX_PKT_TYPE_TINY ? OMX_TINY_MAX : OMX_SMALL_MAX) ||
		    cmd->msg_length || cmd->frag_seqnum)
			return -EINVAL;
		/* tiny and small share one layout */
		pkt.tiny.length = cmd->length;
		msg = &pkt.tiny.msg;
		counter = type == OMX_PKT_TYPE_TINY ? OMX_COUNTER_TX_TINY :
			OMX_COUNTER_TX_SMALL;
		break;
	case OMX_PKT_TYPE_MEDIUM:
		ret = omx_send_check_medium(ep, cmd, &pkt.medium);
		if (ret)
			return ret;
		msg = &pkt.medium.msg;
		counter = OMX_COUNTER_TX_MEDIUM;
		break;
	default:
		return -EINVAL;
	}

	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	msg->match_info = cmd->match_info;
	msg->session = cmd->session;
	msg->lib_seqnum = cmd->seqnum;
	msg->lib_piggyack = cmd->piggyack;
	msg->dst_endpoint = cmd->dst_endpoint;
	msg->src_endpoint = ep->index;
	return omx_send_user(ep, &pkt, cmd->data, cmd->length, counter);
}

int omx_send_cmd_connect(struct omx_endpoint *ep,
			 const struct omx_cmd_send_connect *cmd)
{
	struct omx_pkt pkt = { .type = OMX_PKT_TYPE_CONNECT };
	struct omx_pkt_connect *c = &pkt.connect;
	int ret;

	if (cmd->pad || cmd->is_reply > 1)
		return -EINVAL;
	/* the fields of the other kind must be 0 (omx_abi.h) */
	if (cmd->is_reply ? cmd->app_key : cmd->target_session_id || cmd->status)
		return -EINVAL;

	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	c->src_session_id = cmd->src_session_id;
	c->app_key = cmd->app_key;
	/*
	 * A refused connect reveals nothing, whatever the library says:
	 * with our session id and a region id a stranger could pull.
	 */
	if (cmd->status == OMX_CONNECT_STATUS_SUCCESS)
		c->target_session_id = cmd->target_session_id;
	/* teaches the target its index in our table (its reverse index) */
	c->peer_index = cmd->peer_index;
	c->target_recv_seqnum_start = cmd->target_recv_seqnum_start;
	c->dst_endpoint = cmd->dst_endpoint;
	c->src_endpoint = ep->index;
	c->is_reply = cmd->is_reply;
	c->connect_seqnum = cmd->connect_seqnum;
	c->status = cmd->status;
	return omx_send_user(ep, &pkt, 0, 0, OMX_COUNTER_TX_CONNECT);
}

int omx_send_cmd_liback(struct omx_endpoint *ep,
			const struct omx_cmd_send_liback *cmd)
{
	struct omx_pkt pkt = { .type = OMX_PKT_TYPE_TRUC };
	struct omx_pkt_liback *t = &pkt.truc;
	int ret;

	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	t->session = cmd->session;
	t->ack_session = cmd->session;
	t->acknum = cmd->acknum;
	t->lib_seqnum = cmd->lib_seqnum;
	t->send_seq = cmd->send_seq;
	t->resent = cmd->resent;
	t->dst_endpoint = cmd->dst_endpoint;
	t->src_endpoint = ep->index;
	return omx_send_user(ep, &pkt, 0, 0, OMX_COUNTER_TX_TRUC);
}

int omx_send_cmd_nack_lib(struct omx_endpoint *ep,
			  const struct omx_cmd_send_nack_lib *cmd)
{
	struct omx_pkt pkt = { .type = OMX_PKT_TYPE_NACK_LIB };
	struct omx_pkt_nack_lib *n = &pkt.nack_lib;
	int ret;

	if (cmd->pad || cmd->nack_type <= OMX_NACK_TYPE_NONE ||
	    cmd->nack_type >= OMX_NACK_TYPE_NR)
		return -EINVAL;

	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	n->peer_index = pkt.peer_index;
	n->lib_seqnum = cmd->lib_seqnum;
	n->dst_endpoint = cmd->dst_endpoint;
	n->src_endpoint = ep->index;
	n->nack_type = cmd->nack_type;
	return omx_send_user(ep, &pkt, 0, 0, OMX_COUNTER_TX_NACK_LIB);
}

int omx_send_cmd_rndv(struct omx_endpoint *ep, const struct omx_cmd_send_rndv *cmd)
{
	struct omx_pkt pkt = { .type = OMX_PKT_TYPE_RNDV };
	struct omx_pkt_rndv *r = &pkt.rndv;
	struct omx_region *region;
	struct sk_buff *skb;
	unsigned int i;
	u32 token_hi;
	u8 *payload;
	int ret;

	for (i = 0; i < sizeof(cmd->pad); i++)
		if (cmd->pad[i])
			return -EINVAL;
	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	/*
	 * Any length goes: Open-MX sends every synchronous send as a RNDV,
	 * however short.  A 0-byte one names no data, hence no region and no
	 * grant: the receiver pulls nothing and answers with a NOTIFY at once.
	 */
	token_hi = 0;
	if (cmd->msg_length) {
		region = omx_region_get(ep, cmd->rdma_id, cmd->rdma_seqnum);
		if (!region)
			return -ENOENT;
		if (cmd->msg_length > region->length) {
			omx_region_put(region);
			return -EINVAL;
		}
		/* from now on only this addressee may pull the region, with this token */
		omx_region_grant(ep, region, pkt.dst_mac, cmd->dst_endpoint, cmd->session,
				 cmd->seqnum, cmd->msg_length, &r->pulled_rdma_offset,
				 &token_hi);
		omx_region_put(region);
	}

	r->msg.match_info = cmd->match_info;
	r->msg.session = cmd->session;
	r->msg.lib_seqnum = cmd->seqnum;
	r->msg.lib_piggyack = cmd->piggyack;
	r->msg.dst_endpoint = cmd->dst_endpoint;
	r->msg.src_endpoint = ep->index;
	r->msg_length = cmd->msg_length;
	r->pulled_rdma_id = cmd->rdma_id;
	r->pulled_rdma_seqnum = cmd->rdma_seqnum;
	r->data_len = OMX_RNDV_TOKEN_DATA_LEN;
	skb = omx_send_build(ep->iface, &pkt, OMX_RNDV_TOKEN_HI_LEN, GFP_KERNEL, &payload);
	if (IS_ERR(skb)) {
		omx_iface_count(ep->iface, OMX_COUNTER_TX_ERRORS, 1);
		return PTR_ERR(skb);
	}
	put_unaligned_be32(token_hi, payload);
	trace_omx_send_rndv(ep->iface, ep->index, cmd->peer_index, cmd->dst_endpoint,
			    cmd->seqnum, cmd->msg_length, cmd->rdma_id, cmd->rdma_seqnum);
	return omx_send_xmit(ep->iface, skb, OMX_COUNTER_TX_RNDV,
			     !(ep->open_flags & OMX_ENDPOINT_OPEN_NO_SHARED));
}

int omx_send_cmd_notify(struct omx_endpoint *ep, const struct omx_cmd_send_notify *cmd)
{
	struct omx_pkt pkt = { .type = OMX_PKT_TYPE_NOTIFY };
	struct omx_pkt_notify *n = &pkt.notify;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(cmd->pad); i++)
		if (cmd->pad[i])
			return -EINVAL;
	ret = omx_send_resolve(cmd->peer_index, &pkt);
	if (ret)
		return ret;
	n->session = cmd->session;
	n->total_length = cmd->total_length;
	n->lib_seqnum = cmd->seqnum;
	n->lib_piggyack = cmd->piggyack;
	n->dst_endpoint = cmd->dst_endpoint;
	n->src_endpoint = ep->index;
	n->pulled_rdma_id = cmd->rdma_id;
	n->pulled_rdma_seqnum = cmd->rdma_seqnum;
	return omx_send_user(ep, &pkt, 0, 0, OMX_COUNTER_TX_NOTIFY);
}
