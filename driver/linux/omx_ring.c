// SPDX-License-Identifier: GPL-2.0-only
/*
 * Endpoint rings (docs/abi.md, "Shared rings").  The driver is the only
 * producer of both event rings; the library consumes them through its
 * mapping and publishes its consumer indexes in the control page.  Those
 * are untrusted: a bogus value can only make a ring look full, because
 * the free-running producer index lives here and is only ever copied out.
 */
#include <linux/compiler.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "omx_ring.h"
#include "omx_wire.h"

static_assert(OMX_ENDPOINT_MMAP_LEN % PAGE_SIZE == 0);
static_assert(OMX_RECVQ_OFFSET % PAGE_SIZE == 0);
static_assert(sizeof(struct omx_ring_ctrl) <= OMX_CTRL_LEN);
static_assert(OMX_RECVQ_SLOT_LEN >= OMX_MEDIUM_FRAG_LEN_MAX);
static_assert(OMX_RECVQ_SLOT_LEN >= OMX_SMALL_MAX);

int omx_rings_alloc(struct omx_rings *rings)
{
	/*
	 * 4 MiB an endpoint, at the request of any user: charged to the
	 * opener's memory cgroup (__GFP_ACCOUNT: memory.current, and the
	 * "vmalloc" line of memory.stat).  vmalloc_user() cannot take a
	 * gfp mask and __vmalloc_node_range() is not exported, so the area
	 * lacks VM_USERMAP and omx_rings_mmap() maps its pages itself.
	 * Zeroed: every index starts at 0, every event is OMX_EVT_NONE, and
	 * the process never sees stale kernel memory.
	 */
	rings->base = __vmalloc(OMX_ENDPOINT_MMAP_LEN,
				GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
	if (!rings->base)
		return -ENOMEM;
	spin_lock_init(&rings->lock);
	rings->exp_prod = 0;
	rings->unexp_prod = 0;
	return 0;
}

void omx_rings_free(struct omx_rings *rings)
{
	vfree(rings->base);
	rings->base = NULL;
}

int omx_rings_mmap(struct omx_rings *rings, struct vm_area_struct *vma)
{
	unsigned long off;
	int ret;

	if (vma->vm_end - vma->vm_start != OMX_ENDPOINT_MMAP_LEN)
		return -EINVAL;
	/* as remap_vmalloc_range(): no mremap growth, not in core dumps */
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	for (off = 0; off < OMX_ENDPOINT_MMAP_LEN; off += PAGE_SIZE) {
		ret = vm_insert_page(vma, vma->vm_start + off,
				     vmalloc_to_page(rings->base + off));
		if (ret)
			return ret;
	}
	return 0;
}

static struct omx_ring_ctrl *omx_rings_ctrl(const struct omx_rings *rings)
{
	return rings->base + OMX_CTRL_OFFSET;
}

int omx_ring_produce(struct omx_rings *rings, enum omx_ring_id ring,
		     struct omx_event *evt, bool payload,
		     const struct sk_buff *skb, int offset, unsigned int len)
{
	struct omx_ring_ctrl *ctrl = omx_rings_ctrl(rings);
	bool unexp = ring == OMX_RING_UNEXP;
	u32 *prod = unexp ? &rings->unexp_prod : &rings->exp_prod;
	__u32 *uprod = unexp ? &ctrl->unexp_prod : &ctrl->exp_prod;
	u32 nslots = unexp ? OMX_UNEXP_EVENTS : OMX_EXP_EVENTS;
	u32 cons, slot;
	void *dst;
	int ret = 0;

	if (WARN_ON_ONCE(payload && (!unexp || len > OMX_RECVQ_SLOT_LEN)))
		return -EINVAL;

	spin_lock(&rings->lock);
	cons = unexp ? READ_ONCE(ctrl->unexp_cons) : READ_ONCE(ctrl->exp_cons);
	/* a consumer index ahead of prod wraps to a huge distance: full */
	if (*prod - cons >= nslots) {
		if (unexp)
			WRITE_ONCE(ctrl->unexp_dropped, ctrl->unexp_dropped + 1);
		else
			WRITE_ONCE(ctrl->exp_dropped, ctrl->exp_dropped + 1);
		ret = -ENOSPC;
		goto out;
	}

	slot = *prod % nslots;
	if (payload) {
		evt->msg.recvq_slot = slot;
		dst = rings->base + OMX_RECVQ_OFFSET + slot * OMX_RECVQ_SLOT_LEN;
		if (len && skb_copy_bits(skb, offset, dst, len)) {
			ret = -EINVAL;
			goto out;
		}
	}
	dst = rings->base + (unexp ? OMX_UNEXP_EVENTQ_OFFSET : OMX_EXP_EVENTQ_OFFSET) +
		slot * OMX_EVENT_LEN;
	memcpy(dst, evt, sizeof(*evt));

	WRITE_ONCE(*prod, *prod + 1);
	/* slot and payload before prod: pairs with the library's acquire load */
	smp_store_release(uprod, *prod);
out:
	spin_unlock(&rings->lock);
	return ret;
}

bool omx_rings_beyond(const struct omx_rings *rings, u32 exp_cons,
		      u32 unexp_cons)
{
	return READ_ONCE(rings->exp_prod) != exp_cons ||
		READ_ONCE(rings->unexp_prod) != unexp_cons;
}

bool omx_rings_readable(const struct omx_rings *rings)
{
	const struct omx_ring_ctrl *ctrl = omx_rings_ctrl(rings);

	return omx_rings_beyond(rings, READ_ONCE(ctrl->exp_cons),
				READ_ONCE(ctrl->unexp_cons));
}
