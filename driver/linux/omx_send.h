/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Send path: the only place frames are built and handed to a board, and
 * the send commands of /dev/omx.
 */
#ifndef OMX_SEND_H
#define OMX_SEND_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "omx_abi.h"
#include "omx_wire_codec.h"

struct omx_iface;
struct omx_endpoint;

/**
 * omx_send_frame() - build a frame and send it
 * @iface: the board to send on
 * @pkt: the frame's fields; its src_mac is filled in here
 * @payload: bytes that follow the header
 * @payload_len: how many
 * @counter: the counter of this frame type, counted on success
 * @shared: as for omx_send_xmit()
 *
 * omx_send_alloc() then omx_send_xmit(), for frames whose payload is in
 * kernel memory.  Any context (GFP_ATOMIC).
 *
 * Return: 0, or the error of either (tx_errors counted).
 */
int omx_send_frame(struct omx_iface *iface, struct omx_pkt *pkt,
		   const void *payload, unsigned int payload_len,
		   enum omx_counter_index counter, bool shared);

/**
 * omx_send_alloc() - an skb starting with the encoded header of @pkt
 * @iface: the board to send on, whose address becomes the source
 * @pkt: the frame's fields; its src_mac is filled in here
 * @len: linear bytes of the frame: its encoded header, the Ethernet
 *	header included, then room for the payload
 * @gfp: allocation flags of the caller's context
 * @payload: set to the first byte after the encoded header
 *
 * The first half of omx_send_frame(), for senders that fill the payload
 * themselves or add page fragments.
 *
 * Return: the skb, or ERR_PTR of -ENETDOWN (board detached), -ENOMEM, or
 * -EINVAL (@pkt does not encode).
 */
struct sk_buff *omx_send_alloc(struct omx_iface *iface, struct omx_pkt *pkt,
			       unsigned int len, gfp_t gfp, u8 **payload);

/**
 * omx_send_xmit() - hand a built frame to its board, or to this host
 * @iface: the board to send on
 * @skb: the frame; consumed whatever happens
 * @counter: the counter of this frame type, counted on success
 * @shared: a frame for another board of this host is delivered inside
 *	the host, without the wire (the endpoint did not open with
 *	OMX_ENDPOINT_OPEN_NO_SHARED)
 *
 * A frame for the board's own address is always delivered inside the
 * host.  Any context.
 *
 * Return: 0, -ENETDOWN (board detached or down), -EMSGSIZE (over the
 * MTU), or dev_queue_xmit()'s refusal (-ENOBUFS when it gives no error
 * number); tx_errors is counted on failure.
 */
int omx_send_xmit(struct omx_iface *iface, struct sk_buff *skb,
		  enum omx_counter_index counter, bool shared);

/**
 * omx_send_cmd_msg() - OMX_CMD_SEND_TINY, _SMALL and _MEDIUM
 * @ep: the sending endpoint
 * @type: OMX_PKT_TYPE_TINY, OMX_PKT_TYPE_SMALL or OMX_PKT_TYPE_MEDIUM
 * @cmd: the command, copied in; its data is still in user memory
 *
 * One frame, its payload copied from user memory straight into the skb.
 * A medium frame is one fragment of a message, its size set by the
 * endpoint's MTU.  Process context.
 *
 * Return: 0, -EINVAL (a length or field out of range), -ENOENT (no such
 * peer), -EFAULT, or a send error (omx_send_xmit()).
 */
int omx_send_cmd_msg(struct omx_endpoint *ep, unsigned int type,
		     const struct omx_cmd_send_msg *cmd);

/**
 * omx_send_cmd_connect() - OMX_CMD_SEND_CONNECT: a CONNECT request or reply
 * @ep: the sending endpoint
 * @cmd: the command, copied in
 *
 * Process context.  Return: 0, -EINVAL, -ENOENT (no such peer) or a send
 * error.
 */
int omx_send_cmd_connect(struct omx_endpoint *ep,
			 const struct omx_cmd_send_connect *cmd);

/**
 * omx_send_cmd_liback() - OMX_CMD_SEND_LIBACK: acknowledge a partner's messages
 * @ep: the sending endpoint
 * @cmd: the command, copied in
 *
 * Sent as a TRUC frame, as Open-MX does.  Process context.
 *
 * Return: 0, -ENOENT (no such peer) or a send error.
 */
int omx_send_cmd_liback(struct omx_endpoint *ep,
			const struct omx_cmd_send_liback *cmd);

/**
 * omx_send_cmd_nack_lib() - OMX_CMD_SEND_NACK_LIB: refuse a partner's message
 * @ep: the sending endpoint
 * @cmd: the command, copied in
 *
 * Process context.  Return: 0, -EINVAL, -ENOENT (no such peer) or a send
 * error.
 */
int omx_send_cmd_nack_lib(struct omx_endpoint *ep,
			  const struct omx_cmd_send_nack_lib *cmd);

/**
 * omx_send_cmd_rndv() - OMX_CMD_SEND_RNDV: announce a large message
 * @ep: the sending endpoint
 * @cmd: the command, copied in
 *
 * Grants the addressee, and only it, the right to pull the region
 * (omx_region_grant()), then sends the RNDV carrying the token.  A
 * 0-byte RNDV (Open-MX sends every synchronous send as one) names no
 * region.  Process context.
 *
 * Return: 0, -EINVAL (padding, or a message longer than the region),
 * -ENOENT (no such peer or region), or a send error.
 */
int omx_send_cmd_rndv(struct omx_endpoint *ep, const struct omx_cmd_send_rndv *cmd);

/**
 * omx_send_cmd_notify() - OMX_CMD_SEND_NOTIFY: tell the sender its message was pulled
 * @ep: the receiving endpoint, done with the pull
 * @cmd: the command, copied in
 *
 * Process context.  Return: 0, -EINVAL, -ENOENT (no such peer) or a send
 * error.
 */
int omx_send_cmd_notify(struct omx_endpoint *ep, const struct omx_cmd_send_notify *cmd);

#endif /* OMX_SEND_H */
