// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx wire codec: see omx_wire_codec.h.
 *
 * Frames are read and written byte by byte at offsets taken from the
 * omx_wire.h structs, so the code works at any alignment and on any host
 * byte order, and never depends on memcpy/memset being available.
 */
#include "omx_wire_codec.h"
#include "omx_steer.h"

/* Frame offset of a body field. */
#define FOFF(body, field)	OMX_WIRE_FOFF(omx_wire_##body, field)

static inline __u16 get16(const __u8 *p)
{
	return (__u16)((p[0] << 8) | p[1]);
}

static inline __u32 get32(const __u8 *p)
{
	return ((__u32)p[0] << 24) | ((__u32)p[1] << 16) | ((__u32)p[2] << 8) | p[3];
}

static inline void put16(__u8 *p, __u16 v)
{
	p[0] = (__u8)(v >> 8);
	p[1] = (__u8)(v & 0xff);
}

static inline void put32(__u8 *p, __u32 v)
{
	p[0] = (__u8)(v >> 24);
	p[1] = (__u8)((v >> 16) & 0xff);
	p[2] = (__u8)((v >> 8) & 0xff);
	p[3] = (__u8)(v & 0xff);
}

static void zero_bytes(void *p, size_t n)
{
	__u8 *b = p;

	while (n--)
		*b++ = 0;
}

/*
 * The declared extent of a frame (header + what its length field says)
 * must fit in the frame.
 */
static inline enum omx_wire_verdict fits(size_t need, size_t len)
{
	return need <= len ? OMX_WIRE_OK : OMX_WIRE_BAD_LENGTH;
}

/*
 * Per-type checks. Called once the frame holds the type's fixed header.
 */

static enum omx_wire_verdict check_none(const __u8 *f, size_t len)
{
	(void)f;
	(void)len;
	return OMX_WIRE_OK;
}

static enum omx_wire_verdict check_raw(const __u8 *f, size_t len)
{
	(void)f;
	return len <= OMX_RAW_FRAME_LEN_MAX ? OMX_WIRE_OK : OMX_WIRE_BAD_LENGTH;
}

static enum omx_wire_verdict check_host_reply(const __u8 *f, size_t len)
{
	unsigned int n = f[FOFF(host_reply, hostname_len)];

	if (n == 0 || n > OMX_HOSTNAME_LEN_MAX)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_HOST_REPLY_HLEN + n, len);
}

static enum omx_wire_verdict check_truc(const __u8 *f, size_t len)
{
	unsigned int n = f[FOFF(truc, data_len)];

	if (f[FOFF(truc, truc_type)] != OMX_TRUC_TYPE_ACK)
		return OMX_WIRE_BAD_SUBTYPE;
	if (n < OMX_TRUC_ACK_DATA_LEN)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_HEAD_LEN + OMX_TRUC_DATA_OFFSET + n, len);
}

static enum omx_wire_verdict check_connect(const __u8 *f, size_t len)
{
	unsigned int n = f[FOFF(connect, data_len)];

	if (f[FOFF(connect, is_reply)] > 1)
		return OMX_WIRE_BAD_SUBTYPE;
	if (n < OMX_CONNECT_DATA_LEN)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_HEAD_LEN + OMX_CONNECT_DATA_OFFSET + n, len);
}

static enum omx_wire_verdict check_eager(const __u8 *f, size_t len, unsigned int max)
{
	unsigned int n = get16(f + FOFF(msg, length));

	if (n > max)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_MSG_HLEN + n, len);
}

static enum omx_wire_verdict check_tiny(const __u8 *f, size_t len)
{
	return check_eager(f, len, OMX_TINY_MAX);
}

static enum omx_wire_verdict check_small(const __u8 *f, size_t len)
{
	return check_eager(f, len, OMX_SMALL_MAX);
}

/*
 * The receiver does not know the sender's fragment size here, only that it
 * is at least OMX_MEDIUM_FRAG_LEN_MIN: fragment frag_seqnum thus starts at
 * or after frag_seqnum * OMX_MEDIUM_FRAG_LEN_MIN and must end within the
 * message. omx_wire_medium_frag_offset() checks the exact position.
 */
static enum omx_wire_verdict check_medium(const __u8 *f, size_t len)
{
	__u32 msg_len = get32(f + FOFF(medium, msg_length));
	__u32 frag_len = get16(f + FOFF(medium, frag_length));
	__u32 seq = f[FOFF(medium, frag_seqnum)];

