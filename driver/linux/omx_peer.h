/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx peers: the hosts heard on attached boards, and the HOST_QUERY /
 * HOST_REPLY discovery protocol that fills the table.
 */
#ifndef OMX_PEER_H
#define OMX_PEER_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "omx_abi.h"
#include "omx_wire_codec.h"

struct omx_iface;

/* "peers" module parameter: size of the peer table, fixed at load */
extern unsigned int omx_peers_max;

/* default of the "peer_age" module parameter, seconds */
#define OMX_PEER_AGE_DEFAULT	300

int omx_peers_init(void);
void omx_peers_exit(void);

/*
 * Receive handlers, called by the receive path under rcu_read_lock() in
 * softirq context once the frame is validated and decoded into @pkt.
 * They do not consume @skb.  Return OMX_COUNTER_NR when the frame was
 * used, otherwise the counter of the reason it was dropped.
 */
enum omx_counter_index omx_peer_recv_host_query(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);
enum omx_counter_index omx_peer_recv_host_reply(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);

/* Broadcast a HOST_QUERY on @iface; any context, caller holds a reference. */
int omx_peer_discover(struct omx_iface *iface);
/* The same for board index @board (DISCOVER_PEERS ioctl). */
int omx_peers_discover(u32 board);

/*
 * Remove the peers heard through board @board.  Called by detach once no
 * receive handler can run for that board any more.
 */
void omx_peers_forget_board(u32 board);

/*
 * Destination of a send: MAC and our index in the peer's table (reverse
 * index, OMX_PEER_INDEX_UNKNOWN if not known) of the peer at @index.
 * -ENOENT if none.  Any context.
 */
int omx_peer_resolve(u32 index, u8 *mac, u16 *reverse);

/**
 * omx_peer_lookup_rcu() - find the sender of a received frame without locks
 * @board: the board the frame came in on
 * @hint: the frame head's peer_index: where the sender believes we keep it
 * @mac: the frame's source MAC address
 * @reverse: our index in the sender's table if the frame says so, else
 *	OMX_PEER_INDEX_UNKNOWN; recorded if it changed
 * @reverse_out: if not NULL, set to the peer's reverse index as now known
 *
 * Never adds a peer: the caller calls omx_peer_learn_index() once the frame
 * is validated.  Softirq or process context.
 *
 * Return: the peer's index, or -ENOENT if @mac is not in the table.
 */
int omx_peer_lookup_rcu(u32 board, u16 hint, const u8 *mac, u16 reverse,
			u16 *reverse_out);

/*
 * Index of the peer @mac heard on @board, added if new (-ENOSPC when the
 * table is full); @reverse, unless OMX_PEER_INDEX_UNKNOWN, is recorded as
 * its reverse index.  Any context.
 */
int omx_peer_learn_index(u32 board, const u8 *mac, u16 reverse);

/*
 * Send an unsolicited HOST_REPLY with @iface's hostname to every peer
 * heard through it; process context.  Returns how many frames went out.
 */
unsigned int omx_peers_announce(struct omx_iface *iface);

/* @buf holds a non-empty printable name and its NUL within @size bytes. */
bool omx_hostname_valid(const char *buf, size_t size);

/* OMX_CMD_SET_PEERS on a kernel copy of the array; process context. */
int omx_peers_set(const struct omx_peer_entry *entries, u32 nr, u32 flags);
/* OMX_CMD_CLEAR_PEERS: board index or OMX_PEERS_ALL_BOARDS. */
int omx_peers_clear(u32 board);

/**
 * omx_peers_lookup() - OMX_CMD_PEER_LOOKUP
 * @req: the request, filled in when found
 * @board: where a created peer is recorded
 * @admin: the caller may create a peer for any MAC; without it only for
 *	the MAC of one of this host's boards (-EPERM otherwise)
 * @found: set to the peer's index when found or created
 *
 * Process context.  Return: 0, -EINVAL, -ENOENT, -EPERM or -ENOSPC.
 */
int omx_peers_lookup(struct omx_peer_lookup *req, u32 board, bool admin,
		     u32 *found);

void omx_peers_get_table_info(struct omx_peer_table_info *info);
int omx_peers_get_info(u32 index, struct omx_peer_info *info);

#endif /* OMX_PEER_H */
