// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The driver's choice of a DMA channel per NUMA node
 * (driver/linux/omx_dma_pick.h, docs/dma.md "Which channel") on
 * topologies our one-node guests cannot have: two and four sockets,
 * channels on some nodes only, channels of unknown node.
 */
#include "omx_test.h"
#include "omx_dma_pick.h"

/* 4 nodes in a ring: 10 local, 20 to a neighbour, 30 across */
static int ring4(int a, int b)
{
	int d = a > b ? a - b : b - a;

	if (d == 3)
		d = 1;
	return 10 + 10 * d;
}

/* 2 nodes, SLIT style: 10 local, 21 remote */
static int two(int a, int b)
{
	return a == b ? 10 : 21;
}

int main(void)
{
	const int one_per_node[] = { 0, 1 };
	const int only_node1[] = { 1 };
	const int unknown_first[] = { OMX_DMA_PICK_NO_NODE, 1 };
	const int all_unknown[] = { OMX_DMA_PICK_NO_NODE, OMX_DMA_PICK_NO_NODE };
	const int ring_chans[] = { 2, 0 };
	const int far_first[] = { 2, 1 };
	const int same_node[] = { 1, 1 };

	check_context("a channel on each of 2 nodes");
	CHECK_EQ(omx_dma_pick(0, one_per_node, 2, two), 0);
	CHECK_EQ(omx_dma_pick(1, one_per_node, 2, two), 1);

	check_context("one channel, on node 1: node 0 falls back to it");
	CHECK_EQ(omx_dma_pick(0, only_node1, 1, two), 0);
	CHECK_EQ(omx_dma_pick(1, only_node1, 1, two), 0);

	check_context("a known node beats an unknown one, for any node");
	CHECK_EQ(omx_dma_pick(1, unknown_first, 2, two), 1);
	CHECK_EQ(omx_dma_pick(0, unknown_first, 2, two), 1);

	check_context("only unknown nodes (our guests' test engine): the first");
	CHECK_EQ(omx_dma_pick(0, all_unknown, 2, two), 0);
	CHECK_EQ(omx_dma_pick(3, all_unknown, 2, two), 0);

	check_context("the CPU's node unknown: the first channel");
	CHECK_EQ(omx_dma_pick(OMX_DMA_PICK_NO_NODE, one_per_node, 2, two), 0);

	check_context("4-node ring, channels on nodes 2 and 0: the nearer");
	CHECK_EQ(omx_dma_pick(0, ring_chans, 2, ring4), 1);
	CHECK_EQ(omx_dma_pick(1, ring_chans, 2, ring4), 0);	/* tie at 20: taken first */
	CHECK_EQ(omx_dma_pick(2, ring_chans, 2, ring4), 0);
	CHECK_EQ(omx_dma_pick(3, ring_chans, 2, ring4), 0);	/* 3-0 and 3-2 neighbours: tie */

	check_context("4-node ring, channels on nodes 2 and 1: not the first, the nearer");
	CHECK_EQ(omx_dma_pick(0, far_first, 2, ring4), 1);	/* 0-1: 20, 0-2: 30 */
	CHECK_EQ(omx_dma_pick(3, far_first, 2, ring4), 0);	/* 3-2: 20, 3-1: 30 */

	check_context("two channels on one node: the first");
	CHECK_EQ(omx_dma_pick(1, same_node, 2, two), 0);
	CHECK_EQ(omx_dma_pick(0, same_node, 2, two), 0);
	return omx_test_exit();
}
