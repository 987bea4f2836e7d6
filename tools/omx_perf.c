// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_perf: MX ping-pong and unidirectional stream over a sweep of sizes.
 *
 *   omx_perf [-b BOARD] [-e EID] [-1]                       server
 *   omx_perf -d HOST[:BOARD] [-t pingpong|stream|both] ...  client
 *
 * Only the MX API is used, so the figures are what an MX application sees.
 * The client drives everything: per size and test it sends a BEGIN control
 * message (test, size, count, completion mode), the server answers READY
 * once its receives are posted, then the round runs (ping-pong: count
 * echoes; stream: count messages, then a DONE from the server).  Warm-up
 * is a separate untimed round of the same kind.  The server follows the
 * client's completion mode so that polling is never timed against
 * blocking.
 *
 * Figures: ping-pong latency is half the mean round trip; stream latency
 * is the mean time per message seen by the sender until the receiver has
 * them all; throughput is bytes / latency, in MB/s (10^6) and MiB/s (2^20).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "myriexpress.h"
#include "mx_extensions.h"

#define PERF_KEY		0x6f6d7870U
#define PERF_MAGIC		0x706572fU
#define PERF_VERSION		1
#define PERF_MATCH(kind)	((uint64_t)PERF_KEY << 32 | (kind))
#define PERF_BEGIN		PERF_MATCH(1)
#define PERF_READY		PERF_MATCH(2)
#define PERF_DATA		PERF_MATCH(3)
#define PERF_DONE		PERF_MATCH(4)
/* Sweeps stop here by default (-S raises it). */
#define PERF_DEFAULT_MAX	(4U << 20)
/* Largest buffer a server allocates for a client. */
#define PERF_SIZE_LIMIT		(256U << 20)
#define PERF_COUNT_LIMIT	10000000U
#define PERF_WINDOW		32
#define PERF_DEFAULT_EID	0

enum perf_test { TEST_QUIT, TEST_PINGPONG, TEST_STREAM };
enum perf_mode { MODE_POLL, MODE_BLOCK };
enum perf_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* A BEGIN message; both ends run this same program, so host order. */
struct perf_begin {
	uint32_t magic;
	uint32_t version;
	uint32_t test;
	uint32_t mode;
	uint32_t size;
	uint32_t count;
};

struct perf_result {
	enum perf_test test;
	uint32_t size;
	uint32_t iters;
	double latency_us;
	double mbps;
	double mibps;
};

struct perf {
	mx_endpoint_t ep;
	mx_endpoint_addr_t peer;
	uint32_t board, eid, reid, key, timeout_ms;
	enum perf_mode mode;
	uint8_t *sbuf, *rbuf;
	uint32_t buflen;
	char host[MX_MAX_HOSTNAME_LEN], peer_name[MX_MAX_HOSTNAME_LEN + 16];
};

static const char *const test_names[] = { "quit", "pingpong", "stream" };
static const char *const mode_names[] = { "poll", "block" };

/* The library's message for the last failed call, kept for our own errors. */
static char last_error[512];

static mx_return_t keep_error(char *str, mx_return_t ret)
{
	snprintf(last_error, sizeof(last_error), "%s", str);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_perf [-b BOARD] [-e EID] [-1]                 (server)\n"
		"       omx_perf -d HOST[:BOARD]|MAC [options]            (client)\n"
		"MX ping-pong and stream benchmark over a sweep of message sizes.\n"
		"  -b, --board N            local board number (default 0)\n"
		"  -e, --endpoint N         local endpoint (server default 0, client any)\n"
		"  -1, --once               server: exit after one client\n"
		"  -d, --dest HOST[:BOARD]  client: the server's board, as omx_info names it\n"
		"                           (node1:0), or its MAC address\n"
		"  -r, --remote-endpoint N  the server's endpoint (default 0)\n"
		"  -t, --test T             pingpong (default), stream or both\n"
		"  -s, --min BYTES          smallest size (default 0)\n"
		"  -S, --max BYTES          largest size (default: the largest the library\n"
		"                           accepts, at most %u)\n"
		"  -m, --multiplier N       next size = size * N (default 2; 0 -> 1)\n"
		"  -n, --iterations N       timed messages per size (default 1000)\n"
		"  -w, --warmup N           untimed messages first (default 10)\n"
		"  -M, --mode poll|block    complete by mx_test busy-polling (default) or by\n"
		"                           sleeping in mx_wait; the server follows\n"
		"  -f, --format F           table (default), csv or json\n"
		"  -T, --timeout MS         connect and per-message timeout (default 10000)\n"
		"  -k, --key N              endpoint filter key (default 0x%x)\n"
		"  -h, --help               show this help\n"
		"Latency is half a round trip (pingpong) or the time per message (stream);\n"
		"MB/s = 10^6 bytes/s, MiB/s = 2^20 bytes/s.\n",
		PERF_DEFAULT_MAX, PERF_KEY);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *end || x > UINT32_MAX || s[0] == '-')
		return false;
	*v = (uint32_t)x;
	return true;
}

