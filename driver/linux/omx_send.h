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

/*
 * Encode @pkt (its src_mac is filled in), append @payload_len bytes of
 * @payload and send it on @iface, or deliver it locally when it is for
 * the board's own address.  Any context (GFP_ATOMIC); counts @counter on
 * success, tx_errors on failure.
 */
int omx_send_frame(struct omx_iface *iface, struct omx_pkt *pkt,
		   const void *payload, unsigned int payload_len,
		   enum omx_counter_index counter, bool shared);

/*
 * The two halves of omx_send_frame(), for frames with page fragments:
 * an skb of exactly @len linear bytes starting with the encoded header
 * (@payload points past it), and its transmission.  With @shared, a
 * frame for another board of this host is delivered inside the host;
 * a frame for the board's own address always is.  omx_send_xmit()
 * consumes @skb whatever happens.
 */
struct sk_buff *omx_send_alloc(struct omx_iface *iface, struct omx_pkt *pkt,
			       unsigned int len, gfp_t gfp, u8 **payload);
int omx_send_xmit(struct omx_iface *iface, struct sk_buff *skb,
		  enum omx_counter_index counter, bool shared);

/* The send commands, process context; @cmd is already copied in. */
int omx_send_cmd_msg(struct omx_endpoint *ep, unsigned int type,
		     const struct omx_cmd_send_msg *cmd);
int omx_send_cmd_connect(struct omx_endpoint *ep,
			 const struct omx_cmd_send_connect *cmd);
int omx_send_cmd_liback(struct omx_endpoint *ep,
			const struct omx_cmd_send_liback *cmd);
int omx_send_cmd_nack_lib(struct omx_endpoint *ep,
			  const struct omx_cmd_send_nack_lib *cmd);
int omx_send_cmd_rndv(struct omx_endpoint *ep, const struct omx_cmd_send_rndv *cmd);
int omx_send_cmd_notify(struct omx_endpoint *ep, const struct omx_cmd_send_notify *cmd);

#endif /* OMX_SEND_H */
