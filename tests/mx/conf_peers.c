// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What needs two processes: a server and a client (1000+ outstanding
 * requests, echo of every size, a blocking connect with a wrong key), and
 * request timeouts against a peer that stopped, was killed, or was killed
 * behind a cut link (the sink subcommand is that peer).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "conf_peers.h"

#define TAG_HELLO	0x4e11000000000000ULL
#define TAG_GO		0x4e12000000000000ULL
#define TAG_DATA	0x4e13000000000000ULL
#define TAG_ECHO	0x4e14000000000000ULL
#define TAG_BACK	0x4e15000000000000ULL
#define TAG_BYE		0x4e16000000000000ULL
#define TAG_MASK	0xffff000000000000ULL

static const uint32_t echo_sizes[] = {
	0, 1, 32, 33, 128, 129, 8191, 8193, 16385, 24577, 32768,
};
#define NECHO	(sizeof(echo_sizes) / sizeof(echo_sizes[0]))

struct hello {
	uint64_t nic;
	uint32_t eid;
	uint32_t count;
};

static uint32_t data_len(uint32_t i)
{
	/* mostly tiny and small, every tenth one a medium up to 32 KiB */
	return i % 10 == 0 ? (i * 977) % 32769 : (i * 37) % 300;
}

static int open_and_announce(uint32_t board, mx_endpoint_t *ep,
			     uint64_t *nic, uint32_t *eid)
{
	mx_endpoint_addr_t addr;
	mx_return_t ret;

	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, ep);
	if (!mt_check_ret("open endpoint", ret, MX_SUCCESS))
		return 0;
	mx_get_endpoint_addr(*ep, &addr);
	mx_decompose_endpoint_addr(addr, nic, eid);
	printf("ready %#llx %u\n", (unsigned long long)*nic, *eid);
	fflush(stdout);
	return 1;
}

/* Wait for one request, bounded; not-ok line NAME when it does not end. */
static int wait_req(mx_endpoint_t ep, mx_request_t *req, mx_status_t *st,
		    uint32_t ms, const char *name)
{
	if (mt_wait(ep, req, ms, st))
		return 1;
	mt_fail(name, "not completed within %u ms", ms);
	return 0;
}

/* Complete @n requests with mx_wait_any on @tag; contexts are 1 + index. */
static uint32_t wait_all(mx_endpoint_t ep, uint64_t tag, uint32_t n,
			 mx_status_t *sts, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t got = 0, result;
	mx_status_t st;

	while (got < n && mt_now_ms() < end) {
		result = 0;
		if (mx_wait_any(ep, 1000, tag, TAG_MASK, &st, &result) !=
		    MX_SUCCESS)
			break;
		if (!result)
			continue;
		sts[(uintptr_t)st.context - 1] = st;
		got++;
	}
	return got;
}

static void echo_phase_server(mx_endpoint_t ep, mx_endpoint_addr_t peer)
{
	uint8_t *buf = malloc(32768);
	mx_segment_t seg = { buf, 32768 };
	mx_request_t req;
	mx_status_t st;
	unsigned int k;

	for (k = 0; k < NECHO; k++) {
		mx_irecv(ep, &seg, 1, TAG_ECHO | k, MX_MATCH_MASK_NONE, NULL,
			 &req);
		if (!wait_req(ep, &req, &st, 60000, "server: echo receive"))
			break;
		seg.segment_length = st.xfer_length;
		mx_isend(ep, &seg, 1, peer, TAG_BACK | k, NULL, &req);
		if (!wait_req(ep, &req, &st, 60000, "server: echo send"))
			break;
		seg.segment_length = 32768;
	}
	free(buf);
}

