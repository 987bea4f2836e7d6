// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of common/omx_wire.h and common/omx_wire_codec.c.
 *
 * The golden frames below are written out byte by byte from the wire
 * description (docs/wire.md), independently of the structs, so they pin the
 * layout itself and not just encode/decode symmetry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omx_test.h"
#include "omx_wire_codec.h"
#include "omx_steer.h"

#define FRAME_MAX	(OMX_MTU_MAX + 256)

static const uint8_t head[OMX_HEAD_LEN] = {
	0x02, 0x11, 0x22, 0x33, 0x44, 0x55,	/* dst mac */
	0x02, 0x66, 0x77, 0x88, 0x99, 0xaa,	/* src mac */
	0x86, 0xdf,				/* ethertype */
	0x12, 0x34,				/* peer index */
};

struct sample {
	const char *label;
	struct omx_pkt pkt;		/* what the frame means */
	uint8_t body[OMX_ETH_ZLEN];	/* golden fixed header after the head */
	size_t body_len;
	size_t payload_len;		/* payload bytes following the header */
};

#define NSAMPLES 20
static struct sample samples[NSAMPLES];
static unsigned int nsamples;

static struct omx_pkt *new_sample(const char *label, unsigned int type, size_t payload_len,
				  const uint8_t *body, size_t body_len)
{
	struct sample *s = &samples[nsamples++];

	memset(s, 0, sizeof(*s));
	s->label = label;
	memcpy(s->pkt.dst_mac, head, 6);
	memcpy(s->pkt.src_mac, head + 6, 6);
	s->pkt.peer_index = 0x1234;
	s->pkt.type = (uint8_t)type;
	s->pkt.payload_offset = (uint16_t)(OMX_HEAD_LEN + body_len);
	s->pkt.payload_len = (uint32_t)payload_len;
	memcpy(s->body, body, body_len);
	s->body_len = body_len;
	s->payload_len = payload_len;
	return &s->pkt;
}

static void set_msg(struct omx_pkt_msg *m)
{
	m->match_info = 0x0123456789abcdefULL;
	m->session = 0xc0c1c2c3;
	m->lib_seqnum = 0x4005;
	m->lib_piggyack = 0x8006;
	m->dst_endpoint = 0x03;
	m->src_endpoint = 0x04;
	m->src_generation = 0x21;
}

