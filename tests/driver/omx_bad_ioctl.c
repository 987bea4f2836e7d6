// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_bad_ioctl: feed the driver invalid ioctls and check each errno.
 *
 * Prints one line per check: "ok <what>", "FAIL <what>: expected X, got Y"
 * or "skip <what>: <why>", then a summary.  Exits 1 on any FAIL, 2 if
 * /dev/omx cannot be opened.  Checks that need a board use the first
 * attached one; with CAP_NET_ADMIN missing, CLEAR_COUNTERS and
 * DISCOVER_PEERS must be EPERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "omx_abi.h"

static int checks, failures;

static const char *errname(int err)
{
	static char buf[32];
	const char *name = err ? strerrorname_np(err) : "success";

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* 0 or the errno of ioctl(): one value, so no argument-order surprise */
static int ioctl_err(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

/* @got: 0 or an errno; @expected: 0 for success */
static int check(const char *what, int got, int expected)
{
	checks++;
	if (got == expected) {
		printf("ok %s\n", what);
		return 0;
	}
	failures++;
	printf("FAIL %s: expected %s, ", what, errname(expected));
	printf("got %s\n", errname(got));
	return -1;
}

#define CHECK(what, fd, cmd, arg, expected) \
	check(what, ioctl_err(fd, cmd, arg), expected)

static void check_true(const char *what, int cond)
{
	checks++;
	if (cond) {
		printf("ok %s\n", what);
	} else {
		failures++;
		printf("FAIL %s\n", what);
	}
}

static void skip(const char *what, const char *why)
{
	printf("skip %s: %s\n", what, why);
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "omx_bad_ioctl: cannot open %s: %s (is the omx module loaded?)\n",
			path, strerror(errno));
		exit(2);
	}
	return fd;
}

static int open_declared(const char *path)
{
	__u32 v = OMX_ABI_VERSION;
	int fd = open_dev(path);

	if (ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v) < 0) {
		fprintf(stderr, "omx_bad_ioctl: declaring ABI 0x%x failed: %s\n",
			v, strerror(errno));
		exit(2);
	}
	return fd;
}

/* 0 or the errno of OPEN_ENDPOINT */
static int open_endpoint(int fd, __u32 board, __u32 index, __u32 flags,
			 __u32 pad)
{
	struct omx_endpoint_open req = {
		.board_index = board,
		.endpoint_index = index,
		.flags = flags,
		.pad = pad,
	};

	return ioctl_err(fd, OMX_CMD_OPEN_ENDPOINT, &req);
}

static void check_undeclared(void *badptr)
{
	struct omx_board_info info = { .board_index = 0 };
	struct omx_peer_table_info table;
	struct omx_peer_info peer = { .peer_index = 0 };
	int fd = open_dev(OMX_DEVICE_PATH);
	__u32 v = 0, count;

	CHECK("GET_ABI_VERSION before declaring", fd, OMX_CMD_GET_ABI_VERSION, &v, 0);
	check_true("GET_ABI_VERSION returns OMX_ABI_VERSION", v == OMX_ABI_VERSION);
	CHECK("GET_ABI_VERSION NULL", fd, OMX_CMD_GET_ABI_VERSION, NULL, EFAULT);
	CHECK("GET_ABI_VERSION unmapped pointer", fd, OMX_CMD_GET_ABI_VERSION, badptr, EFAULT);
	CHECK("GET_BOARD_COUNT before declaring", fd, OMX_CMD_GET_BOARD_COUNT, &count, EPROTO);
	CHECK("GET_BOARD_INFO before declaring", fd, OMX_CMD_GET_BOARD_INFO, &info, EPROTO);
	CHECK("GET_PEER_COUNT before declaring", fd, OMX_CMD_GET_PEER_COUNT, &table, EPROTO);
	CHECK("GET_PEER_INFO before declaring", fd, OMX_CMD_GET_PEER_INFO, &peer, EPROTO);
	CHECK("DISCOVER_PEERS before declaring", fd, OMX_CMD_DISCOVER_PEERS, &v, EPROTO);
	check("OPEN_ENDPOINT before declaring", open_endpoint(fd, 0, 0, 0, 0), EPROTO);
	CHECK("unknown command before declaring", fd, _IO(OMX_IOC_MAGIC, 0x7f), NULL, ENOTTY);
	CHECK("foreign command (TCGETS)", fd, TCGETS, badptr, ENOTTY);
	CHECK("DECLARE_ABI_VERSION NULL", fd, OMX_CMD_DECLARE_ABI_VERSION, NULL, EFAULT);
	CHECK("GET_BOARD_COUNT after failed declaration", fd, OMX_CMD_GET_BOARD_COUNT, &count, EPROTO);
	close(fd);

	fd = open_dev(OMX_DEVICE_PATH);
	v = OMX_ABI_VERSION + 1;
	CHECK("DECLARE_ABI_VERSION wrong version", fd, OMX_CMD_DECLARE_ABI_VERSION, &v, EPROTO);
	CHECK("GET_BOARD_COUNT after mismatch", fd, OMX_CMD_GET_BOARD_COUNT, &count, EPROTO);
	check("OPEN_ENDPOINT after mismatch", open_endpoint(fd, 0, 0, 0, 0), EPROTO);
	CHECK("GET_ABI_VERSION after mismatch", fd, OMX_CMD_GET_ABI_VERSION, &v, 0);
	close(fd);
}

