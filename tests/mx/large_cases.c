// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Large messages in one process: a sweep of sizes from 32 KiB + 1 up,
 * page-aligned or not, contiguous or as odd-sized segment lists, on
 * every path (a->b: the wire or the shared path, b->a, a->c: two
 * endpoints of one board, a->a: self); then mx_issend, truncation,
 * unexpected messages and cancel of a posted large receive.
 */
#include <stdio.h>
#include <string.h>

#include "large.h"

/* Which paths run ("ab,ba,ac,aa"); set by mx_large from --paths. */
const char *lx_paths = "ab,ba,ac,aa";

unsigned int lx_get_paths(struct large *L, struct lx_path *p)
{
	const struct lx_path all[] = {
		{ "ab", "a->b", L->a, L->b, L->a2b },
		{ "ba", "b->a", L->b, L->a, L->b2a },
		{ "ac", "a->c", L->a, L->c, L->a2c },
		{ "aa", "self a->a", L->a, L->a, L->a2a },
	};
	unsigned int i, n = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strstr(lx_paths, all[i].id))
			p[n++] = all[i];
	return n;
}

const uint32_t lx_sizes[] = {
	32769, 36864, 65536, 100003, 262144, 1048575, 1052673, 4194304,
	4194307, 8388611,
};

const unsigned int lx_nsizes = sizeof(lx_sizes) / sizeof(lx_sizes[0]);

const struct lx_mode lx_modes[] = {
	{ "aligned", { 0 }, 1 },
	{ "unaligned 13/4001", { .soff = 13, .roff = 4001 }, 1 },
	{ "7 send / 5 recv segments, unaligned 1/4095",
	  { .sseg = 7, .rseg = 5, .soff = 1, .roff = 4095 }, 0 },
	{ "1 send / 13 recv segments", { .sseg = 1, .rseg = 13, .roff = 7 }, 0 },
};

const unsigned int lx_nmodes = sizeof(lx_modes) / sizeof(lx_modes[0]);

void lx_sweep(struct large *L, uint32_t max, uint32_t big)
{
	static const struct lx_opts many = { .sseg = 256, .rseg = 255, .soff = 5, .roff = 3 };
	static const struct lx_opts odd = { .sseg = 3, .rseg = 2, .soff = 4093, .roff = 17 };
	struct lx_path paths[4];
	unsigned int np = lx_get_paths(L, paths), p, m, s;
	uint32_t msgno = 1;
	char name[160];

	for (p = 0; p < np; p++) {
		int main_path = !strcmp(paths[p].id, "ab") ||
				!strcmp(paths[p].id, "ac");

		for (m = 0; m < lx_nmodes; m++) {
			if (!lx_modes[m].every_path && !main_path)
				continue;
			for (s = 0; s < lx_nsizes; s++) {
				if (lx_sizes[s] > max)
					continue;
				snprintf(name, sizeof(name), "%s %s %u bytes",
					 paths[p].name, lx_modes[m].what,
					 lx_sizes[s]);
				lx_xfer(L, paths[p].s, paths[p].dst, paths[p].r,
					lx_sizes[s], &lx_modes[m].o, msgno++, name);
			}
		}
		if (main_path && max >= 8388611) {
			snprintf(name, sizeof(name),
				 "%s 256 send / 255 recv segments 8388611 bytes",
				 paths[p].name);
			lx_xfer(L, paths[p].s, paths[p].dst, paths[p].r,
				8388611, &many, msgno++, name);
		}
		if (!big)
			continue;
		snprintf(name, sizeof(name), "%s aligned %u bytes",
			 paths[p].name, big);
		lx_xfer(L, paths[p].s, paths[p].dst, paths[p].r, big,
			&lx_modes[0].o, msgno++, name);
		if (main_path) {
			snprintf(name, sizeof(name),
				 "%s 3 send / 2 recv segments, unaligned %u bytes",
				 paths[p].name, big - 1);
			lx_xfer(L, paths[p].s, paths[p].dst, paths[p].r,
				big - 1, &odd, msgno++, name);
		}
	}
}