static void build_samples(void)
{
	struct omx_pkt *p;

	{
		static const uint8_t b[] = { 0x01 };

		p = new_sample("raw", OMX_PKT_TYPE_RAW, 40, b, sizeof(b));
	}
	{
		static const uint8_t b[] = {
			0x03, 0x00, 0x01, 0x02, 0, 0, 0, 0,
			0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0,
		};

		p = new_sample("host-query", OMX_PKT_TYPE_HOST_QUERY, 0, b, sizeof(b));
		p->host_query.peer_index = 0x0102;
		p->host_query.magic = 0xdeadbeef;
	}
	{
		static const uint8_t b[] = {
			0x04, 0x08, 0x01, 0x02, 0, 0, 0, 0,
			0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0,
		};

		p = new_sample("host-reply", OMX_PKT_TYPE_HOST_REPLY, 8, b, sizeof(b));
		p->host_reply.peer_index = 0x0102;
		p->host_reply.magic = 0xdeadbeef;
		p->host_reply.hostname_len = 8;
	}
	{
		static const uint8_t b[] = {
			0x23, 0x05, 0x06, 0x07, 0x10, 0, 0, 0,
			0xa1, 0xa2, 0xa3, 0xa4, 0x55, 0x00, 0x43, 0x21,
			0xa1, 0xa2, 0xa3, 0xa4, 0x01, 0x02, 0x03, 0x04,
			0x43, 0x22, 0x01, 0x00,
		};

		p = new_sample("truc-ack", OMX_PKT_TYPE_TRUC, 0, b, sizeof(b));
		p->truc.dst_endpoint = 5;
		p->truc.src_endpoint = 6;
		p->truc.src_generation = 7;
		p->truc.session = 0xa1a2a3a4;
		p->truc.lib_seqnum = 0x4321;
		p->truc.ack_session = 0xa1a2a3a4;
		p->truc.acknum = 0x01020304;
		p->truc.send_seq = 0x4322;
		p->truc.resent = 1;
	}
	{
		static const uint8_t b[] = {
			0x24, 0x09, 0x0a, 0x0b, 0x10, 0, 0, 0,
			0x00, 0x42, 0x02, 0x03, 0, 0, 0, 0,
			0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
			0x40, 0x01, 0x00, 0x7e, 0, 0, 0, 0,
		};

		p = new_sample("connect-request", OMX_PKT_TYPE_CONNECT, 0, b, sizeof(b));
		p->connect.dst_endpoint = 9;
		p->connect.src_endpoint = 10;
		p->connect.src_generation = 11;
		p->connect.lib_seqnum = 0x0042;
		p->connect.peer_index = 0x0203;
		p->connect.src_session_id = 0x11223344;
		p->connect.app_key = 0x55667788;
		p->connect.target_recv_seqnum_start = 0x4001;
		p->connect.connect_seqnum = 0x7e;
	}
	{
		static const uint8_t b[] = {
			0x24, 0x09, 0x0a, 0x0b, 0x10, 0, 0, 0,
			0x00, 0x43, 0x02, 0x03, 0, 0, 0, 0,
			0x11, 0x22, 0x33, 0x44, 0x99, 0xaa, 0xbb, 0xcc,
			0x40, 0x02, 0x01, 0x7f, 0x0b, 0, 0, 0,
		};

		p = new_sample("connect-reply", OMX_PKT_TYPE_CONNECT, 0, b, sizeof(b));
		p->connect.dst_endpoint = 9;
		p->connect.src_endpoint = 10;
		p->connect.src_generation = 11;
		p->connect.lib_seqnum = 0x0043;
		p->connect.peer_index = 0x0203;
		p->connect.src_session_id = 0x11223344;
		p->connect.target_session_id = 0x99aabbcc;
		p->connect.target_recv_seqnum_start = 0x4002;
		p->connect.is_reply = 1;
		p->connect.connect_seqnum = 0x7f;
		p->connect.status = OMX_CONNECT_STATUS_BAD_KEY;
	}
	{
		static const uint8_t b[] = {
			0x25, 0x03, 0x04, 0x21, 0x00, 0x20, 0xbe, 0xef,
			0x40, 0x05, 0x80, 0x06, 0x01, 0x23, 0x45, 0x67,
			0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
		};

		p = new_sample("tiny", OMX_PKT_TYPE_TINY, OMX_TINY_MAX, b, sizeof(b));
		set_msg(&p->tiny.msg);
		p->tiny.msg.checksum = 0xbeef;
		p->tiny.length = OMX_TINY_MAX;
	}
	{
		static const uint8_t b[] = {
			0x26, 0x03, 0x04, 0x21, 0x00, 0x80, 0xbe, 0xef,
			0x40, 0x05, 0x80, 0x06, 0x01, 0x23, 0x45, 0x67,
			0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
		};

		p = new_sample("small", OMX_PKT_TYPE_SMALL, OMX_SMALL_MAX, b, sizeof(b));
		set_msg(&p->small.msg);
		p->small.msg.checksum = 0xbeef;
		p->small.length = OMX_SMALL_MAX;
	}
	{
		static const uint8_t b[] = {
			0x27, 0x03, 0x04, 0x21, 0x00, 0x00, 0x4e, 0x20,
			0x40, 0x05, 0x80, 0x06, 0x01, 0x23, 0x45, 0x67,
			0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
			0x20, 0x00, 0x01, 0x00, 0x13, 0x57, 0x00, 0x00,
		};

		p = new_sample("medium", OMX_PKT_TYPE_MEDIUM, 8192, b, sizeof(b));
		set_msg(&p->medium.msg);
		p->medium.msg.checksum = 0x1357;
		p->medium.msg_length = 20000;
		p->medium.frag_length = 8192;
		p->medium.frag_seqnum = 1;
	}
	{
		static const uint8_t b[] = {
			0x28, 0x03, 0x04, 0x21, 0x00, 0x08, 0xbe, 0xef,
			0x40, 0x05, 0x80, 0x06, 0x01, 0x23, 0x45, 0x67,
			0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
			0x00, 0x0f, 0x42, 0x40, 0x07, 0x08, 0x01, 0x02,
		};

		p = new_sample("rndv", OMX_PKT_TYPE_RNDV, 0, b, sizeof(b));
		set_msg(&p->rndv.msg);
		p->rndv.msg.checksum = 0xbeef;
		p->rndv.msg_length = 1000000;
		p->rndv.pulled_rdma_id = 7;
		p->rndv.pulled_rdma_seqnum = 8;
		p->rndv.pulled_rdma_offset = 0x0102;
		p->rndv.data_len = OMX_RNDV_DATA_LEN;
	}
	{
		/* omx's RNDV: 12 bytes of rendezvous data, the token's high part as payload */
		static const uint8_t b[] = {
			0x28, 0x03, 0x04, 0x21, 0x00, 0x0c, 0xbe, 0xef,
			0x40, 0x05, 0x80, 0x06, 0x01, 0x23, 0x45, 0x67,
			0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
			0x00, 0x0f, 0x42, 0x40, 0x07, 0x08, 0xa1, 0xb2,
		};

		p = new_sample("rndv-token", OMX_PKT_TYPE_RNDV, OMX_RNDV_TOKEN_HI_LEN, b, sizeof(b));
		set_msg(&p->rndv.msg);
		p->rndv.msg.checksum = 0xbeef;
		p->rndv.msg_length = 1000000;
		p->rndv.pulled_rdma_id = 7;
		p->rndv.pulled_rdma_seqnum = 8;
		p->rndv.pulled_rdma_offset = 0xa1b2;
		p->rndv.data_len = OMX_RNDV_TOKEN_DATA_LEN;
	}
	{
		static const uint8_t b[] = {
			0x29, 0x0c, 0x0d, 0x0e, 0xc0, 0xc1, 0xc2, 0xc3,
			0x00, 0x0f, 0x42, 0x40, 0x00, 0x00, 0x00, 0x07,
			0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
			0x00, 0xc0, 0xff, 0xee, 0x6f, 0x6d, 0x78, 0x2b,
			0x00, 0x00, 0x00, 0x10, 0x00, 0x04, 0x60, 0xf0,
			0x00, 0x00, 0x00, 0x40,
		};

		p = new_sample("pull", OMX_PKT_TYPE_PULL, 0, b, sizeof(b));
		p->pull.dst_endpoint = 12;
		p->pull.src_endpoint = 13;
		p->pull.src_generation = 14;
		p->pull.session = 0xc0c1c2c3;
		p->pull.total_length = 1000000;
		p->pull.pulled_rdma_id = 7;
		p->pull.pulled_rdma_seqnum = 8;
		p->pull.pulled_rdma_offset = 16;
		p->pull.src_pull_handle = 0x00c0ffee;
		p->pull.src_magic = omx_pull_magic(0x2b);
		p->pull.first_frame_offset = 16;
		p->pull.block_length = OMX_PULL_BLOCK_LEN_9000 - 16;
		p->pull.frame_index = 64;
	}
	{
		/* omx's PULL: token_hi 0xa1b2c3d4 around the region id 7 */
		static const uint8_t b[] = {
			0x29, 0x0c, 0x0d, 0x0e, 0xc0, 0xc1, 0xc2, 0xc3,
			0x00, 0x0f, 0x42, 0x40, 0xa1, 0xb2, 0xc3, 0x07,
			0x08, 0xd4, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34,
			0x00, 0xc0, 0xff, 0xee, 0x6f, 0x6d, 0x78, 0x2b,
			0x00, 0x00, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00,
			0x00, 0x00, 0x00, 0x00,
		};

		p = new_sample("pull-token", OMX_PKT_TYPE_PULL, 0, b, sizeof(b));
		p->pull.dst_endpoint = 12;
		p->pull.src_endpoint = 13;
		p->pull.src_generation = 14;
		p->pull.session = 0xc0c1c2c3;
		p->pull.total_length = 1000000;
		p->pull.pulled_rdma_id = 7;
		p->pull.token_hi = 0xa1b2c3d4;
		p->pull.pulled_rdma_seqnum = 8;
		p->pull.pulled_rdma_offset = 0x1234;
		p->pull.src_pull_handle = 0x00c0ffee;
		p->pull.src_magic = omx_pull_magic(0x2b);
		p->pull.first_frame_offset = 0x1234;
		p->pull.block_length = 0x1000;
		p->pull.frame_index = 0;
	}
	{
		static const uint8_t b[] = {
			0x2a, 0x41, 0x23, 0x08, 0x00, 0x10, 0x00, 0x00,
			0x00, 0xc0, 0xff, 0xee, 0x6f, 0x6d, 0x78, 0x2b,
		};

		p = new_sample("pull-reply", OMX_PKT_TYPE_PULL_REPLY, OMX_PULL_REPLY_LEN_9000,
			       b, sizeof(b));
		p->pull_reply.frame_seqnum = 65;
		p->pull_reply.frame_length = OMX_PULL_REPLY_LEN_9000;
		p->pull_reply.msg_offset = 0x00100000;
		p->pull_reply.dst_pull_handle = 0x00c0ffee;
		p->pull_reply.dst_magic = omx_pull_magic(0x2b);
	}
	{
		static const uint8_t b[] = {
			0x2b, 0x0c, 0x0d, 0x0e, 0xc0, 0xc1, 0xc2, 0xc3,
			0x00, 0x0f, 0x42, 0x40, 0x07, 0x08, 0x00, 0x00,
			0x00, 0x00, 0x40, 0x07, 0x40, 0x08, 0x00, 0x00,
		};

		p = new_sample("notify", OMX_PKT_TYPE_NOTIFY, 0, b, sizeof(b));
		p->notify.dst_endpoint = 12;
		p->notify.src_endpoint = 13;
		p->notify.src_generation = 14;
		p->notify.session = 0xc0c1c2c3;
		p->notify.total_length = 1000000;
		p->notify.pulled_rdma_id = 7;
		p->notify.pulled_rdma_seqnum = 8;
		p->notify.lib_seqnum = 0x4007;
		p->notify.lib_piggyack = 0x4008;
	}
	{
		static const uint8_t b[] = {
			0x2c, 0x0e, 0x20, 0x03, 0, 0, 0, 0,
			0x00, 0x0f, 0x03, 0x04, 0x40, 0x09, 0, 0,
		};

		p = new_sample("nack-lib", OMX_PKT_TYPE_NACK_LIB, 0, b, sizeof(b));
		p->nack_lib.src_endpoint = 14;
		p->nack_lib.src_generation = 0x20;
		p->nack_lib.nack_type = OMX_NACK_TYPE_BAD_SESSION;
		p->nack_lib.dst_endpoint = 15;
		p->nack_lib.peer_index = 0x0304;
		p->nack_lib.lib_seqnum = 0x4009;
	}
	{
		static const uint8_t b[] = {
			0x2d, 0x10, 0x20, 0x04, 0, 0, 0, 0,
			0x00, 0xc0, 0xff, 0xee, 0x6f, 0x6d, 0x78, 0x2b,
		};

		p = new_sample("nack-mcp", OMX_PKT_TYPE_NACK_MCP, 0, b, sizeof(b));
		p->nack_mcp.dst_endpoint = 16;
		p->nack_mcp.src_generation = 0x20;
		p->nack_mcp.nack_type = OMX_NACK_TYPE_BAD_RDMAWIN;
		p->nack_mcp.src_pull_handle = 0x00c0ffee;
		p->nack_mcp.src_magic = omx_pull_magic(0x2b);
	}
	(void)p;
}