/* First attached board, or -1; sets *empty to a free slot, or -1. */
static int find_boards(int fd, struct omx_board_info *first, int *empty)
{
	struct omx_board_info info;
	__u32 board, count, found = 0;
	int first_board = -1;

	*empty = -1;
	for (board = 0; board < OMX_MAX_BOARDS; board++) {
		memset(&info, 0, sizeof(info));
		info.board_index = board;
		if (ioctl(fd, OMX_CMD_GET_BOARD_INFO, &info) == 0) {
			found++;
			if (first_board < 0) {
				first_board = (int)board;
				*first = info;
			}
		} else if (errno == ENODEV && *empty < 0) {
			*empty = (int)board;
		}
	}
	if (ioctl(fd, OMX_CMD_GET_BOARD_COUNT, &count) == 0)
		check_true("GET_BOARD_COUNT matches the boards found", count == found);
	return first_board;
}

static void check_boards(int fd, void *badptr, int empty)
{
	struct omx_board_counters counters;
	struct omx_board_info info;
	int root = geteuid() == 0;
	__u32 board;

	CHECK("unknown command", fd, _IO(OMX_IOC_MAGIC, 0x7f), NULL, ENOTTY);
	CHECK("GET_BOARD_INFO number with a wrong size", fd,
	      _IOWR(OMX_IOC_MAGIC, 0x03, __u32), &board, ENOTTY);
	CHECK("GET_BOARD_COUNT NULL", fd, OMX_CMD_GET_BOARD_COUNT, NULL, EFAULT);
	CHECK("GET_BOARD_COUNT unmapped pointer", fd, OMX_CMD_GET_BOARD_COUNT, badptr, EFAULT);
	CHECK("GET_BOARD_INFO NULL", fd, OMX_CMD_GET_BOARD_INFO, NULL, EFAULT);
	CHECK("GET_BOARD_INFO unmapped pointer", fd, OMX_CMD_GET_BOARD_INFO, badptr, EFAULT);
	CHECK("GET_COUNTERS NULL", fd, OMX_CMD_GET_COUNTERS, NULL, EFAULT);

	memset(&info, 0, sizeof(info));
	info.board_index = OMX_MAX_BOARDS;
	CHECK("GET_BOARD_INFO board OMX_MAX_BOARDS", fd, OMX_CMD_GET_BOARD_INFO, &info, EINVAL);
	info.board_index = 0xffffffffU;
	CHECK("GET_BOARD_INFO board 0xffffffff", fd, OMX_CMD_GET_BOARD_INFO, &info, EINVAL);

	memset(&counters, 0, sizeof(counters));
	counters.board_index = OMX_MAX_BOARDS;
	CHECK("GET_COUNTERS board OMX_MAX_BOARDS", fd, OMX_CMD_GET_COUNTERS, &counters, EINVAL);
	counters.board_index = 0;
	counters.flags = 1;
	CHECK("GET_COUNTERS non-zero flags", fd, OMX_CMD_GET_COUNTERS, &counters, EINVAL);

	board = OMX_MAX_BOARDS;
	if (root) {
		CHECK("CLEAR_COUNTERS NULL", fd, OMX_CMD_CLEAR_COUNTERS, NULL, EFAULT);
		CHECK("CLEAR_COUNTERS board OMX_MAX_BOARDS", fd, OMX_CMD_CLEAR_COUNTERS, &board, EINVAL);
	} else {
		CHECK("CLEAR_COUNTERS without privilege", fd, OMX_CMD_CLEAR_COUNTERS, &board, EPERM);
	}

	if (empty < 0) {
		skip("board queries on an empty slot", "all board slots are attached");
		return;
	}
	info.board_index = (__u32)empty;
	CHECK("GET_BOARD_INFO empty slot", fd, OMX_CMD_GET_BOARD_INFO, &info, ENODEV);
	counters.board_index = (__u32)empty;
	counters.flags = 0;
	CHECK("GET_COUNTERS empty slot", fd, OMX_CMD_GET_COUNTERS, &counters, ENODEV);
	board = (__u32)empty;
	if (root)
		CHECK("CLEAR_COUNTERS empty slot", fd, OMX_CMD_CLEAR_COUNTERS, &board, ENODEV);
	check("OPEN_ENDPOINT empty board slot", open_endpoint(fd, (__u32)empty, 0, 0, 0), ENODEV);
}

