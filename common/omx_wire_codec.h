/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx wire codec: encode, validate and decode omx frames.
 *
 * Pure functions over byte buffers: no allocation, no locking, no kernel or
 * libc calls, so that the kernel module, the library, the tools and the
 * host unit tests and fuzzers run the very same code. Callers hand in a
 * linear copy of at least the frame's fixed header (the kernel copies it
 * out of non-linear skbs first); "len" is the whole frame length so that
 * declared payload lengths can be checked against it.
 *
 * Frames are described in host byte order by struct omx_pkt. The layouts
 * and limits are in omx_wire.h and docs/wire.md.
 */
#ifndef OMX_WIRE_CODEC_H
#define OMX_WIRE_CODEC_H

#include "omx_wire.h"

#ifndef __KERNEL__
#include <stdbool.h>
#endif

/*
 * What omx_wire_validate() thinks of a frame. OK is 0; the others say which
 * rule the frame broke, for drop counters and debug messages.
 */
enum omx_wire_verdict {
	OMX_WIRE_OK = 0,
	OMX_WIRE_TOO_SHORT,		/* shorter than the fixed header of its type */
	OMX_WIRE_BAD_ETHERTYPE,		/* not OMX_ETH_P */
	OMX_WIRE_BAD_TYPE,		/* packet type not defined by the protocol */
	OMX_WIRE_UNSUPPORTED_TYPE,	/* defined, but omx does not implement it */
	OMX_WIRE_BAD_LENGTH,		/* a length field exceeds its class limit or the frame */
	OMX_WIRE_BAD_FRAG,		/* fragment/frame index or offset out of range */
	OMX_WIRE_BAD_NACK,		/* unknown nack code */
	OMX_WIRE_BAD_SUBTYPE,		/* unknown TRUC subtype or CONNECT is_reply value */
	OMX_WIRE_VERDICT_NR
};

/*
 * The packet type table, one entry per defined packet type.
 */
struct omx_wire_type_info {
	const char *name;	/* short lower-case name, e.g. "pull-reply" */
	__u8 hdr_len;		/* frame bytes up to the end of the fixed header */
	__s8 dst_offset;	/* frame offset of the steering byte, -1 if none */
	__u8 flags;		/* OMX_WIRE_F_* */
};

#define OMX_WIRE_F_DECODED	0x01	/* omx encodes and decodes this type */
#define OMX_WIRE_F_PAYLOAD	0x02	/* data follows the fixed header */
#define OMX_WIRE_F_MAGIC_DST	0x04	/* the steering byte is a pull magic's low byte */

/* Returns the table entry for a packet type byte, NULL if undefined. */
const struct omx_wire_type_info *omx_wire_type(unsigned int ptype);

/* Short name of a packet type, "unknown" if undefined. */
const char *omx_wire_type_name(unsigned int ptype);
const char *omx_wire_verdict_name(enum omx_wire_verdict verdict);
const char *omx_wire_nack_name(unsigned int nack_type);

/*
 * Host-order descriptions of the frames.
 */

/* Fields common to TINY, SMALL, MEDIUM and RNDV. */
struct omx_pkt_msg {
	__u64 match_info;
	__u32 session;
	__u16 lib_seqnum;
	__u16 lib_piggyack;
	__u16 checksum;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
};

/* TINY and SMALL: length payload bytes follow the header. */
struct omx_pkt_eager {
	struct omx_pkt_msg msg;
	__u16 length;
};

/* MEDIUM: one fragment of msg_length bytes. */
struct omx_pkt_medium {
	struct omx_pkt_msg msg;
	__u32 msg_length;
	__u16 frag_length;
	__u8 frag_seqnum;
};

/*
 * RNDV (msg.checksum is carried too).  data_len is the rendezvous data
 * length (msg.length on the wire; encode writes OMX_RNDV_DATA_LEN for
 * 0); data beyond OMX_RNDV_DATA_LEN is the payload (payload_offset,
 * payload_len): omx's token_hi, see omx_wire.h.
 */
struct omx_pkt_rndv {
	struct omx_pkt_msg msg;
	__u32 msg_length;
	__u16 pulled_rdma_offset;
	__u16 data_len;
	__u8 pulled_rdma_id;
	__u8 pulled_rdma_seqnum;
};

/* TRUC carrying an ack. */
struct omx_pkt_liback {
	__u32 session;
	__u32 ack_session;
	__u32 acknum;
	__u16 lib_seqnum;
	__u16 send_seq;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
	__u8 resent;
};

/* CONNECT request (is_reply == 0) or reply (is_reply == 1). */
struct omx_pkt_connect {
	__u32 src_session_id;
	__u32 app_key;			/* request only */
	__u32 target_session_id;	/* reply only */
	__u16 lib_seqnum;
	__u16 peer_index;		/* target's index in the sender's peer table */
	__u16 target_recv_seqnum_start;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
	__u8 is_reply;
	__u8 connect_seqnum;
	__u8 status;			/* reply only, OMX_CONNECT_STATUS_* */
};