/* The golden frame of a sample: head + body + payload, unpadded. */
static size_t golden(const struct sample *s, uint8_t *buf)
{
	size_t i, n = OMX_HEAD_LEN + s->body_len;

	memcpy(buf, head, OMX_HEAD_LEN);
	memcpy(buf + OMX_HEAD_LEN, s->body, s->body_len);
	for (i = 0; i < s->payload_len; i++)
		buf[n + i] = (uint8_t)(i * 7 + 3);
	return n + s->payload_len;
}

static struct sample *find_sample(const char *label)
{
	unsigned int i;

	for (i = 0; i < nsamples; i++)
		if (!strcmp(samples[i].label, label))
			return &samples[i];
	abort();
}

/* Constants and layout, checked again at run time. */
static void test_layout(void)
{
	check_context("layout");
	CHECK_EQ(OMX_ETH_P, 0x86DF);
	CHECK_EQ(sizeof(struct omx_wire_head), 16);
	CHECK_EQ(OMX_PTYPE_OFFSET, 16);
	CHECK_EQ(OMX_DST_ENDPOINT_OFFSET, 17);
	CHECK_EQ(OMX_MAGIC_DST_OFFSET, 31);
	CHECK_EQ(OMX_NACK_LIB_DST_OFFSET, 25);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_msg, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_medium, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_pull, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_notify, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_truc, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_connect, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_pull_reply, dst_magic) + 3, 31);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_nack_mcp, src_magic) + 3, 31);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_nack_mcp, dst_endpoint), 17);
	CHECK_EQ(OMX_HEAD_LEN + offsetof(struct omx_wire_nack_lib, dst_endpoint), 25);
	CHECK_EQ(sizeof(struct omx_wire_host_query), 16);
	CHECK_EQ(sizeof(struct omx_wire_host_reply), 16);
	CHECK_EQ(sizeof(struct omx_wire_truc), 28);
	CHECK_EQ(sizeof(struct omx_wire_connect), 32);
	CHECK_EQ(sizeof(struct omx_wire_msg), 24);
	CHECK_EQ(sizeof(struct omx_wire_medium), 32);
	CHECK_EQ(sizeof(struct omx_wire_rndv), 32);
	CHECK_EQ(sizeof(struct omx_wire_pull), 44);
	CHECK_EQ(sizeof(struct omx_wire_pull_reply), 16);
	CHECK_EQ(sizeof(struct omx_wire_notify), 24);
	CHECK_EQ(sizeof(struct omx_wire_nack_lib), 16);
	CHECK_EQ(sizeof(struct omx_wire_nack_mcp), 16);
	CHECK_EQ(_Alignof(struct omx_wire_pull), 1);

	CHECK_EQ(OMX_PKT_TYPE_RAW, 1);
	CHECK_EQ(OMX_PKT_TYPE_HOST_QUERY, 3);
	CHECK_EQ(OMX_PKT_TYPE_HOST_REPLY, 4);
	CHECK_EQ(OMX_PKT_TYPE_TRUC, 35);
	CHECK_EQ(OMX_PKT_TYPE_CONNECT, 36);
	CHECK_EQ(OMX_PKT_TYPE_TINY, 37);
	CHECK_EQ(OMX_PKT_TYPE_SMALL, 38);
	CHECK_EQ(OMX_PKT_TYPE_MEDIUM, 39);
	CHECK_EQ(OMX_PKT_TYPE_RNDV, 40);
	CHECK_EQ(OMX_PKT_TYPE_PULL, 41);
	CHECK_EQ(OMX_PKT_TYPE_PULL_REPLY, 0x2a);
	CHECK_EQ(OMX_PKT_TYPE_NOTIFY, 43);
	CHECK_EQ(OMX_PKT_TYPE_NACK_LIB, 44);
	CHECK_EQ(OMX_PKT_TYPE_NACK_MCP, 45);

	CHECK_EQ(OMX_MEDIUM_FRAG_LEN(9000), 8192);
	CHECK_EQ(OMX_MEDIUM_FRAG_LEN(1500), 1452);
	CHECK_EQ(OMX_MEDIUM_FRAG_LEN(6000), 4096);
	CHECK_EQ(OMX_MEDIUM_FRAG_LEN(OMX_MTU_MIN), 1024);
	CHECK_EQ(OMX_PULL_REPLY_LEN(9000), 8968);
	CHECK_EQ(OMX_PULL_REPLY_LEN(1500), 1468);
	CHECK_EQ(OMX_PULL_BLOCK_LEN(9000), 32 * 8968);
	CHECK_EQ(OMX_MTU_MIN, 1072);
	CHECK_EQ(OMX_IFACE_MTU(OMX_MTU_9000), 8986);
	CHECK((OMX_MEDIUM_MAX + OMX_MEDIUM_FRAG_LEN(OMX_MTU_MIN) - 1) /
	      OMX_MEDIUM_FRAG_LEN(OMX_MTU_MIN) <= OMX_MEDIUM_FRAGS_MAX);
	CHECK((OMX_MEDIUM_MAX + OMX_MEDIUM_FRAG_LEN_1500 - 1) / OMX_MEDIUM_FRAG_LEN_1500 == 23);

	/*
	 * The sizes kernel and library take from an interface (Linux) MTU:
	 * the largest standard frame it carries, else the whole frame.
	 */
	CHECK_EQ(omx_wire_medium_frag_len(0xffffffffU), OMX_MEDIUM_FRAG_LEN_9000);
	CHECK_EQ(omx_wire_medium_frag_len(9000), OMX_MEDIUM_FRAG_LEN_9000);
	CHECK_EQ(omx_wire_medium_frag_len(8986), OMX_MEDIUM_FRAG_LEN_9000);
	CHECK_EQ(omx_wire_medium_frag_len(8985), OMX_MEDIUM_FRAG_LEN_1500);
	CHECK_EQ(omx_wire_medium_frag_len(3000), OMX_MEDIUM_FRAG_LEN_1500);
	CHECK_EQ(omx_wire_medium_frag_len(1500), OMX_MEDIUM_FRAG_LEN_1500);
	CHECK_EQ(omx_wire_medium_frag_len(1486), OMX_MEDIUM_FRAG_LEN_1500);
	CHECK_EQ(omx_wire_medium_frag_len(1485), 1451);
	CHECK_EQ(omx_wire_medium_frag_len(1200), 1166);
	CHECK_EQ(omx_wire_medium_frag_len(OMX_IFACE_MTU(OMX_MTU_MIN)), OMX_MEDIUM_FRAG_LEN_MIN);
	CHECK_EQ(omx_wire_medium_frag_len(OMX_MEDIUM_FRAG_HLEN - OMX_ETH_HLEN), 0);
	CHECK_EQ(omx_wire_medium_frag_len(0), 0);
	CHECK_EQ(omx_wire_pull_reply_len(0xffffffffU), OMX_PULL_REPLY_LEN_9000);
	CHECK_EQ(omx_wire_pull_reply_len(8986), OMX_PULL_REPLY_LEN_9000);
	CHECK_EQ(omx_wire_pull_reply_len(8985), OMX_PULL_REPLY_LEN_1500);
	CHECK_EQ(omx_wire_pull_reply_len(3000), OMX_PULL_REPLY_LEN_1500);
	CHECK_EQ(omx_wire_pull_reply_len(1486), OMX_PULL_REPLY_LEN_1500);
	CHECK_EQ(omx_wire_pull_reply_len(1200), 1182);
	CHECK_EQ(omx_wire_pull_reply_len(OMX_PULL_REPLY_HLEN - OMX_ETH_HLEN), 0);
}

