// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_send_frame: send one raw Ethernet frame, given in hex, on an
 * interface (AF_PACKET, needs CAP_NET_RAW).  Tests use it to feed omx
 * frames it would never build itself: malformed, forged or unsupported.
 *
 *   omx_send_frame [-n COUNT] [-R] IFNAME HEX...
 *
 * The HEX arguments are concatenated and form the whole frame from the
 * destination MAC on, without FCS; spaces, ':', '.' and '-' between
 * digit pairs are ignored.  Frames shorter than 60 bytes are padded with
 * zeros, as every Ethernet sender does.  Prints "sent N bytes on IFNAME".
 * With -R every copy gets a different, random, locally administered
 * unicast source MAC: a flood from hosts nobody knows.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_MIN	60
#define FRAME_MAX	9216

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_send_frame [-n COUNT] [-R] IFNAME HEX...\n"
		"Send the Ethernet frame HEX (destination MAC first, no FCS) on IFNAME.\n"
		"Separators ' ', ':', '.' and '-' are ignored; short frames are padded to 60 bytes.\n"
		"  -n, --count COUNT  send it COUNT times (default 1)\n"
		"  -R, --random-src   a new random unicast source MAC for each copy\n"
		"  -h, --help         show this help\n");
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends the bytes of @hex to @frame at *@len; -1 on bad input. */
static int parse_hex(const char *hex, unsigned char *frame, size_t *len)
{
	int hi = -1, v;

	for (; *hex; hex++) {
		if (strchr(" \t\n:.-", *hex)) {
			if (hi >= 0)
				return -1;	/* a lone digit before a separator */
			continue;
		}
		v = hexval((unsigned char)*hex);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (*len >= FRAME_MAX)
			return -1;
		frame[(*len)++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "random-src", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static unsigned char frame[FRAME_MAX];
	struct sockaddr_ll addr;
	unsigned long count = 1, i;
	unsigned int ifindex;
	size_t len = 0;
	const char *ifname;
	char *end;
	int fd, c, random_src = 0;

	while ((c = getopt_long(argc, argv, "n:Rh", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			count = strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end || count == 0) {
				fprintf(stderr, "omx_send_frame: invalid count \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'R':
			random_src = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	ifname = argv[optind++];
	for (; optind < argc; optind++) {
		if (parse_hex(argv[optind], frame, &len)) {
			fprintf(stderr, "omx_send_frame: bad hex \"%s\" (or frame over %d bytes)\n",
				argv[optind], FRAME_MAX);
			return 2;
		}
	}
	if (len < 14) {
		fprintf(stderr, "omx_send_frame: a frame needs at least 14 bytes (MACs and ethertype), got %zu\n",
			len);
		return 2;
	}
	if (len < FRAME_MIN)
		len = FRAME_MIN;	/* frame[] is zeroed */

	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		fprintf(stderr, "omx_send_frame: no interface %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	/* protocol 0: this socket sends only, it receives nothing */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		fprintf(stderr, "omx_send_frame: AF_PACKET socket: %s (needs CAP_NET_RAW)\n",
			strerror(errno));
		return 1;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sll_family = AF_PACKET;
	addr.sll_ifindex = (int)ifindex;
	addr.sll_halen = 6;
	memcpy(addr.sll_addr, frame, 6);

	srandom((unsigned int)getpid());
	for (i = 0; i < count; i++) {
		if (random_src) {
			for (c = 6; c < 12; c++)
				frame[c] = (unsigned char)random();
			/* unicast, locally administered */
			frame[6] = (unsigned char)((frame[6] & 0xfc) | 0x02);
		}
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&addr, sizeof(addr)) != (ssize_t)len) {
			fprintf(stderr, "omx_send_frame: sending on %s: %s\n", ifname, strerror(errno));
			close(fd);
			return 1;
		}
	}
	close(fd);
	printf("sent %zu bytes on %s%s%s\n", len, ifname, count > 1 ? " (repeated)" : "",
	       random_src ? " from random sources" : "");
	return 0;
}
