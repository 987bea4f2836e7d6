/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the rendezvous (docs/tracing.md): the life of a large
 * message, on the receiving side from its RNDV to the end of its pull,
 * on the sending side its RNDV, the PULLs answered and the NOTIFY.  A
 * pull is named by its handle (slot | generation << 8, as in its PULL
 * frames) and by the sender's region (rdma id, seqnum), which the RNDV,
 * the pull and the NOTIFY all carry.  Disabled, an event costs a static
 * branch: the arguments are pointers, read only when the event is on.
 *
 * The events are "omx:*" under /sys/kernel/tracing/events; omx_pull.c
 * defines them (CREATE_TRACE_POINTS).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM omx

#if !defined(OMX_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define OMX_TRACE_H

#include <linux/tracepoint.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_pull.h"
#include "omx_wire_codec.h"

TRACE_DEFINE_ENUM(OMX_PULL_ASK_NEW);
TRACE_DEFINE_ENUM(OMX_PULL_ASK_FAST);
TRACE_DEFINE_ENUM(OMX_PULL_ASK_PROBE);
TRACE_DEFINE_ENUM(OMX_PULL_ASK_TIMEOUT);

#define omx_trace_show_ask(ask)					\
	__print_symbolic(ask,					\
			 { OMX_PULL_ASK_NEW, "new" },		\
			 { OMX_PULL_ASK_FAST, "fast" },		\
			 { OMX_PULL_ASK_PROBE, "probe" },	\
			 { OMX_PULL_ASK_TIMEOUT, "timeout" })

TRACE_DEFINE_ENUM(OMX_PULL_STATUS_OK);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_TIMEOUT);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_BAD_RDMAWIN);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_ENDPT_CLOSED);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_BAD_SESSION);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_BAD_ENDPT);
TRACE_DEFINE_ENUM(OMX_PULL_STATUS_ABORTED);

#define omx_trace_show_status(status)					\
	__print_symbolic(status,					\
			 { OMX_PULL_STATUS_OK, "ok" },			\
			 { OMX_PULL_STATUS_TIMEOUT, "timeout" },	\
			 { OMX_PULL_STATUS_BAD_RDMAWIN, "bad_rdmawin" },	\
			 { OMX_PULL_STATUS_ENDPT_CLOSED, "endpt_closed" },	\
			 { OMX_PULL_STATUS_BAD_SESSION, "bad_session" },	\
			 { OMX_PULL_STATUS_BAD_ENDPT, "bad_endpt" },	\
			 { OMX_PULL_STATUS_ABORTED, "aborted" })

/* Receiving side: a RNDV (or a NOTIFY) is in an endpoint's ring. */
DECLARE_EVENT_CLASS(omx_msg_class,
		    TP_PROTO(const struct omx_iface *iface, u8 endpoint, u16 peer,
			     u8 src_endpoint, u16 seqnum, u32 length, u8 rdma_id,
			     u8 rdma_seqnum),
		    TP_ARGS(iface, endpoint, peer, src_endpoint, seqnum, length, rdma_id,
			    rdma_seqnum),
		    TP_STRUCT__entry(__field(u32, board)
				     __field(u32, length)
				     __field(u16, peer)
				     __field(u16, seqnum)
				     __field(u8, endpoint)
				     __field(u8, src_endpoint)
				     __field(u8, rdma_id)
				     __field(u8, rdma_seqnum)),
		    TP_fast_assign(__entry->board = iface->index;
				   __entry->length = length;
				   __entry->peer = peer;
				   __entry->seqnum = seqnum;
				   __entry->endpoint = endpoint;
				   __entry->src_endpoint = src_endpoint;
				   __entry->rdma_id = rdma_id;
				   __entry->rdma_seqnum = rdma_seqnum;),
		    TP_printk("board=%u ep=%u peer=%u:%u seq=%#x len=%u rdma=%u:%u",
			      __entry->board, __entry->endpoint, __entry->peer,
			      __entry->src_endpoint, __entry->seqnum, __entry->length,
			      __entry->rdma_id, __entry->rdma_seqnum)
);

