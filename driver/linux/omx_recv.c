// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive path: every frame of ethertype OMX_ETH_P enters here, is
 * matched to its board, counted, validated by the shared wire codec and
 * dispatched by packet type from the one table below.  A frame that is
 * not used is counted under the reason it was dropped, per board.
 *
 * Messaging frames (CONNECT, TINY, SMALL, MEDIUM, RNDV, NOTIFY, TRUC,
 * NACK_LIB) become events in their endpoint's rings.  A frame the
 * destination cannot take is answered with a NACK_LIB when the sender's
 * library waits for an answer to it (it carries a lib_seqnum: TINY,
 * SMALL, MEDIUM, RNDV, NOTIFY, CONNECT requests); answers themselves
 * (TRUC, NACK_LIB, CONNECT replies) are never answered, only counted,
 * so that two hosts cannot NACK each other forever.  A full ring is a
 * silent drop: the sender retransmits.
 * PULL, PULL_REPLY and NACK_MCP are the kernels' business
 * (omx_pull_reply.c, omx_pull.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/nospec.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "omx_abi.h"
#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_recv.h"
#include "omx_send.h"
#include "omx_steering.h"
#include "omx_trace.h"
#include "omx_wire.h"
#include "omx_wire_codec.h"
#include "omx_wire_counters.h"

/* skb->cb of the frames we handle: set before dispatch */
struct omx_recv_cb {
	bool local;		/* from this host (omx_recv_local()), not the wire */
};

static bool omx_recv_is_local(const struct sk_buff *skb)
{
	return ((const struct omx_recv_cb *)skb->cb)->local;
}

static void omx_recv_set_local(struct sk_buff *skb, bool local)
{
	BUILD_BUG_ON(sizeof(struct omx_recv_cb) > sizeof(skb->cb));
	((struct omx_recv_cb *)skb->cb)->local = local;
}

/* frames from interfaces that are not attached: no board to count them on */
static atomic_long_t omx_rx_unattached = ATOMIC_LONG_INIT(0);

/*
 * A handler gets a validated frame decoded into @pkt, under
 * rcu_read_lock() in softirq context.  It does not consume @skb and
 * returns OMX_COUNTER_NR if it used the frame, else the drop reason.
 */
typedef enum omx_counter_index (*omx_recv_handler_t)(struct omx_iface *iface,
						     const struct sk_buff *skb,
						     const struct omx_pkt *pkt);

struct omx_recv_type {
	omx_recv_handler_t handler;
	/* may be sent to the broadcast address; every other frame is unicast */
	bool broadcast;
};

/* Where a messaging frame goes, and what a NACK for it must say. */
struct omx_recv_dest {
	u8 dst_endpoint;
	u8 src_endpoint;	/* the sender's endpoint */
	bool nackable;		/* the sender's library waits on lib_seqnum */
	bool has_session;
	u32 session;
	u16 lib_seqnum;
	u16 reverse;		/* our index at the sender, if the frame says */
};

/* @reverse: our index in the sender's table, OMX_PEER_INDEX_UNKNOWN if unknown */
static void omx_recv_nack(struct omx_iface *iface, const struct sk_buff *skb,
			  const struct omx_pkt *pkt,
			  const struct omx_recv_dest *dest, u16 reverse,
			  enum omx_nack_type nack_type)
{
	struct omx_pkt nack = { .type = OMX_PKT_TYPE_NACK_LIB };

	/* so that a flood of refused frames cannot make us flood back */
	if (!__ratelimit(&iface->nack_answers)) {
		omx_iface_count(iface, OMX_COUNTER_NACK_LIB_UNSENT, 1);
		return;
	}
	ether_addr_copy(nack.dst_mac, pkt->src_mac);
	nack.peer_index = reverse;
	nack.nack_lib.peer_index = reverse;
	nack.nack_lib.lib_seqnum = dest->lib_seqnum;
	nack.nack_lib.dst_endpoint = dest->src_endpoint;
	nack.nack_lib.src_endpoint = dest->dst_endpoint;
	nack.nack_lib.nack_type = nack_type;
	/* answered the way the frame came */
	omx_send_frame(iface, &nack, NULL, 0, OMX_COUNTER_TX_NACK_LIB,
		       omx_recv_is_local(skb));
}

/*
 * Find the endpoint, check it, find the sender in the peer table (so that
 * the event names it), append @evt (and @len payload bytes if @payload)
 * to its @ring.  The peer is looked up without a lock; an unknown sender
 * is only added once the frame proved itself: it reached an open
 * endpoint with the right session (or is a CONNECT, which has none).
 */
static enum omx_counter_index omx_recv_deliver(struct omx_iface *iface,
					       const struct sk_buff *skb,
					       const struct omx_pkt *pkt,
					       const struct omx_recv_dest *dest,
					       enum omx_ring_id ring,
					       struct omx_event *evt,
					       bool payload, unsigned int len,
					       enum omx_counter_index counter)
{
	u16 reverse = OMX_PEER_INDEX_UNKNOWN;
	struct omx_endpoint *ep;
	u32 slot;
	int peer, ret;

	peer = omx_peer_lookup_rcu(iface->index, pkt->peer_index, pkt->src_mac,
				   dest->reverse, &reverse);

	if (dest->dst_endpoint >= iface->endpoint_max) {
		if (!dest->nackable)
			return OMX_COUNTER_RX_DROP_UNEXPECTED;
		omx_recv_nack(iface, skb, pkt, dest, reverse, OMX_NACK_TYPE_BAD_ENDPT);
		return OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT;
	}
	slot = array_index_nospec(dest->dst_endpoint, iface->endpoint_max);
	ep = rcu_dereference(iface->endpoints[slot]);
	if (!ep || omx_endpoint_is_dead(ep) || !kref_get_unless_zero(&ep->kref)) {
		if (!dest->nackable)
			return OMX_COUNTER_RX_DROP_UNEXPECTED;
		omx_recv_nack(iface, skb, pkt, dest, reverse, OMX_NACK_TYPE_ENDPT_CLOSED);
		return OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED;
	}
	if (dest->has_session && dest->session != ep->session_id) {
		omx_endpoint_put(ep);
		if (dest->nackable)
			omx_recv_nack(iface, skb, pkt, dest, reverse, OMX_NACK_TYPE_BAD_SESSION);
		return OMX_COUNTER_RX_DROP_BAD_SESSION;
	}
	/* no session to prove anything: bound what one source can put in */
	if (!dest->has_session &&
	    !omx_endpoint_admit_sessionless(ep, pkt->src_mac, dest->src_endpoint)) {
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_RATE_LIMITED;
	}

	if (peer < 0) {
		peer = omx_peer_learn_index(iface->index, pkt->src_mac, dest->reverse);
		if (peer < 0) {
			/* peer table full: counted in its "refused" too */
			omx_endpoint_put(ep);
			return OMX_COUNTER_RX_DROP_BAD_HEADER;
		}
	}

	/* the library answers that index: keep it while the endpoint lives */
	omx_endpoint_ref_peer(ep, peer);
	evt->peer_index = peer;
	evt->src_endpoint = dest->src_endpoint;
	ret = omx_endpoint_deliver(ep, ring, evt, payload, skb,
				   pkt->payload_offset - ETH_HLEN, len);
	omx_endpoint_put(ep);
	if (ret)
		return OMX_COUNTER_RX_DROP_QUEUE_FULL;
	omx_iface_count(iface, counter, 1);
	return OMX_COUNTER_NR;
}

static void omx_recv_msg_init(const struct omx_pkt_msg *msg,
			      struct omx_recv_dest *dest,
			      struct omx_event *evt, u8 type)
{
	dest->dst_endpoint = msg->dst_endpoint;
	dest->src_endpoint = msg->src_endpoint;
	dest->nackable = true;
	dest->has_session = true;
	dest->session = msg->session;
	dest->lib_seqnum = msg->lib_seqnum;
	dest->reverse = OMX_PEER_INDEX_UNKNOWN;
	evt->type = type;
	evt->msg.match_info = msg->match_info;
	evt->msg.seqnum = msg->lib_seqnum;
	evt->msg.piggyack = msg->lib_piggyack;
}

static enum omx_counter_index omx_recv_tiny(struct omx_iface *iface,
					    const struct sk_buff *skb,
					    const struct omx_pkt *pkt)
{
	const struct omx_pkt_eager *tiny = &pkt->tiny;
	struct omx_event evt = { 0 };
	struct omx_recv_dest dest;

	omx_recv_msg_init(&tiny->msg, &dest, &evt, OMX_EVT_RECV_TINY);
	evt.msg.length = tiny->length;
	/* the codec checked length <= OMX_TINY_MAX and the frame length */
	if (tiny->length && skb_copy_bits(skb, pkt->payload_offset - ETH_HLEN,
					  evt.msg.data, tiny->length))
		return OMX_COUNTER_RX_DROP_BAD_LENGTH;
	return omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_UNEXP, &evt,
				false, 0, OMX_COUNTER_RX_TINY);
}