/* Several unexpected large messages, received in the reverse order. */
static void lx_unexpected_many(struct large *L, const struct lx_path *p,
			       uint32_t msgno)
{
	static const uint32_t lens[3] = { 40000, 2097152 + 5, 70001 };
	uint8_t *sbuf[3], *rbuf[3];
	mx_request_t sreq[3], rreq[3];
	mx_status_t st;
	char name[128], why[160] = "";
	uint64_t mi[3];
	int i, ok = 1;

	snprintf(name, sizeof(name),
		 "%s 3 unexpected large messages received in reverse order",
		 p->name);
	for (i = 0; i < 3; i++) {
		sbuf[i] = lx_pool(2 + i, lens[i]);
		rbuf[i] = lx_pool(5 + i, lens[i]);
		mi[i] = lx_mi(0x40, msgno + i, lens[i]);
		if (!sbuf[i] || !rbuf[i]) {
			mt_fail(name, "out of memory");
			return;
		}
		mt_fill(sbuf[i], lens[i], msgno + i);
		memset(rbuf[i], 0, lens[i]);
	}
	for (i = 0; i < 3; i++) {
		mx_segment_t seg = { sbuf[i], lens[i] };

		if (mx_isend(p->s, &seg, 1, p->dst, mi[i], NULL, &sreq[i]) !=
		    MX_SUCCESS) {
			mt_fail(name, "mx_isend %d failed", i);
			return;
		}
	}
	for (i = 0; i < 3; i++) {
		uint64_t end = mt_now_ms() + MT_WAIT_MS;
		uint32_t result = 0;

		while (!result && mt_now_ms() < end) {
			mx_iprobe(p->r, mi[i], LX_MASK_ALL, &st, &result);
			lx_progress(L);
		}
		if (!result) {
			mt_fail(name, "message %d never seen by mx_iprobe", i);
			return;
		}
	}
	for (i = 2; i >= 0; i--) {
		mx_segment_t seg = { rbuf[i], lens[i] };

		if (mx_irecv(p->r, &seg, 1, mi[i], LX_MASK_ALL, NULL,
			     &rreq[i]) != MX_SUCCESS) {
			mt_fail(name, "mx_irecv %d failed", i);
			return;
		}
	}
	for (i = 2; i >= 0; i--) {
		long bad;

		if (!lx_test_wait(L, p->r, &rreq[i], &st, lx_bound_ms(lens[i]))) {
			mt_fail(name, "receive %d not completed", i);
			return;
		}
		bad = mt_verify(rbuf[i], lens[i], msgno + i);
		if (ok && (st.code != MX_STATUS_SUCCESS ||
			   st.xfer_length != lens[i] || bad >= 0)) {
			ok = 0;
			snprintf(why, sizeof(why),
				 "message %d: %s, %u of %u bytes, first bad byte %ld",
				 i, mx_strstatus(st.code), st.xfer_length,
				 lens[i], bad);
		}
		if (!lx_test_wait(L, p->s, &sreq[i], &st, lx_bound_ms(lens[i]))) {
			mt_fail(name, "send %d not completed", i);
			return;
		}
		if (ok && st.code != MX_STATUS_SUCCESS) {
			ok = 0;
			snprintf(why, sizeof(why), "send %d: %s", i,
				 mx_strstatus(st.code));
		}
	}
	mt_check(ok, name, "%s", why);
}

/*
 * Cancel a posted large receive: the message that would have matched it
 * must then be unexpected, the cancelled buffer untouched, and a new
 * receive must get it.
 */