/* A free endpoint index on @board, from the top, or -1 */
static int find_free_endpoint(const struct omx_board_info *board)
{
	__u32 i;
	int fd;

	for (i = board->endpoint_max; i-- > 0;) {
		fd = open_declared(OMX_DEVICE_PATH);
		if (!open_endpoint(fd, board->board_index, i, 0, 0)) {
			close(fd);
			return (int)i;
		}
		close(fd);
	}
	return -1;
}

/* Consumes @fd: the endpoint bound to it must be freed by close(). */
static void check_endpoints(int fd, void *badptr, const struct omx_board_info *board)
{
	struct omx_endpoint_info epinfo;
	__u32 b = board->board_index;
	int other, index;

	CHECK("GET_ENDPOINT_INFO without endpoint", fd, OMX_CMD_GET_ENDPOINT_INFO, &epinfo, ENOTCONN);
	CHECK("OPEN_ENDPOINT NULL", fd, OMX_CMD_OPEN_ENDPOINT, NULL, EFAULT);
	CHECK("OPEN_ENDPOINT unmapped pointer", fd, OMX_CMD_OPEN_ENDPOINT, badptr, EFAULT);
	check("OPEN_ENDPOINT board OMX_MAX_BOARDS", open_endpoint(fd, OMX_MAX_BOARDS, 0, 0, 0), EINVAL);
	check("OPEN_ENDPOINT endpoint endpoint_max",
	      open_endpoint(fd, b, board->endpoint_max, 0, 0), EINVAL);
	check("OPEN_ENDPOINT endpoint 0xffffffff", open_endpoint(fd, b, 0xffffffffU, 0, 0), EINVAL);
	check("OPEN_ENDPOINT unknown flags", open_endpoint(fd, b, 0, 2, 0), EINVAL);
	check("OPEN_ENDPOINT non-zero pad", open_endpoint(fd, b, 0, 0, 1), EINVAL);

	index = find_free_endpoint(board);
	if (index < 0) {
		skip("endpoint binding checks", "every endpoint of the board is open");
		close(fd);
		return;
	}
	if (check("OPEN_ENDPOINT free endpoint", open_endpoint(fd, b, (__u32)index, 0, 0), 0)) {
		close(fd);
		return;
	}

	check("OPEN_ENDPOINT twice on one fd (same index)",
	      open_endpoint(fd, b, (__u32)index, 0, 0), EISCONN);
	check("OPEN_ENDPOINT twice on one fd (other index)",
	      open_endpoint(fd, b, index ? 0 : 1, 0, 0), EISCONN);

	other = open_declared(OMX_DEVICE_PATH);
	check("OPEN_ENDPOINT endpoint in use", open_endpoint(other, b, (__u32)index, 0, 0), EBUSY);
	close(other);

	memset(&epinfo, 0xff, sizeof(epinfo));
	CHECK("GET_ENDPOINT_INFO", fd, OMX_CMD_GET_ENDPOINT_INFO, &epinfo, 0);
	check_true("GET_ENDPOINT_INFO fields",
		   epinfo.board_index == b && epinfo.endpoint_index == (__u32)index &&
		   epinfo.owner_pid == getpid() && epinfo.pad == 0);
	CHECK("GET_ENDPOINT_INFO NULL", fd, OMX_CMD_GET_ENDPOINT_INFO, NULL, EFAULT);

	/* closing the first fd must free the endpoint for someone else */
	close(fd);
	other = open_declared(OMX_DEVICE_PATH);
	check("OPEN_ENDPOINT after the owner closed it",
	      open_endpoint(other, b, (__u32)index, 0, 0), 0);
	close(other);
}