/* The type table agrees with the structs and with itself. */
static void test_type_table(void)
{
	unsigned int t, u;
	unsigned int ndecoded = 0;

	for (t = 0; t < 256; t++) {
		const struct omx_wire_type_info *info = omx_wire_type(t);

		check_context("type %u", t);
		if (!info) {
			CHECK(!strcmp(omx_wire_type_name(t), "unknown"));
			continue;
		}
		CHECK(t < OMX_PKT_TYPE_NR);
		CHECK(info->name && info->name[0]);
		CHECK(info->hdr_len > OMX_HEAD_LEN);
		CHECK(info->hdr_len <= OMX_ETH_ZLEN);
		CHECK(info->dst_offset < (int)info->hdr_len);
		CHECK(!strcmp(omx_wire_type_name(t), info->name));
		for (u = 0; u < t; u++)
			if (omx_wire_type(u))
				CHECK(strcmp(omx_wire_type(u)->name, info->name) != 0);
		if (info->flags & OMX_WIRE_F_DECODED)
			ndecoded++;
		if (info->flags & OMX_WIRE_F_MAGIC_DST)
			CHECK_EQ(info->dst_offset, OMX_MAGIC_DST_OFFSET);
	}
	check_context("type table");
	CHECK_EQ(ndecoded, 14);
	CHECK(!omx_wire_type(OMX_PKT_TYPE_NONE));
	CHECK(omx_wire_type(OMX_PKT_TYPE_MFM_NIC_REPLY) != NULL);
	CHECK(!(omx_wire_type(OMX_PKT_TYPE_ETHER_NATIVE)->flags & OMX_WIRE_F_DECODED));
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_TINY)->hdr_len, 40);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_MEDIUM)->hdr_len, 48);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_RNDV)->hdr_len, 48);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_PULL)->hdr_len, 60);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_PULL_REPLY)->hdr_len, 32);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_PULL_REPLY)->dst_offset, 31);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_NACK_LIB)->dst_offset, 25);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_NACK_MCP)->dst_offset, 17);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_TINY)->dst_offset, 17);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_HOST_QUERY)->dst_offset, -1);
	CHECK_EQ(omx_wire_type(OMX_PKT_TYPE_RAW)->dst_offset, -1);

	for (t = 0; t < OMX_WIRE_VERDICT_NR; t++) {
		check_context("verdict %u", t);
		CHECK(omx_wire_verdict_name(t) != NULL);
		for (u = 0; u < t; u++)
			CHECK(strcmp(omx_wire_verdict_name(t), omx_wire_verdict_name(u)) != 0);
	}
	check_context("names");
	CHECK(!strcmp(omx_wire_verdict_name(OMX_WIRE_VERDICT_NR), "unknown"));
	CHECK(!strcmp(omx_wire_nack_name(OMX_NACK_TYPE_BAD_SESSION), "bad session"));
	CHECK(!strcmp(omx_wire_nack_name(200), "unknown"));
}

