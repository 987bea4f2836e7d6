// SPDX-License-Identifier: GPL-2.0-only
/*
 * Peers: the hosts heard on attached boards, and the discovery protocol
 * that finds them.
 *
 * A peer is a board MAC address, the hostname that board announced (once
 * a HOST_REPLY told it) and the local board it was last heard through.
 * The table is global, as in Open-MX: a peer's index in it is what other
 * hosts learn as their "reverse index" and what later frames carry in
 * their head.  Its size is the "peers" module parameter; a peer that
 * does not fit is counted as refused and a warning says how to make room.
 *
 * Discovery (docs/wire.md, "Peer discovery"): a board broadcasts a
 * HOST_QUERY when it is attached or comes up, and when user space asks
 * (OMX_CMD_DISCOVER_PEERS).  A host receiving a HOST_QUERY records the
 * sender, answers with a unicast HOST_REPLY carrying its board hostname,
 * and, if it does not know the sender's hostname yet, asks for it with a
 * unicast HOST_QUERY.  A HOST_REPLY records or refreshes the sender with
 * its hostname.  Detaching a board removes the peers last heard through
 * it: the table only lists hosts that omx can reach now.
 *
 * Locking: omx_peers_lock (BH-safe spinlock, taken from the receive
 * softirq) protects the table, the hash, the counts and every peer field.
 * Entries are also published with RCU and freed after a grace period, so
 * that the send path looks a peer's MAC up by index without the lock.
 * No frame is ever sent with the lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/nospec.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "omx_abi.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_send.h"
#include "omx_wire.h"

static_assert(OMX_PEER_INDEX_NONE == OMX_PEER_INDEX_UNKNOWN);
/* every index of a full table is a valid peer index on the wire */
static_assert(OMX_PEERS_LIMIT <= OMX_PEER_INDEX_UNKNOWN);
static_assert(OMX_HOSTNAMELEN_MAX == OMX_HOSTNAME_LEN_MAX);

unsigned int omx_peers_max = OMX_PEERS_DEFAULT;
module_param_named(peers, omx_peers_max, uint, 0444);
MODULE_PARM_DESC(peers, "Size of the peer table, 1-65535 (default 1024)");

struct omx_peer {
	struct hlist_node hash_node;	/* in omx_peer_hash, keyed by MAC */
	struct rcu_head rcu;
	u32 index;
	u32 board;			/* board last heard through */
	u32 flags;			/* OMX_PEER_FLAG_* */
	u16 reverse_index;		/* our index in its table, or unknown */
	u8 mac[ETH_ALEN];
	char hostname[OMX_HOSTNAMELEN_MAX];	/* "" until a HOST_REPLY */
};

#define OMX_PEER_HASH_BITS	8

static DEFINE_SPINLOCK(omx_peers_lock);
static DEFINE_HASHTABLE(omx_peer_hash, OMX_PEER_HASH_BITS);
/* omx_peers_max entries, indexed by peer index */
static struct omx_peer __rcu **omx_peer_table;
/* which indexes are taken, so that a new peer gets the lowest free one */
static unsigned long *omx_peer_used;
static u32 omx_peer_count;
static u64 omx_peer_refused;
/* warn once each time the table fills up, not once per refused peer */
static bool omx_peer_full_warned;

/*
 * Sent in every HOST_QUERY we originate and echoed by the replies.  We do
 * not check it on replies: a late reply still carries a valid hostname.
 * Random per load, so that a capture tells the loads apart.
 */
static u32 omx_peer_magic;

static struct omx_peer *omx_peer_locked(u32 index)
{
	return rcu_dereference_protected(omx_peer_table[index],
					 lockdep_is_held(&omx_peers_lock));
}

static struct omx_peer *omx_peer_find_locked(const u8 *mac)
{
	struct omx_peer *peer;

	hash_for_each_possible(omx_peer_hash, peer, hash_node,
			       ether_addr_to_u64(mac))
		if (ether_addr_equal(peer->mac, mac))
			return peer;
	return NULL;
}

/*
 * The peer with address @mac, created if new, now known to be reachable
 * through @board.  NULL if the table is full or memory is short.
 */
static struct omx_peer *omx_peer_learn_locked(u32 board, const u8 *mac)
{
	struct omx_peer *peer;
	unsigned long index;

	lockdep_assert_held(&omx_peers_lock);

