// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx DMA offload: PULL_REPLY payloads copied into the puller's pinned
 * pages by a dmaengine DMA_MEMCPY channel.
 *
 * A copy (struct omx_dma_frame) holds references on the endpoint (so
 * that its pull table stays), on the region (so that its pages stay
 * pinned until the engine wrote them: nothing is written after unpin)
 * and on the skb (the source).  It is split into chunks that cross no
 * page of either side, one descriptor each; a chunk the engine failed
 * is copied by the CPU from its callback.  When the last chunk is done,
 * omx_pull_copy_done() tells the pull, which ends only when none of its
 * copies is outstanding.  omx_dma_inflight counts the copies: module
 * exit waits for them before releasing the channel.  What went to the
 * channel and what the CPU copied instead is counted on the endpoint's
 * board (the dma_* counters of omx_abi.h), which the endpoint's
 * reference keeps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/wait_bit.h>

#include "omx_dma.h"
#include "omx_dma_pick.h"
#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_pull.h"
#include "omx_region.h"

static bool omx_dma_enable;
module_param_named(dma, omx_dma_enable, bool, 0444);
MODULE_PARM_DESC(dma, "Copy received large-message data with a DMA_MEMCPY dmaengine channel (default 0)");

static unsigned int omx_dma_min_frame = 1024;
module_param_named(dma_min_frame, omx_dma_min_frame, uint, 0644);
MODULE_PARM_DESC(dma_min_frame, "Smallest PULL_REPLY payload given to the DMA channel (bytes, default 1024)");

static unsigned int omx_dma_min_pull = 65536;
module_param_named(dma_min_pull, omx_dma_min_pull, uint, 0644);
MODULE_PARM_DESC(dma_min_pull, "Smallest pull whose replies go to the DMA channel (bytes, default 65536)");

/*
 * Chunks of one frame: a jumbo payload crosses 3 or 4 pages on each
 * side, but a region of tiny segments cuts it finer; beyond this the
 * CPU copies the rest (a fallback).
 */
#define OMX_DMA_CHUNKS_MAX	64

/**
 * struct omx_dma_chan - a channel omx holds
 * @chan: the dmaengine channel
 * @dev: what maps for it (chan->dev is gone once its device unbinds)
 * @node: its device's NUMA node, NUMA_NO_NODE if unknown
 * @name: dma_chan_name() at load, for the log and dma_channel
 */
struct omx_dma_chan {
	struct dma_chan *chan;
	struct device *dev;
	int node;
	char name[32];
};

/*
 * Taken at load: a channel on each online node that has one, else one
 * of any node; omx_dma_node_chan[] gives, for every possible node, the
 * index of the channel its receive copies use (omx_dma_pick()).
 */
static struct omx_dma_chan *omx_dma_chans;
static unsigned int omx_dma_nr_chans;
static unsigned int *omx_dma_node_chan;
static atomic_t omx_dma_inflight = ATOMIC_INIT(0);

/* "node0:dma0chan0,node1:dma1chan0": each online node's channel */
static int omx_dma_channel_get(char *buf, const struct kernel_param *kp)
{
	int node, n = 0;

	if (!omx_dma_nr_chans)
		return sysfs_emit(buf, "none\n");
	for_each_online_node(node) {
		if (n > PAGE_SIZE - 64)
			break;
		n += sysfs_emit_at(buf, n, "%snode%d:%s", n ? "," : "", node,
				   omx_dma_chans[omx_dma_node_chan[node]].name);
	}
	return n + sysfs_emit_at(buf, n, "\n");
}

static const struct kernel_param_ops omx_dma_channel_ops = {
	.get = omx_dma_channel_get,
};
module_param_cb(dma_channel, &omx_dma_channel_ops, NULL, 0444);
MODULE_PARM_DESC(dma_channel, "The DMA channel each online NUMA node uses, nodeN:dmaXchanY,... (read-only; none without one)");

/* The channel for a copy started on this CPU. */
static struct omx_dma_chan *omx_dma_chan_here(void)
{
	return &omx_dma_chans[omx_dma_node_chan[numa_node_id()]];
}

struct omx_dma_frame;

/**
 * struct omx_dma_chunk - one descriptor of a frame
 * @frame: the frame
 * @src: DMA address of the source (skb)
 * @dst: DMA address of the destination (region page)
 * @region_offset: where in the region, for the CPU fallback
 * @skb_offset: where in the skb, for the CPU fallback
 * @len: bytes
 */
