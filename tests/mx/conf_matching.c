// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Matching: 64-bit match info and masks, wildcards, unexpected messages
 * matched in order, probe/iprobe, truncation and cancel of a receive.
 * All a->b across the wire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

/* Post a send of @len pattern bytes of @msgno with match info @mi. */
static int send_msg(struct conf *c, struct pend *p, void **buf, uint32_t len,
		    uint32_t msgno, uint64_t mi)
{
	mx_segment_t seg;
	mx_return_t ret;

	*buf = malloc(len ? len : 1);
	mt_fill(*buf, len, msgno);
	seg.segment_ptr = *buf;
	seg.segment_length = len;
	memset(p, 0, sizeof(*p));
	p->ep = c->a;
	ret = mx_isend(c->a, &seg, 1, c->a2b, mi, *buf, &p->req);
	if (ret != MX_SUCCESS) {
		mt_diag("mx_isend: %s", mx_strerror(ret));
		p->done = 1;
		return 0;
	}
	return 1;
}

static int post_recv(struct conf *c, struct pend *p, void *buf, uint32_t len,
		     uint64_t mi, uint64_t mask)
{
	mx_segment_t seg = { buf, len };
	mx_return_t ret;

	memset(p, 0, sizeof(*p));
	p->ep = c->b;
	ret = mx_irecv(c->b, &seg, 1, mi, mask, buf, &p->req);
	if (ret != MX_SUCCESS) {
		mt_diag("mx_irecv: %s", mx_strerror(ret));
		p->done = 1;
		return 0;
	}
	return 1;
}

static void check_masks(struct conf *c)
{
	const uint64_t hi = 0xffff000000000000ULL;
	uint8_t r1[64], r2[64], r3[64];
	struct pend p[6];
	void *s1, *s2, *s3;
	mx_request_t req;
	mx_segment_t seg = { r1, 8 };
	mx_return_t ret;

	ret = mx_irecv(c->b, &seg, 1, 0x1ULL, 0, NULL, &req);
	mt_check_ret("irecv with match bits outside the mask: MX_BAD_MATCH_MASK",
		     ret, MX_BAD_MATCH_MASK);

	post_recv(c, &p[0], r1, sizeof(r1), 0x1111000000000000ULL, hi);
	post_recv(c, &p[1], r2, sizeof(r2), 0x2222000000000000ULL, hi);
	post_recv(c, &p[2], r3, sizeof(r3), 0, 0);
	/* The wildcard was posted last: earlier matching receives win. */
	send_msg(c, &p[3], &s1, 40, 1, 0x2222000000000005ULL);
	send_msg(c, &p[4], &s2, 41, 2, 0x1111abcdef000007ULL);
	send_msg(c, &p[5], &s3, 42, 3, 0x3333000000000009ULL);
	if (!mt_check(conf_complete(c, p, 6, MT_WAIT_MS) == 6,
		      "masked receives complete", "not within %u ms",
		      MT_WAIT_MS))
		return;
	mt_check(p[1].st.match_info == 0x2222000000000005ULL &&
		 p[1].st.msg_length == 40 && mt_verify(r2, 40, 1) < 0,
		 "mask on the high 16 bits selects the receive",
		 "receive 0x2222 got match %#llx, %u bytes",
		 (unsigned long long)p[1].st.match_info, p[1].st.msg_length);
	mt_check(p[0].st.match_info == 0x1111abcdef000007ULL &&
		 p[0].st.msg_length == 41 && mt_verify(r1, 41, 2) < 0,
		 "full 64-bit match info reported through a masked receive",
		 "receive 0x1111 got match %#llx, %u bytes",
		 (unsigned long long)p[0].st.match_info, p[0].st.msg_length);
	mt_check(p[2].st.match_info == 0x3333000000000009ULL &&
		 p[2].st.msg_length == 42 && mt_verify(r3, 42, 3) < 0,
		 "wildcard receive (mask 0) takes what nothing else matches",
		 "wildcard got match %#llx, %u bytes",
		 (unsigned long long)p[2].st.match_info, p[2].st.msg_length);
	free(s1);
	free(s2);
	free(s3);
}

static const uint32_t unexp_len[] = { 10, 200, 9000, 0, 20000, 32768, 33 };
#define NUNEXP	(sizeof(unexp_len) / sizeof(unexp_len[0]))

