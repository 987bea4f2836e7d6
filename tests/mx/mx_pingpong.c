// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_pingpong: MX ping-pong between two endpoints, usually on two hosts.
 *
 *   mx_pingpong server [-b BOARD] [-e EID] [-c CLIENTS] [-t SECONDS]
 *   mx_pingpong client [-b BOARD] (-d HOST:BOARD | -n NICID) [-e EID]
 *                      [-s MIN] [-S MAX] [-i ITERATIONS] [-t SECONDS]
 *
 * The server prints "ready NICID EID", then serves CLIENTS clients (default
 * 1) one after the other.  A client says hello with its own address, the
 * server connects back, and for each size from MIN to MAX (doubling, then
 * MAX itself) they bounce a message ITERATIONS times.  Both sides check
 * every byte; the client prints the round-trip time per size.  Exits 0
 * when everything arrived intact before the deadline (-t, default 300 s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mx_test_util.h"

#define PP_KEY		0x99e0U
#define TAG_HELLO	0x9001000000000000ULL
#define TAG_PING	0x9002000000000000ULL
#define TAG_PONG	0x9003000000000000ULL
#define TAG_DONE	0x9004000000000000ULL
#define TAG_MASK	0xffff000000000000ULL
#define PP_MAX_LEN	32768

struct pp_opts {
	uint32_t board, eid, clients, min, max, iters, seconds;
	const char *host;
	uint64_t nic;
};

struct hello {
	uint64_t nic;
	uint32_t eid;
	uint32_t pad;
};

static uint64_t deadline;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint32_t left_ms(void)
{
	uint64_t now = mt_now_ms();

	return now >= deadline ? 1 : (uint32_t)(deadline - now);
}

static int wait_one(mx_endpoint_t ep, mx_request_t *req, mx_status_t *st,
		    const char *what)
{
	if (mt_wait(ep, req, left_ms(), st) && st->code == MX_STATUS_SUCCESS)
		return 1;
	mt_fail(what, "%s", st->code == MX_STATUS_SUCCESS ?
		"deadline passed" : mx_strstatus(st->code));
	return 0;
}

static int next_size(uint32_t len, uint32_t max)
{
	if (len >= max)
		return -1;
	len = len ? len * 2 : 1;
	return (int)(len > max ? max : len);
}

static int serve_one(mx_endpoint_t ep, uint8_t *buf)
{
	mx_segment_t seg = { buf, PP_MAX_LEN };
	mx_endpoint_addr_t peer;
	mx_request_t req;
	mx_status_t st;
	struct hello h;
	mx_return_t ret;
	uint32_t bad = 0, n = 0;
	long off;

	seg = (mx_segment_t){ &h, sizeof(h) };
	mx_irecv(ep, &seg, 1, TAG_HELLO, TAG_MASK, NULL, &req);
	if (!wait_one(ep, &req, &st, "server: hello"))
		return 0;
	ret = mx_connect(ep, h.nic, h.eid, PP_KEY, 30000, &peer);
	if (!mt_check_ret("server: connect back to the client", ret,
			  MX_SUCCESS))
		return 0;
	for (;;) {
		seg = (mx_segment_t){ buf, PP_MAX_LEN };
		mx_irecv(ep, &seg, 1, 0, 0, NULL, &req);
		if (!wait_one(ep, &req, &st, "server: ping"))
			return 0;
		if ((st.match_info & TAG_MASK) == TAG_DONE)
			break;
		off = mt_verify(buf, st.xfer_length, (uint32_t)st.match_info);
		if ((st.match_info & TAG_MASK) != TAG_PING || off >= 0) {
			if (!bad++)
				mt_diag("server: bad ping %#llx, %u bytes, byte %ld",
					(unsigned long long)st.match_info,
					st.xfer_length, off);
		}
		seg.segment_length = st.xfer_length;
		mx_isend(ep, &seg, 1, peer, TAG_PONG | (st.match_info & ~TAG_MASK),
			 NULL, &req);
		if (!wait_one(ep, &req, &st, "server: pong"))
			return 0;
		n++;
	}
	mt_check(!bad, "server: every ping intact", "%u of %u bad", bad, n);
	mx_disconnect(ep, peer);
	return !bad;
}

static int run_server(const struct pp_opts *o)
{
	mx_endpoint_addr_t self;
	mx_endpoint_t ep;
	mx_return_t ret;
	uint8_t *buf = malloc(PP_MAX_LEN);
	uint64_t nic;
	uint32_t eid, i;

	ret = mx_open_endpoint(o->board, o->eid, PP_KEY, NULL, 0, &ep);
	if (!mt_check_ret("server: open endpoint", ret, MX_SUCCESS))
		return 1;
	mx_get_endpoint_addr(ep, &self);
	mx_decompose_endpoint_addr(self, &nic, &eid);
	printf("ready %#llx %u\n", (unsigned long long)nic, eid);
	for (i = 0; i < o->clients; i++)
		if (!mt_check(serve_one(ep, buf), "server: client served",
			      "client %u", i + 1))
			break;
	/* let the last pong's acknowledgement go out */
	usleep(500000);
	mx_progress(ep);
	mx_close_endpoint(ep);
	free(buf);
	return mt_exit_status();
}

static int run_client(const struct pp_opts *o)
{
	uint8_t *sb = malloc(PP_MAX_LEN), *rb = malloc(PP_MAX_LEN);
	mx_endpoint_addr_t peer, self;
	mx_segment_t sseg, rseg;
	mx_request_t sreq, rreq;
	mx_endpoint_t ep;
	mx_status_t st;
	mx_return_t ret;
	struct hello h = { 0 };
	uint64_t nic = o->nic, t0;
	uint32_t i, id = 0, bad;
	int len;
	char name[96];

	ret = mx_open_endpoint(o->board, MX_ANY_ENDPOINT, PP_KEY, NULL, 0, &ep);
	if (!mt_check_ret("client: open endpoint", ret, MX_SUCCESS))
		return 1;
	if (o->host) {
		ret = mx_hostname_to_nic_id((char *)o->host, &nic);
		if (!mt_check_ret("client: hostname to nic id", ret,
				  MX_SUCCESS))
			return 1;
	}
	ret = mx_connect(ep, nic, o->eid, PP_KEY, 30000, &peer);
	if (!mt_check_ret("client: connect to the server", ret, MX_SUCCESS))
		return 1;
	mx_get_endpoint_addr(ep, &self);
	mx_decompose_endpoint_addr(self, &h.nic, &h.eid);
	sseg = (mx_segment_t){ &h, sizeof(h) };
	mx_isend(ep, &sseg, 1, peer, TAG_HELLO, NULL, &sreq);
	if (!wait_one(ep, &sreq, &st, "client: hello"))
		return 1;
	for (len = (int)o->min; len >= 0; len = next_size((uint32_t)len, o->max)) {
		bad = 0;
		t0 = now_us();
		for (i = 0; i < o->iters; i++, id++) {
			mt_fill(sb, (uint32_t)len, id);
			sseg = (mx_segment_t){ sb, (uint32_t)len };
			rseg = (mx_segment_t){ rb, PP_MAX_LEN };
			mx_irecv(ep, &rseg, 1, TAG_PONG | id, MX_MATCH_MASK_NONE,
				 NULL, &rreq);
			mx_isend(ep, &sseg, 1, peer, TAG_PING | id, NULL, &sreq);
			snprintf(name, sizeof(name), "client: %d bytes", len);
			if (!wait_one(ep, &sreq, &st, name) ||
			    !wait_one(ep, &rreq, &st, name))
				return mt_exit_status();
			if (st.xfer_length != (uint32_t)len ||
			    mt_verify(rb, (uint32_t)len, id) >= 0)
				bad++;
		}
		printf("# %6d bytes: %8.1f us round trip (%u iterations)\n", len,
		       (double)(now_us() - t0) / o->iters, o->iters);
		snprintf(name, sizeof(name), "client: %d-byte pongs intact", len);
		mt_check(!bad, name, "%u of %u bad", bad, o->iters);
	}
	sseg = (mx_segment_t){ NULL, 0 };
	mx_issend(ep, &sseg, 1, peer, TAG_DONE, NULL, &sreq);
	wait_one(ep, &sreq, &st, "client: done message");
	mx_close_endpoint(ep);
	free(sb);
	free(rb);
	return mt_exit_status();
}

static void usage(void)
{
	fputs("usage: mx_pingpong server [-b BOARD] [-e EID] [-c CLIENTS] [-t SECONDS]\n"
	      "       mx_pingpong client [-b BOARD] (-d HOST:BOARD | -n NICID) [-e EID]\n"
	      "                          [-s MIN] [-S MAX] [-i ITERATIONS] [-t SECONDS]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct pp_opts o = { .eid = 2, .clients = 1, .min = 0,
			     .max = PP_MAX_LEN, .iters = 20, .seconds = 300 };
	int server, c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || (strcmp(argv[1], "server") && strcmp(argv[1], "client")))
		usage();
	server = !strcmp(argv[1], "server");
	optind = 2;
	while ((c = getopt(argc, argv, "b:e:c:d:n:s:S:i:t:")) != -1) {
		switch (c) {
		case 'b': o.board = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'e': o.eid = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'c': o.clients = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'd': o.host = optarg; break;
		case 'n': o.nic = strtoull(optarg, NULL, 0); break;
		case 's': o.min = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'S': o.max = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'i': o.iters = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 't': o.seconds = (uint32_t)strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (o.max > PP_MAX_LEN || o.min > o.max || !o.iters ||
	    (!server && !o.host && !o.nic))
		usage();
	deadline = mt_now_ms() + 1000ULL * o.seconds;
	if (mx_init() != MX_SUCCESS)
		return 1;
	mx_set_error_handler(MX_ERRORS_RETURN);
	return server ? run_server(&o) : run_client(&o);
}
