// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_loss: two processes exchange messages of mixed sizes (0..32768) in
 * both directions, normally under netem loss/duplication/reordering, and
 * prove each message arrived exactly once, in order, intact.
 *
 *   mx_loss --board B --peer-board P [--eid E] [--peer-eid E]
 *           [--count N] [--seed S] [--deadline SECONDS]
 *
 * Each side sends N messages and receives the peer's N.  Message i carries
 * match info TAG(sender) | i; when it is 8 bytes or more its first 4 bytes
 * are i and the next 4 a checksum of the rest, which is a pattern of
 * (sender, i, offset).  Receives are posted in order with a mask that
 * ignores i, so receive k must get message k: in order, none lost, none
 * twice.  After both sides have everything (a synchronous goodbye each
 * way), receives stay posted for a while to catch late duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_test_util.h"
#include "omx_stats.h"

#define LOSS_KEY	0x1055U
#define TAG(board)	((uint64_t)(0x10550000U | (board)) << 32)
#define TAG_MASK	0xffffffff00000000ULL
#define BYE_TAG		0xb7e0000000000000ULL
#define SEND_WINDOW	32
#define RECV_WINDOW	64
#define MAX_LEN		32768

struct slot {
	int is_send;
	int busy;
	uint32_t msgno;		/* send: number; receive: post order */
	uint8_t *buf;
	mx_request_t req;
};

static uint32_t seed;

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

/* Length of message @i from @sender: all classes, biased to the small. */
static uint32_t msg_len(uint32_t sender, uint32_t i)
{
	uint32_t r = mix(seed ^ mix(sender * 0x10001U + i));

	switch (r % 10) {
	case 0: case 1: case 2: case 3:
		return (r >> 8) % 129;
	case 4: case 5: case 6:
		return (r >> 8) % 8194;
	default:
		return (r >> 8) % (MAX_LEN + 1);
	}
}

static uint32_t pattern_id(uint32_t sender, uint32_t i)
{
	return sender * 0x01000193U + i;
}

static uint32_t checksum(const uint8_t *p, uint32_t len)
{
	uint32_t a = 1, b = 0, i;

	for (i = 0; i < len; i++) {
		a = (a + p[i]) % 65521;
		b = (b + a) % 65521;
	}
	return (b << 16) | a;
}

static void build(uint8_t *buf, uint32_t sender, uint32_t i, uint32_t len)
{
	uint32_t sum;

	mt_fill(buf, len, pattern_id(sender, i));
	if (len < 8)
		return;
	memcpy(buf, &i, 4);
	sum = checksum(buf + 8, len - 8);
	memcpy(buf + 4, &sum, 4);
}

/* Empty string when message @i of @sender is right, else what is wrong. */
static const char *verify(const uint8_t *buf, const mx_status_t *st,
			  uint32_t sender, uint32_t i, char *why, size_t n)
{
	uint32_t len = msg_len(sender, i), got_i, sum, off;
	uint32_t pid = pattern_id(sender, i);

	if (st->code != MX_STATUS_SUCCESS) {
		snprintf(why, n, "status %s", mx_strstatus(st->code));
		return why;
	}
	if (st->match_info != (TAG(sender) | i)) {
		snprintf(why, n, "got message %u (match %#llx), expected %u",
			 (uint32_t)st->match_info,
			 (unsigned long long)st->match_info, i);
		return why;
	}
	if (st->msg_length != len || st->xfer_length != len) {
		snprintf(why, n, "length %u/%u, expected %u", st->msg_length,
			 st->xfer_length, len);
		return why;
	}
	if (len >= 8) {
		memcpy(&got_i, buf, 4);
		memcpy(&sum, buf + 4, 4);
		if (got_i != i) {
			snprintf(why, n, "payload says message %u", got_i);
			return why;
		}
		if (sum != checksum(buf + 8, len - 8)) {
			snprintf(why, n, "checksum mismatch");
			return why;
		}
	}
	for (off = len >= 8 ? 8 : 0; off < len; off++)
		if (buf[off] != mt_pattern(pid, off)) {
			snprintf(why, n, "byte %u is %#x, expected %#x", off,
				 buf[off], mt_pattern(pid, off));
			return why;
		}
	why[0] = '\0';
	return why;
}