static void check_raw(void)
{
	struct omx_peer_table_info table;
	struct omx_endpoint_info epinfo;
	__u32 v = 0, count;
	int fd = open_dev(OMX_RAW_DEVICE_PATH);

	CHECK("raw: GET_ABI_VERSION", fd, OMX_CMD_GET_ABI_VERSION, &v, 0);
	CHECK("raw: GET_BOARD_COUNT before declaring", fd, OMX_CMD_GET_BOARD_COUNT, &count, EPROTO);
	v = OMX_ABI_VERSION;
	CHECK("raw: DECLARE_ABI_VERSION", fd, OMX_CMD_DECLARE_ABI_VERSION, &v, 0);
	CHECK("raw: GET_BOARD_COUNT", fd, OMX_CMD_GET_BOARD_COUNT, &count, 0);
	CHECK("raw: GET_PEER_COUNT", fd, OMX_CMD_GET_PEER_COUNT, &table, 0);
	check("raw: OPEN_ENDPOINT", open_endpoint(fd, 0, 0, 0, 0), ENOTTY);
	CHECK("raw: GET_ENDPOINT_INFO", fd, OMX_CMD_GET_ENDPOINT_INFO, &epinfo, ENOTTY);
	/* messaging needs an endpoint, which raw fds cannot have */
	CHECK("raw: WAIT_EVENT", fd, OMX_CMD_WAIT_EVENT, &epinfo, ENOTTY);
	CHECK("raw: WAKEUP", fd, OMX_CMD_WAKEUP, NULL, ENOTTY);
	CHECK("raw: SEND_CONNECT", fd, OMX_CMD_SEND_CONNECT, &epinfo, ENOTTY);
	CHECK("raw: SEND_TINY", fd, OMX_CMD_SEND_TINY, &epinfo, ENOTTY);
	CHECK("raw: SEND_SMALL", fd, OMX_CMD_SEND_SMALL, &epinfo, ENOTTY);
	CHECK("raw: SEND_MEDIUM_FRAG", fd, OMX_CMD_SEND_MEDIUM_FRAG, &epinfo, ENOTTY);
	CHECK("raw: SEND_LIBACK", fd, OMX_CMD_SEND_LIBACK, &epinfo, ENOTTY);
	CHECK("raw: SEND_NACK_LIB", fd, OMX_CMD_SEND_NACK_LIB, &epinfo, ENOTTY);
	close(fd);
}

/* A free peer index below @max, or -1 if the table is full */
static int find_free_peer(int fd, __u32 max)
{
	struct omx_peer_info peer;
	__u32 i;

	for (i = 0; i < max; i++) {
		memset(&peer, 0, sizeof(peer));
		peer.peer_index = i;
		if (ioctl(fd, OMX_CMD_GET_PEER_INFO, &peer) < 0 && errno == ENOENT)
			return (int)i;
	}
	return -1;
}

/* The first peer in the table, or -1 if it is empty */
static int find_peer(int fd, __u32 max, struct omx_peer_info *peer)
{
	__u32 i;

	for (i = 0; i < max; i++) {
		memset(peer, 0, sizeof(*peer));
		peer->peer_index = i;
		if (ioctl(fd, OMX_CMD_GET_PEER_INFO, peer) == 0)
			return (int)i;
	}
	return -1;
}