	if (frag_len == 0 || frag_len > OMX_MEDIUM_FRAG_LEN_MAX ||
	    msg_len > OMX_MEDIUM_MAX || frag_len > msg_len)
		return OMX_WIRE_BAD_LENGTH;
	if (seq >= OMX_MEDIUM_FRAGS_MAX ||
	    seq * OMX_MEDIUM_FRAG_LEN_MIN + frag_len > msg_len)
		return OMX_WIRE_BAD_FRAG;
	return fits(OMX_MEDIUM_FRAG_HLEN + frag_len, len);
}

static enum omx_wire_verdict check_rndv(const __u8 *f, size_t len)
{
	unsigned int n = get16(f + FOFF(msg, length));

	if (n < OMX_RNDV_DATA_LEN)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_MSG_HLEN + n, len);
}

/*
 * A block is at most OMX_PULL_REPLIES_PER_BLOCK replies of the largest
 * reply size; omx_wire_pull_block_replies() checks it against the actual
 * size.
 */
static enum omx_wire_verdict check_pull(const __u8 *f, size_t len)
{
	__u32 total = get32(f + FOFF(pull, total_length));
	__u32 block = get32(f + FOFF(pull, block_length));
	__u32 first = get32(f + FOFF(pull, first_frame_offset));

	(void)len;
	if (block == 0 || block > total || block > OMX_PULL_BLOCK_LEN_MAX)
		return OMX_WIRE_BAD_LENGTH;
	if (first >= OMX_PULL_REPLY_LEN_MAX || first + block > OMX_PULL_BLOCK_LEN_MAX)
		return OMX_WIRE_BAD_FRAG;
	return OMX_WIRE_OK;
}

static enum omx_wire_verdict check_pull_reply(const __u8 *f, size_t len)
{
	unsigned int n = get16(f + FOFF(pull_reply, frame_length));

	if (n == 0 || n > OMX_PULL_REPLY_LEN_MAX)
		return OMX_WIRE_BAD_LENGTH;
	return fits(OMX_PULL_REPLY_HLEN + n, len);
}

static enum omx_wire_verdict check_nack_code(unsigned int code)
{
	return code > OMX_NACK_TYPE_NONE && code < OMX_NACK_TYPE_NR ?
		OMX_WIRE_OK : OMX_WIRE_BAD_NACK;
}

static enum omx_wire_verdict check_nack_lib(const __u8 *f, size_t len)
{
	(void)len;
	return check_nack_code(f[FOFF(nack_lib, nack_type)]);
}

static enum omx_wire_verdict check_nack_mcp(const __u8 *f, size_t len)
{
	(void)len;
	return check_nack_code(f[FOFF(nack_mcp, nack_type)]);
}

/*
 * Per-type decoders: fill the union member and the payload length.
 */

static void get_msg(const __u8 *f, struct omx_pkt_msg *m)
{
	m->dst_endpoint = f[FOFF(msg, dst_endpoint)];
	m->src_endpoint = f[FOFF(msg, src_endpoint)];
	m->src_generation = f[FOFF(msg, src_generation)];
	m->lib_seqnum = get16(f + FOFF(msg, lib_seqnum));
	m->lib_piggyack = get16(f + FOFF(msg, lib_piggyack));
	m->match_info = ((__u64)get32(f + FOFF(msg, match_hi)) << 32) |
			get32(f + FOFF(msg, match_lo));
	m->session = get32(f + FOFF(msg, session));
}

static void decode_raw(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	(void)f;
	pkt->payload_len = (__u32)(len - OMX_RAW_HLEN);
}

static void decode_host(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_host *h = &pkt->host_query;

	(void)len;
	h->peer_index = get16(f + FOFF(host_query, peer_index));
	h->magic = get32(f + FOFF(host_query, magic));
	if (pkt->type == OMX_PKT_TYPE_HOST_REPLY) {
		h->hostname_len = f[FOFF(host_reply, hostname_len)];
		pkt->payload_len = h->hostname_len;
	}
}

static void decode_truc(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_liback *t = &pkt->truc;

	(void)len;
	t->dst_endpoint = f[FOFF(truc, dst_endpoint)];
	t->src_endpoint = f[FOFF(truc, src_endpoint)];
	t->src_generation = f[FOFF(truc, src_generation)];
	t->session = get32(f + FOFF(truc, session));
	t->lib_seqnum = get16(f + FOFF(truc, lib_seqnum));
	t->ack_session = get32(f + FOFF(truc, ack_session));
	t->acknum = get32(f + FOFF(truc, acknum));
	t->send_seq = get16(f + FOFF(truc, send_seq));
	t->resent = f[FOFF(truc, resent)];
}

