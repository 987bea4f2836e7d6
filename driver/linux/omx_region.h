/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx memory regions: user buffers pinned for large messages, the
 * registration table of each endpoint and the invalidation flags of the
 * registration cache.
 */
#ifndef OMX_REGION_H
#define OMX_REGION_H

#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/mmu_notifier.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "omx_abi.h"

struct omx_endpoint;
struct sk_buff;

struct omx_region_seg {
	u64 start;			/* offset of its first byte in the region */
	u64 length;
	unsigned long vaddr;
	unsigned long nr_pages;
	unsigned int first_offset;	/* of vaddr in pages[0] */
	bool notifier_set;
	struct page **pages;
	struct mmu_interval_notifier notifier;
	struct omx_region *region;
};

/**
 * struct omx_region_grant - who may pull a region (docs/security.md)
 * @valid: a RNDV was sent for the region since its registration
 * @mac: the board the RNDV was sent to
 * @endpoint: the endpoint it was sent to
 * @session: that endpoint's session (the RNDV's), checked by local pulls
 * @lib_seqnum: the RNDV's, to recognise a retransmission of it
 * @msg_length: the RNDV's, likewise
 * @token_lo: the token's low 16 bits, sent as the RNDV's rdma_offset
 * @token_hi: its high 32 bits, never 0
 * @failures: PULLs from the addressee with a wrong token
 * @prev_valid: @prev_token_lo and @prev_token_hi hold the token of the
 *	region's previous grant to the same addressee
 * @prev_token_lo: that token's low 16 bits
 * @prev_token_hi: its high 32 bits
 *
 * Protected by the endpoint's region table lock.
 */
struct omx_region_grant {
	bool valid;
	u8 mac[6];
	u8 endpoint;
	u8 failures;
	bool prev_valid;
	u16 lib_seqnum;
	u16 token_lo;
	u16 prev_token_lo;
	u32 session;
	u32 msg_length;
	u32 token_hi;
	u32 prev_token_hi;
};

/* After this many wrong tokens from its addressee a grant is revoked. */
#define OMX_GRANT_FAILURES_MAX	8

/* What a PULL presents to omx_region_may_pull(). */
struct omx_pull_claim {
	const u8 *mac;			/* the puller's board */
	u8 endpoint;			/* the puller's endpoint */
	bool local;			/* inside the host: @session is known */
	u32 session;			/* the puller's session, when @local */
	u32 offset;			/* pulled_rdma_offset: token_lo + region offset */
	u32 length;			/* total_length */
	u32 token_hi;
};

/* "openmx_pulls" module parameter (omx_region.c) */
extern bool omx_openmx_pulls;

/*
 * References: the endpoint's table holds one until deregistration or
 * close; a pull pulling into it and a PULL being answered from it hold
 * one each while they use the pages.  The last one may go in softirq:
 * unpinning then happens on omx_wq.
 */
struct omx_region {
	struct kref kref;
	struct work_struct release_work;
	struct mm_struct *mm;		/* mmgrab()bed, for the pinned_vm charge */
	struct omx_endpoint *ep;	/* valid while the notifiers are set */
	u32 id;
	u8 seqnum;
	bool writable;
	u64 length;
	struct omx_region_grant grant;
	unsigned long nr_pages;		/* charged to mm->pinned_vm */
	unsigned int nr_segs;
	struct omx_region_seg segs[];
};

/* Per endpoint, embedded in struct omx_endpoint. */
struct omx_region_table {
	spinlock_t lock;		/* BH-safe: the receive path looks up */
	struct omx_region *regions[OMX_REGIONS_MAX];
	u8 next_seqnum[OMX_REGIONS_MAX];
};

int omx_region_module_init(void);
void omx_region_module_exit(void);

void omx_region_table_init(struct omx_region_table *table);
/* Process context: deregister everything (endpoint close). */
void omx_region_table_destroy(struct omx_endpoint *ep);

int omx_region_register(struct omx_endpoint *ep, struct omx_cmd_region *cmd);
int omx_region_deregister(struct omx_endpoint *ep, u32 id);

/* A reference to region @id of @ep if registered with @seqnum; any context. */
struct omx_region *omx_region_get(struct omx_endpoint *ep, u32 id, u8 seqnum);
/* The same, any seqnum. */
struct omx_region *omx_region_get_any(struct omx_endpoint *ep, u32 id);
/* Any context. */
void omx_region_put(struct omx_region *region);

/*
 * SEND_RNDV: grant the RNDV's addressee the right to pull @region and
 * return the token to announce.  A retransmission of the same RNDV
 * (same addressee, seqnum and length) keeps the token; any other RNDV
 * replaces the grant.  Process context.
 */
void omx_region_grant(struct omx_endpoint *ep, struct omx_region *region,
		      const u8 *mac, u8 endpoint, u32 session, u16 lib_seqnum,
		      u32 msg_length, u16 *token_lo, u32 *token_hi);

/*
 * May @claim pull @claim->length bytes of @region?  0 and the region
 * offset it starts at in *@region_offset, -EACCES if the grant refuses
 * it (not its addressee, wrong token), -ESTALE if it carries the token
 * of the region's previous grant to the same addressee (a late PULL of
 * that message: refused, not held against the grant), -ERANGE if it
 * reaches outside the region.  Any context; counts nothing.
 */
int omx_region_may_pull(struct omx_endpoint *ep, struct omx_region *region,
			const struct omx_pull_claim *claim, u64 *region_offset);

/*
 * The page holding byte @offset of @region, and the offset in it and the
 * bytes left in that page and segment.  @offset < region->length.
 */
struct page *omx_region_page(const struct omx_region *region, u64 offset,
			     unsigned int *page_offset, unsigned int *avail);

/* Copy between a region and a kernel buffer; ranges checked by callers. */
void omx_region_write(struct omx_region *region, u64 offset,
		      const struct sk_buff *skb, int skb_offset, unsigned int len);

/*
 * One copy from @src to @dst, process context (may sleep); -EINTR if a
 * fatal signal stopped it, with *@copied bytes copied.
 */
int omx_region_copy(struct omx_region *dst, u64 dst_offset,
		    struct omx_region *src, u64 src_offset, u64 len, u64 *copied);

extern struct workqueue_struct *omx_wq;

#endif /* OMX_REGION_H */
