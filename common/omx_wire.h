/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx wire format: every byte an omx frame carries on Ethernet.
 *
 * The layouts follow the Open-MX 1.5 wire format in its default
 * configuration (not MX-wire-compatible, network byte order, 9000-byte
 * frames), so that omx nodes and Open-MX nodes understand each other.
 *
 * This header is shared by the kernel module, the user library, the tools
 * and the NIC-side steering programs (BPF). It holds only types, constants
 * and compile-time checks: no code. docs/wire.md describes every frame byte
 * by byte; keep both in step.
 *
 * Conventions:
 *  - Multi-byte fields are big-endian (network order) on the wire.
 *  - "Frame offset" counts from the first byte of the Ethernet header
 *    (destination MAC) of the frame as handed to the protocol handler,
 *    without any VLAN tag and without the FCS.
 *  - Body structs (struct omx_wire_*) start right after struct
 *    omx_wire_head, at frame offset OMX_HEAD_LEN (16). Their byte 0 is the
 *    packet type.
 *  - The structs are packed (alignment 1) so that they may be overlaid on
 *    a frame at any address; every field nevertheless sits at a naturally
 *    aligned offset within its body, exactly as on the wire.
 */
#ifndef OMX_WIRE_H
#define OMX_WIRE_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/build_bug.h>
#include <linux/stddef.h>
#define OMX_WIRE_PACKED __packed
#define OMX_WIRE_ASSERT(cond, msg) static_assert(cond, msg)
#else
/* user space and BPF: freestanding headers only, no libc */
#include <stddef.h>
#define OMX_WIRE_PACKED __attribute__((__packed__))
#ifdef __cplusplus
#define OMX_WIRE_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define OMX_WIRE_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#endif

/*
 * Ethernet framing.
 */
#define OMX_ETH_P		0x86DF	/* ethertype of every omx frame */
#define OMX_ETH_ALEN		6
#define OMX_ETH_HLEN		14
/*
 * Senders pad every frame to the Ethernet minimum (60 bytes without FCS);
 * every fixed header fits in it (checked below). Receivers ignore bytes
 * beyond what the header and its declared payload need.
 */
#define OMX_ETH_ZLEN		60

/*
 * Packet types: byte 0 of the body, frame offset 16.
 * The gaps (5-31, 46-255) are not defined by the protocol.
 */
enum omx_pkt_type {
	OMX_PKT_TYPE_NONE		= 0,	/* never sent */
	OMX_PKT_TYPE_RAW		= 1,	/* user-space frame (peer discovery) */
	OMX_PKT_TYPE_MFM_NIC_REPLY	= 2,	/* Myrinet mapper, not implemented */
	OMX_PKT_TYPE_HOST_QUERY		= 3,	/* "what is your hostname?" */
	OMX_PKT_TYPE_HOST_REPLY		= 4,	/* hostname answer */
	OMX_PKT_TYPE_ETHER_UNICAST	= 32,	/* MX Ethernet emulation, not implemented */
	OMX_PKT_TYPE_ETHER_MULTICAST	= 33,	/* idem */
	OMX_PKT_TYPE_ETHER_NATIVE	= 34,	/* idem */
	OMX_PKT_TYPE_TRUC		= 35,	/* library-to-library control (acks) */
	OMX_PKT_TYPE_CONNECT		= 36,	/* connect request or reply */
	OMX_PKT_TYPE_TINY		= 37,	/* eager message of up to 32 bytes */
	OMX_PKT_TYPE_SMALL		= 38,	/* eager message of up to 128 bytes */
	OMX_PKT_TYPE_MEDIUM		= 39,	/* one fragment of an eager message */
	OMX_PKT_TYPE_RNDV		= 40,	/* rendezvous announcing a large message */
	OMX_PKT_TYPE_PULL		= 41,	/* receiver asks for one block of a large message */
	OMX_PKT_TYPE_PULL_REPLY		= 42,	/* one frame of large message data */
	OMX_PKT_TYPE_NOTIFY		= 43,	/* large message received, sender may release it */
	OMX_PKT_TYPE_NACK_LIB		= 44,	/* negative ack for a library packet */
	OMX_PKT_TYPE_NACK_MCP		= 45,	/* negative ack for a pull */
	OMX_PKT_TYPE_NR			= 46	/* one past the highest defined value */
};