static void decode_connect(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_connect *c = &pkt->connect;
	__u32 word20 = get32(f + FOFF(connect, app_key));

	(void)len;
	c->dst_endpoint = f[FOFF(connect, dst_endpoint)];
	c->src_endpoint = f[FOFF(connect, src_endpoint)];
	c->src_generation = f[FOFF(connect, src_generation)];
	c->lib_seqnum = get16(f + FOFF(connect, lib_seqnum));
	c->peer_index = get16(f + FOFF(connect, peer_index));
	c->src_session_id = get32(f + FOFF(connect, src_session_id));
	c->target_recv_seqnum_start = get16(f + FOFF(connect, target_recv_seqnum_start));
	c->is_reply = f[FOFF(connect, is_reply)];
	c->connect_seqnum = f[FOFF(connect, connect_seqnum)];
	if (c->is_reply) {
		c->target_session_id = word20;
		c->status = f[FOFF(connect, status)];
	} else {
		c->app_key = word20;
	}
}

static void decode_eager(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_eager *e = &pkt->tiny;

	(void)len;
	get_msg(f, &e->msg);
	e->msg.checksum = get16(f + FOFF(msg, checksum));
	e->length = get16(f + FOFF(msg, length));
	pkt->payload_len = e->length;
}

static void decode_medium(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_medium *m = &pkt->medium;

	(void)len;
	get_msg(f, &m->msg);
	m->msg.checksum = get16(f + FOFF(medium, checksum));
	m->msg_length = get32(f + FOFF(medium, msg_length));
	m->frag_length = get16(f + FOFF(medium, frag_length));
	m->frag_seqnum = f[FOFF(medium, frag_seqnum)];
	pkt->payload_len = m->frag_length;
}

static void decode_rndv(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_rndv *r = &pkt->rndv;

	(void)len;
	get_msg(f, &r->msg);
	r->msg.checksum = get16(f + FOFF(msg, checksum));
	r->msg_length = get32(f + FOFF(rndv, msg_length));
	r->pulled_rdma_id = f[FOFF(rndv, pulled_rdma_id)];
	r->pulled_rdma_seqnum = f[FOFF(rndv, pulled_rdma_seqnum)];
	r->pulled_rdma_offset = get16(f + FOFF(rndv, pulled_rdma_offset));
	r->data_len = get16(f + FOFF(msg, length));
	/* check_rndv() made sure the frame holds it */
	pkt->payload_offset = OMX_RNDV_HLEN;
	pkt->payload_len = r->data_len - OMX_RNDV_DATA_LEN;
}

static void decode_pull(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_pull *p = &pkt->pull;

	(void)len;
	p->dst_endpoint = f[FOFF(pull, dst_endpoint)];
	p->src_endpoint = f[FOFF(pull, src_endpoint)];
	p->src_generation = f[FOFF(pull, src_generation)];
	p->session = get32(f + FOFF(pull, session));
	p->total_length = get32(f + FOFF(pull, total_length));
	p->pulled_rdma_id = get32(f + FOFF(pull, pulled_rdma_id)) & 0xffU;
	p->token_hi = (get32(f + FOFF(pull, pulled_rdma_id)) & ~0xffU) | f[FOFF(pull, pad17)];
	p->pulled_rdma_seqnum = f[FOFF(pull, pulled_rdma_seqnum)];
	p->pulled_rdma_offset = get32(f + FOFF(pull, pulled_rdma_offset));
	p->src_pull_handle = get32(f + FOFF(pull, src_pull_handle));
	p->src_magic = get32(f + FOFF(pull, src_magic));
	p->first_frame_offset = get32(f + FOFF(pull, first_frame_offset));
	p->block_length = get32(f + FOFF(pull, block_length));
	p->frame_index = get32(f + FOFF(pull, frame_index));
}

static void decode_pull_reply(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_pull_reply *r = &pkt->pull_reply;

	(void)len;
	r->frame_seqnum = f[FOFF(pull_reply, frame_seqnum)];
	r->frame_length = get16(f + FOFF(pull_reply, frame_length));
	r->msg_offset = get32(f + FOFF(pull_reply, msg_offset));
	r->dst_pull_handle = get32(f + FOFF(pull_reply, dst_pull_handle));
	r->dst_magic = get32(f + FOFF(pull_reply, dst_magic));
	pkt->payload_len = r->frame_length;
}

