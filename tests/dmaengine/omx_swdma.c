// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_swdma: a software DMA engine for tests, never for production.
 *
 * It registers one dmaengine device with DMA_MEMCPY channels whose copies
 * are done by the CPU in a workqueue, so that the asynchronous path of a
 * dmaengine client (omx's receive-copy offload) runs for real on machines
 * and guests without I/OAT, DSA or PTDMA.  Module parameters delay,
 * reorder and fail completions; sysfs attributes of the platform device
 * count what happened.  See tests/dmaengine/README.md.
 *
 * Lifetime: every channel a client holds pins this module (the dmaengine
 * core takes a module reference per channel reference), so rmmod is
 * refused with "in use" until the clients release their channels.
 * Unbinding the platform device (hot-unplug) is allowed while channels
 * are held: queued descriptors complete with DMA_TRANS_ABORTED, new ones
 * cannot be prepared, and the memory is freed by device_release once the
 * last client let go.
 *
 * DMA addresses are taken as physical addresses: true for dma-direct
 * without an IOMMU or memory encryption (our guests, where the module
 * refuses to bind behind an IOMMU).
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define SWDMA_NAME		"omx_swdma"
#define SWDMA_MAX_CHANNELS	16
/* how many failed cookies per channel tx_status can still report */
#define SWDMA_FAILED_COOKIES	64

static unsigned int channels = 2;
module_param(channels, uint, 0444);
MODULE_PARM_DESC(channels, "Number of DMA_MEMCPY channels (1-16, default 2)");

static int node = NUMA_NO_NODE;
module_param(node, int, 0444);
MODULE_PARM_DESC(node, "NUMA node of the engine's device, as clients see it with dev_to_node() (default -1: unknown)");

static unsigned int delay_us;
module_param(delay_us, uint, 0644);
MODULE_PARM_DESC(delay_us, "Microseconds the engine waits before each batch of copies (default 0)");

static unsigned int reorder;
module_param(reorder, uint, 0644);
MODULE_PARM_DESC(reorder, "When above 1, take up to this many issued descriptors at a time and complete them newest first (default 0: in order)");

static unsigned int fail_every;
module_param(fail_every, uint, 0644);
MODULE_PARM_DESC(fail_every, "When N is not 0, every Nth descriptor is not copied and completes with DMA_TRANS_WRITE_FAILED (default 0)");

/**
 * struct swdma_desc - one memcpy descriptor
 * @txd: what the client sees; freed after its callback returned
 * @node: on one of its channel's lists once submitted
 * @dst: destination DMA (physical) address
 * @src: source DMA (physical) address
 * @len: bytes to copy
 */
struct swdma_desc {
	struct dma_async_tx_descriptor txd;
	struct list_head node;
	dma_addr_t dst;
	dma_addr_t src;
	size_t len;
};

/**
 * struct swdma_chan - one channel
 * @chan: the dmaengine channel
 * @lock: protects the lists, the cookies of @chan, @failed and @dead
 * @submitted: descriptors submitted and not issued yet
 * @issued: descriptors issued, waiting for @work
 * @active: descriptors @work took and has not completed yet
 * @work: copies and completes the issued descriptors
 * @failed: ring of the last cookies that completed with an error
 * @failed_next: next slot of @failed
 * @dead: the device was unbound: nothing new is prepared, everything
 *	still queued is aborted
 *
 * A descriptor is in progress while it is on one of the three lists;
 * tx_status looks for it there, then in @failed.
 */
struct swdma_chan {
	struct dma_chan chan;
	spinlock_t lock; /* the lists, cookies, @failed, @dead */
	struct list_head submitted;
	struct list_head issued;
	struct list_head active;
	struct work_struct work;
	dma_cookie_t failed[SWDMA_FAILED_COOKIES];
	unsigned int failed_next;
	bool dead;
};

/**
 * struct swdma_dev - the engine
 * @dma: the dmaengine device; freed by its device_release
 * @wq: runs the channels' work
 * @seq: descriptors processed, for @fail_every
 * @submitted: descriptors submitted
 * @completed: descriptors copied and completed without error
 * @bytes: bytes copied by @completed
 * @failed: descriptors completed with an error (injected or bad address)
 * @aborted: descriptors completed as aborted because the device went away
 * @terminated: descriptors dropped by terminate_all, without callback
 * @reordered: descriptors completed before an older one of their channel
 * @retired: on swdma_retired once released
 * @nr_chans: number of entries of @chans
 * @chans: the channels
 */
struct swdma_dev {
	struct dma_device dma;
	struct workqueue_struct *wq;
	atomic_t seq;
	atomic64_t submitted;
	atomic64_t completed;
	atomic64_t bytes;
	atomic64_t failed;
	atomic64_t aborted;
	atomic64_t terminated;
	atomic64_t reordered;
	struct list_head retired;
	unsigned int nr_chans;
	struct swdma_chan chans[];
};

static struct swdma_chan *to_swdma_chan(struct dma_chan *chan)
{
	return container_of(chan, struct swdma_chan, chan);
}

static struct swdma_dev *to_swdma_dev(struct dma_device *dma)
{
	return container_of(dma, struct swdma_dev, dma);
}

static struct swdma_desc *to_swdma_desc(struct dma_async_tx_descriptor *txd)
{
	return container_of(txd, struct swdma_desc, txd);
}

/* Copy through the kernel mapping of each page (DMA address == physical). */
static int swdma_copy(dma_addr_t dst, dma_addr_t src, size_t len)
{
	while (len) {
		phys_addr_t s = (phys_addr_t)src, d = (phys_addr_t)dst;
		size_t soff = offset_in_page(s), doff = offset_in_page(d);
		size_t chunk = min3(len, PAGE_SIZE - soff, PAGE_SIZE - doff);
		void *sva, *dva;

		if (!pfn_valid(PHYS_PFN(s)) || !pfn_valid(PHYS_PFN(d)))
			return -EFAULT;
		sva = kmap_local_page(pfn_to_page(PHYS_PFN(s)));
		dva = kmap_local_page(pfn_to_page(PHYS_PFN(d)));
		memcpy(dva + doff, sva + soff, chunk);
		kunmap_local(dva);
		kunmap_local(sva);
		src += chunk;
		dst += chunk;
		len -= chunk;
	}
	return 0;
}

static bool swdma_on_list(struct list_head *list, dma_cookie_t cookie,
			  size_t *residue)
{
	struct swdma_desc *d;

	list_for_each_entry(d, list, node) {
		if (d->txd.cookie == cookie) {
			*residue = d->len;
			return true;
		}
	}
	return false;
}

static void swdma_record_failed(struct swdma_chan *sc, dma_cookie_t cookie)
{
	sc->failed[sc->failed_next] = cookie;
	sc->failed_next = (sc->failed_next + 1) % SWDMA_FAILED_COOKIES;
}

/* Run the client's callback as a hardware engine's tasklet would: in BH. */
static void swdma_callback(struct dma_async_tx_descriptor *txd,
			   const struct dmaengine_result *res)
{
	local_bh_disable();
	if (txd->callback_result)
		txd->callback_result(txd->callback_param, res);
	else if (txd->callback)
		txd->callback(txd->callback_param);
	local_bh_enable();
}

/* Copy (or fail, or abort) one descriptor of @sc->active and complete it. */
static void swdma_complete(struct swdma_chan *sc, struct swdma_desc *d,
			   bool dead)
{
	struct swdma_dev *sd = to_swdma_dev(sc->chan.device);
	struct dmaengine_result res = {
		.result = DMA_TRANS_NOERROR,
		.residue = 0,
	};
	unsigned int every = READ_ONCE(fail_every);
	unsigned int seq = atomic_inc_return(&sd->seq);

	if (dead) {
		res.result = DMA_TRANS_ABORTED;
		atomic64_inc(&sd->aborted);
	} else if (every && seq % every == 0) {
		res.result = DMA_TRANS_WRITE_FAILED;
		atomic64_inc(&sd->failed);
	} else if (swdma_copy(d->dst, d->src, d->len)) {
		dev_warn_ratelimited(sd->dma.dev,
				     "channel %d: cookie %d: address %pad or %pad has no page\n",
				     sc->chan.chan_id, d->txd.cookie,
				     &d->src, &d->dst);
		res.result = DMA_TRANS_READ_FAILED;
		atomic64_inc(&sd->failed);
	} else {
		atomic64_inc(&sd->completed);
		atomic64_add(d->len, &sd->bytes);
	}
	if (res.result != DMA_TRANS_NOERROR)
		res.residue = d->len;

	spin_lock_bh(&sc->lock);
	list_del(&d->node);
	if (res.result != DMA_TRANS_NOERROR)
		swdma_record_failed(sc, d->txd.cookie);
	/* the newest completed cookie, for dma_tx_state's @last */
	if (d->txd.cookie > sc->chan.completed_cookie ||
	    sc->chan.completed_cookie - d->txd.cookie > INT_MAX / 2)
		sc->chan.completed_cookie = d->txd.cookie;
	spin_unlock_bh(&sc->lock);

	dma_descriptor_unmap(&d->txd);
	swdma_callback(&d->txd, &res);
	kfree(d);
}

static void swdma_work(struct work_struct *work)
{
	struct swdma_chan *sc = container_of(work, struct swdma_chan, work);
	struct swdma_dev *sd = to_swdma_dev(sc->chan.device);

	for (;;) {
		unsigned int max = max(READ_ONCE(reorder), 1U);
		unsigned int delay = READ_ONCE(delay_us);
		struct swdma_desc *d;
		unsigned int n = 0;
		bool dead;

		spin_lock_bh(&sc->lock);
		n = list_empty(&sc->issued) ? 0 : 1;
		dead = sc->dead;
		spin_unlock_bh(&sc->lock);
		if (!n)
			return;
		/* sleep first: what is issued meanwhile joins the batch */
		if (delay && !dead)
			fsleep(delay);
		n = 0;
		spin_lock_bh(&sc->lock);
		while (n < max && !list_empty(&sc->issued)) {
			list_move_tail(sc->issued.next, &sc->active);
			n++;
		}
		dead = sc->dead;
		spin_unlock_bh(&sc->lock);
		if (n > 1 && !dead)
			atomic64_add(n - 1, &sd->reordered);
		/*
		 * Only this work removes entries from @active, so walking it
		 * from the tail without the lock is safe; newest first.
		 */
		while (n--) {
			spin_lock_bh(&sc->lock);
			d = list_last_entry(&sc->active, struct swdma_desc, node);
			spin_unlock_bh(&sc->lock);
			swdma_complete(sc, d, dead);
		}
	}
}

static dma_cookie_t swdma_tx_submit(struct dma_async_tx_descriptor *txd)
{
	struct swdma_chan *sc = to_swdma_chan(txd->chan);
	struct swdma_dev *sd = to_swdma_dev(sc->chan.device);
	struct swdma_desc *d = to_swdma_desc(txd);
	dma_cookie_t cookie;
	unsigned long flags;
	bool dead;

	spin_lock_irqsave(&sc->lock, flags);
	cookie = sc->chan.cookie + 1;
	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	sc->chan.cookie = cookie;
	txd->cookie = cookie;
	dead = sc->dead;
	/* on a dead channel, straight to the work, which aborts it */
	list_add_tail(&d->node, dead ? &sc->issued : &sc->submitted);
	spin_unlock_irqrestore(&sc->lock, flags);
	atomic64_inc(&sd->submitted);
	if (dead)
		queue_work(sd->wq, &sc->work);
	return cookie;
}

static struct dma_async_tx_descriptor *
swdma_prep_memcpy(struct dma_chan *chan, dma_addr_t dst, dma_addr_t src,
		  size_t len, unsigned long flags)
{
	struct swdma_chan *sc = to_swdma_chan(chan);
	struct swdma_desc *d;

	if (READ_ONCE(sc->dead) || !len)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	dma_async_tx_descriptor_init(&d->txd, chan);
	d->txd.tx_submit = swdma_tx_submit;
	d->txd.flags = flags;
	d->dst = dst;
	d->src = src;
	d->len = len;
	INIT_LIST_HEAD(&d->node);
	return &d->txd;
}

static void swdma_issue_pending(struct dma_chan *chan)
{
	struct swdma_chan *sc = to_swdma_chan(chan);
	struct swdma_dev *sd = to_swdma_dev(chan->device);
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&sc->lock, flags);
	list_splice_tail_init(&sc->submitted, &sc->issued);
	any = !list_empty(&sc->issued);
	spin_unlock_irqrestore(&sc->lock, flags);
	if (any)
		queue_work(sd->wq, &sc->work);
}

