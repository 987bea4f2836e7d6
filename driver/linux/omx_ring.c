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
	/* zeroed: every index starts at 0, every event is OMX_EVT_NONE */
	rings->base = vmalloc_user(OMX_ENDPOINT_MMAP_LEN);
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
