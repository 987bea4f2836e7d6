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
 * unicast HOST_QUERY.  Answers are rate-limited per board; a query over
 * the limit still records its sender.  A HOST_REPLY records or refreshes
 * the sender with its hostname.  A board renamed with
 * OMX_CMD_SET_HOSTNAME sends an unsolicited HOST_REPLY to every peer heard
 * through it, which renames it there.  Detaching a board removes the
 * peers last heard through it: the table only lists hosts that omx can
 * reach now.  OMX_CMD_SET_PEERS loads a static table all or nothing.
 *
 * Ageing: a peer that took part in discovery or was loaded by an
 * administrator (its hostname is known) stays until its board is
 * detached or the table is cleared.  Any other peer ("learned": from a
 * messaging frame, or created by OMX_CMD_PEER_LOOKUP) leaves the table
 * once no frame went to or came from it for "peer_age" seconds and no
 * open endpoint refers to it (received an event from it or looked it
 * up: omx_endpoint_ref_peer()), so that its index can never change
 * under a process that still uses it.  Creating a peer from user space
 * needs CAP_NET_ADMIN, except for the MAC of one of this host's own
 * boards (the library looks itself up): an unprivileged user can fill
 * nothing.
 *
 * Locking: omx_peers_lock (BH-safe spinlock) protects the table, the
 * hash, the counts and every change of a peer field.  Entries are also
 * published with RCU and freed after a grace period, so that the send
 * path (by index) and the receive path (by the index the frame carries,
 * else by MAC in the hash) find peers without the lock: the receive path
 * of one queue shares no lock with the others (docs/multiqueue.md).  It
 * only takes the lock to add a peer, and only once the frame has proven
 * itself (it reached an open endpoint with the right session, or is a
 * CONNECT to an open endpoint, or HOST_QUERY/HOST_REPLY discovery), so a
 * flood of forged frames from random MACs cannot fill the table.  The
 * MAC and index of an entry never change while it is published.
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
#include <linux/sort.h>
#include <linux/workqueue.h>
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

static unsigned int omx_peer_age = OMX_PEER_AGE_DEFAULT;
module_param_named(peer_age, omx_peer_age, uint, 0644);
MODULE_PARM_DESC(peer_age,
		 "Seconds after which a learned peer (no hostname: neither discovered nor static) that no open endpoint refers to and no frame used leaves the table; 0 never (default 300)");

struct omx_peer {
	struct hlist_node hash_node;	/* in omx_peer_hash, keyed by MAC */
	struct rcu_head rcu;
	u32 index;
	u32 board;			/* board last heard through */
	u32 flags;			/* OMX_PEER_FLAG_* */
	u16 reverse_index;		/* our index in its table, or unknown */
	/* jiffies of the last frame to or from it (coarse: updated once a second) */
	unsigned long last_used;
	u8 mac[ETH_ALEN];
	char hostname[OMX_HOSTNAMELEN_MAX];	/* "" until a HOST_REPLY */
};

#define OMX_PEER_HASH_BITS	8
/* internal flag, never reported: kept by an OMX_SET_PEERS_REPLACE load */
#define OMX_PEER_FLAG_KEEP	0x80000000U
/* peers announced per pass of the peer lock */
#define OMX_PEER_ANNOUNCE_BATCH	32
/* the ager's period is a quarter of the age, within these bounds */
#define OMX_PEER_AGER_MIN_PERIOD	HZ
#define OMX_PEER_AGER_MAX_PERIOD	(60 * HZ)

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

static void omx_peers_age(struct work_struct *work);
static DECLARE_DELAYED_WORK(omx_peer_ager, omx_peers_age);
/* learned peers removed by the ager since load */
static u64 omx_peer_aged;

/* Lockless, any context: at most one write per peer and second. */
static void omx_peer_touch(struct omx_peer *peer)
{
	unsigned long now = jiffies;

	if (READ_ONCE(peer->last_used) != now &&
	    time_after(now, READ_ONCE(peer->last_used) + HZ))
		WRITE_ONCE(peer->last_used, now);
}

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

