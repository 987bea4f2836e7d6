// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The registration cache must never send stale pages: a buffer freed
 * and allocated again at the same address (new pages behind the same
 * virtual range) must deliver its new contents, and a receive buffer
 * reallocated the same way must get the data in its new pages.  Run it
 * with OMX_RCACHE=1 and =0; both must pass.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "large.h"

#define RC_LEN	(4U << 20)

/* Send @len bytes of @sbuf (pattern @msgno) into @rbuf and check them. */
static int rc_send(struct large *L, const struct lx_path *p, uint8_t *sbuf,
		   uint8_t *rbuf, uint32_t len, uint32_t msgno, const char *name)
{
	mx_segment_t sseg = { sbuf, len }, rseg = { rbuf, len };
	uint64_t mi = lx_mi(0x60, msgno, len);
	mx_request_t sreq, rreq;
	mx_status_t sst, rst;
	long bad;

	memset(rbuf, 0, len);
	if (mx_irecv(p->r, &rseg, 1, mi, LX_MASK_ALL, NULL, &rreq) != MX_SUCCESS ||
	    mx_isend(p->s, &sseg, 1, p->dst, mi, NULL, &sreq) != MX_SUCCESS) {
		mt_fail(name, "mx_irecv or mx_isend failed");
		return 0;
	}
	if (!lx_test_wait(L, p->r, &rreq, &rst, lx_bound_ms(len)) ||
	    !lx_test_wait(L, p->s, &sreq, &sst, lx_bound_ms(len))) {
		mt_fail(name, "not completed within %u ms", lx_bound_ms(len));
		return 0;
	}
	bad = mt_verify(rbuf, len, msgno);
	return mt_check(sst.code == MX_STATUS_SUCCESS &&
			rst.code == MX_STATUS_SUCCESS &&
			rst.xfer_length == len && bad < 0, name,
			"send %s, receive %s, %u bytes, first bad byte %ld (%#x, expected %#x; old contents %#x)",
			mx_strstatus(sst.code), mx_strstatus(rst.code),
			rst.xfer_length, bad, bad >= 0 ? rbuf[bad] : 0,
			bad >= 0 ? mt_pattern(msgno, (uint32_t)bad) : 0,
			bad >= 0 ? mt_pattern(msgno - 1, (uint32_t)bad) : 0);
}

/*
 * Free @old and allocate RC_LEN bytes again, at the same address: malloc
 * usually gives it back (mmap threshold pinned below RC_LEN); if not,
 * map fresh pages at that address.
 */