static void bad_arg(const char *opt, const char *val)
{
	fprintf(stderr, "omx_perf: bad value '%s' for %s (see omx_perf --help)\n", val, opt);
	exit(2);
}

/*
 * Complete one request in the session's mode.  Returns true when it
 * completed (its status in *st), false on timeout or library error, with
 * a message naming WHAT.
 */
static bool complete(struct perf *p, mx_request_t *req, mx_status_t *st, const char *what)
{
	uint32_t done = 0;
	mx_return_t ret;

	if (p->mode == MODE_BLOCK) {
		ret = mx_wait(p->ep, req, p->timeout_ms, st, &done);
	} else {
		double deadline = now_us() + p->timeout_ms * 1e3;
		unsigned int spins = 0;

		do {
			ret = mx_test(p->ep, req, st, &done);
			/* reading the clock every time would cost more than mx_test */
		} while (ret == MX_SUCCESS && !done && (++spins & 1023 || now_us() < deadline));
	}
	if (ret != MX_SUCCESS) {
		fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
		return false;
	}
	if (!done) {
		fprintf(stderr, "omx_perf: %s: nothing within %u ms: the peer stopped or is unreachable\n",
			what, p->timeout_ms);
		return false;
	}
	if (st->code != MX_STATUS_SUCCESS) {
		fprintf(stderr, "omx_perf: %s: %s\n", what, mx_strstatus(st->code));
		return false;
	}
	return true;
}

static bool post_recv(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      mx_request_t *req, const char *what)
{
	mx_segment_t seg = { buf, len };

	if (mx_irecv(p->ep, &seg, 1, match, MX_MATCH_MASK_NONE, NULL, req) == MX_SUCCESS)
		return true;
	fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
	return false;
}

static bool post_send(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      mx_request_t *req, const char *what)
{
	mx_segment_t seg = { buf, len };

	if (mx_isend(p->ep, &seg, 1, p->peer, match, NULL, req) == MX_SUCCESS)
		return true;
	fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
	return false;
}

static bool send_wait(struct perf *p, void *buf, uint32_t len, uint64_t match, const char *what)
{
	mx_request_t req;
	mx_status_t st;

	return post_send(p, buf, len, match, &req, what) && complete(p, &req, &st, what);
}

static bool grow_buffers(struct perf *p, uint32_t size)
{
	uint8_t *s, *r;

	if (size <= p->buflen && p->sbuf)
		return true;
	s = realloc(p->sbuf, size ? size : 1);
	if (s)
		p->sbuf = s;
	r = realloc(p->rbuf, size ? size : 1);
	if (r)
		p->rbuf = r;
	if (!s || !r) {
		fprintf(stderr, "omx_perf: out of memory for %u-byte buffers\n", size);
		return false;
	}
	memset(p->sbuf + p->buflen, 0xa5, size - p->buflen);
	p->buflen = size;
	return true;
}

static bool check_length(const mx_status_t *st, uint32_t size, const char *what)
{
	if (st->xfer_length == size)
		return true;
	fprintf(stderr, "omx_perf: %s: got %u bytes, expected %u\n", what, st->xfer_length, size);
	return false;
}

/* Ping-pong side A (client): send, then wait for the echo. */
static bool pingpong_client(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t sreq, rreq;
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!post_recv(p, p->rbuf, size, PERF_DATA, &rreq, "ping-pong receive") ||
		    !post_send(p, p->sbuf, size, PERF_DATA, &sreq, "ping-pong send") ||
		    !complete(p, &sreq, &st, "ping-pong send") ||
		    !complete(p, &rreq, &st, "ping-pong echo") ||
		    !check_length(&st, size, "ping-pong echo"))
			return false;
	}
	return true;
}