struct omx_dma_chunk {
	struct omx_dma_frame *frame;
	dma_addr_t src;
	dma_addr_t dst;
	u64 region_offset;
	int skb_offset;
	unsigned int len;
};

/**
 * struct omx_dma_frame - the asynchronous copy of one PULL_REPLY payload
 * @dc: the channel
 * @ep: the pulling endpoint (a reference)
 * @region: its region (a reference: the pages stay pinned)
 * @skb: the frame (a reference)
 * @pull_index: the pull's slot
 * @pull_gen: the pull's generation, in case the slot was reused
 * @len: payload bytes
 * @remaining: chunks not completed, plus one while submitting
 * @fallbacks: chunks the CPU copied
 * @nr_chunks: entries of @chunks
 * @chunks: the descriptors
 */
struct omx_dma_frame {
	struct omx_dma_chan *dc;
	struct omx_endpoint *ep;
	struct omx_region *region;
	struct sk_buff *skb;
	u32 pull_index;
	u32 pull_gen;
	unsigned int len;
	atomic_t remaining;
	atomic_t fallbacks;
	unsigned int nr_chunks;
	struct omx_dma_chunk chunks[];
};

bool omx_dma_wanted(struct omx_iface *iface, unsigned int len, u32 pull_len)
{
	if (!omx_dma_enable || len < READ_ONCE(omx_dma_min_frame) ||
	    pull_len < READ_ONCE(omx_dma_min_pull))
		return false;
	if (!omx_dma_nr_chans) {
		omx_iface_count(iface, OMX_COUNTER_DMA_FALLBACKS, 1);
		omx_iface_count(iface, OMX_COUNTER_DMA_FALLBACK_NO_CHANNEL, 1);
		return false;
	}
	return true;
}

static void omx_dma_frame_done(struct omx_dma_frame *f)
{
	/* @f->ep's reference keeps its board and counters */
	struct omx_iface *iface = f->ep->iface;

	if (atomic_read(&f->fallbacks))
		omx_iface_count(iface, OMX_COUNTER_DMA_FALLBACKS, 1);
	else
		omx_iface_count(iface, OMX_COUNTER_DMA_COPIES, 1);
	omx_pull_copy_done(f->ep, f->pull_index, f->pull_gen);
	consume_skb(f->skb);
	omx_region_put(f->region);
	omx_endpoint_put(f->ep);
	kfree(f);
	if (atomic_dec_and_test(&omx_dma_inflight))
		wake_up_var(&omx_dma_inflight);
}

static void omx_dma_unmap(const struct omx_dma_chunk *c)
{
	struct device *dev = c->frame->dc->dev;

	dma_unmap_page(dev, c->src, c->len, DMA_TO_DEVICE);
	dma_unmap_page(dev, c->dst, c->len, DMA_FROM_DEVICE);
}

/* The channel's completion context (BH disabled). */
static void omx_dma_chunk_done(void *arg, const struct dmaengine_result *res)
{
	struct omx_dma_chunk *c = arg;
	struct omx_dma_frame *f = c->frame;

	omx_dma_unmap(c);
	if (res->result != DMA_TRANS_NOERROR) {
		omx_region_write(f->region, c->region_offset, f->skb,
				 c->skb_offset, c->len);
		atomic_inc(&f->fallbacks);
		omx_iface_count(f->ep->iface, OMX_COUNTER_DMA_FALLBACK_FAILED, 1);
	} else {
		omx_iface_count(f->ep->iface, OMX_COUNTER_DMA_BYTES, c->len);
	}
	if (atomic_dec_and_test(&f->remaining))
		omx_dma_frame_done(f);
}

/* The page, offset and contiguous bytes of @skb's byte at @off. */
static struct page *omx_dma_skb_page(const struct sk_buff *skb, int off,
				     unsigned int *poff, unsigned int *avail)
{
	unsigned int head = skb_headlen(skb);
	int i;

	if (off < head) {
		void *p = skb->data + off;

		*poff = offset_in_page(p);
		*avail = min_t(unsigned int, head - off, PAGE_SIZE - *poff);
		return virt_to_page(p);
	}
	off -= head;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		unsigned int size = skb_frag_size(frag);

		if (off < size) {
			unsigned int pos = skb_frag_off(frag) + off;

			*poff = pos & ~PAGE_MASK;
			*avail = min_t(unsigned int, size - off, PAGE_SIZE - *poff);
			return nth_page(skb_frag_page(frag), pos >> PAGE_SHIFT);
		}
		off -= size;
	}
	/* on the frag list: left to the CPU */
	return NULL;
}