static void decode_notify(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_notify *n = &pkt->notify;

	(void)len;
	n->dst_endpoint = f[FOFF(notify, dst_endpoint)];
	n->src_endpoint = f[FOFF(notify, src_endpoint)];
	n->src_generation = f[FOFF(notify, src_generation)];
	n->session = get32(f + FOFF(notify, session));
	n->total_length = get32(f + FOFF(notify, total_length));
	n->pulled_rdma_id = f[FOFF(notify, pulled_rdma_id)];
	n->pulled_rdma_seqnum = f[FOFF(notify, pulled_rdma_seqnum)];
	n->lib_seqnum = get16(f + FOFF(notify, lib_seqnum));
	n->lib_piggyack = get16(f + FOFF(notify, lib_piggyack));
}

static void decode_nack_lib(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_nack_lib *n = &pkt->nack_lib;

	(void)len;
	n->src_endpoint = f[FOFF(nack_lib, src_endpoint)];
	n->src_generation = f[FOFF(nack_lib, src_generation)];
	n->nack_type = f[FOFF(nack_lib, nack_type)];
	n->dst_endpoint = f[FOFF(nack_lib, dst_endpoint)];
	n->peer_index = get16(f + FOFF(nack_lib, peer_index));
	n->lib_seqnum = get16(f + FOFF(nack_lib, lib_seqnum));
}

static void decode_nack_mcp(const __u8 *f, size_t len, struct omx_pkt *pkt)
{
	struct omx_pkt_nack_mcp *n = &pkt->nack_mcp;

	(void)len;
	n->dst_endpoint = f[FOFF(nack_mcp, dst_endpoint)];
	n->src_generation = f[FOFF(nack_mcp, src_generation)];
	n->nack_type = f[FOFF(nack_mcp, nack_type)];
	n->src_pull_handle = get32(f + FOFF(nack_mcp, src_pull_handle));
	n->src_magic = get32(f + FOFF(nack_mcp, src_magic));
}

/*
 * Per-type encoders: write the body fields into a zeroed header.
 */

static void put_msg(__u8 *f, const struct omx_pkt_msg *m)
{
	f[FOFF(msg, dst_endpoint)] = m->dst_endpoint;
	f[FOFF(msg, src_endpoint)] = m->src_endpoint;
	f[FOFF(msg, src_generation)] = m->src_generation;
	put16(f + FOFF(msg, lib_seqnum), m->lib_seqnum);
	put16(f + FOFF(msg, lib_piggyack), m->lib_piggyack);
	put32(f + FOFF(msg, match_hi), (__u32)(m->match_info >> 32));
	put32(f + FOFF(msg, match_lo), (__u32)m->match_info);
	put32(f + FOFF(msg, session), m->session);
}

static void encode_none(__u8 *f, const struct omx_pkt *pkt)
{
	(void)f;
	(void)pkt;
}

static void encode_host(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_host *h = &pkt->host_query;

	put16(f + FOFF(host_query, peer_index), h->peer_index);
	put32(f + FOFF(host_query, magic), h->magic);
	if (pkt->type == OMX_PKT_TYPE_HOST_REPLY)
		f[FOFF(host_reply, hostname_len)] = h->hostname_len;
}

static void encode_truc(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_liback *t = &pkt->truc;

	f[FOFF(truc, dst_endpoint)] = t->dst_endpoint;
	f[FOFF(truc, src_endpoint)] = t->src_endpoint;
	f[FOFF(truc, src_generation)] = t->src_generation;
	f[FOFF(truc, data_len)] = OMX_TRUC_ACK_DATA_LEN;
	put32(f + FOFF(truc, session), t->session);
	f[FOFF(truc, truc_type)] = OMX_TRUC_TYPE_ACK;
	put16(f + FOFF(truc, lib_seqnum), t->lib_seqnum);
	put32(f + FOFF(truc, ack_session), t->ack_session);
	put32(f + FOFF(truc, acknum), t->acknum);
	put16(f + FOFF(truc, send_seq), t->send_seq);
	f[FOFF(truc, resent)] = t->resent;
}

