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

/**
 * omx_rings_alloc() - the zeroed memory of an endpoint's rings
 * @rings: the endpoint's rings, set up on success
 *
 * OMX_ENDPOINT_MMAP_LEN bytes, charged to the opener's memory cgroup,
 * since any user may open endpoints.  Zeroed: the indexes start at 0 and
 * the process never sees stale kernel memory.  Process context.
 *
 * Return: 0 or -ENOMEM.
 */
int omx_rings_alloc(struct omx_rings *rings);

/**
 * omx_rings_free() - free the rings' memory
 * @rings: the rings, no longer mapped (a mapping holds the file, and so
 *	the endpoint)
 */
void omx_rings_free(struct omx_rings *rings);

/**
 * omx_rings_mmap() - map all of @rings into the library's address space
 * @rings: the endpoint's rings
 * @vma: the mapping, exactly OMX_ENDPOINT_MMAP_LEN long
 *
 * The mmap handler, mmap lock held.  The mapping cannot grow and stays
 * out of core dumps.
 *
 * Return: 0, -EINVAL for another length, or the error of inserting the
 * pages.
 */
int omx_rings_mmap(struct omx_rings *rings, struct vm_area_struct *vma);

/**
 * omx_ring_produce() - append an event, and its payload, to a ring
 * @rings: the endpoint's rings
 * @ring: the expected or the unexpected event ring
 * @evt: the event; evt->msg.recvq_slot is set when there is a payload
 * @payload: also copy @len bytes at @offset of @skb into the receive slot
 *	that goes with the event slot (unexpected ring only)
 * @skb: the frame holding the payload
 * @offset: where it starts, from @skb->data
 * @len: its length
 *
 * The only producer of the rings: the producer index is ours, kept here
 * and published with release ordering after the slot and the payload;
 * the consumer index is read from user memory and trusted only to decide
 * whether there is room.  Caller has BH disabled.
 *
 * Return: 0, -ENOSPC when the ring is full (the drop is recorded in the
 * control page), -EINVAL for a payload the slots cannot take.
 */
int omx_ring_produce(struct omx_rings *rings, enum omx_ring_id ring,
		     struct omx_event *evt, bool payload,
		     const struct sk_buff *skb, int offset, unsigned int len);

/**
 * omx_rings_beyond() - is there an event the caller has not consumed?
 * @rings: the endpoint's rings
 * @exp_cons: the caller's consumer index of the expected ring
 * @unexp_cons: the same for the unexpected ring
 *
 * For WAIT_EVENT, which passes the indexes the library holds.  Lockless.
 *
 * Return: true if either ring was produced beyond the index given.
 */
bool omx_rings_beyond(const struct omx_rings *rings, u32 exp_cons,
		      u32 unexp_cons);

/**
 * omx_rings_readable() - is there an event beyond the control page's indexes?
 * @rings: the endpoint's rings
 *
 * For poll(), which has no indexes of its own: the library's consumer
 * indexes in the control page stand for them.  Lockless.
 *
 * Return: true if either ring has an event not consumed.
 */
bool omx_rings_readable(const struct omx_rings *rings);

#endif /* OMX_RING_H */
