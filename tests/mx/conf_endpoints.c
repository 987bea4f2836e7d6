// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Endpoints and addresses: open/close with keys and parameters, connect,
 * iconnect, disconnect, address decomposition and address contexts.
 * Leaves c->a, c->b, c->c open and c->a2b, a2c, a2a, b2a connected.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "conf.h"

/* An endpoint id above any board's endpoint count. */
#define CONF_BAD_EID	5000
/* An endpoint index nobody opens in these tests. */
#define CONF_FREE_EID	29

static int connect_to(struct conf *c, mx_endpoint_t from, uint64_t nic,
		      uint32_t eid, mx_endpoint_addr_t *addr, const char *name);

static int open_ep(uint32_t board, mx_endpoint_t *ep, uint32_t *eid,
		   const char *name)
{
	mx_endpoint_addr_t addr;
	uint64_t nic;
	mx_return_t ret;

	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, ep);
	if (!mt_check_ret(name, ret, MX_SUCCESS))
		return 0;
	ret = mx_get_endpoint_addr(*ep, &addr);
	if (ret == MX_SUCCESS)
		ret = mx_decompose_endpoint_addr(addr, &nic, eid);
	return mt_check_ret("  its address decomposes", ret, MX_SUCCESS);
}

static void check_connect_errors(struct conf *c)
{
	mx_endpoint_addr_t addr;
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;
	uint64_t t0;

	t0 = mt_now_ms();
	ret = mx_connect(c->a, c->nic_b, CONF_FREE_EID, CONF_KEY, 5000, &addr);
	mt_check(ret == MX_CONNECTION_FAILED,
		 "connect to an endpoint that is not open: MX_CONNECTION_FAILED",
		 "returned %d (%s) after %llu ms", (int)ret, mx_strerror(ret),
		 (unsigned long long)(mt_now_ms() - t0));
	/* Open-MX says MX_HOST_NOT_FOUND here, our header MX_NIC_NOT_FOUND:
	 * either tells the user the peer is unknown, a timeout does not. */
	t0 = mt_now_ms();
	ret = mx_connect(c->a, 0x00deadbeef42ULL, 0, CONF_KEY, 3000, &addr);
	mt_check(ret == MX_NIC_NOT_FOUND || ret == MX_HOST_NOT_FOUND,
		 "connect to an unknown nic id: MX_NIC_NOT_FOUND",
		 "returned %d (%s) after %llu ms, expected %d (%s)", (int)ret,
		 mx_strerror(ret), (unsigned long long)(mt_now_ms() - t0),
		 (int)MX_NIC_NOT_FOUND, mx_strerror(MX_NIC_NOT_FOUND));

	ret = mx_iconnect(c->a, c->nic_b, c->eid_b, CONF_BAD_KEY, 0x77, NULL,
			  &req);
	if (mt_check_ret("iconnect with a wrong key is posted", ret,
			 MX_SUCCESS)) {
		if (mt_check(mt_wait(c->a, &req, MT_WAIT_MS, &st),
			     "  and completes", "not within %u ms",
			     MT_WAIT_MS))
			mt_check_status("  with MX_STATUS_BAD_KEY", &st,
					MX_STATUS_BAD_KEY);
	}
}

static void check_iconnect(struct conf *c)
{
	uint64_t nic = 0;
	uint32_t eid = ~0U;
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;
	int ctx;

	ret = mx_iconnect(c->a, c->nic_b, c->eid_b, CONF_KEY,
			  CONF_MI(0xc0), &ctx, &req);
	if (!mt_check_ret("iconnect is posted", ret, MX_SUCCESS))
		return;
	/* b must answer the connect request: progress it too */
	{
		struct pend p = { .ep = c->a, .req = req };

		if (!mt_check(conf_complete(c, &p, 1, MT_WAIT_MS) == 1,
			      "iconnect completes", "not within %u ms",
			      MT_WAIT_MS))
			return;
		st = p.st;
	}
	mt_check_status("iconnect status", &st, MX_STATUS_SUCCESS);
	mt_check(st.match_info == CONF_MI(0xc0) && st.context == &ctx,
		 "iconnect gives back match info and context",
		 "match_info %#llx context %p", (unsigned long long)st.match_info,
		 st.context);
	ret = mx_decompose_endpoint_addr(st.source, &nic, &eid);
	mt_check(ret == MX_SUCCESS && nic == c->nic_b && eid == c->eid_b,
		 "iconnect's source is the peer's address",
		 "%s: nic %#llx eid %u, expected %#llx %u", mx_strerror(ret),
		 (unsigned long long)nic, eid, (unsigned long long)c->nic_b,
		 c->eid_b);
}

