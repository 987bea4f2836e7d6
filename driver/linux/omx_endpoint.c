// SPDX-License-Identifier: GPL-2.0-only
/*
 * Endpoints: creation on OPEN_ENDPOINT, destruction on close(2).  Rings
 * and event queues will hang off these objects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"

struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req)
{
	struct omx_endpoint *ep;
	int ret;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return ERR_PTR(-ENOMEM);

	kref_init(&ep->kref);
	ep->board_index = req->board_index;
	ep->index = req->endpoint_index;
	ep->state = OMX_ENDPOINT_LIVE;
	ep->owner = get_task_pid(current, PIDTYPE_TGID);

	/* publishes ep: everything above must be set by now */
	ret = omx_iface_add_endpoint(req->board_index, ep);
	if (ret) {
		put_pid(ep->owner);
		kfree(ep);
		return ERR_PTR(ret);
	}
	atomic_inc(&omx_live.endpoints);

	pr_debug("board %u endpoint %u: opened by pid %d\n",
		 ep->board_index, ep->index, pid_vnr(ep->owner));
	return ep;
}

static void omx_endpoint_release(struct kref *kref)
{
	struct omx_endpoint *ep = container_of(kref, struct omx_endpoint, kref);

	omx_iface_put(ep->iface);
	put_pid(ep->owner);
	atomic_dec(&omx_live.endpoints);
	kfree_rcu(ep, rcu);
}

/* Works for live and dead endpoints alike. */
void omx_endpoint_close(struct omx_endpoint *ep)
{
	pr_debug("board %u endpoint %u: closed%s\n", ep->board_index, ep->index,
		 omx_endpoint_is_dead(ep) ? " (dead)" : "");
	omx_iface_remove_endpoint(ep);
	kref_put(&ep->kref, omx_endpoint_release);
}

void omx_endpoint_get_info(const struct omx_endpoint *ep,
			   struct omx_endpoint_info *info)
{
	memset(info, 0, sizeof(*info));
	info->board_index = ep->board_index;
	info->endpoint_index = ep->index;
	info->owner_pid = pid_vnr(ep->owner);
}
