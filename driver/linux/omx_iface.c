// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boards: attaching Ethernet interfaces to omx, detaching them, and
 * following them through netdevice events.
 *
 * Lock order: module parameter lock (sysfs writes) -> rtnl ->
 * omx_ifaces_mutex -> iface->endpoint_lock.  Attach and detach run under
 * rtnl because they read netdev state and race with the notifier, which
 * rtnl serializes for us.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/if_arp.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_steering.h"
#include "omx_wire.h"
#include "omx_wire_codec.h"

static_assert(OMX_IFNAMSIZ == IFNAMSIZ);
/* peers learn the board hostname from HOST_REPLY frames */
static_assert(OMX_HOSTNAMELEN_MAX == OMX_HOSTNAME_LEN_MAX);
/* endpoint slots report the opener's command */
static_assert(OMX_COMMLEN == TASK_COMM_LEN);

/*
 * HOST_QUERY answers per second and board.  A burst of new hosts beyond
 * it is still recorded; they learn our name from their next query.
 */
#define OMX_HOST_QUERY_ANSWERS_PER_SEC	100
/*
 * NACK_LIBs per second and board.  A sender refused beyond it gets its
 * NACK at a later retransmission, or times out.
 */
#define OMX_NACK_LIB_ANSWERS_PER_SEC	500

static DEFINE_MUTEX(omx_ifaces_mutex);
static struct omx_iface __rcu *omx_ifaces[OMX_MAX_BOARDS];
static u32 omx_ifaces_nr;
/*
 * Loaded without an ifnames list: Ethernet interfaces registered later
 * are attached too.  Protected by omx_ifaces_mutex.
 */
static bool omx_ifaces_attach_new;

static struct omx_iface *omx_iface_get_locked(u32 board)
{
	board = array_index_nospec(board, OMX_MAX_BOARDS);
	return rcu_dereference_protected(omx_ifaces[board],
					 lockdep_is_held(&omx_ifaces_mutex));
}

static struct net_device *omx_iface_netdev_locked(const struct omx_iface *iface)
{
	return rcu_dereference_protected(iface->netdev,
					 lockdep_is_held(&omx_ifaces_mutex));
}

static struct omx_iface *omx_iface_find_by_netdev_locked(const struct net_device *dev)
{
	struct omx_iface *iface;
	u32 i;

	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = omx_iface_get_locked(i);
		if (iface && omx_iface_netdev_locked(iface) == dev)
			return iface;
	}
	return NULL;
}

static struct omx_iface *omx_iface_find_by_name_locked(const char *name)
{
	struct omx_iface *iface;
	u32 i;

	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = omx_iface_get_locked(i);
		if (iface && !strcmp(iface->ifname, name))
			return iface;
	}
	return NULL;
}

/*
 * The receive path runs for every omx frame of every interface; a scan of
 * 32 pointers is cheap next to the skb work and needs no per-netdev hook.
 */
struct omx_iface *omx_iface_find_by_netdev_rcu(const struct net_device *dev)
{
	struct omx_iface *iface;
	u32 i;

	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = rcu_dereference(omx_ifaces[i]);
		if (iface && rcu_access_pointer(iface->netdev) == dev)
			return iface;
	}
	return NULL;
}

struct omx_iface *omx_iface_find_by_mac_rcu(const u8 *mac)
{
	struct omx_iface *iface;
	struct net_device *dev;
	u32 i;

	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = rcu_dereference(omx_ifaces[i]);
		if (!iface)
			continue;
		dev = rcu_dereference(iface->netdev);
		if (dev && ether_addr_equal(dev->dev_addr, mac))
			return iface;
	}
	return NULL;
}

static void omx_iface_release(struct kref *kref)
{
	struct omx_iface *iface = container_of(kref, struct omx_iface, kref);

	bitmap_free(iface->reserved);
	free_percpu(iface->steer);
	free_percpu(iface->counters);
	kfree(iface);
	atomic_dec(&omx_live.ifaces);
}

void omx_iface_put(struct omx_iface *iface)
{
	kref_put(&iface->kref, omx_iface_release);
}

static bool omx_netdev_is_ethernet(const struct net_device *dev)
{
	return dev->type == ARPHRD_ETHER && !(dev->flags & IFF_LOOPBACK);
}

