// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fi_check: what fi_pingpong and Open MPI's correctness runs do not reach
 * in the omx provider, checked through libfabric's API in one process.
 * Endpoint "a" is on domain omx0, "b" on omx1 (run with
 * OMX_DISABLE_SHARED=1 so the boards talk over the wire); both are
 * progressed from here (FI_PROGRESS_MANUAL).
 *
 *  - truncation: a receive shorter than the message completes in error
 *    with FI_ETRUNC, the received length, the overflow in olen and the
 *    first bytes in the buffer, for an eager and a rendezvous message;
 *    the sender's completion is a success (truncation is the receiver's);
 *  - cancel: a posted receive cancelled with fi_cancel completes with
 *    FI_ECANCELED and its context, and a later message does not land in
 *    its buffer;
 *  - FI_DELIVERY_COMPLETE: a send with it does not complete while the
 *    receiver has no receive posted (a plain send of the same size does),
 *    and completes once the receiver took it;
 *  - FI_SELECTIVE_COMPLETION: on an endpoint bound with it, a send
 *    without FI_COMPLETION leaves no entry, one with it leaves one.
 * Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
 */
#define _GNU_SOURCE
#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_tagged.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct side {
	const char *name;
	struct fi_info *info;
	struct fid_fabric *fabric;
	struct fid_domain *domain;
	struct fid_av *av;
	struct fid_cq *cq;
	struct fid_ep *ep;
	fi_addr_t peer;
};

static int failures;

static void check(bool cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		failures++;
}

static void die(const char *what, int ret)
{
	printf("not ok - %s: %s (%d)\n", what, fi_strerror(-ret), ret);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void open_side(struct side *s, const char *domain, bool selective)
{
	struct fi_info *hints = fi_allocinfo();
	struct fi_cq_attr cq_attr = { .format = FI_CQ_FORMAT_TAGGED, .size = 64 };
	struct fi_av_attr av_attr = { .type = FI_AV_MAP };
	int ret;

	if (!hints)
		die("fi_allocinfo", -FI_ENOMEM);
	s->name = domain;
	hints->ep_attr->type = FI_EP_RDM;
	hints->caps = FI_TAGGED | FI_MSG;
	hints->mode = FI_CONTEXT;
	hints->fabric_attr->prov_name = strdup("omx");
	hints->domain_attr->name = strdup(domain);
	ret = fi_getinfo(FI_VERSION(1, 17), NULL, NULL, 0, hints, &s->info);
	fi_freeinfo(hints);
	if (ret)
		die("fi_getinfo", ret);
	ret = fi_fabric(s->info->fabric_attr, &s->fabric, NULL);
	if (ret)
		die("fi_fabric", ret);
	ret = fi_domain(s->fabric, s->info, &s->domain, NULL);
	if (ret)
		die("fi_domain", ret);
	ret = fi_av_open(s->domain, &av_attr, &s->av, NULL);
	if (ret)
		die("fi_av_open", ret);
	ret = fi_cq_open(s->domain, &cq_attr, &s->cq, NULL);
	if (ret)
		die("fi_cq_open", ret);
	ret = fi_endpoint(s->domain, s->info, &s->ep, NULL);
	if (ret)
		die("fi_endpoint", ret);
	ret = fi_ep_bind(s->ep, &s->av->fid, 0);
	if (ret)
		die("fi_ep_bind av", ret);
	ret = fi_ep_bind(s->ep, &s->cq->fid,
			 FI_TRANSMIT | FI_RECV | (selective ? FI_SELECTIVE_COMPLETION : 0));
	if (ret)
		die("fi_ep_bind cq", ret);
	ret = fi_enable(s->ep);
	if (ret)
		die("fi_enable", ret);
}

static void close_side(struct side *s)
{
	fi_close(&s->ep->fid);
	fi_close(&s->cq->fid);
	fi_close(&s->av->fid);
	fi_close(&s->domain->fid);
	fi_close(&s->fabric->fid);
	fi_freeinfo(s->info);
}

/* connect FROM to TO: TO's name in FROM's address vector */
static void connect_to(struct side *from, struct side *to)
{
	char name[64];
	size_t len = sizeof(name);
	int ret;

	ret = fi_getname(&to->ep->fid, name, &len);
	if (ret)
		die("fi_getname", ret);
	ret = fi_av_insert(from->av, name, 1, &from->peer, 0, NULL);
	if (ret != 1)
		die("fi_av_insert", ret < 0 ? ret : -FI_EINVAL);
}

/*
 * poll: read one completion of S within SECONDS, progressing OTHER too
 * (manual progress: its endpoint acknowledges and answers only when
 * read).  Returns 1 with *e filled, -FI_EAVAIL with *err filled, 0 when
 * nothing came.
 */
static int poll_one(struct side *s, struct side *other, double seconds,
		    struct fi_cq_tagged_entry *e, struct fi_cq_err_entry *err)
{
	double end = now() + seconds;
	struct fi_cq_tagged_entry junk;
	ssize_t ret;

	do {
		ret = fi_cq_read(s->cq, e, 1);
		if (ret == 1)
			return 1;
		if (ret == -FI_EAVAIL) {
			memset(err, 0, sizeof(*err));
			ret = fi_cq_readerr(s->cq, err, 0);
			if (ret != 1)
				die("fi_cq_readerr", (int)ret);
			return -FI_EAVAIL;
		}
		if (ret != -FI_EAGAIN)
			die("fi_cq_read", (int)ret);
		if (other) {
			ret = fi_cq_read(other->cq, &junk, 0);
			if (ret != -FI_EAGAIN && ret != 0 && ret != -FI_EAVAIL)
				die("fi_cq_read (other side)", (int)ret);
		}
	} while (now() < end);
	return 0;
}

static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 7 + seed);
}