/* a RNDV was appended to the endpoint's unexpected ring */
DEFINE_EVENT(omx_msg_class, omx_recv_rndv,
	     TP_PROTO(const struct omx_iface *iface, u8 endpoint, u16 peer,
		      u8 src_endpoint, u16 seqnum, u32 length, u8 rdma_id,
		      u8 rdma_seqnum),
	     TP_ARGS(iface, endpoint, peer, src_endpoint, seqnum, length, rdma_id,
		     rdma_seqnum)
);

/* sending side: the NOTIFY of a pulled region was appended to the expected ring */
DEFINE_EVENT(omx_msg_class, omx_recv_notify,
	     TP_PROTO(const struct omx_iface *iface, u8 endpoint, u16 peer,
		      u8 src_endpoint, u16 seqnum, u32 length, u8 rdma_id,
		      u8 rdma_seqnum),
	     TP_ARGS(iface, endpoint, peer, src_endpoint, seqnum, length, rdma_id,
		     rdma_seqnum)
);

/* sending side: the library sent a RNDV (OMX_CMD_SEND_RNDV) */
DEFINE_EVENT(omx_msg_class, omx_send_rndv,
	     TP_PROTO(const struct omx_iface *iface, u8 endpoint, u16 peer,
		      u8 src_endpoint, u16 seqnum, u32 length, u8 rdma_id,
		      u8 rdma_seqnum),
	     TP_ARGS(iface, endpoint, peer, src_endpoint, seqnum, length, rdma_id,
		     rdma_seqnum)
);

/* OMX_CMD_PULL started a pull over the wire (not the one-copy local path) */
TRACE_EVENT(omx_pull_start,
	    TP_PROTO(const struct omx_pull *pull),
	    TP_ARGS(pull),
	    TP_STRUCT__entry(__field(u64, cookie)
			     __field(u32, handle)
			     __field(u32, length)
			     __field(u32, frames)
			     __field(u16, peer)
			     __field(u8, endpoint)
			     __field(u8, dst_endpoint)
			     __field(u8, rdma_id)
			     __field(u8, rdma_seqnum)),
	    TP_fast_assign(__entry->cookie = pull->cookie;
			   __entry->handle = pull->gen << 8 | pull->index;
			   __entry->length = pull->length;
			   __entry->frames = pull->nr_frames;
			   __entry->peer = pull->peer_index;
			   __entry->endpoint = pull->ep->index;
			   __entry->dst_endpoint = pull->dst_endpoint;
			   __entry->rdma_id = pull->rdma_id;
			   __entry->rdma_seqnum = pull->rdma_seqnum;),
	    TP_printk("ep=%u handle=%#x cookie=%llu len=%u frames=%u peer=%u:%u rdma=%u:%u",
		      __entry->endpoint, __entry->handle, __entry->cookie, __entry->length,
		      __entry->frames, __entry->peer, __entry->dst_endpoint,
		      __entry->rdma_id, __entry->rdma_seqnum)
);

/*
 * A PULL frame asking for reply frames [first, first + count) was built
 * (it leaves once the table lock is dropped, from this CPU, before any
 * PULL built after it here); @ask says why, @inflight and @cwnd are the
 * peer's window after it, @ticket the first frame's ticket (omx_pull.c,
 * "Recovery").  Called with the peer's flow control lock held.
 */
TRACE_EVENT(omx_pull_send,
	    TP_PROTO(const struct omx_pull *pull, u32 first, u32 count, enum omx_pull_ask ask),
	    TP_ARGS(pull, first, count, ask),
	    TP_STRUCT__entry(__field(u32, handle)
			     __field(u32, first)
			     __field(u32, count)
			     __field(u32, inflight)
			     __field(u32, cwnd)
			     __field(u16, ticket)
			     __field(u8, endpoint)
			     __field(u8, ask)),
	    TP_fast_assign(__entry->handle = pull->gen << 8 | pull->index;
			   __entry->first = first;
			   __entry->count = count;
			   __entry->inflight = pull->fc->inflight;
			   __entry->cwnd = pull->fc->cwnd;
			   __entry->ticket = pull->win[(first / OMX_PULL_REPLIES_PER_BLOCK) %
						       OMX_PULL_WINDOW_MAX]
				   .ticket[first % OMX_PULL_REPLIES_PER_BLOCK];
			   __entry->endpoint = pull->ep->index;
			   __entry->ask = ask;),
	    TP_printk("ep=%u handle=%#x frames=%u+%u %s inflight=%u cwnd=%u ticket=%u",
		      __entry->endpoint, __entry->handle, __entry->first, __entry->count,
		      omx_trace_show_ask(__entry->ask), __entry->inflight, __entry->cwnd,
		      __entry->ticket)
);