static enum dma_status swdma_tx_status(struct dma_chan *chan,
				       dma_cookie_t cookie,
				       struct dma_tx_state *state)
{
	struct swdma_chan *sc = to_swdma_chan(chan);
	enum dma_status status = DMA_COMPLETE;
	dma_cookie_t last, used;
	unsigned long flags;
	size_t residue = 0;
	unsigned int i;

	spin_lock_irqsave(&sc->lock, flags);
	if (swdma_on_list(&sc->submitted, cookie, &residue) ||
	    swdma_on_list(&sc->issued, cookie, &residue) ||
	    swdma_on_list(&sc->active, cookie, &residue)) {
		status = DMA_IN_PROGRESS;
	} else {
		for (i = 0; i < SWDMA_FAILED_COOKIES; i++) {
			if (sc->failed[i] == cookie) {
				status = DMA_ERROR;
				break;
			}
		}
	}
	last = chan->completed_cookie;
	used = chan->cookie;
	spin_unlock_irqrestore(&sc->lock, flags);
	dma_set_tx_state(state, last, used, residue);
	return status;
}

/* Drop what is not issued or not taken by the work yet, without callbacks. */
static int swdma_terminate_all(struct dma_chan *chan)
{
	struct swdma_chan *sc = to_swdma_chan(chan);
	struct swdma_dev *sd = to_swdma_dev(chan->device);
	struct swdma_desc *d, *tmp;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&sc->lock, flags);
	list_splice_tail_init(&sc->submitted, &drop);
	list_splice_tail_init(&sc->issued, &drop);
	list_for_each_entry(d, &drop, node)
		swdma_record_failed(sc, d->txd.cookie);
	spin_unlock_irqrestore(&sc->lock, flags);

	list_for_each_entry_safe(d, tmp, &drop, node) {
		list_del(&d->node);
		dma_descriptor_unmap(&d->txd);
		kfree(d);
		atomic64_inc(&sd->terminated);
	}
	return 0;
}

