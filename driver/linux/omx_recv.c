// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive path: every frame of ethertype OMX_ETH_P enters here, is
 * matched to its board, counted, validated and (for now) freed.  Protocol
 * handling will dispatch from omx_recv_frame() once the wire format lands.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "omx_abi.h"
#include "omx_iface.h"
#include "omx_recv.h"
#include "omx_wire.h"

/* frames from interfaces that are not attached: no board to count them on */
static atomic_long_t omx_rx_unattached = ATOMIC_LONG_INIT(0);

/* Returns the drop reason, or OMX_COUNTER_NR to keep the frame. */
static enum omx_counter_index omx_recv_check(const struct omx_iface *iface,
					     const struct sk_buff *skb)
{
	if (unlikely(skb->protocol != htons(OMX_ETH_P)))
		return OMX_COUNTER_RX_DROP_BAD_ETHERTYPE;
	/* promiscuous interfaces see frames meant for other hosts */
	if (unlikely(skb->pkt_type == PACKET_OTHERHOST))
		return OMX_COUNTER_RX_DROP_OTHER_HOST;
	if (unlikely(!(READ_ONCE(iface->status) & OMX_BOARD_STATUS_UP)))
		return OMX_COUNTER_RX_DROP_IFACE_DOWN;
	/* skb->len starts after the Ethernet header, already pulled */
	if (unlikely(skb->len + ETH_HLEN < OMX_PTYPE_OFFSET + 1))
		return OMX_COUNTER_RX_DROP_TOO_SHORT;
	return OMX_COUNTER_NR;
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

	drop = omx_recv_check(iface, skb);
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