/* Map and submit chunk @c of @f; false if the channel would not take it. */
static bool omx_dma_submit_chunk(struct omx_dma_frame *f, struct omx_dma_chunk *c,
				 struct page *sp, unsigned int spo,
				 struct page *dp, unsigned int dpo)
{
	struct dma_async_tx_descriptor *tx;
	struct dma_chan *chan = f->dc->chan;
	struct device *dev = f->dc->dev;

	if (!is_dma_copy_aligned(chan->device, spo, dpo, c->len))
		return false;
	c->frame = f;
	c->src = dma_map_page(dev, sp, spo, c->len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, c->src))
		return false;
	c->dst = dma_map_page(dev, dp, dpo, c->len, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, c->dst)) {
		dma_unmap_page(dev, c->src, c->len, DMA_TO_DEVICE);
		return false;
	}
	tx = dmaengine_prep_dma_memcpy(chan, c->dst, c->src, c->len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx)
		goto unmap;
	tx->callback_result = omx_dma_chunk_done;
	tx->callback_param = c;
	atomic_inc(&f->remaining);
	if (dma_submit_error(dmaengine_submit(tx))) {
		atomic_dec(&f->remaining);
		goto unmap;
	}
	return true;
unmap:
	omx_dma_unmap(c);
	return false;
}

/* How many chunks @len bytes from @skb to @region take, at most the max. */
static unsigned int omx_dma_count_chunks(struct omx_region *region, u64 offset,
					 const struct sk_buff *skb, int skb_offset,
					 unsigned int len)
{
	unsigned int done = 0, n = 0;

	while (done < len && n < OMX_DMA_CHUNKS_MAX) {
		unsigned int spo, savail, dpo, davail;

		if (!omx_dma_skb_page(skb, skb_offset + done, &spo, &savail))
			break;
		omx_region_page(region, offset + done, &dpo, &davail);
		done += min3(len - done, savail, davail);
		n++;
	}
	return n;
}

void omx_dma_copy_reply(struct omx_endpoint *ep, struct omx_region *region,
			u64 offset, const struct sk_buff *skb, int skb_offset,
			unsigned int len, u32 pull_index, u32 pull_gen)
{
	unsigned int done = 0, n = 0, max;
	struct omx_dma_frame *f;

	max = omx_dma_count_chunks(region, offset, skb, skb_offset, len);
	f = max ? kzalloc(struct_size(f, chunks, max), GFP_ATOMIC) : NULL;
	if (!f) {
		omx_region_write(region, offset, skb, skb_offset, len);
		omx_iface_count(ep->iface, OMX_COUNTER_DMA_FALLBACKS, 1);
		omx_iface_count(ep->iface, max ? OMX_COUNTER_DMA_FALLBACK_NO_MEMORY :
				OMX_COUNTER_DMA_FALLBACK_UNSPLIT, 1);
		omx_pull_copy_done(ep, pull_index, pull_gen);
		omx_region_put(region);
		omx_endpoint_put(ep);
		return;
	}
	f->dc = omx_dma_chan_here();
	f->ep = ep;
	f->region = region;
	/* the receive path's skb is not ours to keep: a reference of our own */
	f->skb = skb_get((struct sk_buff *)skb);
	f->pull_index = pull_index;
	f->pull_gen = pull_gen;
	f->len = len;
	f->nr_chunks = max;
	atomic_set(&f->remaining, 1);
	atomic_inc(&omx_dma_inflight);

	while (done < len && n < f->nr_chunks) {
		struct omx_dma_chunk *c = &f->chunks[n];
		unsigned int spo, savail, dpo, davail;
		struct page *sp, *dp;

		sp = omx_dma_skb_page(skb, skb_offset + done, &spo, &savail);
		if (!sp)
			break;
		dp = omx_region_page(region, offset + done, &dpo, &davail);
		c->len = min3(len - done, savail, davail);
		c->region_offset = offset + done;
		c->skb_offset = skb_offset + done;
		if (!omx_dma_submit_chunk(f, c, sp, spo, dp, dpo)) {
			omx_iface_count(ep->iface, OMX_COUNTER_DMA_FALLBACK_REFUSED, 1);
			break;
		}
		done += c->len;
		n++;
	}
	if (n)
		dma_async_issue_pending(f->dc->chan);
	if (done < len) {
		if (n == f->nr_chunks)
			omx_iface_count(ep->iface, OMX_COUNTER_DMA_FALLBACK_UNSPLIT, 1);
		/* what the channel did not take: the CPU, now */
		omx_region_write(region, offset + done, skb, skb_offset + done,
				 len - done);
		atomic_inc(&f->fallbacks);
	}
	if (atomic_dec_and_test(&f->remaining))
		omx_dma_frame_done(f);
}

