// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Completion: test, wait, test_any, wait_any, ipeek, peek, ibuffered,
 * context, forget and issend.  Receives on b, sends from a.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static int post(mx_endpoint_t ep, struct pend *p, void *buf, uint32_t len,
		uint64_t mi, void *ctx)
{
	mx_segment_t seg = { buf, len };

	memset(p, 0, sizeof(*p));
	p->ep = ep;
	return mx_irecv(ep, &seg, 1, mi, MX_MATCH_MASK_NONE, ctx, &p->req) ==
	       MX_SUCCESS;
}

static int send_to_b(struct conf *c, struct pend *p, void *buf, uint32_t len,
		     uint64_t mi, int sync)
{
	mx_segment_t seg = { buf, len };
	mx_return_t ret;

	mt_fill(buf, len, (uint32_t)mi);
	memset(p, 0, sizeof(*p));
	p->ep = c->a;
	ret = sync ? mx_issend(c->a, &seg, 1, c->a2b, mi, buf, &p->req) :
		     mx_isend(c->a, &seg, 1, c->a2b, mi, buf, &p->req);
	if (ret != MX_SUCCESS)
		mt_diag("%s: %s", sync ? "mx_issend" : "mx_isend",
			mx_strerror(ret));
	return ret == MX_SUCCESS;
}

static void check_test_wait(struct conf *c)
{
	uint8_t rb[64], sb[64];
	struct pend r, s;
	uint32_t result = 1;
	mx_status_t st;
	mx_return_t ret;
	uint64_t t0, end;
	void *ctx = NULL;
	int mark;

	post(c->b, &r, rb, sizeof(rb), 0x7e57, &mark);
	ret = mx_context(&r.req, &ctx);
	mt_check(ret == MX_SUCCESS && ctx == &mark,
		 "mx_context gives a posted request's context", "%s, %p",
		 mx_strerror(ret), ctx);
	ret = mx_test(c->b, &r.req, &st, &result);
	mt_check(ret == MX_SUCCESS && result == 0,
		 "mx_test of a pending receive: not done", "%s, result %u",
		 mx_strerror(ret), result);
	t0 = mt_now_ms();
	result = 1;
	ret = mx_wait(c->b, &r.req, 300, &st, &result);
	mt_check(ret == MX_SUCCESS && result == 0 && mt_now_ms() - t0 >= 250 &&
		 mt_now_ms() - t0 < 10000,
		 "mx_wait with a 300 ms timeout on a pending receive gives up",
		 "%s, result %u after %llu ms", mx_strerror(ret), result,
		 (unsigned long long)(mt_now_ms() - t0));
	send_to_b(c, &s, sb, 30, 0x7e57, 0);
	end = mt_now_ms() + MT_WAIT_MS;
	result = 0;
	do {
		conf_progress(c);
		ret = mx_test(c->b, &r.req, &st, &result);
	} while (ret == MX_SUCCESS && !result && mt_now_ms() < end);
	mt_check(result && st.code == MX_STATUS_SUCCESS && st.context == &mark &&
		 st.xfer_length == 30 && mt_verify(rb, 30, 0x7e57) < 0,
		 "mx_test completes the receive", "%s, result %u, %s, %u bytes",
		 mx_strerror(ret), result, mx_strstatus(st.code),
		 st.xfer_length);
	conf_complete(c, &s, 1, MT_WAIT_MS);

	/* mx_wait sleeps until the message comes */
	post(c->b, &r, rb, sizeof(rb), 0x7e58, NULL);
	send_to_b(c, &s, sb, 31, 0x7e58, 0);
	result = 0;
	ret = mx_wait(c->b, &r.req, MT_WAIT_MS, &st, &result);
	mt_check(ret == MX_SUCCESS && result && st.code == MX_STATUS_SUCCESS &&
		 mt_verify(rb, 31, 0x7e58) < 0,
		 "mx_wait completes a receive", "%s, result %u, %s",
		 mx_strerror(ret), result, mx_strstatus(st.code));
	conf_complete(c, &s, 1, MT_WAIT_MS);
}

