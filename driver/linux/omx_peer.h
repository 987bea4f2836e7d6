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

/**
 * omx_peers_init() - allocate the peer table and start the peer ager
 *
 * Module load, before any board is attached; the table's size is the
 * "peers" parameter, fixed until unload.
 *
 * Return: 0, -EINVAL ("peers" out of range) or -ENOMEM.
 */
int omx_peers_init(void);

/**
 * omx_peers_exit() - stop the ager and free the table
 *
 * Module unload, after every board was detached, which removed the peers
 * heard through it: the table should be empty, and whatever is left is
 * freed.
 */
void omx_peers_exit(void);

/**
 * omx_peer_recv_host_query() - answer a HOST_QUERY with our hostname
 * @iface: the board it came in on
 * @skb: the frame (not consumed)
 * @pkt: the frame, validated and decoded
 *
 * Learns the sender as a peer, then replies within the board's rate
 * limit, so that a flood of queries cannot make us flood.  Receive path:
 * softirq under rcu_read_lock().
 *
 * Return: OMX_COUNTER_NR when the frame was used, otherwise the counter
 * of the reason it was dropped.
 */
enum omx_counter_index omx_peer_recv_host_query(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);

/**
 * omx_peer_recv_host_reply() - learn a peer and its hostname from a HOST_REPLY
 * @iface: the board it came in on
 * @skb: the frame (not consumed)
 * @pkt: the frame, validated and decoded
 *
 * Answers to our queries and unsolicited announcements of a rename alike;
 * a name that is empty or holds a control character is dropped.  Receive
 * path: softirq under rcu_read_lock().
 *
 * Return: OMX_COUNTER_NR when the frame was used, otherwise the counter
 * of the reason it was dropped.
 */
enum omx_counter_index omx_peer_recv_host_reply(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);

/**
 * omx_peer_discover() - broadcast a HOST_QUERY on @iface
 * @iface: the board, held by the caller
 *
 * Every host running omx on the link answers, and so becomes a peer.
 * Any context.
 *
 * Return: 0 or the send's error (omx_send_frame()).
 */
int omx_peer_discover(struct omx_iface *iface);

/**
 * omx_peers_discover() - OMX_CMD_DISCOVER_PEERS: omx_peer_discover() on @board
 * @board: board index
 *
 * Process context.  Return: 0, -EINVAL, -ENODEV or the send's error.
 */
int omx_peers_discover(u32 board);

/**
 * omx_peers_forget_board() - remove the peers heard through board @board
 * @board: board index
 *
 * Called by detach once no receive handler can run for that board any
 * more, so that none is learned again behind its back.
 */
void omx_peers_forget_board(u32 board);

/**
 * omx_peer_resolve() - where a send to peer @index goes
 * @index: the peer's index in the table (from the library)
 * @mac: set to the peer's address
 * @reverse: set to our index in the peer's table, OMX_PEER_INDEX_UNKNOWN
 *	if it never told us
 *
 * Any context.  Return: 0, or -ENOENT if there is no peer at @index.
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

/**
 * omx_peer_learn_index() - the index of peer @mac, added if new
 * @board: the board it was heard on
 * @mac: its address
 * @reverse: unless OMX_PEER_INDEX_UNKNOWN, our index in its table,
 *	recorded so that our frames to it carry the hint
 *
 * Called once a received frame is validated: only a well-formed frame
 * takes room in the table.  Any context.
 *
 * Return: the peer's index, or -ENOSPC when the table is full.
 */
int omx_peer_learn_index(u32 board, const u8 *mac, u16 reverse);

/**
 * omx_peers_announce() - tell every peer heard through @iface its new name
 * @iface: the board, just renamed
 *
 * An unsolicited HOST_REPLY to each, sent in batches outside the table's
 * lock.  Process context.
 *
 * Return: how many frames went out.
 */
unsigned int omx_peers_announce(struct omx_iface *iface);

/**
 * omx_hostname_valid() - is @buf a hostname we accept, from a frame or a user?
 * @buf: the name
 * @size: bytes of @buf that may be read
 *
 * Tools print peers' names as they are: no control character may get in.
 *
 * Return: true if @buf holds a non-empty printable name and its NUL
 * within @size bytes.
 */
bool omx_hostname_valid(const char *buf, size_t size);

/**
 * omx_peers_set() - OMX_CMD_SET_PEERS: load static peers
 * @entries: a kernel copy of the user's array
 * @nr: entries in it
 * @flags: OMX_SET_PEERS_REPLACE: the old table goes, except the peers
 *	listed again (which keep their index)
 *
 * All or nothing: every peer is allocated before the table's lock is
 * taken, and a table too small changes nothing.  Process context.
 *
 * Return: 0, -EINVAL (empty array, unknown flag, bad entry), -ENODEV (no
 * such board), -ENOSPC or -ENOMEM.
 */
int omx_peers_set(const struct omx_peer_entry *entries, u32 nr, u32 flags);

/**
 * omx_peers_clear() - OMX_CMD_CLEAR_PEERS
 * @board: remove the peers of this board, or of all with
 *	OMX_PEERS_ALL_BOARDS
 *
 * Return: 0, or -EINVAL for a board index out of range.
 */
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

/**
 * omx_peers_get_table_info() - OMX_CMD_GET_PEER_TABLE_INFO
 * @info: set to the table's size, fill and refused additions
 */
void omx_peers_get_table_info(struct omx_peer_table_info *info);

/**
 * omx_peers_get_info() - OMX_CMD_GET_PEER_INFO: the peer at @index
 * @index: peer index
 * @info: filled in entirely when there is one (padding zeroed)
 *
 * Return: 0, -EINVAL (index out of range) or -ENOENT (no peer there).
 */
int omx_peers_get_info(u32 index, struct omx_peer_info *info);

#endif /* OMX_PEER_H */
