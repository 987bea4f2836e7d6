/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Queue-aware process binding (docs/binding.md): which CPUs a process
 * should run on given where its endpoint's receive queue is processed.
 * Internal to libomx, not exported.  The decision is a pure function of
 * its arguments so that tests/unit can check it on synthetic topologies.
 */
#ifndef OMX_BINDING_H
#define OMX_BINDING_H

#include <stddef.h>

enum omx_binding_kind {
	OMX_BINDING_AUTO = 0,	/* default: core when steered, else leave alone */
	OMX_BINDING_CORE,	/* the queue's core (the paper's SC) */
	OMX_BINDING_CACHE,	/* the other cores of the queue core's smallest shared cache (S$) */
	OMX_BINDING_PACKAGE,	/* the queue's package (SP) */
	OMX_BINDING_OFF,	/* never bind */
	OMX_BINDING_CPU,	/* exactly CPU (OS index) cpu */
};

struct omx_binding_policy {
	enum omx_binding_kind kind;
	unsigned int cpu;	/* OMX_BINDING_CPU only */
};

#define OMX_BINDING_ACCEPTED "auto, core, cache, package, off or cpu:N (N a CPU number)"

/*
 * Parse an OMX_PROCESS_BINDING value (NULL or "" is auto).  Returns 0, or
 * -1 with a sentence naming the accepted values in @err.
 */
int omx_binding_parse(const char *s, struct omx_binding_policy *p, char *err, size_t len);
/* "auto", "core", ... ("cpu" for cpu:N) */
const char *omx_binding_kind_name(enum omx_binding_kind kind);

/*
 * The paper's placement classes (Figure 4) of a process relative to the
 * CPUs that process its receive queue, nearest first.
 */
enum omx_binding_class {
	OMX_CLASS_UNKNOWN = 0,	/* "?": no queue CPU or no process CPU known */
	OMX_CLASS_SC,		/* "SC": the same core */
	OMX_CLASS_SHARED_CACHE,	/* "S$": another core under a shared cache */
	OMX_CLASS_SP,		/* "SP": the same package, no cache in common */
	OMX_CLASS_OP,		/* "OP": another package */
};

#ifdef OMX_HAVE_HWLOC
#include <hwloc.h>

/*
 * Decide where to bind.  @queue: the CPUs that serve the endpoint's
 * receive queue (may be empty); @allowed: the process's current CPU
 * affinity; @steer_mode: enum omx_steer_mode of the board.  Returns 1
 * and the CPU set in @out (allocated by the caller) with the placement
 * class ("SC", "S$", "SP", "cpu:N", ...) in @why, or 0 (leave the
 * process alone) with the reason in @why.
 */
int omx_binding_decide(hwloc_topology_t topo, hwloc_const_cpuset_t queue,
		       hwloc_const_cpuset_t allowed, unsigned int steer_mode,
		       const struct omx_binding_policy *p, hwloc_cpuset_t out,
		       char *why, size_t len);

/*
 * Classify @cpus (one CPU, where a process last ran, or a set, where it
 * may run) against @queue (the CPUs its queue's IRQ goes to): the class
 * of the smallest object of @topo that holds both, i.e. the relation
 * that holds for every pair of a queue CPU and a process CPU.  CPUs that
 * are not in @topo are ignored; nothing left on either side is
 * OMX_CLASS_UNKNOWN.  A topology without packages is one package.
 */
enum omx_binding_class omx_binding_classify(hwloc_topology_t topo,
					    hwloc_const_cpuset_t queue,
					    hwloc_const_cpuset_t cpus);
#endif

/* "SC", "S$", "SP", "OP" or "?" */
const char *omx_binding_class_name(enum omx_binding_class cls);

#endif /* OMX_BINDING_H */