static void check_any_peek(struct conf *c)
{
	uint8_t r1[64], r2[64], sb[64];
	struct pend ra, rb, s;
	mx_request_t got = NULL;
	uint32_t result;
	mx_status_t st;
	mx_return_t ret;
	uint64_t end;

	post(c->b, &ra, r1, sizeof(r1), 0xa11, (void *)r1);
	post(c->b, &rb, r2, sizeof(r2), 0xa12, (void *)r2);
	result = 1;
	ret = mx_test_any(c->b, 0, 0, &st, &result);
	mt_check(ret == MX_SUCCESS && !result,
		 "mx_test_any with nothing done: nothing", "%s, result %u",
		 mx_strerror(ret), result);
	send_to_b(c, &s, sb, 12, 0xa12, 0);
	end = mt_now_ms() + MT_WAIT_MS;
	result = 0;
	do {
		conf_progress(c);
		ret = mx_test_any(c->b, 0xa12, MX_MATCH_MASK_NONE, &st,
				  &result);
	} while (ret == MX_SUCCESS && !result && mt_now_ms() < end);
	mt_check(result && st.context == r2 && st.match_info == 0xa12,
		 "mx_test_any completes the request whose match info fits",
		 "%s, result %u, context %p (want %p)", mx_strerror(ret),
		 result, st.context, (void *)r2);
	conf_complete(c, &s, 1, MT_WAIT_MS);
	send_to_b(c, &s, sb, 13, 0xa11, 0);
	result = 0;
	ret = mx_wait_any(c->b, MT_WAIT_MS, 0xa11, MX_MATCH_MASK_NONE, &st,
			  &result);
	mt_check(ret == MX_SUCCESS && result && st.context == r1 &&
		 mt_verify(r1, 13, 0xa11) < 0,
		 "mx_wait_any completes the other", "%s, result %u, context %p",
		 mx_strerror(ret), result, st.context);
	conf_complete(c, &s, 1, MT_WAIT_MS);

	result = 1;
	ret = mx_ipeek(c->b, &got, &result);
	mt_check(ret == MX_SUCCESS && !result, "mx_ipeek with nothing done",
		 "%s, result %u", mx_strerror(ret), result);
	post(c->b, &ra, r1, sizeof(r1), 0xbee1, NULL);
	send_to_b(c, &s, sb, 14, 0xbee1, 0);
	end = mt_now_ms() + MT_WAIT_MS;
	result = 0;
	do {
		conf_progress(c);
		ret = mx_ipeek(c->b, &got, &result);
	} while (ret == MX_SUCCESS && !result && mt_now_ms() < end);
	mt_check(result && got == ra.req, "mx_ipeek names the done request",
		 "%s, result %u, %p (want %p)", mx_strerror(ret), result,
		 (void *)got, (void *)ra.req);
	result = 0;
	ret = mx_test(c->b, &ra.req, &st, &result);
	mt_check(ret == MX_SUCCESS && result && st.code == MX_STATUS_SUCCESS,
		 "  and mx_test then completes it", "%s, result %u",
		 mx_strerror(ret), result);
	conf_complete(c, &s, 1, MT_WAIT_MS);

	post(c->b, &ra, r1, sizeof(r1), 0xbee2, NULL);
	send_to_b(c, &s, sb, 15, 0xbee2, 0);
	result = 0;
	got = NULL;
	ret = mx_peek(c->b, MT_WAIT_MS, &got, &result);
	mt_check(ret == MX_SUCCESS && result && got == ra.req,
		 "mx_peek waits for and names the done request",
		 "%s, result %u, %p (want %p)", mx_strerror(ret), result,
		 (void *)got, (void *)ra.req);
	conf_complete(c, &ra, 1, MT_WAIT_MS);
	conf_complete(c, &s, 1, MT_WAIT_MS);
}