/* After this, no callback of an earlier descriptor is running or will run. */
static void swdma_synchronize(struct dma_chan *chan)
{
	flush_work(&to_swdma_chan(chan)->work);
}

static int swdma_alloc_chan_resources(struct dma_chan *chan)
{
	return READ_ONCE(to_swdma_chan(chan)->dead) ? -ENODEV : 0;
}

static void swdma_free_chan_resources(struct dma_chan *chan)
{
	swdma_terminate_all(chan);
	swdma_synchronize(chan);
}

/*
 * Engines released by the dmaengine core, freed a little later.  Linux
 * 6.1's dma_release_channel() still reads the channel (chan->slave,
 * chan->dbg_client_name) after dma_chan_put() dropped what may be the
 * last reference of an unregistered device, i.e. after swdma_release()
 * ran: freeing the channels there is a use after free.
 */
static LIST_HEAD(swdma_retired);
static DEFINE_SPINLOCK(swdma_retired_lock);

static void swdma_reap(struct work_struct *work)
{
	struct swdma_dev *sd, *tmp;
	LIST_HEAD(list);

	spin_lock(&swdma_retired_lock);
	list_splice_init(&swdma_retired, &list);
	spin_unlock(&swdma_retired_lock);
	list_for_each_entry_safe(sd, tmp, &list, retired)
		kfree(sd);
}

