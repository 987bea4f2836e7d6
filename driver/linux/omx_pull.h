/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx pulls: the receiver side of large messages.  An endpoint pulls a
 * remote region into one of its own, block by block (PULL frames
 * answered by PULL_REPLY frames), or by one copy when the remote
 * endpoint is on this host; the end is an OMX_EVT_PULL_DONE event.  The
 * sender side (PULL answered from pinned pages) lives in
 * omx_pull_reply.c, the one-copy path in omx_shared.c.
 */
#ifndef OMX_PULL_H
#define OMX_PULL_H

#include <linux/hrtimer.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "omx_abi.h"
#include "omx_wire_codec.h"

struct omx_endpoint;
struct omx_iface;
struct omx_region;

/*
 * Blocks a pull keeps bitmaps for: the window of blocks from the lowest
 * incomplete one that may have requests out, so that a late block does
 * not stop the next ones.  "pull_blocks" (1-8) caps the reply frames one
 * pull has outstanding at pull_blocks * OMX_PULL_REPLIES_PER_BLOCK.
 */
#define OMX_PULL_WINDOW_MAX	8

/*
 * Flow control of the reply frames requested from one peer (docs/wire.md,
 * "Large messages"): the window never goes below OMX_PULL_CWND_MIN frames
 * nor above OMX_PULL_CWND_MAX, starts at OMX_PULL_CWND_INIT; a pull asks
 * for new frames at least OMX_PULL_SPAN_MIN at once (or half the window,
 * or what it has left) while the window is in use and a reply to its
 * endpoint is to come, so that a full window does not cost one PULL per
 * reply.
 */
#define OMX_PULL_CWND_MIN	4
#define OMX_PULL_CWND_INIT	32
#define OMX_PULL_CWND_MAX	(4 * OMX_PULL_REPLIES_PER_BLOCK)
#define OMX_PULL_SPAN_MIN	8
/* a missing reply is lost once one asked for this many frames later came */
#define OMX_PULL_REORDER	3
/* floor of the re-request timer */
#define OMX_PULL_RTO_MIN_MS	10
/*
 * The tail-loss probe's floor: two round trips, but never sooner.  With
 * a jiffy timer the probe waited one to two jiffies at least (4 to 8 ms
 * at HZ=250) whatever the round trip; the floor keeps some slack for a
 * pull whose replies wait behind another pull's on the same link.
 */
#define OMX_PULL_PTO_MIN_US	1000

extern unsigned int omx_pull_blocks;
extern unsigned int omx_pull_resend_ms;
extern unsigned int omx_pull_timeout_ms;

/* why a PULL frame asks for its replies (the omx_pull_send tracepoint) */
enum omx_pull_ask {
	OMX_PULL_ASK_NEW,		/* frames never asked for */
	OMX_PULL_ASK_FAST,		/* lost: a later reply came (pull_fast_resent) */
	OMX_PULL_ASK_PROBE,		/* lost: tail-loss probe (pull_probe_resent) */
	OMX_PULL_ASK_TIMEOUT,		/* lost: round trip timeout (pull_timeout_resent) */
};

enum omx_pull_state {
	OMX_PULL_FREE,
	OMX_PULL_ACTIVE,
	/*
	 * ended, but the expected ring was full (the timer retries the
	 * event) or DMA copies are still writing (the last one delivers it)
	 */
	OMX_PULL_ENDED,
};

/**
 * struct omx_pull_fc - flow control and round trip shared by every pull to a peer
 * @lock: BH-safe; taken inside an endpoint's pull table lock
 * @cwnd: reply frames all pulls to the peer may have outstanding
 * @ssthresh: @cwnd grows by one per reply below this, by one per window above
 * @acked: replies since @cwnd last grew (above @ssthresh)
 * @inflight: reply frames requested and not received, all pulls together
 * @srtt_us: smoothed PULL -> first reply time, 0 before the first sample
 * @rttvar_us: its mean deviation
 * @recover_until: jiffies; losses seen before it belong to the same event
 * @ticket: order number of the next reply frame asked for from the peer,
 *	by any pull on any CPU (omx_pull.c, "Recovery": tickets are compared
 *	only between frames sent from the same CPU)
 */
struct omx_pull_fc {
	spinlock_t lock;		/* see @lock above */
	u16 ticket;
	u32 cwnd;
	u32 ssthresh;
	u32 acked;
	u32 inflight;
	u32 srtt_us;
	u32 rttvar_us;
	unsigned long recover_until;
};

/**
 * omx_pull_module_init() - the flow control state of every peer index
 *
 * Module load, after the peer table's size is known: one window and
 * round trip per peer index, shared by all the pulls to that peer.
 *
 * Return: 0 or -ENOMEM.
 */
int omx_pull_module_init(void);

/**
 * omx_pull_module_exit() - free the flow control state
 *
 * Module unload, once every endpoint (and so every pull) is gone.
 */
void omx_pull_module_exit(void);