	peer = omx_peer_find_locked(mac);
	if (peer) {
		peer->board = board;
		return peer;
	}

	if (omx_peer_count >= omx_peers_max) {
		omx_peer_refused++;
		if (!omx_peer_full_warned) {
			pr_warn("peer table full (%u peers): %pM heard on board %u not recorded; reload omx with a larger peers= parameter\n",
				omx_peers_max, mac, board);
			omx_peer_full_warned = true;
		}
		return NULL;
	}

	peer = kzalloc(sizeof(*peer), GFP_ATOMIC);
	if (!peer)
		return NULL;
	index = find_first_zero_bit(omx_peer_used, omx_peers_max);
	if (WARN_ON_ONCE(index >= omx_peers_max)) {
		kfree(peer);
		return NULL;
	}

	peer->index = index;
	peer->board = board;
	peer->reverse_index = OMX_PEER_INDEX_UNKNOWN;
	ether_addr_copy(peer->mac, mac);

	__set_bit(index, omx_peer_used);
	hash_add_rcu(omx_peer_hash, &peer->hash_node, ether_addr_to_u64(mac));
	rcu_assign_pointer(omx_peer_table[index], peer);
	omx_peer_count++;
	atomic_inc(&omx_live.peers);

	pr_debug("peer %u: %pM heard on board %u\n", peer->index, mac, board);
	return peer;
}

static void omx_peer_remove_locked(struct omx_peer *peer)
{
	lockdep_assert_held(&omx_peers_lock);

	hash_del_rcu(&peer->hash_node);
	RCU_INIT_POINTER(omx_peer_table[peer->index], NULL);
	__clear_bit(peer->index, omx_peer_used);
	omx_peer_count--;
	omx_peer_full_warned = false;
	atomic_dec(&omx_live.peers);
	kfree_rcu(peer, rcu);
}

/* Remove the peers of board @board, or every peer if @all. */
static unsigned int omx_peers_remove(u32 board, bool all)
{
	struct omx_peer *peer;
	unsigned int removed = 0;
	unsigned long index;

	spin_lock_bh(&omx_peers_lock);
	for_each_set_bit(index, omx_peer_used, omx_peers_max) {
		peer = omx_peer_locked(index);
		if (all || peer->board == board) {
			omx_peer_remove_locked(peer);
			removed++;
		}
	}
	spin_unlock_bh(&omx_peers_lock);
	return removed;
}

void omx_peers_forget_board(u32 board)
{
	unsigned int removed = omx_peers_remove(board, false);

	if (removed)
		pr_info("board %u: %u peer(s) heard through it removed from the peer table\n",
			board, removed);
}

/*
 * @target: index of the destination in our table (body peer_index);
 * @reverse: our index in its table (head peer_index).
 */
static int omx_peer_send_query(struct omx_iface *iface, const u8 *dst,
			       u16 target, u16 reverse)
{
	struct omx_pkt pkt = {
		.type = OMX_PKT_TYPE_HOST_QUERY,
		.peer_index = reverse,
		.host_query = {
			.magic = omx_peer_magic,
			.peer_index = target,
		},
	};

	memcpy(pkt.dst_mac, dst, ETH_ALEN);
	return omx_send_frame(iface, &pkt, NULL, 0, OMX_COUNTER_TX_HOST_QUERY, false);
}

/* The board hostname is set at attach and never changes afterwards. */
static int omx_peer_send_reply(struct omx_iface *iface, const u8 *dst,
			       u16 target, u16 reverse, u32 magic)
{
	unsigned int len = strnlen(iface->hostname, sizeof(iface->hostname) - 1) + 1;
	struct omx_pkt pkt = {
		.type = OMX_PKT_TYPE_HOST_REPLY,
		.peer_index = reverse,
		.host_reply = {
			.magic = magic,
			.peer_index = target,
			.hostname_len = len,
		},
	};

	memcpy(pkt.dst_mac, dst, ETH_ALEN);
	return omx_send_frame(iface, &pkt, iface->hostname, len,
			      OMX_COUNTER_TX_HOST_REPLY, false);
}

int omx_peer_discover(struct omx_iface *iface)
{
	u8 bcast[ETH_ALEN];

	eth_broadcast_addr(bcast);
	return omx_peer_send_query(iface, bcast, OMX_PEER_INDEX_UNKNOWN,
				   OMX_PEER_INDEX_UNKNOWN);
}

