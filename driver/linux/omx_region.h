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
 * The page holding byte @offset of @region, and the offset in it and the
 * bytes left in that page and segment.  @offset < region->length.
 */
struct page *omx_region_page(const struct omx_region *region, u64 offset,
			     unsigned int *page_offset, unsigned int *avail);

/* Copy between a region and a kernel buffer; ranges checked by callers. */
void omx_region_write(struct omx_region *region, u64 offset,
		      const struct sk_buff *skb, int skb_offset, unsigned int len);

/* One copy from @src to @dst, process context (may sleep). */
void omx_region_copy(struct omx_region *dst, u64 dst_offset,
		     struct omx_region *src, u64 src_offset, u64 len);

extern struct workqueue_struct *omx_wq;

#endif /* OMX_REGION_H */
