// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The large-message suite's plumbing: endpoints, bounded waits that
 * progress everything, one checked transfer, and the driver's pinned
 * page count (GET_DRIVER_INFO on /dev/omx, outside the MX API).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "omx_abi.h"
#include "large.h"

uint32_t lx_bound_ms(uint64_t len)
{
	/* 64 MiB takes well under a second on the veth; netem and TCG slow it */
	return MT_WAIT_MS + (uint32_t)(len >> 12);
}

void lx_progress(struct large *L)
{
	if (L->a)
		mx_progress(L->a);
	if (L->b)
		mx_progress(L->b);
	if (L->c)
		mx_progress(L->c);
}

int lx_test_wait(struct large *L, mx_endpoint_t ep, mx_request_t *req,
		 mx_status_t *st, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t result;
	mx_return_t ret;

	do {
		result = 0;
		memset(st, 0, sizeof(*st));
		ret = mx_test(ep, req, st, &result);
		if (ret != MX_SUCCESS) {
			mt_diag("mx_test: %s", mx_strerror(ret));
			return 0;
		}
		if (result)
			return 1;
		lx_progress(L);
	} while (mt_now_ms() < end);
	return 0;
}

static int lx_connect(struct large *L, mx_endpoint_t from, uint32_t board,
		      mx_endpoint_t to, mx_endpoint_addr_t *addr,
		      const char *name)
{
	mx_endpoint_addr_t own;
	mx_request_t req;
	mx_status_t st;
	uint64_t nic;
	uint32_t eid;
	mx_return_t ret;

	if (!mt_nic_id(board, &nic))
		return 0;
	ret = mx_get_endpoint_addr(to, &own);
	if (ret == MX_SUCCESS)
		ret = mx_decompose_endpoint_addr(own, &nic, &eid);
	if (ret == MX_SUCCESS)
		ret = mx_iconnect(from, nic, eid, LX_KEY, 0, NULL, &req);
	if (ret != MX_SUCCESS) {
		mt_fail(name, "%s", mx_strerror(ret));
		return 0;
	}
	if (!lx_test_wait(L, from, &req, &st, MT_WAIT_MS)) {
		mt_fail(name, "not completed within %u ms", MT_WAIT_MS);
		return 0;
	}
	*addr = st.source;
	return mt_check_status(name, &st, MX_STATUS_SUCCESS);
}

int lx_setup(struct large *L, uint32_t ba, uint32_t bb, int with_c)
{
	mx_return_t ret;

	memset(L, 0, sizeof(*L));
	L->board_a = ba;
	L->board_b = bb;
	ret = mx_open_endpoint(ba, MX_ANY_ENDPOINT, LX_KEY, NULL, 0, &L->a);
	if (!mt_check_ret("open endpoint a", ret, MX_SUCCESS))
		return 0;
	ret = mx_open_endpoint(bb, MX_ANY_ENDPOINT, LX_KEY, NULL, 0, &L->b);
	if (!mt_check_ret("open endpoint b", ret, MX_SUCCESS))
		return 0;
	if (!lx_connect(L, L->a, bb, L->b, &L->a2b, "connect a->b") ||
	    !lx_connect(L, L->b, ba, L->a, &L->b2a, "connect b->a"))
		return 0;
	if (!with_c)
		return 1;
	ret = mx_open_endpoint(ba, MX_ANY_ENDPOINT, LX_KEY, NULL, 0, &L->c);
	if (!mt_check_ret("open endpoint c (board of a)", ret, MX_SUCCESS))
		return 0;
	return lx_connect(L, L->a, ba, L->c, &L->a2c, "connect a->c") &&
	       lx_connect(L, L->a, ba, L->a, &L->a2a, "connect a->a (self)");
}

void lx_teardown(struct large *L)
{
	if (L->c)
		mt_check_ret("close endpoint c", mx_close_endpoint(L->c), MX_SUCCESS);
	if (L->b)
		mt_check_ret("close endpoint b", mx_close_endpoint(L->b), MX_SUCCESS);
	if (L->a)
		mt_check_ret("close endpoint a", mx_close_endpoint(L->a), MX_SUCCESS);
	memset(L, 0, sizeof(*L));
}

static size_t lx_round(size_t len)
{
	return (len + LX_PAGE - 1) / LX_PAGE * LX_PAGE;
}

