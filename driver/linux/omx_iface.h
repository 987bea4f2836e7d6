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

/**
 * omx_iface_count() - add @n to one of @iface's counters
 * @iface: the board
 * @idx: which counter (enum omx_counter_index)
 * @n: how much
 *
 * On this CPU's copy, without a lock or an atomic: the receive queues of
 * one board run on several CPUs and must not share a cache line.  Any
 * context.
 */
static inline void omx_iface_count(struct omx_iface *iface,
				   enum omx_counter_index idx, u64 n)
{
	this_cpu_add(iface->counters->v[idx], n);
}

/**
 * omx_iface_init() - follow the interfaces' life (netdevice notifier)
 *
 * Module load, before any board is attached, so that an interface
 * unregistered right after its attach is still seen.
 *
 * Return: 0, or register_netdevice_notifier()'s error.
 */
int omx_iface_init(void);

/**
 * omx_iface_exit() - detach every board, then stop following interfaces
 *
 * Module unload, once no file is open (an open file pins the module), so
 * the forced detaches kill no endpoint.  The notifier goes last: its
 * removal replays the interfaces' DOWN and UNREGISTER events, which must
 * find no board left.
 */
void omx_iface_exit(void);

/**
 * omx_ifaces_attach_at_load() - the "ifnames" parameter given at load
 * @list: its value
 *
 * An empty list attaches every Ethernet interface, as Open-MX did, and
 * also those that appear later.  A failed item is logged, not fatal: the
 * module loads, and says so when no board is attached.
 */
void omx_ifaces_attach_at_load(const char *list);

/**
 * omx_ifaces_apply() - attach and detach boards as "ifnames" says
 * @list: comma-separated items "name" or "+name" (attach), "-name"
 *	(detach, refused while endpoints are open) and "--name" (detach by
 *	force: the endpoints die)
 *
 * Every item is tried, so that one bad name does not hide the others.
 * Process context; takes rtnl.
 *
 * Return: 0, or the first item's error (-EINVAL, -ENODEV, -EBUSY,
 * -ENOSPC, -ENOMEM...).
 */
int omx_ifaces_apply(const char *list);

/**
 * omx_ifaces_print_names() - read side of "ifnames": the attached boards
 * @buf: where to write the names, comma-separated, and a newline
 * @size: room in @buf
 *
 * Return: the length written, truncated to @size.
 */
int omx_ifaces_print_names(char *buf, size_t size);

/**
 * omx_iface_find_by_netdev_rcu() - the board a received frame came in on
 * @dev: the frame's net device
 *
 * Caller under rcu_read_lock(); the board may be detached meanwhile, and
 * stays valid until the grace period ends.
 *
 * Return: the board, without a reference, or NULL if @dev is not one.
 */
struct omx_iface *omx_iface_find_by_netdev_rcu(const struct net_device *dev);

/**
 * omx_iface_find_by_mac_rcu() - the board of this host with address @mac
 * @mac: an Ethernet address
 *
 * Tells whether a peer is a board of this host: a pull from it is then a
 * copy inside the host, and a user may look up its address without
 * being an administrator.  Caller under rcu_read_lock().
 *
 * Return: the board, without a reference, or NULL if none.
 */
struct omx_iface *omx_iface_find_by_mac_rcu(const u8 *mac);

/**
 * omx_iface_acquire() - board @board, held
 * @board: board index
 *
 * The board may be detached while the caller holds it: its netdev is then
 * NULL.  Process context.
 *
 * Return: the board with a reference (omx_iface_put() it), ERR_PTR(-EINVAL)
 * for an index out of range, ERR_PTR(-ENODEV) for an empty slot.
 */
struct omx_iface *omx_iface_acquire(u32 board);

/**
 * omx_iface_put() - drop a reference to @iface
 * @iface: the board
 *
 * The last one, after its detach and its last endpoint's close, frees it.
 * Any context.
 */
void omx_iface_put(struct omx_iface *iface);

/**
 * omx_ifaces_get_count() - how many boards are attached
 *
 * Return: the count at the time of the call (OMX_CMD_GET_BOARD_COUNT).
 */
u32 omx_ifaces_get_count(void);

/**
 * omx_iface_get_info() - OMX_CMD_GET_BOARD_INFO
 * @board: board index
 * @info: filled in entirely when found (padding zeroed)
 *
 * Process context.  Return: 0, -EINVAL (index out of range) or -ENODEV.
 */
int omx_iface_get_info(u32 board, struct omx_board_info *info);

/**
 * omx_iface_get_counters() - OMX_CMD_GET_COUNTERS
 * @board: board index
 * @counters: set to every counter summed over the CPUs, since the last
 *	clear
 *
 * Process context.  Return: 0, -EINVAL (index out of range) or -ENODEV.
 */
