/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx receive steering: which queue, IRQ and CPU serve each endpoint, what
 * steers frames there, and where they were really processed.
 */
#ifndef OMX_STEERING_H
#define OMX_STEERING_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "omx_abi.h"

struct omx_viewer;

struct omx_iface;

/* the name of the program of firmware-patch/xdp, as the kernel records it */
#define OMX_XDP_PROG_NAME	"omx_xdp_steer"

/*
 * A misplaced frame this recent (relative to the latest frame that was on
 * its hashed queue) means the NIC does not steer by endpoint.
 */
#define OMX_STEER_WINDOW_MS	10000

/* Per-CPU evidence of a board's steering (struct omx_iface.steer). */
struct omx_steer_pcpu {
	u64 hashed_at;		/* jiffies_64 of the last frame on its hashed queue, 0 never */
	u64 misplaced_at;	/* jiffies_64 of the last frame on another queue, 0 never */
};

/* Per-CPU receive counters of one endpoint (struct omx_endpoint.rx_stats). */
struct omx_endpoint_rx {
	u64 frames;
	u64 bytes;
};

/**
 * omx_steering_account() - account a wire frame the receive path used
 * @iface: the board it came in on
 * @skb: the frame, skb->data past the Ethernet header
 * @dst_endpoint: the endpoint the frame names (omx_wire_dst_endpoint()),
 *	-1 for a frame that names none
 *
 * Counts the frame on this CPU for its destination endpoint, and checks
 * it arrived on the rx queue the endpoint hash gives.  Softirq context,
 * under rcu_read_lock(); touches only this CPU's counters.
 */
void omx_steering_account(struct omx_iface *iface, const struct sk_buff *skb,
			  int dst_endpoint);

/**
 * omx_steering_get_board_queues() - OMX_CMD_GET_BOARD_QUEUES
 * @q: in: board_index; out: everything else
 *
 * Process context; takes rtnl.  Return: 0, -EINVAL or -ENODEV.
 */
int omx_steering_get_board_queues(struct omx_board_queues *q);

/**
 * omx_steering_get_endpoint() - OMX_CMD_GET_ENDPOINT_STEERING
 * @st: in: board_index, endpoint_index; out: everything else
 * @viewer: who asks (the opener of the asking file)
 *
 * Process context; takes rtnl.  Return: 0, -EINVAL, -ENODEV, -ENOENT or
 * -EPERM (@viewer may not see the endpoint: omx_endpoint_visible()).
 */
int omx_steering_get_endpoint(struct omx_endpoint_steering *st,
			      const struct omx_viewer *viewer);

#endif /* OMX_STEERING_H */