static void check_peers(int fd, void *badptr, const struct omx_board_info *board, int empty)
{
	struct omx_peer_table_info table;
	struct omx_peer_info peer;
	int root = geteuid() == 0;
	int index;
	__u32 b;

	CHECK("GET_PEER_COUNT NULL", fd, OMX_CMD_GET_PEER_COUNT, NULL, EFAULT);
	CHECK("GET_PEER_COUNT unmapped pointer", fd, OMX_CMD_GET_PEER_COUNT, badptr, EFAULT);
	CHECK("GET_PEER_COUNT number with a wrong size", fd,
	      _IOR(OMX_IOC_MAGIC, 0x20, __u32), &b, ENOTTY);
	memset(&table, 0xff, sizeof(table));
	if (CHECK("GET_PEER_COUNT", fd, OMX_CMD_GET_PEER_COUNT, &table, 0))
		return;
	check_true("GET_PEER_COUNT fields", table.max >= 1 && table.max <= OMX_PEERS_LIMIT &&
		   table.count <= table.max);

	CHECK("GET_PEER_INFO NULL", fd, OMX_CMD_GET_PEER_INFO, NULL, EFAULT);
	CHECK("GET_PEER_INFO unmapped pointer", fd, OMX_CMD_GET_PEER_INFO, badptr, EFAULT);
	memset(&peer, 0, sizeof(peer));
	peer.peer_index = table.max;
	CHECK("GET_PEER_INFO index = table size", fd, OMX_CMD_GET_PEER_INFO, &peer, EINVAL);
	peer.peer_index = 0xffffffffU;
	CHECK("GET_PEER_INFO index 0xffffffff", fd, OMX_CMD_GET_PEER_INFO, &peer, EINVAL);

	index = find_free_peer(fd, table.max);
	if (index < 0) {
		skip("GET_PEER_INFO free index", "the peer table is full");
	} else {
		peer.peer_index = (__u32)index;
		CHECK("GET_PEER_INFO free index", fd, OMX_CMD_GET_PEER_INFO, &peer, ENOENT);
	}
	index = find_peer(fd, table.max, &peer);
	if (index < 0) {
		skip("GET_PEER_INFO fields", "no peer in the table");
	} else {
		check_true("GET_PEER_INFO fields",
			   peer.peer_index == (__u32)index && peer.board_index < OMX_MAX_BOARDS &&
			   peer.pad[0] == 0 && peer.pad[1] == 0 &&
			   memchr(peer.hostname, 0, sizeof(peer.hostname)) &&
			   !(peer.flags & ~OMX_PEER_FLAG_HOSTNAME) &&
			   !!(peer.flags & OMX_PEER_FLAG_HOSTNAME) == !!peer.hostname[0] &&
			   (peer.reverse_index < OMX_PEERS_LIMIT ||
			    peer.reverse_index == OMX_PEER_INDEX_NONE));
	}

	if (!root) {
		b = board ? board->board_index : 0;
		CHECK("DISCOVER_PEERS without privilege", fd, OMX_CMD_DISCOVER_PEERS, &b, EPERM);
		return;
	}
	CHECK("DISCOVER_PEERS NULL", fd, OMX_CMD_DISCOVER_PEERS, NULL, EFAULT);
	CHECK("DISCOVER_PEERS unmapped pointer", fd, OMX_CMD_DISCOVER_PEERS, badptr, EFAULT);
	b = OMX_MAX_BOARDS;
	CHECK("DISCOVER_PEERS board OMX_MAX_BOARDS", fd, OMX_CMD_DISCOVER_PEERS, &b, EINVAL);
	b = 0xffffffffU;
	CHECK("DISCOVER_PEERS board 0xffffffff", fd, OMX_CMD_DISCOVER_PEERS, &b, EINVAL);
	if (empty < 0) {
		skip("DISCOVER_PEERS empty slot", "all board slots are attached");
	} else {
		b = (__u32)empty;
		CHECK("DISCOVER_PEERS empty slot", fd, OMX_CMD_DISCOVER_PEERS, &b, ENODEV);
	}
	if (!board) {
		skip("DISCOVER_PEERS on a board", "no board attached");
		return;
	}
	b = board->board_index;
	if ((board->status & OMX_BOARD_STATUS_UP) && (board->status & OMX_BOARD_STATUS_RUNNING))
		CHECK("DISCOVER_PEERS on a running board", fd, OMX_CMD_DISCOVER_PEERS, &b, 0);
	else
		CHECK("DISCOVER_PEERS on a board without link", fd, OMX_CMD_DISCOVER_PEERS, &b,
		      ENETDOWN);
}