static void encode_connect(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_connect *c = &pkt->connect;

	f[FOFF(connect, dst_endpoint)] = c->dst_endpoint;
	f[FOFF(connect, src_endpoint)] = c->src_endpoint;
	f[FOFF(connect, src_generation)] = c->src_generation;
	f[FOFF(connect, data_len)] = OMX_CONNECT_DATA_LEN;
	put16(f + FOFF(connect, lib_seqnum), c->lib_seqnum);
	put16(f + FOFF(connect, peer_index), c->peer_index);
	put32(f + FOFF(connect, src_session_id), c->src_session_id);
	put16(f + FOFF(connect, target_recv_seqnum_start), c->target_recv_seqnum_start);
	f[FOFF(connect, is_reply)] = c->is_reply;
	f[FOFF(connect, connect_seqnum)] = c->connect_seqnum;
	if (c->is_reply) {
		put32(f + FOFF(connect, target_session_id), c->target_session_id);
		f[FOFF(connect, status)] = c->status;
	} else {
		put32(f + FOFF(connect, app_key), c->app_key);
	}
}

static void encode_eager(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_eager *e = &pkt->tiny;

	put_msg(f, &e->msg);
	put16(f + FOFF(msg, checksum), e->msg.checksum);
	put16(f + FOFF(msg, length), e->length);
}

static void encode_medium(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_medium *m = &pkt->medium;

	put_msg(f, &m->msg);
	put16(f + FOFF(medium, checksum), m->msg.checksum);
	put32(f + FOFF(medium, msg_length), m->msg_length);
	put16(f + FOFF(medium, frag_length), m->frag_length);
	f[FOFF(medium, frag_seqnum)] = m->frag_seqnum;
}

static void encode_rndv(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_rndv *r = &pkt->rndv;

	put_msg(f, &r->msg);
	put16(f + FOFF(msg, checksum), r->msg.checksum);
	put16(f + FOFF(msg, length), r->data_len ? r->data_len : OMX_RNDV_DATA_LEN);
	put32(f + FOFF(rndv, msg_length), r->msg_length);
	f[FOFF(rndv, pulled_rdma_id)] = r->pulled_rdma_id;
	f[FOFF(rndv, pulled_rdma_seqnum)] = r->pulled_rdma_seqnum;
	put16(f + FOFF(rndv, pulled_rdma_offset), r->pulled_rdma_offset);
}

static void encode_pull(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_pull *p = &pkt->pull;

	f[FOFF(pull, dst_endpoint)] = p->dst_endpoint;
	f[FOFF(pull, src_endpoint)] = p->src_endpoint;
	f[FOFF(pull, src_generation)] = p->src_generation;
	put32(f + FOFF(pull, session), p->session);
	put32(f + FOFF(pull, total_length), p->total_length);
	put32(f + FOFF(pull, pulled_rdma_id), (p->token_hi & ~0xffU) | (p->pulled_rdma_id & 0xffU));
	f[FOFF(pull, pad17)] = (__u8)p->token_hi;
	f[FOFF(pull, pulled_rdma_seqnum)] = p->pulled_rdma_seqnum;
	put32(f + FOFF(pull, pulled_rdma_offset), p->pulled_rdma_offset);
	put32(f + FOFF(pull, src_pull_handle), p->src_pull_handle);
	put32(f + FOFF(pull, src_magic), p->src_magic);
	put32(f + FOFF(pull, first_frame_offset), p->first_frame_offset);
	put32(f + FOFF(pull, block_length), p->block_length);
	put32(f + FOFF(pull, frame_index), p->frame_index);
}

static void encode_pull_reply(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_pull_reply *r = &pkt->pull_reply;

	f[FOFF(pull_reply, frame_seqnum)] = r->frame_seqnum;
	put16(f + FOFF(pull_reply, frame_length), r->frame_length);
	put32(f + FOFF(pull_reply, msg_offset), r->msg_offset);
	put32(f + FOFF(pull_reply, dst_pull_handle), r->dst_pull_handle);
	put32(f + FOFF(pull_reply, dst_magic), r->dst_magic);
}

static void encode_notify(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_notify *n = &pkt->notify;

	f[FOFF(notify, dst_endpoint)] = n->dst_endpoint;
	f[FOFF(notify, src_endpoint)] = n->src_endpoint;
	f[FOFF(notify, src_generation)] = n->src_generation;
	put32(f + FOFF(notify, session), n->session);
	put32(f + FOFF(notify, total_length), n->total_length);
	f[FOFF(notify, pulled_rdma_id)] = n->pulled_rdma_id;
	f[FOFF(notify, pulled_rdma_seqnum)] = n->pulled_rdma_seqnum;
	put16(f + FOFF(notify, lib_seqnum), n->lib_seqnum);
	put16(f + FOFF(notify, lib_piggyack), n->lib_piggyack);
}

