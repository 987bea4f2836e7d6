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

/**
 * omx_region_module_init() - create omx_wq, where regions are unpinned
 *
 * The last reference to a region may go in softirq, where pages cannot be
 * unpinned.  Module load.
 *
 * Return: 0 or -ENOMEM.
 */
int omx_region_module_init(void);

/**
 * omx_region_module_exit() - run the unpins still queued, then free omx_wq
 *
 * Module unload, after every file was closed.
 */
void omx_region_module_exit(void);

/**
 * omx_region_table_init() - an empty region table, at endpoint open
 * @table: the endpoint's table
 */
void omx_region_table_init(struct omx_region_table *table);

/**
 * omx_region_table_destroy() - deregister every region of @ep
 * @ep: the endpoint, being closed
 *
 * Pulls and PULL answers still holding a region keep its pages until
 * they let go.  Process context.
 */
void omx_region_table_destroy(struct omx_endpoint *ep);

/**
 * omx_region_register() - OMX_CMD_REGISTER_REGION: pin a user buffer
 * @ep: the endpoint
 * @cmd: in: id, flags, the user's segment list; out: seqnum and length
 *
 * Pins the segments' pages, charged to the process's pinned memory, and
 * follows their mappings: a change that may put other pages there
 * (munmap, mremap, MADV_DONTNEED) marks the region invalid in the control
 * page, where the library's registration cache sees it; a change of
 * permissions keeps the same pages and the registration.  A region may be
 * writable (pulled into) only where the pages need no dirty tracking by
 * a file system.  Process context.
 *
 * Return: 0, -EINVAL (bad id, flags or segments), -EBUSY (id in use),
 * -EFAULT (a hole or a bad list), -ENOMEM (memory, or over
 * RLIMIT_MEMLOCK), -EOPNOTSUPP (writable file mapping), -EINTR.
 */
int omx_region_register(struct omx_endpoint *ep, struct omx_cmd_region *cmd);

/**
 * omx_region_deregister() - OMX_CMD_DEREGISTER_REGION
 * @ep: the endpoint
 * @id: region id
 *
 * The id is free again at once; the pages stay pinned while a pull or a
 * PULL answer still holds the region.  Process context.
 *
 * Return: 0, or -ENOENT if @id is not registered.
 */
int omx_region_deregister(struct omx_endpoint *ep, u32 id);

/**
 * omx_region_get() - region @id of @ep, if it is the registration named
 * @ep: the endpoint
 * @id: region id, below OMX_REGIONS_MAX
 * @seqnum: the registration's sequence number, as a RNDV announced it
 *
 * The sequence number tells a region from an earlier one with the same
 * id.  Any context.
 *
 * Return: the region with a reference (omx_region_put() it), or NULL.
 */
struct omx_region *omx_region_get(struct omx_endpoint *ep, u32 id, u8 seqnum);

/**
 * omx_region_get_any() - region @id of @ep, whatever its sequence number
 * @ep: the endpoint
 * @id: region id, below OMX_REGIONS_MAX
 *
 * For the endpoint's own PULL command, which names its local region by id
 * only.  Any context.
 *
 * Return: the region with a reference (omx_region_put() it), or NULL.
 */
struct omx_region *omx_region_get_any(struct omx_endpoint *ep, u32 id);

/**
 * omx_region_put() - drop a reference to @region
 * @region: the region
 *
 * The last one has the pages unpinned on omx_wq, since unpinning may
 * sleep and the last reference may go in softirq.  Any context.
 */
void omx_region_put(struct omx_region *region);

/**
 * omx_region_grant() - let the addressee of a RNDV pull @region
 * @ep: the sending endpoint
 * @region: the region the RNDV announces
 * @mac: the addressee's board
 * @endpoint: the addressee's endpoint
 * @session: the addressee's session
 * @lib_seqnum: the RNDV's sequence number
 * @msg_length: the RNDV's message length
 * @token_lo: set to the token's low 16 bits, sent as the RNDV's rdma_offset
 * @token_hi: set to its high 32 bits
 *
 * A retransmission of the same RNDV (same addressee, seqnum and length)
 * keeps the token, so that PULLs of the first copy still succeed; any
 * other RNDV replaces the grant, and the previous token is kept only to
 * tell a late PULL from an attack.  Process context.
 */
void omx_region_grant(struct omx_endpoint *ep, struct omx_region *region,
		      const u8 *mac, u8 endpoint, u32 session, u16 lib_seqnum,
		      u32 msg_length, u16 *token_lo, u32 *token_hi);

/**
 * omx_region_may_pull() - may a PULL read @region?
 * @ep: the endpoint owning @region
 * @region: the region the PULL names
 * @claim: who pulls, with which token, how much
 * @region_offset: set to the region offset the pull starts at
 *
 * Wrong tokens from the addressee count against the grant, which is
 * revoked after OMX_GRANT_FAILURES_MAX.  Any context; counts no counter.
 *
 * Return: 0, -EACCES if the grant refuses it (not its addressee, wrong
 * token), -ESTALE if it carries the token of the region's previous grant
 * to the same addressee (a late PULL of that message: refused, not held
 * against the grant), -ERANGE if it reaches outside the region.
 */
int omx_region_may_pull(struct omx_endpoint *ep, struct omx_region *region,
			const struct omx_pull_claim *claim, u64 *region_offset);

/**
 * omx_region_page() - where byte @offset of @region is
 * @region: the region
 * @offset: a byte of it, below region->length
 * @page_offset: set to the byte's offset in the page
 * @avail: set to the bytes from there to the end of the page or of the
 *	segment, whichever comes first: what one copy may take
 *
 * Return: the pinned page holding the byte.
 */
struct page *omx_region_page(const struct omx_region *region, u64 offset,
			     unsigned int *page_offset, unsigned int *avail);

/**
 * omx_region_write() - copy part of a frame into a region, by the CPU
 * @region: the destination region
 * @offset: where in @region
 * @skb: the frame
 * @skb_offset: where the bytes start, from @skb->data
 * @len: how many
 *
 * The caller checked both ranges.  Any context.
 */
void omx_region_write(struct omx_region *region, u64 offset,
		      const struct sk_buff *skb, int skb_offset, unsigned int len);

/**
 * omx_region_copy() - copy between two regions of this host
 * @dst: the destination region
 * @dst_offset: where in @dst
 * @src: the source region
 * @src_offset: where in @src
 * @len: bytes to copy (up to 4 GiB), both ranges checked by the caller
 * @copied: set to the bytes copied
 *
 * The one copy of a pull inside the host.  Process context; reschedules
 * between pages and stops at a fatal signal, so that a killed process
 * does not wait for gigabytes.
 *
 * Return: 0, or -EINTR with *@copied short of @len.
 */
int omx_region_copy(struct omx_region *dst, u64 dst_offset,
		    struct omx_region *src, u64 src_offset, u64 len, u64 *copied);

extern struct workqueue_struct *omx_wq;

#endif /* OMX_REGION_H */
