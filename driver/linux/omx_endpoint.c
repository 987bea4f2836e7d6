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
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include <asm/unaligned.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_steering.h"
#include "omx_wire.h"

#define OMX_WAKEUP_PENDING	0

static unsigned int omx_endpoints_per_user = OMX_ENDPOINTS_PER_USER_DEFAULT;
module_param_named(endpoints_per_user, omx_endpoints_per_user, uint, 0644);
MODULE_PARM_DESC(endpoints_per_user,
		 "Endpoints one user (euid of the opener of /dev/omx) may hold on all boards together; CAP_NET_ADMIN is exempt; 0 no limit (default 16)");

static unsigned int omx_connect_rate = OMX_CONNECT_RATE_DEFAULT;
module_param_named(connect_rate, omx_connect_rate, uint, 0644);
MODULE_PARM_DESC(connect_rate,
		 "Frames without a session (CONNECT, NACK_LIB) one source endpoint may deliver to one endpoint per second; 0 no limit (default 100)");
static unsigned int omx_connect_burst = OMX_CONNECT_BURST_DEFAULT;
module_param_named(connect_burst, omx_connect_burst, uint, 0644);
MODULE_PARM_DESC(connect_burst,
		 "Burst of such frames allowed above connect_rate, 1-10000 (default 32)");

/*
 * Endpoints held per user, so that no user can take every slot (and
 * 4 MiB of memory with each) from the others.  Entries exist while the
 * user holds an endpoint.  Open and close only: process context.
 */
struct omx_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int endpoints;
};

#define OMX_USERS_HASH_BITS	6
static DEFINE_HASHTABLE(omx_users, OMX_USERS_HASH_BITS);
static DEFINE_MUTEX(omx_users_lock);

static struct omx_user *omx_user_find_locked(kuid_t uid)
{
	struct omx_user *user;

	hash_for_each_possible(omx_users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid))
			return user;
	return NULL;
}

/* Count one more endpoint for @uid; -EDQUOT over the limit unless @exempt. */
static int omx_user_charge(kuid_t uid, bool exempt)
{
	unsigned int limit = READ_ONCE(omx_endpoints_per_user);
	struct omx_user *user;
	int ret = 0;

	mutex_lock(&omx_users_lock);
	user = omx_user_find_locked(uid);
	if (!user) {
		user = kzalloc(sizeof(*user), GFP_KERNEL_ACCOUNT);
		if (!user) {
			ret = -ENOMEM;
			goto out;
		}
		user->uid = uid;
		hash_add(omx_users, &user->node, __kuid_val(uid));
	}
	if (!exempt && limit && user->endpoints >= limit) {
		pr_notice_ratelimited("uid %u holds %u endpoint(s), the endpoints_per_user limit: another one refused (EDQUOT); to allow more: echo N > /sys/module/omx/parameters/endpoints_per_user\n",
				      from_kuid(&init_user_ns, uid), user->endpoints);
		ret = -EDQUOT;
		goto out;
	}
	user->endpoints++;
out:
	mutex_unlock(&omx_users_lock);
	return ret;
}

static void omx_user_uncharge(kuid_t uid)
{
	struct omx_user *user;

	mutex_lock(&omx_users_lock);
	user = omx_user_find_locked(uid);
	if (!WARN_ON_ONCE(!user || !user->endpoints) && !--user->endpoints) {
		hash_del(&user->node);
		kfree(user);
	}
	mutex_unlock(&omx_users_lock);
}

/*
 * Cheapest checks first: the slot (reserved before anything is
 * allocated, so that a busy or missing one costs nothing), then the
 * user's limit, then the allocations, all charged to the caller's
 * memory cgroup.
 */
struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req,
				       const struct cred *cred, bool admin,
				       const struct net *net)
{
	struct omx_endpoint *ep;
	struct omx_iface *iface;
	unsigned int i;
	int ret;

	ret = omx_iface_reserve_endpoint(req->board_index, req->endpoint_index,
					 net, &iface);
	if (ret)
		return ERR_PTR(ret);
	ret = omx_user_charge(cred->euid, admin);
	if (ret)
		goto unreserve;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL_ACCOUNT);
	if (!ep) {
		ret = -ENOMEM;
		goto uncharge;
	}
	ep->rx_stats = alloc_percpu_gfp(struct omx_endpoint_rx, GFP_KERNEL_ACCOUNT);
	if (!ep->rx_stats) {
		ret = -ENOMEM;
		goto free_ep;
	}
	ep->peer_refs = bitmap_zalloc(omx_peers_max, GFP_KERNEL_ACCOUNT);
	if (!ep->peer_refs) {
		ret = -ENOMEM;
		goto free_stats;
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
	ep->uid = cred->euid;
	get_task_comm(ep->comm, current);
	do {
		ep->session_id = get_random_u32();
	} while (!ep->session_id);
	spin_lock_init(&ep->rate_lock);
	ep->rate_seed = get_random_u32();
	for (i = 0; i < OMX_RATE_BUCKETS; i++)
		ep->rate[i].credit = U32_MAX;
	init_waitqueue_head(&ep->waitq);
	atomic_set(&ep->wakeup_gen, 0);

	/* publishes ep: everything the receive path reads must be set by now */
	ret = omx_iface_add_endpoint(iface, ep);
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
	bitmap_free(ep->peer_refs);
	free_percpu(ep->rx_stats);
free_ep:
	kfree(ep);
uncharge:
	omx_user_uncharge(cred->euid);
unreserve:
	omx_iface_unreserve_endpoint(iface, req->endpoint_index);
	return ERR_PTR(ret);
}

/* After the grace period: no receive path can reach @ep's counters. */
static void omx_endpoint_free_rcu(struct rcu_head *rcu)
{
	struct omx_endpoint *ep = container_of(rcu, struct omx_endpoint, rcu);

	free_percpu(ep->rx_stats);
	bitmap_free(ep->peer_refs);
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

void omx_endpoint_close(struct omx_endpoint *ep)
{
	pr_debug("board %u endpoint %u: closed%s\n", ep->board_index, ep->index,
		 omx_endpoint_is_dead(ep) ? " (dead)" : "");
	omx_iface_remove_endpoint(ep);
	omx_user_uncharge(ep->uid);
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

bool omx_endpoint_admit_sessionless(struct omx_endpoint *ep, const u8 *mac,
				    u8 src_endpoint)
{
	u32 rate = READ_ONCE(omx_connect_rate);
	u32 cap = clamp(READ_ONCE(omx_connect_burst), 1U, 10000U) * HZ;
	struct omx_rate_bucket *b;
	unsigned long now, elapsed;
	bool ok = false;
	u32 key;

	if (!rate)
		return true;
	key = jhash_3words(get_unaligned((const u32 *)mac),
			   get_unaligned((const u16 *)(mac + 4)), src_endpoint,
			   ep->rate_seed);
	b = &ep->rate[key % OMX_RATE_BUCKETS];

	spin_lock(&ep->rate_lock);
	now = jiffies;
	if (b->credit == U32_MAX) {
		b->credit = cap;
	} else {
		/* credit is in 1/HZ of a frame: rate per jiffy, capped */
		elapsed = min_t(unsigned long, now - b->stamp, cap);
		b->credit = min_t(u64, cap, b->credit + (u64)elapsed * rate);
	}
	b->stamp = now;
	if (b->credit >= HZ) {
		b->credit -= HZ;
		ok = true;
	}
	spin_unlock(&ep->rate_lock);
	return ok;
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
