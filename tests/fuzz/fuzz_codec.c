// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_codec: coverage-guided (libFuzzer) fuzzer of the pure functions of
 * common/: the wire codec (common/omx_wire_codec.c) and the sequence
 * arithmetic of common/omx_wire_codec.h.  Built with clang
 * -fsanitize=fuzzer,address,undefined (tests/fuzz/Makefile); its corpus,
 * one input per frame type and per mode, is tests/fuzz/corpus/, written by
 * tests/fuzz/gen_corpus.
 *
 * The first input byte picks what the rest is (modulo FUZZ_MODE_NR):
 *   FRAME   a received frame: validate, decode, encode again, decode
 *           again; the medium and pull helpers on what decoded
 *   STRUCT  a struct omx_pkt to send: encode (into a buffer of exactly the
 *           header's size, and one byte short), append the payload it
 *           declares, validate; what validates decodes to the same header
 *           bytes (encode(decode(encode(p))) == encode(p))
 *   SEQ     sequence numbers: the 14-bit counters and 8-bit wraps
 *   MTU     fabric sizes of an interface MTU, fragment offsets at that size
 * Every rule broken aborts with the rule, so libFuzzer keeps the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_wire_codec.h"
#include "fuzz_codec.h"

static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_codec.c:%d: invariant broken: %s\n", line, what);
	abort();
}

#define REQUIRE(cond) do { if (!(cond)) broken(#cond, __LINE__); } while (0)

static int all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

/* the fabric sizes a receiver may be configured with */
static const uint32_t iface_mtus[] = { 1500, 9000, 1100, 4000, 500 };

static void check_medium(const struct omx_pkt_medium *m)
{
	unsigned int i;

	for (i = 0; i < sizeof(iface_mtus) / sizeof(iface_mtus[0]); i++) {
		uint32_t frag_len = omx_wire_medium_frag_len(iface_mtus[i]);
		uint32_t off = 0xdeadbeef;

		if (omx_wire_medium_frag_offset(m, frag_len, &off) != OMX_WIRE_OK) {
			REQUIRE(off == 0xdeadbeef);
			continue;
		}
		/* a fabric whose fragments cannot carry 32 KiB carries none */
		REQUIRE(frag_len >= OMX_MEDIUM_FRAG_LEN_MIN);
		/* inside the message, where the sender cut it */
		REQUIRE(off == (uint32_t)m->frag_seqnum * frag_len);
		REQUIRE(m->frag_length <= frag_len);
		REQUIRE((uint64_t)off + m->frag_length <= m->msg_length);
		REQUIRE(off + m->frag_length == m->msg_length || m->frag_length == frag_len);
		REQUIRE(m->msg_length <= OMX_MEDIUM_MAX);
			}
}

static void check_pull(const struct omx_pkt_pull *p)
{
	unsigned int i;

	for (i = 0; i < sizeof(iface_mtus) / sizeof(iface_mtus[0]); i++) {
		uint32_t reply_len = omx_wire_pull_reply_len(iface_mtus[i]);
		uint32_t n = omx_wire_pull_block_replies(p, reply_len);
		uint64_t end = (uint64_t)p->first_frame_offset + p->block_length;

		REQUIRE(n <= OMX_PULL_REPLIES_PER_BLOCK);
		if (n) {
			/* exactly enough replies for the block, the first one partial */
			REQUIRE(p->block_length > 0 && p->first_frame_offset < reply_len);
			REQUIRE((uint64_t)(n - 1) * reply_len < end);
			REQUIRE(end <= (uint64_t)n * reply_len);
		} else {
			REQUIRE(reply_len == 0 || p->block_length == 0 ||
				p->first_frame_offset >= reply_len ||
				end > (uint64_t)OMX_PULL_REPLIES_PER_BLOCK * reply_len);
		}
	}
}

/*
 * The limits docs/wire.md gives for each type: a frame that validates is
 * within them, so the driver may trust them without checking again.
 */