static void encode_nack_lib(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_nack_lib *n = &pkt->nack_lib;

	f[FOFF(nack_lib, src_endpoint)] = n->src_endpoint;
	f[FOFF(nack_lib, src_generation)] = n->src_generation;
	f[FOFF(nack_lib, nack_type)] = n->nack_type;
	f[FOFF(nack_lib, dst_endpoint)] = n->dst_endpoint;
	put16(f + FOFF(nack_lib, peer_index), n->peer_index);
	put16(f + FOFF(nack_lib, lib_seqnum), n->lib_seqnum);
}

static void encode_nack_mcp(__u8 *f, const struct omx_pkt *pkt)
{
	const struct omx_pkt_nack_mcp *n = &pkt->nack_mcp;

	f[FOFF(nack_mcp, dst_endpoint)] = n->dst_endpoint;
	f[FOFF(nack_mcp, src_generation)] = n->src_generation;
	f[FOFF(nack_mcp, nack_type)] = n->nack_type;
	put32(f + FOFF(nack_mcp, src_pull_handle), n->src_pull_handle);
	put32(f + FOFF(nack_mcp, src_magic), n->src_magic);
}

/*
 * The packet type table: what the protocol says about each type, and how
 * omx checks, decodes and encodes it. Types without ops are defined by the
 * protocol but not implemented.
 */
struct omx_wire_type_ops {
	struct omx_wire_type_info info;
	enum omx_wire_verdict (*check)(const __u8 *f, size_t len);
	void (*decode)(const __u8 *f, size_t len, struct omx_pkt *pkt);
	void (*encode)(__u8 *f, const struct omx_pkt *pkt);
};

#define TYPE(t, n, hlen, dst, fl, c, d, e)				\
	[OMX_PKT_TYPE_##t] = {						\
		.info = { .name = n, .hdr_len = hlen, .dst_offset = dst,	\
			  .flags = OMX_WIRE_F_DECODED | (fl) },		\
		.check = c, .decode = d, .encode = e,			\
	}
#define UNIMPLEMENTED(t, n)						\
	[OMX_PKT_TYPE_##t] = {						\
		.info = { .name = n, .hdr_len = OMX_RAW_HLEN, .dst_offset = -1 }, \
	}

#define DST	OMX_DST_ENDPOINT_OFFSET
#define PAYLOAD	OMX_WIRE_F_PAYLOAD
#define MAGIC	OMX_WIRE_F_MAGIC_DST

static const struct omx_wire_type_ops omx_wire_types[OMX_PKT_TYPE_NR] = {
	TYPE(RAW, "raw", OMX_RAW_HLEN, -1, PAYLOAD,
	     check_raw, decode_raw, encode_none),
	UNIMPLEMENTED(MFM_NIC_REPLY, "mfm-nic-reply"),
	TYPE(HOST_QUERY, "host-query", OMX_HOST_QUERY_HLEN, -1, 0,
	     check_none, decode_host, encode_host),
	TYPE(HOST_REPLY, "host-reply", OMX_HOST_REPLY_HLEN, -1, PAYLOAD,
	     check_host_reply, decode_host, encode_host),
	UNIMPLEMENTED(ETHER_UNICAST, "ether-unicast"),
	UNIMPLEMENTED(ETHER_MULTICAST, "ether-multicast"),
	UNIMPLEMENTED(ETHER_NATIVE, "ether-native"),
	TYPE(TRUC, "truc", OMX_TRUC_HLEN, DST, 0,
	     check_truc, decode_truc, encode_truc),
	TYPE(CONNECT, "connect", OMX_CONNECT_HLEN, DST, 0,
	     check_connect, decode_connect, encode_connect),
	TYPE(TINY, "tiny", OMX_MSG_HLEN, DST, PAYLOAD,
	     check_tiny, decode_eager, encode_eager),
	TYPE(SMALL, "small", OMX_MSG_HLEN, DST, PAYLOAD,
	     check_small, decode_eager, encode_eager),
	TYPE(MEDIUM, "medium", OMX_MEDIUM_FRAG_HLEN, DST, PAYLOAD,
	     check_medium, decode_medium, encode_medium),
	TYPE(RNDV, "rndv", OMX_RNDV_HLEN, DST, PAYLOAD,
	     check_rndv, decode_rndv, encode_rndv),
	TYPE(PULL, "pull", OMX_PULL_HLEN, DST, 0,
	     check_pull, decode_pull, encode_pull),
	TYPE(PULL_REPLY, "pull-reply", OMX_PULL_REPLY_HLEN, OMX_MAGIC_DST_OFFSET, PAYLOAD | MAGIC,
	     check_pull_reply, decode_pull_reply, encode_pull_reply),
	TYPE(NOTIFY, "notify", OMX_NOTIFY_HLEN, DST, 0,
	     check_none, decode_notify, encode_notify),
	TYPE(NACK_LIB, "nack-lib", OMX_NACK_LIB_HLEN, OMX_NACK_LIB_DST_OFFSET, 0,
	     check_nack_lib, decode_nack_lib, encode_nack_lib),
	TYPE(NACK_MCP, "nack-mcp", OMX_NACK_MCP_HLEN, DST, 0,
	     check_nack_mcp, decode_nack_mcp, encode_nack_mcp),
};