int omx_peers_discover(u32 board)
{
	struct omx_iface *iface;
	int ret;

	iface = omx_iface_acquire(board);
	if (IS_ERR(iface))
		return PTR_ERR(iface);
	ret = omx_peer_discover(iface);
	omx_iface_put(iface);
	return ret;
}

enum omx_counter_index omx_peer_recv_host_query(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt)
{
	const struct omx_pkt_host *query = &pkt->host_query;
	u16 index = OMX_PEER_INDEX_UNKNOWN, reverse = OMX_PEER_INDEX_UNKNOWN;
	struct omx_peer *peer;
	bool named = true;

	omx_iface_count(iface, OMX_COUNTER_RX_HOST_QUERY, 1);

	spin_lock(&omx_peers_lock);
	peer = omx_peer_learn_locked(iface->index, pkt->src_mac);
	if (peer) {
		/* a unicast query tells us where it keeps us */
		if (query->peer_index != OMX_PEER_INDEX_UNKNOWN)
			WRITE_ONCE(peer->reverse_index, query->peer_index);
		index = peer->index;
		reverse = peer->reverse_index;
		named = peer->flags & OMX_PEER_FLAG_HOSTNAME;
	}
	spin_unlock(&omx_peers_lock);

	/* answer even if the table is full: the querier learns our name */
	omx_peer_send_reply(iface, pkt->src_mac, index, reverse, query->magic);
	if (!named)
		omx_peer_send_query(iface, pkt->src_mac, index, reverse);
	return OMX_COUNTER_NR;
}