/* dma_filter_fn: a channel whose device is on node *@param */
static bool omx_dma_on_node(struct dma_chan *chan, void *param)
{
	return dev_to_node(chan->device->dev) == *(int *)param;
}

static void omx_dma_hold(struct omx_dma_chan *dc, struct dma_chan *chan)
{
	dc->chan = chan;
	dc->dev = dmaengine_get_dma_device(chan);
	dc->node = dev_to_node(chan->device->dev);
	strscpy(dc->name, dma_chan_name(chan), sizeof(dc->name));
}

static int omx_dma_distance(int a, int b)
{
	return node_distance(a, b);
}

/*
 * One channel per online node that has one on it; without any, one
 * channel of whatever node.  Then each node's choice: its own, else the
 * nearest (omx_dma_pick()).  Never fails: without a channel the CPU
 * copies.
 */
int omx_dma_init(void)
{
	/* at most one per online node, or the one of any node */
	unsigned int i, nr = 0, max = num_online_nodes() + 1;
	struct omx_dma_chan *chans;
	unsigned int *node_chan;
	struct dma_chan *chan;
	dma_cap_mask_t mask;
	int *nodes, node;

	BUILD_BUG_ON(OMX_DMA_PICK_NO_NODE != NUMA_NO_NODE);
	if (!omx_dma_enable)
		return 0;
	chans = kcalloc(max, sizeof(*chans), GFP_KERNEL);
	node_chan = kcalloc(nr_node_ids, sizeof(*node_chan), GFP_KERNEL);
	nodes = kcalloc(max, sizeof(*nodes), GFP_KERNEL);
	if (!chans || !node_chan || !nodes) {
		pr_warn("dma=1 but no memory for the channel table: receive copies stay on the CPU, counted in dma_fallback_no_channel\n");
		goto out;
	}
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	for_each_online_node(node) {
		/* a node that came online since the count: left to omx_dma_pick() */
		if (nr == max - 1)
			break;
		chan = dma_request_channel(mask, omx_dma_on_node, &node);
		if (chan)
			omx_dma_hold(&chans[nr++], chan);
	}
	if (!nr) {
		chan = dma_request_chan_by_mask(&mask);
		if (IS_ERR(chan)) {
			pr_info("dma=1 but no DMA_MEMCPY channel (error %ld): receive copies stay on the CPU, counted in dma_fallback_no_channel\n",
				PTR_ERR(chan));
			goto out;
		}
		omx_dma_hold(&chans[nr++], chan);
	}
	for (i = 0; i < nr; i++)
		nodes[i] = chans[i].node;
	for_each_online_node(node) {
		struct omx_dma_chan *dc;

		node_chan[node] = omx_dma_pick(node, nodes, nr, omx_dma_distance);
		dc = &chans[node_chan[node]];
		pr_info("node %d: receive copies of pulls of %u bytes and more, frames of %u and more, go to %s (%s, on node %d%s)\n",
			node, omx_dma_min_pull, omx_dma_min_frame, dc->name,
			dev_name(dc->chan->device->dev), dc->node,
			dc->node == node ? ": local" : "");
	}
	/* a reader of dma_channel holds the parameter lock */
	kernel_param_lock(THIS_MODULE);
	omx_dma_chans = chans;
	omx_dma_node_chan = node_chan;
	omx_dma_nr_chans = nr;
	kernel_param_unlock(THIS_MODULE);
	chans = NULL;
	node_chan = NULL;
out:
	kfree(nodes);
	kfree(node_chan);
	kfree(chans);
	return 0;
}

void omx_dma_exit(void)
{
	struct omx_dma_chan *chans;
	unsigned int i, nr;

	wait_var_event(&omx_dma_inflight, !atomic_read(&omx_dma_inflight));
	/* a reader of dma_channel holds the parameter lock */
	kernel_param_lock(THIS_MODULE);
	chans = omx_dma_chans;
	nr = omx_dma_nr_chans;
	omx_dma_chans = NULL;
	omx_dma_nr_chans = 0;
	kfree(omx_dma_node_chan);
	omx_dma_node_chan = NULL;
	kernel_param_unlock(THIS_MODULE);
	for (i = 0; i < nr; i++) {
		/* no callback of ours runs any more once this returns */
		dmaengine_synchronize(chans[i].chan);
		dma_release_channel(chans[i].chan);
	}
	kfree(chans);
}