static DECLARE_DELAYED_WORK(swdma_reaper, swdma_reap);

/* The dmaengine core calls this once the last reference went away. */
static void swdma_release(struct dma_device *dma)
{
	struct swdma_dev *sd = to_swdma_dev(dma);

	destroy_workqueue(sd->wq);
	dev_info(dma->dev, "released: %lld copies (%lld bytes), %lld failed, %lld aborted, %lld terminated\n",
		 atomic64_read(&sd->completed), atomic64_read(&sd->bytes),
		 atomic64_read(&sd->failed), atomic64_read(&sd->aborted),
		 atomic64_read(&sd->terminated));
	spin_lock(&swdma_retired_lock);
	list_add_tail(&sd->retired, &swdma_retired);
	spin_unlock(&swdma_retired_lock);
	schedule_delayed_work(&swdma_reaper, HZ);
}

static ssize_t swdma_emit(struct device *dev, char *buf, size_t offset)
{
	struct swdma_dev *sd = dev_get_drvdata(dev);
	atomic64_t *counter = (atomic64_t *)((char *)sd + offset);

	return sysfs_emit(buf, "%lld\n", atomic64_read(counter));
}

static ssize_t submitted_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, submitted));
}
static DEVICE_ATTR_RO(submitted);

static ssize_t completed_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, completed));
}
static DEVICE_ATTR_RO(completed);

