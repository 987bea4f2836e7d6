// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_exchange: symmetric traffic of every message class between two
 * endpoints, for the steering tests (tests/multiqueue).
 *
 *   mx_exchange -e EID -d HOST[:BOARD] -r REID[,REID...] [-b BOARD]
 *               [-n ITERS] [-s SIZE,SIZE,...] [-x EID[,EID...]]
 *
 * Both sides run the same command towards each other: each connects to
 * the other's endpoints, then for every iteration and size sends one
 * message to each and receives one from each (match info = iteration,
 * sender's endpoint and size), checking every byte.  With several REIDs
 * and one such process per endpoint on each side, that is an all-to-all
 * exchange.  Connecting is retried for a minute, so both sides may start
 * in any order.  The elapsed time of the exchange is printed (ms=).
 * The default sizes cover tiny, small, medium and large (pulled)
 * messages.  When done it prints "done sent=N received=N" and keeps the
 * endpoint open until its standard input reaches end of file, so that the
 * test can read the endpoint's counters first.  -x opens more endpoints
 * in the same process, right after the first, and leaves them idle (the
 * binding tests: only the first open may bind the process).  Exit status 0 when every
 * message arrived intact.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mx_test_util.h"

#define KEY		0x6d716578
#define SIZES_MAX	16
#define PEERS_MAX	16
#define TIMEOUT_MS	60000

static const char *me = "mx_exchange";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: %s -e EID -d HOST[:BOARD] -r REID[,REID...] [-b BOARD] [-n ITERS] [-s SIZES]\n"
		"          [-x EIDS]\n"
		"Exchange messages of every class with the same command on HOST.\n"
		"  -b BOARD  local board (default 0)\n"
		"  -e EID    local endpoint\n"
		"  -d HOST   the peer's board name, as omx_info shows it (node1:0)\n"
		"  -r REIDS  the peer's endpoints, comma-separated\n"
		"  -n ITERS  iterations (default 20)\n"
		"  -s SIZES  comma-separated sizes (default 0,20,100,4000,30000,100000)\n"
		"  -x EIDS   also open these local endpoints, idle (comma-separated)\n",
		me);
}

static void die(const char *what, mx_return_t ret)
{
	fprintf(stderr, "%s: %s: %s\n", me, what, mx_strerror(ret));
	exit(1);
}

static unsigned long number(const char *s, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "%s: invalid %s \"%s\"\n", me, what, s);
		exit(2);
	}
	return v;
}

static unsigned int parse_list(char *list, uint32_t *v, unsigned int max,
			       const char *what)
{
	unsigned int n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			fprintf(stderr, "%s: at most %u %ss\n", me, max, what);
			exit(2);
		}
		v[n++] = (uint32_t)number(tok, what);
	}
	return n;
}

