// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_wakeup releases a thread blocked in mx_wait; progression control
 * (mx_disable_progression / mx_reenable_progression / mx_progress): with
 * progression disabled nothing runs the unexpected handler behind the
 * program's back, mx_progress does.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

struct waiter {
	mx_endpoint_t ep;
	mx_request_t req;
	mx_return_t ret;
	uint32_t result;
	uint64_t elapsed;
	volatile int finished;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	mx_status_t st;
	uint64_t t0 = mt_now_ms();

	w->ret = mx_wait(w->ep, &w->req, MT_WAIT_MS, &st, &w->result);
	w->elapsed = mt_now_ms() - t0;
	w->finished = 1;
	return NULL;
}

static void check_wakeup(struct conf *c)
{
	struct waiter w = { .ep = c->b, .result = 7 };
	struct timespec until;
	uint8_t buf[8];
	mx_segment_t seg = { buf, sizeof(buf) };
	pthread_t th;
	uint32_t result;
	mx_return_t ret;

	if (mx_irecv(c->b, &seg, 1, 0x3a4e, MX_MATCH_MASK_NONE, NULL,
		     &w.req) != MX_SUCCESS) {
		mt_fail("mx_wakeup releases a thread in mx_wait", "irecv failed");
		return;
	}
	pthread_create(&th, NULL, wait_thread, &w);
	usleep(500000);
	mt_check(!w.finished, "a thread blocks in mx_wait on a pending receive",
		 "it returned at once: %s, result %u", mx_strerror(w.ret),
		 w.result);
	ret = mx_wakeup(c->b);
	mt_check_ret("mx_wakeup", ret, MX_SUCCESS);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	if (pthread_timedjoin_np(th, NULL, &until)) {
		mt_fail("  releases it", "still blocked 10 s after mx_wakeup");
		/* it ends by itself at MT_WAIT_MS; the request is left */
		pthread_join(th, NULL);
	} else {
		mt_check(w.ret == MX_SUCCESS && w.result == 0 &&
			 w.elapsed < MT_WAIT_MS - 1000,
			 "  releases it with nothing completed",
			 "%s, result %u after %llu ms", mx_strerror(w.ret),
			 w.result, (unsigned long long)w.elapsed);
	}
	mx_cancel(c->b, &w.req, &result);
}

static int unexp_calls;

static mx_unexp_handler_action_t count_handler(void *ctx,
					       mx_endpoint_addr_t src,
					       uint64_t mi, uint32_t len,
					       void *data)
{
	(void)ctx;
	(void)src;
	(void)mi;
	(void)len;
	(void)data;
	/* may run in the library's progression thread */
	__atomic_add_fetch(&unexp_calls, 1, __ATOMIC_RELAXED);
	return MX_RECV_FINISHED;
}

static void check_progression(struct conf *c)
{
	uint8_t sb[16];
	mx_segment_t seg = { sb, sizeof(sb) };
	struct pend s = { .ep = c->a };
	mx_return_t ret;
	uint64_t end;

	ret = mx_register_unexp_handler(c->b, count_handler, NULL);
	mt_check_ret("register a counting handler", ret, MX_SUCCESS);
	ret = mx_disable_progression(c->b);
	mt_check_ret("mx_disable_progression", ret, MX_SUCCESS);
	unexp_calls = 0;
	mx_isend(c->a, &seg, 1, c->a2b, 0x9e0, NULL, &s.req);
	/* only a is progressed here: b's events wait */
	end = mt_now_ms() + 1000;
	while (mt_now_ms() < end)
		mx_progress(c->a);
	mt_check(unexp_calls == 0,
		 "progression disabled: no handler runs behind our back",
		 "handler ran %d times", unexp_calls);
	end = mt_now_ms() + MT_WAIT_MS;
	while (!unexp_calls && mt_now_ms() < end) {
		ret = mx_progress(c->b);
		mx_progress(c->a);
	}
	mt_check(ret == MX_SUCCESS && unexp_calls == 1,
		 "  mx_progress runs it", "%s, handler ran %d times",
		 mx_strerror(ret), unexp_calls);
	ret = mx_reenable_progression(c->b);
	mt_check_ret("mx_reenable_progression", ret, MX_SUCCESS);
	conf_complete(c, &s, 1, MT_WAIT_MS);

	/* Re-enabled, b progresses by itself: only a is driven here. */
	s = (struct pend){ .ep = c->a };
	mx_isend(c->a, &seg, 1, c->a2b, 0x9e1, NULL, &s.req);
	end = mt_now_ms() + 10000;
	while (__atomic_load_n(&unexp_calls, __ATOMIC_RELAXED) < 2 &&
	       mt_now_ms() < end)
		mx_progress(c->a);
	mt_check(__atomic_load_n(&unexp_calls, __ATOMIC_RELAXED) == 2,
		 "  re-enabled: the handler runs without calls on its endpoint",
		 "handler ran %d times in 10 s",
		 __atomic_load_n(&unexp_calls, __ATOMIC_RELAXED));
	conf_complete(c, &s, 1, MT_WAIT_MS);
	mx_register_unexp_handler(c->b, NULL, NULL);
}