/* encode matches the golden bytes, decode gives the sample back. */
static void test_round_trips(void)
{
	static uint8_t gold[FRAME_MAX], enc[FRAME_MAX], store[FRAME_MAX + 1];
	unsigned int i;

	for (i = 0; i < nsamples; i++) {
		const struct sample *s = &samples[i];
		size_t len = golden(s, gold), hlen, wire_len;
		struct omx_pkt got;
		uint8_t *odd = store + 1;

		check_context("%s", s->label);
		memset(enc, 0xa5, sizeof(enc));
		hlen = omx_wire_encode(&s->pkt, enc, sizeof(enc));
		CHECK_EQ(hlen, OMX_HEAD_LEN + s->body_len);
		CHECK_EQ(hlen, omx_wire_type(s->pkt.type)->hdr_len);
		CHECK_MEM(enc, gold, hlen);
		CHECK_EQ(enc[hlen], 0xa5);	/* nothing written past the header */

		CHECK_EQ(omx_wire_validate(gold, len), OMX_WIRE_OK);
		CHECK_EQ(omx_wire_decode(gold, len, &got), OMX_WIRE_OK);
		CHECK_MEM(&got, &s->pkt, sizeof(got));

		/* padded to the Ethernet minimum, as senders do */
		wire_len = len < OMX_ETH_ZLEN ? OMX_ETH_ZLEN : len;
		memset(gold + len, 0, wire_len - len);
		CHECK_EQ(omx_wire_decode(gold, wire_len, &got), OMX_WIRE_OK);
		if (s->pkt.type != OMX_PKT_TYPE_RAW)
			CHECK_MEM(&got, &s->pkt, sizeof(got));

		/* at an odd address: no alignment assumptions */
		memcpy(odd, gold, len);
		CHECK_EQ(omx_wire_decode(odd, len, &got), OMX_WIRE_OK);
		CHECK_MEM(&got, &s->pkt, sizeof(got));
		CHECK_EQ(omx_wire_encode(&got, odd, len), hlen);
		CHECK_MEM(odd, gold, hlen);

		/* a buffer one byte too small is refused */
		CHECK_EQ(omx_wire_encode(&s->pkt, enc, hlen - 1), 0);
	}

	check_context("encode refuses");
	{
		struct omx_pkt p;

		memset(&p, 0, sizeof(p));
		p.type = OMX_PKT_TYPE_NONE;
		CHECK_EQ(omx_wire_encode(&p, enc, sizeof(enc)), 0);
		p.type = OMX_PKT_TYPE_ETHER_UNICAST;
		CHECK_EQ(omx_wire_encode(&p, enc, sizeof(enc)), 0);
		p.type = 200;
		CHECK_EQ(omx_wire_encode(&p, enc, sizeof(enc)), 0);
	}
}

/* Every truncation of a valid frame is refused, and nothing is read past len. */
static void test_truncation(void)
{
	static uint8_t gold[FRAME_MAX];
	unsigned int i;

	for (i = 0; i < nsamples; i++) {
		const struct sample *s = &samples[i];
		size_t len = golden(s, gold), k;
		size_t hlen = OMX_HEAD_LEN + s->body_len;

		for (k = 0; k < len; k++) {
			uint8_t *copy = malloc(k ? k : 1);	/* ASan catches over-reads */
			struct omx_pkt got;
			enum omx_wire_verdict v;

			check_context("%s truncated to %zu", s->label, k);
			memcpy(copy, gold, k);
			v = omx_wire_validate(copy, k);
			if (s->pkt.type == OMX_PKT_TYPE_RAW && k >= OMX_RAW_HLEN)
				CHECK_EQ(v, OMX_WIRE_OK);	/* raw payload has no declared length */
			else if (k < hlen)
				CHECK_EQ(v, OMX_WIRE_TOO_SHORT);
			else
				CHECK_EQ(v, OMX_WIRE_BAD_LENGTH);
			CHECK_EQ(omx_wire_decode(copy, k, &got), v);
			if (v != OMX_WIRE_OK)
				CHECK_EQ(got.type, 0);
			free(copy);
		}
	}
}

/* Frames longer than needed (padding, trailing bytes) are fine. */
static void test_trailing(void)
{
	static uint8_t gold[FRAME_MAX];
	unsigned int i;

	for (i = 0; i < nsamples; i++) {
		const struct sample *s = &samples[i];
		size_t len = golden(s, gold);
		struct omx_pkt got;

		check_context("%s with trailing bytes", s->label);
		if (s->pkt.type == OMX_PKT_TYPE_RAW)
			continue;
		memset(gold + len, 0xee, 100);
		CHECK_EQ(omx_wire_decode(gold, len + 100, &got), OMX_WIRE_OK);
		CHECK_EQ(got.payload_len, s->payload_len);
	}
}

static enum omx_wire_verdict validate_modified(const char *label, size_t offset,
					       const uint8_t *bytes, size_t n)
{
	static uint8_t frame[FRAME_MAX];
	const struct sample *s = find_sample(label);
	size_t len = golden(s, frame);

	memcpy(frame + offset, bytes, n);
	return omx_wire_validate(frame, len < OMX_ETH_ZLEN ? OMX_ETH_ZLEN : len);
}

