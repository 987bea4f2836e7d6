// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzer for the wire codec (common/omx_wire_codec.c).
 *
 * A deterministic, seeded fuzzer run by "make check"; the coverage-guided
 * one is tests/fuzz/fuzz_codec ("make fuzz"). Built with -fsanitize=fuzzer
 * and -DOMX_FUZZ_LIBFUZZER this file is a libFuzzer target as well.
 * Usage:
 *   fuzz_wire [-n FRAMES] [-s SEED]   generated frames (default 200000, seed 1)
 *   fuzz_wire FILE...                 each file is one frame (replay a crash)
 *   fuzz_wire --seeds DIR             write one valid frame per type into DIR
 *
 * For every input it checks that validate and decode agree, never read past
 * the frame (ASan), that a decoded frame re-encodes to the same description,
 * and that the steering byte is where the type table says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_wire_codec.h"

#define BUF_MAX		(OMX_MTU_MAX + 256)

static void broken(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: fuzz_wire invariant broken: %s\n", file, line, what);
	abort();
}

#define REQUIRE(cond) do { if (!(cond)) broken(#cond, __FILE__, __LINE__); } while (0)

static unsigned long frames_ok;

static void one_frame(const uint8_t *data, size_t size)
{
	static uint8_t buf[BUF_MAX];
	const struct omx_wire_type_info *info;
	struct omx_pkt pkt, again;
	enum omx_wire_verdict v;
	size_t hlen;
	int ep;

	v = omx_wire_validate(data, size);
	REQUIRE(v < OMX_WIRE_VERDICT_NR);
	REQUIRE(omx_wire_decode(data, size, &pkt) == v);
	ep = omx_wire_dst_endpoint(data, size);
	REQUIRE(ep >= -1 && ep <= 255);
	if (v != OMX_WIRE_OK) {
		REQUIRE(pkt.type == 0 && pkt.payload_len == 0);
		return;
	}
	frames_ok++;

	info = omx_wire_type(pkt.type);
	REQUIRE(info && (info->flags & OMX_WIRE_F_DECODED));
	REQUIRE(pkt.payload_offset == info->hdr_len);
	REQUIRE((size_t)pkt.payload_offset + pkt.payload_len <= size);
	REQUIRE(pkt.payload_len == 0 || (info->flags & OMX_WIRE_F_PAYLOAD));
	if (info->dst_offset >= 0)
		REQUIRE(ep == data[info->dst_offset]);
	else
		REQUIRE(ep == -1);

	/* encode what we understood, payload copied: same meaning again */
	hlen = omx_wire_encode(&pkt, buf, sizeof(buf));
	REQUIRE(hlen == info->hdr_len);
	REQUIRE(hlen + pkt.payload_len <= sizeof(buf));
	memcpy(buf + hlen, data + pkt.payload_offset, pkt.payload_len);
	REQUIRE(omx_wire_decode(buf, hlen + pkt.payload_len, &again) == OMX_WIRE_OK);
	REQUIRE(!memcmp(&pkt, &again, sizeof(pkt)));
	REQUIRE(omx_wire_dst_endpoint(buf, hlen + pkt.payload_len) == ep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_frame(data, size);
	return 0;
}

#ifndef OMX_FUZZ_LIBFUZZER

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* uniform-ish in [lo, hi] */
static uint32_t rnd_range(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(rnd() % ((uint64_t)hi - lo + 1));
}

static void rnd_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)rnd();
}

static void rnd_msg(struct omx_pkt_msg *m)
{
	rnd_bytes(m, sizeof(*m));
}

static const uint8_t decoded_types[] = {
	OMX_PKT_TYPE_RAW, OMX_PKT_TYPE_HOST_QUERY, OMX_PKT_TYPE_HOST_REPLY,
	OMX_PKT_TYPE_TRUC, OMX_PKT_TYPE_CONNECT, OMX_PKT_TYPE_TINY,
	OMX_PKT_TYPE_SMALL, OMX_PKT_TYPE_MEDIUM, OMX_PKT_TYPE_RNDV,
	OMX_PKT_TYPE_PULL, OMX_PKT_TYPE_PULL_REPLY, OMX_PKT_TYPE_NOTIFY,
	OMX_PKT_TYPE_NACK_LIB, OMX_PKT_TYPE_NACK_MCP,
};

#define NTYPES (sizeof(decoded_types) / sizeof(decoded_types[0]))