static void check_limits(const struct omx_pkt *p, size_t size)
{
	switch (p->type) {
	case OMX_PKT_TYPE_RAW:
		REQUIRE(p->payload_len == size - OMX_RAW_HLEN);
		break;
	case OMX_PKT_TYPE_HOST_QUERY:
		REQUIRE(p->payload_len == 0);
		break;
	case OMX_PKT_TYPE_HOST_REPLY:
		REQUIRE(p->host_reply.hostname_len >= 1 &&
			p->host_reply.hostname_len <= OMX_HOSTNAME_LEN_MAX);
		REQUIRE(p->payload_len == p->host_reply.hostname_len);
		break;
	case OMX_PKT_TYPE_CONNECT:
		REQUIRE(p->connect.is_reply <= 1);
		break;
	case OMX_PKT_TYPE_TINY:
		REQUIRE(p->tiny.length <= OMX_TINY_MAX && p->payload_len == p->tiny.length);
		break;
	case OMX_PKT_TYPE_SMALL:
		REQUIRE(p->small.length <= OMX_SMALL_MAX && p->payload_len == p->small.length);
		break;
	case OMX_PKT_TYPE_MEDIUM:
		REQUIRE(p->medium.msg_length <= OMX_MEDIUM_MAX);
		REQUIRE(p->medium.frag_length >= 1 &&
			p->medium.frag_length <= OMX_MEDIUM_FRAG_LEN_MAX &&
			p->medium.frag_length <= p->medium.msg_length);
		REQUIRE(p->medium.frag_seqnum < OMX_MEDIUM_FRAGS_MAX);
		/* every fragment but the last is at least the smallest size */
		REQUIRE((uint32_t)p->medium.frag_seqnum * OMX_MEDIUM_FRAG_LEN_MIN +
			p->medium.frag_length <= p->medium.msg_length);
		REQUIRE(p->payload_len == p->medium.frag_length);
		break;
	case OMX_PKT_TYPE_PULL:
		REQUIRE(p->pull.block_length >= 1 &&
			p->pull.block_length <= p->pull.total_length &&
			p->pull.block_length <= OMX_PULL_BLOCK_LEN_MAX);
		REQUIRE(p->pull.first_frame_offset < OMX_PULL_REPLY_LEN_MAX);
		REQUIRE((uint64_t)p->pull.first_frame_offset + p->pull.block_length <=
			OMX_PULL_BLOCK_LEN_MAX);
		break;
	case OMX_PKT_TYPE_PULL_REPLY:
		REQUIRE(p->pull_reply.frame_length >= 1 &&
			p->pull_reply.frame_length <= OMX_PULL_REPLY_LEN_MAX);
		REQUIRE(p->payload_len == p->pull_reply.frame_length);
		break;
	case OMX_PKT_TYPE_NACK_LIB:
		REQUIRE(p->nack_lib.nack_type > 0 && p->nack_lib.nack_type < OMX_NACK_TYPE_NR);
		break;
	case OMX_PKT_TYPE_NACK_MCP:
		REQUIRE(p->nack_mcp.nack_type > 0 && p->nack_mcp.nack_type < OMX_NACK_TYPE_NR);
		break;
	default:
		break;
	}
}

/* A received frame of exactly size bytes (libFuzzer's own buffer). */
static void fuzz_frame(const uint8_t *data, size_t size)
{
	const struct omx_wire_type_info *info;
	struct omx_pkt pkt, again;
	enum omx_wire_verdict v;
	uint8_t *buf;
	size_t hlen, total;
	int ep;

	memset(&pkt, 0xa5, sizeof(pkt));
	v = omx_wire_validate(data, size);
	REQUIRE(v < OMX_WIRE_VERDICT_NR);
	REQUIRE(omx_wire_decode(data, size, &pkt) == v);
	REQUIRE(omx_wire_verdict_name(v) != NULL);
	ep = omx_wire_dst_endpoint(data, size);
	REQUIRE(ep >= -1 && ep <= 255);
	if (size > OMX_PTYPE_OFFSET)
		REQUIRE(omx_wire_type_name(data[OMX_PTYPE_OFFSET]) != NULL);
	if (v != OMX_WIRE_OK) {
		REQUIRE(all_zero(&pkt, sizeof(pkt)));
		return;
	}

	info = omx_wire_type(pkt.type);
	REQUIRE(info && (info->flags & OMX_WIRE_F_DECODED));
	REQUIRE(pkt.type == data[OMX_PTYPE_OFFSET]);
	REQUIRE(size >= info->hdr_len);
	REQUIRE(pkt.payload_offset == info->hdr_len);
	REQUIRE((size_t)pkt.payload_offset + pkt.payload_len <= size);
	REQUIRE(pkt.payload_len == 0 || (info->flags & OMX_WIRE_F_PAYLOAD));
	REQUIRE(!memcmp(pkt.dst_mac, data, OMX_ETH_ALEN));
	REQUIRE(!memcmp(pkt.src_mac, data + OMX_ETH_ALEN, OMX_ETH_ALEN));
	check_limits(&pkt, size);
	if (info->dst_offset >= 0)
		REQUIRE(ep == data[info->dst_offset]);
	else
		REQUIRE(ep == -1);
	if (pkt.type == OMX_PKT_TYPE_NACK_LIB || pkt.type == OMX_PKT_TYPE_NACK_MCP)
		REQUIRE(omx_wire_nack_name(pkt.type == OMX_PKT_TYPE_NACK_LIB ?
					   pkt.nack_lib.nack_type :
					   pkt.nack_mcp.nack_type) != NULL);

	/* what we understood, encoded with its payload: the same meaning */
	total = info->hdr_len + pkt.payload_len;
	buf = malloc(total);
	REQUIRE(buf);
	hlen = omx_wire_encode(&pkt, buf, total);
	REQUIRE(hlen == info->hdr_len);
	memcpy(buf + hlen, data + pkt.payload_offset, pkt.payload_len);
	REQUIRE(omx_wire_decode(buf, total, &again) == OMX_WIRE_OK);
	REQUIRE(!memcmp(&pkt, &again, sizeof(pkt)));
	REQUIRE(omx_wire_dst_endpoint(buf, total) == ep);
	/* trailing bytes beyond the declared payload change nothing */
	REQUIRE(omx_wire_validate(buf, total) == OMX_WIRE_OK);
	free(buf);

	if (pkt.type == OMX_PKT_TYPE_MEDIUM)
		check_medium(&pkt.medium);
	if (pkt.type == OMX_PKT_TYPE_PULL)
		check_pull(&pkt.pull);
}

