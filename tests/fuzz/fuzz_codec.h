/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the first byte of a fuzz_codec input says the rest is (modulo
 * FUZZ_MODE_NR), and the payload a frame description declares; shared
 * by fuzz_codec.c and gen_corpus.c.  Include omx_wire_codec.h first.
 */
#ifndef FUZZ_CODEC_H
#define FUZZ_CODEC_H

enum fuzz_mode {
	FUZZ_MODE_FRAME = 0,	/* a received frame */
	FUZZ_MODE_STRUCT = 1,	/* a struct omx_pkt to encode */
	FUZZ_MODE_SEQ = 2,	/* sequence numbers */
	FUZZ_MODE_MTU = 3,	/* an interface MTU, a medium message */
	FUZZ_MODE_NR
};

/* Payload bytes @p declares: what omx_wire_validate() checks a frame against. */
static inline uint32_t fuzz_declared_payload(const struct omx_pkt *p)
{
	switch (p->type) {
	case OMX_PKT_TYPE_HOST_REPLY:
		return p->host_reply.hostname_len;
	case OMX_PKT_TYPE_TINY:
		return p->tiny.length;
	case OMX_PKT_TYPE_SMALL:
		return p->small.length;
	case OMX_PKT_TYPE_MEDIUM:
		return p->medium.frag_length;
	case OMX_PKT_TYPE_PULL_REPLY:
		return p->pull_reply.frame_length;
	default:
		return 0;
	}
}

#endif /* FUZZ_CODEC_H */