/* Refresh what we cache from the netdev; rtnl and omx_ifaces_mutex held. */
static void omx_iface_refresh(struct omx_iface *iface)
{
	struct net_device *dev = omx_iface_netdev_locked(iface);
	unsigned int flags = dev_get_flags(dev);
	u32 status = 0;

	if (flags & IFF_UP)
		status |= OMX_BOARD_STATUS_UP;
	if (flags & IFF_RUNNING)
		status |= OMX_BOARD_STATUS_RUNNING;
	if (dev->mtu < OMX_IFACE_MTU(OMX_MTU_MIN))
		status |= OMX_BOARD_STATUS_MTU_TOO_SMALL;

	WRITE_ONCE(iface->status, status);
	iface->mtu = dev->mtu;
	memcpy(iface->mac, dev->dev_addr, ETH_ALEN);
	strscpy(iface->ifname, dev->name, sizeof(iface->ifname));
}

static void omx_iface_warn_state(const struct omx_iface *iface)
{
	if (!(iface->status & OMX_BOARD_STATUS_UP))
		pr_warn("board %u (%s): interface is down; bring it up (ip link set %s up)\n",
			iface->index, iface->ifname, iface->ifname);
	if (iface->status & OMX_BOARD_STATUS_MTU_TOO_SMALL)
		pr_warn("board %u (%s): MTU %u is below the %u omx needs; raise it (ip link set %s mtu 9000)\n",
			iface->index, iface->ifname, iface->mtu,
			OMX_IFACE_MTU(OMX_MTU_MIN),
			iface->ifname);
}

/* Up with link: frames can go out, so discovery is worth a try. */
static bool omx_iface_status_usable(u32 status)
{
	u32 usable = OMX_BOARD_STATUS_UP | OMX_BOARD_STATUS_RUNNING;

	return (status & usable) == usable;
}