static const struct omx_wire_type_ops *type_ops(unsigned int ptype)
{
	if (ptype >= OMX_PKT_TYPE_NR || !omx_wire_types[ptype].info.name)
		return NULL;
	return &omx_wire_types[ptype];
}

const struct omx_wire_type_info *omx_wire_type(unsigned int ptype)
{
	const struct omx_wire_type_ops *ops = type_ops(ptype);

	return ops ? &ops->info : NULL;
}

const char *omx_wire_type_name(unsigned int ptype)
{
	const struct omx_wire_type_ops *ops = type_ops(ptype);

	return ops ? ops->info.name : "unknown";
}

const char *omx_wire_verdict_name(enum omx_wire_verdict verdict)
{
	static const char * const names[OMX_WIRE_VERDICT_NR] = {
		[OMX_WIRE_OK] = "ok",
		[OMX_WIRE_TOO_SHORT] = "too short",
		[OMX_WIRE_BAD_ETHERTYPE] = "bad ethertype",
		[OMX_WIRE_BAD_TYPE] = "bad packet type",
		[OMX_WIRE_UNSUPPORTED_TYPE] = "unsupported packet type",
		[OMX_WIRE_BAD_LENGTH] = "bad length",
		[OMX_WIRE_BAD_FRAG] = "bad fragment",
		[OMX_WIRE_BAD_NACK] = "bad nack code",
		[OMX_WIRE_BAD_SUBTYPE] = "bad subtype",
	};

	if ((unsigned int)verdict >= OMX_WIRE_VERDICT_NR)
		return "unknown";
	return names[verdict];
}

const char *omx_wire_nack_name(unsigned int nack_type)
{
	static const char * const names[OMX_NACK_TYPE_NR] = {
		[OMX_NACK_TYPE_NONE] = "none",
		[OMX_NACK_TYPE_BAD_ENDPT] = "bad endpoint",
		[OMX_NACK_TYPE_ENDPT_CLOSED] = "endpoint closed",
		[OMX_NACK_TYPE_BAD_SESSION] = "bad session",
		[OMX_NACK_TYPE_BAD_RDMAWIN] = "bad rdma window",
	};

	if (nack_type >= OMX_NACK_TYPE_NR)
		return "unknown";
	return names[nack_type];
}

/*
 * Common front checks; on success *opsp is the type's table entry.
 */
static enum omx_wire_verdict check_frame(const __u8 *f, size_t len,
					 const struct omx_wire_type_ops **opsp)
{
	const struct omx_wire_type_ops *ops;

	if (len < OMX_RAW_HLEN)
		return OMX_WIRE_TOO_SHORT;
	if (get16(f + offsetof(struct omx_wire_head, ethertype)) != OMX_ETH_P)
		return OMX_WIRE_BAD_ETHERTYPE;
	ops = type_ops(f[OMX_PTYPE_OFFSET]);
	if (!ops)
		return OMX_WIRE_BAD_TYPE;
	if (!ops->check)
		return OMX_WIRE_UNSUPPORTED_TYPE;
	if (len < ops->info.hdr_len)
		return OMX_WIRE_TOO_SHORT;
	*opsp = ops;
	return ops->check(f, len);
}

enum omx_wire_verdict omx_wire_validate(const void *frame, size_t len)
{
	const struct omx_wire_type_ops *ops;

	return check_frame(frame, len, &ops);
}

enum omx_wire_verdict omx_wire_decode(const void *frame, size_t len, struct omx_pkt *pkt)
{
	const __u8 *f = frame;
	const struct omx_wire_type_ops *ops = NULL;
	enum omx_wire_verdict verdict;
	unsigned int i;

	zero_bytes(pkt, sizeof(*pkt));
	verdict = check_frame(f, len, &ops);
	if (verdict != OMX_WIRE_OK)
		return verdict;

