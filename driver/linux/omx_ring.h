/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx endpoint rings: the event rings and receive slots shared with the
 * library by mmap.  Only omx_ring.c touches ring indexes.
 */
#ifndef OMX_RING_H
#define OMX_RING_H

#include <linux/mm_types.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "omx_abi.h"

enum omx_ring_id {
	OMX_RING_EXP,
	OMX_RING_UNEXP,
};

struct omx_rings {
	/* OMX_ENDPOINT_MMAP_LEN zeroed, memcg-charged vmalloc bytes, control page first */
	void *base;
	/* serialises producers: receive softirqs, local delivery (BH off) */
	spinlock_t lock;
	/* our own producer indexes, never read back from user memory */
	u32 exp_prod;
	u32 unexp_prod;
};

int omx_rings_alloc(struct omx_rings *rings);
void omx_rings_free(struct omx_rings *rings);
/*
 * Map all of @rings into @vma (exactly OMX_ENDPOINT_MMAP_LEN long, else
 * -EINVAL); the mmap handler, mmap lock held.
 */
int omx_rings_mmap(struct omx_rings *rings, struct vm_area_struct *vma);

/*
 * Append @evt to @ring; with @payload, also copy @len bytes at @offset of
 * @skb into the receive slot that goes with the event slot, and set
 * evt->msg.recvq_slot.  Caller has BH disabled.  -ENOSPC if full (the
 * drop is recorded in the control page).
 */
int omx_ring_produce(struct omx_rings *rings, enum omx_ring_id ring,
		     struct omx_event *evt, bool payload,
		     const struct sk_buff *skb, int offset, unsigned int len);

/* An event beyond the consumer indexes the caller passes? */
bool omx_rings_beyond(const struct omx_rings *rings, u32 exp_cons,
		      u32 unexp_cons);
/* An event beyond the consumer indexes in the control page? */
bool omx_rings_readable(const struct omx_rings *rings);

#endif /* OMX_RING_H */