/*
 * Negative acknowledgment codes (nack_type byte of NACK_LIB and NACK_MCP).
 */
enum omx_nack_type {
	OMX_NACK_TYPE_NONE		= 0,	/* never sent */
	OMX_NACK_TYPE_BAD_ENDPT		= 1,	/* no such endpoint index */
	OMX_NACK_TYPE_ENDPT_CLOSED	= 2,	/* endpoint exists but is not open */
	OMX_NACK_TYPE_BAD_SESSION	= 3,	/* session id does not match the endpoint */
	OMX_NACK_TYPE_BAD_RDMAWIN	= 4,	/* pulled region unknown (NACK_MCP only) */
	OMX_NACK_TYPE_NR		= 5
};

/* Subtype of a TRUC frame (first byte of its data). Only acks exist. */
#define OMX_TRUC_TYPE_ACK		0x55

/* Status byte of a CONNECT reply; the values are MX's. */
#define OMX_CONNECT_STATUS_SUCCESS	0
#define OMX_CONNECT_STATUS_BAD_KEY	11

/*
 * Index spaces.
 */
#define OMX_ENDPOINT_INDEX_MAX		256	/* endpoint indices are one byte */
#define OMX_PEER_INDEX_MAX		65536	/* peer indices are 16 bits */
#define OMX_PEER_INDEX_UNKNOWN		0xffff	/* "I do not know my index at your side" */

/*
 * Library sequence numbers (lib_seqnum, lib_piggyack, send_seq, ...):
 * 16 bits on the wire, the low 14 bits count messages per partner and wrap,
 * the high 2 bits number the partner session (they change when a partner
 * reconnects, so that stale frames of an older session are recognised).
 * Helpers live in omx_wire_codec.h.
 */
#define OMX_SEQNUM_BITS			14
#define OMX_SEQNUM_MASK			((1U << OMX_SEQNUM_BITS) - 1)	/* 0x3fff */
#define OMX_SESNUM_BITS			2
#define OMX_SESNUM_SHIFT		OMX_SEQNUM_BITS
#define OMX_SESNUM_MASK			(((1U << OMX_SESNUM_BITS) - 1) << OMX_SESNUM_SHIFT)
/*
 * At most half the sequence space may be unacknowledged at once, so that
 * "before" and "after" stay unambiguous; senders throttle beyond this.
 */
#define OMX_SEQNUM_UNACKED_MAX		(OMX_SEQNUM_MASK / 2)		/* 8191 */
/* A frame further ahead than this is dropped as a leftover of an old wrap. */
#define OMX_SEQNUM_EARLY_MAX		0xff

/*
 * Message size classes (payload bytes of one message).
 * Tiny and small travel in one frame; medium is cut into fragments;
 * anything larger goes through rendezvous + pull.
 */
#define OMX_TINY_MAX			32
#define OMX_SMALL_MAX			128
#define OMX_MEDIUM_MAX			32768
#define OMX_LARGE_MAX			0xffffffffU	/* 32-bit message length */
#define OMX_MEDIUM_FRAGS_MAX		32		/* frag_seqnum < 32 */
/*
 * Smallest fragment payload any valid configuration uses: a medium message
 * must fit in OMX_MEDIUM_FRAGS_MAX fragments.
 */
#define OMX_MEDIUM_FRAG_LEN_MIN		(OMX_MEDIUM_MAX / OMX_MEDIUM_FRAGS_MAX)	/* 1024 */

/*
 * Frame geometry.
 *
 * Like Open-MX, "MTU" here (OMX_MTU_*) means the largest whole frame,
 * Ethernet header included, FCS excluded. An interface carries such frames
 * when its Linux MTU (IP payload size) is at least OMX_IFACE_MTU(mtu).
 *
 * Fragment and pull-reply payload sizes derive from it, and both ends of a
 * medium message or of a pull must use the same sizes: the MTU is a fabric
 * wide setting, 9000 by default (Open-MX's default), 1500 for fabrics
 * without jumbo frames.
 */