static uint8_t *rc_realloc(uint8_t *old, const char **how)
{
	volatile uintptr_t addr = (uintptr_t)old;	/* a number, not a freed pointer */
	uint8_t *p;

	free(old);
	p = malloc(RC_LEN);
	*how = "malloc";
	if ((uintptr_t)p == addr)
		return p;
	free(p);
	p = mmap((void *)addr, RC_LEN, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	*how = "mmap at the old address";
	return p == MAP_FAILED ? NULL : p;
}

static void rc_path(struct large *L, const struct lx_path *p, uint32_t msgno)
{
	uint8_t *sbuf = malloc(RC_LEN), *rbuf = malloc(RC_LEN), *again;
	const char *how_s, *how_r;
	uintptr_t s_addr = (uintptr_t)sbuf, r_addr = (uintptr_t)rbuf;
	char name[160];

	if (!sbuf || !rbuf) {
		mt_fail("rcache", "out of memory");
		return;
	}
	mt_fill(sbuf, RC_LEN, msgno);
	snprintf(name, sizeof(name), "%s rcache: first send of a %u-byte buffer",
		 p->name, RC_LEN);
	rc_send(L, p, sbuf, rbuf, RC_LEN, msgno, name);

	/* same buffer, new contents: the pinned pages are still the right ones */
	mt_fill(sbuf, RC_LEN, msgno + 1);
	snprintf(name, sizeof(name), "%s rcache: same buffer rewritten", p->name);
	rc_send(L, p, sbuf, rbuf, RC_LEN, msgno + 1, name);

	again = rc_realloc(sbuf, &how_s);
	snprintf(name, sizeof(name), "%s rcache: send buffer freed and reallocated",
		 p->name);
	if (!mt_check((uintptr_t)again == s_addr, name, "got %p, wanted %#lx",
		      (void *)again, (unsigned long)s_addr))
		return;		/* rc_realloc freed the old buffer */
	sbuf = again;
	mt_diag("send buffer %p again by %s", (void *)sbuf, how_s);
	mt_fill(sbuf, RC_LEN, msgno + 2);
	snprintf(name, sizeof(name), "%s rcache: the new send buffer's contents arrive",
		 p->name);
	rc_send(L, p, sbuf, rbuf, RC_LEN, msgno + 2, name);

	/* the receive side: its old pages must not get the data */
	again = rc_realloc(rbuf, &how_r);
	snprintf(name, sizeof(name), "%s rcache: receive buffer freed and reallocated",
		 p->name);
	if (!mt_check((uintptr_t)again == r_addr, name, "got %p, wanted %#lx",
		      (void *)again, (unsigned long)r_addr))
		return;
	rbuf = again;
	mt_diag("receive buffer %p again by %s", (void *)rbuf, how_r);
	mt_fill(sbuf, RC_LEN, msgno + 3);
	snprintf(name, sizeof(name), "%s rcache: the new receive buffer gets the data",
		 p->name);
	rc_send(L, p, sbuf, rbuf, RC_LEN, msgno + 3, name);
	/* a mapping from rc_realloc's fallback must not go back to malloc */
	if (strcmp(how_s, "malloc") || strcmp(how_r, "malloc")) {
		mt_diag("leaking the fixed mappings on purpose");
		return;
	}
	free(sbuf);
	free(rbuf);
}

/*
 * Pages of a buffer that was unmapped can never be used again: the
 * cache must let them go (the driver flags the region invalid), else a
 * program that allocates and frees large buffers pins ever more memory.
 */
static void rc_unpin(struct large *L, const struct lx_path *p, uint32_t msgno)
{
	const uint32_t len = 16U << 20;
	uint8_t *sbuf = lx_alloc(len), *rbuf = lx_alloc(len);
	long long before = lx_pinned_pages(NULL, NULL), with, after;
	char name[160];
	uint64_t end;

	if (!sbuf || !rbuf) {
		mt_fail("rcache unpin", "out of memory");
		return;
	}
	mt_fill(sbuf, len, msgno);
	snprintf(name, sizeof(name), "%s rcache: send %u bytes from a fresh buffer",
		 p->name, len);
	rc_send(L, p, sbuf, rbuf, len, msgno, name);
	with = lx_pinned_pages(NULL, NULL);
	lx_free(sbuf, len);
	lx_free(rbuf, len);
	/* one more large message and some progress give the library its chance */
	sbuf = lx_pool(2, 65536);
	rbuf = lx_pool(3, 65536);
	mt_fill(sbuf, 65536, msgno + 1);
	snprintf(name, sizeof(name), "%s rcache: then a message from other buffers",
		 p->name);
	rc_send(L, p, sbuf, rbuf, 65536, msgno + 1, name);
	for (end = mt_now_ms() + 500; mt_now_ms() < end;)
		lx_progress(L);
	after = lx_pinned_pages(NULL, NULL);
	snprintf(name, sizeof(name), "%s rcache: the freed buffers' pages are unpinned",
		 p->name);
	mt_check(before >= 0 && after >= 0 && after <= before + 64, name,
		 "pinned pages: %lld before, %lld with the two %u-byte buffers, %lld after unmapping them",
		 before, with, len, after);
}

void lx_rcache(struct large *L)
{
	struct lx_path paths[4];
	unsigned int np = lx_get_paths(L, paths), i;
	const char *env = getenv("OMX_RCACHE");

	/* a fixed threshold: glibc would otherwise raise it after a free */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mt_diag("OMX_RCACHE=%s", env ? env : "(unset)");
	for (i = 0; i < np; i++)
		if (!strcmp(paths[i].id, "ab") || !strcmp(paths[i].id, "ac"))
			rc_path(L, &paths[i], 7000 + 10 * i);
	for (i = 0; i < np; i++)
		if (!strcmp(paths[i].id, "ab") || !strcmp(paths[i].id, "ac"))
			rc_unpin(L, &paths[i], 7100 + 10 * i);
}
