/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Receive path: omx frames from every interface, and from the local
 * send path.
 */
#ifndef OMX_RECV_H
#define OMX_RECV_H

struct omx_iface;
struct sk_buff;

void omx_recv_init(void);
void omx_recv_exit(void);

/*
 * A frame built by this host for @iface's own address: validated and
 * dispatched like a received one (drops counted on @iface), without the
 * checks that only make sense for frames from the wire.  Caller holds
 * rcu_read_lock() with BH disabled; @skb->data is past the Ethernet
 * header.  Does not consume @skb.
 */
void omx_recv_local(struct omx_iface *iface, struct sk_buff *skb);

#endif /* OMX_RECV_H */