#define OMX_MTU_9000			9000
#define OMX_MTU_1500			1500
#define OMX_MTU_DEFAULT			OMX_MTU_9000
#define OMX_MTU_MAX			OMX_MTU_9000
#define OMX_IFACE_MTU(mtu)		((mtu) - OMX_ETH_HLEN)

#define OMX_MEDIUM_FRAG_HLEN		48	/* head + struct omx_wire_medium */
#define OMX_PULL_REPLY_HLEN		32	/* head + struct omx_wire_pull_reply */

/*
 * Medium fragment payload for a given MTU, as Open-MX computes it: the
 * whole room left by the headers while that stays within 4 KiB, otherwise
 * a power of two (4 KiB or 8 KiB) so that a fragment maps onto whole pages
 * of the receive ring. Meant for constants (evaluates mtu several times).
 */
#define OMX_MEDIUM_FRAG_LEN(mtu)					\
	((mtu) - OMX_MEDIUM_FRAG_HLEN <= 4096 ?				\
	 (mtu) - OMX_MEDIUM_FRAG_HLEN :					\
	 ((mtu) < 8192 + OMX_MEDIUM_FRAG_HLEN ? 4096 : 8192))
#define OMX_MEDIUM_FRAG_LEN_9000	8192
#define OMX_MEDIUM_FRAG_LEN_1500	1452
/* Largest fragment any supported configuration sends. */
#define OMX_MEDIUM_FRAG_LEN_MAX		OMX_MEDIUM_FRAG_LEN(OMX_MTU_MAX)

/* Pull replies always fill the frame. */
#define OMX_PULL_REPLY_LEN(mtu)		((mtu) - OMX_PULL_REPLY_HLEN)
#define OMX_PULL_REPLY_LEN_9000		8968
#define OMX_PULL_REPLY_LEN_1500		1468
#define OMX_PULL_REPLY_LEN_MAX		OMX_PULL_REPLY_LEN(OMX_MTU_MAX)

/*
 * A pull asks for one block: at most this many replies, the first one
 * possibly shorter (it starts at first_frame_offset within a frame).
 */
#define OMX_PULL_REPLIES_PER_BLOCK	32
#define OMX_PULL_BLOCK_LEN(mtu)		(OMX_PULL_REPLIES_PER_BLOCK * OMX_PULL_REPLY_LEN(mtu))
#define OMX_PULL_BLOCK_LEN_9000		286976
#define OMX_PULL_BLOCK_LEN_1500		46976
#define OMX_PULL_BLOCK_LEN_MAX		OMX_PULL_BLOCK_LEN(OMX_MTU_MAX)

/*
 * Smallest MTU the protocol works with: a 32 KiB medium message must fit in
 * OMX_MEDIUM_FRAGS_MAX (32) fragments, so a fragment must carry at least
 * 1024 bytes, i.e. 1024 + 48 header bytes = 1072. Every other frame is
 * smaller: fixed headers (<= 60), a full small message (40 + 128), a host
 * reply (32 + 80) and a raw frame (<= 1024).
 */
#define OMX_MTU_MIN			(OMX_MEDIUM_FRAG_HLEN + OMX_MEDIUM_FRAG_LEN_MIN)

/* Hostnames in HOST_REPLY, NUL included. */
#define OMX_HOSTNAME_LEN_MAX		80
/* Raw frames are built by user space; whole frame, header included. */
#define OMX_RAW_FRAME_LEN_MAX		1024

/*
 * Pull magic. A PULL carries the puller's "src_magic"; every PULL_REPLY and
 * NACK_MCP answering it echoes it verbatim as "dst_magic"/"src_magic". Only
 * the puller interprets it, so its encoding is ours to choose: the
 * destination endpoint index in the low byte and "omx" above, so that
 * NIC-side steering finds the endpoint in the last byte of the magic
 * (frame offset 31). (Open-MX 1.5 XORs the index with 0x21071980, which
 * flips bit 7 of that byte; its frames still steer, just to another queue.)
 */
#define OMX_PULL_MAGIC_BASE		0x6f6d7800U
#define OMX_PULL_MAGIC(ep)		(OMX_PULL_MAGIC_BASE | ((ep) & 0xffU))

/*
 * Frame offsets that the NIC-side steering hard-codes.
 */