/* pulled_rdma_id is the wire field's low byte; token_hi the rest (omx_wire.h) */
struct omx_pkt_pull {
	__u32 session;
	__u32 total_length;
	__u32 pulled_rdma_id;
	__u32 token_hi;
	__u32 pulled_rdma_offset;
	__u32 src_pull_handle;
	__u32 src_magic;
	__u32 first_frame_offset;
	__u32 block_length;
	__u32 frame_index;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
	__u8 pulled_rdma_seqnum;
};

struct omx_pkt_pull_reply {
	__u32 msg_offset;
	__u32 dst_pull_handle;
	__u32 dst_magic;
	__u16 frame_length;
	__u8 frame_seqnum;
};

struct omx_pkt_notify {
	__u32 session;
	__u32 total_length;
	__u16 lib_seqnum;
	__u16 lib_piggyack;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
	__u8 pulled_rdma_id;
	__u8 pulled_rdma_seqnum;
};

struct omx_pkt_nack_lib {
	__u16 peer_index;
	__u16 lib_seqnum;
	__u8 dst_endpoint;
	__u8 src_endpoint;
	__u8 src_generation;
	__u8 nack_type;
};

struct omx_pkt_nack_mcp {
	__u32 src_pull_handle;
	__u32 src_magic;
	__u8 dst_endpoint;		/* the puller (wire byte 17) */
	__u8 src_generation;
	__u8 nack_type;
};

/* HOST_QUERY and HOST_REPLY (hostname_len is 0 for a query). */
struct omx_pkt_host {
	__u32 magic;
	__u16 peer_index;		/* target's index in the sender's peer table */
	__u8 hostname_len;
};

/*
 * A whole frame. encode reads the header fields and the member of the union
 * that "type" selects; decode fills them and the payload position.
 */
struct omx_pkt {
	__u8 dst_mac[OMX_ETH_ALEN];
	__u8 src_mac[OMX_ETH_ALEN];
	__u16 peer_index;		/* sender's index in the receiver's peer table */
	__u8 type;			/* enum omx_pkt_type */
	/* set by decode, ignored by encode: */
	__u16 payload_offset;		/* frame offset of the first payload byte */
	__u32 payload_len;		/* declared payload bytes (0 if none) */
	union {
		struct omx_pkt_host host_query;
		struct omx_pkt_host host_reply;
		struct omx_pkt_liback truc;
		struct omx_pkt_connect connect;
		struct omx_pkt_eager tiny;
		struct omx_pkt_eager small;
		struct omx_pkt_medium medium;
		struct omx_pkt_rndv rndv;
		struct omx_pkt_pull pull;
		struct omx_pkt_pull_reply pull_reply;
		struct omx_pkt_notify notify;
		struct omx_pkt_nack_lib nack_lib;
		struct omx_pkt_nack_mcp nack_mcp;
	};
};

/*
 * Writes the fixed header of pkt->type (Ethernet header included) at the
 * start of buf, pads and reserved bytes zeroed, and returns its length,
 * which is where the payload goes. Returns 0 if the type is not one omx
 * encodes or if size is too small. Field values are not range-checked:
 * the sender validates what it is asked to send.
 */
size_t omx_wire_encode(const struct omx_pkt *pkt, void *buf, size_t size);

/*
 * Checks a received frame of len bytes. Needs only the fixed header of the
 * type to be readable in frame, never reads past min(len, header length).
 */
enum omx_wire_verdict omx_wire_validate(const void *frame, size_t len);

/*
 * Validates, then fills pkt (entirely, unused members zeroed) if the frame
 * is OK. pkt is left zeroed otherwise.
 */
enum omx_wire_verdict omx_wire_decode(const void *frame, size_t len, struct omx_pkt *pkt);

/*
 * The destination endpoint a NIC should steer this frame by: the byte at
 * the type's dst_offset (the endpoint index; for PULL_REPLY the low byte
 * of the puller's magic, which omx sets to the endpoint index). -1 if the
 * frame is not omx, its type has no destination endpoint, or it is too
 * short. Does not validate anything else.
 */
int omx_wire_dst_endpoint(const void *frame, size_t len);

/*
 * The fabric's sizes, from an interface's Linux MTU (IP payload, as
 * struct omx_board_info and struct omx_endpoint_info report it). The
 * frame size used is the largest standard one the interface carries,
 * OMX_MTU_9000, else OMX_MTU_1500, else whatever frame it carries, so
 * every node of a fabric computes the same sizes from MTUs that differ
 * only by what lies between two standard sizes. The kernel (what it
 * sends and checks) and the library (how it cuts and reassembles medium
 * messages) must both take their sizes from here.
 *
 * omx_wire_medium_frag_len(): medium fragment payload,
 * OMX_MEDIUM_FRAG_LEN() of that frame size; 0 if no payload fits. Below
 * OMX_MTU_MIN it is under OMX_MEDIUM_FRAG_LEN_MIN, which a 32 KiB message
 * cannot use.
 * omx_wire_pull_reply_len(): pull reply payload, OMX_PULL_REPLY_LEN() of
 * that frame size; 0 if no payload fits.
 */
