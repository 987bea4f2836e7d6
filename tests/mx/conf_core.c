// SPDX-License-Identifier: GPL-2.0-or-later
/* Progress, completion and the verified transfer the conformance groups use. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

void conf_progress(struct conf *c)
{
	mx_progress(c->a);
	mx_progress(c->b);
	if (c->c)
		mx_progress(c->c);
}

int conf_complete(struct conf *c, struct pend *p, int n, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	int i, left;

	do {
		uint32_t result;

		left = 0;
		for (i = 0; i < n; i++) {
			if (p[i].done)
				continue;
			result = 0;
			if (mx_test(p[i].ep, &p[i].req, &p[i].st, &result) ==
			    MX_SUCCESS && result)
				p[i].done = 1;
			else
				left++;
		}
		if (!left)
			break;
		conf_progress(c);
		sched_yield();
	} while (mt_now_ms() < end);
	return n - left;
}

void conf_idle(struct conf *c, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;

	while (mt_now_ms() < end) {
		conf_progress(c);
		sched_yield();
	}
}

int conf_xfer(struct conf *c, mx_endpoint_t s, mx_endpoint_addr_t dst,
	      mx_endpoint_t r, uint32_t len, uint32_t sseg, uint32_t rseg,
	      uint32_t msgno, const char *name)
{
	mx_segment_t ss[MX_MAX_SEGMENTS], rs[MX_MAX_SEGMENTS];
	uint8_t *sbuf = malloc(len + 1), *rbuf = malloc(len + 65);
	struct pend p[2];
	mx_return_t ret;
	long bad;
	int ok = 0;

	memset(p, 0, sizeof(p));
	if (!sbuf || !rbuf) {
		mt_fail(name, "out of memory");
		goto out;
	}
	mt_fill(sbuf, len, msgno);
	memset(rbuf, 0xee, len + 65);
	if (sseg)
		mt_split(sbuf, len, ss, sseg);
	else
		ss[0] = (mx_segment_t){ sbuf, len }, sseg = 1;
	if (rseg)
		mt_split(rbuf, len, rs, rseg);
	else
		rs[0] = (mx_segment_t){ rbuf, len }, rseg = 1;

	p[0].ep = r;
	ret = mx_irecv(r, rs, rseg, CONF_MI(msgno), MX_MATCH_MASK_NONE,
		       rbuf, &p[0].req);
	if (ret != MX_SUCCESS) {
		mt_fail(name, "mx_irecv: %s", mx_strerror(ret));
		goto out;
	}
	p[1].ep = s;
	ret = mx_isend(s, ss, sseg, dst, CONF_MI(msgno), sbuf, &p[1].req);
	if (ret != MX_SUCCESS) {
		mt_fail(name, "mx_isend: %s", mx_strerror(ret));
		p[1].done = 1;
		/* leave the receive to be cancelled */
		mx_cancel(r, &p[0].req, &(uint32_t){ 0 });
		goto out;
	}
	if (conf_complete(c, p, 2, MT_WAIT_MS) != 2) {
		mt_fail(name, "not completed within %u ms (recv %s, send %s)",
			MT_WAIT_MS, p[0].done ? "done" : "pending",
			p[1].done ? "done" : "pending");
		/* the buffers stay allocated: the library may still use them */
		return 0;
	}
	if (p[1].st.code != MX_STATUS_SUCCESS)
		mt_fail(name, "send status %s", mx_strstatus(p[1].st.code));
	else if (p[0].st.code != MX_STATUS_SUCCESS)
		mt_fail(name, "recv status %s", mx_strstatus(p[0].st.code));
	else if (p[0].st.msg_length != len || p[0].st.xfer_length != len)
		mt_fail(name, "msg_length %u xfer_length %u, expected %u",
			p[0].st.msg_length, p[0].st.xfer_length, len);
	else if (p[0].st.match_info != CONF_MI(msgno))
		mt_fail(name, "match_info %#llx, expected %#llx",
			(unsigned long long)p[0].st.match_info,
			(unsigned long long)CONF_MI(msgno));
	else if (p[0].st.context != rbuf || p[1].st.context != sbuf)
		mt_fail(name, "context not given back (recv %p want %p, send %p want %p)",
			p[0].st.context, (void *)rbuf, p[1].st.context,
			(void *)sbuf);
	else if ((bad = mt_verify(rbuf, len, msgno)) >= 0)
		mt_fail(name, "byte %ld is %#x, expected %#x", bad, rbuf[bad],
			mt_pattern(msgno, (uint32_t)bad));
	else if (rbuf[len] != 0xee)
		mt_fail(name, "wrote past the receive buffer");
	else
		mt_ok(name), ok = 1;
out:
	free(sbuf);
	free(rbuf);
	return ok;
}

int conf_wait_unexpected(struct conf *c, mx_endpoint_t ep, uint64_t mi,
			 uint64_t mask, mx_status_t *st, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t result;

	do {
		result = 0;
		if (mx_iprobe(ep, mi, mask, st, &result) == MX_SUCCESS &&
		    result)
			return 1;
		conf_progress(c);
		sched_yield();
	} while (mt_now_ms() < end);
	return 0;
}