#define OMX_PTYPE_OFFSET		16	/* packet type */
#define OMX_DST_ENDPOINT_OFFSET		17	/* destination endpoint, most types */
#define OMX_NACK_LIB_DST_OFFSET		25	/* destination endpoint of NACK_LIB */
#define OMX_MAGIC_DST_OFFSET		31	/* low byte of PULL_REPLY's pull magic */

/*
 * Frame header common to all types: Ethernet header + peer index.
 *
 * peer_index: index of the sending host in the receiver's peer table (the
 * receiver checks that it matches the source MAC). OMX_PEER_INDEX_UNKNOWN
 * when the sender does not know it yet (HOST_QUERY, CONNECT use their own
 * fields to teach it).
 */
struct omx_wire_head {
	__u8	dst_mac[OMX_ETH_ALEN];		/*  0 */
	__u8	src_mac[OMX_ETH_ALEN];		/*  6 */
	__be16	ethertype;			/* 12: OMX_ETH_P */
	__be16	peer_index;			/* 14 */
} OMX_WIRE_PACKED;				/* 16 */

#define OMX_HEAD_LEN			16

/*
 * In every body below, byte offsets are relative to the body (frame offset
 * minus 16). "generation" bytes are sent as 0 and ignored.
 */

/* HOST_QUERY: ask a peer for its hostname (answered by HOST_REPLY). */
struct omx_wire_host_query {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_HOST_QUERY */
	__u8	pad1;				/*  1 */
	__be16	peer_index;			/*  2: index of the target in the sender's table */
	__be32	pad4;				/*  4 */
	__be32	magic;				/*  8: echoed by the reply */
	__be32	pad12;				/* 12 */
} OMX_WIRE_PACKED;				/* 16 */

/* HOST_REPLY: hostname_len bytes of NUL-terminated hostname follow. */
struct omx_wire_host_reply {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_HOST_REPLY */
	__u8	hostname_len;			/*  1: NUL included */
	__be16	peer_index;			/*  2: index of the target in the sender's table */
	__be32	pad4;				/*  4 */
	__be32	magic;				/*  8: copied from the query */
	__be32	pad12;				/* 12 */
} OMX_WIRE_PACKED;				/* 16 */

/*
 * TRUC: library control data. data_len counts the bytes from offset 12 on;
 * the first of them is the subtype, and the only subtype is an explicit
 * acknowledgment (OMX_TRUC_TYPE_ACK), laid out below.
 */
struct omx_wire_truc {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_TRUC */
	__u8	dst_endpoint;			/*  1 */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__u8	data_len;			/*  4: 16 for an ack */
	__u8	pad5[3];			/*  5 */
	__be32	session;			/*  8: receiver endpoint's session id */
	__u8	truc_type;			/* 12: OMX_TRUC_TYPE_ACK */
	__u8	pad13;				/* 13 */
	__be16	lib_seqnum;			/* 14: acks every seqnum before this one */
	__be32	ack_session;			/* 16: must equal session */
	__be32	acknum;				/* 20: per-partner ack counter, grows */
	__be16	send_seq;			/* 24: sent equal to lib_seqnum */
	__u8	resent;				/* 26: non-zero if a retransmission */
	__u8	pad27;				/* 27 */
} OMX_WIRE_PACKED;				/* 28 */

#define OMX_TRUC_DATA_OFFSET		12
#define OMX_TRUC_ACK_DATA_LEN		16

/*
 * CONNECT: request (is_reply == 0) or reply (is_reply == 1).
 * data_len counts the bytes from offset 16 on (16 for both).
 */
struct omx_wire_connect {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_CONNECT */
	__u8	dst_endpoint;			/*  1 */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__u8	data_len;			/*  4 */
	__u8	pad5[3];			/*  5 */
	__be16	lib_seqnum;			/*  8: sent as 0 */
	__be16	peer_index;			/* 10: index of the target in the sender's table */
	__be32	pad12;				/* 12 */
	__be32	src_session_id;			/* 16: requester's session id, echoed */
	union {
		__be32	app_key;		/* 20: request: key the target checks */
		__be32	target_session_id;	/* 20: reply: session id to send to */
	};
	__be16	target_recv_seqnum_start;	/* 24: first seqnum the sender will accept */
	__u8	is_reply;			/* 26 */
	__u8	connect_seqnum;			/* 27: which attempt this answers */
	__u8	status;				/* 28: reply only, OMX_CONNECT_STATUS_* */
	__u8	pad29[3];			/* 29 */
} OMX_WIRE_PACKED;				/* 32 */