static enum omx_counter_index omx_recv_small(struct omx_iface *iface,
					     const struct sk_buff *skb,
					     const struct omx_pkt *pkt)
{
	const struct omx_pkt_eager *small = &pkt->small;
	struct omx_event evt = { 0 };
	struct omx_recv_dest dest;

	omx_recv_msg_init(&small->msg, &dest, &evt, OMX_EVT_RECV_SMALL);
	evt.msg.length = small->length;
	return omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_UNEXP, &evt,
				true, small->length, OMX_COUNTER_RX_SMALL);
}

static enum omx_counter_index omx_recv_medium(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt)
{
	const struct omx_pkt_medium *medium = &pkt->medium;
	struct omx_event evt = { 0 };
	struct omx_recv_dest dest;

	omx_recv_msg_init(&medium->msg, &dest, &evt, OMX_EVT_RECV_MEDIUM_FRAG);
	evt.msg.length = medium->msg_length;
	evt.msg.frag_length = medium->frag_length;
	evt.msg.frag_seqnum = medium->frag_seqnum;
	/* the codec checked frag_length <= OMX_MEDIUM_FRAG_LEN_MAX, one slot */
	return omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_UNEXP, &evt,
				true, medium->frag_length, OMX_COUNTER_RX_MEDIUM);
}