	for (i = 0; i < OMX_ETH_ALEN; i++) {
		pkt->dst_mac[i] = f[offsetof(struct omx_wire_head, dst_mac) + i];
		pkt->src_mac[i] = f[offsetof(struct omx_wire_head, src_mac) + i];
	}
	pkt->peer_index = get16(f + offsetof(struct omx_wire_head, peer_index));
	pkt->type = f[OMX_PTYPE_OFFSET];
	pkt->payload_offset = ops->info.hdr_len;
	ops->decode(f, len, pkt);
	return OMX_WIRE_OK;
}

size_t omx_wire_encode(const struct omx_pkt *pkt, void *buf, size_t size)
{
	const struct omx_wire_type_ops *ops = type_ops(pkt->type);
	__u8 *f = buf;
	unsigned int i;

	if (!ops || !ops->encode || size < ops->info.hdr_len)
		return 0;

	zero_bytes(f, ops->info.hdr_len);
	for (i = 0; i < OMX_ETH_ALEN; i++) {
		f[offsetof(struct omx_wire_head, dst_mac) + i] = pkt->dst_mac[i];
		f[offsetof(struct omx_wire_head, src_mac) + i] = pkt->src_mac[i];
	}
	put16(f + offsetof(struct omx_wire_head, ethertype), OMX_ETH_P);
	put16(f + offsetof(struct omx_wire_head, peer_index), pkt->peer_index);
	f[OMX_PTYPE_OFFSET] = pkt->type;
	ops->encode(f, pkt);
	return ops->info.hdr_len;
}

int omx_wire_dst_endpoint(const void *frame, size_t len)
{
	const __u8 *f = frame;
	int off;

	if (len < OMX_RAW_HLEN || get16(f + offsetof(struct omx_wire_head, ethertype)) != OMX_ETH_P)
		return -1;
	/* where the endpoint is: the steering header's word, for everybody */
	off = omx_steer_dst_offset(f[OMX_PTYPE_OFFSET]);
	if (off < 0 || len <= (size_t)off)
		return -1;
	return f[off];
}

/* The frame size the fabric uses on an interface of this Linux MTU. */
static __u32 omx_wire_fabric_mtu(__u32 iface_mtu)
{
	if (iface_mtu >= OMX_IFACE_MTU(OMX_MTU_9000))
		return OMX_MTU_9000;
	if (iface_mtu >= OMX_IFACE_MTU(OMX_MTU_1500))
		return OMX_MTU_1500;
	return iface_mtu + OMX_ETH_HLEN;
}

__u32 omx_wire_medium_frag_len(__u32 iface_mtu)
{
	__u32 mtu = omx_wire_fabric_mtu(iface_mtu);

	return mtu > OMX_MEDIUM_FRAG_HLEN ? OMX_MEDIUM_FRAG_LEN(mtu) : 0;
}

__u32 omx_wire_pull_reply_len(__u32 iface_mtu)
{
	__u32 mtu = omx_wire_fabric_mtu(iface_mtu);

	return mtu > OMX_PULL_REPLY_HLEN ? OMX_PULL_REPLY_LEN(mtu) : 0;
}

enum omx_wire_verdict omx_wire_medium_frag_offset(const struct omx_pkt_medium *medium,
						  __u32 frag_len, __u32 *offset)
{
	__u32 start, expect;

	if (frag_len < OMX_MEDIUM_FRAG_LEN_MIN || frag_len > OMX_MEDIUM_FRAG_LEN_MAX)
		return OMX_WIRE_BAD_FRAG;
	start = medium->frag_seqnum * frag_len;
	if (start >= medium->msg_length)
		return OMX_WIRE_BAD_FRAG;
	expect = medium->msg_length - start;
	if (expect > frag_len)
		expect = frag_len;
	if (medium->frag_length != expect)
		return OMX_WIRE_BAD_FRAG;
	*offset = start;
	return OMX_WIRE_OK;
}

__u32 omx_wire_pull_block_replies(const struct omx_pkt_pull *pull, __u32 reply_len)
{
	__u32 room, rest, replies;

	if (reply_len == 0 || pull->block_length == 0 || pull->first_frame_offset >= reply_len)
		return 0;
	/* the first reply carries what is left of its frame, the others are full */
	room = reply_len - pull->first_frame_offset;
	if (pull->block_length <= room)
		return 1;
	rest = pull->block_length - room;
	replies = 1 + rest / reply_len + (rest % reply_len != 0);
	return replies <= OMX_PULL_REPLIES_PER_BLOCK ? replies : 0;
}
