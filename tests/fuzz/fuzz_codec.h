/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the first byte of a fuzz_codec input says the rest is (modulo
 * FUZZ_MODE_NR); shared by fuzz_codec.c and gen_corpus.c.
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

#endif /* FUZZ_CODEC_H */