static enum omx_counter_index omx_recv_truc(struct omx_iface *iface,
					    const struct sk_buff *skb,
					    const struct omx_pkt *pkt)
{
	const struct omx_pkt_liback *truc = &pkt->truc;
	struct omx_event evt = { .type = OMX_EVT_RECV_LIBACK };
	struct omx_recv_dest dest = {
		.dst_endpoint = truc->dst_endpoint,
		.src_endpoint = truc->src_endpoint,
		.has_session = true,
		.session = truc->session,
		.reverse = OMX_PEER_INDEX_UNKNOWN,
	};

	/* both copies of the session must name the endpoint */
	if (truc->ack_session != truc->session)
		return OMX_COUNTER_RX_DROP_BAD_SESSION;
	evt.liback.acknum = truc->acknum;
	evt.liback.lib_seqnum = truc->lib_seqnum;
	evt.liback.send_seq = truc->send_seq;
	evt.liback.resent = truc->resent;
	return omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_EXP, &evt,
				false, 0, OMX_COUNTER_RX_TRUC);
}

static enum omx_counter_index omx_recv_connect(struct omx_iface *iface,
					       const struct sk_buff *skb,
					       const struct omx_pkt *pkt)
{
	const struct omx_pkt_connect *connect = &pkt->connect;
	bool reply = connect->is_reply;
	struct omx_event evt = {
		.type = reply ? OMX_EVT_RECV_CONNECT_REPLY : OMX_EVT_RECV_CONNECT_REQUEST,
	};
	struct omx_recv_dest dest = {
		.dst_endpoint = connect->dst_endpoint,
		.src_endpoint = connect->src_endpoint,
		.nackable = !reply,
		.lib_seqnum = connect->lib_seqnum,
		/* the sender tells where it keeps us */
		.reverse = connect->peer_index,
	};

	evt.connect.src_session_id = connect->src_session_id;
	evt.connect.app_key = connect->app_key;
	/*
	 * a refusal names no session, whatever the peer put there (Open-MX
	 * does): knowing it is half of what a pull needs
	 */
	if (!reply || connect->status == OMX_CONNECT_STATUS_SUCCESS)
		evt.connect.target_session_id = connect->target_session_id;
	evt.connect.target_recv_seqnum_start = connect->target_recv_seqnum_start;
	evt.connect.connect_seqnum = connect->connect_seqnum;
	evt.connect.status = connect->status;
	evt.connect.src_generation = connect->src_generation;
	return omx_recv_deliver(iface, skb, pkt, &dest,
				reply ? OMX_RING_EXP : OMX_RING_UNEXP, &evt,
				false, 0, OMX_COUNTER_RX_CONNECT);
}