static ssize_t bytes_show(struct device *dev,
			  struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, bytes));
}
static DEVICE_ATTR_RO(bytes);

static ssize_t failed_show(struct device *dev,
			   struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, failed));
}
static DEVICE_ATTR_RO(failed);

static ssize_t aborted_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, aborted));
}
static DEVICE_ATTR_RO(aborted);

static ssize_t terminated_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, terminated));
}
static DEVICE_ATTR_RO(terminated);

static ssize_t reordered_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return swdma_emit(dev, buf, offsetof(struct swdma_dev, reordered));
}
static DEVICE_ATTR_RO(reordered);

static ssize_t nr_channels_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct swdma_dev *sd = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", sd->nr_chans);
}
static DEVICE_ATTR_RO(nr_channels);

static struct attribute *swdma_attrs[] = {
	&dev_attr_submitted.attr,
	&dev_attr_completed.attr,
	&dev_attr_bytes.attr,
	&dev_attr_failed.attr,
	&dev_attr_aborted.attr,
	&dev_attr_terminated.attr,
	&dev_attr_reordered.attr,
	&dev_attr_nr_channels.attr,
	NULL,
};
ATTRIBUTE_GROUPS(swdma);

static void swdma_init_chan(struct swdma_dev *sd, struct swdma_chan *sc)
{
	spin_lock_init(&sc->lock);
	INIT_LIST_HEAD(&sc->submitted);
	INIT_LIST_HEAD(&sc->issued);
	INIT_LIST_HEAD(&sc->active);
	INIT_WORK(&sc->work, swdma_work);
	sc->chan.device = &sd->dma;
	sc->chan.cookie = DMA_MIN_COOKIE;
	sc->chan.completed_cookie = DMA_MIN_COOKIE;
	list_add_tail(&sc->chan.device_node, &sd->dma.channels);
}

