/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx DMA offload: the receive copy of PULL_REPLY payloads into the
 * puller's pinned pages done by a dmaengine DMA_MEMCPY channel (I/OAT,
 * DSA, PTDMA, or the test engine tests/dmaengine/omx_swdma) instead of
 * the CPU.  docs/module.md, "DMA offload".
 */
#ifndef OMX_DMA_H
#define OMX_DMA_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct omx_endpoint;
struct omx_iface;
struct omx_region;

/**
 * omx_dma_init() - take a DMA_MEMCPY channel if the ``dma`` parameter asks
 *
 * Module load, process context.  Having no channel is not an error: the
 * copies then stay on the CPU, and omx_dma_wanted() counts them as
 * fallbacks, so an administrator sees why offload does not happen.
 *
 * Return: 0 (the module loads with or without a channel).
 */
int omx_dma_init(void);

/**
 * omx_dma_exit() - wait for the copies in flight and release the channel
 *
 * Module unload, once the receive path stopped (no copy starts any more):
 * sleeps until every started copy completed, so that no completion of ours
 * runs after the module is gone.
 */
void omx_dma_exit(void);

/**
 * omx_dma_wanted() - whether a PULL_REPLY payload goes to the DMA channel
 * @iface: the board of the pulling endpoint, whose counters count
 * @len: payload bytes
 * @pull_len: length of the whole pull
 *
 * Return: true if the module has a channel, ``dma`` is set and @len and
 * @pull_len reach ``dma_min_frame`` and ``dma_min_pull``.  Counts a
 * fallback (dma_fallback_no_channel) on @iface when offload is on but
 * there is no channel.
 */
bool omx_dma_wanted(struct omx_iface *iface, unsigned int len, u32 pull_len);

/**
 * omx_dma_copy_reply() - copy a PULL_REPLY payload with the DMA channel
 * @ep: the pulling endpoint; the caller's reference passes to the copy
 * @region: the pull's region; the caller's reference passes to the copy
 * @offset: where in @region the payload goes
 * @skb: the frame; the copy takes a reference of its own
 * @skb_offset: offset of the payload from @skb->data
 * @len: payload length
 * @pull_index: the pull's slot in @ep's table
 * @pull_gen: the pull's generation
 *
 * Receive path, BH disabled, no pull table lock held (the last
 * completion may come at once).  Call only after omx_dma_wanted() said
 * yes.  Whatever the channel does not take or fails is copied by the CPU;
 * the dma_* counters of @ep's board say what went where.  Once all of
 * @len is in @region, omx_pull_copy_done() is called exactly once, from
 * the channel's completion context or from here, and the references are
 * dropped.
 */
void omx_dma_copy_reply(struct omx_endpoint *ep, struct omx_region *region,
			u64 offset, const struct sk_buff *skb, int skb_offset,
			unsigned int len, u32 pull_index, u32 pull_gen);

#endif /* OMX_DMA_H */
