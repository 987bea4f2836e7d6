/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which of the DMA channels omx holds serves the receive copies made on
 * a NUMA node (docs/dma.md, "Which channel").  Plain C with no kernel
 * header, so that tests/unit/test_dma_pick.c runs it on the host with
 * made-up topologies.
 */
#ifndef OMX_DMA_PICK_H
#define OMX_DMA_PICK_H

/* a channel whose device's node is unknown (NUMA_NO_NODE) */
#define OMX_DMA_PICK_NO_NODE	(-1)

/* node_distance() in the kernel, a made-up table in the unit test */
typedef int (*omx_dma_distance_fn)(int a, int b);

/**
 * omx_dma_pick() - the channel for the copies made on node @node
 * @node: the node of the CPU that starts the copy
 * @chan_node: the node of each held channel's device, or
 *	OMX_DMA_PICK_NO_NODE
 * @nr: entries of @chan_node, at least 1
 * @distance: node_distance() in the kernel; called only with two
 *	known nodes
 *
 * A channel on @node itself; else the one at the smallest distance from
 * @node; else (only channels of unknown node) the first.  Ties go to the
 * lower index, i.e. the channel taken first.
 *
 * Return: an index below @nr.
 */
static inline unsigned int omx_dma_pick(int node, const int *chan_node,
					unsigned int nr,
					omx_dma_distance_fn distance)
{
	unsigned int i, best = 0;
	int best_dist = -1;

	for (i = 0; i < nr; i++) {
		int d;

		if (chan_node[i] == node)
			return i;
		if (chan_node[i] == OMX_DMA_PICK_NO_NODE ||
		    node == OMX_DMA_PICK_NO_NODE)
			continue;
		d = distance(node, chan_node[i]);
		if (best_dist < 0 || d < best_dist) {
			best = i;
			best_dist = d;
		}
	}
	return best;
}

#endif /* OMX_DMA_PICK_H */