static bool pingpong_server(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t sreq, rreq;
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!post_recv(p, p->rbuf, size, PERF_DATA, &rreq, "ping-pong receive") ||
		    !complete(p, &rreq, &st, "ping-pong receive") ||
		    !check_length(&st, size, "ping-pong receive") ||
		    !post_send(p, p->rbuf, size, PERF_DATA, &sreq, "ping-pong echo") ||
		    !complete(p, &sreq, &st, "ping-pong echo"))
			return false;
	}
	return true;
}

/* Stream sender: keep up to PERF_WINDOW sends in flight, oldest completed first. */
static bool stream_client(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t win[PERF_WINDOW], done_req;
	mx_status_t st;
	uint32_t i;

	if (!post_recv(p, NULL, 0, PERF_DONE, &done_req, "stream end"))
		return false;
	for (i = 0; i < count; i++) {
		if (i >= PERF_WINDOW &&
		    !complete(p, &win[i % PERF_WINDOW], &st, "stream send"))
			return false;
		if (!post_send(p, p->sbuf, size, PERF_DATA, &win[i % PERF_WINDOW], "stream send"))
			return false;
	}
	for (i = count > PERF_WINDOW ? count - PERF_WINDOW : 0; i < count; i++)
		if (!complete(p, &win[i % PERF_WINDOW], &st, "stream send"))
			return false;
	return complete(p, &done_req, &st, "stream end (receiver's acknowledgement)");
}

/* Stream receiver: receives of a round are already posted in WIN. */
static bool stream_server(struct perf *p, uint32_t size, uint32_t count,
			  mx_request_t *win)
{
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!complete(p, &win[i % PERF_WINDOW], &st, "stream receive") ||
		    !check_length(&st, size, "stream receive"))
			return false;
		if (i + PERF_WINDOW < count &&
		    !post_recv(p, p->rbuf, size, PERF_DATA, &win[i % PERF_WINDOW],
			       "stream receive"))
			return false;
	}
	return send_wait(p, NULL, 0, PERF_DONE, "stream end");
}

/* Client: one round (warm-up or timed) of TEST; *elapsed_us gets its time. */
static bool client_round(struct perf *p, enum perf_test test, uint32_t size, uint32_t count,
			 double *elapsed_us)
{
	struct perf_begin b = {
		.magic = PERF_MAGIC, .version = PERF_VERSION, .test = test,
		.mode = p->mode, .size = size, .count = count,
	};
	mx_request_t rreq;
	mx_status_t st;
	uint32_t status = 1;
	double t0;
	bool ok;

	if (!post_recv(p, &status, sizeof(status), PERF_READY, &rreq, "server's answer") ||
	    !send_wait(p, &b, sizeof(b), PERF_BEGIN, "request to the server") ||
	    !complete(p, &rreq, &st, "server's answer"))
		return false;
	if (st.xfer_length != sizeof(status) || status != 0) {
		fprintf(stderr, "omx_perf: the server refused %s of %u x %u bytes (too large for it?)\n",
			test_names[test], count, size);
		return false;
	}
	t0 = now_us();
	ok = test == TEST_PINGPONG ? pingpong_client(p, size, count) :
				     stream_client(p, size, count);
	*elapsed_us = now_us() - t0;
	return ok;
}

static void print_header(const struct perf *p, enum perf_format fmt, uint32_t iters,
			 uint32_t warmup)
{
	if (fmt == FMT_CSV) {
		printf("test,mode,bytes,iterations,latency_us,MBps,MiBps\n");
	} else if (fmt == FMT_TABLE) {
		printf("# omx_perf: %s board %u -> %s endpoint %u, mode %s, %u iterations, %u warm-up\n",
		       p->host, p->board, p->peer_name, p->reid, mode_names[p->mode], iters, warmup);
		printf("%-9s %-5s %9s %12s %11s %11s\n", "test", "mode", "bytes", "latency_us",
		       "MB/s", "MiB/s");
	}
	fflush(stdout);
}

