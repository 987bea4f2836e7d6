/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Receive path: omx frames from every interface, and from the local
 * send path.
 */
#ifndef OMX_RECV_H
#define OMX_RECV_H

struct omx_iface;
struct sk_buff;

/**
 * omx_recv_init() - start receiving ethertype 0x86DF from every interface
 *
 * Module load, once everything a frame may reach is set up; frames from
 * interfaces that are not attached are dropped and counted.
 */
void omx_recv_init(void);

/**
 * omx_recv_exit() - stop receiving
 *
 * Returns once no CPU runs the receive handler any more, so that what it
 * uses can be torn down next.
 */
void omx_recv_exit(void);

/**
 * omx_recv_local() - receive a frame this host built for its own board
 * @iface: the board the frame is for (drops are counted there)
 * @skb: the frame, @skb->data past the Ethernet header; not consumed
 *
 * Validated and dispatched like a frame from the wire, without the checks
 * that only make sense for those.  Caller holds rcu_read_lock() with BH
 * disabled.
 */
void omx_recv_local(struct omx_iface *iface, struct sk_buff *skb);

#endif /* OMX_RECV_H */
