// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The driver's choice of a DMA channel per NUMA node
 * (driver/linux/omx_dma_pick.h, docs/dma.md "Which channel") on
 * topologies our one-node guests cannot have: two and four nodes,
 * channels on some nodes only, channels of unknown node.
 */
#include "omx_test.h"
#include "omx_dma_pick.h"

#define NO OMX_DMA_PICK_NO_NODE

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

static const struct pick_case {
	const char *what;
	omx_dma_distance_fn distance;
	unsigned int nr;
	int chan_node[2];
	int node;		/* the copying CPU's */
	unsigned int want;	/* index into chan_node */
} cases[] = {
	{ "a channel on each of 2 nodes", two, 2, { 0, 1 }, 0, 0 },
	{ "a channel on each of 2 nodes", two, 2, { 0, 1 }, 1, 1 },
	{ "one channel, on node 1: node 0 falls back to it", two, 1, { 1 }, 0, 0 },
	{ "one channel, on node 1: its own node", two, 1, { 1 }, 1, 0 },
	{ "a known node beats an unknown one (local)", two, 2, { NO, 1 }, 1, 1 },
	{ "a known node beats an unknown one (remote)", two, 2, { NO, 1 }, 0, 1 },
	{ "only unknown nodes (our guests' engine): the first", two, 2, { NO, NO }, 0, 0 },
	{ "only unknown nodes, another CPU node: the first", two, 2, { NO, NO }, 3, 0 },
	{ "the CPU's node unknown: the first channel", two, 2, { 0, 1 }, NO, 0 },
	{ "ring, channels on 2 and 0: node 0 has its own", ring4, 2, { 2, 0 }, 0, 1 },
	{ "ring, channels on 2 and 0: node 1, tie at 20, the first", ring4, 2, { 2, 0 }, 1, 0 },
	{ "ring, channels on 2 and 0: node 2 has its own", ring4, 2, { 2, 0 }, 2, 0 },
	{ "ring, channels on 2 and 0: node 3, tie at 20, the first", ring4, 2, { 2, 0 }, 3, 0 },
	{ "ring, channels on 2 and 1: node 0, the nearer, not the first", ring4, 2, { 2, 1 }, 0, 1 },
	{ "ring, channels on 2 and 1: node 3, the nearer", ring4, 2, { 2, 1 }, 3, 0 },
	{ "two channels on one node: the first", two, 2, { 1, 1 }, 1, 0 },
	{ "two channels on the other node: the first", two, 2, { 1, 1 }, 0, 0 },
};

int main(void)
{
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pick_case *c = &cases[i];

		check_context("%s (node %d)", c->what, c->node);
		CHECK_EQ(omx_dma_pick(c->node, c->chan_node, c->nr, c->distance), c->want);
	}
	return omx_test_exit();
}