/* Non-empty, printable, and NUL-terminated exactly at the end. */
static bool omx_peer_hostname_ok(const char *name, unsigned int len)
{
	unsigned int i;
	u8 c;

	if (len < 2 || name[len - 1])
		return false;
	for (i = 0; i < len - 1; i++) {
		c = name[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

enum omx_counter_index omx_peer_recv_host_reply(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt)
{
	const struct omx_pkt_host *reply = &pkt->host_reply;
	unsigned int len = reply->hostname_len;
	char name[OMX_HOSTNAME_LEN_MAX];
	struct omx_peer *peer;

	/* the codec checked 1 <= len <= OMX_HOSTNAME_LEN_MAX and the frame length */
	if (skb_copy_bits(skb, pkt->payload_offset - ETH_HLEN, name, len))
		return OMX_COUNTER_RX_DROP_BAD_LENGTH;
	if (!omx_peer_hostname_ok(name, len))
		return OMX_COUNTER_RX_DROP_BAD_HOSTNAME;

	omx_iface_count(iface, OMX_COUNTER_RX_HOST_REPLY, 1);

	spin_lock(&omx_peers_lock);
	peer = omx_peer_learn_locked(iface->index, pkt->src_mac);
	if (peer) {
		if (strcmp(peer->hostname, name))
			pr_debug("peer %u: %pM is %s\n", peer->index, peer->mac, name);
		memcpy(peer->hostname, name, len);
		memset(peer->hostname + len, 0, sizeof(peer->hostname) - len);
		peer->flags |= OMX_PEER_FLAG_HOSTNAME;
		/* the replier tells us where it keeps us */
		if (reply->peer_index != OMX_PEER_INDEX_UNKNOWN)
			WRITE_ONCE(peer->reverse_index, reply->peer_index);
	}
	spin_unlock(&omx_peers_lock);
	return OMX_COUNTER_NR;
}

int omx_peer_resolve(u32 index, u8 *mac, u16 *reverse)
{
	struct omx_peer *peer;
	int ret = -ENOENT;

	if (index >= omx_peers_max)
		return -ENOENT;
	index = array_index_nospec(index, omx_peers_max);

	rcu_read_lock();
	peer = rcu_dereference(omx_peer_table[index]);
	if (peer) {
		ether_addr_copy(mac, peer->mac);
		*reverse = READ_ONCE(peer->reverse_index);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

int omx_peer_learn_index(u32 board, const u8 *mac, u16 reverse)
{
	struct omx_peer *peer;
	int ret = -ENOSPC;

	spin_lock_bh(&omx_peers_lock);
	peer = omx_peer_learn_locked(board, mac);
	if (peer) {
		if (reverse != OMX_PEER_INDEX_UNKNOWN)
			WRITE_ONCE(peer->reverse_index, reverse);
		ret = peer->index;
	}
	spin_unlock_bh(&omx_peers_lock);
	return ret;
}

static void omx_peer_fill_lookup(const struct omx_peer *peer,
				 struct omx_peer_lookup *req)
{
	req->peer_index = peer->index;
	memcpy(req->mac, peer->mac, sizeof(req->mac));
	memcpy(req->hostname, peer->hostname, sizeof(req->hostname));
}

static struct omx_peer *omx_peer_find_name_locked(const char *name)
{
	struct omx_peer *peer;
	unsigned long index;

	for_each_set_bit(index, omx_peer_used, omx_peers_max) {
		peer = omx_peer_locked(index);
		if ((peer->flags & OMX_PEER_FLAG_HOSTNAME) &&
		    !strcmp(peer->hostname, name))
			return peer;
	}
	return NULL;
}

int omx_peers_lookup(struct omx_peer_lookup *req, u32 board)
{
	u32 known = OMX_PEER_LOOKUP_BY_HOSTNAME | OMX_PEER_LOOKUP_CREATE;
	bool by_name = req->flags & OMX_PEER_LOOKUP_BY_HOSTNAME;
	struct omx_peer *peer;
	int ret = 0;

	if ((req->flags & ~known) || req->pad[0] || req->pad[1] ||
	    (by_name && (req->flags & OMX_PEER_LOOKUP_CREATE)))
		return -EINVAL;
	if (by_name) {
		if (!req->hostname[0] ||
		    strnlen(req->hostname, sizeof(req->hostname)) == sizeof(req->hostname))
			return -EINVAL;
	} else if (!is_valid_ether_addr(req->mac)) {
		return -EINVAL;
	}

	spin_lock_bh(&omx_peers_lock);
	if (by_name) {
		peer = omx_peer_find_name_locked(req->hostname);
	} else {
		peer = omx_peer_find_locked(req->mac);
		if (!peer && (req->flags & OMX_PEER_LOOKUP_CREATE)) {
			peer = omx_peer_learn_locked(board, req->mac);
			if (!peer)
				ret = -ENOSPC;
		}
	}
	if (peer)
		omx_peer_fill_lookup(peer, req);
	else if (!ret)
		ret = -ENOENT;
	spin_unlock_bh(&omx_peers_lock);
	return ret;
}

void omx_peers_get_table_info(struct omx_peer_table_info *info)
{
	memset(info, 0, sizeof(*info));
	spin_lock_bh(&omx_peers_lock);
	info->count = omx_peer_count;
	info->max = omx_peers_max;
	info->refused = omx_peer_refused;
	spin_unlock_bh(&omx_peers_lock);
}

int omx_peers_get_info(u32 index, struct omx_peer_info *info)
{
	struct omx_peer *peer;
	int ret = 0;

	if (index >= omx_peers_max)
		return -EINVAL;
	index = array_index_nospec(index, omx_peers_max);

	memset(info, 0, sizeof(*info));
	spin_lock_bh(&omx_peers_lock);
	peer = omx_peer_locked(index);
	if (peer) {
		info->peer_index = index;
		info->board_index = peer->board;
		info->flags = peer->flags;
		info->reverse_index = peer->reverse_index;
		memcpy(info->mac, peer->mac, sizeof(info->mac));
		memcpy(info->hostname, peer->hostname, sizeof(info->hostname));
	} else {
		ret = -ENOENT;
	}
	spin_unlock_bh(&omx_peers_lock);
	return ret;
}

int omx_peers_init(void)
{
	if (omx_peers_max < 1 || omx_peers_max > OMX_PEERS_LIMIT) {
		pr_err("peers=%u is out of range: use 1 to %u\n",
		       omx_peers_max, OMX_PEERS_LIMIT);
		return -EINVAL;
	}

	omx_peer_table = kvcalloc(omx_peers_max, sizeof(*omx_peer_table),
				  GFP_KERNEL);
	if (!omx_peer_table)
		return -ENOMEM;
	omx_peer_used = bitmap_zalloc(omx_peers_max, GFP_KERNEL);
	if (!omx_peer_used) {
		kvfree(omx_peer_table);
		return -ENOMEM;
	}
	omx_peer_magic = get_random_u32();
	return 0;
}

/* Every board is detached by now, so the table should be empty already. */
void omx_peers_exit(void)
{
	omx_peers_remove(0, true);
	bitmap_free(omx_peer_used);
	kvfree(omx_peer_table);
}
