/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the XDP steering program (omx_xdp_steer.bpf.c) and its loader
 * (tools/omx_xdp.c) agree on: the program's name and the layout of its
 * maps.  Plain types only, so that clang -target bpf and user space
 * compile it alike.
 *
 * The CPU rule, which the omx driver relies on when it reports where an
 * endpoint's frames are processed: when the tool attaches, it takes the
 * N online CPUs in increasing id order; slot i is the i-th of them, and
 * the frames of endpoint E go to the CPU of slot omx_steer_queue(E, N),
 * i.e. E % N (common/omx_steer.h).
 */
#ifndef OMX_XDP_H
#define OMX_XDP_H

#include <linux/types.h>

#include "omx_wire.h"

/* the driver recognises the program by this name (prog->aux->name) */
#define OMX_XDP_PROG_NAME	"omx_xdp_steer"
#define OMX_XDP_OBJECT		"omx_xdp_steer.bpf.o"

/* map names, as bpftool and the tool's status see them (15 bytes max) */
#define OMX_XDP_CONFIG_MAP	"omx_xdp_config"
#define OMX_XDP_CPU_MAP		"omx_xdp_cpumap"
#define OMX_XDP_STATS_MAP	"omx_xdp_stats"

/*
 * Endpoint indices are one byte, so E % N < 256 whatever N is: only the
 * first 256 slots can ever be used, and only they are stored.
 */
#define OMX_XDP_SLOTS_MAX	OMX_ENDPOINT_INDEX_MAX

/* Entry 0 of the config map; nr_slots == 0 means "not set up": pass all. */
struct omx_xdp_config {
	__u32 nr_slots;				/* N: online CPUs at attach time */
	__u32 cpus[OMX_XDP_SLOTS_MAX];		/* CPU id of slot i, i < min(N, 256) */
};

/*
 * Per-CPU counters (a per-CPU array): entry i < OMX_XDP_SLOTS_MAX counts
 * the frames redirected to slot i, then come the frames that were passed
 * up the normal path.
 */
enum omx_xdp_stat_index {
	OMX_XDP_STAT_NOT_OMX = OMX_XDP_SLOTS_MAX,	/* not ethertype 0x86DF */
	OMX_XDP_STAT_NO_ENDPOINT,	/* omx frame naming no endpoint, or too short */
	OMX_XDP_STAT_UNSTEERED,		/* not set up, or no cpumap entry for the CPU */
	OMX_XDP_STAT_NR
};

struct omx_xdp_stat {
	__u64 frames;
	__u64 bytes;
};

#endif /* OMX_XDP_H */
