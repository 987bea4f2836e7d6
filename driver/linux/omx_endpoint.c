// SPDX-License-Identifier: GPL-2.0-only
/*
 * Endpoints: creation on OPEN_ENDPOINT with their shared rings, event
 * delivery, sleeping in WAIT_EVENT, and destruction on close(2).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_steering.h"
#include "omx_wire.h"

#define OMX_WAKEUP_PENDING	0

struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req)
{
	struct omx_endpoint *ep;
	int ret;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);
	ep->rx_stats = alloc_percpu(struct omx_endpoint_rx);
	if (!ep->rx_stats) {
		ret = -ENOMEM;
		goto free_ep;
	}
	ret = omx_rings_alloc(&ep->rings);
	if (ret)
		goto free_stats;
	ret = omx_pull_table_alloc(ep);
	if (ret)
		goto free_rings;
	omx_region_table_init(&ep->regions);
	ep->open_flags = req->flags;

	kref_init(&ep->kref);
	ep->board_index = req->board_index;
	ep->index = req->endpoint_index;
	ep->state = OMX_ENDPOINT_LIVE;
	ep->owner = get_task_pid(current, PIDTYPE_TGID);
	ep->uid = current_euid();
	get_task_comm(ep->comm, current);
	do {
		ep->session_id = get_random_u32();
	} while (!ep->session_id);
	init_waitqueue_head(&ep->waitq);
	atomic_set(&ep->wakeup_gen, 0);

	/* publishes ep: everything the receive path reads must be set by now */
	ret = omx_iface_add_endpoint(req->board_index, ep);
	if (ret)
		goto put_owner;
	atomic_inc(&omx_live.endpoints);

	pr_debug("board %u endpoint %u: opened by pid %d, session %08x\n",
		 ep->board_index, ep->index, pid_vnr(ep->owner), ep->session_id);
	return ep;

put_owner:
	put_pid(ep->owner);
	omx_pull_table_free(ep);
free_rings:
	omx_rings_free(&ep->rings);
free_stats:
	free_percpu(ep->rx_stats);
free_ep:
	kfree(ep);
	return ERR_PTR(ret);
}

/* After the grace period: no receive path can reach @ep's counters. */
static void omx_endpoint_free_rcu(struct rcu_head *rcu)
{
	struct omx_endpoint *ep = container_of(rcu, struct omx_endpoint, rcu);

	free_percpu(ep->rx_stats);
	kfree(ep);
}

/*
 * The last reference may go in the receive softirq; vfree() defers the
 * unmapping itself there.
 */
static void omx_endpoint_release(struct kref *kref)
{
	struct omx_endpoint *ep = container_of(kref, struct omx_endpoint, kref);

	omx_pull_table_free(ep);
	omx_rings_free(&ep->rings);
	omx_iface_put(ep->iface);
	put_pid(ep->owner);
	atomic_dec(&omx_live.endpoints);
	call_rcu(&ep->rcu, omx_endpoint_free_rcu);
}

void omx_endpoint_put(struct omx_endpoint *ep)
{
	kref_put(&ep->kref, omx_endpoint_release);
}

/* Works for live and dead endpoints alike. */
void omx_endpoint_close(struct omx_endpoint *ep)
{
	pr_debug("board %u endpoint %u: closed%s\n", ep->board_index, ep->index,
		 omx_endpoint_is_dead(ep) ? " (dead)" : "");
	omx_iface_remove_endpoint(ep);
	/* the receive path may still hold @ep: it finds no pull and no region */
	omx_pull_table_close(ep);
	omx_region_table_destroy(ep);
	omx_endpoint_put(ep);
}

struct omx_endpoint *omx_endpoint_get_rcu(struct omx_iface *iface, u32 index,
					  enum omx_nack_type *why)
{
	struct omx_endpoint *ep;

	if (index >= iface->endpoint_max) {
		*why = OMX_NACK_TYPE_BAD_ENDPT;
		return NULL;
	}
	ep = rcu_dereference(iface->endpoints[array_index_nospec(index, iface->endpoint_max)]);
	if (!ep || omx_endpoint_is_dead(ep) || !kref_get_unless_zero(&ep->kref)) {
		*why = OMX_NACK_TYPE_ENDPT_CLOSED;
		return NULL;
	}
	return ep;
}

/* Board detached by force; the caller holds the iface's endpoint_lock. */
void omx_endpoint_kill(struct omx_endpoint *ep)
{
	WRITE_ONCE(ep->state, OMX_ENDPOINT_DEAD);
	wake_up_all(&ep->waitq);
}

void omx_endpoint_get_info(const struct omx_endpoint *ep,
			   struct omx_endpoint_info *info)
{
	memset(info, 0, sizeof(*info));
	info->board_index = ep->board_index;
	info->endpoint_index = ep->index;
	info->owner_pid = pid_vnr(ep->owner);
	info->session_id = ep->session_id;
	info->mtu = ep->mtu;
	memcpy(info->mac, ep->mac, sizeof(info->mac));
}

int omx_endpoint_deliver(struct omx_endpoint *ep, enum omx_ring_id ring,
			 struct omx_event *evt, bool payload,
			 const struct sk_buff *skb, int offset, unsigned int len)
{
	int ret;

	ret = omx_ring_produce(&ep->rings, ring, evt, payload, skb, offset, len);
	if (!ret)
		wake_up_interruptible_all(&ep->waitq);
	return ret;
}

static bool omx_endpoint_wait_over(struct omx_endpoint *ep,
				   const struct omx_wait *wait, int gen)
{
	return omx_endpoint_is_dead(ep) ||
		omx_rings_beyond(&ep->rings, wait->exp_cons, wait->unexp_cons) ||
		test_bit(OMX_WAKEUP_PENDING, &ep->wakeup_pending) ||
		atomic_read(&ep->wakeup_gen) != gen;
}

/*
 * Events win over a wakeup, which then stays pending for the next call;
 * a sleeper woken by WAKEUP reports it even if another sleeper consumed
 * the pending flag first.
 */
int omx_endpoint_wait(struct omx_endpoint *ep, struct omx_wait *wait)
{
	int gen = atomic_read(&ep->wakeup_gen);
	long timeout, left;
	bool woken;

	if (wait->timeout_ms == OMX_WAIT_FOREVER)
		timeout = MAX_SCHEDULE_TIMEOUT;
	else
		timeout = msecs_to_jiffies(wait->timeout_ms);

	left = wait_event_interruptible_timeout(ep->waitq,
						omx_endpoint_wait_over(ep, wait, gen),
						timeout);
	if (left < 0)
		return -EINTR;
	if (omx_endpoint_is_dead(ep))
		return -ENODEV;
	if (omx_rings_beyond(&ep->rings, wait->exp_cons, wait->unexp_cons)) {
		wait->status = OMX_WAIT_EVENT;
		return 0;
	}
	woken = test_and_clear_bit(OMX_WAKEUP_PENDING, &ep->wakeup_pending);
	if (woken || atomic_read(&ep->wakeup_gen) != gen)
		wait->status = OMX_WAIT_WAKEUP;
	else
		wait->status = OMX_WAIT_TIMEOUT;
	return 0;
}

void omx_endpoint_wakeup(struct omx_endpoint *ep)
{
	set_bit(OMX_WAKEUP_PENDING, &ep->wakeup_pending);
	atomic_inc(&ep->wakeup_gen);
	wake_up_all(&ep->waitq);
}