static void print_result(const struct perf *p, enum perf_format fmt, const struct perf_result *r)
{
	if (fmt == FMT_CSV)
		printf("%s,%s,%u,%u,%.3f,%.3f,%.3f\n", test_names[r->test], mode_names[p->mode],
		       r->size, r->iters, r->latency_us, r->mbps, r->mibps);
	else if (fmt == FMT_TABLE)
		printf("%-9s %-5s %9u %12.3f %11.3f %11.3f\n", test_names[r->test],
		       mode_names[p->mode], r->size, r->latency_us, r->mbps, r->mibps);
	fflush(stdout);
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct perf *p, const struct perf_result *res, size_t n,
		       uint32_t warmup)
{
	size_t i;

	printf("{\"tool\": \"omx_perf\", \"host\": ");
	print_json_string(p->host);
	printf(", \"board\": %u, \"peer\": ", p->board);
	print_json_string(p->peer_name);
	printf(", \"peer_endpoint\": %u, \"mode\": \"%s\", \"warmup\": %u, \"results\": [",
	       p->reid, mode_names[p->mode], warmup);
	for (i = 0; i < n; i++)
		printf("%s\n  {\"test\": \"%s\", \"bytes\": %u, \"iterations\": %u, "
		       "\"latency_us\": %.3f, \"MBps\": %.3f, \"MiBps\": %.3f}",
		       i ? "," : "", test_names[res[i].test], res[i].size, res[i].iters,
		       res[i].latency_us, res[i].mbps, res[i].mibps);
	printf("\n]}\n");
	fflush(stdout);
}

static uint32_t next_size(uint32_t size, uint32_t mult)
{
	uint64_t n = (uint64_t)size * mult;

	if (n <= size)
		n = (uint64_t)size + 1;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool open_endpoint(struct perf *p)
{
	mx_return_t ret = mx_open_endpoint(p->board, p->eid, p->key, NULL, 0, &p->ep);
	uint64_t nic;

	switch (ret) {
	case MX_SUCCESS:
		break;
	case MX_BOARD_UNKNOWN:
		fprintf(stderr, "omx_perf: board %u does not exist: 'omx_info' lists the boards omx attached\n",
			p->board);
		return false;
	case MX_BUSY:
		fprintf(stderr, "omx_perf: endpoint %u of board %u is already open: pick another with -e\n",
			p->eid, p->board);
		return false;
	default:
		fprintf(stderr, "omx_perf: cannot open an endpoint on board %u: %s\n", p->board,
			last_error);
		return false;
	}
	if (mx_board_number_to_nic_id(p->board, &nic) != MX_SUCCESS ||
	    mx_nic_id_to_hostname(nic, p->host) != MX_SUCCESS)
		snprintf(p->host, sizeof(p->host), "board%u", p->board);
	return true;
}

static bool init_mx(void)
{
	mx_return_t ret;

	mx_set_error_handler(keep_error);
	ret = mx_init();
	if (ret == MX_SUCCESS)
		return true;
	if (ret == MX_NO_DRIVER || (ret == MX_NO_DEV && access("/dev/omx", F_OK)))
		fprintf(stderr, "omx_perf: the omx driver is not loaded (no /dev/omx): "
			"start it with 'omx_init start' or 'insmod omx.ko ifnames=...'\n");
	else if (ret == MX_NO_PERM)
		fprintf(stderr, "omx_perf: no permission to open /dev/omx: see the udev rule "
			"90-omx.rules (group omx) or run as root\n");
	else
		fprintf(stderr, "omx_perf: %s\n", last_error);
	return false;
}

/* HOST[:BOARD] or a MAC address to a nic id; a bare HOST means HOST:0. */
static bool resolve_dest(struct perf *p, const char *dest, uint64_t *nic)
{
	unsigned int m[6];
	char name[MX_MAX_HOSTNAME_LEN + 8];
	int len = 0, i;

	if (strlen(dest) == 17 &&
	    sscanf(dest, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5], &len) == 6 && len == 17) {
		*nic = 0;
		for (i = 0; i < 6; i++)
			*nic = *nic << 8 | m[i];
		snprintf(p->peer_name, sizeof(p->peer_name), "%s", dest);
		return true;
	}
	if (strlen(dest) >= MX_MAX_HOSTNAME_LEN) {
		fprintf(stderr, "omx_perf: peer name '%s' is too long\n", dest);
		return false;
	}
	snprintf(name, sizeof(name), strchr(dest, ':') ? "%s" : "%s:0", dest);
	if (mx_hostname_to_nic_id(name, nic) != MX_SUCCESS) {
		fprintf(stderr, "omx_perf: no board named '%s' is known here: check the name "
			"and run 'omx_info --discover' to find the peers\n", name);
		return false;
	}
	snprintf(p->peer_name, sizeof(p->peer_name), "%s", name);
	return true;
}