static bool same(const uint8_t *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (uint8_t)(i * 7 + seed))
			return false;
	return true;
}

static void post_recv(struct side *s, void *buf, size_t len, uint64_t tag, struct fi_context2 *ctx)
{
	ssize_t ret;

	do {
		ret = fi_trecv(s->ep, buf, len, NULL, FI_ADDR_UNSPEC, tag, 0, ctx);
	} while (ret == -FI_EAGAIN);
	if (ret)
		die("fi_trecv", (int)ret);
}

static void send_msg(struct side *s, const void *buf, size_t len, uint64_t tag, uint64_t flags,
		     struct fi_context2 *ctx)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct fi_msg_tagged msg = {
		.msg_iov = &iov, .iov_count = 1, .addr = s->peer, .tag = tag, .context = ctx,
	};
	ssize_t ret;

	do {
		ret = fi_tsendmsg(s->ep, &msg, flags);
	} while (ret == -FI_EAGAIN);
	if (ret)
		die("fi_tsendmsg", (int)ret);
}

/* A LEN-byte message into a ROOM-byte receive. */
static void check_truncation(struct side *a, struct side *b, size_t len, size_t room,
			     uint64_t tag, const char *what)
{
	uint8_t *sbuf = malloc(len), *rbuf = calloc(1, room + 64);
	struct fi_context2 sctx, rctx;
	struct fi_cq_tagged_entry e;
	struct fi_cq_err_entry err;
	int got;

	if (!sbuf || !rbuf)
		die("malloc", -FI_ENOMEM);
	fill(sbuf, len, (unsigned int)tag);
	post_recv(b, rbuf, room, tag, &rctx);
	send_msg(a, sbuf, len, tag, FI_COMPLETION, &sctx);
	got = poll_one(b, a, 20, &e, &err);
	check(got == -FI_EAVAIL, "%s: the short receive completes in error", what);
	if (got == -FI_EAVAIL) {
		check(err.err == FI_ETRUNC, "%s: error FI_ETRUNC (got %d, %s)", what, err.err,
		      fi_strerror(err.err));
		check(err.op_context == &rctx, "%s: with the receive's context", what);
		check(err.len == room, "%s: len %zu is the room (%zu)", what, err.len, room);
		check(err.olen == len - room, "%s: olen %zu is the overflow (%zu)", what, err.olen,
		      len - room);
		check(err.tag == tag, "%s: tag 0x%llx", what, (unsigned long long)err.tag);
	}
	check(same(rbuf, room, (unsigned int)tag), "%s: the first %zu bytes arrived", what, room);
	check(rbuf[room] == 0, "%s: nothing written past the receive buffer", what);
	got = poll_one(a, b, 20, &e, &err);
	check(got == 1 && e.op_context == &sctx, "%s: the sender's completion is a success%s%s",
	      what, got == -FI_EAVAIL ? ", not " : "",
	      got == -FI_EAVAIL ? fi_strerror(err.err) : "");
	free(sbuf);
	free(rbuf);
}