static int omx_iface_attach(struct net_device *dev)
{
	struct omx_iface *iface;
	u32 board;

	ASSERT_RTNL();
	lockdep_assert_held(&omx_ifaces_mutex);

	if (!omx_netdev_is_ethernet(dev)) {
		pr_err("cannot attach %s: not an Ethernet interface\n", dev->name);
		return -EINVAL;
	}
	iface = omx_iface_find_by_netdev_locked(dev);
	if (iface) {
		pr_err("cannot attach %s: already attached as board %u\n",
		       dev->name, iface->index);
		return -EBUSY;
	}
	for (board = 0; board < OMX_MAX_BOARDS; board++)
		if (!omx_iface_get_locked(board))
			break;
	if (board == OMX_MAX_BOARDS) {
		pr_err("cannot attach %s: all %u boards are in use; detach one first\n",
		       dev->name, OMX_MAX_BOARDS);
		return -ENOSPC;
	}

	iface = kzalloc(struct_size(iface, endpoints, omx_endpoints_max),
			GFP_KERNEL);
	if (!iface)
		return -ENOMEM;
	iface->counters = alloc_percpu(struct omx_counters);
	iface->steer = alloc_percpu(struct omx_steer_pcpu);
	iface->reserved = bitmap_zalloc(omx_endpoints_max, GFP_KERNEL);
	if (!iface->counters || !iface->steer || !iface->reserved) {
		bitmap_free(iface->reserved);
		free_percpu(iface->steer);
		free_percpu(iface->counters);
		kfree(iface);
		return -ENOMEM;
	}
	atomic_inc(&omx_live.ifaces);

	kref_init(&iface->kref);
	spin_lock_init(&iface->endpoint_lock);
	spin_lock_init(&iface->hostname_lock);
	ratelimit_state_init(&iface->query_answers, HZ,
			     OMX_HOST_QUERY_ANSWERS_PER_SEC);
	/* no "callbacks suppressed" lines: the counter tells */
	ratelimit_set_flags(&iface->query_answers, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_state_init(&iface->nack_answers, HZ, OMX_NACK_LIB_ANSWERS_PER_SEC);
	ratelimit_set_flags(&iface->nack_answers, RATELIMIT_MSG_ON_RELEASE);
	iface->endpoint_max = omx_endpoints_max;
	iface->index = board;
	iface->ifindex = dev->ifindex;
	iface->numa_node = dev_to_node(&dev->dev);
	/* the peer-visible name, as Open-MX builds it */
	snprintf(iface->hostname, sizeof(iface->hostname), "%s:%u",
		 utsname()->nodename, board);

	netdev_hold(dev, &iface->dev_tracker, GFP_KERNEL);
	RCU_INIT_POINTER(iface->netdev, dev);
	omx_iface_refresh(iface);

	rcu_assign_pointer(omx_ifaces[board], iface);
	omx_ifaces_nr++;

	pr_info("board %u (%s): attached, MTU %u, hostname %s\n",
		board, iface->ifname, iface->mtu, iface->hostname);
	omx_iface_warn_state(iface);
	if (omx_iface_status_usable(iface->status))
		omx_peer_discover(iface);
	return 0;
}

/*
 * Without @force, refuse while endpoints are open.  With @force, those
 * endpoints become dead: their files stay valid until closed, but the
 * netdev reference goes now so that unregistering never waits on user
 * space.
 */
static int omx_iface_detach(struct omx_iface *iface, bool force)
{
	struct net_device *dev = omx_iface_netdev_locked(iface);
	struct omx_endpoint *ep;
	u32 busy, i;

	ASSERT_RTNL();
	lockdep_assert_held(&omx_ifaces_mutex);

	spin_lock(&iface->endpoint_lock);
	busy = iface->endpoint_count;
	if (busy && !force) {
		spin_unlock(&iface->endpoint_lock);
		pr_warn("board %u (%s): not detached, %u endpoint(s) open; close them first or force with \"--%s\"\n",
			iface->index, iface->ifname, busy, iface->ifname);
		return -EBUSY;
	}
	for (i = 0; i < iface->endpoint_max; i++) {
		ep = rcu_dereference_protected(iface->endpoints[i],
					       lockdep_is_held(&iface->endpoint_lock));
		if (ep)
			omx_endpoint_kill(ep);
	}
	spin_unlock(&iface->endpoint_lock);

	RCU_INIT_POINTER(iface->netdev, NULL);
	RCU_INIT_POINTER(omx_ifaces[iface->index], NULL);
	omx_ifaces_nr--;
	/*
	 * After this no RCU reader can still hold the netdev through iface,
	 * and no receive handler can still learn a peer through it.
	 */
	synchronize_net();
	netdev_put(dev, &iface->dev_tracker);
	omx_peers_forget_board(iface->index);

	if (busy)
		pr_warn("board %u (%s): detached by force, %u endpoint(s) are now dead\n",
			iface->index, iface->ifname, busy);
	else
		pr_info("board %u (%s): detached\n", iface->index, iface->ifname);

	omx_iface_put(iface);
	return 0;
}

static int omx_iface_attach_by_name(const char *name)
{
	struct net_device *dev;

	dev = __dev_get_by_name(&init_net, name);
	if (!dev) {
		pr_err("cannot attach %s: no such interface\n", name);
		return -ENODEV;
	}
	return omx_iface_attach(dev);
}

static int omx_iface_detach_by_name(const char *name, bool force)
{
	struct omx_iface *iface;

	iface = omx_iface_find_by_name_locked(name);
	if (!iface) {
		pr_err("cannot detach %s: not attached\n", name);
		return -ENODEV;
	}
	return omx_iface_detach(iface, force);
}

/* One "name", "+name", "-name" or "--name" item of the ifnames list. */
static int omx_ifaces_apply_one(const char *item)
{
	bool detach = false, force = false;
	const char *name = item;
	int ret;

	if (name[0] == '-') {
		detach = true;
		name++;
		if (name[0] == '-') {
			force = true;
			name++;
		}
	} else if (name[0] == '+') {
		name++;
	}
	if (!name[0] || strlen(name) >= IFNAMSIZ) {
		pr_err("ifnames: invalid item \"%s\": expected name, +name, -name or --name\n",
		       item);
		return -EINVAL;
	}

	rtnl_lock();
	mutex_lock(&omx_ifaces_mutex);
	if (detach)
		ret = omx_iface_detach_by_name(name, force);
	else
		ret = omx_iface_attach_by_name(name);
	mutex_unlock(&omx_ifaces_mutex);
	rtnl_unlock();
	return ret;
}

int omx_ifaces_apply(const char *list)
{
	char *copy, *cur, *item;
	int ret = 0, err;

	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	cur = copy;
	while ((item = strsep(&cur, ",")) != NULL) {
		item = strim(item);
		if (!item[0])
			continue;
		err = omx_ifaces_apply_one(item);
		if (err && !ret)
			ret = err;
	}
	kfree(copy);
	return ret;
}

static void omx_ifaces_attach_all(void)
{
	struct net_device *dev;

	rtnl_lock();
	mutex_lock(&omx_ifaces_mutex);
	omx_ifaces_attach_new = true;
	for_each_netdev(&init_net, dev) {
		if (!omx_netdev_is_ethernet(dev))
			continue;
		if (omx_iface_attach(dev) == -ENOSPC)
			break;
	}
	mutex_unlock(&omx_ifaces_mutex);
	rtnl_unlock();
}

void omx_ifaces_attach_at_load(const char *list)
{
	if (skip_spaces(list)[0])
		omx_ifaces_apply(list);
	else
		omx_ifaces_attach_all();

	if (!omx_ifaces_get_count())
		pr_warn("no board attached; attach one with: echo IFNAME > /sys/module/omx/parameters/ifnames\n");
}

int omx_ifaces_print_names(char *buf, size_t size)
{
	struct omx_iface *iface;
	const char *sep = "";
	int len = 0;
	u32 i;

	mutex_lock(&omx_ifaces_mutex);
	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = omx_iface_get_locked(i);
		if (!iface)
			continue;
		len += scnprintf(buf + len, size - len, "%s%s", sep, iface->ifname);
		sep = ",";
	}
	mutex_unlock(&omx_ifaces_mutex);
	len += scnprintf(buf + len, size - len, "\n");
	return len;
}