static bool connect_peer(struct perf *p, uint64_t nic)
{
	mx_return_t ret = mx_connect(p->ep, nic, p->reid, p->key, p->timeout_ms, &p->peer);

	switch (ret) {
	case MX_SUCCESS:
		return true;
	case MX_TIMEOUT:
		fprintf(stderr, "omx_perf: no answer from %s endpoint %u within %u ms: the peer is "
			"unreachable (link down? wrong board?)\n", p->peer_name, p->reid,
			p->timeout_ms);
		break;
	case MX_CONNECTION_FAILED:
		fprintf(stderr, "omx_perf: %s has no endpoint %u open: start 'omx_perf' (the "
			"server) there first (%s)\n", p->peer_name, p->reid, last_error);
		break;
	case MX_BAD_CONNECTION_KEY:
		fprintf(stderr, "omx_perf: %s endpoint %u refused key 0x%x: use the server's -k\n",
			p->peer_name, p->reid, p->key);
		break;
	default:
		fprintf(stderr, "omx_perf: cannot connect to %s endpoint %u: %s\n", p->peer_name,
			p->reid, last_error);
		break;
	}
	return false;
}

/* The last send of a session: the peer may close as soon as it has it. */
static bool last_send_done(struct perf *p, mx_request_t *req, const char *what)
{
	mx_status_t st;
	uint32_t done = 0;

	if (mx_wait(p->ep, req, p->timeout_ms, &st, &done) != MX_SUCCESS || !done ||
	    (st.code != MX_STATUS_SUCCESS && st.code != MX_STATUS_ENDPOINT_CLOSED)) {
		fprintf(stderr, "omx_perf: %s: %s\n", what,
			done ? mx_strstatus(st.code) : "not acknowledged");
		return false;
	}
	return true;
}

/*
 * A BEGIN of test "quit" ends the session; the server confirms it and
 * closes.  Our goodbye may then be told "endpoint closed" instead of
 * acknowledged, which is fine once the confirmation came.
 */
static bool say_goodbye(struct perf *p)
{
	struct perf_begin b = { .magic = PERF_MAGIC, .version = PERF_VERSION };
	mx_request_t rreq, sreq;
	mx_status_t st;
	uint32_t status = 1;

	if (!post_recv(p, &status, sizeof(status), PERF_READY, &rreq, "server's goodbye") ||
	    !post_send(p, &b, sizeof(b), PERF_BEGIN, &sreq, "goodbye to the server") ||
	    !complete(p, &rreq, &st, "server's goodbye"))
		return false;
	return last_send_done(p, &sreq, "goodbye to the server");
}

struct client_opts {
	const char *dest;
	uint32_t min, max, mult, iters, warmup;
	bool stream, pingpong;
	enum perf_format fmt;
};

