// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_pingpong: a plain MX program that checks and times round trips.
 *
 *   mx_pingpong -r [-b BOARD] [-e EID]            echo every message back
 *   mx_pingpong -d HOST|MAC -E EID [-b B] [-e E] [-n ITERS] [-s SIZE] [-m MAX]
 *   mx_pingpong -S [-b B] [-e E] [-n ITERS] [-s SIZE] [-m MAX]   to itself
 *
 * The sender walks every message class (0 bytes to MAX, 8 MiB by
 * default, through tiny, small, medium and large; or only SIZE),
 * alternating mx_isend and mx_issend and a contiguous, a 3-segment or a
 * 5-segment buffer of odd sizes, checks every byte of every echo, then
 * tells the responder to stop.  The responder never connects: it
 * answers status.source.  With -S the endpoint sends to its own address
 * (self messages), every other receive posted after its send.
 * Messages above 1 MiB run at most 3 iterations.
 * Exit status 0 only if every echo came back intact.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "myriexpress.h"
#include "mx_extensions.h"

#define MAXLEN		(8U << 20)
#define MATCH_DATA	0x1234000000000000ULL
#define MATCH_QUIT	0x5155495400000000ULL
#define TIMEOUT_MS	20000

static uint8_t pattern(uint32_t iter, uint32_t off)
{
	return (uint8_t)(iter * 131 + off * 7 + (off >> 9));
}

static int die(const char *what, mx_return_t ret)
{
	fprintf(stderr, "mx_pingpong: %s: %s\n", what, mx_strerror(ret));
	exit(1);
}

static int wait_req(mx_endpoint_t ep, mx_request_t *req, mx_status_t *st, const char *what)
{
	uint32_t result = 0;
	mx_return_t ret = mx_wait(ep, req, TIMEOUT_MS, st, &result);

	if (ret != MX_SUCCESS)
		die(what, ret);
	if (!result) {
		fprintf(stderr, "mx_pingpong: %s: not done after %d ms\n", what, TIMEOUT_MS);
		exit(1);
	}
	return st->code;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "mx_pingpong: out of memory\n");
		exit(1);
	}
	return p;
}

