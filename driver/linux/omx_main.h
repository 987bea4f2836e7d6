/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx module-wide state: parameters and live object accounting.
 */
#ifndef OMX_MAIN_H
#define OMX_MAIN_H

#include <linux/atomic.h>

/* "endpoints" module parameter: endpoint slots per board, fixed at load */
extern unsigned int omx_endpoints_max;

/*
 * Every iface, endpoint and peer allocated is counted until it is freed, so
 * that module exit can prove nothing leaked (the test harness fails on any
 * kernel WARNING).
 */
struct omx_live_objects {
	atomic_t ifaces;
	atomic_t endpoints;
	atomic_t peers;
	atomic_t regions;
	atomic_t pulls;
	atomic64_t pinned_pages;
};

extern struct omx_live_objects omx_live;

#endif /* OMX_MAIN_H */