struct omx_pull_block {
	u32 block;
	u32 missing;			/* bit i: reply i of the block not received */
	u32 asked;			/* bit i: reply i requested at least once */
	u32 lost;			/* bit i: reply i lost, to be asked for again */
	u32 again;			/* bit i: reply i asked for more than once */
	/* order of each frame's last request among the peer's (omx_pull.c) */
	u16 ticket[OMX_PULL_REPLIES_PER_BLOCK];
	/* the CPU that handed that request to the device: its "lane" */
	u16 lane[OMX_PULL_REPLIES_PER_BLOCK];
};

/*
 * One slot of an endpoint's pull table.  The slot (and its timer) lives
 * as long as the endpoint; @gen changes at every start so that replies
 * for an earlier pull in this slot are recognised as stale.  Everything
 * is protected by the table's lock.  @gen is random (not the previous
 * one), so that the handle of a pull cannot be predicted.
 */
struct omx_pull {
	struct omx_endpoint *ep;
	struct hrtimer timer;		/* softirq context, as a timer_list */
	enum omx_pull_state state;
	u32 index;
	u32 gen;
	struct omx_region *region;	/* holds a reference while not FREE */
	u64 cookie;
	u32 length;
	u32 local_offset;
	u32 remote_offset;
	u32 session;
	u32 token_hi;			/* the RNDV's, echoed in every PULL */
	u16 peer_index;
	u16 reverse;			/* our index at the peer */
	u8 dst_endpoint;
	u8 rdma_id;
	u8 rdma_seqnum;
	u8 dst_mac[ETH_ALEN];
	u32 reply_len;
	u32 first;			/* remote_offset % reply_len */
	u32 nr_frames;
	u32 nr_blocks;
	u32 low_block;			/* every block below is complete */
	u32 next_frame;			/* first frame never asked for */
	u32 inflight;			/* frames asked for, not received nor lost */
	u32 lost;			/* frames lost, not asked for again yet */
	u16 timed_ticket;		/* the frame timed for a round trip sample */
	bool timing;
	bool stalled;			/* waiting for room in the peer's window */
	bool timed_out;			/* @lost come from the timer */
	bool probe_lost;		/* @lost come from a tail-loss probe */
	bool probe_armed;		/* the timer is a tail-loss probe */
	bool probed;			/* probed since the last reply: next is the RTO */
	u8 backoff;			/* timeouts in a row */
	ktime_t timed_at;
	u32 received;
	u32 copies;			/* replies received, copy not done (DMA) */
	u32 status;			/* OMX_PULL_ENDED: enum omx_pull_status */
	unsigned long last_progress;
	struct omx_pull_fc *fc;		/* ACTIVE: the peer's window */
	struct list_head link;		/* ACTIVE: in the table's @active */
	struct omx_pull_block win[OMX_PULL_WINDOW_MAX];
};

struct omx_pull_table {
	spinlock_t lock;		/* BH-safe */
	bool closing;
	/* asynchronous copies (DMA) not done, whatever their pull became */
	atomic_t copies;
	struct list_head active;	/* ACTIVE pulls, oldest first */
	/* frames its ACTIVE pulls wait for: a reply to come, which kicks them */
	u32 inflight;
	struct omx_pull pulls[OMX_PULLS_MAX];
};

/**
 * omx_pull_table_alloc() - give @ep its table of OMX_PULLS_MAX pull slots
 * @ep: the endpoint being opened
 *
 * The slots and their timers live as long as the endpoint, so that
 * starting a pull allocates nothing.  Process context.
 *
 * Return: 0 or -ENOMEM.
 */
int omx_pull_table_alloc(struct omx_endpoint *ep);

/**
 * omx_pull_table_close() - end every pull of @ep at its close
 * @ep: the endpoint
 *
 * Active pulls fail (counted in pull_failed) without an event, the timers
 * stop for good, the regions go back, and the DMA copies in flight are
 * waited for: nothing writes into the process's memory once its endpoint
 * is closed.  Process context, may sleep.
 */
void omx_pull_table_close(struct omx_endpoint *ep);

/**
 * omx_pull_table_free() - free @ep's pull table
 * @ep: the endpoint, at its last reference
 *
 * After omx_pull_table_close(): no timer nor copy uses the table any more.
 */
void omx_pull_table_free(struct omx_endpoint *ep);

/**
 * omx_pull_start() - OMX_CMD_PULL: pull a remote region into one of @ep's
 * @ep: the pulling endpoint
 * @cmd: the command, copied in
 *
 * A peer that is a board of this host is served at once by one copy
 * (omx_shared_pull()); otherwise a slot starts sending PULL frames, and
 * the pull ends later with an OMX_EVT_PULL_DONE event.  Process context.
 *
 * Return: 0 (the outcome comes as the event), -EINVAL (bad command or
 * range), -ENOENT (no such local region or peer), -EBUSY (every slot in
 * use), -EINTR (a local copy stopped by a fatal signal).
 */