struct omx_iface *omx_iface_acquire(u32 board)
{
	struct omx_iface *iface;

	if (board >= OMX_MAX_BOARDS)
		return ERR_PTR(-EINVAL);

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	if (iface)
		kref_get(&iface->kref);
	else
		iface = ERR_PTR(-ENODEV);
	mutex_unlock(&omx_ifaces_mutex);
	return iface;
}

u32 omx_ifaces_get_count(void)
{
	u32 nr;

	mutex_lock(&omx_ifaces_mutex);
	nr = omx_ifaces_nr;
	mutex_unlock(&omx_ifaces_mutex);
	return nr;
}

int omx_iface_get_info(u32 board, struct omx_board_info *info)
{
	struct omx_iface *iface;
	int ret = 0;

	if (board >= OMX_MAX_BOARDS)
		return -EINVAL;

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	if (!iface) {
		ret = -ENODEV;
		goto out;
	}
	memset(info, 0, sizeof(*info));
	info->board_index = board;
	info->status = READ_ONCE(iface->status);
	info->mtu = iface->mtu;
	info->ifindex = iface->ifindex;
	info->endpoint_count = READ_ONCE(iface->endpoint_count);
	info->endpoint_max = iface->endpoint_max;
	info->numa_node = iface->numa_node;
	memcpy(info->mac, iface->mac, sizeof(info->mac));
	strscpy(info->ifname, iface->ifname, sizeof(info->ifname));
	omx_iface_copy_hostname(iface, info->hostname);
out:
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

/*
 * Counters are per-CPU so that receive queues on different CPUs never
 * share a cache line; a clear records a base instead of writing other
 * CPUs' counters, so no increment is ever lost.
 */
static void omx_iface_sum_counters(const struct omx_iface *iface,
				   u64 sum[OMX_COUNTER_NR])
{
	const struct omx_counters *pcpu;
	unsigned int cpu, i;

	memset(sum, 0, OMX_COUNTER_NR * sizeof(sum[0]));
	for_each_possible_cpu(cpu) {
		pcpu = per_cpu_ptr(iface->counters, cpu);
		for (i = 0; i < OMX_COUNTER_NR; i++)
			sum[i] += READ_ONCE(pcpu->v[i]);
	}
}

int omx_iface_get_counters(u32 board, struct omx_board_counters *counters)
{
	u64 sum[OMX_COUNTER_NR];
	struct omx_iface *iface;
	unsigned int i;
	int ret = 0;

	if (board >= OMX_MAX_BOARDS)
		return -EINVAL;

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	if (!iface) {
		ret = -ENODEV;
		goto out;
	}
	omx_iface_sum_counters(iface, sum);
	memset(counters, 0, sizeof(*counters));
	counters->board_index = board;
	counters->count = OMX_COUNTER_NR;
	for (i = 0; i < OMX_COUNTER_NR; i++)
		counters->values[i] = sum[i] - iface->counters_base[i];
out:
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

int omx_iface_clear_counters(u32 board)
{
	struct omx_iface *iface;
	int ret = 0;

	if (board >= OMX_MAX_BOARDS)
		return -EINVAL;

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	if (iface) {
		omx_iface_sum_counters(iface, iface->counters_base);
		/* the steering evidence starts again too (omx_steering.c) */
		WRITE_ONCE(iface->counters_cleared_at, get_jiffies_64());
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

u64 omx_iface_counters_cleared_at(struct omx_iface *iface)
{
	return READ_ONCE(iface->counters_cleared_at);
}

void omx_iface_steer_evidence(struct omx_iface *iface, u64 *hashed, u64 *misplaced)
{
	u64 sum[OMX_COUNTER_NR];

	mutex_lock(&omx_ifaces_mutex);
	omx_iface_sum_counters(iface, sum);
	*hashed = sum[OMX_COUNTER_RX_STEER_HASHED] -
		iface->counters_base[OMX_COUNTER_RX_STEER_HASHED];
	*misplaced = sum[OMX_COUNTER_RX_STEER_MISPLACED] -
		iface->counters_base[OMX_COUNTER_RX_STEER_MISPLACED];
	mutex_unlock(&omx_ifaces_mutex);
}

struct omx_endpoint *omx_iface_get_endpoint(struct omx_iface *iface, u32 index)
{
	struct omx_endpoint *ep;

	if (index >= iface->endpoint_max)
		return NULL;
	index = array_index_nospec(index, iface->endpoint_max);
	spin_lock(&iface->endpoint_lock);
	ep = rcu_dereference_protected(iface->endpoints[index],
				       lockdep_is_held(&iface->endpoint_lock));
	if (ep && !kref_get_unless_zero(&ep->kref))
		ep = NULL;
	spin_unlock(&iface->endpoint_lock);
	return ep;
}

void omx_iface_copy_hostname(struct omx_iface *iface, char *buf)
{
	unsigned long flags;

	spin_lock_irqsave(&iface->hostname_lock, flags);
	memcpy(buf, iface->hostname, OMX_HOSTNAMELEN_MAX);
	spin_unlock_irqrestore(&iface->hostname_lock, flags);
}

int omx_iface_set_hostname(u32 board, const char *name)
{
	char old[OMX_HOSTNAMELEN_MAX];
	struct omx_iface *iface;
	unsigned int announced;
	unsigned long flags;

	iface = omx_iface_acquire(board);
	if (IS_ERR(iface))
		return PTR_ERR(iface);

	spin_lock_irqsave(&iface->hostname_lock, flags);
	memcpy(old, iface->hostname, sizeof(old));
	strscpy_pad(iface->hostname, name, sizeof(iface->hostname));
	spin_unlock_irqrestore(&iface->hostname_lock, flags);

	announced = omx_peers_announce(iface);
	pr_info("board %u (%s): hostname %s is now %s, announced to %u peer(s)\n",
		board, iface->ifname, old, name, announced);
	omx_iface_put(iface);
	return 0;
}

int omx_iface_get_endpoint_slot(struct omx_endpoint_slot *slot,
				const struct omx_viewer *viewer)
{
	u32 board = slot->board_index, index = slot->endpoint_index;
	struct omx_endpoint *ep;
	struct omx_iface *iface;
	int ret = 0;

	if (board >= OMX_MAX_BOARDS)
		return -EINVAL;

	memset(slot, 0, sizeof(*slot));
	slot->board_index = board;
	slot->endpoint_index = index;

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	if (!iface) {
		ret = -ENODEV;
		goto out;
	}
	if (index >= iface->endpoint_max) {
		ret = -EINVAL;
		goto out;
	}
	index = array_index_nospec(index, iface->endpoint_max);

	spin_lock(&iface->endpoint_lock);
	ep = rcu_dereference_protected(iface->endpoints[index],
				       lockdep_is_held(&iface->endpoint_lock));
	if (ep) {
		slot->flags = OMX_ENDPOINT_SLOT_OPEN;
		if (omx_endpoint_visible(ep, viewer)) {
			slot->owner_pid = pid_vnr(ep->owner);
			memcpy(slot->comm, ep->comm, sizeof(slot->comm));
		} else {
			slot->flags |= OMX_ENDPOINT_SLOT_HIDDEN;
		}
		/* a session id lets its holder inject frames into the endpoint */
		if (viewer->admin)
			slot->session_id = ep->session_id;
	}
	spin_unlock(&iface->endpoint_lock);
out:
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

void omx_ifaces_collect_peer_refs(unsigned long *refs, unsigned int nbits)
{
	struct omx_endpoint *ep;
	struct omx_iface *iface;
	u32 board, i;

	mutex_lock(&omx_ifaces_mutex);
	for (board = 0; board < OMX_MAX_BOARDS; board++) {
		iface = omx_iface_get_locked(board);
		if (!iface)
			continue;
		spin_lock(&iface->endpoint_lock);
		for (i = 0; i < iface->endpoint_max; i++) {
			ep = rcu_dereference_protected(iface->endpoints[i],
						       lockdep_is_held(&iface->endpoint_lock));
			if (ep)
				bitmap_or(refs, refs, ep->peer_refs, nbits);
		}
		spin_unlock(&iface->endpoint_lock);
	}
	mutex_unlock(&omx_ifaces_mutex);
}

int omx_iface_reserve_endpoint(u32 board, u32 index, const struct net *net,
			       struct omx_iface **ifacep)
{
	struct omx_iface *iface;
	u32 slot;
	int ret = 0;

	if (board >= OMX_MAX_BOARDS)
		return -EINVAL;

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_get_locked(board);
	/*
	 * A process in another network namespace (a container handed
	 * /dev/omx) must not send on this one's interfaces: its board
	 * does not exist there.  An interface that changes namespace is
	 * unregistered first, which detaches it.
	 */
	if (!iface || !net_eq(dev_net(omx_iface_netdev_locked(iface)), net)) {
		ret = -ENODEV;
		goto out;
	}
	if (index >= iface->endpoint_max) {
		ret = -EINVAL;
		goto out;
	}
	slot = array_index_nospec(index, iface->endpoint_max);

	spin_lock(&iface->endpoint_lock);
	if (rcu_access_pointer(iface->endpoints[slot]) ||
	    test_bit(slot, iface->reserved)) {
		ret = -EBUSY;
	} else {
		__set_bit(slot, iface->reserved);
		kref_get(&iface->kref);
		*ifacep = iface;
	}
	spin_unlock(&iface->endpoint_lock);
out:
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

void omx_iface_unreserve_endpoint(struct omx_iface *iface, u32 index)
{
	spin_lock(&iface->endpoint_lock);
	__clear_bit(index, iface->reserved);
	spin_unlock(&iface->endpoint_lock);
	omx_iface_put(iface);
}

/*
 * Serialized against detach by omx_ifaces_mutex, so an endpoint can never
 * appear on a board that is going away.
 */
int omx_iface_add_endpoint(struct omx_iface *iface, struct omx_endpoint *ep)
{
	int ret = 0;

	mutex_lock(&omx_ifaces_mutex);
	/* detached meanwhile (maybe replaced by another board at that index) */
	if (omx_iface_get_locked(iface->index) != iface) {
		ret = -ENODEV;
		goto out;
	}

	spin_lock(&iface->endpoint_lock);
	__clear_bit(ep->index, iface->reserved);
	ep->iface = iface;
	ep->mtu = iface->mtu;
	/* the library derives the same sizes from ep->mtu */
	ep->frag_len = omx_wire_medium_frag_len(iface->mtu);
	ep->pull_reply_len = omx_wire_pull_reply_len(iface->mtu);
	memcpy(ep->mac, iface->mac, ETH_ALEN);
	rcu_assign_pointer(iface->endpoints[ep->index], ep);
	WRITE_ONCE(iface->endpoint_count, iface->endpoint_count + 1);
	spin_unlock(&iface->endpoint_lock);
out:
	mutex_unlock(&omx_ifaces_mutex);
	return ret;
}

/* Free @ep's slot; its reference on the iface is dropped on release. */
void omx_iface_remove_endpoint(struct omx_endpoint *ep)
{
	struct omx_iface *iface = ep->iface;

	spin_lock(&iface->endpoint_lock);
	RCU_INIT_POINTER(iface->endpoints[ep->index], NULL);
	WRITE_ONCE(iface->endpoint_count, iface->endpoint_count - 1);
	spin_unlock(&iface->endpoint_lock);
}

static void omx_iface_handle_event(struct omx_iface *iface,
				   unsigned long event)
{
	u32 old_status = iface->status;
	char old_name[IFNAMSIZ];

	if (event == NETDEV_UNREGISTER) {
		pr_info("board %u (%s): interface unregistered, detaching\n",
			iface->index, iface->ifname);
		omx_iface_detach(iface, true);
		return;
	}

	strscpy(old_name, iface->ifname, sizeof(old_name));
	omx_iface_refresh(iface);

	switch (event) {
	case NETDEV_UP:
		pr_info("board %u (%s): interface up\n", iface->index, iface->ifname);
		break;
	case NETDEV_DOWN:
		pr_info("board %u (%s): interface down\n", iface->index, iface->ifname);
		break;
	case NETDEV_CHANGEMTU:
		if (iface->status & OMX_BOARD_STATUS_MTU_TOO_SMALL)
			pr_warn("board %u (%s): MTU %u is below the %u omx needs; raise it (ip link set %s mtu 9000)\n",
				iface->index, iface->ifname, iface->mtu,
				OMX_IFACE_MTU(OMX_MTU_MIN), iface->ifname);
		else
			pr_info("board %u (%s): MTU changed to %u\n",
				iface->index, iface->ifname, iface->mtu);
		break;
	case NETDEV_CHANGENAME:
		pr_info("board %u (%s): interface renamed to %s\n",
			iface->index, old_name, iface->ifname);
		break;
	default:
		break;
	}

	/* NETDEV_UP, or NETDEV_CHANGE once the link (operstate) follows */
	if (!omx_iface_status_usable(old_status) &&
	    omx_iface_status_usable(iface->status))
		omx_peer_discover(iface);
}

/* attach-all mode: a new interface of the initial namespace joins */
static void omx_iface_handle_register(struct net_device *dev)
{
	if (!omx_ifaces_attach_new || !net_eq(dev_net(dev), &init_net) ||
	    !omx_netdev_is_ethernet(dev))
		return;
	omx_iface_attach(dev);
}

static int omx_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct omx_iface *iface;

	if (event == NETDEV_REGISTER) {
		mutex_lock(&omx_ifaces_mutex);
		omx_iface_handle_register(dev);
		mutex_unlock(&omx_ifaces_mutex);
		return NOTIFY_DONE;
	}

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:		/* carrier: the RUNNING status bit */
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEADDR:
	case NETDEV_UNREGISTER:
		break;
	default:
		return NOTIFY_DONE;
	}

	mutex_lock(&omx_ifaces_mutex);
	iface = omx_iface_find_by_netdev_locked(dev);
	if (iface)
		omx_iface_handle_event(iface, event);
	mutex_unlock(&omx_ifaces_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block omx_netdev_notifier = {
	.notifier_call = omx_netdev_event,
};

/*
 * The notifier goes first so that an interface unregistered right after
 * being attached is still seen.
 */
int omx_iface_init(void)
{
	return register_netdevice_notifier(&omx_netdev_notifier);
}

/*
 * Detach everything before removing the notifier: unregistering it replays
 * DOWN/UNREGISTER events, which must find nothing left to do.
 */
void omx_iface_exit(void)
{
	struct omx_iface *iface;
	u32 i;

	rtnl_lock();
	mutex_lock(&omx_ifaces_mutex);
	/* nothing may attach between here and the notifier's removal */
	omx_ifaces_attach_new = false;
	for (i = 0; i < OMX_MAX_BOARDS; i++) {
		iface = omx_iface_get_locked(i);
		if (iface)
			omx_iface_detach(iface, true);
	}
	mutex_unlock(&omx_ifaces_mutex);
	rtnl_unlock();

	unregister_netdevice_notifier(&omx_netdev_notifier);
}