/*
 * A random but valid frame of the given type: fields anywhere in their
 * legal ranges, payload of a legal length. Returns its length.
 */
static size_t valid_frame(unsigned int type, uint8_t *buf)
{
	struct omx_pkt p;
	uint32_t payload = 0, max;
	size_t hlen;

	memset(&p, 0, sizeof(p));
	rnd_bytes(p.dst_mac, sizeof(p.dst_mac));
	rnd_bytes(p.src_mac, sizeof(p.src_mac));
	p.peer_index = (uint16_t)rnd();
	p.type = (uint8_t)type;

	switch (type) {
	case OMX_PKT_TYPE_RAW:
		payload = rnd_range(0, OMX_RAW_FRAME_LEN_MAX - OMX_RAW_HLEN);
		break;
	case OMX_PKT_TYPE_HOST_QUERY:
		rnd_bytes(&p.host_query, sizeof(p.host_query));
		p.host_query.hostname_len = 0;
		break;
	case OMX_PKT_TYPE_HOST_REPLY:
		rnd_bytes(&p.host_reply, sizeof(p.host_reply));
		p.host_reply.hostname_len = (uint8_t)rnd_range(1, OMX_HOSTNAME_LEN_MAX);
		payload = p.host_reply.hostname_len;
		break;
	case OMX_PKT_TYPE_TRUC:
		rnd_bytes(&p.truc, sizeof(p.truc));
		break;
	case OMX_PKT_TYPE_CONNECT:
		rnd_bytes(&p.connect, sizeof(p.connect));
		p.connect.is_reply = (uint8_t)(rnd() & 1);
		if (p.connect.is_reply)
			p.connect.app_key = 0;
		else
			p.connect.target_session_id = p.connect.status = 0;
		break;
	case OMX_PKT_TYPE_TINY:
	case OMX_PKT_TYPE_SMALL:
		rnd_msg(&p.tiny.msg);
		max = type == OMX_PKT_TYPE_TINY ? OMX_TINY_MAX : OMX_SMALL_MAX;
		p.tiny.length = (uint16_t)rnd_range(0, max);
		payload = p.tiny.length;
		break;
	case OMX_PKT_TYPE_MEDIUM:
		rnd_msg(&p.medium.msg);
		p.medium.msg_length = rnd_range(1, OMX_MEDIUM_MAX);
		max = p.medium.msg_length < OMX_MEDIUM_FRAG_LEN_MAX ?
			p.medium.msg_length : OMX_MEDIUM_FRAG_LEN_MAX;
		p.medium.frag_length = (uint16_t)rnd_range(1, max);
		max = (p.medium.msg_length - p.medium.frag_length) / OMX_MEDIUM_FRAG_LEN_MIN;
		if (max > OMX_MEDIUM_FRAGS_MAX - 1)
			max = OMX_MEDIUM_FRAGS_MAX - 1;
		p.medium.frag_seqnum = (uint8_t)rnd_range(0, max);
		payload = p.medium.frag_length;
		break;
	case OMX_PKT_TYPE_RNDV:
		rnd_bytes(&p.rndv, sizeof(p.rndv));
		/* 8 bytes of rendezvous data: the frame holds no more */
		p.rndv.data_len = 0;
		break;
	case OMX_PKT_TYPE_PULL:
		rnd_bytes(&p.pull, sizeof(p.pull));
		p.pull.total_length = rnd_range(1, 0xffffffff);
		max = p.pull.total_length < OMX_PULL_BLOCK_LEN_MAX ?
			p.pull.total_length : OMX_PULL_BLOCK_LEN_MAX;
		p.pull.block_length = rnd_range(1, max);
		max = OMX_PULL_BLOCK_LEN_MAX - p.pull.block_length;
		if (max > OMX_PULL_REPLY_LEN_MAX - 1)
			max = OMX_PULL_REPLY_LEN_MAX - 1;
		p.pull.first_frame_offset = rnd_range(0, max);
		break;
	case OMX_PKT_TYPE_PULL_REPLY:
		rnd_bytes(&p.pull_reply, sizeof(p.pull_reply));
		p.pull_reply.frame_length = (uint16_t)rnd_range(1, OMX_PULL_REPLY_LEN_MAX);
		payload = p.pull_reply.frame_length;
		break;
	case OMX_PKT_TYPE_NOTIFY:
		rnd_bytes(&p.notify, sizeof(p.notify));
		break;
	case OMX_PKT_TYPE_NACK_LIB:
		rnd_bytes(&p.nack_lib, sizeof(p.nack_lib));
		p.nack_lib.nack_type = (uint8_t)rnd_range(1, OMX_NACK_TYPE_NR - 1);
		break;
	case OMX_PKT_TYPE_NACK_MCP:
		rnd_bytes(&p.nack_mcp, sizeof(p.nack_mcp));
		p.nack_mcp.nack_type = (uint8_t)rnd_range(1, OMX_NACK_TYPE_NR - 1);
		break;
	}

	hlen = omx_wire_encode(&p, buf, BUF_MAX);
	REQUIRE(hlen > 0);
	rnd_bytes(buf + hlen, payload);
	return hlen + payload;
}