static enum omx_counter_index omx_recv_nack_lib(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt)
{
	const struct omx_pkt_nack_lib *nack = &pkt->nack_lib;
	struct omx_event evt = { .type = OMX_EVT_RECV_NACK_LIB };
	struct omx_recv_dest dest = {
		.dst_endpoint = nack->dst_endpoint,
		.src_endpoint = nack->src_endpoint,
		.reverse = OMX_PEER_INDEX_UNKNOWN,
	};

	evt.nack_lib.lib_seqnum = nack->lib_seqnum;
	evt.nack_lib.nack_type = nack->nack_type;
	return omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_EXP, &evt,
				false, 0, OMX_COUNTER_RX_NACK_LIB);
}

static enum omx_counter_index omx_recv_rndv(struct omx_iface *iface,
					    const struct sk_buff *skb,
					    const struct omx_pkt *pkt)
{
	const struct omx_pkt_rndv *rndv = &pkt->rndv;
	struct omx_event evt = { .type = OMX_EVT_RECV_RNDV };
	enum omx_counter_index ret;
	struct omx_recv_dest dest = {
		.dst_endpoint = rndv->msg.dst_endpoint,
		.src_endpoint = rndv->msg.src_endpoint,
		.nackable = true,
		.has_session = true,
		.session = rndv->msg.session,
		.lib_seqnum = rndv->msg.lib_seqnum,
		.reverse = OMX_PEER_INDEX_UNKNOWN,
	};

	evt.rndv.match_info = rndv->msg.match_info;
	evt.rndv.seqnum = rndv->msg.lib_seqnum;
	evt.rndv.piggyack = rndv->msg.lib_piggyack;
	evt.rndv.msg_length = rndv->msg_length;
	evt.rndv.rdma_id = rndv->pulled_rdma_id;
	evt.rndv.rdma_seqnum = rndv->pulled_rdma_seqnum;
	evt.rndv.rdma_offset = rndv->pulled_rdma_offset;
	/* an omx sender's token_hi follows the 8 bytes Open-MX knows */
	if (pkt->payload_len >= OMX_RNDV_TOKEN_HI_LEN) {
		__be32 hi;

		if (skb_copy_bits(skb, pkt->payload_offset - ETH_HLEN, &hi, sizeof(hi)))
			return OMX_COUNTER_RX_DROP_BAD_LENGTH;
		evt.rndv.token_hi = be32_to_cpu(hi);
	}
	ret = omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_UNEXP, &evt,
			       false, 0, OMX_COUNTER_RX_RNDV);
	if (ret == OMX_COUNTER_NR)
		trace_omx_recv_rndv(iface, dest.dst_endpoint, evt.peer_index, dest.src_endpoint,
				    evt.rndv.seqnum, evt.rndv.msg_length, evt.rndv.rdma_id,
				    evt.rndv.rdma_seqnum);
	return ret;
}

static enum omx_counter_index omx_recv_notify(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt)
{
	const struct omx_pkt_notify *notify = &pkt->notify;
	struct omx_event evt = { .type = OMX_EVT_RECV_NOTIFY };
	enum omx_counter_index ret;
	struct omx_recv_dest dest = {
		.dst_endpoint = notify->dst_endpoint,
		.src_endpoint = notify->src_endpoint,
		.nackable = true,
		.has_session = true,
		.session = notify->session,
		.lib_seqnum = notify->lib_seqnum,
		.reverse = OMX_PEER_INDEX_UNKNOWN,
	};