static void check_addr_context(struct conf *c)
{
	void *got = NULL;
	int mark;
	mx_return_t ret;

	ret = mx_set_endpoint_addr_context(c->a2b, &mark);
	mt_check_ret("mx_set_endpoint_addr_context", ret, MX_SUCCESS);
	ret = mx_get_endpoint_addr_context(c->a2b, &got);
	mt_check(ret == MX_SUCCESS && got == &mark,
		 "mx_get_endpoint_addr_context gives it back",
		 "%s, got %p expected %p", mx_strerror(ret), got,
		 (void *)&mark);
	ret = mx_get_endpoint_addr_context(c->a2c, &got);
	mt_check(ret == MX_SUCCESS && got != &mark,
		 "another address has its own context", "%s, got %p",
		 mx_strerror(ret), got);
}

static void check_disconnect(struct conf *c)
{
	mx_endpoint_addr_t addr_tmp;
	mx_return_t ret;

	uint64_t t0;

	ret = mx_disconnect(c->a, c->a2b);
	mt_check_ret("mx_disconnect", ret, MX_SUCCESS);
	if (!connect_to(c, c->a, c->nic_b, c->eid_b, &c->a2b,
			"connect again after a disconnect"))
		return;
	conf_xfer(c, c->a, c->a2b, c->b, 100, 0, 0, 0xd15c,
		  "a message after reconnecting arrives");

	/* MX progresses without the program's help (the NIC answered
	 * connects): a blocking connect to a sibling endpoint must work. */
	t0 = mt_now_ms();
	ret = mx_connect(c->b, c->nic_a, c->eid_c, CONF_KEY, 10000, &addr_tmp);
	mt_check(ret == MX_SUCCESS,
		 "blocking mx_connect to another endpoint of this process",
		 "returned %d (%s) after %llu ms: nothing answered the connect while this thread was blocked",
		 (int)ret, mx_strerror(ret),
		 (unsigned long long)(mt_now_ms() - t0));
}

/*
 * Connect through mx_iconnect and complete it while progressing every
 * endpoint: in one thread, the peer answers only when we progress it.
 */
int conf_connect(struct conf *c, mx_endpoint_t from, uint64_t nic,
		 uint32_t eid, uint32_t key, mx_endpoint_addr_t *addr,
		 mx_status_t *st)
{
	struct pend p = { .ep = from };
	mx_return_t ret;

	ret = mx_iconnect(from, nic, eid, key, 0, NULL, &p.req);
	if (ret != MX_SUCCESS) {
		mt_diag("mx_iconnect: %s", mx_strerror(ret));
		return 0;
	}
	if (conf_complete(c, &p, 1, MT_WAIT_MS) != 1) {
		mt_diag("mx_iconnect not completed within %u ms", MT_WAIT_MS);
		return 0;
	}
	*st = p.st;
	*addr = p.st.source;
	return 1;
}

static int connect_to(struct conf *c, mx_endpoint_t from, uint64_t nic,
		      uint32_t eid, mx_endpoint_addr_t *addr, const char *name)
{
	uint64_t got_nic = 0;
	uint32_t got_eid = ~0U;
	mx_status_t st;
	mx_return_t ret;

	if (!mt_check(conf_connect(c, from, nic, eid, CONF_KEY, addr, &st),
		      name, "see above"))
		return 0;
	if (!mt_check_status("  connect status", &st, MX_STATUS_SUCCESS))
		return 0;
	ret = mx_decompose_endpoint_addr(*addr, &got_nic, &got_eid);
	return mt_check(ret == MX_SUCCESS && got_nic == nic && got_eid == eid,
			"  its address decomposes to the peer",
			"%s: nic %#llx eid %u, expected %#llx %u",
			mx_strerror(ret), (unsigned long long)got_nic, got_eid,
			(unsigned long long)nic, eid);
}

/*
 * With every file descriptor of the process in use, opening /dev/omx
 * fails with EMFILE: the library must say MX_NO_RESOURCES (with why),
 * not MX_BAD_KERNEL_VERSION as it did for every failed open(2) (found
 * under failslab, where the same path failed with ENOMEM).
 */
static void check_open_no_fd(struct conf *c)
{
	struct rlimit old, low;
	mx_endpoint_t ep;
	mx_return_t ret;
	int fds[64], n = 0, fd;

	if (getrlimit(RLIMIT_NOFILE, &old)) {
		mt_check(0, "getrlimit(RLIMIT_NOFILE)", "%s", strerror(errno));
		return;
	}
	/* the soft limit just above the highest descriptor, then fill the holes */
	fd = dup(0);
	if (fd < 0) {
		mt_check(0, "dup(0)", "%s", strerror(errno));
		return;
	}
	low = old;
	low.rlim_cur = (rlim_t)fd + 1;
	close(fd);
	if (setrlimit(RLIMIT_NOFILE, &low)) {
		mt_check(0, "setrlimit(RLIMIT_NOFILE)", "%s", strerror(errno));
		return;
	}
	while (n < (int)(sizeof(fds) / sizeof(fds[0])) && (fd = dup(0)) >= 0)
		fds[n++] = fd;
	ret = mx_open_endpoint(c->board_a, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &ep);
	while (n > 0)
		close(fds[--n]);
	setrlimit(RLIMIT_NOFILE, &old);
	if (ret == MX_SUCCESS)
		mx_close_endpoint(ep);
	mt_check_ret("opening with no file descriptor left (EMFILE): MX_NO_RESOURCES",
		     ret, MX_NO_RESOURCES);
}

