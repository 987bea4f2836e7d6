// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive steering (docs/multiqueue.md): the paper's claim made visible.
 *
 * A NIC that hashes the destination endpoint of each frame onto its
 * receive queues (common/omx_steer.h: queue = endpoint % queues) keeps
 * every frame of an endpoint on the CPU that serves that queue's IRQ.
 * This file says, per board, which IRQ serves which rx queue and on
 * which CPUs, which steering is in force, and, per endpoint, where its
 * frames should be processed and where they were.
 *
 * The mode is detected, not configured:
 *  - xdp: the program of firmware-patch/xdp (OMX_XDP_PROG_NAME) is
 *    attached to the interface; it redirects endpoint E to the
 *    (E % n)-th online CPU, n the number of online CPUs;
 *  - nic: the myri10ge driver (with firmware-patch/myri10ge) says its
 *    firmware hashes, or frames were seen to arrive on their hashed
 *    queue and none elsewhere within OMX_STEER_WINDOW_MS of the latest;
 *  - none: one rx queue, no evidence yet, or misplaced frames.
 *
 * IRQs are matched to rx queues by the names their drivers give their
 * MSI-X vectors: "<dev>-input.Q" (virtio-net, <dev> the virtio device),
 * "<ifname>-rx-Q", "<ifname>-TxRx-Q", "<ifname>:slice-Q" (myri10ge),
 * "<ifname>-Q".  A queue whose IRQ matches none is reported with irq -1.
 * Everything is read afresh at each ioctl, so the report follows
 * affinity and queue count changes.
 *
 * The receive side (omx_steering_account()) only writes this CPU's
 * counters: queues on different CPUs share no cache line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/filter.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/uidgid.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_steer.h"
#include "omx_steering.h"
#include "omx_wire.h"

/*
 * Exported by a myri10ge patched with firmware-patch/myri10ge; found with
 * symbol_get() so that omx loads without it.
 */
int myri10ge_omx_endpoint_slice(struct net_device *netdev,
				unsigned int endpoint, int *irq);

/* MSI-X vectors looked at per device: far more than any NIC has queues */
#define OMX_STEER_VECTORS_MAX	1024

void omx_steering_account(struct omx_iface *iface, const struct sk_buff *skb,
			  int dst_endpoint)
{
	const struct net_device *dev = skb->dev;
	struct omx_endpoint_rx *rx;
	struct omx_endpoint *ep;
	u32 nr, endpoint;

	if (dst_endpoint < 0)
		return;
	endpoint = dst_endpoint;

	if (endpoint < iface->endpoint_max) {
		endpoint = array_index_nospec(endpoint, iface->endpoint_max);
		ep = rcu_dereference(iface->endpoints[endpoint]);
		if (ep) {
			rx = this_cpu_ptr(ep->rx_stats);
			rx->frames++;
			rx->bytes += skb->len + ETH_HLEN;
		}
	}

	nr = READ_ONCE(dev->real_num_rx_queues);
	if (nr <= 1 || !skb_rx_queue_recorded(skb))
		return;
	if (skb_get_rx_queue(skb) == omx_steer_queue(endpoint, nr)) {
		omx_iface_count(iface, OMX_COUNTER_RX_STEER_HASHED, 1);
		this_cpu_write(iface->steer->hashed_at, get_jiffies_64());
	} else {
		omx_iface_count(iface, OMX_COUNTER_RX_STEER_MISPLACED, 1);
		this_cpu_write(iface->steer->misplaced_at, get_jiffies_64());
	}
}

static void omx_steering_mask_to_words(const struct cpumask *mask,
				       __u64 words[OMX_CPUMASK_WORDS])
{
	unsigned int cpu;

	memset(words, 0, sizeof(__u64) * OMX_CPUMASK_WORDS);
	if (!mask)
		return;
	for_each_cpu(cpu, mask)
		if (cpu < OMX_CPUS_MAX)
			words[cpu / 64] |= 1ULL << (cpu % 64);
}

/*
 * The queue a vector named @name serves, given the prefix its driver
 * names vectors with, or -1 if it is not a receive vector of that prefix.
 */
