/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx endpoints: the (board, index) pair a process communicates through.
 */
#ifndef OMX_ENDPOINT_H
#define OMX_ENDPOINT_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/cred.h>
#include <linux/kref.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>

#include "omx_abi.h"
#include "omx_region.h"
#include "omx_ring.h"
#include "omx_wire.h"

struct net;
struct omx_endpoint_rx;
struct omx_iface;
struct omx_pull_table;

/* sources of sessionless frames told apart per endpoint (hash buckets) */
#define OMX_RATE_BUCKETS	64

/* credit in 1/HZ of a frame; U32_MAX: never used, full */
struct omx_rate_bucket {
	unsigned long stamp;		/* jiffies of the last refill */
	u32 credit;
};

enum omx_endpoint_state {
	OMX_ENDPOINT_LIVE,
	/* its board was detached by force: only close(2) is left */
	OMX_ENDPOINT_DEAD,
};

/*
 * References: the file that opened it holds one; the receive path takes
 * one with kref_get_unless_zero() under RCU while it delivers, hence the
 * RCU-delayed free.  A mapping of the rings holds the file, so the rings
 * are never freed while mapped.
 */
struct omx_endpoint {
	struct kref kref;
	struct rcu_head rcu;
	struct omx_iface *iface;	/* holds a reference */
	u32 board_index;
	u32 index;
	struct pid *owner;
	kuid_t uid;			/* euid of the file's opener: owns the endpoint */
	char comm[TASK_COMM_LEN];	/* the opener's command, for tools */
	enum omx_endpoint_state state;	/* written under the iface's endpoint_lock */

	/* fixed at open */
	u32 session_id;			/* random, never 0 */
	u32 mtu;			/* the board's (Linux) MTU at open */
	u32 frag_len;			/* medium fragment size at that MTU */
	u32 pull_reply_len;		/* pull reply size at that MTU */
	u32 open_flags;			/* OMX_ENDPOINT_OPEN_* */
	u8 mac[6];

	/* large messages: registered regions, pulls of ours in progress */
	struct omx_region_table regions;
	struct omx_pull_table *pulls;

	/*
	 * wire frames for it processed on each CPU (omx_steering.c); the
	 * receive path reaches it under RCU without a reference, hence
	 * freed after a grace period with the endpoint
	 */
	struct omx_endpoint_rx __percpu *rx_stats;

	/*
	 * Peer indexes this endpoint was told about (events, lookups): the
	 * peer ager keeps those peers.  omx_peers_max bits, set locklessly
	 * and never cleared; read by the ager under the iface's endpoint_lock.
	 */
	unsigned long *peer_refs;

	/*
	 * Token buckets for frames without a session (CONNECT, NACK_LIB),
	 * per source (MAC, endpoint) hashed with @rate_seed, so that no
	 * sender can fill this endpoint's rings with them.  BH context.
	 */
	spinlock_t rate_lock;
	u32 rate_seed;
	struct omx_rate_bucket rate[OMX_RATE_BUCKETS];

	struct omx_rings rings;
	wait_queue_head_t waitq;	/* WAIT_EVENT and poll sleepers */
	/* WAKEUP: pending for the next WAIT_EVENT, and a generation for sleepers */
	unsigned long wakeup_pending;
	atomic_t wakeup_gen;
};

/**
 * struct omx_viewer - who asks about an endpoint that may not be theirs
 * @euid: effective uid of the opener of the asking file
 * @admin: that opener had CAP_NET_ADMIN in the initial user namespace
 *
 * Who holds an endpoint and what it receives is its owner's and the
 * administrator's business, as /proc/PID with hidepid=invisible.
 */
struct omx_viewer {
	kuid_t euid;
	bool admin;
};

/**
 * omx_endpoint_visible() - may @viewer see who holds @ep and what it gets?
 * @ep: the endpoint asked about
 * @viewer: who asks
 *
 * The one rule for every query that names an endpoint's owner (pid,
 * command) or shows its counters: its owner and an administrator may.
 *
 * Return: true if @viewer may see them.
 */
static inline bool omx_endpoint_visible(const struct omx_endpoint *ep,
					const struct omx_viewer *viewer)
{
	return viewer->admin || uid_eq(viewer->euid, ep->uid);
}

/**
 * omx_endpoint_is_dead() - was @ep's board detached by force?
 * @ep: the endpoint
 *
 * Lockless: the state only ever goes from live to dead, never back.
 *
 * Return: true once omx_endpoint_kill() ran: only close is left to it.
 */
static inline bool omx_endpoint_is_dead(const struct omx_endpoint *ep)
{
	return READ_ONCE(ep->state) == OMX_ENDPOINT_DEAD;
}

/* default of the "endpoints_per_user" module parameter */
#define OMX_ENDPOINTS_PER_USER_DEFAULT	16
/* defaults of "connect_rate" (frames per second) and "connect_burst" */
#define OMX_CONNECT_RATE_DEFAULT	100
#define OMX_CONNECT_BURST_DEFAULT	32

/**
 * omx_endpoint_open() - OMX_CMD_OPEN_ENDPOINT
 * @req: the request, flags and pad checked
 * @cred: the opener of the file: its euid owns the endpoint and is
 *	charged against "endpoints_per_user"
 * @admin: that opener has CAP_NET_ADMIN: not limited
 * @net: the opener's network namespace: only a board whose interface
 *	lives there can be used
 *
 * Process context.  Return: the endpoint, or ERR_PTR of -EINVAL (index
 * out of range), -ENODEV (no board, or not in @net), -EBUSY (slot
 * taken), -EDQUOT (the user's limit), -ENOMEM (memory, or the memory
 * cgroup's limit).
 */
struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req,
				       const struct cred *cred, bool admin,
				       const struct net *net);
/**
 * omx_endpoint_close() - the release of the file that opened @ep
 * @ep: the endpoint, live or dead; the file's reference is dropped
 *
 * Frees the slot and the user's quota at once, ends the pulls and
 * deregisters the regions; the receive path may still hold a reference,
 * which then finds neither, and the memory goes with the last reference.
 * Process context.
 */
void omx_endpoint_close(struct omx_endpoint *ep);

/**
 * omx_endpoint_put() - drop a reference to @ep
 * @ep: the endpoint
 *
 * The last one frees the rings and the pull table and drops the board
 * reference; the structure itself goes after an RCU grace period, since
 * the receive path looks endpoints up under RCU.  Any context.
 */
void omx_endpoint_put(struct omx_endpoint *ep);

/**
 * omx_endpoint_kill() - mark @ep dead, its board detached by force
 * @ep: the endpoint
 *
 * Wakes its sleepers, which then return -ENODEV; every later command but
 * close fails.  The caller holds the board's endpoint_lock.
 */
void omx_endpoint_kill(struct omx_endpoint *ep);

/**
 * omx_endpoint_get_info() - OMX_CMD_GET_ENDPOINT_INFO on the file's endpoint
 * @ep: the endpoint
 * @info: filled in entirely (padding zeroed: it is copied to user space)
 *
 * The owner's pid is given in the caller's pid namespace.
 */
void omx_endpoint_get_info(const struct omx_endpoint *ep,
			   struct omx_endpoint_info *info);

/**
 * omx_endpoint_deliver() - give @ep an event, and its payload if any
 * @ep: the destination endpoint
 * @ring: the expected or the unexpected event ring
 * @evt: the event; its receive slot is filled in when there is a payload
 * @payload: @len bytes at @offset of @skb go with the event
 * @skb: the frame holding the payload (not consumed)
 * @offset: where the payload starts, from @skb->data
 * @len: payload length
 *
 * omx_ring_produce(), then a wakeup of the sleepers in WAIT_EVENT and poll.
 * BH disabled.
 *
 * Return: 0, or -ENOSPC when the ring is full (the drop is recorded in
 * the control page; nobody is woken).
 */
int omx_endpoint_deliver(struct omx_endpoint *ep, enum omx_ring_id ring,
			 struct omx_event *evt, bool payload,
			 const struct sk_buff *skb, int offset, unsigned int len);

/**
 * omx_endpoint_get_rcu() - the endpoint a received frame is for
 * @iface: the board the frame came in on
 * @index: the endpoint index the frame names, not yet checked
 * @why: set when there is none: the NACK the sender deserves (bad
 *	endpoint index, or endpoint closed)
 *
 * Caller under rcu_read_lock().  A dead endpoint counts as closed.
 *
 * Return: the endpoint with a reference (omx_endpoint_put() it), or NULL.
 */
struct omx_endpoint *omx_endpoint_get_rcu(struct omx_iface *iface, u32 index,
					  enum omx_nack_type *why);

/**
 * omx_endpoint_ref_peer() - record that @ep was told about peer @index
 * @ep: the endpoint
 * @index: the peer's index in the table
 *
 * The peer ager keeps every peer some open endpoint may still name.  Any
 * context; the bit is never cleared while @ep lives.
 */
static inline void omx_endpoint_ref_peer(struct omx_endpoint *ep, u32 index)
{
	/* test first: the bit is set once, the cache line stays shared */
	if (!test_bit(index, ep->peer_refs))
		set_bit(index, ep->peer_refs);
}

/**
 * omx_endpoint_admit_sessionless() - may a frame without a session go in?
 * @ep: the destination endpoint
 * @mac: the frame's source MAC
 * @src_endpoint: the sender's endpoint index
 *
 * Takes a token from the bucket of that source: "connect_rate" frames a
 * second, bursts of "connect_burst".  BH disabled.
 *
 * Return: false when the source is over its rate (drop the frame).
 */
bool omx_endpoint_admit_sessionless(struct omx_endpoint *ep, const u8 *mac,
				    u8 src_endpoint);

/**
 * omx_endpoint_wait() - OMX_CMD_WAIT_EVENT: sleep until there is news
 * @ep: the endpoint
 * @wait: in: the library's consumer indexes and the timeout; out: why
 *	the wait ended (an event, a wakeup or the timeout)
 *
 * Events win over a wakeup, which then stays pending for the next wait.
 * Process context, interruptible.
 *
 * Return: 0 with @wait->status set, -EINTR on a signal, -ENODEV if the
 * board was detached by force meanwhile.
 */
int omx_endpoint_wait(struct omx_endpoint *ep, struct omx_wait *wait);

/**
 * omx_endpoint_wakeup() - OMX_CMD_WAKEUP: end the waits on @ep
 * @ep: the endpoint
 *
 * Every thread sleeping in omx_endpoint_wait() returns with
 * OMX_WAIT_WAKEUP; with none sleeping the next wait returns at once,
 * as mx_wakeup() requires.  Any context.
 */
void omx_endpoint_wakeup(struct omx_endpoint *ep);

#endif /* OMX_ENDPOINT_H */