/* Enter @peer, zeroed, into the table; the caller made sure there is room. */
static void omx_peer_insert_locked(struct omx_peer *peer, u32 board,
				   const u8 *mac)
{
	unsigned long index;

	lockdep_assert_held(&omx_peers_lock);

	index = find_first_zero_bit(omx_peer_used, omx_peers_max);
	peer->index = index;
	peer->board = board;
	peer->reverse_index = OMX_PEER_INDEX_UNKNOWN;
	peer->last_used = jiffies;
	ether_addr_copy(peer->mac, mac);

	__set_bit(index, omx_peer_used);
	hash_add_rcu(omx_peer_hash, &peer->hash_node, ether_addr_to_u64(mac));
	rcu_assign_pointer(omx_peer_table[index], peer);
	omx_peer_count++;
	atomic_inc(&omx_live.peers);

	pr_debug("peer %u: %pM heard on board %u\n", peer->index, mac, board);
}

/*
 * The peer with address @mac, created if new, now known to be reachable
 * through @board.  NULL if the table is full or memory is short.
 */
static struct omx_peer *omx_peer_learn_locked(u32 board, const u8 *mac)
{
	struct omx_peer *peer;

	lockdep_assert_held(&omx_peers_lock);

	peer = omx_peer_find_locked(mac);
	if (peer) {
		peer->board = board;
		omx_peer_touch(peer);
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
	omx_peer_insert_locked(peer, board, mac);
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

/* The board hostname may change at any time (SET_HOSTNAME): copy it. */
static int omx_peer_send_reply(struct omx_iface *iface, const u8 *dst,
			       u16 target, u16 reverse, u32 magic)
{
	char name[OMX_HOSTNAMELEN_MAX];
	unsigned int len;
	struct omx_pkt pkt = {
		.type = OMX_PKT_TYPE_HOST_REPLY,
		.peer_index = reverse,
		.host_reply = {
			.magic = magic,
			.peer_index = target,
		},
	};

	omx_iface_copy_hostname(iface, name);
	len = strnlen(name, sizeof(name) - 1) + 1;
	pkt.host_reply.hostname_len = len;
	memcpy(pkt.dst_mac, dst, ETH_ALEN);
	return omx_send_frame(iface, &pkt, name, len,
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

	if (!__ratelimit(&iface->query_answers)) {
		omx_iface_count(iface, OMX_COUNTER_HOST_QUERY_UNANSWERED, 1);
		return OMX_COUNTER_NR;
	}
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

unsigned int omx_peers_announce(struct omx_iface *iface)
{
	u16 index[OMX_PEER_ANNOUNCE_BATCH], reverse[OMX_PEER_ANNOUNCE_BATCH];
	u8 mac[OMX_PEER_ANNOUNCE_BATCH][ETH_ALEN];
	unsigned int n, i, sent = 0;
	unsigned long next = 0, bit;
	struct omx_peer *peer;

	while (next < omx_peers_max) {
		n = 0;
		spin_lock_bh(&omx_peers_lock);
		for (bit = find_next_bit(omx_peer_used, omx_peers_max, next);
		     bit < omx_peers_max && n < OMX_PEER_ANNOUNCE_BATCH;
		     bit = find_next_bit(omx_peer_used, omx_peers_max, bit + 1)) {
			peer = omx_peer_locked(bit);
			if (peer->board != iface->index)
				continue;
			index[n] = peer->index;
			reverse[n] = peer->reverse_index;
			ether_addr_copy(mac[n], peer->mac);
			n++;
		}
		spin_unlock_bh(&omx_peers_lock);
		next = bit;

		/* frames go out without the lock */
		for (i = 0; i < n; i++)
			if (!omx_peer_send_reply(iface, mac[i], index[i],
						 reverse[i], omx_peer_magic))
				sent++;
	}
	return sent;
}

bool omx_hostname_valid(const char *buf, size_t size)
{
	size_t len = strnlen(buf, size);

	return len < size && omx_peer_hostname_ok(buf, len + 1);
}

/* A unicast MAC, zero pads and a hostname a HOST_REPLY could carry. */
static bool omx_peer_entry_ok(const struct omx_peer_entry *e)
{
	return is_valid_ether_addr(e->mac) && !e->pad[0] && !e->pad[1] &&
		!e->pad1 && omx_hostname_valid(e->hostname, sizeof(e->hostname));
}

static int omx_peer_entry_cmp(const void *a, const void *b, const void *priv)
{
	const struct omx_peer_entry *entries = priv;

	return memcmp(entries[*(const u32 *)a].mac, entries[*(const u32 *)b].mac,
		      ETH_ALEN);
}

/* Every entry well-formed, on an attached board, and no MAC twice. */
static int omx_peers_check_entries(const struct omx_peer_entry *entries, u32 nr)
{
	struct omx_iface *iface;
	u32 *order, i;
	int ret = 0;

	for (i = 0; i < nr; i++) {
		if (!omx_peer_entry_ok(&entries[i]))
			return -EINVAL;
		if (entries[i].board_index >= OMX_MAX_BOARDS)
			return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		iface = omx_iface_acquire(entries[i].board_index);
		if (IS_ERR(iface))
			return PTR_ERR(iface);
		omx_iface_put(iface);
	}

	order = kvmalloc_array(nr, sizeof(*order), GFP_KERNEL);
	if (!order)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		order[i] = i;
	sort_r(order, nr, sizeof(*order), omx_peer_entry_cmp, NULL, entries);
	for (i = 1; i < nr; i++)
		if (ether_addr_equal(entries[order[i - 1]].mac, entries[order[i]].mac))
			ret = -EINVAL;
	kvfree(order);
	return ret;
}

/* Apply checked entries; @spare holds a zeroed peer for each entry. */
static int omx_peers_set_locked(const struct omx_peer_entry *entries, u32 nr,
				bool replace, struct omx_peer **spare)
{
	struct omx_peer *peer;
	unsigned long bit;
	u32 i, missing = 0;

	lockdep_assert_held(&omx_peers_lock);

	for (i = 0; i < nr; i++) {
		peer = omx_peer_find_locked(entries[i].mac);
		if (!peer)
			missing++;
		else if (replace)
			peer->flags |= OMX_PEER_FLAG_KEEP;
	}
	if ((replace ? nr : omx_peer_count + missing) > omx_peers_max) {
		/* nothing changed yet but the marks */
		for_each_set_bit(bit, omx_peer_used, omx_peers_max)
			omx_peer_locked(bit)->flags &= ~OMX_PEER_FLAG_KEEP;
		return -ENOSPC;
	}

	if (replace) {
		for_each_set_bit(bit, omx_peer_used, omx_peers_max) {
			peer = omx_peer_locked(bit);
			if (peer->flags & OMX_PEER_FLAG_KEEP)
				peer->flags &= ~OMX_PEER_FLAG_KEEP;
			else
				omx_peer_remove_locked(peer);
		}
	}

	for (i = 0; i < nr; i++) {
		peer = omx_peer_find_locked(entries[i].mac);
		if (!peer) {
			peer = spare[i];
			spare[i] = NULL;
			omx_peer_insert_locked(peer, entries[i].board_index,
					       entries[i].mac);
		}
		peer->board = entries[i].board_index;
		strscpy_pad(peer->hostname, entries[i].hostname,
			    sizeof(peer->hostname));
		peer->flags |= OMX_PEER_FLAG_HOSTNAME;
	}
	return 0;
}

int omx_peers_set(const struct omx_peer_entry *entries, u32 nr, u32 flags)
{
	struct omx_peer **spare;
	u32 i;
	int ret;

	if (!nr || (flags & ~OMX_SET_PEERS_REPLACE))
		return -EINVAL;
	if (nr > omx_peers_max)
		return -ENOSPC;
	ret = omx_peers_check_entries(entries, nr);
	if (ret)
		return ret;

	/* allocated up front: under the lock nothing may fail half-way */
	spare = kvcalloc(nr, sizeof(*spare), GFP_KERNEL);
	if (!spare)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		spare[i] = kzalloc(sizeof(*spare[i]), GFP_KERNEL);
		if (!spare[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}

	spin_lock_bh(&omx_peers_lock);
	ret = omx_peers_set_locked(entries, nr, flags & OMX_SET_PEERS_REPLACE,
				   spare);
	spin_unlock_bh(&omx_peers_lock);
	if (!ret)
		pr_info("%u static peer(s) loaded%s, %u in the table\n", nr,
			(flags & OMX_SET_PEERS_REPLACE) ? " in place of the old table" : "",
			READ_ONCE(omx_peer_count));
out:
	for (i = 0; i < nr; i++)
		kfree(spare[i]);
	kvfree(spare);
	return ret;
}

int omx_peers_clear(u32 board)
{
	unsigned int removed;

	if (board >= OMX_MAX_BOARDS && board != OMX_PEERS_ALL_BOARDS)
		return -EINVAL;
	removed = omx_peers_remove(board, board == OMX_PEERS_ALL_BOARDS);
	if (board == OMX_PEERS_ALL_BOARDS)
		pr_info("peer table cleared: %u peer(s) removed\n", removed);
	else
		pr_info("board %u: %u peer(s) removed from the peer table\n",
			board, removed);
	return 0;
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
		omx_peer_touch(peer);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}

/* Under RCU: the peer @mac, trying the index the sender gave first. */
static struct omx_peer *omx_peer_find_rcu(u16 hint, const u8 *mac)
{
	struct omx_peer *peer;

	if (hint < omx_peers_max) {
		peer = rcu_dereference(omx_peer_table[array_index_nospec(hint, omx_peers_max)]);
		if (peer && ether_addr_equal(peer->mac, mac))
			return peer;
	}
	hash_for_each_possible_rcu(omx_peer_hash, peer, hash_node,
				   ether_addr_to_u64(mac))
		if (ether_addr_equal(peer->mac, mac))
			return peer;
	return NULL;
}

int omx_peer_lookup_rcu(u32 board, u16 hint, const u8 *mac, u16 reverse,
			u16 *reverse_out)
{
	struct omx_peer *peer;
	int index = -ENOENT;
	bool stale = false;
	u16 known = OMX_PEER_INDEX_UNKNOWN;

	rcu_read_lock();
	peer = omx_peer_find_rcu(hint, mac);
	if (peer) {
		omx_peer_touch(peer);
		index = peer->index;
		known = READ_ONCE(peer->reverse_index);
		stale = READ_ONCE(peer->board) != board ||
			(reverse != OMX_PEER_INDEX_UNKNOWN && reverse != known);
	}
	rcu_read_unlock();

	/* rare: the peer moved to another board or renumbered us */
	if (stale) {
		index = omx_peer_learn_index(board, mac, reverse);
		if (index >= 0 && reverse != OMX_PEER_INDEX_UNKNOWN)
			known = reverse;
	}
	if (reverse_out)
		*reverse_out = known;
	return index;
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

/* @mac is the address of one of this host's attached boards. */
static bool omx_peer_mac_is_local(const u8 *mac)
{
	bool local;

	rcu_read_lock();
	local = omx_iface_find_by_mac_rcu(mac);
	rcu_read_unlock();
	return local;
}

int omx_peers_lookup(struct omx_peer_lookup *req, u32 board, bool admin,
		     u32 *found)
{
	u32 known = OMX_PEER_LOOKUP_BY_HOSTNAME | OMX_PEER_LOOKUP_CREATE;
	bool by_name = req->flags & OMX_PEER_LOOKUP_BY_HOSTNAME;
	bool may_create;
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
	/*
	 * Any user may add this host's own boards (at most OMX_MAX_BOARDS
	 * entries, which the library needs to talk to itself); any other
	 * address is the administrator's to add, so that nobody can fill
	 * the table and keep new hosts out.
	 */
	may_create = (req->flags & OMX_PEER_LOOKUP_CREATE) &&
		(admin || omx_peer_mac_is_local(req->mac));

	spin_lock_bh(&omx_peers_lock);
	if (by_name) {
		peer = omx_peer_find_name_locked(req->hostname);
	} else {
		peer = omx_peer_find_locked(req->mac);
		if (!peer && may_create) {
			peer = omx_peer_learn_locked(board, req->mac);
			if (!peer)
				ret = -ENOSPC;
		} else if (!peer && (req->flags & OMX_PEER_LOOKUP_CREATE)) {
			ret = -EPERM;
		}
	}
	if (peer) {
		omx_peer_touch(peer);
		omx_peer_fill_lookup(peer, req);
		*found = peer->index;
	} else if (!ret) {
		ret = -ENOENT;
	}
	spin_unlock_bh(&omx_peers_lock);
	return ret;
}

/*
 * Remove the learned peers idle for @age jiffies that no open endpoint
 * refers to.  A frame of such a peer arriving meanwhile touches it first,
 * so it stays; the lookup that found it without the lock still names its
 * old index, which then names nobody (sends fail with ENOENT) or, if the
 * index was reused at once, the newcomer: the endpoint refers to that
 * one from then on, and the ager keeps it.
 */
static unsigned int omx_peers_expire(unsigned long age)
{
	unsigned long *refs, index, now = jiffies;
	struct omx_peer *peer;
	unsigned int removed = 0;

	refs = bitmap_zalloc(omx_peers_max, GFP_KERNEL);
	if (!refs)
		return 0;
	omx_ifaces_collect_peer_refs(refs, omx_peers_max);

	spin_lock_bh(&omx_peers_lock);
	for_each_set_bit(index, omx_peer_used, omx_peers_max) {
		peer = omx_peer_locked(index);
		if ((peer->flags & OMX_PEER_FLAG_HOSTNAME) || test_bit(index, refs) ||
		    time_before(now, READ_ONCE(peer->last_used) + age))
			continue;
		pr_debug("peer %u: %pM unused for %u s, removed\n", peer->index,
			 peer->mac, jiffies_to_msecs(now - peer->last_used) / 1000);
		omx_peer_remove_locked(peer);
		removed++;
	}
	omx_peer_aged += removed;
	spin_unlock_bh(&omx_peers_lock);
	bitmap_free(refs);
	return removed;
}

static void omx_peers_age(struct work_struct *work)
{
	unsigned int age_s = READ_ONCE(omx_peer_age);
	unsigned long age = (unsigned long)age_s * HZ;
	unsigned long period = OMX_PEER_AGER_MAX_PERIOD;

	if (age_s) {
		omx_peers_expire(age);
		period = clamp(age / 4, OMX_PEER_AGER_MIN_PERIOD,
			       OMX_PEER_AGER_MAX_PERIOD);
	}
	/* a smaller peer_age written meanwhile takes effect within a minute */
	schedule_delayed_work(&omx_peer_ager, period);
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
	schedule_delayed_work(&omx_peer_ager, OMX_PEER_AGER_MIN_PERIOD);
	return 0;
}

/* Every board is detached by now, so the table should be empty already. */
void omx_peers_exit(void)
{
	cancel_delayed_work_sync(&omx_peer_ager);
	if (omx_peer_aged)
		pr_info("%llu learned peer(s) aged out of the table since load\n",
			omx_peer_aged);
	omx_peers_remove(0, true);
	bitmap_free(omx_peer_used);
	kvfree(omx_peer_table);
}