static int post_recv(mx_endpoint_t ep, struct slot *s, uint32_t order,
		     uint32_t peer)
{
	mx_segment_t seg = { s->buf, MAX_LEN };
	mx_return_t ret;

	s->msgno = order;
	s->busy = 1;
	ret = mx_irecv(ep, &seg, 1, TAG(peer), TAG_MASK, s, &s->req);
	if (ret != MX_SUCCESS) {
		mt_fail("loss: post a receive", "%s", mx_strerror(ret));
		s->busy = 0;
		return 0;
	}
	return 1;
}

static int post_send(mx_endpoint_t ep, mx_endpoint_addr_t dst, struct slot *s,
		     uint32_t me, uint32_t i)
{
	uint32_t len = msg_len(me, i);
	mx_segment_t seg = { s->buf, len };
	mx_return_t ret;

	build(s->buf, me, i, len);
	s->msgno = i;
	s->busy = 1;
	ret = mx_isend(ep, &seg, 1, dst, TAG(me) | i, s, &s->req);
	if (ret != MX_SUCCESS) {
		mt_fail("loss: post a send", "message %u: %s", i,
			mx_strerror(ret));
		s->busy = 0;
		return 0;
	}
	return 1;
}

static uint32_t opt_u32(int argc, char **argv, const char *name, uint32_t d)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return (uint32_t)strtoul(argv[i + 1], NULL, 0);
	return d;
}

