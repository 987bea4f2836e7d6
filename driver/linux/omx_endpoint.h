/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx endpoints: the (board, index) pair a process communicates through.
 */
#ifndef OMX_ENDPOINT_H
#define OMX_ENDPOINT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
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

struct omx_endpoint_rx;
struct omx_iface;
struct omx_pull_table;

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
	kuid_t uid;			/* the opener's euid: may read rx_stats */
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

	struct omx_rings rings;
	wait_queue_head_t waitq;	/* WAIT_EVENT and poll sleepers */
	/* WAKEUP: pending for the next WAIT_EVENT, and a generation for sleepers */
	unsigned long wakeup_pending;
	atomic_t wakeup_gen;
};

static inline bool omx_endpoint_is_dead(const struct omx_endpoint *ep)
{
	return READ_ONCE(ep->state) == OMX_ENDPOINT_DEAD;
}

struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req);
void omx_endpoint_close(struct omx_endpoint *ep);
void omx_endpoint_put(struct omx_endpoint *ep);
void omx_endpoint_kill(struct omx_endpoint *ep);
void omx_endpoint_get_info(const struct omx_endpoint *ep,
			   struct omx_endpoint_info *info);

/* Receive side, BH disabled: append an event and wake the sleepers. */
int omx_endpoint_deliver(struct omx_endpoint *ep, enum omx_ring_id ring,
			 struct omx_event *evt, bool payload,
			 const struct sk_buff *skb, int offset, unsigned int len);

/*
 * Endpoint @index of @iface with a reference, caller under RCU; NULL if
 * there is none (*@why says which NACK that deserves).
 */
struct omx_endpoint *omx_endpoint_get_rcu(struct omx_iface *iface, u32 index,
					  enum omx_nack_type *why);

int omx_endpoint_wait(struct omx_endpoint *ep, struct omx_wait *wait);
void omx_endpoint_wakeup(struct omx_endpoint *ep);

#endif /* OMX_ENDPOINT_H */