static void check_cancel(struct side *a, struct side *b)
{
	uint8_t buf1[64], buf2[64], msg[32];
	struct fi_context2 c1, c2, sctx;
	struct fi_cq_tagged_entry e;
	struct fi_cq_err_entry err;
	int ret, got;

	memset(buf1, 0xee, sizeof(buf1));
	post_recv(b, buf1, sizeof(buf1), 0x2a, &c1);
	ret = (int)fi_cancel(&b->ep->fid, &c1);
	check(ret == 0, "cancel: fi_cancel of a posted receive returns 0 (%d)", ret);
	got = poll_one(b, a, 5, &e, &err);
	check(got == -FI_EAVAIL && err.err == FI_ECANCELED,
	      "cancel: the receive completes with FI_ECANCELED (got %d, err %d)", got,
	      got == -FI_EAVAIL ? err.err : 0);
	check(got == -FI_EAVAIL && err.op_context == &c1, "cancel: with the receive's context");
	/*
	 * fi_cancel's 0 means "submitted" (fi_endpoint(3)); a cancel of a
	 * finished operation must not report it a second time.
	 */
	ret = (int)fi_cancel(&b->ep->fid, &c1);
	got = poll_one(b, a, 0.5, &e, &err);
	check(ret == 0 && got == 0, "cancel: cancelling it again reports nothing more (%d, %d)",
	      ret, got);
	/* the same tag again: it must land in the new receive only */
	fill(msg, sizeof(msg), 0x2a);
	post_recv(b, buf2, sizeof(buf2), 0x2a, &c2);
	send_msg(a, msg, sizeof(msg), 0x2a, FI_COMPLETION, &sctx);
	got = poll_one(b, a, 20, &e, &err);
	check(got == 1 && e.op_context == &c2 && e.len == sizeof(msg) &&
	      same(buf2, sizeof(msg), 0x2a),
	      "cancel: a later message completes the later receive");
	check(buf1[0] == 0xee && buf1[31] == 0xee, "cancel: the cancelled buffer is untouched");
	got = poll_one(a, b, 20, &e, &err);
	check(got == 1 && e.op_context == &sctx, "cancel: the later send completes");
}

/*
 * A send of LEN bytes with FLAGS, nothing posted at the receiver for
 * WAIT seconds: returns whether the send completed in that time, then
 * lets the receiver take it and returns the send's completion too.
 */
