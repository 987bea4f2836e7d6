/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Queue-aware process binding at the first endpoint open (docs/binding.md):
 * read where the endpoint's receive queue is processed, load this
 * machine's topology, let omx_binding_decide() choose, bind the whole
 * process (the progression threads are created afterwards and inherit
 * it) and record the decision.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"

static pthread_mutex_t omx_binding_lock = PTHREAD_MUTEX_INITIALIZER;
static bool omx_binding_decided;	/* by the process's first endpoint open */

#ifdef OMX_HAVE_HWLOC
/* Returns the outcome text: "bound to 2 (SC)" or "left alone: ..." */
static void omx_binding_apply(const struct omx_endpoint_steering *st, char *res, size_t len)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t q = NULL, allowed = NULL, out = NULL;
	char why[200], set[128];
	int i;

	if (hwloc_topology_init(&topo) < 0) {
		snprintf(res, len, "left alone: hwloc cannot initialise a topology");
		return;
	}
	if (hwloc_topology_load(topo) < 0) {
		snprintf(res, len, "left alone: hwloc cannot load this machine's topology: %s",
			 strerror(errno));
		goto out;
	}
	q = hwloc_bitmap_alloc();
	allowed = hwloc_bitmap_alloc();
	out = hwloc_bitmap_alloc();
	if (!q || !allowed || !out) {
		snprintf(res, len, "left alone: out of memory");
		goto out;
	}
	for (i = 0; i < OMX_CPUS_MAX; i++)
		if ((st->cpus[i / 64] >> (i % 64)) & 1)
			hwloc_bitmap_set(q, (unsigned int)i);
	if (hwloc_get_cpubind(topo, allowed, HWLOC_CPUBIND_PROCESS) < 0) {
		snprintf(res, len, "left alone: cannot read the process's affinity: %s",
			 strerror(errno));
		goto out;
	}
	if (!omx_binding_decide(topo, q, allowed, st->mode, &omx_config.binding, out,
				why, sizeof(why))) {
		snprintf(res, len, "left alone: %s", why);
		goto out;
	}
	hwloc_bitmap_list_snprintf(set, sizeof(set), out);
	if (hwloc_set_cpubind(topo, out, HWLOC_CPUBIND_PROCESS) < 0)
		snprintf(res, len, "left alone: binding to %s (%s) failed: %s", set, why,
			 strerror(errno));
	else
		snprintf(res, len, "bound to %s (%s)", set, why);
out:
	hwloc_bitmap_free(q);
	hwloc_bitmap_free(allowed);
	hwloc_bitmap_free(out);
	hwloc_topology_destroy(topo);
}
#endif

void omx_binding_endpoint_open(struct mx_endpoint *ep)
{
	struct omx_endpoint_steering *st;
	char qcpus[128], res[1024];
	const char *pol = omx_binding_kind_name(omx_config.binding.kind);
	char polbuf[32];

	st = calloc(1, sizeof(*st));
	if (!st)
		return;
	if (omx_config.binding_bad) {
		pol = "invalid";
	} else if (omx_config.binding.kind == OMX_BINDING_CPU) {
		snprintf(polbuf, sizeof(polbuf), "cpu:%u", omx_config.binding.cpu);
		pol = polbuf;
	}
	st->board_index = ep->info.board_index;
	st->endpoint_index = ep->info.endpoint_index;
	if (omx_drv_get_endpoint_steering(ep->dev.fd, st) < 0) {
		st->mode = OMX_STEER_MODE_NONE;
		st->irq = -1;
		memset(st->cpus, 0, sizeof(st->cpus));
		snprintf(res, sizeof(res), "left alone: cannot read the endpoint's steering: %s",
			 strerror(errno));
		omx_lib_cpulist(st->cpus, qcpus, sizeof(qcpus));
		pthread_mutex_lock(&omx_binding_lock);
		omx_binding_decided = true;
		pthread_mutex_unlock(&omx_binding_lock);
		goto print;
	}
	omx_lib_cpulist(st->cpus, qcpus, sizeof(qcpus));

	pthread_mutex_lock(&omx_binding_lock);
	if (omx_binding_decided) {
		snprintf(res, sizeof(res), "not rebinding: bound at the first endpoint open");
	} else {
		omx_binding_decided = true;
		if (omx_config.binding_bad)
			snprintf(res, sizeof(res), "left alone: OMX_PROCESS_BINDING not understood (expected %s)",
				 OMX_BINDING_ACCEPTED);
		else if (omx_config.binding.kind == OMX_BINDING_OFF)
			snprintf(res, sizeof(res), "left alone: policy off");
		else
#ifdef OMX_HAVE_HWLOC
			omx_binding_apply(st, res, sizeof(res));
#else
			snprintf(res, sizeof(res), "left alone: hwloc not available (libomx built without it)");
#endif
	}
	pthread_mutex_unlock(&omx_binding_lock);
print:
	if (omx_config.binding_verbose)
		fprintf(stderr, "omx: binding: policy=%s mode=%s queue=%u queue cpus=%s -> %s\n",
			pol, omx_lib_steer_mode_name(st->mode), st->queue, qcpus, res);
	free(st);
}
