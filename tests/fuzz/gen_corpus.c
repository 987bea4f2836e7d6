// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen_corpus: writes the seed corpus of fuzz_codec into a directory, one
 * file per input: every packet type omx decodes as a received frame
 * (FRAME mode) and as a description to encode (STRUCT mode), each at its
 * smallest and largest legal payload and in its variants (CONNECT request
 * and reply, first/middle/last MEDIUM fragment at both standard MTUs, a
 * PULL of one and of 32 replies...), plus sequence number edges (SEQ) and
 * interface MTUs (MTU).  The output is deterministic: tests/fuzz/corpus/
 * is its output, committed, and `make corpus-check` verifies that.
 *
 *   gen_corpus DIR
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_wire_codec.h"
#include "fuzz_codec.h"

static const char *outdir;
static unsigned int written;

static void put(const char *name, uint8_t mode, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	f = fopen(path, "wb");
	if (!f || fputc(mode, f) == EOF || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "gen_corpus: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	written++;
}

/* One valid packet: as a received frame and as a description. */
static void packet(const char *name, struct omx_pkt *p, uint32_t raw_payload)
{
	static uint8_t buf[OMX_MTU_MAX + 64];
	char fname[256];
	uint32_t payload = p->type == OMX_PKT_TYPE_RAW ? raw_payload : fuzz_declared_payload(p);
	size_t hlen, i;

	hlen = omx_wire_encode(p, buf, sizeof(buf));
	if (!hlen || hlen + payload > sizeof(buf)) {
		fprintf(stderr, "gen_corpus: %s does not encode\n", name);
		exit(1);
	}
	for (i = 0; i < payload; i++)
		buf[hlen + i] = (uint8_t)('a' + i % 26);
	if (omx_wire_validate(buf, hlen + payload) != OMX_WIRE_OK) {
		fprintf(stderr, "gen_corpus: %s is not valid: %s\n", name,
			omx_wire_verdict_name(omx_wire_validate(buf, hlen + payload)));
		exit(1);
	}
	snprintf(fname, sizeof(fname), "frame-%s", name);
	put(fname, FUZZ_MODE_FRAME, buf, hlen + payload);
	snprintf(fname, sizeof(fname), "struct-%s", name);
	put(fname, FUZZ_MODE_STRUCT, p, sizeof(*p));
}

static void head(struct omx_pkt *p, uint8_t type)
{
	static const uint8_t dst[OMX_ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t src[OMX_ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

	memset(p, 0, sizeof(*p));
	memcpy(p->dst_mac, dst, sizeof(dst));
	memcpy(p->src_mac, src, sizeof(src));
	p->peer_index = 3;
	p->type = type;
}

static void msg(struct omx_pkt_msg *m)
{
	m->match_info = 0x0123456789abcdefULL;
	m->session = 0x5e55104d;
	m->lib_seqnum = 7;
	m->lib_piggyack = 6;
	m->dst_endpoint = 1;
	m->src_endpoint = 2;
}

static void frames(void)
{
	static const struct { const char *name; uint32_t frag_len; } mtus[] = {
		{ "9000", OMX_MEDIUM_FRAG_LEN_9000 }, { "1500", OMX_MEDIUM_FRAG_LEN_1500 },
	};
	static const uint32_t reply_lens[] = { OMX_PULL_REPLY_LEN_9000, OMX_PULL_REPLY_LEN_1500 };
	struct omx_pkt p;
	char name[64];
	unsigned int i, n;

	head(&p, OMX_PKT_TYPE_RAW);
	packet("raw-empty", &p, 0);
	packet("raw-max", &p, OMX_RAW_FRAME_LEN_MAX - OMX_RAW_HLEN);

	head(&p, OMX_PKT_TYPE_HOST_QUERY);
	memset(p.dst_mac, 0xff, OMX_ETH_ALEN);
	p.host_query.magic = 0x12345678;
	p.host_query.peer_index = OMX_PEER_INDEX_UNKNOWN;
	packet("host-query", &p, 0);

	head(&p, OMX_PKT_TYPE_HOST_REPLY);
	p.host_reply.magic = 0x12345678;
	p.host_reply.hostname_len = 8;
	packet("host-reply", &p, 0);
	p.host_reply.hostname_len = OMX_HOSTNAME_LEN_MAX;
	packet("host-reply-max", &p, 0);

	head(&p, OMX_PKT_TYPE_TRUC);
	p.truc.session = p.truc.ack_session = 0x5e55104d;
	p.truc.acknum = 9;
	p.truc.lib_seqnum = 12;
	p.truc.send_seq = 11;
	p.truc.dst_endpoint = 1;
	p.truc.src_endpoint = 2;
	packet("truc", &p, 0);

	head(&p, OMX_PKT_TYPE_CONNECT);
	p.connect.src_session_id = 0x1234;
	p.connect.app_key = 0x4242;
	p.connect.lib_seqnum = 1;
	p.connect.peer_index = 5;
	p.connect.dst_endpoint = 1;
	p.connect.src_endpoint = 2;
	packet("connect-request", &p, 0);
	p.connect.is_reply = 1;
	p.connect.app_key = 0;
	p.connect.target_session_id = 0x5678;
	p.connect.status = OMX_CONNECT_STATUS_BAD_KEY;
	packet("connect-reply", &p, 0);

	head(&p, OMX_PKT_TYPE_TINY);
	msg(&p.tiny.msg);
	packet("tiny-empty", &p, 0);
	p.tiny.length = OMX_TINY_MAX;
	packet("tiny-max", &p, 0);

	head(&p, OMX_PKT_TYPE_SMALL);
	msg(&p.small.msg);
	p.small.length = OMX_TINY_MAX + 1;
	packet("small-min", &p, 0);
	p.small.length = OMX_SMALL_MAX;
	packet("small-max", &p, 0);

	for (i = 0; i < 2; i++) {
		uint32_t fl = mtus[i].frag_len;

		head(&p, OMX_PKT_TYPE_MEDIUM);
		msg(&p.medium.msg);
		p.medium.msg_length = OMX_MEDIUM_MAX;
		p.medium.frag_length = (uint16_t)fl;
		snprintf(name, sizeof(name), "medium-%s-first", mtus[i].name);
		packet(name, &p, 0);
		n = (OMX_MEDIUM_MAX + fl - 1) / fl;
		p.medium.frag_seqnum = (uint8_t)(n - 1);
		p.medium.frag_length = (uint16_t)(OMX_MEDIUM_MAX - (n - 1) * fl);
		snprintf(name, sizeof(name), "medium-%s-last", mtus[i].name);
		packet(name, &p, 0);
		p.medium.msg_length = OMX_SMALL_MAX + 1;
		p.medium.frag_seqnum = 0;
		p.medium.frag_length = OMX_SMALL_MAX + 1;
		snprintf(name, sizeof(name), "medium-%s-single", mtus[i].name);
		packet(name, &p, 0);
	}

	head(&p, OMX_PKT_TYPE_RNDV);
	msg(&p.rndv.msg);
	p.rndv.msg_length = 1 << 20;
	p.rndv.pulled_rdma_id = 4;
	p.rndv.pulled_rdma_seqnum = 2;
	packet("rndv", &p, 0);

	for (i = 0; i < 2; i++) {
		head(&p, OMX_PKT_TYPE_PULL);
		p.pull.session = 0x5e55104d;
		p.pull.total_length = 1 << 20;
		p.pull.pulled_rdma_id = 4;
		p.pull.src_pull_handle = 17;
		p.pull.src_magic = OMX_PULL_MAGIC(1);
		p.pull.block_length = 100;
		p.pull.dst_endpoint = 2;
		p.pull.src_endpoint = 1;
		snprintf(name, sizeof(name), "pull-%s-one", mtus[i].name);
		packet(name, &p, 0);
		p.pull.block_length = OMX_PULL_REPLIES_PER_BLOCK * reply_lens[i] - 10;
		p.pull.first_frame_offset = 10;
		p.pull.frame_index = 32;
		snprintf(name, sizeof(name), "pull-%s-block", mtus[i].name);
		packet(name, &p, 0);

		head(&p, OMX_PKT_TYPE_PULL_REPLY);
		p.pull_reply.msg_offset = 4096;
		p.pull_reply.dst_pull_handle = 17;
		p.pull_reply.dst_magic = OMX_PULL_MAGIC(1);
		p.pull_reply.frame_length = (uint16_t)reply_lens[i];
		p.pull_reply.frame_seqnum = 3;
		snprintf(name, sizeof(name), "pull-reply-%s", mtus[i].name);
		packet(name, &p, 0);
	}

	head(&p, OMX_PKT_TYPE_NOTIFY);
	p.notify.session = 0x5e55104d;
	p.notify.total_length = 1 << 20;
	p.notify.lib_seqnum = 8;
	p.notify.dst_endpoint = 1;
	p.notify.src_endpoint = 2;
	p.notify.pulled_rdma_id = 4;
	packet("notify", &p, 0);

	for (i = 1; i < OMX_NACK_TYPE_NR; i++) {
		head(&p, OMX_PKT_TYPE_NACK_LIB);
		p.nack_lib.peer_index = 3;
		p.nack_lib.lib_seqnum = 7;
		p.nack_lib.dst_endpoint = 2;
		p.nack_lib.src_endpoint = 1;
		p.nack_lib.nack_type = (uint8_t)i;
		snprintf(name, sizeof(name), "nack-lib-%s", omx_wire_nack_name(i));
		packet(name, &p, 0);

		head(&p, OMX_PKT_TYPE_NACK_MCP);
		p.nack_mcp.src_pull_handle = 17;
		p.nack_mcp.src_magic = OMX_PULL_MAGIC(1);
		p.nack_mcp.dst_endpoint = 1;
		p.nack_mcp.nack_type = (uint8_t)i;
		snprintf(name, sizeof(name), "nack-mcp-%s", omx_wire_nack_name(i));
		packet(name, &p, 0);
	}
}

static void seqs(void)
{
	static const uint16_t v[][5] = {
		{ 0, 0, 0, 0, 0 },
		{ 0x3fff, 0, 1, 2, 0xff00 },
		{ 0x0000, 0x2000, 0x2000, 0x4000, 0x7f80 },
		{ 0xc001, 0x4001, 0x1fff, 0x0100, 0x0180 },
	};
	uint8_t b[10];
	char name[32];
	unsigned int i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (j = 0; j < 5; j++) {
			b[2 * j] = (uint8_t)v[i][j];
			b[2 * j + 1] = (uint8_t)(v[i][j] >> 8);
		}
		snprintf(name, sizeof(name), "seq-%u", i);
		put(name, FUZZ_MODE_SEQ, b, sizeof(b));
	}
}

static void mtus(void)
{
	static const uint32_t v[][3] = {
		{ 1500, OMX_MEDIUM_MAX, 22 }, { 9000, OMX_MEDIUM_MAX, 3 },
		{ OMX_IFACE_MTU(OMX_MTU_9000), 20000, 2 },
		{ OMX_IFACE_MTU(OMX_MTU_1500) - 1, 1025, 0 },
		{ OMX_MTU_MIN - OMX_ETH_HLEN, 129, 0 }, { 0, 1, 0 }, { 0xffffffff, 32767, 3 },
	};
	uint8_t b[12];
	char name[32];
	unsigned int i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(b, &v[i][0], 4);
		memcpy(b + 4, &v[i][1], 4);
		memcpy(b + 8, &v[i][2], 4);
		snprintf(name, sizeof(name), "mtu-%u", v[i][0]);
		put(name, FUZZ_MODE_MTU, b, sizeof(b));
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	outdir = argv[1];
	frames();
	seqs();
	mtus();
	printf("gen_corpus: %u inputs in %s\n", written, outdir);
	return 0;
}