int conf_server(uint32_t board)
{
	mx_endpoint_t ep;
	mx_endpoint_addr_t peer;
	mx_segment_t seg;
	mx_request_t req, *reqs;
	mx_status_t st, *sts;
	struct hello h;
	uint8_t **bufs;
	uint64_t nic, src_nic = 0;
	uint32_t eid, src_eid = 0, i, got, bad = 0, first = 0;
	mx_return_t ret;

	if (!open_and_announce(board, &ep, &nic, &eid))
		return 1;
	seg = (mx_segment_t){ &h, sizeof(h) };
	mx_irecv(ep, &seg, 1, TAG_HELLO, TAG_MASK, NULL, &req);
	if (!wait_req(ep, &req, &st, 120000, "server: hello from the client"))
		return 1;
	mx_decompose_endpoint_addr(st.source, &src_nic, &src_eid);
	mt_check(src_nic == h.nic && src_eid == h.eid,
		 "server: a receive's source names the sending endpoint",
		 "source %#llx:%u, the client says %#llx:%u",
		 (unsigned long long)src_nic, src_eid,
		 (unsigned long long)h.nic, h.eid);
	ret = mx_connect(ep, h.nic, h.eid, CONF_KEY, 30000, &peer);
	if (!mt_check_ret("server: blocking connect back to the client", ret,
			  MX_SUCCESS))
		return 1;

	/* All the receives first, then tell the client to send. */
	reqs = calloc(h.count, sizeof(*reqs));
	sts = calloc(h.count, sizeof(*sts));
	bufs = calloc(h.count, sizeof(*bufs));
	for (i = 0; i < h.count; i++) {
		bufs[i] = malloc(data_len(i) + 1);
		seg = (mx_segment_t){ bufs[i], data_len(i) };
		ret = mx_irecv(ep, &seg, 1, TAG_DATA | i, MX_MATCH_MASK_NONE,
			       (void *)(uintptr_t)(i + 1), &reqs[i]);
		if (ret != MX_SUCCESS) {
			mt_fail("server: post the receives", "irecv %u: %s", i,
				mx_strerror(ret));
			return 1;
		}
	}
	mt_ok("server: receives posted");
	seg = (mx_segment_t){ NULL, 0 };
	mx_isend(ep, &seg, 1, peer, TAG_GO, NULL, &req);
	wait_req(ep, &req, &st, 60000, "server: go message");
	got = wait_all(ep, TAG_DATA, h.count, sts, 180000);
	if (mt_check(got == h.count, "server: every outstanding receive completes",
		     "%u of %u", got, h.count)) {
		for (i = 0; i < h.count; i++)
			if (sts[i].code != MX_STATUS_SUCCESS ||
			    sts[i].xfer_length != data_len(i) ||
			    mt_verify(bufs[i], data_len(i), i) >= 0)
				if (!bad++)
					first = i;
		mt_check(!bad, "server: every message intact",
			 "%u bad, first %u: %s, %u bytes (want %u)", bad, first,
			 mx_strstatus(sts[first].code),
			 sts[first].xfer_length, data_len(first));
	}
	echo_phase_server(ep, peer);
	seg = (mx_segment_t){ NULL, 0 };
	mx_irecv(ep, &seg, 1, TAG_BYE, TAG_MASK, NULL, &req);
	mt_check(wait_req(ep, &req, &st, 60000, "server: goodbye"),
		 "server: goodbye received", "see above");
	/* let the client's synchronous goodbye see its acknowledgement */
	{
		uint64_t end = mt_now_ms() + 2000;

		while (mt_now_ms() < end)
			mx_progress(ep);
	}
	mt_check_ret("server: close the endpoint", mx_close_endpoint(ep),
		     MX_SUCCESS);
	return mt_exit_status();
}

static void echo_phase_client(mx_endpoint_t ep, mx_endpoint_addr_t peer)
{
	uint8_t *sb = malloc(32768), *rb = malloc(32768);
	mx_segment_t sseg, rseg;
	mx_request_t sreq, rreq;
	mx_status_t st;
	unsigned int k, bad = 0;
	char name[64];

	for (k = 0; k < NECHO; k++) {
		uint32_t len = echo_sizes[k];

		mt_fill(sb, len, 0xec00 + k);
		memset(rb, 0, 32768);
		rseg = (mx_segment_t){ rb, 32768 };
		sseg = (mx_segment_t){ sb, len };
		mx_irecv(ep, &rseg, 1, TAG_BACK | k, MX_MATCH_MASK_NONE, NULL,
			 &rreq);
		mx_isend(ep, &sseg, 1, peer, TAG_ECHO | k, NULL, &sreq);
		snprintf(name, sizeof(name), "client: echo of %u bytes", len);
		if (!wait_req(ep, &sreq, &st, 60000, name) ||
		    !wait_req(ep, &rreq, &st, 60000, name)) {
			bad++;
			break;
		}
		if (!mt_check(st.code == MX_STATUS_SUCCESS &&
			      st.xfer_length == len &&
			      mt_verify(rb, len, 0xec00 + k) < 0, name,
			      "%s, %u bytes", mx_strstatus(st.code),
			      st.xfer_length))
			bad++;
	}
	free(sb);
	free(rb);
}