/*
 * The handler contract (docs/mx-api.md, "Threads"): it runs with the
 * endpoint lock held, non-blocking calls on its endpoint work, a
 * blocking one gives up at once (nothing can progress the endpoint
 * until the handler returns).
 */
static struct {
	mx_request_t pending;		/* a receive nothing will match */
	mx_return_t wait_ret, test_ret;
	uint32_t wait_result, test_result;
	uint64_t elapsed;
	int calls;
} hb;

static mx_unexp_handler_action_t blocking_handler(void *ctx, mx_endpoint_addr_t src,
						  uint64_t mi, uint32_t len, void *data)
{
	mx_endpoint_t ep = ctx;
	mx_status_t st;
	uint64_t t0 = mt_now_ms();

	(void)src;
	(void)mi;
	(void)len;
	(void)data;
	hb.test_ret = mx_test(ep, &hb.pending, &st, &hb.test_result);
	hb.wait_ret = mx_wait(ep, &hb.pending, 3000, &st, &hb.wait_result);
	hb.elapsed = mt_now_ms() - t0;
	__atomic_add_fetch(&hb.calls, 1, __ATOMIC_RELEASE);
	return MX_RECV_FINISHED;
}

static void check_handler_calls(struct conf *c)
{
	uint8_t sb[16], rb[16];
	mx_segment_t sseg = { sb, sizeof(sb) }, rseg = { rb, sizeof(rb) };
	struct pend s = { .ep = c->a };
	uint32_t result;
	uint64_t end;

	memset(&hb, 0, sizeof(hb));
	hb.wait_result = hb.test_result = 7;
	mx_irecv(c->b, &rseg, 1, 0xdead0, MX_MATCH_MASK_NONE, NULL, &hb.pending);
	mx_register_unexp_handler(c->b, blocking_handler, c->b);
	mx_isend(c->a, &sseg, 1, c->a2b, 0x9e2, NULL, &s.req);
	end = mt_now_ms() + MT_WAIT_MS;
	while (!__atomic_load_n(&hb.calls, __ATOMIC_ACQUIRE) && mt_now_ms() < end)
		conf_progress(c);
	mt_check(hb.calls == 1 && hb.test_ret == MX_SUCCESS && hb.test_result == 0,
		 "unexpected handler: mx_test on its own endpoint works",
		 "handler ran %d times, mx_test %s result %u", hb.calls,
		 mx_strerror(hb.test_ret), hb.test_result);
	mt_check(hb.calls == 1 && hb.wait_ret == MX_SUCCESS && hb.wait_result == 0 &&
		 hb.elapsed < 1000,
		 "  a blocking mx_wait in it gives up at once",
		 "mx_wait %s, result %u after %llu ms (timeout 3000)",
		 mx_strerror(hb.wait_ret), hb.wait_result, (unsigned long long)hb.elapsed);
	conf_complete(c, &s, 1, MT_WAIT_MS);
	mx_register_unexp_handler(c->b, NULL, NULL);
	mx_cancel(c->b, &hb.pending, &result);
}

void conf_threads(struct conf *c)
{
	check_wakeup(c);
	check_progression(c);
	check_handler_calls(c);
}
