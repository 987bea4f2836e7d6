// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The helpers of raw_ep.h, for omx_ring_test, omx_pull_test,
 * omx_attack_pull and omx_sec_test.  One copy, so that a fix to how a
 * test drives the rings (the consumer index, the wait) reaches them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "raw_ep.h"

/* each program's exit status: 1 when any check failed */
int failures;

void report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "ok " : "FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	/* a line at a time: a program killed by its shell test keeps what it printed */
	fflush(stdout);
	if (!ok)
		failures++;
}

double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int parse_mac(const char *str, uint8_t *mac)
{
	unsigned int m[6];

	if (sscanf(str, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

int open_dev(void)
{
	uint32_t v = OMX_ABI_VERSION;
	int fd = open(OMX_DEVICE_PATH, O_RDWR);

	if (fd < 0 || ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v) < 0) {
		perror(OMX_DEVICE_PATH);
		exit(2);
	}
	return fd;
}

/* Bare, so that the mmap checks can try it where it must fail. */
void *map_ep(int fd)
{
	return mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

void ep_open(struct ep *ep, uint32_t board, uint32_t index, uint32_t flags)
{
	struct omx_endpoint_open req = {
		.board_index = board, .endpoint_index = index, .flags = flags,
	};

	memset(ep, 0, sizeof(*ep));
	ep->fd = open_dev();
	if (ioctl(ep->fd, OMX_CMD_OPEN_ENDPOINT, &req) < 0 ||
	    ioctl(ep->fd, OMX_CMD_GET_ENDPOINT_INFO, &ep->info) < 0) {
		fprintf(stderr, "endpoint %u of board %u: %s\n", index, board, strerror(errno));
		exit(2);
	}
	ep->map = map_ep(ep->fd);
	if (ep->map == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	ep->ctrl = (struct omx_ring_ctrl *)(ep->map + OMX_CTRL_OFFSET);
}

void ep_close(struct ep *ep)
{
	munmap(ep->map, OMX_ENDPOINT_MMAP_LEN);
	close(ep->fd);
}

int peer_lookup(int fd, const uint8_t *mac, int create)
{
	struct omx_peer_lookup req = { .flags = create ? OMX_PEER_LOOKUP_CREATE : 0 };

	memcpy(req.mac, mac, 6);
	if (ioctl(fd, OMX_CMD_PEER_LOOKUP, &req) < 0)
		return -errno;
	return (int)req.peer_index;
}

int mac_peer(int fd, const uint8_t *mac)
{
	int peer = peer_lookup(fd, mac, 1);

	if (peer < 0) {
		fprintf(stderr, "PEER_LOOKUP: %s\n", strerror(-peer));
		exit(2);
	}
	return peer;
}

uint64_t counter(int fd, uint32_t board, int index)
{
	struct omx_board_counters c = { .board_index = board };

	if (ioctl(fd, OMX_CMD_GET_COUNTERS, &c) < 0) {
		perror("GET_COUNTERS");
		exit(2);
	}
	return c.values[index];
}

struct omx_driver_info driver_info(int fd)
{
	struct omx_driver_info di;

	/* a field the driver failed to write must not pass for an idle zero */
	memset(&di, 0xff, sizeof(di));
	if (ioctl(fd, OMX_CMD_GET_DRIVER_INFO, &di) < 0) {
		perror("GET_DRIVER_INFO");
		exit(2);
	}
	return di;
}

int ep_event(struct ep *ep, int unexp, unsigned int ms, struct omx_event *evt, uint8_t *slot)
{
	uint32_t *cons = unexp ? &ep->unexp_cons : &ep->exp_cons;
	uint32_t *prodp = unexp ? &ep->ctrl->unexp_prod : &ep->ctrl->exp_prod;
	uint32_t *ucons = unexp ? &ep->ctrl->unexp_cons : &ep->ctrl->exp_cons;
	uint32_t n = unexp ? OMX_UNEXP_EVENTS : OMX_EXP_EVENTS;
	size_t off = unexp ? OMX_UNEXP_EVENTQ_OFFSET : OMX_EXP_EVENTQ_OFFSET;

	while (__atomic_load_n(prodp, __ATOMIC_ACQUIRE) == *cons) {
		/* status 99: a wait that wrote none is no timeout; a WAKEUP waits again */
		struct omx_wait w = {
			.exp_cons = ep->exp_cons, .unexp_cons = ep->unexp_cons,
			.timeout_ms = ms, .status = 99,
		};

		if (ioctl(ep->fd, OMX_CMD_WAIT_EVENT, &w) < 0)
			return -errno;
		if (w.status == OMX_WAIT_TIMEOUT &&
		    __atomic_load_n(prodp, __ATOMIC_ACQUIRE) == *cons)
			return 1;
	}
	memcpy(evt, ep->map + off + (*cons % n) * OMX_EVENT_LEN, sizeof(*evt));
	/* before the consumer index moves on: then the driver may reuse the slot */
	if (slot && unexp)
		memcpy(slot, ep->map + OMX_RECVQ_OFFSET + (*cons % n) * OMX_RECVQ_SLOT_LEN,
		       OMX_RECVQ_SLOT_LEN);
	(*cons)++;
	__atomic_store_n(ucons, *cons, __ATOMIC_RELEASE);
	return 0;
}