static void check_unexpected(struct conf *c)
{
	struct pend s[NUNEXP], r[NUNEXP];
	void *sbuf[NUNEXP], *rbuf[NUNEXP];
	const uint64_t base = 0x7700000000000000ULL;
	mx_status_t st;
	uint32_t result = 0, i;
	uint64_t t0;
	int order_ok = 1;

	for (i = 0; i < NUNEXP; i++)
		send_msg(c, &s[i], &sbuf[i], unexp_len[i], 500 + i, base | i);
	mt_check(conf_wait_unexpected(c, c->b, base | (NUNEXP - 1),
				      MX_MATCH_MASK_NONE, &st, MT_WAIT_MS),
		 "iprobe sees the last unexpected message",
		 "not within %u ms", MT_WAIT_MS);
	mt_check(st.msg_length == unexp_len[NUNEXP - 1] &&
		 st.match_info == (base | (NUNEXP - 1)),
		 "iprobe's status gives its length and match info",
		 "length %u match %#llx", st.msg_length,
		 (unsigned long long)st.match_info);
	memset(&st, 0, sizeof(st));
	result = 0;
	mx_return_t ret = mx_probe(c->b, 5000, base | 2, MX_MATCH_MASK_NONE,
				   &st, &result);
	mt_check(ret == MX_SUCCESS && result && st.msg_length == 9000,
		 "probe finds the third one", "%s, result %u, length %u",
		 mx_strerror(ret), result, st.msg_length);
	result = 0;
	mx_iprobe(c->b, 0x5555000000000000ULL, MX_MATCH_MASK_NONE, &st,
		  &result);
	mt_check(!result, "iprobe of a match nobody sent: nothing",
		 "result %u", result);
	t0 = mt_now_ms();
	result = 1;
	ret = mx_probe(c->b, 500, 0x5555000000000000ULL, MX_MATCH_MASK_NONE,
		       &st, &result);
	mt_check(ret == MX_SUCCESS && !result && mt_now_ms() - t0 >= 400 &&
		 mt_now_ms() - t0 < 10000,
		 "probe with a 500 ms timeout gives up in time",
		 "%s, result %u after %llu ms", mx_strerror(ret), result,
		 (unsigned long long)(mt_now_ms() - t0));

	/* Receives posted now match the queued messages in sending order. */
	for (i = 0; i < NUNEXP; i++) {
		rbuf[i] = malloc(32768);
		post_recv(c, &r[i], rbuf[i], 32768, base, 0xff00000000000000ULL);
	}
	if (!mt_check(conf_complete(c, r, NUNEXP, MT_WAIT_MS) == NUNEXP &&
		      conf_complete(c, s, NUNEXP, MT_WAIT_MS) == NUNEXP,
		      "unexpected messages all received", "not within %u ms",
		      MT_WAIT_MS))
		return;
	for (i = 0; i < NUNEXP; i++)
		if (r[i].st.code != MX_STATUS_SUCCESS ||
		    r[i].st.match_info != (base | i) ||
		    r[i].st.xfer_length != unexp_len[i] ||
		    mt_verify(rbuf[i], unexp_len[i], 500 + i) >= 0) {
			mt_fail("unexpected messages matched in sending order",
				"receive %u: %s, match %#llx, %u bytes", i,
				mx_strstatus(r[i].st.code),
				(unsigned long long)r[i].st.match_info,
				r[i].st.xfer_length);
			order_ok = 0;
			break;
		}
	if (order_ok)
		mt_ok("unexpected messages matched in sending order");
	for (i = 0; i < NUNEXP; i++) {
		free(sbuf[i]);
		free(rbuf[i]);
	}
}

