/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the test programs that drive /dev/omx through raw ioctls and the
 * mmap'ed rings (not libomx) share: their check lines and the endpoint
 * plumbing, so that each program holds only what it tests.
 *
 * The check lines are "ok ..." or "FAIL ...": the shell tests grep them.
 * A helper that cannot set up what a test needs exits 2, as the programs
 * themselves do, so that a broken setup never reads as a failed check.
 */
#ifndef RAW_EP_H
#define RAW_EP_H

#include <stddef.h>
#include <stdint.h>

#include "omx_abi.h"

extern int failures;

void report(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define CHECK(cond, ...) report(!!(cond), __VA_ARGS__)

double now_ms(void);
int parse_mac(const char *str, uint8_t *mac);

/* 0 or the errno: the checks compare it with what they expect */
int xioctl(int fd, unsigned long cmd, void *arg);

struct ep {
	int fd;
	struct omx_endpoint_info info;
	uint8_t *map;
	struct omx_ring_ctrl *ctrl;
	uint32_t exp_cons, unexp_cons;
};

int open_dev(void);
void *map_ep(int fd);
void ep_open(struct ep *ep, uint32_t board, uint32_t index, uint32_t flags);
void ep_close(struct ep *ep);

/* -errno, for the checks of PEER_LOOKUP itself */
int peer_lookup(int fd, const uint8_t *mac, int create);
/* with CREATE, for a test that only needs the index */
int mac_peer(int fd, const uint8_t *mac);

uint64_t counter(int fd, uint32_t board, int index);
struct omx_driver_info driver_info(int fd);

/*
 * The next event of a ring within @ms, consumed; @slot, if not NULL, gets
 * the recvq slot of an unexpected event.  0; 1 when none came in time; the
 * -errno of a failing WAIT_EVENT apart, for a program that counts that as
 * a failed check.
 */
int ep_event(struct ep *ep, int unexp, unsigned int ms, struct omx_event *evt, uint8_t *slot);

/* A failing wait taken as a timeout: the check that waited then fails. */
static inline int next_event(struct ep *ep, int unexp, unsigned int ms, struct omx_event *evt)
{
	return ep_event(ep, unexp, ms, evt, NULL) ? -1 : 0;
}

#endif /* RAW_EP_H */
