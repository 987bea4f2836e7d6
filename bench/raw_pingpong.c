// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw_pingpong: the latency floor of a link, raw Ethernet frames bounced
 * between two AF_PACKET sockets, each bound to one interface.
 *
 *   raw_pingpong -i IFACE -r [-M poll|block]          echo until told to stop
 *   raw_pingpong -i IFACE -d MAC [-s MIN] [-S MAX] [-m MULT] [-n N] [-w N]
 *                [-M poll|block] [-q]
 *
 * The client prints CSV rows in omx_perf's columns
 * (test,mode,bytes,iterations,latency_us,MBps,MiBps); latency is half the
 * mean round trip, bytes the frame payload (one frame, so at most the MTU).
 * poll busy-loops on recv(MSG_DONTWAIT); block sleeps in recv().
 * -q (client) tells the echo side to exit at the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* IEEE "local experimental" ethertype: nobody else on the link answers it */
#define RAW_ETHERTYPE	0x88b5
#define RAW_QUIT	0xffffffffU
#define RAW_TIMEOUT_S	5
#define RAW_FRAME_MAX	65536

static int sock = -1, ifindex;
static bool poll_mode = true;
static uint8_t own_mac[ETH_ALEN];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	fprintf(stderr, "raw_pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void open_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(RAW_ETHERTYPE) };
	struct timeval tv = { .tv_sec = RAW_TIMEOUT_S };
	struct ifreq ifr;

	sock = socket(AF_PACKET, SOCK_RAW, htons(RAW_ETHERTYPE));
	if (sock < 0)
		die("socket(AF_PACKET) (needs CAP_NET_RAW)");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0)
		die(ifname);
	ifindex = ifr.ifr_ifindex;
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(own_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	sll.sll_ifindex = ifindex;
	/* bound to one interface: frames of the other end never show up here */
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind");
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("SO_RCVTIMEO");
}

/* Next incoming frame (our own transmissions skipped); length or -1 on timeout. */
static ssize_t recv_frame(uint8_t *buf)
{
	double deadline = now_us() + RAW_TIMEOUT_S * 1e6;
	struct sockaddr_ll from;
	socklen_t fl;
	ssize_t n;

	for (;;) {
		fl = sizeof(from);
		n = recvfrom(sock, buf, RAW_FRAME_MAX, poll_mode ? MSG_DONTWAIT : 0,
			     (struct sockaddr *)&from, &fl);
		if (n >= 0 && from.sll_pkttype != PACKET_OUTGOING)
			return n;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			die("recv");
		if (n < 0 && !poll_mode)
			return -1;	/* SO_RCVTIMEO expired */
		if (poll_mode && now_us() > deadline)
			return -1;
	}
}

static void send_frame(const uint8_t *buf, size_t len)
{
	if (send(sock, buf, len, 0) != (ssize_t)len)
		die("send");
}

static int echo(void)
{
	static uint8_t buf[RAW_FRAME_MAX];
	unsigned long n = 0;
	uint32_t seq;

	printf("raw_pingpong: echoing on ifindex %d\n", ifindex);
	fflush(stdout);
	for (;;) {
		ssize_t len = recv_frame(buf);

		if (len < 0)
			continue;	/* idle */
		if (len < ETH_HLEN + 4)
			continue;
		memcpy(&seq, buf + ETH_HLEN, 4);
		if (seq == RAW_QUIT)
			break;
		memcpy(buf, buf + ETH_ALEN, ETH_ALEN);
		memcpy(buf + ETH_ALEN, own_mac, ETH_ALEN);
		send_frame(buf, (size_t)len);
		n++;
	}
	printf("raw_pingpong: echoed %lu frames\n", n);
	return 0;
}

static bool round_trips(const uint8_t *dest, uint32_t size, uint32_t count, uint32_t *seq)
{
	static uint8_t out[RAW_FRAME_MAX], in[RAW_FRAME_MAX];
	size_t len = ETH_HLEN + size;
	uint32_t i, got;

	memcpy(out, dest, ETH_ALEN);
	memcpy(out + ETH_ALEN, own_mac, ETH_ALEN);
	out[12] = RAW_ETHERTYPE >> 8;
	out[13] = RAW_ETHERTYPE & 0xff;
	for (i = 0; i < count; i++) {
		ssize_t n;

		++*seq;
		memcpy(out + ETH_HLEN, seq, 4);
		send_frame(out, len);
		do {
			n = recv_frame(in);
			if (n < 0) {
				fprintf(stderr, "raw_pingpong: no echo of frame %u within %d s\n",
					*seq, RAW_TIMEOUT_S);
				return false;
			}
			memcpy(&got, in + ETH_HLEN, 4);
		} while (n != (ssize_t)len || got != *seq);
	}
	return true;
}

static void usage(void)
{
	fprintf(stderr, "usage: raw_pingpong -i IFACE -r [-M poll|block]\n"
			"       raw_pingpong -i IFACE -d MAC [-s MIN] [-S MAX] [-m MULT] [-n N] [-w N]\n"
			"                    [-M poll|block] [-q]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *dest = NULL;
	uint32_t min = 16, max = 8192, mult = 2, iters = 1000, warmup = 10, seq = 0, size;
	unsigned int m[6];
	uint8_t mac[ETH_ALEN];
	bool respond = false, quit = false;
	struct ifreq ifr;
	int opt, i, mtu;

	while ((opt = getopt(argc, argv, "i:rd:s:S:m:n:w:M:q")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'r': respond = true; break;
		case 'd': dest = optarg; break;
		case 's': min = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'S': max = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'm': mult = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'n': iters = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'w': warmup = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'q': quit = true; break;
		case 'M':
			if (strcmp(optarg, "poll") && strcmp(optarg, "block"))
				usage();
			poll_mode = !strcmp(optarg, "poll");
			break;
		default: usage();
		}
	}
	if (!ifname || respond == !!dest || mult < 2 || !iters)
		usage();
	open_socket(ifname);
	if (respond)
		return echo();
	if (sscanf(dest, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		usage();
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = (uint8_t)m[i];
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFMTU, &ifr) < 0)
		die("SIOCGIFMTU");
	mtu = ifr.ifr_mtu;
	if (min < 4 || max > (uint32_t)mtu) {
		fprintf(stderr, "raw_pingpong: sizes must be 4..%d (the MTU of %s: one frame)\n",
			mtu, ifname);
		return 2;
	}
	printf("test,mode,bytes,iterations,latency_us,MBps,MiBps\n");
	for (size = min; size <= max; size *= mult) {
		double t0, lat;

		if (!round_trips(mac, size, warmup, &seq))
			return 1;
		t0 = now_us();
		if (!round_trips(mac, size, iters, &seq))
			return 1;
		lat = (now_us() - t0) / iters / 2;
		printf("pingpong,%s,%u,%u,%.3f,%.3f,%.3f\n", poll_mode ? "poll" : "block", size,
		       iters, lat, size / lat, size / lat * 1e6 / 1048576.0);
		fflush(stdout);
	}
	if (quit) {
		static uint8_t out[ETH_ZLEN];

		memcpy(out, mac, ETH_ALEN);
		memcpy(out + ETH_ALEN, own_mac, ETH_ALEN);
		out[12] = RAW_ETHERTYPE >> 8;
		out[13] = RAW_ETHERTYPE & 0xff;
		seq = RAW_QUIT;
		memcpy(out + ETH_HLEN, &seq, 4);
		send_frame(out, sizeof(out));
	}
	return 0;
}