/* SET_HOSTNAME, GET_ENDPOINT_SLOT, SET_PEERS, CLEAR_PEERS: refusals only */
static void check_admin(int fd, void *badptr, const struct omx_board_info *board, int empty)
{
	struct omx_peer_entry entries[2];
	struct omx_board_hostname name;
	struct omx_endpoint_slot slot;
	struct omx_cmd_set_peers set;
	struct omx_peer_table_info table;
	int root = geteuid() == 0;
	__u32 b0 = board ? board->board_index : 0, b;

	memset(&name, 0, sizeof(name));
	name.board_index = b0;
	strcpy(name.hostname, "bad-ioctl:0");
	memset(entries, 0, sizeof(entries));
	entries[0].mac[0] = 0x02;
	entries[0].mac[5] = 0x77;
	entries[0].board_index = b0;
	strcpy(entries[0].hostname, "bad-ioctl:0");
	entries[1] = entries[0];
	entries[1].mac[5] = 0x78;
	strcpy(entries[1].hostname, "bad-ioctl:1");
	memset(&set, 0, sizeof(set));
	set.nr_peers = 2;
	set.peers = (__u64)(unsigned long)entries;

	CHECK("GET_ENDPOINT_SLOT NULL", fd, OMX_CMD_GET_ENDPOINT_SLOT, NULL, EFAULT);
	memset(&slot, 0, sizeof(slot));
	slot.board_index = OMX_MAX_BOARDS;
	CHECK("GET_ENDPOINT_SLOT board OMX_MAX_BOARDS", fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot, EINVAL);
	if (empty >= 0) {
		slot.board_index = (__u32)empty;
		CHECK("GET_ENDPOINT_SLOT empty board slot", fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot,
		      ENODEV);
	}
	if (board) {
		slot.board_index = b0;
		slot.endpoint_index = board->endpoint_max;
		CHECK("GET_ENDPOINT_SLOT index endpoint_max", fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot,
		      EINVAL);
		slot.endpoint_index = 0;
		memset(slot.comm, 'x', sizeof(slot.comm));
		if (!CHECK("GET_ENDPOINT_SLOT on a board", fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot, 0))
			check_true("GET_ENDPOINT_SLOT fields",
				   slot.board_index == b0 && slot.endpoint_index == 0 &&
				   !(slot.flags & ~OMX_ENDPOINT_SLOT_OPEN) && !slot.pad &&
				   memchr(slot.comm, 0, sizeof(slot.comm)) &&
				   (slot.flags || (!slot.owner_pid && !slot.session_id && !slot.comm[0])) &&
				   (root || !slot.session_id));
	}

	if (!root) {
		CHECK("SET_HOSTNAME without privilege", fd, OMX_CMD_SET_HOSTNAME, &name, EPERM);
		CHECK("SET_PEERS without privilege", fd, OMX_CMD_SET_PEERS, &set, EPERM);
		b = OMX_PEERS_ALL_BOARDS;
		CHECK("CLEAR_PEERS without privilege", fd, OMX_CMD_CLEAR_PEERS, &b, EPERM);
		return;
	}

	CHECK("SET_HOSTNAME NULL", fd, OMX_CMD_SET_HOSTNAME, NULL, EFAULT);
	name.board_index = OMX_MAX_BOARDS;
	CHECK("SET_HOSTNAME board OMX_MAX_BOARDS", fd, OMX_CMD_SET_HOSTNAME, &name, EINVAL);
	name.board_index = b0;
	name.pad = 1;
	CHECK("SET_HOSTNAME pad", fd, OMX_CMD_SET_HOSTNAME, &name, EINVAL);
	name.pad = 0;
	name.hostname[0] = '\0';
	CHECK("SET_HOSTNAME empty name", fd, OMX_CMD_SET_HOSTNAME, &name, EINVAL);
	memset(name.hostname, 'x', sizeof(name.hostname));
	CHECK("SET_HOSTNAME name without NUL", fd, OMX_CMD_SET_HOSTNAME, &name, EINVAL);
	strcpy(name.hostname, "tab\there");
	CHECK("SET_HOSTNAME control character", fd, OMX_CMD_SET_HOSTNAME, &name, EINVAL);
	if (empty >= 0) {
		strcpy(name.hostname, "bad-ioctl:0");
		name.board_index = (__u32)empty;
		CHECK("SET_HOSTNAME empty slot", fd, OMX_CMD_SET_HOSTNAME, &name, ENODEV);
	}

	CHECK("SET_PEERS NULL", fd, OMX_CMD_SET_PEERS, NULL, EFAULT);
	set.nr_peers = 0;
	CHECK("SET_PEERS no entry", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	set.nr_peers = 2;
	set.flags = 2;
	CHECK("SET_PEERS unknown flag", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	set.flags = 0;
	if (!ioctl(fd, OMX_CMD_GET_PEER_COUNT, &table) && table.max < OMX_PEERS_LIMIT) {
		set.nr_peers = table.max + 1;
		CHECK("SET_PEERS more entries than the table", fd, OMX_CMD_SET_PEERS, &set, ENOSPC);
		set.nr_peers = 2;
	}
	set.peers = (__u64)(unsigned long)badptr;
	CHECK("SET_PEERS unreadable array", fd, OMX_CMD_SET_PEERS, &set, EFAULT);
	set.peers = (__u64)(unsigned long)entries;
	entries[1].mac[0] = 0x03;
	CHECK("SET_PEERS group MAC", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	entries[1].mac[0] = 0x02;
	entries[1].pad1 = 1;
	CHECK("SET_PEERS entry pad", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	entries[1].pad1 = 0;
	entries[1].mac[5] = entries[0].mac[5];
	CHECK("SET_PEERS same MAC twice", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	entries[1].mac[5] = 0x78;
	entries[1].hostname[0] = '\0';
	CHECK("SET_PEERS empty hostname", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	strcpy(entries[1].hostname, "bad-ioctl:1");
	entries[1].board_index = OMX_MAX_BOARDS;
	CHECK("SET_PEERS board OMX_MAX_BOARDS", fd, OMX_CMD_SET_PEERS, &set, EINVAL);
	if (empty >= 0) {
		entries[1].board_index = (__u32)empty;
		CHECK("SET_PEERS empty board slot", fd, OMX_CMD_SET_PEERS, &set, ENODEV);
	}

	CHECK("CLEAR_PEERS NULL", fd, OMX_CMD_CLEAR_PEERS, NULL, EFAULT);
	b = OMX_MAX_BOARDS;
	CHECK("CLEAR_PEERS board OMX_MAX_BOARDS", fd, OMX_CMD_CLEAR_PEERS, &b, EINVAL);
	if (empty >= 0) {
		b = (__u32)empty;
		CHECK("CLEAR_PEERS empty slot", fd, OMX_CMD_CLEAR_PEERS, &b, 0);
	}
}

int main(int argc, char **argv)
{
	struct omx_board_info first;
	int fd, board, empty;
	void *badptr;

	if (argc > 1) {
		printf("usage: omx_bad_ioctl\n"
		       "Check the errno of invalid omx ioctls; prints ok/FAIL/skip lines.\n");
		return strcmp(argv[1], "-h") && strcmp(argv[1], "--help") ? 2 : 0;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&first, 0, sizeof(first));

	/* a page the kernel cannot read or write */
	badptr = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (badptr == MAP_FAILED) {
		perror("omx_bad_ioctl: mmap");
		return 2;
	}

	check_undeclared(badptr);
	check_raw();

	fd = open_declared(OMX_DEVICE_PATH);
	board = find_boards(fd, &first, &empty);
	check_boards(fd, badptr, empty);
	check_peers(fd, badptr, board < 0 ? NULL : &first, empty);
	check_admin(fd, badptr, board < 0 ? NULL : &first, empty);
	if (board < 0) {
		skip("endpoint checks", "no board attached");
		close(fd);
	} else {
		check_endpoints(fd, badptr, &first);	/* closes fd */
	}

	printf("omx_bad_ioctl: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