#define V(label, offset, ...)						\
	validate_modified(label, offset, (const uint8_t[]){ __VA_ARGS__ },	\
			  sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void test_malformed(void)
{
	static uint8_t frame[FRAME_MAX];
	const struct sample *tiny = find_sample("tiny");
	size_t len;
	unsigned int t;

	check_context("ethertype");
	CHECK_EQ(V("tiny", 12, 0x08, 0x00), OMX_WIRE_BAD_ETHERTYPE);
	CHECK_EQ(V("tiny", 12, 0x86, 0xdd), OMX_WIRE_BAD_ETHERTYPE);
	CHECK_EQ(V("tiny", 12, 0xdf, 0x86), OMX_WIRE_BAD_ETHERTYPE);
	CHECK_EQ(V("pull-reply", 12, 0x81, 0x00), OMX_WIRE_BAD_ETHERTYPE);

	/* every type byte: undefined ones are BAD_TYPE, never a crash */
	len = golden(tiny, frame);
	for (t = 0; t < 256; t++) {
		const struct omx_wire_type_info *info = omx_wire_type(t);
		enum omx_wire_verdict v;

		check_context("type byte %u", t);
		frame[OMX_PTYPE_OFFSET] = (uint8_t)t;
		v = omx_wire_validate(frame, len);
		if (!info)
			CHECK_EQ(v, OMX_WIRE_BAD_TYPE);
		else if (!(info->flags & OMX_WIRE_F_DECODED))
			CHECK_EQ(v, OMX_WIRE_UNSUPPORTED_TYPE);
		else
			CHECK(v < OMX_WIRE_VERDICT_NR);
	}

	check_context("class maxima");
	CHECK_EQ(V("tiny", 20, 0x00, 33), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("tiny", 20, 0xff, 0xff), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("small", 20, 0x00, 129), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("small", 20, 0x00, 0x00), OMX_WIRE_OK);
	CHECK_EQ(V("medium", 40, 0x20, 0x01), OMX_WIRE_BAD_LENGTH);	/* frag 8193 */
	CHECK_EQ(V("medium", 40, 0x00, 0x00), OMX_WIRE_BAD_LENGTH);	/* frag 0 */
	CHECK_EQ(V("medium", 20, 0x00, 0x00, 0x80, 0x01), OMX_WIRE_BAD_LENGTH); /* msg 32769 */
	CHECK_EQ(V("medium", 20, 0x00, 0x00, 0x80, 0x00), OMX_WIRE_OK);	/* msg 32768 */
	CHECK_EQ(V("medium", 20, 0x00, 0x00, 0x1f, 0xff), OMX_WIRE_BAD_LENGTH); /* frag > msg */
	CHECK_EQ(V("pull-reply", 18, 0x23, 0x09), OMX_WIRE_BAD_LENGTH);	/* 8969 */
	CHECK_EQ(V("pull-reply", 18, 0x00, 0x00), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("pull-reply", 18, 0x00, 0x01), OMX_WIRE_OK);
	CHECK_EQ(V("host-reply", 17, 0), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("host-reply", 17, 81), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("host-reply", 17, 28), OMX_WIRE_OK);	/* ends with the 60-byte frame */
	CHECK_EQ(V("host-reply", 17, 29), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("connect-request", 20, 15), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("connect-request", 20, 28), OMX_WIRE_OK);	/* fits in the padding */
	CHECK_EQ(V("connect-request", 20, 29), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("truc-ack", 20, 15), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("truc-ack", 20, 32), OMX_WIRE_OK);
	CHECK_EQ(V("truc-ack", 20, 33), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("rndv", 20, 0x00, 0x07), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("rndv", 20, 0x00, 0x14), OMX_WIRE_OK);	/* 20: fits in 60 */
	CHECK_EQ(V("rndv", 20, 0x00, 0x15), OMX_WIRE_BAD_LENGTH);
	CHECK_EQ(V("pull", 52, 0x00, 0x00, 0x00, 0x00), OMX_WIRE_BAD_LENGTH);	/* block 0 */
	CHECK_EQ(V("pull", 52, 0x00, 0x04, 0x61, 0x01), OMX_WIRE_BAD_LENGTH); /* block > max */
	CHECK_EQ(V("pull", 24, 0x00, 0x00, 0x00, 0x10), OMX_WIRE_BAD_LENGTH);	/* total < block */
	check_context("raw length");
	len = golden(find_sample("raw"), frame);
	CHECK_EQ(omx_wire_validate(frame, OMX_RAW_FRAME_LEN_MAX), OMX_WIRE_OK);
	CHECK_EQ(omx_wire_validate(frame, OMX_RAW_FRAME_LEN_MAX + 1), OMX_WIRE_BAD_LENGTH);

	check_context("fragments");
	CHECK_EQ(V("medium", 42, 32), OMX_WIRE_BAD_FRAG);
	CHECK_EQ(V("medium", 42, 255), OMX_WIRE_BAD_FRAG);
	CHECK_EQ(V("medium", 42, 11), OMX_WIRE_OK);	/* 11 * 1024 + 8192 <= 20000 */
	CHECK_EQ(V("medium", 42, 12), OMX_WIRE_BAD_FRAG);	/* 12 * 1024 + 8192 > 20000 */
	CHECK_EQ(V("medium", 40, 0x1e, 0x20, 12), OMX_WIRE_OK);	/* 12 * 1024 + 7712 = 20000 */
	CHECK_EQ(V("medium", 40, 0x1e, 0x21, 12), OMX_WIRE_BAD_FRAG);	/* one byte beyond */
	/* seq 31 of a 32 KiB message cut in 1 KiB fragments */
	CHECK_EQ(V("medium", 20, 0x00, 0x00, 0x80, 0x00, 0x40, 0x05, 0x80, 0x06,
		   0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xc0, 0xc1, 0xc2, 0xc3,
		   0x04, 0x00, 31), OMX_WIRE_OK);
	CHECK_EQ(V("pull", 48, 0x00, 0x00, 0x23, 0x08), OMX_WIRE_BAD_FRAG);	/* offset 8968 */
	CHECK_EQ(V("pull", 48, 0x00, 0x00, 0x23, 0x07, 0x00, 0x04, 0x3d, 0xfa),
		 OMX_WIRE_BAD_FRAG);	/* 8967 + 278010 > 286976 */
	CHECK_EQ(V("pull", 48, 0x00, 0x00, 0x23, 0x07, 0x00, 0x04, 0x3d, 0xf9),
		 OMX_WIRE_OK);	/* 8967 + 278009 = 32 full replies */

	check_context("nack codes");
	for (t = 0; t < 256; t++) {
		enum omx_wire_verdict want = t >= 1 && t <= 4 ? OMX_WIRE_OK : OMX_WIRE_BAD_NACK;

		CHECK_EQ(V("nack-lib", 19, (uint8_t)t), want);
		CHECK_EQ(V("nack-mcp", 19, (uint8_t)t), want);
	}

	check_context("subtypes");
	CHECK_EQ(V("truc-ack", 28, 0x54), OMX_WIRE_BAD_SUBTYPE);
	CHECK_EQ(V("truc-ack", 28, 0x00), OMX_WIRE_BAD_SUBTYPE);
	CHECK_EQ(V("connect-request", 42, 2), OMX_WIRE_BAD_SUBTYPE);
	CHECK_EQ(V("connect-request", 42, 1), OMX_WIRE_OK);
}

static void test_dst_endpoint(void)
{
	static uint8_t frame[FRAME_MAX];
	unsigned int i;

	for (i = 0; i < nsamples; i++) {
		const struct sample *s = &samples[i];
		const struct omx_wire_type_info *info = omx_wire_type(s->pkt.type);
		size_t len = golden(s, frame), k;
		int want = -1;

		check_context("%s", s->label);
		switch (s->pkt.type) {
		case OMX_PKT_TYPE_TRUC:
			want = s->pkt.truc.dst_endpoint;
			break;
		case OMX_PKT_TYPE_CONNECT:
			want = s->pkt.connect.dst_endpoint;
			break;
		case OMX_PKT_TYPE_TINY:
		case OMX_PKT_TYPE_SMALL:
			want = s->pkt.tiny.msg.dst_endpoint;
			break;
		case OMX_PKT_TYPE_MEDIUM:
			want = s->pkt.medium.msg.dst_endpoint;
			break;
		case OMX_PKT_TYPE_RNDV:
			want = s->pkt.rndv.msg.dst_endpoint;
			break;
		case OMX_PKT_TYPE_PULL:
			want = s->pkt.pull.dst_endpoint;
			break;
		case OMX_PKT_TYPE_NOTIFY:
			want = s->pkt.notify.dst_endpoint;
			break;
		case OMX_PKT_TYPE_NACK_LIB:
			want = s->pkt.nack_lib.dst_endpoint;
			break;
		case OMX_PKT_TYPE_PULL_REPLY:
			want = omx_pull_magic_endpoint(s->pkt.pull_reply.dst_magic);
			break;
		case OMX_PKT_TYPE_NACK_MCP:
			want = s->pkt.nack_mcp.dst_endpoint;
			break;
		}
		CHECK_EQ(omx_wire_dst_endpoint(frame, len), want);
		if (want >= 0) {
			CHECK_EQ(frame[info->dst_offset], want);
			for (k = 0; k <= (size_t)info->dst_offset; k++)
				CHECK_EQ(omx_wire_dst_endpoint(frame, k), -1);
			CHECK_EQ(omx_wire_dst_endpoint(frame, (size_t)info->dst_offset + 1), want);
		}
	}
	check_context("dst endpoint of PULL_REPLY is byte 31");
	CHECK_EQ(find_sample("pull-reply")->pkt.pull_reply.dst_magic & 0xff, 0x2b);
	CHECK_EQ(omx_wire_dst_endpoint(samples[0].body, 0), -1);
	golden(find_sample("tiny"), frame);
	frame[12] = 0x08;
	CHECK_EQ(omx_wire_dst_endpoint(frame, 60), -1);
}

static void test_seqnums(void)
{
	check_context("seqnum");
	CHECK_EQ(OMX_SEQNUM_MASK, 0x3fff);
	CHECK_EQ(omx_seq_num(0xc123), 0x0123);
	CHECK_EQ(omx_seq_ses(0xc123), 3);
	CHECK_EQ(omx_seq_make(2, 0x3fff), 0xbfff);
	CHECK_EQ(omx_seq_make(5, 0x4001), 0x4001);	/* both parts masked */

	/* the count wraps inside its 14 bits, the session stays */
	CHECK_EQ(omx_seq_add(0x7fff, 1), 0x4000);
	CHECK_EQ(omx_seq_add(0x3fff, 1), 0x0000);
	CHECK_EQ(omx_seq_add(0xfffe, 3), 0xc001);
	CHECK_EQ(omx_seq_add(0x4000, 0x4000), 0x4000);

	CHECK_EQ(omx_seq_dist(0x3fff, 0x0000), 1);
	CHECK_EQ(omx_seq_dist(0x0000, 0x3fff), 0x3fff);
	CHECK_EQ(omx_seq_diff(0x0000, 0x3fff), 1);
	CHECK_EQ(omx_seq_diff(0x3fff, 0x0000), -1);
	CHECK_EQ(omx_seq_diff(0x4005, 0x0005), 0);	/* sessions ignored */
	CHECK_EQ(omx_seq_diff(8191, 0), 8191);
	CHECK_EQ(omx_seq_diff(8192, 0), -8192);
	CHECK_EQ(omx_seq_diff(0, 8192), -8192);
	CHECK(omx_seq_before(0x3ffe, 0x0001));
	CHECK(omx_seq_after(0x0001, 0x3ffe));
	CHECK(!omx_seq_before(5, 5) && !omx_seq_after(5, 5));
	CHECK(omx_seq_before(0, OMX_SEQNUM_UNACKED_MAX));
	CHECK(omx_seq_after(OMX_SEQNUM_UNACKED_MAX, 0));
	/* half the space away is ambiguous: both sides look "before" */
	CHECK(omx_seq_before(0, OMX_SEQNUM_UNACKED_MAX + 1));
	CHECK(omx_seq_before(OMX_SEQNUM_UNACKED_MAX + 1, 0));
	/* further away, the other one is behind */
	CHECK(omx_seq_after(0, OMX_SEQNUM_UNACKED_MAX + 2));

	CHECK(omx_seq_in_window(0x0002, 0x3ffe, 8));
	CHECK(omx_seq_in_window(0x3ffe, 0x3ffe, 1));
	CHECK(!omx_seq_in_window(0x3ffd, 0x3ffe, 8));
	CHECK(!omx_seq_in_window(0x0006, 0x3ffe, 8));
	CHECK(omx_seq_in_window(0x0005, 0x3ffe, 8));
	CHECK(!omx_seq_in_window(0x0005, 0x0005, 0));
	CHECK(omx_seq_in_window(0x1234, 0x2345, 0x4000));

	CHECK(omx_seq_same_session(0x4001, 0x7fff));
	CHECK(!omx_seq_same_session(0x4001, 0x8001));
	CHECK_EQ(omx_ses_next(0), 1);
	CHECK_EQ(omx_ses_next(3), 0);

	/* every pair around the wrap */
	{
		unsigned int a, d;

		for (a = 0x3f00; a < 0x4100; a += 7)
			for (d = 0; d < 300; d += 13) {
				__u16 x = omx_seq_make(1, a), y = omx_seq_add(x, d);

				check_context("a=%#x d=%u", a, d);
				CHECK_EQ(omx_seq_diff(y, x), (int)d);
				CHECK_EQ(omx_seq_diff(x, y), -(int)d);
				CHECK_EQ(omx_seq_dist(x, y), d);
				CHECK(omx_seq_same_session(x, y));
				CHECK(omx_seq_in_window(y, x, d + 1));
				CHECK(d == 0 || !omx_seq_in_window(y, x, d));
			}
	}

	check_context("seq8");
	CHECK_EQ(omx_seq8_diff(0, 255), 1);
	CHECK_EQ(omx_seq8_diff(255, 0), -1);
	CHECK_EQ(omx_seq8_diff(127, 0), 127);
	CHECK_EQ(omx_seq8_diff(128, 0), -128);
	CHECK_EQ(omx_seq8_dist(250, 4), 10);

	check_context("pull magic");
	CHECK_EQ(omx_pull_magic(0x2b) & 0xff, 0x2b);
	CHECK_EQ(omx_pull_magic_endpoint(omx_pull_magic(0)), 0);
	CHECK_EQ(omx_pull_magic_endpoint(omx_pull_magic(255)), 255);
	CHECK_EQ(omx_pull_magic(7), 0x6f6d7807);
	CHECK_EQ(omx_pull_magic_endpoint(0x21071980 ^ 5), -1);	/* Open-MX's own encoding */
	CHECK_EQ(omx_pull_magic_endpoint(0), -1);
}

static void test_medium_offsets(void)
{
	struct omx_pkt_medium m;
	__u32 off = 0xdead;
	unsigned int seq;

	memset(&m, 0, sizeof(m));
	check_context("32 KiB in 8 KiB fragments");
	m.msg_length = 32768;
	for (seq = 0; seq < 4; seq++) {
		m.frag_seqnum = (__u8)seq;
		m.frag_length = 8192;
		CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_9000, &off), OMX_WIRE_OK);
		CHECK_EQ(off, seq * 8192);
	}
	m.frag_seqnum = 4;
	CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_9000, &off), OMX_WIRE_BAD_FRAG);

	check_context("20000 bytes in 1452-byte fragments");
	m.msg_length = 20000;
	m.frag_seqnum = 13;	/* last: 20000 - 13 * 1452 = 1124 */
	m.frag_length = 1124;
	CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_1500, &off), OMX_WIRE_OK);
	CHECK_EQ(off, 13 * 1452);
	m.frag_length = 1123;
	CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_1500, &off), OMX_WIRE_BAD_FRAG);
	m.frag_seqnum = 3;	/* not last: must be full */
	m.frag_length = 1000;
	CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_1500, &off), OMX_WIRE_BAD_FRAG);
	m.frag_length = 1452;
	CHECK_EQ(omx_wire_medium_frag_offset(&m, OMX_MEDIUM_FRAG_LEN_1500, &off), OMX_WIRE_OK);
	CHECK_EQ(omx_wire_medium_frag_offset(&m, 100, &off), OMX_WIRE_BAD_FRAG);
	CHECK_EQ(omx_wire_medium_frag_offset(&m, 9000, &off), OMX_WIRE_BAD_FRAG);
}