void conf_endpoints(struct conf *c)
{
	mx_endpoint_addr_t addr;
	mx_endpoint_t ep;
	mx_param_t param;
	uint32_t sess = 0, eid = 0;
	uint64_t nic = 0;
	mx_return_t ret;

	if (!mt_nic_id(c->board_a, &c->nic_a) ||
	    !mt_nic_id(c->board_b, &c->nic_b))
		return;
	if (!open_ep(c->board_a, &c->a, &c->eid_a, "open endpoint a") ||
	    !open_ep(c->board_b, &c->b, &c->eid_b, "open endpoint b") ||
	    !open_ep(c->board_a, &c->c, &c->eid_c,
		     "open a second endpoint c on a's board"))
		return;
	mt_check(c->eid_a != c->eid_c, "a and c got different endpoint ids",
		 "both %u", c->eid_a);

	ret = mx_get_endpoint_addr(c->a, &addr);
	if (ret == MX_SUCCESS)
		ret = mx_decompose_endpoint_addr2(addr, &nic, &eid, &sess);
	mt_check(ret == MX_SUCCESS && nic == c->nic_a && eid == c->eid_a,
		 "own address: board's nic id and endpoint id (decompose2)",
		 "%s: nic %#llx eid %u session %#x", mx_strerror(ret),
		 (unsigned long long)nic, eid, sess);

	ret = mx_open_endpoint(c->board_a, c->eid_a, CONF_KEY, NULL, 0, &ep);
	mt_check_ret("opening an endpoint id in use: MX_BUSY", ret, MX_BUSY);
	ret = mx_open_endpoint(200, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &ep);
	mt_check_ret("opening on a board that does not exist: MX_BOARD_UNKNOWN",
		     ret, MX_BOARD_UNKNOWN);
	ret = mx_open_endpoint(c->board_a, CONF_BAD_EID, CONF_KEY, NULL, 0,
			       &ep);
	mt_check_ret("opening an out-of-range endpoint id: MX_BAD_ENDPOINT_ID",
		     ret, MX_BAD_ENDPOINT_ID);
	ret = mx_open_endpoint(c->board_a, MX_ANY_ENDPOINT, CONF_KEY, NULL, 2,
			       &ep);
	mt_check_ret("a NULL parameter list with a count: MX_BAD_PARAM_LIST",
		     ret, MX_BAD_PARAM_LIST);
	check_open_no_fd(c);
	param.key = MX_PARAM_ERROR_HANDLER;
	param.val.error_handler = MX_ERRORS_RETURN;
	ret = mx_open_endpoint(MX_ANY_NIC, MX_ANY_ENDPOINT, CONF_KEY, &param, 1,
			       &ep);
	if (mt_check_ret("open on MX_ANY_NIC with an error-handler parameter",
			 ret, MX_SUCCESS))
		mt_check_ret("  and close it", mx_close_endpoint(ep),
			     MX_SUCCESS);
	param.key = MX_PARAM_UNEXP_QUEUE_MAX;
	param.val.unexp_queue_max = 1024;
	ret = mx_open_endpoint(c->board_b, MX_ANY_ENDPOINT, CONF_KEY, &param, 1,
			       &ep);
	if (mt_check_ret("open with MX_PARAM_UNEXP_QUEUE_MAX", ret, MX_SUCCESS))
		mx_close_endpoint(ep);

	if (!connect_to(c, c->a, c->nic_b, c->eid_b, &c->a2b,
			"iconnect a to b (across boards)") ||
	    !connect_to(c, c->b, c->nic_a, c->eid_a, &c->b2a,
			"iconnect b to a") ||
	    !connect_to(c, c->a, c->nic_a, c->eid_c, &c->a2c,
			"iconnect a to c (same board)") ||
	    !connect_to(c, c->a, c->nic_a, c->eid_a, &c->a2a,
			"iconnect a to itself"))
		return;
	c->connected = 1;
	ret = mx_connect(c->a, c->nic_a, c->eid_a, CONF_KEY, 10000, &addr);
	mt_check_ret("blocking mx_connect to itself", ret, MX_SUCCESS);
	check_connect_errors(c);
	check_iconnect(c);
	check_addr_context(c);
	check_disconnect(c);
}