#define OMX_CONNECT_DATA_OFFSET		16
#define OMX_CONNECT_DATA_LEN		16

/*
 * Message header shared by TINY, SMALL and (as its first 24 bytes) RNDV.
 * TINY/SMALL: length payload bytes follow the header.
 * RNDV: length is the size of the rendezvous data (8), see below.
 * The 64-bit match info is split in two, high half first.
 */
struct omx_wire_msg {
	__u8	ptype;				/*  0 */
	__u8	dst_endpoint;			/*  1 */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__be16	length;				/*  4 */
	__be16	checksum;			/*  6: optional payload checksum, 0 if unused */
	__be16	lib_seqnum;			/*  8 */
	__be16	lib_piggyack;			/* 10: acks everything before this seqnum */
	__be32	match_hi;			/* 12 */
	__be32	match_lo;			/* 16 */
	__be32	session;			/* 20 */
} OMX_WIRE_PACKED;				/* 24 */

/* MEDIUM: one fragment; frag_length payload bytes follow the header. */
struct omx_wire_medium {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_MEDIUM */
	__u8	dst_endpoint;			/*  1 */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__be32	msg_length;			/*  4: whole message */
	__be16	lib_seqnum;			/*  8 */
	__be16	lib_piggyack;			/* 10 */
	__be32	match_hi;			/* 12 */
	__be32	match_lo;			/* 16 */
	__be32	session;			/* 20 */
	__be16	frag_length;			/* 24 */
	__u8	frag_seqnum;			/* 26: fragment index, < OMX_MEDIUM_FRAGS_MAX */
	__u8	pad27;				/* 27 */
	__be16	checksum;			/* 28 */
	__be16	pad30;				/* 30 */
} OMX_WIRE_PACKED;				/* 32 */

/* RNDV: message header + 8 bytes naming the sender's region to pull. */
struct omx_wire_rndv {
	struct omx_wire_msg msg;		/*  0: msg.length = OMX_RNDV_DATA_LEN */
	__be32	msg_length;			/* 24: large message length */
	__u8	pulled_rdma_id;			/* 28: sender's region id */
	__u8	pulled_rdma_seqnum;		/* 29: region generation */
	__be16	pulled_rdma_offset;		/* 30: omx: the pull token's low 16 bits */
} OMX_WIRE_PACKED;				/* 32 */

#define OMX_RNDV_DATA_LEN		8
/*
 * omx senders declare 12 bytes of rendezvous data: the 8 above and the
 * pull token's high 32 bits (BE) right after the fixed header, frame
 * bytes 48-51, inside the padding of a minimum frame.  Open-MX reads
 * only the first 8 (it checks length >= 8) and echoes pulled_rdma_offset
 * in its PULLs; omx pullers echo the high part too (struct omx_wire_pull).
 */
#define OMX_RNDV_TOKEN_DATA_LEN		12
#define OMX_RNDV_TOKEN_HI_LEN		4

/*
 * PULL: the receiver of a large message asks the sender's kernel for one
 * block (up to OMX_PULL_REPLIES_PER_BLOCK replies) of the region. Replies
 * are numbered by frame_index within the whole pull; the block covers
 * block_length bytes starting first_frame_offset bytes into frame
 * frame_index.
 */
struct omx_wire_pull {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_PULL */
	__u8	dst_endpoint;			/*  1: owner of the pulled region */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__be32	session;			/*  4 */
	__be32	total_length;			/*  8: whole pull */
	/*
	 * 12: region id in the low byte; omx pullers put the pull token's
	 * bits 31-8 (token_hi & 0xffffff00) above it and bits 7-0 in pad17[0]
	 */
	__be32	pulled_rdma_id;			/* 12 */
	__u8	pulled_rdma_seqnum;		/* 16 */
	__u8	pad17[3];			/* 17: [0] token_hi bits 7-0 */
	/* 20: the RNDV's pulled_rdma_offset (token low 16 bits) + start in the region */
	__be32	pulled_rdma_offset;
	__be32	src_pull_handle;		/* 24: puller's handle, echoed */
	__be32	src_magic;			/* 28: puller's magic, echoed */
	__be32	first_frame_offset;		/* 32 */
	__be32	block_length;			/* 36 */
	__be32	frame_index;			/* 40 */
} OMX_WIRE_PACKED;				/* 44 */

