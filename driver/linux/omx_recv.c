// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive path: every frame of ethertype OMX_ETH_P enters here, is
 * matched to its board, counted, validated by the shared wire codec and
 * dispatched by packet type from the one table below.  A frame that is
 * not used is counted under the reason it was dropped, per board.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/string.h>

#include "omx_abi.h"
#include "omx_iface.h"
#include "omx_peer.h"
#include "omx_recv.h"
#include "omx_wire.h"
#include "omx_wire_codec.h"

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

/* Packet types without a handler are counted as unsupported and dropped. */
static const struct omx_recv_type omx_recv_types[OMX_PKT_TYPE_NR] = {
	[OMX_PKT_TYPE_HOST_QUERY] = { omx_peer_recv_host_query, true },
	[OMX_PKT_TYPE_HOST_REPLY] = { omx_peer_recv_host_reply, false },
};

/*
 * What to count for each omx_wire_validate() verdict.  No default: the
 * compiler (-Wswitch) flags a verdict added to the codec without a
 * counter here and in common/omx_abi.h.
 */
static enum omx_counter_index omx_recv_verdict_drop(enum omx_wire_verdict verdict)
{
	switch (verdict) {
	case OMX_WIRE_OK:
		return OMX_COUNTER_NR;
	case OMX_WIRE_TOO_SHORT:
		return OMX_COUNTER_RX_DROP_TOO_SHORT;
	case OMX_WIRE_BAD_ETHERTYPE:
		return OMX_COUNTER_RX_DROP_BAD_ETHERTYPE;
	case OMX_WIRE_BAD_TYPE:
		return OMX_COUNTER_RX_DROP_BAD_TYPE;
	case OMX_WIRE_UNSUPPORTED_TYPE:
		return OMX_COUNTER_RX_DROP_UNSUPPORTED;
	case OMX_WIRE_BAD_LENGTH:
		return OMX_COUNTER_RX_DROP_BAD_LENGTH;
	case OMX_WIRE_BAD_FRAG:
		return OMX_COUNTER_RX_DROP_BAD_FRAG;
	case OMX_WIRE_BAD_NACK:
		return OMX_COUNTER_RX_DROP_BAD_NACK;
	case OMX_WIRE_BAD_SUBTYPE:
		return OMX_COUNTER_RX_DROP_BAD_SUBTYPE;
	case OMX_WIRE_VERDICT_NR:
		break;
	}
	return OMX_COUNTER_RX_DROP_BAD_HEADER;
}

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
static enum omx_counter_index omx_recv_decode(const struct sk_buff *skb,
					      struct omx_pkt *pkt)
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
	return omx_recv_verdict_drop(verdict);
}

static enum omx_counter_index omx_recv_dispatch(struct omx_iface *iface,
						const struct sk_buff *skb)
{
	const struct omx_recv_type *type;
	enum omx_counter_index drop;
	struct omx_pkt pkt;

	drop = omx_recv_check_skb(iface, skb);
	if (drop != OMX_COUNTER_NR)
		return drop;
	drop = omx_recv_decode(skb, &pkt);
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

static int omx_recv_frame(struct sk_buff *skb, struct net_device *dev,
			  struct packet_type *pt, struct net_device *orig_dev)
{
	enum omx_counter_index drop;
	struct omx_iface *iface;

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

	drop = omx_recv_dispatch(iface, skb);
	if (drop != OMX_COUNTER_NR) {
		omx_iface_count(iface, drop, 1);
		rcu_read_unlock();
		kfree_skb(skb);
		return NET_RX_DROP;
	}

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

/* Returns once no CPU runs omx_recv_frame() any more. */
void omx_recv_exit(void)
{
	long unattached;

	dev_remove_pack(&omx_packet_type);

	unattached = atomic_long_read(&omx_rx_unattached);
	if (unattached)
		pr_info("dropped %ld frame(s) from interfaces that were not attached\n",
			unattached);
}
