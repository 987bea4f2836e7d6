/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx endpoints: the (board, index) pair a process communicates through.
 */
#ifndef OMX_ENDPOINT_H
#define OMX_ENDPOINT_H

#include <linux/compiler.h>
#include <linux/kref.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#include "omx_abi.h"

struct omx_iface;

enum omx_endpoint_state {
	OMX_ENDPOINT_LIVE,
	/* its board was detached by force: only close(2) is left */
	OMX_ENDPOINT_DEAD,
};

/*
 * References: the file that opened it holds one; lookups from the board's
 * endpoint slots (receive path, later) take one with kref_get_unless_zero()
 * under RCU, hence the RCU-delayed free.
 */
struct omx_endpoint {
	struct kref kref;
	struct rcu_head rcu;
	struct omx_iface *iface;	/* holds a reference */
	u32 board_index;
	u32 index;
	struct pid *owner;
	enum omx_endpoint_state state;	/* written under the iface's endpoint_lock */
};

static inline bool omx_endpoint_is_dead(const struct omx_endpoint *ep)
{
	return READ_ONCE(ep->state) == OMX_ENDPOINT_DEAD;
}

struct omx_endpoint *omx_endpoint_open(const struct omx_endpoint_open *req);
void omx_endpoint_close(struct omx_endpoint *ep);
void omx_endpoint_get_info(const struct omx_endpoint *ep,
			   struct omx_endpoint_info *info);

#endif /* OMX_ENDPOINT_H */