static int run_client(struct perf *p, const struct client_opts *o)
{
	struct perf_result *res = NULL;
	size_t nres = 0, cap = 0;
	uint32_t size, max = o->max;
	uint64_t nic;
	bool ok = true;
	int t;

	if (!resolve_dest(p, o->dest, &nic))
		return 1;
	if (!connect_peer(p, nic))
		return 1;
	print_header(p, o->fmt, o->iters, o->warmup);
	for (t = TEST_PINGPONG; t <= TEST_STREAM && ok; t++) {
		if ((t == TEST_PINGPONG && !o->pingpong) || (t == TEST_STREAM && !o->stream))
			continue;
		for (size = o->min; size <= max && ok; size = next_size(size, o->mult)) {
			struct perf_result r = { .test = t, .size = size, .iters = o->iters };
			double us = 0;

			ok = grow_buffers(p, size) &&
			     (!o->warmup || client_round(p, t, size, o->warmup, &us)) &&
			     (!o->iters || client_round(p, t, size, o->iters, &us));
			if (!ok) {
				fprintf(stderr, "omx_perf: %s of %u bytes failed\n", test_names[t], size);
				break;
			}
			r.latency_us = o->iters ? us / o->iters / (t == TEST_PINGPONG ? 2 : 1) : 0;
			r.mbps = r.latency_us > 0 ? size / r.latency_us : 0;
			r.mibps = r.mbps * 1e6 / (1024.0 * 1024.0);
			if (o->fmt == FMT_JSON) {
				if (nres == cap) {
					struct perf_result *n;

					cap = cap ? 2 * cap : 64;
					n = realloc(res, cap * sizeof(*res));
					if (!n) {
						fprintf(stderr, "omx_perf: out of memory\n");
						free(res);
						return 1;
					}
					res = n;
				}
				res[nres++] = r;
			} else {
				print_result(p, o->fmt, &r);
			}
			if (size == UINT32_MAX)
				break;
		}
	}
	if (ok)
		ok = say_goodbye(p);
	if (ok && o->fmt == FMT_JSON)
		print_json(p, res, nres, o->warmup);
	free(res);
	return ok ? 0 : 1;
}

/* Server: answer one BEGIN; false ends the session. */
static bool serve_round(struct perf *p, const struct perf_begin *b, const mx_status_t *st)
{
	mx_request_t win[PERF_WINDOW];
	uint32_t status = 0, i;
	bool valid;

	p->peer = st->source;
	valid = st->xfer_length == sizeof(*b) && b->magic == PERF_MAGIC &&
		b->version == PERF_VERSION &&
		(b->test == TEST_PINGPONG || b->test == TEST_STREAM) &&
		(b->mode == MODE_POLL || b->mode == MODE_BLOCK) &&
		b->size <= PERF_SIZE_LIMIT && b->count <= PERF_COUNT_LIMIT;
	if (!valid || !grow_buffers(p, b->size)) {
		fprintf(stderr, "omx_perf: refusing a malformed or too large request\n");
		status = 1;
		send_wait(p, &status, sizeof(status), PERF_READY, "refusal");
		return false;
	}
	p->mode = b->mode;
	if (b->test == TEST_STREAM)
		for (i = 0; i < b->count && i < PERF_WINDOW; i++)
			if (!post_recv(p, p->rbuf, b->size, PERF_DATA, &win[i], "stream receive"))
				return false;
	if (!send_wait(p, &status, sizeof(status), PERF_READY, "answer to the client"))
		return false;
	if (b->test == TEST_STREAM)
		return stream_server(p, b->size, b->count, win);
	return pingpong_server(p, b->size, b->count);
}

/* Serve one client from its first BEGIN to its goodbye. */
static bool serve_client(struct perf *p)
{
	unsigned long rounds = 0;
	bool first = true;

	for (;;) {
		struct perf_begin b;
		mx_request_t req;
		mx_status_t st;

		memset(&b, 0, sizeof(b));
		if (!post_recv(p, &b, sizeof(b), PERF_BEGIN, &req, "waiting for a client"))
			return false;
		if (first) {
			uint32_t done = 0;

			/* idle: sleep until a client comes, however long that takes */
			if (mx_wait(p->ep, &req, MX_INFINITE, &st, &done) != MX_SUCCESS || !done ||
			    st.code != MX_STATUS_SUCCESS) {
				fprintf(stderr, "omx_perf: waiting for a client: %s\n", last_error);
				return false;
			}
			first = false;
		} else {
			p->mode = MODE_BLOCK;
			if (!complete(p, &req, &st, "waiting for the client's next request"))
				return false;
		}
		if (st.xfer_length == sizeof(b) && b.magic == PERF_MAGIC && b.test == TEST_QUIT) {
			uint32_t status = 0;

			p->peer = st.source;
			if (!post_send(p, &status, sizeof(status), PERF_READY, &req, "goodbye") ||
			    !last_send_done(p, &req, "goodbye"))
				return false;
			printf("omx_perf: client done after %lu rounds\n", rounds);
			fflush(stdout);
			return true;
		}
		if (!serve_round(p, &b, &st))
			return false;
		rounds++;
	}
}