static int responder(mx_endpoint_t ep)
{
	uint8_t *buf = xmalloc(MAXLEN);
	mx_segment_t seg = { buf, MAXLEN };
	mx_request_t rreq, sreq;
	mx_status_t st;
	uint32_t result;
	unsigned long n = 0;

	for (;;) {
		if (mx_irecv(ep, &seg, 1, 0, 0, NULL, &rreq) != MX_SUCCESS)
			die("mx_irecv", MX_FAILURE);
		do {
			mx_wait(ep, &rreq, MX_INFINITE, &st, &result);
		} while (!result);
		if (st.code != MX_STATUS_SUCCESS) {
			fprintf(stderr, "mx_pingpong: receive failed: %s\n", mx_strstatus(st.code));
			return 1;
		}
		if (st.match_info == MATCH_QUIT)
			break;
		seg.segment_length = st.xfer_length;
		if (mx_isend(ep, &seg, 1, st.source, st.match_info, NULL, &sreq) != MX_SUCCESS)
			die("mx_isend", MX_FAILURE);
		if (wait_req(ep, &sreq, &st, "echo") != MX_STATUS_SUCCESS) {
			fprintf(stderr, "mx_pingpong: echo failed: %s\n", mx_strstatus(st.code));
			return 1;
		}
		seg.segment_length = MAXLEN;
		n++;
	}
	printf("responder: echoed %lu messages\n", n);
	free(buf);
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Cuts [0, len) into @nseg segments (1, 3, or 5 of odd sizes). */
static void cut(mx_segment_t *seg, int nseg, uint8_t *buf, uint32_t len)
{
	uint32_t cuts[6], i;

	cuts[0] = 0;
	cuts[nseg] = len;
	if (nseg == 3) {
		cuts[1] = len / 3;
		cuts[2] = len / 2;
	} else if (nseg == 5) {
		cuts[1] = len / 7 | 1;
		cuts[2] = len / 3 + 3;
		cuts[3] = len / 2 + 1;
		cuts[4] = len - len / 5 - 1;
		for (i = 1; i < 5; i++)
			if (cuts[i] > len || cuts[i] < cuts[i - 1])
				cuts[i] = cuts[i - 1];
	}
	for (i = 0; i < (uint32_t)nseg; i++)
		seg[i] = (mx_segment_t){ buf + cuts[i], cuts[i + 1] - cuts[i] };
}

static int one_size(mx_endpoint_t ep, mx_endpoint_addr_t dest, uint32_t len, int iters,
		    int self, uint8_t *out, uint8_t *in)
{
	static const int nsegs[4] = { 1, 1, 3, 5 };
	mx_request_t sreq, rreq;
	mx_segment_t sseg[5], rseg[5];
	mx_status_t st;
	uint32_t i;
	double t0 = now_us();
	int it, bad = 0;

	if (len > (1U << 20) && iters > 3)
		iters = 3;
	for (it = 0; it < iters; it++) {
		int nseg = nsegs[it & 3], late = self && (it & 1);
		mx_return_t ret;

		for (i = 0; i < len; i++)
			out[i] = pattern((uint32_t)it + len, i);
		memset(in, 0xee, len);
		cut(sseg, nseg, out, len);
		/* the receive side cut differently: segments need not line up */
		cut(rseg, nseg == 1 ? 1 : 8 - nseg, in, len);
		if (!late && mx_irecv(ep, rseg, nseg == 1 ? 1 : 8 - nseg, MATCH_DATA | len, ~0ULL,
				      NULL, &rreq) != MX_SUCCESS)
			die("mx_irecv", MX_FAILURE);
		if (it & 1)
			ret = mx_issend(ep, sseg, nseg, dest, MATCH_DATA | len, NULL, &sreq);
		else
			ret = mx_isend(ep, sseg, nseg, dest, MATCH_DATA | len, NULL, &sreq);
		if (ret != MX_SUCCESS)
			die("send", ret);
		if (late && mx_irecv(ep, rseg, nseg == 1 ? 1 : 8 - nseg, MATCH_DATA | len, ~0ULL,
				     NULL, &rreq) != MX_SUCCESS)
			die("mx_irecv", MX_FAILURE);
		if (wait_req(ep, &sreq, &st, "send") != MX_STATUS_SUCCESS) {
			fprintf(stderr, "send of %u bytes: %s\n", len, mx_strstatus(st.code));
			return 1;
		}
		if (wait_req(ep, &rreq, &st, "receive") != MX_STATUS_SUCCESS ||
		    st.msg_length != len || st.xfer_length != len) {
			fprintf(stderr, "echo of %u bytes: %s, %u/%u bytes\n", len,
				mx_strstatus(st.code), st.xfer_length, st.msg_length);
			return 1;
		}
		for (i = 0; i < len; i++) {
			if (in[i] != pattern((uint32_t)it + len, i)) {
				fprintf(stderr, "echo of %u bytes (iteration %d): byte %u differs\n",
					len, it, i);
				bad = 1;
				break;
			}
		}
	}
	printf("size %7u: %d round trips ok, %.1f us each\n", len, iters,
	       (now_us() - t0) / iters);
	return bad;
}

static void usage(void)
{
	fprintf(stderr, "usage: mx_pingpong -r [-b BOARD] [-e EID]\n"
			"       mx_pingpong -d HOSTNAME|MAC -E EID [-b BOARD] [-e EID] [-n ITERS] [-s SIZE] [-m MAX]\n"
			"       mx_pingpong -S [-b BOARD] [-e EID] [-n ITERS] [-s SIZE] [-m MAX]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 0, 1, 32, 33, 128, 129, 1000, 4096, 8192, 8193,
					  20000, 32768, 32769, 65536, 100003, 1048583, MAXLEN };
	uint32_t board = MX_ANY_NIC, eid = MX_ANY_ENDPOINT, reid = 0, size = UINT32_MAX;
	uint32_t max = MAXLEN;
	const char *dest = NULL;
	int respond = 0, self = 0, iters = 20, opt, bad = 0;
	uint8_t *out, *in;
	mx_endpoint_addr_t addr;
	mx_endpoint_t ep;
	mx_return_t ret;
	uint64_t nic;
	size_t i;

	while ((opt = getopt(argc, argv, "rSb:e:d:E:n:s:m:")) != -1) {
		switch (opt) {
		case 'r': respond = 1; break;
		case 'S': self = 1; break;
		case 'm': max = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'b': board = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'e': eid = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'd': dest = optarg; break;
		case 'E': reid = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'n': iters = atoi(optarg); break;
		case 's': size = (uint32_t)strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if ((!respond && !dest && !self) || max > MAXLEN || (size != UINT32_MAX && size > MAXLEN))
		usage();
	mx_set_error_handler(MX_ERRORS_RETURN);
	ret = mx_init();
	if (ret != MX_SUCCESS)
		die("mx_init", ret);
	ret = mx_open_endpoint(board, eid, 0x1234, NULL, 0, &ep);
	if (ret != MX_SUCCESS)
		die("mx_open_endpoint", ret);
	if (respond) {
		printf("responder ready\n");
		fflush(stdout);
		bad = responder(ep);
	} else {
		unsigned int m[6];

		out = xmalloc(MAXLEN);
		in = xmalloc(MAXLEN);
		if (self) {
			ret = mx_get_endpoint_addr(ep, &addr);
			if (ret != MX_SUCCESS)
				die("mx_get_endpoint_addr", ret);
		} else if (sscanf(dest, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
			   &m[5]) == 6 && strlen(dest) == 17) {
			nic = 0;
			for (i = 0; i < 6; i++)
				nic = nic << 8 | m[i];
		} else {
			ret = mx_hostname_to_nic_id((char *)dest, &nic);
			if (ret != MX_SUCCESS)
				die("mx_hostname_to_nic_id", ret);
		}
		if (!self) {
			ret = mx_connect(ep, nic, reid, 0x1234, TIMEOUT_MS, &addr);
			if (ret != MX_SUCCESS)
				die("mx_connect", ret);
		}
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && !bad; i++)
			if ((size == UINT32_MAX && sizes[i] <= max) || size == sizes[i])
				bad |= one_size(ep, addr, sizes[i], iters, self, out, in);
		if (size != UINT32_MAX && !bad) {
			int found = 0;

			for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
				found |= sizes[i] == size;
			if (!found)
				bad |= one_size(ep, addr, size, iters, self, out, in);
		}
		if (!self) {
			mx_request_t req;
			mx_status_t st;

			mx_isend(ep, NULL, 0, addr, MATCH_QUIT, NULL, &req);
			wait_req(ep, &req, &st, "quit");
		}
		printf(bad ? "FAILED\n" : "all round trips ok\n");
		free(out);
		free(in);
	}
	mx_close_endpoint(ep);
	mx_finalize();
	return bad;
}