/* PULL_REPLY: frame_length bytes of region data follow the header. */
struct omx_wire_pull_reply {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_PULL_REPLY */
	__u8	frame_seqnum;			/*  1: frame index modulo 256 */
	__be16	frame_length;			/*  2 */
	__be32	msg_offset;			/*  4: where the data goes in the message */
	__be32	dst_pull_handle;		/*  8: the PULL's src_pull_handle */
	__be32	dst_magic;			/* 12: the PULL's src_magic */
} OMX_WIRE_PACKED;				/* 16 */

/* NOTIFY: the puller tells the sender its large message has arrived. */
struct omx_wire_notify {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_NOTIFY */
	__u8	dst_endpoint;			/*  1 */
	__u8	src_endpoint;			/*  2 */
	__u8	src_generation;			/*  3 */
	__be32	session;			/*  4 */
	__be32	total_length;			/*  8: bytes actually pulled */
	__u8	pulled_rdma_id;			/* 12 */
	__u8	pulled_rdma_seqnum;		/* 13 */
	__be16	pad14;				/* 14 */
	__be16	pad16;				/* 16 */
	__be16	lib_seqnum;			/* 18 */
	__be16	lib_piggyack;			/* 20 */
	__be16	pad22;				/* 22 */
} OMX_WIRE_PACKED;				/* 24 */

/*
 * NACK_LIB: refusal of a TINY/SMALL/MEDIUM/RNDV/NOTIFY/CONNECT frame.
 * Note the destination endpoint is at body offset 9 (frame offset 25);
 * byte 1 is the source endpoint.
 */
struct omx_wire_nack_lib {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_NACK_LIB */
	__u8	src_endpoint;			/*  1: the refused frame's dst_endpoint */
	__u8	src_generation;			/*  2 */
	__u8	nack_type;			/*  3: enum omx_nack_type */
	__be32	pad4;				/*  4 */
	__u8	pad8;				/*  8 */
	__u8	dst_endpoint;			/*  9: the refused frame's src_endpoint */
	__be16	peer_index;			/* 10: copy of the head's peer_index */
	__be16	lib_seqnum;			/* 12: seqnum of the refused frame */
	__be16	pad14;				/* 14 */
} OMX_WIRE_PACKED;				/* 16 */

/*
 * NACK_MCP: refusal of a PULL, routed back by the puller's handle/magic.
 * Byte 1 is the PULL's src_endpoint, i.e. the puller this nack goes to
 * (Open-MX names it src_endpoint too).
 */
struct omx_wire_nack_mcp {
	__u8	ptype;				/*  0: OMX_PKT_TYPE_NACK_MCP */
	__u8	dst_endpoint;			/*  1: the PULL's src_endpoint */
	__u8	src_generation;			/*  2 */
	__u8	nack_type;			/*  3: enum omx_nack_type */
	__be32	pad4;				/*  4 */
	__be32	src_pull_handle;		/*  8: the PULL's src_pull_handle */
	__be32	src_magic;			/* 12: the PULL's src_magic */
} OMX_WIRE_PACKED;				/* 16 */

/* Fixed header length (frame offset of the first payload byte), per type. */
#define OMX_HOST_QUERY_HLEN	(OMX_HEAD_LEN + 16)
#define OMX_HOST_REPLY_HLEN	(OMX_HEAD_LEN + 16)
#define OMX_TRUC_HLEN		(OMX_HEAD_LEN + 28)
#define OMX_CONNECT_HLEN	(OMX_HEAD_LEN + 32)
#define OMX_MSG_HLEN		(OMX_HEAD_LEN + 24)
#define OMX_RNDV_HLEN		(OMX_HEAD_LEN + 32)
#define OMX_PULL_HLEN		(OMX_HEAD_LEN + 44)
#define OMX_NOTIFY_HLEN		(OMX_HEAD_LEN + 24)
#define OMX_NACK_LIB_HLEN	(OMX_HEAD_LEN + 16)
#define OMX_NACK_MCP_HLEN	(OMX_HEAD_LEN + 16)
#define OMX_RAW_HLEN		(OMX_HEAD_LEN + 1)