/* A description of a frame to send, as a sender fills it. */
static void fuzz_struct(const uint8_t *data, size_t size)
{
	const struct omx_wire_type_info *info;
	struct omx_pkt pkt, dec;
	uint8_t *buf, *again;
	uint32_t payload;
	size_t hlen, total;

	memset(&pkt, 0, sizeof(pkt));
	memcpy(&pkt, data, size < sizeof(pkt) ? size : sizeof(pkt));
	info = omx_wire_type(pkt.type);
	if (!info || !(info->flags & OMX_WIRE_F_DECODED)) {
		uint8_t small[OMX_ETH_ZLEN];

		REQUIRE(omx_wire_encode(&pkt, small, sizeof(small)) == 0);
		return;
	}
	payload = fuzz_declared_payload(&pkt);
	if (payload > OMX_MTU_MAX)
		payload = OMX_MTU_MAX;

	/* one byte short: refused, nothing written beyond (ASan) */
	buf = malloc(info->hdr_len - 1);
	REQUIRE(buf);
	REQUIRE(omx_wire_encode(&pkt, buf, info->hdr_len - 1) == 0);
	free(buf);

	total = info->hdr_len + payload;
	buf = malloc(total);
	REQUIRE(buf);
	hlen = omx_wire_encode(&pkt, buf, info->hdr_len);
	REQUIRE(hlen == info->hdr_len);
	memset(buf + hlen, 0x5a, payload);
	if (omx_wire_validate(buf, total) != OMX_WIRE_OK) {
		free(buf);
		return;
	}
	REQUIRE(omx_wire_decode(buf, total, &dec) == OMX_WIRE_OK);
	REQUIRE(dec.type == pkt.type && dec.payload_len == payload);
	REQUIRE(!memcmp(dec.dst_mac, pkt.dst_mac, OMX_ETH_ALEN));
	REQUIRE(!memcmp(dec.src_mac, pkt.src_mac, OMX_ETH_ALEN));
	REQUIRE(dec.peer_index == pkt.peer_index);
	check_limits(&dec, total);
	/* the same header bytes from what decode understood */
	again = malloc(hlen);
	REQUIRE(again);
	REQUIRE(omx_wire_encode(&dec, again, hlen) == hlen);
	REQUIRE(!memcmp(again, buf, hlen));
	free(again);
	free(buf);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void fuzz_seq(const uint8_t *data, size_t size)
{
	uint16_t a, b, s;
	unsigned int n, win;
	int d;
	uint8_t x, y;

	if (size < 9)
		return;
	a = get16(data);
	b = get16(data + 2);
	n = get16(data + 4) & OMX_SEQNUM_MASK;
	win = (get16(data + 6) & 0x7fff) % (OMX_SEQNUM_MASK + 2);
	x = data[7];
	y = data[8];

	s = omx_seq_add(a, n);
	REQUIRE(omx_seq_same_session(a, s));
	REQUIRE(omx_seq_ses(s) == omx_seq_ses(a));
	REQUIRE(omx_seq_dist(a, s) == n);
	REQUIRE(omx_seq_num(s) == ((omx_seq_num(a) + n) & OMX_SEQNUM_MASK));
	REQUIRE(omx_seq_make(omx_seq_ses(a), omx_seq_num(a)) == a);
	REQUIRE(omx_seq_dist(a, b) <= OMX_SEQNUM_MASK);
	REQUIRE(omx_seq_add(a, omx_seq_dist(a, b)) ==
		(uint16_t)((a & OMX_SESNUM_MASK) | omx_seq_num(b)));

	d = omx_seq_diff(a, b);
	REQUIRE(d >= -(int)(OMX_SEQNUM_UNACKED_MAX + 1) && d <= (int)OMX_SEQNUM_UNACKED_MAX);
	REQUIRE((d == 0) == (omx_seq_num(a) == omx_seq_num(b)));
	if (d != -(int)(OMX_SEQNUM_UNACKED_MAX + 1))
		REQUIRE(omx_seq_diff(b, a) == -d);
	REQUIRE(omx_seq_before(a, b) == (d < 0));
	REQUIRE(omx_seq_after(a, b) == (d > 0));
	REQUIRE(!(omx_seq_before(a, b) && omx_seq_after(a, b)));
	if (d != -(int)(OMX_SEQNUM_UNACKED_MAX + 1))
		REQUIRE(omx_seq_before(a, b) == omx_seq_after(b, a));
	REQUIRE(omx_seq_in_window(a, b, win) == (omx_seq_dist(b, a) < win));
	REQUIRE(omx_seq_in_window(s, a, n + 1));
	REQUIRE(omx_ses_next(omx_seq_ses(a)) <= (OMX_SESNUM_MASK >> OMX_SESNUM_SHIFT));

	REQUIRE((uint8_t)(x + omx_seq8_dist(x, y)) == y);
	REQUIRE(omx_seq8_diff(x, y) >= -128 && omx_seq8_diff(x, y) <= 127);
	if (omx_seq8_diff(x, y) != -128)
		REQUIRE(omx_seq8_diff(y, x) == -omx_seq8_diff(x, y));

	REQUIRE(omx_pull_magic_endpoint(omx_pull_magic(x)) == x);
	d = omx_pull_magic_endpoint((uint32_t)a << 16 | b);
	REQUIRE(d == -1 || (((uint32_t)a << 16 | b) == omx_pull_magic((unsigned int)d)));
}

static void fuzz_mtu(const uint8_t *data, size_t size)
{
	struct omx_pkt_medium m;
	uint32_t mtu, frag, reply, off;

	if (size < 12)
		return;
	memcpy(&mtu, data, 4);
	frag = omx_wire_medium_frag_len(mtu);
	reply = omx_wire_pull_reply_len(mtu);
	REQUIRE(frag <= OMX_MEDIUM_FRAG_LEN_MAX);
	REQUIRE(reply <= OMX_PULL_REPLY_LEN_MAX);
	/* interface MTUs are IP payloads, the standard sizes whole frames */
	if ((uint64_t)mtu + OMX_ETH_HLEN >= OMX_MTU_9000) {
		REQUIRE(frag == OMX_MEDIUM_FRAG_LEN_9000 && reply == OMX_PULL_REPLY_LEN_9000);
	} else if ((uint64_t)mtu + OMX_ETH_HLEN >= OMX_MTU_1500) {
		REQUIRE(frag == OMX_MEDIUM_FRAG_LEN_1500 && reply == OMX_PULL_REPLY_LEN_1500);
	}
	/* a smaller MTU never gives bigger pieces */
	if (mtu)
		REQUIRE(omx_wire_medium_frag_len(mtu - 1) <= frag &&
			omx_wire_pull_reply_len(mtu - 1) <= reply);

	/* a 32 KiB message cut at this size: every fragment found where it was cut */
	memset(&m, 0, sizeof(m));
	memcpy(&m.msg_length, data + 4, 4);
	m.msg_length %= OMX_MEDIUM_MAX + 1;
	m.frag_seqnum = data[8] % OMX_MEDIUM_FRAGS_MAX;
	if (frag >= OMX_MEDIUM_FRAG_LEN_MIN && m.msg_length &&
	    (uint32_t)m.frag_seqnum * frag < m.msg_length) {
		uint32_t left = m.msg_length - m.frag_seqnum * frag;

		m.frag_length = (uint16_t)(left < frag ? left : frag);
		REQUIRE(omx_wire_medium_frag_offset(&m, frag, &off) == OMX_WIRE_OK);
		REQUIRE(off == m.frag_seqnum * frag);
		m.frag_length ^= (uint16_t)(data[9] | 1);
		REQUIRE(omx_wire_medium_frag_offset(&m, frag, &off) == OMX_WIRE_BAD_FRAG);
	}
	check_medium(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % FUZZ_MODE_NR) {
	case FUZZ_MODE_FRAME:
		fuzz_frame(data + 1, size - 1);
		break;
	case FUZZ_MODE_STRUCT:
		fuzz_struct(data + 1, size - 1);
		break;
	case FUZZ_MODE_SEQ:
		fuzz_seq(data + 1, size - 1);
		break;
	default:
		fuzz_mtu(data + 1, size - 1);
		break;
	}
	return 0;
}
