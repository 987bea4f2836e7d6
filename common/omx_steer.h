/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx receive steering: which receive queue a frame belongs on.
 *
 * The one definition of the endpoint hash of seeds/002: a NIC (the virtual
 * one's tap steering program, the XDP program, a Myri-10G's firmware)
 * puts every frame for endpoint E on receive queue E % N of its N queues,
 * so that all the frames of one endpoint are processed by one core.  The
 * driver uses the same functions to say which queue (and so which IRQ and
 * CPU) serves an endpoint, and to check that frames really arrived there;
 * the tools use them to explain it.  Myricom's firmware (1.4.33 and later)
 * hashes Open-MX frames the same way: destination endpoint modulo the
 * number of slices.
 *
 * Everything here is a static inline over plain bytes with no library
 * call, so that BPF programs (clang -target bpf), the kernel module and
 * user space compile the very same code.  Frames that carry no
 * destination endpoint (HOST_QUERY/REPLY, RAW, unknown types) or are too
 * short to carry it go to queue 0; the result is always below N.
 */
#ifndef OMX_STEER_H
#define OMX_STEER_H

#include "omx_wire.h"

/*
 * Frame offset of the byte that names the destination endpoint of a frame
 * of type @ptype, or -1 if frames of that type have none.  For PULL_REPLY
 * it is the low byte of the puller's magic, which omx (like Open-MX)
 * makes equal to the pulling endpoint's index.
 */
static inline int omx_steer_dst_offset(__u8 ptype)
{
	switch (ptype) {
	case OMX_PKT_TYPE_TRUC:
	case OMX_PKT_TYPE_CONNECT:
	case OMX_PKT_TYPE_TINY:
	case OMX_PKT_TYPE_SMALL:
	case OMX_PKT_TYPE_MEDIUM:
	case OMX_PKT_TYPE_RNDV:
	case OMX_PKT_TYPE_PULL:
	case OMX_PKT_TYPE_NOTIFY:
	case OMX_PKT_TYPE_NACK_MCP:
		return OMX_DST_ENDPOINT_OFFSET;
	case OMX_PKT_TYPE_NACK_LIB:
		return OMX_NACK_LIB_DST_OFFSET;
	case OMX_PKT_TYPE_PULL_REPLY:
		return OMX_MAGIC_DST_OFFSET;
	default:
		return -1;
	}
}

/* The receive queue, of @nr_queues, that serves endpoint @endpoint. */
static inline __u32 omx_steer_queue(__u32 endpoint, __u32 nr_queues)
{
	return nr_queues ? endpoint % nr_queues : 0;
}

/*
 * Queue of a whole frame of @len bytes starting at its Ethernet header.
 * Frames that are not omx, carry no endpoint or are too short: queue 0.
 */
static inline __u32 omx_steer_frame_queue(const __u8 *frame, __u32 len,
					  __u32 nr_queues)
{
	int off;

	if (len <= OMX_PTYPE_OFFSET || frame[12] != (OMX_ETH_P >> 8) ||
	    frame[13] != (OMX_ETH_P & 0xff))
		return 0;
	off = omx_steer_dst_offset(frame[OMX_PTYPE_OFFSET]);
	if (off < 0 || len <= (__u32)off)
		return 0;
	return omx_steer_queue(frame[off], nr_queues);
}

#endif /* OMX_STEER_H */