static void check_buffered_forget(struct conf *c)
{
	uint8_t *sb = malloc(20000), *rbuf = malloc(20000);
	struct pend r, s;
	mx_request_t got;
	uint32_t result = 0;
	mx_status_t st;
	mx_return_t ret;
	uint64_t end;

	post(c->b, &r, rbuf, 20000, 0xbf, NULL);
	send_to_b(c, &s, sb, 20000, 0xbf, 0);
	end = mt_now_ms() + MT_WAIT_MS;
	do {
		conf_progress(c);
		ret = mx_ibuffered(c->a, &s.req, &result);
	} while (ret == MX_SUCCESS && !result && mt_now_ms() < end);
	mt_check(ret == MX_SUCCESS && result,
		 "mx_ibuffered: a send's buffer becomes reusable", "%s, result %u",
		 mx_strerror(ret), result);
	conf_complete(c, &r, 1, MT_WAIT_MS);
	conf_complete(c, &s, 1, MT_WAIT_MS);

	/* a forgotten send still delivers, and is never returned */
	post(c->b, &r, rbuf, 20000, 0xf0, NULL);
	send_to_b(c, &s, sb, 777, 0xf0, 0);
	ret = mx_forget(c->a, &s.req);
	mt_check_ret("mx_forget a send", ret, MX_SUCCESS);
	conf_complete(c, &r, 1, MT_WAIT_MS);
	mt_check(r.done && r.st.code == MX_STATUS_SUCCESS &&
		 mt_verify(rbuf, 777, 0xf0) < 0,
		 "  its message arrives", "%s",
		 r.done ? mx_strstatus(r.st.code) : "not received");
	conf_idle(c, 200);
	result = 1;
	ret = mx_ipeek(c->a, &got, &result);
	if (!mt_check(ret == MX_SUCCESS && !result,
		      "  and it is never returned by ipeek", "%s, result %u",
		      mx_strerror(ret), result) && result) {
		result = 0;
		ret = mx_test(c->a, &got, &st, &result);
		mt_diag("ipeek gave request %p (the forgotten one was %p): test says %s, result %u, status %s, match %#llx, length %u",
			(void *)got, (void *)s.req, mx_strerror(ret), result,
			mx_strstatus(st.code), (unsigned long long)st.match_info,
			st.msg_length);
	}

	/* a forgotten receive still takes its message */
	memset(rbuf, 0, 20000);
	post(c->b, &r, rbuf, 20000, 0xf1, NULL);
	ret = mx_forget(c->b, &r.req);
	mt_check_ret("mx_forget a receive", ret, MX_SUCCESS);
	send_to_b(c, &s, sb, 555, 0xf1, 0);
	conf_complete(c, &s, 1, MT_WAIT_MS);
	end = mt_now_ms() + MT_WAIT_MS;
	while (mt_verify(rbuf, 555, 0xf1) >= 0 && mt_now_ms() < end)
		conf_progress(c);
	mt_check(mt_verify(rbuf, 555, 0xf1) < 0,
		 "  its buffer is filled", "not within %u ms", MT_WAIT_MS);
	conf_idle(c, 200);
	result = 1;
	mx_iprobe(c->b, 0xf1, MX_MATCH_MASK_NONE, &st, &result);
	mt_check(!result, "  the message was not left unexpected",
		 "iprobe found it");
	result = 1;
	ret = mx_ipeek(c->b, &got, &result);
	mt_check(ret == MX_SUCCESS && !result,
		 "  and the receive is never returned by ipeek",
		 "%s, result %u", mx_strerror(ret), result);
	free(sb);
	free(rbuf);
}

static void check_issend(struct conf *c)
{
	uint8_t sb[100], rb[100];
	struct pend p[2];
	uint32_t result = 1;
	mx_status_t st;

	send_to_b(c, &p[1], sb, 100, 0x55e, 1);
	conf_idle(c, 500);
	mx_test(c->a, &p[1].req, &st, &result);
	mt_check(!result, "mx_issend not complete before the receive is posted",
		 "completed with %s", mx_strstatus(st.code));
	if (result)
		p[1].done = 1;
	post(c->b, &p[0], rb, sizeof(rb), 0x55e, NULL);
	mt_check(conf_complete(c, p, 2, MT_WAIT_MS) == 2 &&
		 p[0].st.code == MX_STATUS_SUCCESS &&
		 (result || p[1].st.code == MX_STATUS_SUCCESS) &&
		 mt_verify(rb, 100, 0x55e) < 0,
		 "  and completes once it matched", "recv %s, send %s",
		 p[0].done ? mx_strstatus(p[0].st.code) : "pending",
		 p[1].done ? mx_strstatus(p[1].st.code) : "pending");
}

/*
 * Sends up to 128 bytes complete at once (zombies: the library keeps a
 * copy until the ack); longer ones complete when acknowledged.
 */