static void test_pull_blocks(void)
{
	struct omx_pkt_pull p;

	memset(&p, 0, sizeof(p));
	check_context("pull blocks");
	p.first_frame_offset = 16;
	p.block_length = OMX_PULL_BLOCK_LEN_9000 - 16;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_9000), 32);
	p.block_length++;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_9000), 0);
	p.block_length = OMX_PULL_REPLY_LEN_9000 - 16;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_9000), 1);
	p.block_length++;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_9000), 2);
	p.first_frame_offset = 0;
	p.block_length = OMX_PULL_BLOCK_LEN_1500;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_1500), 32);
	p.block_length = 1;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_1500), 1);
	p.block_length = 0;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_1500), 0);
	p.block_length = 10;
	p.first_frame_offset = OMX_PULL_REPLY_LEN_1500;
	CHECK_EQ(omx_wire_pull_block_replies(&p, OMX_PULL_REPLY_LEN_1500), 0);
	CHECK_EQ(omx_wire_pull_block_replies(&p, 0), 0);
	p.first_frame_offset = 0;
	p.block_length = 0xffffffff;
	CHECK_EQ(omx_wire_pull_block_replies(&p, 1), 0);
}

/*
 * The steering hash of common/omx_steer.h: the same endpoint byte as the
 * codec for every type, queue E % N for every frame, and queue 0 (never
 * out of range) for frames too short to carry the byte.
 */