	evt.notify.seqnum = notify->lib_seqnum;
	evt.notify.piggyack = notify->lib_piggyack;
	evt.notify.total_length = notify->total_length;
	evt.notify.rdma_id = notify->pulled_rdma_id;
	evt.notify.rdma_seqnum = notify->pulled_rdma_seqnum;
	ret = omx_recv_deliver(iface, skb, pkt, &dest, OMX_RING_EXP, &evt,
			       false, 0, OMX_COUNTER_RX_NOTIFY);
	if (ret == OMX_COUNTER_NR)
		trace_omx_recv_notify(iface, dest.dst_endpoint, evt.peer_index, dest.src_endpoint,
				      evt.notify.seqnum, evt.notify.total_length,
				      evt.notify.rdma_id, evt.notify.rdma_seqnum);
	return ret;
}

/* Packet types without a handler are counted as unsupported and dropped. */
static const struct omx_recv_type omx_recv_types[OMX_PKT_TYPE_NR] = {
	[OMX_PKT_TYPE_HOST_QUERY] = { omx_peer_recv_host_query, true },
	[OMX_PKT_TYPE_HOST_REPLY] = { omx_peer_recv_host_reply, false },
	[OMX_PKT_TYPE_TRUC] = { omx_recv_truc, false },
	[OMX_PKT_TYPE_CONNECT] = { omx_recv_connect, false },
	[OMX_PKT_TYPE_TINY] = { omx_recv_tiny, false },
	[OMX_PKT_TYPE_SMALL] = { omx_recv_small, false },
	[OMX_PKT_TYPE_MEDIUM] = { omx_recv_medium, false },
	[OMX_PKT_TYPE_NACK_LIB] = { omx_recv_nack_lib, false },
	[OMX_PKT_TYPE_RNDV] = { omx_recv_rndv, false },
	[OMX_PKT_TYPE_NOTIFY] = { omx_recv_notify, false },
	[OMX_PKT_TYPE_PULL] = { omx_pull_reply_recv_pull, false },
	[OMX_PKT_TYPE_PULL_REPLY] = { omx_pull_recv_reply, false },
	[OMX_PKT_TYPE_NACK_MCP] = { omx_pull_recv_nack_mcp, false },
};

/* Checks that need the skb rather than the frame bytes. */
static enum omx_counter_index omx_recv_check_skb(const struct omx_iface *iface,
						 const struct sk_buff *skb)
{
	const struct ethhdr *eth = eth_hdr(skb);

	if (unlikely(skb->protocol != htons(OMX_ETH_P)))
		return OMX_COUNTER_RX_DROP_BAD_ETHERTYPE;
	/* promiscuous interfaces see frames meant for other hosts */
	if (unlikely(skb->pkt_type == PACKET_OTHERHOST))
		return OMX_COUNTER_RX_DROP_OTHER_HOST;
	if (unlikely(!(READ_ONCE(iface->status) & OMX_BOARD_STATUS_UP)))
		return OMX_COUNTER_RX_DROP_IFACE_DOWN;
	/* a frame "from" this board: a switching loop or a forgery */
	if (unlikely(ether_addr_equal(eth->h_source, skb->dev->dev_addr)))
		return OMX_COUNTER_RX_DROP_OWN_MAC;
	/* replies go to the source: it must be one board's address */
	if (unlikely(!is_valid_ether_addr(eth->h_source)))
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	return OMX_COUNTER_NR;
}

/*
 * The codec wants the fixed header in one buffer, Ethernet header
 * included.  Every fixed header fits in OMX_ETH_ZLEN bytes (asserted in
 * omx_wire.h), so copy at most that; payloads are read from the skb by
 * the handlers.
 */