static void check_zombie(struct conf *c)
{
	uint8_t sb[200], rb[200];
	struct pend r, s;
	uint32_t result = 0;
	mx_status_t st;
	mx_return_t ret;

	send_to_b(c, &s, sb, 128, 0x2b1e, 0);
	ret = mx_test(c->a, &s.req, &st, &result);
	mt_check(ret == MX_SUCCESS && result && st.code == MX_STATUS_SUCCESS &&
		 st.xfer_length == 128,
		 "a 128-byte send completes before the peer acknowledged it",
		 "%s, result %u", mx_strerror(ret), result);
	if (!result)
		conf_complete(c, &s, 1, MT_WAIT_MS);
	/* the buffer is ours again: what was sent must not change */
	memset(sb, 0, sizeof(sb));
	post(c->b, &r, rb, sizeof(rb), 0x2b1e, NULL);
	conf_complete(c, &r, 1, MT_WAIT_MS);
	mt_check(r.done && r.st.code == MX_STATUS_SUCCESS && r.st.xfer_length == 128 &&
		 mt_verify(rb, 128, 0x2b1e) < 0,
		 "  the receiver gets the bytes as they were at the send", "%s, %u bytes",
		 r.done ? mx_strstatus(r.st.code) : "not received", r.st.xfer_length);

	send_to_b(c, &s, sb, 129, 0x2b1f, 0);
	result = 1;
	ret = mx_test(c->a, &s.req, &st, &result);
	mt_check(ret == MX_SUCCESS && !result,
		 "a 129-byte send waits for its acknowledgement", "%s, result %u",
		 mx_strerror(ret), result);
	if (result)
		s.done = 1;
	post(c->b, &r, rb, sizeof(rb), 0x2b1f, NULL);
	mt_check(conf_complete(c, &r, 1, MT_WAIT_MS) == 1 && r.st.code == MX_STATUS_SUCCESS &&
		 (s.done || conf_complete(c, &s, 1, MT_WAIT_MS) == 1),
		 "  and completes once acknowledged", "recv %s, send %s",
		 r.done ? mx_strstatus(r.st.code) : "pending",
		 s.done ? mx_strstatus(s.st.code) : "pending");
}

void conf_completion(struct conf *c)
{
	check_zombie(c);
	check_test_wait(c);
	check_any_peek(c);
	check_buffered_forget(c);
	check_issend(c);
}

void conf_outstanding(struct conf *c, mx_endpoint_t s, mx_endpoint_addr_t dst,
		      mx_endpoint_t r, uint32_t count, const char *path)
{
	struct pend *p = calloc(2 * count, sizeof(*p));
	uint8_t **rb = calloc(count, sizeof(*rb)), **sb = calloc(count, sizeof(*sb));
	uint32_t i, bad = 0, first_bad = 0, len;
	char name[128];
	int done;

	/* sizes cycle through every class, kept small enough for the rings */
	for (i = 0; i < count; i++) {
		mx_segment_t seg;

		len = (i * 131) % 3000;
		rb[i] = malloc(len + 1);
		sb[i] = malloc(len + 1);
		mt_fill(sb[i], len, 9000 + i);
		seg = (mx_segment_t){ rb[i], len };
		p[i].ep = r;
		if (mx_irecv(r, &seg, 1, CONF_MI(9000 + i), MX_MATCH_MASK_NONE,
			     NULL, &p[i].req) != MX_SUCCESS) {
			snprintf(name, sizeof(name),
				 "%s: post %u receives", path, count);
			mt_fail(name, "irecv %u refused", i);
			return;
		}
	}
	for (i = 0; i < count; i++) {
		mx_segment_t seg = { sb[i], (i * 131) % 3000 };

		p[count + i].ep = s;
		if (mx_isend(s, &seg, 1, dst, CONF_MI(9000 + i), NULL,
			     &p[count + i].req) != MX_SUCCESS) {
			snprintf(name, sizeof(name), "%s: post %u sends", path,
				 count);
			mt_fail(name, "isend %u refused", i);
			return;
		}
	}
	done = conf_complete(c, p, (int)(2 * count), 120000);
	snprintf(name, sizeof(name),
		 "%s: %u receives then %u sends outstanding all complete",
		 path, count, count);
	if (!mt_check(done == (int)(2 * count), name, "%d of %u completed",
		      done, 2 * count))
		return;
	for (i = 0; i < count; i++) {
		len = (i * 131) % 3000;
		if (p[i].st.code != MX_STATUS_SUCCESS ||
		    p[count + i].st.code != MX_STATUS_SUCCESS ||
		    p[i].st.xfer_length != len ||
		    mt_verify(rb[i], len, 9000 + i) >= 0) {
			if (!bad++)
				first_bad = i;
		}
		free(rb[i]);
		free(sb[i]);
	}
	snprintf(name, sizeof(name), "%s: all %u messages intact", path, count);
	mt_check(!bad, name, "%u bad, first %u (recv %s, send %s, %u bytes)",
		 bad, first_bad, mx_strstatus(p[first_bad].st.code),
		 mx_strstatus(p[count + first_bad].st.code),
		 p[first_bad].st.xfer_length);
	free(p);
	free(rb);
	free(sb);
}
