/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Queue-aware process binding: the pure decision (docs/binding.md).
 * Nothing here binds anything or reads the machine: the caller passes
 * the topology, the queue's CPUs and the current affinity.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_abi.h"
#include "omx_binding.h"

static const char *const omx_binding_names[] = {
	[OMX_BINDING_AUTO] = "auto",
	[OMX_BINDING_CORE] = "core",
	[OMX_BINDING_CACHE] = "cache",
	[OMX_BINDING_PACKAGE] = "package",
	[OMX_BINDING_OFF] = "off",
	[OMX_BINDING_CPU] = "cpu",
};

const char *omx_binding_kind_name(enum omx_binding_kind kind)
{
	if ((unsigned int)kind >= sizeof(omx_binding_names) / sizeof(omx_binding_names[0]))
		return "unknown";
	return omx_binding_names[kind];
}

const char *omx_binding_class_name(enum omx_binding_class cls)
{
	switch (cls) {
	case OMX_CLASS_SC:
		return "SC";
	case OMX_CLASS_SHARED_CACHE:
		return "S$";
	case OMX_CLASS_SP:
		return "SP";
	case OMX_CLASS_OP:
		return "OP";
	default:
		return "?";
	}
}

int omx_binding_parse(const char *s, struct omx_binding_policy *p, char *err, size_t len)
{
	unsigned long n;
	char *end;
	unsigned int k;

	p->kind = OMX_BINDING_AUTO;
	p->cpu = 0;
	if (!s || !*s)
		return 0;
	for (k = 0; k < sizeof(omx_binding_names) / sizeof(omx_binding_names[0]); k++) {
		if (k != OMX_BINDING_CPU && !strcmp(s, omx_binding_names[k])) {
			p->kind = (enum omx_binding_kind)k;
			return 0;
		}
	}
	if (!strncmp(s, "cpu:", 4) && s[4] >= '0' && s[4] <= '9') {
		errno = 0;
		n = strtoul(s + 4, &end, 10);
		if (!errno && !*end && n < OMX_CPUS_MAX) {
			p->kind = OMX_BINDING_CPU;
			p->cpu = (unsigned int)n;
			return 0;
		}
	}
	snprintf(err, len, "OMX_PROCESS_BINDING=%s: expected %s", s, OMX_BINDING_ACCEPTED);
	return -1;
}

#ifdef OMX_HAVE_HWLOC

__attribute__((format(printf, 3, 4)))
static int omx_leave(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return 0;
}

/* The object of @type that holds every CPU of @set, or NULL. */
static hwloc_obj_t omx_holder(hwloc_topology_t topo, hwloc_const_cpuset_t set,
			      hwloc_obj_type_t type)
{
	hwloc_obj_t obj = hwloc_get_obj_covering_cpuset(topo, set);

	while (obj && obj->type != type)
		obj = obj->parent;
	return obj;
}

/*
 * The smallest cache above @obj (a core, or the object covering a spread
 * queue) that is shared by more than one core, or NULL.
 */
static hwloc_obj_t omx_shared_cache(hwloc_topology_t topo, hwloc_obj_t obj)
{
	for (obj = obj->parent; obj; obj = obj->parent) {
		if (hwloc_obj_type_is_cache(obj->type) &&
		    hwloc_get_nbobjs_inside_cpuset_by_type(topo, obj->cpuset,
							   HWLOC_OBJ_CORE) > 1)
			return obj;
	}
	return NULL;
}

/* The package holding @set; the whole machine when it has no package. */
static hwloc_obj_t omx_package(hwloc_topology_t topo, hwloc_const_cpuset_t set)
{
	if (hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE) == 0)
		return hwloc_get_root_obj(topo);
	return omx_holder(topo, set, HWLOC_OBJ_PACKAGE);
}

static int omx_bind_to(hwloc_cpuset_t out, hwloc_const_cpuset_t set,
		       char *why, size_t len, const char *cls)
{
	hwloc_bitmap_copy(out, set);
	snprintf(why, len, "%s", cls);
	return 1;
}