static void wait_done(mx_endpoint_t ep, mx_request_t *req, mx_status_t *st,
		      const char *what)
{
	if (!mt_wait(ep, req, TIMEOUT_MS, st)) {
		fprintf(stderr, "%s: %s: not done after %d ms\n", me, what, TIMEOUT_MS);
		exit(1);
	}
	if (st->code != MX_STATUS_SUCCESS) {
		fprintf(stderr, "%s: %s: %s\n", me, what, mx_strstatus(st->code));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	uint32_t sizes[SIZES_MAX] = { 0, 20, 100, 4000, 30000, 100000 };
	unsigned int nsizes = 6, board = 0, eid = ~0U, iters = 20, npeers = 0;
	unsigned long sent = 0, received = 0, bad = 0;
	mx_request_t sreq[PEERS_MAX], rreq[PEERS_MAX];
	mx_endpoint_addr_t addr[PEERS_MAX];
	uint32_t reids[PEERS_MAX];
	uint8_t *out, *in[PEERS_MAX];
	const char *dest = NULL;
	mx_segment_t seg;
	uint32_t max = 0, i, it, j;
	mx_endpoint_t ep, extra[PEERS_MAX];
	uint32_t extra_eids[PEERS_MAX];
	unsigned int nextra = 0;
	mx_status_t st;
	mx_return_t ret;
	uint64_t nic, t0;
	char line[64];
	int c;

	while ((c = getopt(argc, argv, "b:e:d:r:n:s:x:h")) != -1) {
		switch (c) {
		case 'b':
			board = (unsigned int)number(optarg, "board");
			break;
		case 'e':
			eid = (unsigned int)number(optarg, "endpoint");
			break;
		case 'd':
			dest = optarg;
			break;
		case 'r':
			npeers = parse_list(optarg, reids, PEERS_MAX, "remote endpoint");
			break;
		case 'n':
			iters = (unsigned int)number(optarg, "iteration count");
			break;
		case 's':
			nsizes = parse_list(optarg, sizes, SIZES_MAX, "size");
			break;
		case 'x':
			nextra = parse_list(optarg, extra_eids, PEERS_MAX, "extra endpoint");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !dest || eid > 255 || !npeers || !nsizes) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < nsizes; i++)
		if (sizes[i] > max)
			max = sizes[i];
	out = malloc(max + 1);
	if (!out) {
		fprintf(stderr, "%s: out of memory\n", me);
		return 1;
	}
	for (j = 0; j < npeers; j++) {
		in[j] = malloc(max + 1);
		if (!in[j]) {
			fprintf(stderr, "%s: out of memory\n", me);
			return 1;
		}
	}

	mx_set_error_handler(MX_ERRORS_RETURN);
	ret = mx_init();
	if (ret != MX_SUCCESS)
		die("mx_init", ret);
	ret = mx_open_endpoint(board, eid, KEY, NULL, 0, &ep);
	if (ret != MX_SUCCESS)
		die("mx_open_endpoint", ret);
	for (j = 0; j < nextra; j++) {
		ret = mx_open_endpoint(board, extra_eids[j], KEY, NULL, 0, &extra[j]);
		if (ret != MX_SUCCESS)
			die("mx_open_endpoint (-x)", ret);
	}
	ret = mx_hostname_to_nic_id((char *)dest, &nic);
	if (ret != MX_SUCCESS)
		die("mx_hostname_to_nic_id", ret);
	/* the peer's endpoints may not be open yet: retry until the deadline */
	t0 = mt_now_ms();
	for (j = 0; j < npeers; j++) {
		do {
			ret = mx_connect(ep, nic, reids[j], KEY, TIMEOUT_MS, &addr[j]);
			if (ret != MX_SUCCESS)
				usleep(100000);
		} while (ret != MX_SUCCESS && mt_now_ms() - t0 < TIMEOUT_MS);
		if (ret != MX_SUCCESS)
			die("mx_connect", ret);
	}

	t0 = mt_now_ms();
	for (it = 0; it < iters; it++) {
		for (i = 0; i < nsizes; i++) {
			/* iteration, sending endpoint, size: unique per message */
			uint64_t mine = (uint64_t)it << 40 | (uint64_t)eid << 32 | sizes[i];
			uint32_t msgno = it * SIZES_MAX + i;

			for (j = 0; j < npeers; j++) {
				uint64_t theirs = (uint64_t)it << 40 | (uint64_t)reids[j] << 32 | sizes[i];

				seg = (mx_segment_t){ in[j], sizes[i] };
				ret = mx_irecv(ep, &seg, 1, theirs, ~0ULL, NULL, &rreq[j]);
				if (ret != MX_SUCCESS)
					die("mx_irecv", ret);
			}
			mt_fill(out, sizes[i], msgno);
			for (j = 0; j < npeers; j++) {
				seg = (mx_segment_t){ out, sizes[i] };
				ret = mx_isend(ep, &seg, 1, addr[j], mine, NULL, &sreq[j]);
				if (ret != MX_SUCCESS)
					die("mx_isend", ret);
			}
			for (j = 0; j < npeers; j++) {
				wait_done(ep, &sreq[j], &st, "send");
				sent++;
			}
			for (j = 0; j < npeers; j++) {
				wait_done(ep, &rreq[j], &st, "receive");
				received++;
				if (st.xfer_length != sizes[i] ||
				    mt_verify(in[j], sizes[i], msgno) >= 0)
					bad++;
			}
		}
	}
	printf("done sent=%lu received=%lu bad=%lu ms=%llu\n", sent, received, bad,
	       (unsigned long long)(mt_now_ms() - t0));
	fflush(stdout);

	/* keep the endpoint (and its counters) until the test has read them */
	while (fgets(line, sizeof(line), stdin))
		;
	for (j = 0; j < nextra; j++)
		mx_close_endpoint(extra[j]);
	mx_close_endpoint(ep);
	mx_finalize();
	free(out);
	for (j = 0; j < npeers; j++)
		free(in[j]);
	return bad ? 1 : 0;
}