/* @dst_endpoint: out, the endpoint the frame names (-1 if none) */
static enum omx_counter_index omx_recv_decode(const struct sk_buff *skb,
					      struct omx_pkt *pkt, int *dst_endpoint)
{
	u8 head[OMX_ETH_ZLEN];
	size_t len = skb->len + ETH_HLEN;	/* skb->data is past the Ethernet header */
	size_t copy = min_t(size_t, len, sizeof(head));
	enum omx_wire_verdict verdict;

	memcpy(head, eth_hdr(skb), ETH_HLEN);
	if (skb_copy_bits(skb, 0, head + ETH_HLEN, copy - ETH_HLEN))
		return OMX_COUNTER_RX_DROP_TOO_SHORT;

	/* omx_wire_decode() is omx_wire_validate() plus the decoding */
	verdict = omx_wire_decode(head, len, pkt);
	if (verdict == OMX_WIRE_OK)
		*dst_endpoint = omx_wire_dst_endpoint(head, copy);
	return omx_wire_verdict_counter(verdict);
}

/*
 * @local: built by this host for its own board, not from the wire;
 * @dst_endpoint: out, the endpoint a valid frame names (-1 if none), so
 * that the steering accounting need not parse the frame again
 */
static enum omx_counter_index omx_recv_dispatch(struct omx_iface *iface,
						const struct sk_buff *skb,
						bool local, int *dst_endpoint)
{
	const struct omx_recv_type *type;
	enum omx_counter_index drop;
	struct omx_pkt pkt;

	*dst_endpoint = -1;
	if (!local) {
		drop = omx_recv_check_skb(iface, skb);
		if (drop != OMX_COUNTER_NR)
			return drop;
	}
	drop = omx_recv_decode(skb, &pkt, dst_endpoint);
	if (drop != OMX_COUNTER_NR)
		return drop;

	/* decode succeeded, so pkt.type < OMX_PKT_TYPE_NR */
	type = &omx_recv_types[pkt.type];
	if (!type->handler)
		return OMX_COUNTER_RX_DROP_UNSUPPORTED;
	if (unlikely(skb->pkt_type == PACKET_MULTICAST ||
		     (skb->pkt_type == PACKET_BROADCAST && !type->broadcast)))
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	return type->handler(iface, skb, &pkt);
}

void omx_recv_local(struct omx_iface *iface, struct sk_buff *skb)
{
	enum omx_counter_index drop;
	int dst_endpoint;

	omx_recv_set_local(skb, true);
	drop = omx_recv_dispatch(iface, skb, true, &dst_endpoint);
	if (drop != OMX_COUNTER_NR)
		omx_iface_count(iface, drop, 1);
}

static int omx_recv_frame(struct sk_buff *skb, struct net_device *dev,
			  struct packet_type *pt, struct net_device *orig_dev)
{
	enum omx_counter_index drop;
	struct omx_iface *iface;
	int dst_endpoint;

	rcu_read_lock();
	iface = omx_iface_find_by_netdev_rcu(skb->dev);
	if (!iface) {
		atomic_long_inc(&omx_rx_unattached);
		rcu_read_unlock();
		kfree_skb(skb);
		return NET_RX_DROP;
	}

	omx_iface_count(iface, OMX_COUNTER_RX_FRAMES, 1);
	omx_iface_count(iface, OMX_COUNTER_RX_BYTES, skb->len + ETH_HLEN);

	omx_recv_set_local(skb, false);
	drop = omx_recv_dispatch(iface, skb, false, &dst_endpoint);
	if (drop != OMX_COUNTER_NR) {
		omx_iface_count(iface, drop, 1);
		rcu_read_unlock();
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	/* where it was processed: the evidence of receive steering */
	omx_steering_account(iface, skb, dst_endpoint);

	rcu_read_unlock();
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type omx_packet_type __read_mostly = {
	.type = cpu_to_be16(OMX_ETH_P),
	.func = omx_recv_frame,
};

void omx_recv_init(void)
{
	dev_add_pack(&omx_packet_type);
}

void omx_recv_exit(void)
{
	long unattached;

	dev_remove_pack(&omx_packet_type);

	unattached = atomic_long_read(&omx_rx_unattached);
	if (unattached)
		pr_info("dropped %ld frame(s) from interfaces that were not attached\n",
			unattached);
}