void *lx_alloc(size_t len)
{
	void *p = mmap(NULL, lx_round(len ? len : 1), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void lx_free(void *p, size_t len)
{
	if (p)
		munmap(p, lx_round(len ? len : 1));
}

/*
 * Reused buffers.  Freeing a registered buffer leaves its pages pinned
 * until the library notices (see lx_rcache), so a sweep that mapped
 * fresh buffers for every message would pin far more than it uses.
 */
static struct {
	uint8_t *p;
	size_t len;
} lx_pools[LX_POOLS];

void *lx_pool(unsigned int slot, size_t len)
{
	if (lx_pools[slot].len < len) {
		lx_free(lx_pools[slot].p, lx_pools[slot].len);
		lx_pools[slot].p = lx_alloc(len);
		lx_pools[slot].len = lx_pools[slot].p ? len : 0;
	}
	return lx_pools[slot].p;
}

void lx_pool_drop(unsigned int slot)
{
	lx_pools[slot].p = NULL;	/* leaked: a request may still use it */
	lx_pools[slot].len = 0;
}

/* Offset of the first byte of [@p, @p + @len) that is not the guard, or -1. */
long lx_guard_bad(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != LX_GUARD_BYTE)
			return (long)i;
	return -1;
}

/* Both requests, progressing everything; sets *@sdone / *@rdone. */
static void lx_complete2(struct large *L, mx_endpoint_t s, mx_request_t *sreq,
			 mx_status_t *sst, int *sdone, mx_endpoint_t r,
			 mx_request_t *rreq, mx_status_t *rst, int *rdone,
			 uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t result;

	while ((!*sdone || !*rdone) && mt_now_ms() < end) {
		if (!*sdone) {
			result = 0;
			if (mx_test(s, sreq, sst, &result) != MX_SUCCESS)
				break;
			*sdone = result != 0;
		}
		if (!*rdone) {
			result = 0;
			if (mx_test(r, rreq, rst, &result) != MX_SUCCESS)
				break;
			*rdone = result != 0;
		}
		lx_progress(L);
	}
}

/* Wait until @r sees @mi as unexpected (mx_iprobe); 1 when it does. */
static int lx_probe(struct large *L, mx_endpoint_t r, uint64_t mi,
		    mx_status_t *st, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t result;

	do {
		result = 0;
		if (mx_iprobe(r, mi, LX_MASK_ALL, st, &result) != MX_SUCCESS)
			return 0;
		if (result)
			return 1;
		lx_progress(L);
	} while (mt_now_ms() < end);
	return 0;
}

static int lx_post_recv(mx_endpoint_t r, uint8_t *rbuf, uint32_t rlen,
			const struct lx_opts *o, uint64_t mi, mx_request_t *req)
{
	mx_segment_t segs[MX_MAX_SEGMENTS], one = { rbuf, rlen };
	uint32_t n = o->rseg ? mt_split(rbuf, rlen, segs, o->rseg) : 1;

	return mx_irecv(r, o->rseg ? segs : &one, n, mi, LX_MASK_ALL, NULL,
			req) == MX_SUCCESS;
}

int lx_xfer(struct large *L, mx_endpoint_t s, mx_endpoint_addr_t dst,
	    mx_endpoint_t r, uint32_t len, const struct lx_opts *o,
	    uint32_t msgno, const char *name)
{
	uint32_t rlen = o->trunc ? o->rlen : len, want = len < rlen ? len : rlen;
	size_t sbytes = (size_t)o->soff + len;
	size_t rbytes = (size_t)LX_GUARD + o->roff + rlen + LX_GUARD;
	uint8_t *sbuf = lx_pool(0, sbytes), *rbuf = lx_pool(1, rbytes), *rdata;
	mx_segment_t segs[MX_MAX_SEGMENTS], one;
	uint64_t mi = lx_mi(o->sseg, msgno, len);
	mx_status_t sst, rst, pst;
	mx_request_t sreq, rreq;
	int sdone = 0, rdone = 0, ok = 0, early = 0;
	uint32_t n, bound = lx_bound_ms(len);
	mx_return_t ret;
	long bad;

	if (!sbuf || !rbuf) {
		mt_fail(name, "cannot map %zu + %zu bytes", sbytes, rbytes);
		goto out;
	}
	rdata = rbuf + LX_GUARD + o->roff;
	mt_fill(sbuf + o->soff, len, msgno);
	memset(rbuf, LX_GUARD_BYTE, rbytes);
	if (!o->unexpected && !o->sync &&
	    !lx_post_recv(r, rdata, rlen, o, mi, &rreq)) {
		mt_fail(name, "mx_irecv failed");
		goto out;
	}
	one.segment_ptr = sbuf + o->soff;
	one.segment_length = len;
	n = o->sseg ? mt_split(sbuf + o->soff, len, segs, o->sseg) : 1;
	ret = (o->sync ? mx_issend : mx_isend)(s, o->sseg ? segs : &one, n,
					       dst, mi, NULL, &sreq);
	if (ret != MX_SUCCESS) {
		mt_fail(name, "%s: %s", o->sync ? "mx_issend" : "mx_isend",
			mx_strerror(ret));
		goto out;
	}
	if (o->unexpected || o->sync) {
		/* the message must wait, unmatched, for the receive */
		if (!lx_probe(L, r, mi, &pst, bound)) {
			mt_fail(name, "mx_iprobe never saw the message");
			goto out;
		}
		if (pst.msg_length != len) {
			mt_fail(name, "mx_iprobe says %u bytes, sent %u",
				pst.msg_length, len);
			goto out;
		}
		/* give a wrong early completion of the send a chance to show */
		early = o->sync && lx_test_wait(L, s, &sreq, &sst, 300);
		sdone = early;
		if (!lx_post_recv(r, rdata, rlen, o, mi, &rreq)) {
			mt_fail(name, "mx_irecv failed");
			goto out;
		}
	}
	lx_complete2(L, s, &sreq, &sst, &sdone, r, &rreq, &rst, &rdone, bound);
	if (!sdone || !rdone) {
		mt_fail(name, "%s%s not completed within %u ms",
			sdone ? "" : "send ", rdone ? "" : "receive", bound);
		goto out;
	}
	if (o->sync && early) {
		mt_fail(name, "mx_issend completed before the receive was posted");
		goto out;
	}
	if (sst.code != MX_STATUS_SUCCESS &&
	    !(want < len && sst.code == MX_STATUS_TRUNCATED)) {
		mt_fail(name, "send status %s", mx_strstatus(sst.code));
		goto out;
	}
	if (rst.code != (want < len ? MX_STATUS_TRUNCATED : MX_STATUS_SUCCESS)) {
		mt_fail(name, "receive status %s, expected %s",
			mx_strstatus(rst.code),
			mx_strstatus(want < len ? MX_STATUS_TRUNCATED :
				     MX_STATUS_SUCCESS));
		goto out;
	}
	if (rst.msg_length != len || rst.xfer_length != want ||
	    rst.match_info != mi) {
		mt_fail(name, "receive msg_length %u xfer_length %u match %#llx, expected %u %u %#llx",
			rst.msg_length, rst.xfer_length,
			(unsigned long long)rst.match_info, len, want,
			(unsigned long long)mi);
		goto out;
	}
	bad = mt_verify(rdata, want, msgno);
	if (bad >= 0) {
		mt_fail(name, "byte %ld of %u is %#x, expected %#x", bad, want,
			rdata[bad], mt_pattern(msgno, (uint32_t)bad));
		goto out;
	}
	bad = lx_guard_bad(rbuf, LX_GUARD + o->roff);
	if (bad >= 0) {
		mt_fail(name, "byte %ld before the receive buffer overwritten",
			(long)(LX_GUARD + o->roff) - bad);
		goto out;
	}
	bad = lx_guard_bad(rdata + want, (size_t)rlen - want + LX_GUARD);
	if (bad >= 0) {
		mt_fail(name, "byte %ld after the %u received bytes overwritten",
			bad, want);
		goto out;
	}
	ok = 1;
	mt_ok(name);
out:
	if (!ok && !(sdone && rdone)) {
		/* never reuse what a pending request may still touch */
		mt_diag("%s: leaving the transfer unfinished; later checks may suffer",
			name);
		lx_pool_drop(0);
		lx_pool_drop(1);
	}
	return ok;
}

long long lx_pinned_pages(uint32_t *regions, uint32_t *pulls)
{
	struct omx_driver_info di;
	__u32 abi = OMX_ABI_VERSION;
	int fd = open(OMX_DEVICE_PATH, O_RDWR);

	if (fd < 0)
		return -1;
	memset(&di, 0, sizeof(di));
	if (ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &abi) < 0 ||
	    ioctl(fd, OMX_CMD_GET_DRIVER_INFO, &di) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	if (regions)
		*regions = di.regions;
	if (pulls)
		*pulls = di.pulls;
	return (long long)di.pinned_pages;
}

int lx_check_unpinned(const char *name, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t regions = 0, pulls = 0;
	long long pinned;

	for (;;) {
		pinned = lx_pinned_pages(&regions, &pulls);
		if (pinned == 0 && !regions && !pulls)
			break;
		if (mt_now_ms() >= end)
			break;
		usleep(100000);
	}
	return mt_check(pinned == 0 && !regions && !pulls, name,
			"GET_DRIVER_INFO: %lld pinned pages, %u regions, %u pulls",
			pinned, regions, pulls);
}
