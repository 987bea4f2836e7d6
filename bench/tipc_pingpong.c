// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tipc_pingpong: TIPC's message latency, reliable datagrams (SOCK_RDM)
 * bounced between two AF_TIPC sockets; no packaged tool measures it.
 *
 *   tipc_pingpong -r [-M poll|block]                   echo until told to stop
 *   tipc_pingpong [-s MIN] [-S MAX] [-m MULT] [-n N] [-w N] [-M poll|block] [-q]
 *
 * The echo side binds the service {18888, 17} in cluster scope; the client
 * waits until the name is known (the two nodes' link is up), sends its
 * first message to the name and all others to the echo socket's port id,
 * so no name lookup is timed.  Sizes go MIN, MIN*MULT, ... up to MAX, at
 * least 1 byte: TIPC carries a 0-byte message but recvmsg() skips it (it
 * returns only messages with data or an error), so 1 byte is TIPC's
 * smallest message a receiver sees.  The client prints CSV rows in
 * omx_perf's columns (test,mode,bytes,iterations,latency_us,MBps,MiBps),
 * latency being half the mean round trip.  poll busy-loops on
 * recv(MSG_DONTWAIT); block sleeps in recv().  -q (client) tells the echo
 * side to exit at the end.  Where it runs (two network namespaces joined
 * by a veth pair): bench/guest.sh, bench/README.md.
 */
#include <errno.h>
#include <linux/tipc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TP_TYPE		18888
#define TP_INSTANCE	17
#define TP_TIMEOUT_S	5
#define TP_WAIT_S	30
#define TP_MSG_MAX	TIPC_MAX_USER_MSG_SIZE
/* the stop message: its length and contents differ from every ping */
#define TP_QUIT		"tipcquit"
#define TP_QUIT_LEN	8

static int sock = -1;
static bool poll_mode = true;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Next message into buf; its length, or -1 after TP_TIMEOUT_S without one. */
static ssize_t recv_msg(void *buf, struct sockaddr_tipc *from)
{
	double deadline = now_s() + TP_TIMEOUT_S;
	unsigned int spins = 0;
	socklen_t alen;
	ssize_t n;

	for (;;) {
		alen = sizeof(*from);
		n = recvfrom(sock, buf, TP_MSG_MAX, poll_mode ? MSG_DONTWAIT : 0,
			     (struct sockaddr *)from, &alen);
		if (n >= 0)
			return n;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			die("tipc_pingpong: recvfrom");
		/* poll: check the clock only now and then, not per spin */
		if (!poll_mode || (++spins & 0xfff) == 0)
			if (now_s() > deadline)
				return -1;
	}
}

static void send_msg(const void *buf, size_t len, const struct sockaddr_tipc *to)
{
	while (sendto(sock, buf, len, 0, (const struct sockaddr *)to, sizeof(*to)) < 0)
		if (errno != EINTR && errno != EAGAIN)
			die("tipc_pingpong: sendto");
}

static void open_socket(void)
{
	struct timeval tv = { .tv_sec = TP_TIMEOUT_S };

	sock = socket(AF_TIPC, SOCK_RDM, 0);
	if (sock < 0)
		die("tipc_pingpong: socket(AF_TIPC) (is the tipc module loaded?)");
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("tipc_pingpong: SO_RCVTIMEO");
}

static int echo(void)
{
	static uint8_t buf[TP_MSG_MAX];
	struct sockaddr_tipc addr = {
		.family = AF_TIPC,
		.addrtype = TIPC_SERVICE_RANGE,
		.scope = TIPC_CLUSTER_SCOPE,
		.addr.nameseq = { TP_TYPE, TP_INSTANCE, TP_INSTANCE },
	}, from;
	unsigned long n = 0;
	ssize_t len;

	if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("tipc_pingpong: bind");
	printf("tipc_pingpong: echoing on {%u,%u}\n", TP_TYPE, TP_INSTANCE);
	fflush(stdout);
	for (;;) {
		do
			len = recv_msg(buf, &from);
		while (len < 0);	/* idle between runs: keep waiting */
		if (len == TP_QUIT_LEN && !memcmp(buf, TP_QUIT, TP_QUIT_LEN))
			break;
		send_msg(buf, (size_t)len, &from);
		n++;
	}
	printf("tipc_pingpong: echoed %lu messages\n", n);
	return 0;
}

/* The first ping goes to the service name, retried until the name is known. */
static bool find_peer(struct sockaddr_tipc *peer)
{
	struct sockaddr_tipc name = {
		.family = AF_TIPC,
		.addrtype = TIPC_SERVICE_ADDR,
		.addr.name.name = { TP_TYPE, TP_INSTANCE },
	};
	double deadline = now_s() + TP_WAIT_S;
	uint8_t buf[16] = { 0 };

	while (sendto(sock, buf, sizeof(buf), 0, (struct sockaddr *)&name, sizeof(name)) < 0) {
		if (errno != EHOSTUNREACH && errno != ENOENT && errno != EAGAIN)
			die("tipc_pingpong: sendto the service name");
		if (now_s() > deadline) {
			fprintf(stderr, "tipc_pingpong: service {%u,%u} unknown after %d s\n",
				TP_TYPE, TP_INSTANCE, TP_WAIT_S);
			return false;
		}
		usleep(100000);
	}
	if (recv_msg(buf, peer) != sizeof(buf)) {
		fprintf(stderr, "tipc_pingpong: no answer from the echo side\n");
		return false;
	}
	return true;
}

static bool round_trips(const struct sockaddr_tipc *peer, uint32_t size, uint32_t count,
			uint32_t *seq)
{
	static uint8_t out[TP_MSG_MAX], in[TP_MSG_MAX];
	struct sockaddr_tipc from;
	uint32_t i, got;
	ssize_t n;

	for (i = 0; i < count; i++) {
		++*seq;
		if (size >= 4)
			memcpy(out, seq, 4);
		send_msg(out, size, peer);
		do {
			n = recv_msg(in, &from);
			if (n < 0) {
				fprintf(stderr, "tipc_pingpong: no echo of message %u within %d s\n",
					*seq, TP_TIMEOUT_S);
				return false;
			}
			got = *seq;
			if (size >= 4)
				memcpy(&got, in, 4);
		} while (n != (ssize_t)size || got != *seq);
	}
	return true;
}

static void usage(void)
{
	fprintf(stderr, "usage: tipc_pingpong -r [-M poll|block]\n"
			"       tipc_pingpong [-s MIN] [-S MAX] [-m MULT] [-n N] [-w N]"
			" [-M poll|block] [-q]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint32_t min = 16, max = 8192, mult = 2, iters = 1000, warmup = 10, seq = 0, size;
	struct sockaddr_tipc peer;
	bool echo_side = false, quit = false;
	int opt, ret = 0;

	while ((opt = getopt(argc, argv, "rs:S:m:n:w:M:q")) != -1) {
		switch (opt) {
		case 'r': echo_side = true; break;
		case 's': min = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'S': max = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'm': mult = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'n': iters = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'w': warmup = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'M':
			if (strcmp(optarg, "poll") && strcmp(optarg, "block"))
				usage();
			poll_mode = !strcmp(optarg, "poll");
			break;
		case 'q': quit = true; break;
		default: usage();
		}
	}
	if (optind != argc || !iters || mult < 2)
		usage();
	if (!min || max > TP_MSG_MAX || min > max) {
		fprintf(stderr, "tipc_pingpong: sizes must be 1..%d, MIN <= MAX"
			" (recvmsg skips 0-byte messages)\n", TP_MSG_MAX);
		return 2;
	}
	open_socket();
	if (echo_side)
		return echo();
	if (!find_peer(&peer))
		return 1;
	printf("test,mode,bytes,iterations,latency_us,MBps,MiBps\n");
	for (size = min; size <= max; size *= mult) {
		double t0, lat;

		if (!round_trips(&peer, size, warmup, &seq)) {
			ret = 1;
			break;
		}
		t0 = now_s();
		if (!round_trips(&peer, size, iters, &seq)) {
			ret = 1;
			break;
		}
		lat = (now_s() - t0) * 1e6 / iters / 2;
		printf("pingpong,%s,%u,%u,%.3f,%.3f,%.3f\n", poll_mode ? "poll" : "block", size,
		       iters, lat, size / lat, size / lat * 1e6 / 1048576.0);
		fflush(stdout);
	}
	if (quit)
		send_msg(TP_QUIT, TP_QUIT_LEN, &peer);
	return ret;
}