static int swdma_probe(struct platform_device *pdev)
{
	unsigned int i, n = clamp(channels, 1U, (unsigned int)SWDMA_MAX_CHANNELS);
	struct dma_device *dma;
	struct swdma_dev *sd;
	int ret;

	if (device_iommu_mapped(&pdev->dev)) {
		dev_err(&pdev->dev, "behind an IOMMU DMA addresses are not physical: not binding\n");
		return -ENODEV;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	if (node != NUMA_NO_NODE) {
		if (node < 0 || node >= nr_node_ids || !node_online(node)) {
			dev_err(&pdev->dev, "node=%d is not an online NUMA node\n", node);
			return -EINVAL;
		}
		/* what a client choosing a channel near its CPU looks at */
		set_dev_node(&pdev->dev, node);
	}

	sd = kzalloc(struct_size(sd, chans, n), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->wq = alloc_workqueue(SWDMA_NAME, WQ_UNBOUND, 0);
	if (!sd->wq) {
		kfree(sd);
		return -ENOMEM;
	}
	sd->nr_chans = n;

	dma = &sd->dma;
	dma->dev = &pdev->dev;
	INIT_LIST_HEAD(&dma->channels);
	dma_cap_set(DMA_MEMCPY, dma->cap_mask);
	/* only for clients that ask for a channel, never async_tx's pool */
	dma_cap_set(DMA_PRIVATE, dma->cap_mask);
	dma->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dma->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;
	dma->device_alloc_chan_resources = swdma_alloc_chan_resources;
	dma->device_free_chan_resources = swdma_free_chan_resources;
	dma->device_prep_dma_memcpy = swdma_prep_memcpy;
	dma->device_issue_pending = swdma_issue_pending;
	dma->device_tx_status = swdma_tx_status;
	dma->device_terminate_all = swdma_terminate_all;
	dma->device_synchronize = swdma_synchronize;
	dma->device_release = swdma_release;
	for (i = 0; i < n; i++)
		swdma_init_chan(sd, &sd->chans[i]);

	ret = dma_async_device_register(dma);
	if (ret) {
		/* device_release is only called after a successful register */
		destroy_workqueue(sd->wq);
		kfree(sd);
		return ret;
	}
	platform_set_drvdata(pdev, sd);
	dev_info(&pdev->dev, "%u memcpy channel(s) on node %d, test engine: copies are done by the CPU\n",
		 n, dev_to_node(&pdev->dev));
	return 0;
}

static int swdma_remove(struct platform_device *pdev)
{
	struct swdma_dev *sd = platform_get_drvdata(pdev);
	unsigned int i, held = 0;

	for (i = 0; i < sd->nr_chans; i++) {
		struct swdma_chan *sc = &sd->chans[i];

		spin_lock_bh(&sc->lock);
		sc->dead = true;
		list_splice_tail_init(&sc->submitted, &sc->issued);
		spin_unlock_bh(&sc->lock);
		queue_work(sd->wq, &sc->work);
		held += sc->chan.client_count ? 1 : 0;
	}
	if (held)
		dev_info(&pdev->dev, "unbound with %u channel(s) still held: their queued copies are aborted\n",
			 held);
	/* frees @sd through swdma_release now, or when the last client let go */
	dma_async_device_unregister(&sd->dma);
	return 0;
}

static struct platform_driver swdma_driver = {
	.driver = {
		.name = SWDMA_NAME,
		.dev_groups = swdma_groups,
	},
	.probe = swdma_probe,
	.remove = swdma_remove,
};

static struct platform_device *swdma_pdev;

static int __init swdma_init(void)
{
	int ret;

	ret = platform_driver_register(&swdma_driver);
	if (ret)
		return ret;
	swdma_pdev = platform_device_register_simple(SWDMA_NAME,
						     PLATFORM_DEVID_NONE,
						     NULL, 0);
	if (IS_ERR(swdma_pdev)) {
		platform_driver_unregister(&swdma_driver);
		return PTR_ERR(swdma_pdev);
	}
	return 0;
}

static void __exit swdma_exit(void)
{
	platform_device_unregister(swdma_pdev);
	platform_driver_unregister(&swdma_driver);
	/* no client is left (each channel held pins the module) */
	cancel_delayed_work_sync(&swdma_reaper);
	swdma_reap(NULL);
}

module_init(swdma_init);
module_exit(swdma_exit);

MODULE_DESCRIPTION("omx test-only software DMA engine (DMA_MEMCPY by the CPU)");
MODULE_LICENSE("GPL");
