// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_sec_test: what one local user can do to the others through
 * /dev/omx (tests/driver/security_local.sh runs it as root and as
 * nobody).  Each command prints one line of "key=value" words:
 *
 *   create N             PEER_LOOKUP with CREATE for N random unicast MACs
 *                        on a file without endpoint:
 *                        created=C eperm=P enospc=S other=O
 *   hold-max             open and map endpoints on every board until the
 *                        driver refuses one: held=N errno=NAME; then
 *                        stays until SIGTERM or stdin closes
 *   open BOARD           open one endpoint (any free index):
 *                        opened=EID or errno=NAME; exits at once
 *   ref MAC SECONDS      open an endpoint on board 0, PEER_LOOKUP MAC
 *                        with CREATE through it: peer=INDEX; then stays
 *                        SECONDS (the endpoint refers to the peer)
 *   flood TYPE BOARD DST_BOARD DST_EP SECONDS
 *                        from an endpoint of BOARD, send TYPE (connect or
 *                        tiny) frames to endpoint DST_EP of board
 *                        DST_BOARD as fast as possible: sent=N errors=E
 *
 * Exit status 0, or 2 when the device or an ioctl it needs fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "raw_ep.h"

static const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "unknown";
}

static int open_declared(void)
{
	__u32 v = OMX_ABI_VERSION;
	int fd = open(OMX_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "omx_sec_test: cannot open %s: %s\n", OMX_DEVICE_PATH,
			strerror(errno));
		exit(2);
	}
	if (ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v) < 0) {
		fprintf(stderr, "omx_sec_test: DECLARE_ABI_VERSION: %s\n", strerror(errno));
		exit(2);
	}
	return fd;
}

static int board_info(int fd, __u32 board, struct omx_board_info *info)
{
	memset(info, 0, sizeof(*info));
	info->board_index = board;
	return ioctl(fd, OMX_CMD_GET_BOARD_INFO, info) < 0 ? -errno : 0;
}

/* Open a free endpoint of @board on a new file: its fd, or -errno. */
static int open_endpoint(__u32 board, __u32 *eid)
{
	struct omx_board_info info;
	struct omx_endpoint_open req = { .board_index = board };
	int fd = open_declared(), err = ENODEV;
	__u32 e;

	if (board_info(fd, board, &info) == 0) {
		for (e = 0; e < info.endpoint_max; e++) {
			req.endpoint_index = e;
			if (ioctl(fd, OMX_CMD_OPEN_ENDPOINT, &req) == 0) {
				*eid = e;
				return fd;
			}
			err = errno;
			if (err != EBUSY)
				break;
		}
	}
	close(fd);
	return -err;
}

static unsigned long long rnd64(void)
{
	return ((unsigned long long)random() << 33) ^ ((unsigned long long)random() << 2) ^
		(unsigned long long)random();
}

static int cmd_create(unsigned int n)
{
	unsigned int created = 0, eperm = 0, enospc = 0, other = 0, i;
	struct omx_peer_lookup lk;
	int fd = open_declared();

	srandom(getpid() ^ time(NULL));
	for (i = 0; i < n; i++) {
		unsigned long long r = rnd64();

		memset(&lk, 0, sizeof(lk));
		lk.flags = OMX_PEER_LOOKUP_CREATE;
		memcpy(lk.mac, &r, 6);
		lk.mac[0] = (lk.mac[0] & 0xfe) | 0x02;	/* unicast, locally administered */
		if (ioctl(fd, OMX_CMD_PEER_LOOKUP, &lk) == 0)
			created++;
		else if (errno == EPERM)
			eperm++;
		else if (errno == ENOSPC)
			enospc++;
		else
			other++;
	}
	printf("created=%u eperm=%u enospc=%u other=%u\n", created, eperm, enospc, other);
	close(fd);
	return 0;
}

/* Until SIGTERM or EOF on stdin. */
static void stay(int seconds)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	char c;

	fflush(stdout);
	if (seconds >= 0) {
		sleep(seconds);
		return;
	}
	for (;;) {
		if (poll(&p, 1, -1) > 0 && read(0, &c, 1) <= 0)
			return;
	}
}