static bool send_unmatched(struct side *a, struct side *b, size_t len, uint64_t tag,
			   uint64_t flags, double wait, bool *completed_later)
{
	uint8_t *sbuf = malloc(len), *rbuf = malloc(len);
	struct fi_context2 sctx, rctx;
	struct fi_cq_tagged_entry e;
	struct fi_cq_err_entry err;
	bool early;
	int got;

	if (!sbuf || !rbuf)
		die("malloc", -FI_ENOMEM);
	fill(sbuf, len, (unsigned int)tag);
	send_msg(a, sbuf, len, tag, flags, &sctx);
	got = poll_one(a, b, wait, &e, &err);
	early = got == 1 && e.op_context == &sctx;
	post_recv(b, rbuf, len, tag, &rctx);
	got = poll_one(b, a, 20, &e, &err);
	check(got == 1 && e.op_context == &rctx && e.len == len && same(rbuf, len, (unsigned int)tag),
	      "tag 0x%llx, %zu bytes: the receiver got the message",
	      (unsigned long long)tag, len);
	*completed_later = early;
	if (!early) {
		got = poll_one(a, b, 20, &e, &err);
		*completed_later = got == 1 && e.op_context == &sctx;
	}
	free(sbuf);
	free(rbuf);
	return early;
}

static void check_delivery_complete(struct side *a, struct side *b)
{
	bool early, done;

	/* the control: an eager send completes without a receive posted */
	early = send_unmatched(a, b, 64, 0x30, FI_COMPLETION, 1.0, &done);
	check(early, "plain send of 64 B: completes before a receive is posted");
	early = send_unmatched(a, b, 64, 0x31, FI_COMPLETION | FI_DELIVERY_COMPLETE, 1.0, &done);
	check(!early, "FI_DELIVERY_COMPLETE send of 64 B: no completion while nothing is posted");
	check(done, "FI_DELIVERY_COMPLETE send of 64 B: completes once received");
	early = send_unmatched(a, b, 16384, 0x32, FI_COMPLETION | FI_DELIVERY_COMPLETE, 1.0, &done);
	check(!early, "FI_DELIVERY_COMPLETE send of 16 KiB: no completion while nothing is posted");
	check(done, "FI_DELIVERY_COMPLETE send of 16 KiB: completes once received");
}

static void check_selective(struct side *b)
{
	struct side c = { 0 };
	struct fi_context2 s1, s2, r1, r2;
	struct fi_cq_tagged_entry e;
	struct fi_cq_err_entry err;
	uint8_t m1[8], m2[8], b1[8], b2[8];
	int got;

	open_side(&c, "omx0", true);
	connect_to(&c, b);
	connect_to(b, &c);
	fill(m1, 8, 1);
	fill(m2, 8, 2);
	post_recv(b, b1, 8, 0x41, &r1);
	post_recv(b, b2, 8, 0x42, &r2);
	send_msg(&c, m1, 8, 0x41, 0, &s1);
	send_msg(&c, m2, 8, 0x42, FI_COMPLETION, &s2);
	got = poll_one(b, &c, 20, &e, &err);
	check(got == 1 && e.op_context == &r1, "selective: the first message arrived");
	got = poll_one(b, &c, 20, &e, &err);
	check(got == 1 && e.op_context == &r2, "selective: the second message arrived");
	got = poll_one(&c, b, 2, &e, &err);
	check(got == 1 && e.op_context == &s2,
	      "selective: the first completion is the send with FI_COMPLETION");
	got = poll_one(&c, b, 0.5, &e, &err);
	check(got == 0, "selective: the send without FI_COMPLETION left no entry");
	close_side(&c);
}

int main(void)
{
	struct side a = { 0 }, b = { 0 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	open_side(&a, "omx0", false);
	open_side(&b, "omx1", false);
	connect_to(&a, &b);
	connect_to(&b, &a);
	check_truncation(&a, &b, 100, 16, 0x11, "truncation of an eager message");
	check_truncation(&a, &b, 1 << 20, 65536, 0x12, "truncation of a rendezvous message");
	check_cancel(&a, &b);
	check_delivery_complete(&a, &b);
	/* b's peer becomes c: a is done */
	check_selective(&b);
	close_side(&a);
	close_side(&b);
	printf("# fi_check: %d failed\n", failures);
	return failures ? 1 : 0;
}