int omx_pull_start(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd);

/**
 * omx_pull_recv_reply() - a PULL_REPLY: its payload into the pull's region
 * @iface: the board it came in on
 * @skb: the frame (not consumed; a DMA copy takes its own reference)
 * @pkt: the frame, validated and decoded
 *
 * Only a reply for an active pull, from the peer pulled, for a frame
 * asked for, is used; it then moves the pull's window and the peer's,
 * may ask for more frames and may end the pull.  Receive path: softirq
 * under rcu_read_lock().
 *
 * Return: OMX_COUNTER_NR when the frame was used, otherwise the counter
 * of the reason it was dropped.
 */
enum omx_counter_index omx_pull_recv_reply(struct omx_iface *iface,
					   const struct sk_buff *skb,
					   const struct omx_pkt *pkt);

/**
 * omx_pull_recv_nack_mcp() - the pulled side refused a PULL: end that pull
 * @iface: the board it came in on
 * @skb: the frame (not consumed)
 * @pkt: the frame, validated and decoded
 *
 * The pull ends with the status matching the NACK's reason.  Receive
 * path: softirq under rcu_read_lock().
 *
 * Return: OMX_COUNTER_NR when the frame ended a pull, otherwise the
 * counter of the reason it was dropped.
 */
enum omx_counter_index omx_pull_recv_nack_mcp(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt);

/**
 * omx_pull_reply_recv_pull() - answer a PULL from the pinned pages (omx_pull_reply.c)
 * @iface: the board it came in on
 * @skb: the frame (not consumed)
 * @pkt: the frame, validated and decoded
 *
 * The sender side of a large message.  The PULL must name an open
 * endpoint with its session, and a region that omx_region_may_pull()
 * lets the puller read; otherwise a NACK_MCP goes back, the same for a
 * region refused and one that does not exist.  Receive path: softirq
 * under rcu_read_lock().
 *
 * Return: OMX_COUNTER_NR when the frame was answered, otherwise the
 * counter of the reason it was dropped.
 */
enum omx_counter_index omx_pull_reply_recv_pull(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);

/**
 * omx_shared_pull() - a pull from an endpoint of this host (omx_shared.c)
 * @ep: the pulling endpoint
 * @cmd: the PULL command
 * @dst: @ep's region named by @cmd, held by the caller
 * @remote: the pulled endpoint with a reference, or NULL if there is none
 * @why: when @remote is NULL, the NACK a PULL from the wire would have got
 *
 * No frame at all: the remote region is checked as a PULL from the wire
 * would be, then copied by the CPU in this process context, and the
 * PULL_DONE event is delivered (or parked if the ring is full).
 *
 * Return: 0 (a refusal is the event's status), -EINTR if a fatal signal
 * stopped the copy (no event: the process is dying), -EBUSY if the event
 * could neither be delivered nor parked.
 */
int omx_shared_pull(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
		    struct omx_region *dst, struct omx_endpoint *remote,
		    enum omx_nack_type why);

/**
 * omx_pull_park_done() - keep a PULL_DONE that found the ring full
 * @table: the pulling endpoint's pull table
 * @cmd: the pull's command
 * @dst: the pull's local region; the slot takes a reference
 * @status: the event's status (enum omx_pull_status)
 * @length: bytes pulled
 *
 * The event is not lost: a free slot holds it as an ended pull, and its
 * timer delivers it once the library made room.  Process context.
 *
 * Return: 0, or -EBUSY when no slot is free.
 */
int omx_pull_park_done(struct omx_pull_table *table, const struct omx_cmd_pull *cmd,
		       struct omx_region *dst, u32 status, u32 length);

/**
 * omx_pull_copy_done() - an asynchronous copy of a reply is in the region
 * @ep: the pulling endpoint
 * @index: the pull's slot
 * @gen: the pull's generation when the copy started
 *
 * Called by omx_dma.c once per reply it took.  A copy counts as progress;
 * the last copy of a complete pull, or of one that failed meanwhile, ends
 * it.  The slot may have been reused or the table closed: only the count
 * of copies in flight is then updated.  BH disabled, no table lock held.
 */
void omx_pull_copy_done(struct omx_endpoint *ep, u32 index, u32 gen);

/**
 * omx_pull_deliver_done() - append a PULL_DONE event for @ep
 * @ep: the pulling endpoint
 * @cookie: the library's cookie of the pull
 * @status: how it ended (enum omx_pull_status)
 * @length: bytes pulled
 * @region_id: the local region pulled into
 * @peer_index: the peer pulled from
 * @peer_endpoint: its endpoint
 *
 * BH disabled.  Return: 0, or -ENOSPC when the expected ring is full.
 */
int omx_pull_deliver_done(struct omx_endpoint *ep, u64 cookie, u32 status,
			  u32 length, u32 region_id, u16 peer_index, u8 peer_endpoint);

#endif /* OMX_PULL_H */