static int cmd_hold_max(void)
{
	struct omx_board_info info;
	int fd = open_declared(), efd, err = 0;
	unsigned int held = 0;
	__u32 board, count = 0, seen = 0, eid;
	void *map;

	if (ioctl(fd, OMX_CMD_GET_BOARD_COUNT, &count) < 0)
		return 2;
	for (board = 0; board < OMX_MAX_BOARDS && seen < count && !err; board++) {
		if (board_info(fd, board, &info))
			continue;
		seen++;
		for (;;) {
			efd = open_endpoint(board, &eid);
			if (efd < 0) {
				/* a full board is not the limit: try the next one */
				if (efd != -EBUSY)
					err = -efd;
				break;
			}
			map = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE,
				   MAP_SHARED, efd, 0);
			if (map == MAP_FAILED) {
				printf("mmap failed: %s\n", strerror(errno));
				return 2;
			}
			/* the control page is readable and zeroed */
			if (((volatile __u32 *)map)[0] != 0) {
				printf("mmap: control page not zeroed\n");
				return 2;
			}
			held++;
		}
	}
	printf("held=%u errno=%s\n", held, err ? errname(err) : "EBUSY");
	stay(-1);
	return 0;
}

static int cmd_open(__u32 board)
{
	__u32 eid;
	int fd = open_endpoint(board, &eid);

	if (fd < 0)
		printf("errno=%s\n", errname(-fd));
	else
		printf("opened=%u\n", eid);
	return 0;
}

static int cmd_ref(const char *macs, int seconds)
{
	struct omx_peer_lookup lk = { .flags = OMX_PEER_LOOKUP_CREATE };
	__u32 eid;
	int fd = open_endpoint(0, &eid);

	if (fd < 0 || parse_mac(macs, lk.mac)) {
		printf("errno=%s\n", fd < 0 ? errname(-fd) : "bad MAC");
		return 2;
	}
	if (ioctl(fd, OMX_CMD_PEER_LOOKUP, &lk) < 0) {
		printf("errno=%s\n", errname(errno));
		return 2;
	}
	printf("peer=%u\n", lk.peer_index);
	stay(seconds);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_flood(const char *type, __u32 board, __u32 dst_board, __u32 dst_ep, int seconds)
{
	struct omx_peer_lookup lk = { .flags = OMX_PEER_LOOKUP_CREATE };
	struct omx_board_info dst;
	unsigned long sent = 0, errors = 0;
	int connect = !strcmp(type, "connect");
	double end;
	__u32 eid;
	int fd = open_endpoint(board, &eid);

	if (fd < 0) {
		printf("errno=%s\n", errname(-fd));
		return 2;
	}
	if (board_info(fd, dst_board, &dst)) {
		printf("no board %u\n", dst_board);
		return 2;
	}
	/* a board of this host: any user may look it up with CREATE */
	memcpy(lk.mac, dst.mac, 6);
	if (ioctl(fd, OMX_CMD_PEER_LOOKUP, &lk) < 0) {
		printf("PEER_LOOKUP: %s\n", errname(errno));
		return 2;
	}
	end = now_s() + seconds;
	while (now_s() < end) {
		int i, r;

		for (i = 0; i < 64; i++) {
			if (connect) {
				struct omx_cmd_send_connect c = {
					.peer_index = (__u16)lk.peer_index,
					.dst_endpoint = (__u8)dst_ep,
					.src_session_id = 1,
					.app_key = 0x4f4d58,
					.connect_seqnum = (__u8)sent,
				};

				r = ioctl(fd, OMX_CMD_SEND_CONNECT, &c);
			} else {
				struct omx_cmd_send_msg m = {
					.peer_index = (__u16)lk.peer_index,
					.dst_endpoint = (__u8)dst_ep,
					.session = 1,
					.seqnum = (__u16)sent,
				};

				r = ioctl(fd, OMX_CMD_SEND_TINY, &m);
			}
			if (r < 0)
				errors++;
			else
				sent++;
		}
	}
	printf("sent=%lu errors=%lu\n", sent, errors);
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGTERM, SIG_DFL);
	if (argc == 3 && !strcmp(argv[1], "create"))
		return cmd_create((unsigned int)strtoul(argv[2], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "hold-max"))
		return cmd_hold_max();
	if (argc == 3 && !strcmp(argv[1], "open"))
		return cmd_open((__u32)strtoul(argv[2], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "ref"))
		return cmd_ref(argv[2], atoi(argv[3]));
	if (argc == 7 && !strcmp(argv[1], "flood"))
		return cmd_flood(argv[2], (__u32)strtoul(argv[3], NULL, 0),
				 (__u32)strtoul(argv[4], NULL, 0),
				 (__u32)strtoul(argv[5], NULL, 0), atoi(argv[6]));
	fprintf(stderr, "usage: omx_sec_test create N | hold-max | open BOARD | ref MAC SECONDS |\n"
		"       flood connect|tiny BOARD DST_BOARD DST_EP SECONDS\n");
	return 2;
}
