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
 * for at least OMX_PULL_SPAN_MIN frames at once while it has replies
 * outstanding, so that a growing window does not cost one PULL per reply.
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
 */
struct omx_pull_fc {
	spinlock_t lock;		/* see @lock above */
	u32 cwnd;
	u32 ssthresh;
	u32 acked;
	u32 inflight;
	u32 srtt_us;
	u32 rttvar_us;
	unsigned long recover_until;
};

int omx_pull_module_init(void);
void omx_pull_module_exit(void);

struct omx_pull_block {
	u32 block;
	u32 missing;			/* bit i: reply i of the block not received */
	u32 asked;			/* bit i: reply i requested at least once */
	u32 lost;			/* bit i: reply i lost, to be asked for again */
	u32 again;			/* bit i: reply i asked for more than once */
	/* order of each frame's last request among the pull's (omx_pull.c) */
	u16 ticket[OMX_PULL_REPLIES_PER_BLOCK];
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
	u16 ticket;			/* order number of the next frame asked for */
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
	struct omx_pull pulls[OMX_PULLS_MAX];
};

int omx_pull_table_alloc(struct omx_endpoint *ep);
/* Endpoint close, process context: ends every pull, stops the timers. */
void omx_pull_table_close(struct omx_endpoint *ep);
void omx_pull_table_free(struct omx_endpoint *ep);

/* OMX_CMD_PULL, process context. */
int omx_pull_start(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd);

/* Receive handlers (omx_recv.c's table), softirq under RCU. */
enum omx_counter_index omx_pull_recv_reply(struct omx_iface *iface,
					   const struct sk_buff *skb,
					   const struct omx_pkt *pkt);
enum omx_counter_index omx_pull_recv_nack_mcp(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt);
enum omx_counter_index omx_pull_reply_recv_pull(struct omx_iface *iface,
						const struct sk_buff *skb,
						const struct omx_pkt *pkt);

/* omx_shared.c: a pull from an endpoint of this host, by one copy. */
int omx_shared_pull(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
		    struct omx_region *dst, struct omx_endpoint *remote,
		    enum omx_nack_type why);

/* Keep a PULL_DONE the ring had no room for in a slot; its timer retries. */
int omx_pull_park_done(struct omx_pull_table *table, const struct omx_cmd_pull *cmd,
		       struct omx_region *dst, u32 status, u32 length);

/*
 * An asynchronous copy of a reply of pull @index (generation @gen) of
 * @ep is in the region (omx_dma.c); BH disabled, no table lock held.
 */
void omx_pull_copy_done(struct omx_endpoint *ep, u32 index, u32 gen);

/* Append a PULL_DONE event for @ep; BH disabled.  -ENOSPC if full. */
int omx_pull_deliver_done(struct omx_endpoint *ep, u64 cookie, u32 status,
			  u32 length, u32 region_id, u16 peer_index, u8 peer_endpoint);

#endif /* OMX_PULL_H */