int conf_client(uint32_t board, const char *peer_host, uint64_t peer_nic,
		uint32_t peer_eid, uint32_t count)
{
	mx_endpoint_t ep;
	mx_endpoint_addr_t peer, self;
	mx_segment_t seg;
	mx_request_t req, *reqs;
	mx_status_t st, *sts;
	struct hello h;
	uint8_t **bufs;
	uint32_t i, got, bad = 0;
	mx_return_t ret;

	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &ep);
	if (!mt_check_ret("client: open endpoint", ret, MX_SUCCESS))
		return 1;
	if (peer_host) {
		ret = mx_hostname_to_nic_id((char *)peer_host, &peer_nic);
		if (!mt_check_ret("client: server's hostname to nic id", ret,
				  MX_SUCCESS))
			return 1;
	}
	ret = mx_connect(ep, peer_nic, peer_eid, CONF_BAD_KEY, 10000, &peer);
	mt_check_ret("client: blocking connect with a wrong key: MX_BAD_CONNECTION_KEY",
		     ret, MX_BAD_CONNECTION_KEY);
	ret = mx_connect(ep, peer_nic, peer_eid, CONF_KEY, 30000, &peer);
	if (!mt_check_ret("client: blocking connect to the server", ret,
			  MX_SUCCESS))
		return 1;
	mx_get_endpoint_addr(ep, &self);
	mx_decompose_endpoint_addr(self, &h.nic, &h.eid);
	h.count = count;
	seg = (mx_segment_t){ &h, sizeof(h) };
	mx_isend(ep, &seg, 1, peer, TAG_HELLO, NULL, &req);
	if (!wait_req(ep, &req, &st, 60000, "client: hello"))
		return 1;
	seg = (mx_segment_t){ NULL, 0 };
	mx_irecv(ep, &seg, 1, TAG_GO, TAG_MASK, NULL, &req);
	if (!wait_req(ep, &req, &st, 120000, "client: go from the server"))
		return 1;

	reqs = calloc(count, sizeof(*reqs));
	sts = calloc(count, sizeof(*sts));
	bufs = calloc(count, sizeof(*bufs));
	for (i = 0; i < count; i++) {
		bufs[i] = malloc(data_len(i) + 1);
		mt_fill(bufs[i], data_len(i), i);
		seg = (mx_segment_t){ bufs[i], data_len(i) };
		ret = mx_isend(ep, &seg, 1, peer, TAG_DATA | i,
			       (void *)(uintptr_t)(i + 1), &reqs[i]);
		if (ret != MX_SUCCESS) {
			mt_fail("client: post the sends", "isend %u: %s", i,
				mx_strerror(ret));
			return 1;
		}
	}
	mt_ok("client: sends posted");
	got = wait_all(ep, TAG_DATA, count, sts, 180000);
	if (mt_check(got == count, "client: every outstanding send completes",
		     "%u of %u", got, count)) {
		for (i = 0; i < count; i++)
			if (sts[i].code != MX_STATUS_SUCCESS)
				bad++;
		mt_check(!bad, "client: every send succeeded", "%u failed",
			 bad);
	}
	echo_phase_client(ep, peer);
	seg = (mx_segment_t){ NULL, 0 };
	mx_issend(ep, &seg, 1, peer, TAG_BYE, NULL, &req);
	mt_check(wait_req(ep, &req, &st, 60000, "client: goodbye") &&
		 st.code == MX_STATUS_SUCCESS, "client: synchronous goodbye",
		 "%s", mx_strstatus(st.code));
	mt_check_ret("client: close the endpoint", mx_close_endpoint(ep),
		     MX_SUCCESS);
	return mt_exit_status();
}

int conf_sink(uint32_t board)
{
	mx_endpoint_t ep;
	uint64_t nic, end;
	uint32_t eid;

	if (!open_and_announce(board, &ep, &nic, &eid))
		return 1;
	/* answer connects and take messages until killed (or 5 minutes) */
	end = mt_now_ms() + 300000;
	while (mt_now_ms() < end) {
		mx_progress(ep);
		usleep(1000);
	}
	return 0;
}