static void lx_cancel(struct large *L, const struct lx_path *p, uint32_t msgno)
{
	const uint32_t len = 1048576 + 3;
	uint8_t *cbuf = lx_pool(2, len), *sbuf = lx_pool(3, len), *rbuf = lx_pool(4, len);
	uint64_t mi = lx_mi(0x41, msgno, len), end;
	mx_segment_t cseg = { cbuf, len }, sseg = { sbuf, len }, rseg = { rbuf, len };
	mx_request_t creq, sreq, rreq, any;
	mx_status_t st;
	uint32_t result = 0;
	char name[128];
	mx_return_t ret;

	if (!cbuf || !sbuf || !rbuf) {
		mt_fail("cancel", "out of memory");
		return;
	}
	memset(cbuf, LX_GUARD_BYTE, len);
	mt_fill(sbuf, len, msgno);
	snprintf(name, sizeof(name), "%s cancel a posted %u-byte receive",
		 p->name, len);
	if (mx_irecv(p->r, &cseg, 1, mi, LX_MASK_ALL, NULL, &creq) != MX_SUCCESS) {
		mt_fail(name, "mx_irecv failed");
		return;
	}
	ret = mx_cancel(p->r, &creq, &result);
	if (!mt_check(ret == MX_SUCCESS && result == 1, name, "%s, result %u",
		      mx_strerror(ret), result))
		return;
	if (mx_isend(p->s, &sseg, 1, p->dst, mi, NULL, &sreq) != MX_SUCCESS) {
		mt_fail(name, "mx_isend failed");
		return;
	}
	result = 0;
	for (end = mt_now_ms() + MT_WAIT_MS; !result && mt_now_ms() < end;) {
		mx_iprobe(p->r, mi, LX_MASK_ALL, &st, &result);
		lx_progress(L);
	}
	mt_check(result, "  the message for it is unexpected",
		 "mx_iprobe did not see it within %u ms", MT_WAIT_MS);
	result = 0;
	ret = mx_ipeek(p->r, &any, &result);
	mt_check(ret == MX_SUCCESS && !result,
		 "  the cancelled receive never completes", "%s, result %u",
		 mx_strerror(ret), result);
	if (mx_irecv(p->r, &rseg, 1, mi, LX_MASK_ALL, NULL, &rreq) != MX_SUCCESS) {
		mt_fail("  a new receive gets it", "mx_irecv failed");
		return;
	}
	if (!lx_test_wait(L, p->r, &rreq, &st, lx_bound_ms(len))) {
		mt_fail("  a new receive gets it", "not completed");
		return;
	}
	mt_check(st.code == MX_STATUS_SUCCESS && st.xfer_length == len &&
		 mt_verify(rbuf, len, msgno) < 0,
		 "  a new receive gets it", "%s, %u bytes, first bad byte %ld",
		 mx_strstatus(st.code), st.xfer_length, mt_verify(rbuf, len, msgno));
	mt_check(!lx_test_wait(L, p->s, &sreq, &st, lx_bound_ms(len)) ? 0 :
		 st.code == MX_STATUS_SUCCESS, "  its send succeeds", "%s",
		 mx_strstatus(st.code));
	mt_check(lx_guard_bad(cbuf, len) < 0, "  the cancelled buffer is untouched",
		 "it was written");
}

void lx_cases(struct large *L)
{
	static const struct {
		const char *what;
		uint32_t len;
		struct lx_opts o;
	} cases[] = {
		{ "mx_issend", 100000, { .sync = 1 } },
		{ "mx_issend, segments", 3145728 + 1, { .sync = 1, .sseg = 5, .rseg = 4 } },
		{ "unexpected", 1048576 + 1, { .unexpected = 1 } },
		{ "unexpected, segments, unaligned", 300001,
		  { .unexpected = 1, .sseg = 9, .rseg = 2, .soff = 3, .roff = 5 } },
		{ "truncated to 50001", 100000, { .trunc = 1, .rlen = 50001 } },
		{ "truncated to 1000", 2097152, { .trunc = 1, .rlen = 1000, .roff = 11 } },
		{ "truncated to 32768", 32769, { .trunc = 1, .rlen = 32768 } },
		{ "truncated to 0", 40000, { .trunc = 1, .rlen = 0, .rseg = 1 } },
		{ "unexpected, truncated to 65537", 1048576,
		  { .unexpected = 1, .trunc = 1, .rlen = 65537, .rseg = 3 } },
	};
	struct lx_path paths[4];
	unsigned int np = lx_get_paths(L, paths), p, i;
	uint32_t msgno = 5000;
	char name[160];

	for (p = 0; p < np; p++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(name, sizeof(name), "%s %s (%u bytes)",
				 paths[p].name, cases[i].what, cases[i].len);
			lx_xfer(L, paths[p].s, paths[p].dst, paths[p].r,
				cases[i].len, &cases[i].o, msgno++, name);
		}
		lx_unexpected_many(L, &paths[p], msgno);
		msgno += 3;
		lx_cancel(L, &paths[p], msgno++);
	}
}