/*
 * Compile-time checks: the layouts above are the wire format.
 */
#define OMX_WIRE_FOFF(type, field)	(OMX_HEAD_LEN + offsetof(struct type, field))

OMX_WIRE_ASSERT(sizeof(struct omx_wire_head) == OMX_HEAD_LEN, "head is 16 bytes");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_head, ethertype) == 12, "ethertype at 12");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_head, peer_index) == 14, "peer index at 14");
OMX_WIRE_ASSERT(OMX_HEAD_LEN == OMX_PTYPE_OFFSET, "type byte follows the head");

OMX_WIRE_ASSERT(sizeof(struct omx_wire_host_query) + OMX_HEAD_LEN == OMX_HOST_QUERY_HLEN,
		"host query size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_host_reply) + OMX_HEAD_LEN == OMX_HOST_REPLY_HLEN,
		"host reply size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_truc) + OMX_HEAD_LEN == OMX_TRUC_HLEN, "truc size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_connect) + OMX_HEAD_LEN == OMX_CONNECT_HLEN,
		"connect size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_msg) + OMX_HEAD_LEN == OMX_MSG_HLEN, "msg size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_medium) + OMX_HEAD_LEN == OMX_MEDIUM_FRAG_HLEN,
		"medium size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_rndv) + OMX_HEAD_LEN == OMX_RNDV_HLEN, "rndv size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_pull) + OMX_HEAD_LEN == OMX_PULL_HLEN, "pull size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_pull_reply) + OMX_HEAD_LEN == OMX_PULL_REPLY_HLEN,
		"pull reply size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_notify) + OMX_HEAD_LEN == OMX_NOTIFY_HLEN,
		"notify size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_nack_lib) + OMX_HEAD_LEN == OMX_NACK_LIB_HLEN,
		"nack lib size");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_nack_mcp) + OMX_HEAD_LEN == OMX_NACK_MCP_HLEN,
		"nack mcp size");

/* HOST_QUERY and HOST_REPLY share their layout but for byte 1. */
OMX_WIRE_ASSERT(offsetof(struct omx_wire_host_query, peer_index) ==
		offsetof(struct omx_wire_host_reply, peer_index) &&
		offsetof(struct omx_wire_host_query, magic) ==
		offsetof(struct omx_wire_host_reply, magic), "host query/reply layouts");

/* Every fixed header fits in a minimum-size Ethernet frame. */
OMX_WIRE_ASSERT(OMX_PULL_HLEN <= OMX_ETH_ZLEN, "largest header fits in ETH_ZLEN");
OMX_WIRE_ASSERT(OMX_CONNECT_HLEN <= OMX_ETH_ZLEN && OMX_RNDV_HLEN <= OMX_ETH_ZLEN &&
		OMX_MEDIUM_FRAG_HLEN <= OMX_ETH_ZLEN && OMX_TRUC_HLEN <= OMX_ETH_ZLEN,
		"headers fit in ETH_ZLEN");

/* The steering offsets (NIC side relies on these). */
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_truc, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"truc dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_connect, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"connect dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_msg, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"tiny/small/rndv dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_medium, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"medium dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_pull, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"pull dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_notify, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"notify dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_nack_lib, dst_endpoint) == OMX_NACK_LIB_DST_OFFSET,
		"nack lib dst endpoint at 25");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_pull_reply, dst_magic) + 3 == OMX_MAGIC_DST_OFFSET,
		"pull reply magic low byte at 31");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_nack_mcp, dst_endpoint) == OMX_DST_ENDPOINT_OFFSET,
		"nack mcp dst endpoint at 17");
OMX_WIRE_ASSERT(OMX_WIRE_FOFF(omx_wire_nack_mcp, src_magic) + 3 == OMX_MAGIC_DST_OFFSET,
		"nack mcp magic low byte at 31 too");