__u32 omx_wire_medium_frag_len(__u32 iface_mtu);
__u32 omx_wire_pull_reply_len(__u32 iface_mtu);

/*
 * Checks that need the fabric's fragment/reply sizes (see OMX_MTU_*).
 *
 * Where a MEDIUM fragment's bytes go in its message when senders cut
 * messages in frag_len-byte fragments: checks the fragment against that
 * size (every fragment but the last is full, the last ends the message) and
 * sets *offset. Returns OMX_WIRE_OK or OMX_WIRE_BAD_FRAG.
 */
enum omx_wire_verdict omx_wire_medium_frag_offset(const struct omx_pkt_medium *medium,
						  __u32 frag_len, __u32 *offset);

/*
 * Number of PULL_REPLY frames a PULL block asks for with reply_len-byte
 * replies; 0 if the block is empty or needs more than
 * OMX_PULL_REPLIES_PER_BLOCK replies or first_frame_offset >= reply_len.
 */
__u32 omx_wire_pull_block_replies(const struct omx_pkt_pull *pull, __u32 reply_len);

/*
 * Sequence numbers: 2 bits of session, 14 bits of wrapping count (see
 * omx_wire.h). Comparisons look at the count only; check the session
 * separately with omx_seq_same_session().
 */
static inline __u16 omx_seq_num(__u16 seq)
{
	return seq & OMX_SEQNUM_MASK;
}

static inline __u16 omx_seq_ses(__u16 seq)
{
	return (seq & OMX_SESNUM_MASK) >> OMX_SESNUM_SHIFT;
}

static inline __u16 omx_seq_make(unsigned int ses, unsigned int num)
{
	return (__u16)(((ses << OMX_SESNUM_SHIFT) & OMX_SESNUM_MASK) | (num & OMX_SEQNUM_MASK));
}

/* seq advanced by n, session kept. */
static inline __u16 omx_seq_add(__u16 seq, unsigned int n)
{
	return (__u16)((seq & OMX_SESNUM_MASK) | ((seq + n) & OMX_SEQNUM_MASK));
}

/* How far "to" is ahead of "from", 0..0x3fff. */
static inline __u16 omx_seq_dist(__u16 from, __u16 to)
{
	return (__u16)((to - from) & OMX_SEQNUM_MASK);
}

/* a - b as a signed count in -8192..8191. */
static inline int omx_seq_diff(__u16 a, __u16 b)
{
	int d = omx_seq_dist(b, a);

	return d > (int)OMX_SEQNUM_UNACKED_MAX ? d - (int)(OMX_SEQNUM_MASK + 1) : d;
}

static inline bool omx_seq_before(__u16 a, __u16 b)
{
	return omx_seq_diff(a, b) < 0;
}

static inline bool omx_seq_after(__u16 a, __u16 b)
{
	return omx_seq_diff(a, b) > 0;
}

/* start <= seq < start + size, modulo the count space (size <= 0x4000). */
static inline bool omx_seq_in_window(__u16 seq, __u16 start, unsigned int size)
{
	return omx_seq_dist(start, seq) < size;
}

static inline bool omx_seq_same_session(__u16 a, __u16 b)
{
	return ((a ^ b) & OMX_SESNUM_MASK) == 0;
}

/* The next partner session number (2 bits, wraps). */
static inline __u16 omx_ses_next(__u16 ses)
{
	return (ses + 1) & (OMX_SESNUM_MASK >> OMX_SESNUM_SHIFT);
}

/*
 * 8-bit wrapping counters: PULL_REPLY frame_seqnum (frame index modulo
 * 256) and CONNECT connect_seqnum.
 */
static inline __u8 omx_seq8_dist(__u8 from, __u8 to)
{
	return (__u8)(to - from);
}

static inline int omx_seq8_diff(__u8 a, __u8 b)
{
	int d = omx_seq8_dist(b, a);

	return d > 127 ? d - 256 : d;
}

/* The pull magic for an endpoint, and back (-1 if not an omx magic). */
static inline __u32 omx_pull_magic(unsigned int endpoint)
{
	return OMX_PULL_MAGIC(endpoint);
}

static inline int omx_pull_magic_endpoint(__u32 magic)
{
	if ((magic & ~0xffU) != OMX_PULL_MAGIC_BASE)
		return -1;
	return (int)(magic & 0xffU);
}

#endif /* OMX_WIRE_CODEC_H */