/* Start a sink on @board and connect @ep to it; returns its pid or -1. */
pid_t conf_start_sink(mx_endpoint_t ep, uint32_t board,
		     mx_endpoint_addr_t *addr)
{
	char bstr[16], line[128];
	char *argv[] = { "mx_conformance", "sink", "--board", bstr, NULL };
	unsigned long long nic;
	unsigned int eid;
	mx_return_t ret;
	pid_t pid;
	int fd, n;

	snprintf(bstr, sizeof(bstr), "%u", board);
	pid = mt_spawn_self(argv, &fd);
	if (pid < 0)
		return -1;
	/* its check lines come first; the address is on the "ready" line */
	do
		n = mt_read_line(fd, line, sizeof(line), 30000);
	while (n >= 0 && strncmp(line, "ready ", 6));
	if (n < 0 || sscanf(line, "ready %llx %u", &nic, &eid) != 2) {
		mt_diag("sink did not start: '%s'", line);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(fd);
		return -1;
	}
	close(fd);
	ret = mx_connect(ep, nic, eid, CONF_KEY, 30000, addr);
	if (ret != MX_SUCCESS) {
		mt_diag("connect to the sink: %s", mx_strerror(ret));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* Send to @addr with a @ms timeout; returns the status (PENDING if stuck). */
static mx_status_code_t send_with_timeout(mx_endpoint_t ep,
					  mx_endpoint_addr_t addr,
					  int per_request, uint32_t ms,
					  uint64_t *elapsed)
{
	/* over 128 bytes: a smaller send completes at once (a zombie) */
	uint8_t buf[200];
	mx_segment_t seg = { buf, sizeof(buf) };
	mx_request_t req;
	mx_status_t st;
	uint64_t t0 = mt_now_ms();

	if (!per_request)
		mx_set_request_timeout(ep, NULL, ms);
	if (mx_isend(ep, &seg, 1, addr, 0x71e0, NULL, &req) != MX_SUCCESS)
		return MX_STATUS_PENDING;
	if (per_request &&
	    mx_set_request_timeout(ep, req, ms) != MX_SUCCESS) {
		mt_diag("mx_set_request_timeout on a request failed");
	}
	if (!mt_wait(ep, &req, 60000, &st))
		return MX_STATUS_PENDING;
	*elapsed = mt_now_ms() - t0;
	return st.code;
}

int conf_timeouts(uint32_t board, uint32_t peer_board, const char *cut,
		  const char *uncut)
{
	mx_endpoint_addr_t addr;
	mx_status_code_t code;
	mx_endpoint_t ep;
	uint64_t elapsed = 0;
	mx_return_t ret;
	pid_t pid;

	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &ep);
	if (!mt_check_ret("open endpoint", ret, MX_SUCCESS))
		return 1;

	/* A peer that stops answering: per-request timeout. */
	pid = conf_start_sink(ep, peer_board, &addr);
	if (mt_check(pid > 0, "start a peer process and connect to it",
		     "see above")) {
		kill(pid, SIGSTOP);
		code = send_with_timeout(ep, addr, 1, 1500, &elapsed);
		mt_check(code == MX_STATUS_TIMEOUT && elapsed >= 1000,
			 "send to a stopped peer, 1.5 s request timeout: MX_STATUS_TIMEOUT",
			 "status %d (%s) after %llu ms", (int)code,
			 code == MX_STATUS_PENDING ? "still pending after 60 s" :
			 mx_strstatus(code), (unsigned long long)elapsed);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}

	/* A killed peer: the driver may say its endpoint is closed. */
	pid = conf_start_sink(ep, peer_board, &addr);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		code = send_with_timeout(ep, addr, 0, 1500, &elapsed);
		mt_check(code == MX_STATUS_TIMEOUT ||
			 code == MX_STATUS_ENDPOINT_CLOSED,
			 "send to a killed peer fails in bounded time",
			 "status %d (%s)", (int)code,
			 code == MX_STATUS_PENDING ? "still pending after 60 s" :
			 mx_strstatus(code));
		mt_diag("killed peer: %s after %llu ms", mx_strstatus(code),
			(unsigned long long)elapsed);
	} else {
		mt_fail("send to a killed peer fails in bounded time",
			"could not start the peer");
	}

	/* A peer that vanished: killed behind a cut link, nobody answers. */
	if (cut) {
		pid = conf_start_sink(ep, peer_board, &addr);
		if (pid > 0) {
			if (system(cut) != 0)
				mt_diag("'%s' failed", cut);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			code = send_with_timeout(ep, addr, 0, 1500, &elapsed);
			mt_check(code == MX_STATUS_TIMEOUT,
				 "send to a vanished peer (killed, link cut): MX_STATUS_TIMEOUT",
				 "status %d (%s) after %llu ms", (int)code,
				 code == MX_STATUS_PENDING ?
				 "still pending after 60 s" :
				 mx_strstatus(code),
				 (unsigned long long)elapsed);
			if (uncut && system(uncut) != 0)
				mt_diag("'%s' failed", uncut);
		} else {
			mt_fail("send to a vanished peer", "could not start the peer");
		}
	}
	mx_close_endpoint(ep);
	return mt_exit_status();
}