/* Field placements that the message-class code relies on. */
OMX_WIRE_ASSERT(offsetof(struct omx_wire_medium, session) ==
		offsetof(struct omx_wire_msg, session), "medium extends msg");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_medium, frag_length) == 24, "frag length at 24");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_medium, checksum) == 28, "medium checksum at 28");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_rndv, msg_length) == 24, "rndv data at 24");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_rndv) - sizeof(struct omx_wire_msg) ==
		OMX_RNDV_DATA_LEN, "rndv data is 8 bytes");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_truc, truc_type) == OMX_TRUC_DATA_OFFSET,
		"truc data at 12");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_truc) - OMX_TRUC_DATA_OFFSET == OMX_TRUC_ACK_DATA_LEN,
		"truc ack data is 16 bytes");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_connect, src_session_id) == OMX_CONNECT_DATA_OFFSET,
		"connect data at 16");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_connect, is_reply) == 26, "is_reply at 26");
OMX_WIRE_ASSERT(sizeof(struct omx_wire_connect) - OMX_CONNECT_DATA_OFFSET ==
		OMX_CONNECT_DATA_LEN, "connect data is 16 bytes");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_pull, frame_index) == 40, "pull frame index at 40");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_notify, lib_seqnum) == 18, "notify seqnum at 18");
OMX_WIRE_ASSERT(offsetof(struct omx_wire_nack_lib, lib_seqnum) == 12, "nack seqnum at 12");

/* Size limits and the fields that carry them. */
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAG_LEN(OMX_MTU_9000) == OMX_MEDIUM_FRAG_LEN_9000, "9000 frag");
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAG_LEN(OMX_MTU_1500) == OMX_MEDIUM_FRAG_LEN_1500, "1500 frag");
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAG_LEN(OMX_MTU_MIN) == OMX_MEDIUM_FRAG_LEN_MIN, "min frag");
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAG_LEN_MAX <= 0xffff, "frag length fits 16 bits");
OMX_WIRE_ASSERT(OMX_PULL_REPLY_LEN(OMX_MTU_9000) == OMX_PULL_REPLY_LEN_9000, "9000 reply");
OMX_WIRE_ASSERT(OMX_PULL_REPLY_LEN(OMX_MTU_1500) == OMX_PULL_REPLY_LEN_1500, "1500 reply");
OMX_WIRE_ASSERT(OMX_PULL_REPLY_LEN_MAX <= 0xffff, "reply length fits 16 bits");
OMX_WIRE_ASSERT(OMX_PULL_BLOCK_LEN(OMX_MTU_9000) == OMX_PULL_BLOCK_LEN_9000, "9000 block");
OMX_WIRE_ASSERT(OMX_PULL_BLOCK_LEN(OMX_MTU_1500) == OMX_PULL_BLOCK_LEN_1500, "1500 block");
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAGS_MAX * OMX_MEDIUM_FRAG_LEN_MIN >= OMX_MEDIUM_MAX,
		"a medium message fits at the smallest MTU");
OMX_WIRE_ASSERT(OMX_MEDIUM_FRAGS_MAX <= 256, "frag_seqnum is one byte");
OMX_WIRE_ASSERT(OMX_TINY_MAX <= OMX_SMALL_MAX && OMX_SMALL_MAX <= OMX_MEDIUM_MAX,
		"size classes are ordered");
OMX_WIRE_ASSERT(OMX_MSG_HLEN + OMX_SMALL_MAX <= OMX_MTU_MIN, "small fits at min MTU");
OMX_WIRE_ASSERT(OMX_HOST_REPLY_HLEN + OMX_HOSTNAME_LEN_MAX <= OMX_MTU_MIN,
		"host reply fits at min MTU");
OMX_WIRE_ASSERT(OMX_RAW_FRAME_LEN_MAX <= OMX_MTU_MIN, "raw frame fits at min MTU");
OMX_WIRE_ASSERT(OMX_MTU_MIN <= OMX_MTU_1500 && OMX_MTU_1500 <= OMX_MTU_MAX,
		"supported MTUs are ordered");
OMX_WIRE_ASSERT(OMX_NACK_TYPE_NR <= 256 && OMX_PKT_TYPE_NR <= 256, "type bytes");
OMX_WIRE_ASSERT((OMX_SEQNUM_MASK | OMX_SESNUM_MASK) == 0xffff, "seqnum + sesnum = 16 bits");

#endif /* OMX_WIRE_H */
