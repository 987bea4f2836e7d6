/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx boards: Ethernet interfaces attached to omx.
 */
#ifndef OMX_IFACE_H
#define OMX_IFACE_H

#include <linux/kref.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "omx_abi.h"

struct omx_endpoint;
struct omx_steer_pcpu;
struct omx_viewer;

struct omx_counters {
	u64 v[OMX_COUNTER_NR];
};

/*
 * One attached interface ("board").
 *
 * Lifetime: the board table holds one reference and each endpoint opened
 * on the board holds one more.  Detaching removes the iface from the
 * table and drops the netdev reference at once, so that an unregistering
 * netdev never waits for user space; the struct itself lives on until the
 * last (then dead) endpoint is closed.
 *
 * Locking: omx_ifaces_mutex (in omx_iface.c) protects the table and the
 * cached netdev attributes below; the receive path finds an iface under
 * RCU and only reads @netdev, @status, the counters, @index (fixed at
 * attach) and @hostname under @hostname_lock.  @endpoint_lock protects
 * the endpoint slots and @endpoint_count.
 */
struct omx_iface {
	struct kref kref;
	/*
	 * NULL once detached.  Whoever uses it outside omx_ifaces_mutex
	 * must read it under RCU and cope with NULL: detach clears it and
	 * waits for a grace period before dropping the reference.
	 */
	struct net_device __rcu *netdev;
	netdevice_tracker dev_tracker;
	u32 index;
	bool attached;

	/* cached from the netdev under rtnl + omx_ifaces_mutex */
	u32 status;		/* OMX_BOARD_STATUS_*, read locklessly */
	u32 mtu;
	int ifindex;
	int numa_node;
	u8 mac[ETH_ALEN];
	char ifname[IFNAMSIZ];

	/* BH-safe: HOST_REPLYs are built in the receive softirq */
	spinlock_t hostname_lock;
	char hostname[OMX_HOSTNAMELEN_MAX];

	/* HOST_QUERY answers, so that a query flood cannot make us flood */
	struct ratelimit_state query_answers;
	/* NACK_LIB answers to refused frames, for the same reason */
	struct ratelimit_state nack_answers;

	struct omx_counters __percpu *counters;
	/* values at the last clear, subtracted on read (protected by the mutex) */
	u64 counters_base[OMX_COUNTER_NR];
	/* jiffies_64 at the last clear, 0 if never; written under the mutex */
	u64 counters_cleared_at;
	/* when frames last arrived on / off their hashed queue (omx_steering.c) */
	struct omx_steer_pcpu __percpu *steer;

	/* protects endpoints[] updates, @reserved and endpoint_count */
	spinlock_t endpoint_lock;
	u32 endpoint_count;
	u32 endpoint_max;
	/* slots taken by an open in progress, before its memory is allocated */
	unsigned long *reserved;
	struct omx_endpoint __rcu *endpoints[];
};

static inline void omx_iface_count(struct omx_iface *iface,
				   enum omx_counter_index idx, u64 n)
{
	this_cpu_add(iface->counters->v[idx], n);
}

int omx_iface_init(void);
void omx_iface_exit(void);

void omx_ifaces_attach_at_load(const char *list);
int omx_ifaces_apply(const char *list);
int omx_ifaces_print_names(char *buf, size_t size);

struct omx_iface *omx_iface_find_by_netdev_rcu(const struct net_device *dev);
/* The attached board whose address is @mac, under RCU; NULL if none. */
struct omx_iface *omx_iface_find_by_mac_rcu(const u8 *mac);
struct omx_iface *omx_iface_acquire(u32 board);
void omx_iface_put(struct omx_iface *iface);

u32 omx_ifaces_get_count(void);
int omx_iface_get_info(u32 board, struct omx_board_info *info);
int omx_iface_get_counters(u32 board, struct omx_board_counters *counters);
int omx_iface_clear_counters(u32 board);
/* jiffies_64 of the last CLEAR_COUNTERS of @iface, 0 if never */
u64 omx_iface_counters_cleared_at(struct omx_iface *iface);
/* RX_STEER_HASHED and RX_STEER_MISPLACED of @iface since its last clear */
void omx_iface_steer_evidence(struct omx_iface *iface, u64 *hashed, u64 *misplaced);
/* The endpoint in slot @index (< endpoint_max) of @iface with a reference, or NULL. */
struct omx_endpoint *omx_iface_get_endpoint(struct omx_iface *iface, u32 index);

/* Copy @iface's hostname into @buf (OMX_HOSTNAMELEN_MAX); any context. */
void omx_iface_copy_hostname(struct omx_iface *iface, char *buf);
/* Rename board @board (validated name) and announce it to its peers. */
int omx_iface_set_hostname(u32 board, const char *name);

/*
 * OMX_CMD_GET_ENDPOINT_SLOT for @viewer: the owner (pid, command) only if
 * omx_endpoint_visible(), else OMX_ENDPOINT_SLOT_HIDDEN; the session only
 * for an administrator.
 */
int omx_iface_get_endpoint_slot(struct omx_endpoint_slot *slot,
				const struct omx_viewer *viewer);

/*
 * OR into @refs (@nbits bits) the peer references of every endpoint open
 * on an attached board (struct omx_endpoint.peer_refs); process context.
 */
void omx_ifaces_collect_peer_refs(unsigned long *refs, unsigned int nbits);

/**
 * omx_iface_reserve_endpoint() - take endpoint slot @index of @board
 * @board: board index
 * @index: endpoint index
 * @net: the network namespace of the file's opener: a board whose
 *	interface is elsewhere is not there for it (-ENODEV)
 * @ifacep: set to the board, with a reference, on success
 *
 * Checked and taken before anything is allocated for the endpoint, so
 * that a busy slot costs nothing.  Release with omx_iface_add_endpoint()
 * (which fills it) or omx_iface_unreserve_endpoint().  Process context.
 *
 * Return: 0, -EINVAL (index out of range), -ENODEV (no board), -EBUSY.
 */
int omx_iface_reserve_endpoint(u32 board, u32 index, const struct net *net,
			       struct omx_iface **ifacep);
/* Give a reserved slot back and drop the reference it held. */
void omx_iface_unreserve_endpoint(struct omx_iface *iface, u32 index);
/*
 * Publish @ep in the slot reserved for it on @iface; @ep then owns the
 * reservation's reference.  -ENODEV if the board was detached meanwhile
 * (the reservation is still the caller's to give back).
 */
int omx_iface_add_endpoint(struct omx_iface *iface, struct omx_endpoint *ep);
void omx_iface_remove_endpoint(struct omx_endpoint *ep);

#endif /* OMX_IFACE_H */