static void test_steer_queue(void)
{
	static uint8_t frame[FRAME_MAX];
	unsigned int i, t, nr, e;
	size_t len, k;

	for (t = 0; t < 256; t++) {
		const struct omx_wire_type_info *info = omx_wire_type(t);

		check_context("steer offset of type %u", t);
		CHECK_EQ(omx_steer_dst_offset(t), info ? info->dst_offset : -1);
	}
	for (i = 0; i < nsamples; i++) {
		const struct sample *s = &samples[i];
		int want, off;

		len = golden(s, frame);
		want = omx_wire_dst_endpoint(frame, len);
		off = omx_steer_dst_offset(s->pkt.type);
		check_context("steer %s", s->label);
		CHECK_EQ(omx_steer_queue(7, 0), 0);
		CHECK_EQ(omx_steer_frame_queue(frame, len, 0), 0);
		for (nr = 1; nr <= 16; nr++) {
			CHECK_EQ(omx_steer_frame_queue(frame, len, nr),
				 want >= 0 ? (unsigned int)want % nr : 0);
			for (k = 0; k < len; k++) {
				__u32 q = omx_steer_frame_queue(frame, k, nr);

				CHECK(q < nr);
				if (off < 0 || k <= (size_t)off)
					CHECK_EQ(q, 0);
			}
		}
		if (off < 0)
			continue;
		for (e = 0; e < 256; e++) {
			frame[off] = e;
			for (nr = 1; nr <= 8; nr++)
				CHECK_EQ(omx_steer_frame_queue(frame, len, nr), e % nr);
		}
		frame[12] = 0x08;
		frame[13] = 0x00;
		CHECK_EQ(omx_steer_frame_queue(frame, len, 4), 0);
	}
}

int main(void)
{
	build_samples();
	test_layout();
	test_type_table();
	test_round_trips();
	test_truncation();
	test_trailing();
	test_malformed();
	test_dst_endpoint();
	test_steer_queue();
	test_seqnums();
	test_medium_offsets();
	test_pull_blocks();
	return omx_test_exit();
}