/* Feed a copy of exactly len bytes so that ASan sees any over-read. */
static void feed(const uint8_t *frame, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	REQUIRE(copy);
	memcpy(copy, frame, len);
	one_frame(copy, len);
	free(copy);
}

static void mutate(uint8_t *buf, size_t *len)
{
	unsigned int i, n = rnd_range(1, 4);

	for (i = 0; i < n; i++) {
		size_t at;

		if (*len == 0)
			break;
		/* mostly in the headers, where the decisions are */
		at = (rnd() & 3) ? rnd() % (*len < 64 ? *len : 64) : rnd() % *len;
		switch (rnd() % 4) {
		case 0:
			buf[at] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1:
			buf[at] = (uint8_t)rnd();
			break;
		case 2:
			buf[at] = (rnd() & 1) ? 0xff : 0x00;
			break;
		case 3:
			*len = rnd() % (*len + 1);
			break;
		}
	}
	if ((rnd() % 8) == 0 && *len + 64 <= BUF_MAX) {
		size_t more = rnd() % 64;

		rnd_bytes(buf + *len, more);
		*len += more;
	}
}

static int run_generated(unsigned long count, uint64_t seed)
{
	static uint8_t buf[BUF_MAX];
	unsigned long i;

	rng_state = seed ? seed : 1;
	for (i = 0; i < count; i++) {
		unsigned int type = decoded_types[rnd() % NTYPES];
		size_t len;

		switch (rnd() % 4) {
		case 0:
			/* built valid: must validate */
			len = valid_frame(type, buf);
			REQUIRE(omx_wire_validate(buf, len) == OMX_WIRE_OK);
			break;
		case 1:
		case 2:
			len = valid_frame(type, buf);
			mutate(buf, &len);
			break;
		default:
			/* random bytes, often with the right ethertype and type */
			len = rnd() % 128;
			rnd_bytes(buf, len);
			if (len > OMX_PTYPE_OFFSET && (rnd() & 1)) {
				buf[12] = 0x86;
				buf[13] = 0xdf;
				buf[OMX_PTYPE_OFFSET] = (uint8_t)type;
			}
			break;
		}
		feed(buf, len);
	}
	printf("fuzz_wire: %lu generated frames (seed %llu), %lu valid\n",
	       count, (unsigned long long)seed, frames_ok);
	return 0;
}

static int run_files(int argc, char **argv)
{
	static uint8_t buf[BUF_MAX];
	int i;

	for (i = 0; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t len;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		feed(buf, len);
	}
	printf("fuzz_wire: %d files, %lu valid\n", argc, frames_ok);
	return 0;
}

static int write_seeds(const char *dir)
{
	static uint8_t buf[BUF_MAX];
	unsigned int i;

	rng_state = 42;
	for (i = 0; i < NTYPES; i++) {
		char path[4096];
		size_t len = valid_frame(decoded_types[i], buf);
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%s", dir, omx_wire_type_name(decoded_types[i]));
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, len, f) != len) {
			perror(path);
			if (f)
				fclose(f);
			return 1;
		}
		fclose(f);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 200000;
	uint64_t seed = 1;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			count = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seeds") && i + 1 < argc) {
			return write_seeds(argv[i + 1]);
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [-n FRAMES] [-s SEED] | FILE... | --seeds DIR\n",
				argv[0]);
			return 2;
		} else {
			return run_files(argc - i, argv + i);
		}
	}
	return run_generated(count, seed);
}

#endif /* !OMX_FUZZ_LIBFUZZER */