static int run_server(struct perf *p, bool once)
{
	printf("omx_perf: server on %s (board %u) endpoint %u, key 0x%x: waiting for clients\n",
	       p->host, p->board, p->eid, p->key);
	fflush(stdout);
	for (;;) {
		bool ok = serve_client(p);

		if (once)
			return ok ? 0 : 1;
		if (!ok) {
			/* drop whatever the broken session left posted */
			mx_close_endpoint(p->ep);
			if (!open_endpoint(p))
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "once", no_argument, NULL, '1' },
		{ "dest", required_argument, NULL, 'd' },
		{ "remote-endpoint", required_argument, NULL, 'r' },
		{ "test", required_argument, NULL, 't' },
		{ "min", required_argument, NULL, 's' },
		{ "max", required_argument, NULL, 'S' },
		{ "multiplier", required_argument, NULL, 'm' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'M' },
		{ "format", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct client_opts o = {
		.max = PERF_DEFAULT_MAX, .mult = 2, .iters = 1000, .warmup = 10,
		.pingpong = true, .fmt = FMT_TABLE,
	};
	struct perf p = {
		.reid = PERF_DEFAULT_EID, .key = PERF_KEY, .timeout_ms = 10000,
		.mode = MODE_POLL, .eid = MX_ANY_ENDPOINT,
	};
	bool once = false, eid_given = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "b:e:1d:r:t:s:S:m:n:w:M:f:T:k:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'b':
			if (!parse_u32(optarg, &p.board))
				bad_arg("--board", optarg);
			break;
		case 'e':
			if (!parse_u32(optarg, &p.eid))
				bad_arg("--endpoint", optarg);
			eid_given = true;
			break;
		case '1':
			once = true;
			break;
		case 'd':
			o.dest = optarg;
			break;
		case 'r':
			if (!parse_u32(optarg, &p.reid))
				bad_arg("--remote-endpoint", optarg);
			break;
		case 't':
			o.pingpong = !strcmp(optarg, "pingpong") || !strcmp(optarg, "both");
			o.stream = !strcmp(optarg, "stream") || !strcmp(optarg, "both");
			if (!o.pingpong && !o.stream)
				bad_arg("--test", optarg);
			break;
		case 's':
			if (!parse_u32(optarg, &o.min))
				bad_arg("--min", optarg);
			break;
		case 'S':
			if (!parse_u32(optarg, &o.max))
				bad_arg("--max", optarg);
			break;
		case 'm':
			if (!parse_u32(optarg, &o.mult))
				bad_arg("--multiplier", optarg);
			break;
		case 'n':
			if (!parse_u32(optarg, &o.iters) || o.iters > PERF_COUNT_LIMIT)
				bad_arg("--iterations", optarg);
			break;
		case 'w':
			if (!parse_u32(optarg, &o.warmup) || o.warmup > PERF_COUNT_LIMIT)
				bad_arg("--warmup", optarg);
			break;
		case 'M':
			if (!strcmp(optarg, "poll"))
				p.mode = MODE_POLL;
			else if (!strcmp(optarg, "block"))
				p.mode = MODE_BLOCK;
			else
				bad_arg("--mode", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "table"))
				o.fmt = FMT_TABLE;
			else if (!strcmp(optarg, "csv"))
				o.fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				o.fmt = FMT_JSON;
			else
				bad_arg("--format", optarg);
			break;
		case 'T':
			if (!parse_u32(optarg, &p.timeout_ms) || !p.timeout_ms)
				bad_arg("--timeout", optarg);
			break;
		case 'k':
			if (!parse_u32(optarg, &p.key))
				bad_arg("--key", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omx_perf: unexpected argument '%s' (see omx_perf --help)\n",
			argv[optind]);
		return 2;
	}
	if (o.min > o.max) {
		fprintf(stderr, "omx_perf: --min %u is above --max %u\n", o.min, o.max);
		return 2;
	}
	if (!o.dest && !eid_given)
		p.eid = PERF_DEFAULT_EID;
	if (!init_mx())
		return 1;
	if (!open_endpoint(&p)) {
		mx_finalize();
		return 1;
	}
	rc = o.dest ? run_client(&p, &o) : run_server(&p, once);
	mx_close_endpoint(p.ep);
	mx_finalize();
	free(p.sbuf);
	free(p.rbuf);
	return rc;
}
