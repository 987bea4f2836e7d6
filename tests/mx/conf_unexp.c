// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The unexpected handler on b: called with the registered context, the
 * match info, the length and (for a small message) the data; returning
 * MX_RECV_FINISHED drops the message, MX_RECV_CONTINUE queues it, and a
 * receive posted from inside the handler gets it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

struct unexp_rec {
	int calls;
	void *context;
	uint64_t match;
	uint32_t length;
	int had_data;
	int data_ok;
	mx_unexp_handler_action_t action;
	/* post a receive from inside the handler */
	mx_endpoint_t post_ep;
	mx_request_t post_req;
	uint8_t post_buf[64];
	mx_return_t post_ret;
};

static struct unexp_rec rec;

static mx_unexp_handler_action_t handler(void *context,
					 mx_endpoint_addr_t source,
					 uint64_t match_value, uint32_t length,
					 void *data)
{
	(void)source;
	rec.calls++;
	rec.context = context;
	rec.match = match_value;
	rec.length = length;
	rec.had_data = data != NULL;
	rec.data_ok = data && mt_verify(data, length, (uint32_t)match_value) < 0;
	if (rec.post_ep) {
		mx_segment_t seg = { rec.post_buf, sizeof(rec.post_buf) };

		rec.post_ret = mx_irecv(rec.post_ep, &seg, 1, match_value,
					MX_MATCH_MASK_NONE, NULL,
					&rec.post_req);
		rec.post_ep = NULL;
	}
	return rec.action;
}

/* Send @len bytes, pattern @n, match @n, from a to b; wait for the handler. */
static int send_unexp(struct conf *c, uint32_t n, uint32_t len,
		      struct pend *sp, void **buf)
{
	mx_segment_t seg;
	uint64_t end;
	int calls = rec.calls;

	*buf = malloc(len ? len : 1);
	mt_fill(*buf, len, n);
	seg = (mx_segment_t){ *buf, len };
	memset(sp, 0, sizeof(*sp));
	sp->ep = c->a;
	if (mx_isend(c->a, &seg, 1, c->a2b, n, NULL, &sp->req) != MX_SUCCESS) {
		sp->done = 1;
		return 0;
	}
	end = mt_now_ms() + 3000;
	while (rec.calls == calls && mt_now_ms() < end)
		conf_progress(c);
	conf_complete(c, sp, 1, MT_WAIT_MS);
	return rec.calls > calls;
}

void conf_unexp_handler(struct conf *c)
{
	struct pend sp, rp;
	mx_status_t st;
	uint32_t result;
	mx_return_t ret;
	uint8_t buf[64];
	void *sbuf;
	int ctx, found;

	memset(&rec, 0, sizeof(rec));
	ret = mx_register_unexp_handler(c->b, handler, &ctx);
	if (!mt_check_ret("register an unexpected handler", ret, MX_SUCCESS))
		return;

	rec.action = MX_RECV_FINISHED;
	mt_check(send_unexp(c, 0x4801, 20, &sp, &sbuf) && rec.calls == 1,
		 "handler called for a message nobody waits for",
		 "%d calls", rec.calls);
	mt_check(rec.context == &ctx && rec.match == 0x4801 &&
		 rec.length == 20,
		 "  with the context, match info and length",
		 "context %p (want %p), match %#llx, length %u", rec.context,
		 (void *)&ctx, (unsigned long long)rec.match, rec.length);
	mt_check(rec.had_data && rec.data_ok,
		 "  and the data of a 20-byte message", "%s",
		 rec.had_data ? "data differ" : "no data pointer");
	result = 1;
	conf_idle(c, 100);
	mx_iprobe(c->b, 0x4801, MX_MATCH_MASK_NONE, &st, &result);
	mt_check(!result, "MX_RECV_FINISHED drops the message",
		 "still queued as unexpected");
	free(sbuf);

	rec.action = MX_RECV_CONTINUE;
	send_unexp(c, 0x4802, 3000, &sp, &sbuf);
	mt_check(conf_wait_unexpected(c, c->b, 0x4802, MX_MATCH_MASK_NONE, &st,
				      MT_WAIT_MS) && rec.length == 3000,
		 "MX_RECV_CONTINUE queues the message",
		 "iprobe did not find it (handler length %u)", rec.length);
	memset(&rp, 0, sizeof(rp));
	rp.ep = c->b;
	{
		uint8_t *big = malloc(3000);
		mx_segment_t seg = { big, 3000 };

		mx_irecv(c->b, &seg, 1, 0x4802, MX_MATCH_MASK_NONE, NULL,
			 &rp.req);
		conf_complete(c, &rp, 1, MT_WAIT_MS);
		mt_check(rp.done && rp.st.code == MX_STATUS_SUCCESS &&
			 mt_verify(big, 3000, 0x4802) < 0,
			 "  and a later receive gets it", "%s",
			 rp.done ? mx_strstatus(rp.st.code) : "not completed");
		free(big);
	}
	free(sbuf);

	rec.post_ep = c->b;
	send_unexp(c, 0x4803, 60, &sp, &sbuf);
	mt_check_ret("irecv posted inside the handler", rec.post_ret,
		     MX_SUCCESS);
	memset(&rp, 0, sizeof(rp));
	rp.ep = c->b;
	rp.req = rec.post_req;
	conf_complete(c, &rp, 1, MT_WAIT_MS);
	mt_check(rp.done && rp.st.code == MX_STATUS_SUCCESS &&
		 rp.st.xfer_length == 60 && mt_verify(rec.post_buf, 60, 0x4803) < 0,
		 "  gets the message that called the handler", "%s, %u bytes",
		 rp.done ? mx_strstatus(rp.st.code) : "not completed",
		 rp.st.xfer_length);
	free(sbuf);

	ret = mx_register_unexp_handler(c->b, NULL, NULL);
	mt_check_ret("remove the handler", ret, MX_SUCCESS);
	rec.calls = 0;
	send_unexp(c, 0x4804, 8, &sp, &sbuf);
	found = conf_wait_unexpected(c, c->b, 0x4804, MX_MATCH_MASK_NONE, &st,
				     MT_WAIT_MS);
	memset(&rp, 0, sizeof(rp));
	rp.ep = c->b;
	{
		mx_segment_t seg = { buf, sizeof(buf) };

		mx_irecv(c->b, &seg, 1, 0x4804, MX_MATCH_MASK_NONE, NULL,
			 &rp.req);
		conf_complete(c, &rp, 1, found ? MT_WAIT_MS : 3000);
	}
	/* say where the message went when iprobe did not see it */
	mt_check(rec.calls == 0 && found,
		 "  then messages queue without it",
		 "%d handler calls; iprobe %s; send %s (%s); a receive posted afterwards %s",
		 rec.calls, found ? "found it" : "did not find it",
		 sp.done ? "completed" : "pending",
		 sp.done ? mx_strstatus(sp.st.code) : "-",
		 rp.done ? "got it" : "did not get it either");
	free(sbuf);
}