int main(int argc, char **argv)
{
	struct omx_endpoint_stats stats;
	uint32_t me = opt_u32(argc, argv, "--board", ~0U);
	uint32_t peer = opt_u32(argc, argv, "--peer-board", ~0U);
	uint32_t eid = opt_u32(argc, argv, "--eid", 3);
	uint32_t peer_eid = opt_u32(argc, argv, "--peer-eid", 3);
	uint32_t count = opt_u32(argc, argv, "--count", 5000);
	uint64_t deadline = mt_now_ms() +
		1000ULL * opt_u32(argc, argv, "--deadline", 600);
	struct slot sends[SEND_WINDOW], recvs[RECV_WINDOW];
	uint32_t next_send = 0, sent_ok = 0, send_bad = 0, next_post = 0;
	uint32_t received = 0, bad = 0, dups = 0, i, result;
	char why[160], first_bad[200] = "", first_send_bad[200] = "";
	mx_endpoint_addr_t dst;
	mx_endpoint_t ep;
	mx_return_t ret;
	mx_request_t bye_s, bye_r;
	mx_status_t st;
	uint64_t nic, last_report = 0;
	int bye_sent = 0, bye_sdone = 0, bye_rdone = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	seed = opt_u32(argc, argv, "--seed", 1);
	if (me == ~0U || peer == ~0U) {
		fprintf(stderr, "usage: mx_loss --board B --peer-board P [--eid E] [--peer-eid E] [--count N] [--seed S] [--deadline SECONDS]\n");
		return 2;
	}
	if (mx_init() != MX_SUCCESS)
		return 1;
	mx_set_error_handler(MX_ERRORS_RETURN);
	ret = mx_open_endpoint(me, eid, LOSS_KEY, NULL, 0, &ep);
	if (!mt_check_ret("loss: open endpoint", ret, MX_SUCCESS))
		return 1;
	if (!mt_nic_id(peer, &nic))
		return 1;
	/* the peer may not be open yet: retry until the deadline */
	do
		ret = mx_connect(ep, nic, peer_eid, LOSS_KEY, 5000, &dst);
	while (ret != MX_SUCCESS && mt_now_ms() < deadline);
	if (!mt_check_ret("loss: connect to the peer", ret, MX_SUCCESS))
		return 1;

	for (i = 0; i < SEND_WINDOW; i++)
		sends[i] = (struct slot){ .is_send = 1, .buf = malloc(MAX_LEN) };
	for (i = 0; i < RECV_WINDOW; i++) {
		recvs[i] = (struct slot){ .buf = malloc(MAX_LEN) };
		if (next_post < count)
			post_recv(ep, &recvs[i], next_post++, peer);
	}
	for (i = 0; i < SEND_WINDOW && next_send < count; i++)
		post_send(ep, dst, &sends[i], me, next_send++);

	while ((received < count || sent_ok + send_bad < count) &&
	       mt_now_ms() < deadline) {
		struct slot *s;

		result = 0;
		ret = mx_wait_any(ep, 200, 0, 0, &st, &result);
		if (ret != MX_SUCCESS) {
			mt_fail("loss: mx_wait_any", "%s", mx_strerror(ret));
			break;
		}
		if (!result)
			continue;
		s = st.context;
		s->busy = 0;
		if (s->is_send) {
			if (st.code == MX_STATUS_SUCCESS) {
				sent_ok++;
			} else if (!send_bad++) {
				snprintf(first_send_bad, sizeof(first_send_bad),
					 "send %u: %s", s->msgno,
					 mx_strstatus(st.code));
			}
			if (next_send < count)
				post_send(ep, dst, s, me, next_send++);
			continue;
		}
		received++;
		if (verify(s->buf, &st, peer, s->msgno, why, sizeof(why))[0] &&
		    !bad++)
			snprintf(first_bad, sizeof(first_bad),
				 "receive %u: %s", s->msgno, why);
		if (next_post < count)
			post_recv(ep, s, next_post++, peer);
		if (received - last_report >= 1000) {
			last_report = received;
			mt_diag("board %u: %u received, %u sent", me, received,
				sent_ok);
		}
	}
	mt_check(received == count, "loss: every message of the peer received",
		 "%u of %u before the deadline", received, count);
	mt_check(!bad, "loss: each exactly once, in order, intact",
		 "%u bad, first %s", bad, first_bad);
	mt_check(sent_ok == count, "loss: every send completed successfully",
		 "%u ok, %u failed of %u%s%s", sent_ok, send_bad, count,
		 send_bad ? ", first " : "", first_send_bad);

	/* Goodbye: a synchronous send each way proves the peer matched all. */
	{
		mx_segment_t seg = { NULL, 0 };

		mx_irecv(ep, &seg, 1, BYE_TAG, MX_MATCH_MASK_NONE, NULL, &bye_r);
		bye_sent = mx_issend(ep, &seg, 1, dst, BYE_TAG, NULL, &bye_s) ==
			   MX_SUCCESS;
	}
	/* Keep receives posted until the goodbyes are done and some time
	 * after: a duplicate of an old message would land in one of them. */
	{
		uint64_t linger_end = 0, end = deadline + 60000;

		while (mt_now_ms() < end) {
			if (bye_sdone && bye_rdone && !linger_end)
				linger_end = mt_now_ms() + 3000;
			if (linger_end && mt_now_ms() > linger_end)
				break;
			/* a completed request is freed: never test it again */
			result = 0;
			if (bye_sent && !bye_sdone) {
				mx_test(ep, &bye_s, &st, &result);
				if (result)
					bye_sdone = st.code == MX_STATUS_SUCCESS ? 1 : -1;
			}
			result = 0;
			if (!bye_rdone) {
				mx_test(ep, &bye_r, &st, &result);
				if (result)
					bye_rdone = 1;
			}
			result = 0;
			mx_test_any(ep, TAG(peer), TAG_MASK, &st, &result);
			if (result && !dups++)
				mt_diag("late message %#llx after all %u",
					(unsigned long long)st.match_info,
					count);
			mx_progress(ep);
		}
	}
	mt_check(bye_sdone == 1 && bye_rdone,
		 "loss: synchronous goodbye both ways",
		 "sent %s, received %s", bye_sdone == 1 ? "yes" :
		 bye_sdone ? "failed" : "pending", bye_rdone ? "yes" : "no");
	mt_check(!dups, "loss: no duplicate after the end",
		 "%u late messages", dups);
	/* loss.sh checks how the losses were repaired */
	if (mt_check_ret("omx_get_endpoint_stats",
			 omx_get_endpoint_stats(ep, &stats, sizeof(stats)), MX_SUCCESS))
		printf("stats: resent_timeout=%llu resent_fast=%llu gap_reports=%llu ooo_kept=%llu ooo_dropped=%llu duplicates=%llu window_stalls=%llu resent_probe=%llu\n",
		       (unsigned long long)stats.resent_timeout,
		       (unsigned long long)stats.resent_fast,
		       (unsigned long long)stats.gap_reports,
		       (unsigned long long)stats.ooo_kept,
		       (unsigned long long)stats.ooo_dropped,
		       (unsigned long long)stats.duplicates,
		       (unsigned long long)stats.window_stalls,
		       (unsigned long long)stats.resent_probe);
	mx_close_endpoint(ep);
	mx_finalize();
	return mt_exit_status();
}