static void check_truncation(struct conf *c)
{
	static const uint32_t cases[][2] = { { 100, 50 }, { 20000, 9000 },
					     { 32768, 1 }, { 40, 0 } };
	unsigned int i;
	char name[96];

	for (i = 0; i < 4; i++) {
		uint32_t len = cases[i][0], room = cases[i][1];
		uint8_t *rbuf = malloc(room + 64);
		struct pend p[2];
		void *sbuf;

		memset(rbuf, 0xee, room + 64);
		snprintf(name, sizeof(name),
			 "truncation: %u bytes into %u: MX_STATUS_TRUNCATED",
			 len, room);
		post_recv(c, &p[0], rbuf, room, CONF_MI(0x7a0 + i),
			  MX_MATCH_MASK_NONE);
		send_msg(c, &p[1], &sbuf, len, 0x7a0 + i, CONF_MI(0x7a0 + i));
		if (conf_complete(c, p, 2, MT_WAIT_MS) != 2)
			mt_fail(name, "not completed within %u ms", MT_WAIT_MS);
		else if (mt_check_status(name, &p[0].st, MX_STATUS_TRUNCATED))
			mt_check(p[0].st.msg_length == len &&
				 p[0].st.xfer_length == room &&
				 mt_verify(rbuf, room, 0x7a0 + i) < 0 &&
				 rbuf[room] == 0xee,
				 "  msg_length is what was sent, xfer_length what fit",
				 "msg_length %u xfer_length %u, bytes %s, guard %s",
				 p[0].st.msg_length, p[0].st.xfer_length,
				 mt_verify(rbuf, room, 0x7a0 + i) < 0 ?
				 "right" : "wrong",
				 rbuf[room] == 0xee ? "intact" : "overwritten");
		free(sbuf);
		free(rbuf);
	}
}

static void check_cancel(struct conf *c)
{
	uint8_t buf[64];
	struct pend p[2];
	mx_status_t st;
	uint32_t result = 0;
	mx_request_t done_req;
	mx_return_t ret;
	void *sbuf;

	post_recv(c, &p[0], buf, sizeof(buf), CONF_MI(0xca1), MX_MATCH_MASK_NONE);
	ret = mx_cancel(c->b, &p[0].req, &result);
	mt_check(ret == MX_SUCCESS && result == 1,
		 "cancel a posted receive", "%s, result %u", mx_strerror(ret),
		 result);
	send_msg(c, &p[1], &sbuf, 20, 0xca1, CONF_MI(0xca1));
	mt_check(conf_wait_unexpected(c, c->b, CONF_MI(0xca1),
				      MX_MATCH_MASK_NONE, &st, MT_WAIT_MS),
		 "  a message for the cancelled receive is unexpected",
		 "iprobe did not see it within %u ms", MT_WAIT_MS);
	result = 0;
	ret = mx_ipeek(c->b, &done_req, &result);
	mt_check(ret == MX_SUCCESS && !result,
		 "  the cancelled receive never completes", "%s, result %u",
		 mx_strerror(ret), result);
	/* Drain it; then cancel a receive that has already completed. */
	post_recv(c, &p[0], buf, sizeof(buf), CONF_MI(0xca1), MX_MATCH_MASK_NONE);
	conf_complete(c, p, 2, MT_WAIT_MS);
	mt_check(p[0].done && p[0].st.code == MX_STATUS_SUCCESS &&
		 mt_verify(buf, 20, 0xca1) < 0,
		 "  and a new receive gets it", "%s",
		 p[0].done ? mx_strstatus(p[0].st.code) : "not completed");
	free(sbuf);

	post_recv(c, &p[0], buf, sizeof(buf), CONF_MI(0xca2), MX_MATCH_MASK_NONE);
	send_msg(c, &p[1], &sbuf, 20, 0xca2, CONF_MI(0xca2));
	result = 0;
	{
		uint64_t end = mt_now_ms() + MT_WAIT_MS;

		do {
			conf_progress(c);
			mx_ipeek(c->b, &done_req, &result);
		} while (!result && mt_now_ms() < end);
	}
	result = 1;
	ret = mx_cancel(c->b, &p[0].req, &result);
	mt_check(ret == MX_SUCCESS && result == 0,
		 "cancel of a completed receive: result 0",
		 "%s, result %u", mx_strerror(ret), result);
	p[0].done = 0;
	conf_complete(c, p, 2, MT_WAIT_MS);
	mt_check(p[0].done && p[0].st.code == MX_STATUS_SUCCESS,
		 "  and it is still returned by test", "%s",
		 p[0].done ? mx_strstatus(p[0].st.code) : "not returned");
	free(sbuf);
}

void conf_matching(struct conf *c)
{
	check_masks(c);
	check_unexpected(c);
	check_truncation(c);
	check_cancel(c);
}