int omx_iface_get_counters(u32 board, struct omx_board_counters *counters);

/**
 * omx_iface_clear_counters() - OMX_CMD_CLEAR_COUNTERS
 * @board: board index
 *
 * Records the current sums as the base that reads subtract, rather than
 * writing other CPUs' counters, so that no increment is lost; the
 * steering evidence starts again too.  Process context.
 *
 * Return: 0, -EINVAL (index out of range) or -ENODEV.
 */
int omx_iface_clear_counters(u32 board);

/**
 * omx_iface_counters_cleared_at() - when @iface's counters were last cleared
 * @iface: the board
 *
 * Return: jiffies_64 of the last OMX_CMD_CLEAR_COUNTERS, 0 if never.
 */
u64 omx_iface_counters_cleared_at(struct omx_iface *iface);

/**
 * omx_iface_steer_evidence() - the steering counters since the last clear
 * @iface: the board
 * @hashed: set to RX_STEER_HASHED: frames on the queue the endpoint
 *	hash gives
 * @misplaced: set to RX_STEER_MISPLACED: frames on another queue
 *
 * Process context (takes the boards' mutex).
 */
void omx_iface_steer_evidence(struct omx_iface *iface, u64 *hashed, u64 *misplaced);

/**
 * omx_iface_get_endpoint() - the endpoint in slot @index of @iface
 * @iface: the board
 * @index: endpoint index, below the board's endpoint_max
 *
 * For callers outside the receive path, which need no RCU section.
 *
 * Return: the endpoint with a reference (omx_endpoint_put() it), or NULL
 * if the slot is empty or its endpoint being freed.
 */
struct omx_endpoint *omx_iface_get_endpoint(struct omx_iface *iface, u32 index);

/**
 * omx_iface_copy_hostname() - read @iface's hostname consistently
 * @iface: the board
 * @buf: OMX_HOSTNAMELEN_MAX bytes, NUL-padded on return
 *
 * A rename may run at the same time; this never sees half of it.  Any
 * context.
 */
void omx_iface_copy_hostname(struct omx_iface *iface, char *buf);

/**
 * omx_iface_set_hostname() - rename board @board, and tell its peers
 * @board: board index
 * @name: the new name, already checked by omx_hostname_valid()
 *
 * The peers learn the name from an unsolicited HOST_REPLY rather than at
 * their next discovery.  Process context.
 *
 * Return: 0, -EINVAL or -ENODEV (omx_iface_acquire()).
 */
int omx_iface_set_hostname(u32 board, const char *name);

/**
 * omx_iface_get_endpoint_slot() - OMX_CMD_GET_ENDPOINT_SLOT
 * @slot: in: board_index, endpoint_index; out: the slot's state
 * @viewer: who asks
 *
 * The owner (pid, command) only if omx_endpoint_visible() allows, else
 * OMX_ENDPOINT_SLOT_HIDDEN; the session id, which lets its holder inject
 * frames into the endpoint, only for an administrator.  Process context.
 *
 * Return: 0 (an empty slot too), -EINVAL (index out of range) or -ENODEV.
 */
int omx_iface_get_endpoint_slot(struct omx_endpoint_slot *slot,
				const struct omx_viewer *viewer);

/**
 * omx_ifaces_collect_peer_refs() - the peers some open endpoint knows of
 * @refs: bitmap, indexed by peer index, into which they are ORed
 * @nbits: bits in @refs
 *
 * For the peer ager, which keeps these (struct omx_endpoint.peer_refs).
 * Process context.
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

/**
 * omx_iface_unreserve_endpoint() - give a reserved slot back
 * @iface: the board, whose reservation reference is dropped
 * @index: the slot
 *
 * For an open that failed after omx_iface_reserve_endpoint().
 */
void omx_iface_unreserve_endpoint(struct omx_iface *iface, u32 index);

/**
 * omx_iface_add_endpoint() - publish @ep in the slot reserved for it
 * @iface: the board
 * @ep: the new endpoint, which then owns the reservation's reference
 *
 * Serialised against detach, so that no endpoint appears on a board
 * going away.  Process context.
 *
 * Return: 0, or -ENODEV if the board was detached meanwhile (the
 * reservation is still the caller's to give back).
 */
int omx_iface_add_endpoint(struct omx_iface *iface, struct omx_endpoint *ep);

/**
 * omx_iface_remove_endpoint() - empty @ep's slot at its close
 * @ep: the endpoint
 *
 * The slot may be reopened at once; the receive path may still hold @ep
 * (RCU), which keeps its memory, not its slot.
 */
void omx_iface_remove_endpoint(struct omx_endpoint *ep);

#endif /* OMX_IFACE_H */