static int omx_steering_queue_of_name(const char *name, const char *prefix)
{
	static const char * const words[] = {
		"input", "rx", "TxRx", "txrx", "slice", "queue",
	};
	size_t len = strlen(prefix), i, w;
	unsigned int q;

	if (!len || strncmp(name, prefix, len) || !strchr("-:._", name[len]))
		return -1;
	name += len + 1;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		w = strlen(words[i]);
		if (!strncmp(name, words[i], w) && name[w] && strchr("-._", name[w])) {
			name += w + 1;
			break;
		}
	}
	if (!isdigit(*name) || kstrtouint(name, 10, &q) || q > INT_MAX)
		return -1;
	return q;
}

/* The first handler name of @irq into @buf, "" if none. */
static void omx_steering_irq_name(int irq, char *buf, size_t size)
{
	struct irq_data *data = irq_get_irq_data(irq);
	struct irqaction *action;
	struct irq_desc *desc;
	unsigned long flags;

	buf[0] = '\0';
	if (!data)
		return;
	desc = irq_data_to_desc(data);
	raw_spin_lock_irqsave(&desc->lock, flags);
	for (action = desc->action; action; action = action->next) {
		if (action->name) {
			strscpy(buf, action->name, size);
			break;
		}
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

/*
 * CPUs @irq is delivered to: its effective affinity (its affinity if no
 * effective one is kept), unless a change of affinity is pending.  x86
 * moves an MSI vector only when it next fires: until then the old CPU
 * stays effective while the next interrupt already goes to the new
 * CPUs (desc->pending_mask, what /proc/irq/N/smp_affinity_list shows),
 * and that is where a process binding now must go.
 */
static void omx_steering_irq_cpus(int irq, __u64 words[OMX_CPUMASK_WORDS])
{
	struct irq_data *data = irq_get_irq_data(irq);
	const struct cpumask *mask;
	struct irq_desc *desc;
	unsigned long flags;

	if (!data) {
		omx_steering_mask_to_words(NULL, words);
		return;
	}
	desc = irq_data_to_desc(data);
	raw_spin_lock_irqsave(&desc->lock, flags);
	mask = irq_data_get_effective_affinity_mask(data);
	if (!mask || cpumask_empty(mask))
		mask = irq_data_get_affinity_mask(data);
#ifdef CONFIG_GENERIC_PENDING_IRQ
	if (irqd_is_setaffinity_pending(data))
		mask = desc->pending_mask;
#endif
	omx_steering_mask_to_words(mask, words);
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

static struct pci_dev *omx_steering_pci_dev(struct net_device *dev)
{
	struct device *d;

	for (d = dev->dev.parent; d; d = d->parent)
		if (dev_is_pci(d))
			return to_pci_dev(d);
	return NULL;
}

/* Fill irq and irq_name of q->queues[] from the device's vectors; rtnl held. */
static void omx_steering_find_irqs(struct net_device *dev,
				   struct omx_board_queues *q)
{
	const char *parent = dev->dev.parent ? dev_name(dev->dev.parent) : "";
	struct pci_dev *pdev = omx_steering_pci_dev(dev);
	char name[OMX_IRQ_NAMELEN];
	int i, irq, queue;

	for (i = 0; i < q->nr_reported; i++)
		q->queues[i].irq = -1;
	if (!pdev)
		return;
	for (i = 0; i < OMX_STEER_VECTORS_MAX; i++) {
		irq = pci_irq_vector(pdev, i);
		if (irq < 0)
			break;
		omx_steering_irq_name(irq, name, sizeof(name));
		queue = omx_steering_queue_of_name(name, dev->name);
		if (queue < 0)
			queue = omx_steering_queue_of_name(name, parent);
		if (queue < 0 || queue >= q->nr_reported || q->queues[queue].irq >= 0)
			continue;
		q->queues[queue].irq = irq;
		strscpy(q->queues[queue].irq_name, name, sizeof(q->queues[queue].irq_name));
	}
}

static bool omx_steering_xdp_attached(struct net_device *dev)
{
	struct bpf_prog *prog;
	int mode;

	ASSERT_RTNL();
	/* programs attached through netlink; a bpf_link attachment is not seen */
	for (mode = 0; mode < __MAX_XDP_MODE; mode++) {
		prog = dev->xdp_state[mode].prog;
		if (prog && !strncmp(prog->aux->name, OMX_XDP_PROG_NAME,
				     sizeof(prog->aux->name)))
			return true;
	}
	return false;
}

static bool omx_steering_is_myri10ge(struct net_device *dev)
{
	struct device *parent = dev->dev.parent;

	return parent && parent->driver && !strcmp(parent->driver->name, "myri10ge");
}

/*
 * Ask a patched myri10ge for @endpoint's slice and IRQ; -EOPNOTSUPP if
 * it is not a patched myri10ge or its firmware does not hash.
 */
static int omx_steering_myri10ge_slice(struct net_device *dev,
				       unsigned int endpoint, int *irq)
{
	int (*slice_of)(struct net_device *netdev, unsigned int endpoint, int *irq);
	int ret;

	if (!omx_steering_is_myri10ge(dev))
		return -EOPNOTSUPP;
	slice_of = symbol_get(myri10ge_omx_endpoint_slice);
	if (!slice_of)
		return -EOPNOTSUPP;
	ret = slice_of(dev, endpoint, irq);
	symbol_put(myri10ge_omx_endpoint_slice);
	return ret;
}

/* The mode and why, from the device and the evidence; rtnl held. */
static void omx_steering_mode(struct omx_iface *iface, struct net_device *dev,
			      u32 *mode, u32 *source)
{
	u64 clear_at = omx_iface_counters_cleared_at(iface);
	u64 hashed_at = 0, misplaced_at = 0;
	const struct omx_steer_pcpu *pcpu;
	int cpu, irq;

	if (omx_steering_xdp_attached(dev)) {
		*mode = OMX_STEER_MODE_XDP;
		*source = OMX_STEER_SRC_XDP_PROG;
		return;
	}
	if (omx_steering_myri10ge_slice(dev, 0, &irq) >= 0) {
		*mode = OMX_STEER_MODE_NIC;
		*source = OMX_STEER_SRC_MYRI10GE;
		return;
	}
	*mode = OMX_STEER_MODE_NONE;
	if (dev->real_num_rx_queues <= 1) {
		*source = OMX_STEER_SRC_SINGLE_QUEUE;
		return;
	}
	for_each_possible_cpu(cpu) {
		pcpu = per_cpu_ptr(iface->steer, cpu);
		hashed_at = max(hashed_at, READ_ONCE(pcpu->hashed_at));
		misplaced_at = max(misplaced_at, READ_ONCE(pcpu->misplaced_at));
	}
	if (hashed_at <= clear_at)
		hashed_at = 0;
	if (misplaced_at <= clear_at)
		misplaced_at = 0;
	if (misplaced_at &&
	    time_before64(hashed_at, misplaced_at + msecs_to_jiffies(OMX_STEER_WINDOW_MS))) {
		*source = OMX_STEER_SRC_MISPLACED;
	} else if (hashed_at) {
		*mode = OMX_STEER_MODE_NIC;
		*source = OMX_STEER_SRC_OBSERVED;
	} else {
		*source = OMX_STEER_SRC_NO_EVIDENCE;
	}
}

/* Everything but the board index; rtnl held, @dev the board's netdev. */
static void omx_steering_fill_board(struct omx_iface *iface, struct net_device *dev,
				    struct omx_board_queues *q)
{
	u32 i;

	q->nr_queues = dev->real_num_rx_queues;
	q->nr_reported = min_t(u32, q->nr_queues, OMX_QUEUES_MAX);
	omx_steering_mode(iface, dev, &q->mode, &q->mode_source);
	omx_steering_find_irqs(dev, q);
	for (i = 0; i < q->nr_reported; i++)
		if (q->queues[i].irq >= 0)
			omx_steering_irq_cpus(q->queues[i].irq, q->queues[i].cpus);
	omx_iface_steer_evidence(iface, &q->hashed_frames, &q->misplaced_frames);
}

/*
 * The board @board and its netdev with rtnl held, or an ERR_PTR with
 * rtnl released.  The caller unlocks rtnl and puts the iface.
 */
static struct omx_iface *omx_steering_lock_board(u32 board, struct net_device **dev)
{
	struct omx_iface *iface = omx_iface_acquire(board);

	if (IS_ERR(iface))
		return iface;
	rtnl_lock();
	/* detach clears it under rtnl: a non-NULL netdev stays registered */
	*dev = rtnl_dereference(iface->netdev);
	if (!*dev) {
		rtnl_unlock();
		omx_iface_put(iface);
		return ERR_PTR(-ENODEV);
	}
	return iface;
}

int omx_steering_get_board_queues(struct omx_board_queues *q)
{
	u32 board = q->board_index;
	struct omx_iface *iface;
	struct net_device *dev;

	if (q->pad)
		return -EINVAL;
	iface = omx_steering_lock_board(board, &dev);
	if (IS_ERR(iface))
		return PTR_ERR(iface);
	memset(q, 0, sizeof(*q));
	q->board_index = board;
	omx_steering_fill_board(iface, dev, q);
	rtnl_unlock();
	omx_iface_put(iface);
	return 0;
}

/* The @n-th online CPU in increasing id order (the XDP program's rule). */
static int omx_steering_nth_online_cpu(unsigned int n)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (!n--)
			return cpu;
	return -1;
}

/* Where @endpoint's frames should go, given the board's report @q. */
static void omx_steering_place(struct net_device *dev, const struct omx_board_queues *q,
			       u32 endpoint, struct omx_endpoint_steering *st)
{
	unsigned int nr;
	int cpu, irq;

	st->mode = q->mode;
	st->irq = -1;
	if (q->mode == OMX_STEER_MODE_XDP) {
		nr = num_online_cpus();
		st->queue = omx_steer_queue(endpoint, nr);
		cpu = omx_steering_nth_online_cpu(st->queue);
		if (cpu >= 0 && cpu < OMX_CPUS_MAX)
			st->cpus[cpu / 64] |= 1ULL << (cpu % 64);
		return;
	}
	if (q->mode_source == OMX_STEER_SRC_MYRI10GE) {
		cpu = omx_steering_myri10ge_slice(dev, endpoint, &irq);
		if (cpu >= 0) {
			st->queue = cpu;
			st->irq = irq;
			if (irq >= 0)
				omx_steering_irq_cpus(irq, st->cpus);
			return;
		}
	}
	/* nic, or none: the queue the hash gives (where a hashing NIC puts it) */
	st->queue = omx_steer_queue(endpoint, q->nr_queues);
	if (st->queue < q->nr_reported && q->queues[st->queue].irq >= 0) {
		st->irq = q->queues[st->queue].irq;
		memcpy(st->cpus, q->queues[st->queue].cpus, sizeof(st->cpus));
	}
}

static void omx_steering_sum_rx(const struct omx_endpoint *ep,
				struct omx_endpoint_steering *st)
{
	const struct omx_endpoint_rx *rx;
	int cpu;

	st->nr_cpus = min_t(u32, nr_cpu_ids, OMX_CPUS_MAX);
	for_each_possible_cpu(cpu) {
		if (cpu >= OMX_CPUS_MAX)
			break;
		rx = per_cpu_ptr(ep->rx_stats, cpu);
		st->rx_frames[cpu] = READ_ONCE(rx->frames);
		st->rx_bytes[cpu] = READ_ONCE(rx->bytes);
	}
}

int omx_steering_get_endpoint(struct omx_endpoint_steering *st,
			      const struct omx_viewer *viewer)
{
	u32 board = st->board_index, index = st->endpoint_index;
	struct omx_board_queues *q;
	struct omx_endpoint *ep;
	struct omx_iface *iface;
	struct net_device *dev;
	int ret = 0;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	iface = omx_steering_lock_board(board, &dev);
	if (IS_ERR(iface)) {
		kfree(q);
		return PTR_ERR(iface);
	}
	if (index >= iface->endpoint_max) {
		ret = -EINVAL;
		goto out;
	}
	ep = omx_iface_get_endpoint(iface, index);
	if (!ep) {
		ret = -ENOENT;
		goto out;
	}
	/* the counters tell what a process does: its owner's business */
	if (!omx_endpoint_visible(ep, viewer)) {
		omx_endpoint_put(ep);
		ret = -EPERM;
		goto out;
	}
	memset(st, 0, sizeof(*st));
	st->board_index = board;
	st->endpoint_index = index;
	q->board_index = board;
	omx_steering_fill_board(iface, dev, q);
	omx_steering_place(dev, q, index, st);
	omx_steering_sum_rx(ep, st);
	omx_endpoint_put(ep);
out:
	rtnl_unlock();
	omx_iface_put(iface);
	kfree(q);
	return ret;
}