int omx_binding_decide(hwloc_topology_t topo, hwloc_const_cpuset_t queue,
		       hwloc_const_cpuset_t allowed, unsigned int steer_mode,
		       const struct omx_binding_policy *p, hwloc_cpuset_t out,
		       char *why, size_t len)
{
	hwloc_const_cpuset_t all = hwloc_topology_get_topology_cpuset(topo);
	hwloc_cpuset_t q;
	hwloc_obj_t core, cache, pkg, pu;
	char qs[128], as[128];
	int ret;

	hwloc_bitmap_zero(out);
	if (p->kind == OMX_BINDING_OFF)
		return omx_leave(why, len, "policy off");
	if (!hwloc_bitmap_isincluded(all, allowed)) {
		hwloc_bitmap_list_snprintf(as, sizeof(as), allowed);
		return omx_leave(why, len, "affinity already restricted (allowed %s)", as);
	}
	if (p->kind == OMX_BINDING_CPU) {
		pu = hwloc_get_pu_obj_by_os_index(topo, p->cpu);
		if (!pu)
			return omx_leave(why, len, "cpu %u is not a CPU of this machine", p->cpu);
		snprintf(as, sizeof(as), "cpu:%u", p->cpu);
		return omx_bind_to(out, pu->cpuset, why, len, as);
	}

	q = hwloc_bitmap_alloc();
	if (!q)
		return omx_leave(why, len, "out of memory");
	hwloc_bitmap_and(q, queue, all);
	hwloc_bitmap_list_snprintf(qs, sizeof(qs), q);
	if (hwloc_bitmap_iszero(q)) {
		ret = omx_leave(why, len, "queue has no known CPU (no IRQ matched)");
		goto out;
	}
	if (p->kind == OMX_BINDING_AUTO && steer_mode == OMX_STEER_MODE_NONE) {
		ret = omx_leave(why, len,
				"steering none: the endpoint's frames may be processed on any CPU");
		goto out;
	}
	core = omx_holder(topo, q, HWLOC_OBJ_CORE);
	switch (p->kind) {
	case OMX_BINDING_CORE:
		if (!core) {
			ret = omx_leave(why, len, "queue IRQ spread over CPUs %s: no single core holds them", qs);
			break;
		}
		ret = omx_bind_to(out, core->cpuset, why, len, "SC");
		break;
	case OMX_BINDING_CACHE:
		if (!core) {
			ret = omx_leave(why, len, "queue IRQ spread over CPUs %s: no single core holds them", qs);
			break;
		}
		cache = omx_shared_cache(topo, core);
		if (!cache) {
			ret = omx_leave(why, len, "no cache shared by the queue's core (CPUs %s) with another core", qs);
			break;
		}
		hwloc_bitmap_andnot(out, cache->cpuset, core->cpuset);
		snprintf(why, len, "S$");
		ret = 1;
		break;
	case OMX_BINDING_PACKAGE:
		pkg = omx_package(topo, q);
		if (!pkg) {
			ret = omx_leave(why, len, "queue IRQ spread over CPUs %s of several packages", qs);
			break;
		}
		ret = omx_bind_to(out, pkg->cpuset, why, len, "SP");
		break;
	default: /* auto, steered: the smallest of core, shared cache, package */
		if (core) {
			ret = omx_bind_to(out, core->cpuset, why, len, "SC");
			break;
		}
		cache = hwloc_get_obj_covering_cpuset(topo, q);
		while (cache && !hwloc_obj_type_is_cache(cache->type) &&
		       cache->type != HWLOC_OBJ_PACKAGE)
			cache = cache->parent;
		if (cache && hwloc_obj_type_is_cache(cache->type)) {
			ret = omx_bind_to(out, cache->cpuset, why, len,
					  "S$ (queue spread over the cache's cores)");
			break;
		}
		pkg = omx_package(topo, q);
		if (pkg && pkg->parent) {
			ret = omx_bind_to(out, pkg->cpuset, why, len,
					  "SP (queue spread over the package)");
			break;
		}
		ret = omx_leave(why, len, "queue IRQ spread over CPUs %s of several packages", qs);
		break;
	}
out:
	hwloc_bitmap_free(q);
	return ret;
}

enum omx_binding_class omx_binding_classify(hwloc_topology_t topo,
					    hwloc_const_cpuset_t queue,
					    hwloc_const_cpuset_t cpus)
{
	hwloc_const_cpuset_t all = hwloc_topology_get_topology_cpuset(topo);
	enum omx_binding_class cls = OMX_CLASS_UNKNOWN;
	hwloc_cpuset_t q = hwloc_bitmap_alloc(), u = hwloc_bitmap_alloc();
	hwloc_obj_t obj;

	if (!q || !u)
		goto out;
	hwloc_bitmap_and(q, queue, all);
	hwloc_bitmap_and(u, cpus, all);
	if (hwloc_bitmap_iszero(q) || hwloc_bitmap_iszero(u))
		goto out;
	hwloc_bitmap_or(u, u, q);
	/* a topology without cores (synthetic "pack:2 pu:4"): a PU is a core */
	if (hwloc_bitmap_weight(u) == 1 || omx_holder(topo, u, HWLOC_OBJ_CORE)) {
		cls = OMX_CLASS_SC;
		goto out;
	}
	/* the nearest of a cache (S$) and a package (SP) above both */
	for (obj = hwloc_get_obj_covering_cpuset(topo, u); obj; obj = obj->parent) {
		if (hwloc_obj_type_is_cache(obj->type)) {
			cls = OMX_CLASS_SHARED_CACHE;
			goto out;
		}
		if (obj->type == HWLOC_OBJ_PACKAGE) {
			cls = OMX_CLASS_SP;
			goto out;
		}
	}
	cls = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE) ? OMX_CLASS_OP : OMX_CLASS_SP;
out:
	hwloc_bitmap_free(q);
	hwloc_bitmap_free(u);
	return cls;
}

#endif /* OMX_HAVE_HWLOC */