/* A PULL_REPLY was accepted for @pull (frame @frame); the pull got @received bytes */
DECLARE_EVENT_CLASS(omx_pull_reply_class,
		    TP_PROTO(const struct omx_pull *pull, u32 frame),
		    TP_ARGS(pull, frame),
		    TP_STRUCT__entry(__field(u32, handle)
				     __field(u32, frame)
				     __field(u32, received)
				     __field(u8, endpoint)),
		    TP_fast_assign(__entry->handle = pull->gen << 8 | pull->index;
				   __entry->frame = frame;
				   __entry->received = pull->received;
				   __entry->endpoint = pull->ep->index;),
		    TP_printk("ep=%u handle=%#x frame=%u received=%u",
			      __entry->endpoint, __entry->handle, __entry->frame,
			      __entry->received)
);

/* every reply accepted */
DEFINE_EVENT(omx_pull_reply_class, omx_pull_reply,
	     TP_PROTO(const struct omx_pull *pull, u32 frame),
	     TP_ARGS(pull, frame)
);

/* the first reply accepted for a pull */
DEFINE_EVENT(omx_pull_reply_class, omx_pull_reply_first,
	     TP_PROTO(const struct omx_pull *pull, u32 frame),
	     TP_ARGS(pull, frame)
);

/* the reply that completed a pull (its copy may still be in flight, DMA) */
DEFINE_EVENT(omx_pull_reply_class, omx_pull_reply_last,
	     TP_PROTO(const struct omx_pull *pull, u32 frame),
	     TP_ARGS(pull, frame)
);

/* A pull's OMX_EVT_PULL_DONE went into the endpoint's expected ring. */
TRACE_EVENT(omx_pull_done,
	    TP_PROTO(const struct omx_pull *pull),
	    TP_ARGS(pull),
	    TP_STRUCT__entry(__field(u64, cookie)
			     __field(u32, handle)
			     __field(u32, status)
			     __field(u32, received)
			     __field(u8, endpoint)),
	    TP_fast_assign(__entry->cookie = pull->cookie;
			   __entry->handle = pull->gen << 8 | pull->index;
			   __entry->status = pull->status;
			   __entry->received = pull->received;
			   __entry->endpoint = pull->ep->index;),
	    TP_printk("ep=%u handle=%#x cookie=%llu status=%s len=%u",
		      __entry->endpoint, __entry->handle, __entry->cookie,
		      omx_trace_show_status(__entry->status), __entry->received)
);

/* Sending side: a PULL for one of @endpoint's regions passed its checks and is answered. */
TRACE_EVENT(omx_recv_pull,
	    TP_PROTO(const struct omx_iface *iface, const struct omx_pkt_pull *p, u32 count),
	    TP_ARGS(iface, p, count),
	    TP_STRUCT__entry(__field(u32, board)
			     __field(u32, handle)
			     __field(u32, first)
			     __field(u32, count)
			     __field(u32, length)
			     __field(u8, endpoint)
			     __field(u8, src_endpoint)
			     __field(u8, rdma_id)
			     __field(u8, rdma_seqnum)),
	    TP_fast_assign(__entry->board = iface->index;
			   __entry->handle = p->src_pull_handle;
			   __entry->first = p->frame_index;
			   __entry->count = count;
			   __entry->length = p->block_length;
			   __entry->endpoint = p->dst_endpoint;
			   __entry->src_endpoint = p->src_endpoint;
			   __entry->rdma_id = p->pulled_rdma_id;
			   __entry->rdma_seqnum = p->pulled_rdma_seqnum;),
	    TP_printk("board=%u ep=%u from=%u handle=%#x frames=%u+%u bytes=%u rdma=%u:%u",
		      __entry->board, __entry->endpoint, __entry->src_endpoint,
		      __entry->handle, __entry->first, __entry->count, __entry->length,
		      __entry->rdma_id, __entry->rdma_seqnum)
);

#endif /* OMX_TRACE_H */

/* out of the kernel's tree: <trace/define_trace.h> finds us through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE omx_trace
#include <trace/define_trace.h>
