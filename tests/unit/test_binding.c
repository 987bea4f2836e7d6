/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The binding decision and the placement classes of libomx/omx_binding.c
 * on synthetic hwloc topologies, above all the paper's 2 x quad-core
 * Clovertown (Figure 4: each package has two L2 caches shared by a pair
 * of cores).
 */
#include <stdlib.h>
#include <string.h>

#include "omx_abi.h"
#include "omx_binding.h"
#include "omx_test.h"

static hwloc_topology_t synth(const char *desc)
{
	hwloc_topology_t t;

	if (hwloc_topology_init(&t) || hwloc_topology_set_synthetic(t, desc) ||
	    hwloc_topology_load(t)) {
		fprintf(stderr, "cannot build synthetic topology %s\n", desc);
		exit(2);
	}
	return t;
}

/*
 * One decision: @queue and @allowed as hwloc lists ("3", "0-7", "" for
 * none; @allowed NULL: every CPU).  @want: the expected CPU list when a
 * binding is expected, else NULL and @reason a substring of the reason.
 */
static void expect(hwloc_topology_t t, const char *policy, const char *queue,
		   const char *allowed, unsigned int mode, const char *want,
		   const char *cls_or_reason)
{
	struct omx_binding_policy p;
	hwloc_bitmap_t q = hwloc_bitmap_alloc(), a = hwloc_bitmap_alloc();
	hwloc_bitmap_t out = hwloc_bitmap_alloc();
	char err[256], why[256], got[128];
	int r;

	check_context("policy %s queue '%s' allowed '%s' mode %u", policy, queue,
		      allowed ? allowed : "all", mode);
	CHECK_EQ(omx_binding_parse(policy, &p, err, sizeof(err)), 0);
	hwloc_bitmap_list_sscanf(q, queue);
	if (allowed)
		hwloc_bitmap_list_sscanf(a, allowed);
	else
		hwloc_bitmap_copy(a, hwloc_topology_get_topology_cpuset(t));
	r = omx_binding_decide(t, q, a, mode, &p, out, why, sizeof(why));
	hwloc_bitmap_list_snprintf(got, sizeof(got), out);
	if (want) {
		if (!CHECK_EQ(r, 1))
			fprintf(stderr, "    left alone: %s\n", why);
		else if (!CHECK(!strcmp(got, want)))
			fprintf(stderr, "    bound to %s, expected %s\n", got, want);
		if (!CHECK(strstr(why, cls_or_reason) != NULL))
			fprintf(stderr, "    class '%s', expected '%s'\n", why, cls_or_reason);
	} else {
		if (!CHECK_EQ(r, 0))
			fprintf(stderr, "    bound to %s (%s), expected left alone\n", got, why);
		else if (!CHECK(strstr(why, cls_or_reason) != NULL))
			fprintf(stderr, "    reason '%s', expected '%s'\n", why, cls_or_reason);
	}
	hwloc_bitmap_free(q);
	hwloc_bitmap_free(a);
	hwloc_bitmap_free(out);
}

#define NIC OMX_STEER_MODE_NIC
#define XDP OMX_STEER_MODE_XDP
#define NONE OMX_STEER_MODE_NONE

/* Figure 4: PUs 0-7; L2 pairs {0,1} {2,3} {4,5} {6,7}; packages 0-3, 4-7. */
static void clovertown(void)
{
	hwloc_topology_t t = synth("pack:2 l2:2(size=4MiB) core:2 pu:1");
	static const char *const sc[8] = { "0", "1", "2", "3", "4", "5", "6", "7" };
	static const char *const sh[8] = { "1", "0", "3", "2", "5", "4", "7", "6" };
	static const char *const sp[8] = { "0-3", "0-3", "0-3", "0-3",
					   "4-7", "4-7", "4-7", "4-7" };
	char qs[16], pol[16];
	int c, n;

	CHECK_EQ(hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_PU), 8);
	for (c = 0; c < 8; c++) {
		snprintf(qs, sizeof(qs), "%d", c);
		expect(t, "core", qs, NULL, NIC, sc[c], "SC");
		expect(t, "cache", qs, NULL, NIC, sh[c], "S$");
		expect(t, "package", qs, NULL, NIC, sp[c], "SP");
		expect(t, "auto", qs, NULL, NIC, sc[c], "SC");
		expect(t, "auto", qs, NULL, XDP, sc[c], "SC");
		expect(t, "off", qs, NULL, NIC, NULL, "policy off");
		/* explicit policies follow the queue's CPUs even unsteered */
		expect(t, "core", qs, NULL, NONE, sc[c], "SC");
		expect(t, "auto", qs, NULL, NONE, NULL, "steering none");
		for (n = 0; n < 8; n++) {
			snprintf(pol, sizeof(pol), "cpu:%d", n);
			expect(t, pol, qs, NULL, NIC, sc[n], pol);
		}
		/* already restricted: never moved, whatever the policy */
		expect(t, "core", qs, "2", NIC, NULL, "already restricted");
		expect(t, "auto", qs, "0-6", NIC, NULL, "already restricted");
		expect(t, "cpu:5", qs, "4-7", NIC, NULL, "already restricted");
	}
	/* a mask with extra bits beyond the machine (e.g. 0-255) is not a restriction */
	expect(t, "core", "3", "0-255", NIC, "3", "SC");
	/* no queue CPU known (veth: no IRQ) */
	expect(t, "auto", "", NULL, NIC, NULL, "no known CPU");
	expect(t, "core", "", NULL, NONE, NULL, "no known CPU");
	expect(t, "package", "", NULL, NIC, NULL, "no known CPU");
	expect(t, "cpu:2", "", NULL, NONE, "2", "cpu:2");
	expect(t, "cpu:8", "1", NULL, NIC, NULL, "not a CPU of this machine");
	/* IRQ spread over several CPUs */
	expect(t, "core", "0-1", NULL, NIC, NULL, "spread");
	expect(t, "cache", "0-1", NULL, NIC, NULL, "spread");
	expect(t, "package", "0-1", NULL, NIC, "0-3", "SP");
	expect(t, "auto", "0-1", NULL, NIC, "0-1", "S$");
	expect(t, "auto", "1-2", NULL, NIC, "0-3", "SP");
	expect(t, "package", "2-3", NULL, NIC, "0-3", "SP");
	expect(t, "auto", "0-7", NULL, NIC, NULL, "several packages");
	expect(t, "package", "3-4", NULL, NIC, NULL, "several packages");
	expect(t, "cpu:6", "0-7", NULL, NIC, "6", "cpu:6");
	hwloc_topology_destroy(t);
}

/* Flat, SMT: 4 cores of 2 hardware threads, no cache, no package. */
static void flat_smt(void)
{
	hwloc_topology_t t = synth("core:4 pu:2");
	static const char *const core[8] = { "0-1", "0-1", "2-3", "2-3",
					     "4-5", "4-5", "6-7", "6-7" };
	char qs[16];
	int c;

	for (c = 0; c < 8; c++) {
		snprintf(qs, sizeof(qs), "%d", c);
		/* the core: both hardware threads */
		expect(t, "core", qs, NULL, NIC, core[c], "SC");
		expect(t, "auto", qs, NULL, NIC, core[c], "SC");
		expect(t, "cache", qs, NULL, NIC, NULL, "no cache shared");
		/* no package level: the package is the machine */
		expect(t, "package", qs, NULL, NIC, "0-7", "SP");
	}
	/* an IRQ on both threads of one core is still one core */
	expect(t, "core", "2-3", NULL, NIC, "2-3", "SC");
	expect(t, "auto", "2-3", NULL, XDP, "2-3", "SC");
	expect(t, "auto", "1-2", NULL, NIC, NULL, "several packages");
	expect(t, "cpu:3", "0", NULL, NIC, "3", "cpu:3");
	expect(t, "auto", "0", "0,2,4,6", NIC, NULL, "already restricted");
	hwloc_topology_destroy(t);
}

/* Two quad-core packages without a shared cache. */
static void no_l2(void)
{
	hwloc_topology_t t = synth("pack:2 core:4 pu:1");
	char qs[16], want[8];
	int c;

	for (c = 0; c < 8; c++) {
		snprintf(qs, sizeof(qs), "%d", c);
		expect(t, "core", qs, NULL, NIC, qs, "SC");
		expect(t, "cache", qs, NULL, NIC, NULL, "no cache shared");
		snprintf(want, sizeof(want), "%s", c < 4 ? "0-3" : "4-7");
		expect(t, "package", qs, NULL, NIC, want, "SP");
		expect(t, "auto", qs, NULL, NIC, qs, "SC");
	}
	expect(t, "auto", "0-1", NULL, NIC, "0-3", "SP");
	expect(t, "auto", "3-4", NULL, NIC, NULL, "several packages");
	hwloc_topology_destroy(t);
}

/* A cache shared by all four cores of a package, above private L2s. */
static void shared_l3(void)
{
	hwloc_topology_t t = synth("pack:2 l3:1(size=8MiB) l2:4(size=256KiB) core:1 pu:2");

	/* L2 holds one core only: the smallest *shared* cache is the L3 */
	expect(t, "cache", "0", NULL, NIC, "2-7", "S$");
	expect(t, "cache", "9", NULL, NIC, "10-15", "S$");
	expect(t, "core", "9", NULL, NIC, "8-9", "SC");
	expect(t, "package", "9", NULL, NIC, "8-15", "SP");
	hwloc_topology_destroy(t);
}

/*
 * omx_binding_classify: @queue and @cpus as hwloc lists ("" for none),
 * @want the class name.
 */
static void expect_class(hwloc_topology_t t, const char *queue, const char *cpus,
			 const char *want)
{
	hwloc_bitmap_t q = hwloc_bitmap_alloc(), c = hwloc_bitmap_alloc();
	const char *got;

	check_context("classify queue '%s' cpus '%s'", queue, cpus);
	hwloc_bitmap_list_sscanf(q, queue);
	hwloc_bitmap_list_sscanf(c, cpus);
	got = omx_binding_class_name(omx_binding_classify(t, q, c));
	if (!CHECK(!strcmp(got, want)))
		fprintf(stderr, "    class %s, expected %s\n", got, want);
	hwloc_bitmap_free(q);
	hwloc_bitmap_free(c);
}

/*
 * Figure 4's classes, every queue CPU against every process CPU: one L2
 * per pair of cores ({0,1} {2,3} {4,5} {6,7}), packages 0-3 and 4-7.
 */
static void classify_clovertown(void)
{
	hwloc_topology_t t = synth("pack:2 l2:2(size=4MiB) core:2 pu:1");
	char qs[16], ps[16];
	const char *want;
	int q, p;

	for (q = 0; q < 8; q++) {
		for (p = 0; p < 8; p++) {
			if (p == q)
				want = "SC";
			else if (p / 2 == q / 2)
				want = "S$";
			else if (p / 4 == q / 4)
				want = "SP";
			else
				want = "OP";
			snprintf(qs, sizeof(qs), "%d", q);
			snprintf(ps, sizeof(ps), "%d", p);
			expect_class(t, qs, ps, want);
		}
	}
	/* a set: the relation that holds wherever in it the process runs */
	expect_class(t, "2", "2-3", "S$");
	expect_class(t, "2", "0-3", "SP");
	expect_class(t, "2", "0-7", "OP");
	expect_class(t, "6", "4,6", "SP");
	/* the bindings omx_binding_decide makes have the class it names */
	expect_class(t, "5", "4", "S$");
	/* a spread queue: no single core holds queue and process */
	expect_class(t, "0-1", "0", "S$");
	expect_class(t, "0-1", "1", "S$");
	expect_class(t, "0-3", "3", "SP");
	expect_class(t, "3-4", "4", "OP");
	/* unknown: no queue CPU (veth), no process CPU, CPUs beyond the machine */
	expect_class(t, "", "3", "?");
	expect_class(t, "3", "", "?");
	expect_class(t, "8", "3", "?");
	expect_class(t, "3", "9-12", "?");
	/* CPUs beyond the machine are ignored beside known ones */
	expect_class(t, "3", "3,200", "SC");
	hwloc_topology_destroy(t);
}

/* One package, an L3 over 4 cores of 2 hardware threads (PUs 2c, 2c+1). */
static void classify_smt(void)
{
	hwloc_topology_t t = synth("pack:1 l3:1(size=8MiB) core:4 pu:2");
	char qs[16], ps[16];
	int q, p;

	for (q = 0; q < 8; q++) {
		for (p = 0; p < 8; p++) {
			snprintf(qs, sizeof(qs), "%d", q);
			snprintf(ps, sizeof(ps), "%d", p);
			/* the other thread of the core is still the same core */
			expect_class(t, qs, ps, p / 2 == q / 2 ? "SC" : "S$");
		}
	}
	expect_class(t, "2-3", "3", "SC");
	expect_class(t, "2-3", "2-3", "SC");
	expect_class(t, "2-3", "4", "S$");
	expect_class(t, "0", "0-7", "S$");
	hwloc_topology_destroy(t);
}

/* No cache at all: two packages of two cores; and a machine without packages. */
static void classify_no_cache(void)
{
	hwloc_topology_t t = synth("pack:2 core:2 pu:1");
	hwloc_topology_t flat = synth("core:4 pu:1");
	char qs[16], ps[16];
	int q, p;

	for (q = 0; q < 4; q++) {
		for (p = 0; p < 4; p++) {
			snprintf(qs, sizeof(qs), "%d", q);
			snprintf(ps, sizeof(ps), "%d", p);
			expect_class(t, qs, ps, p == q ? "SC" : p / 2 == q / 2 ? "SP" : "OP");
			/* no package object: the machine is the package */
			expect_class(flat, qs, ps, p == q ? "SC" : "SP");
		}
	}
	expect_class(t, "0-1", "1", "SP");
	expect_class(t, "0-1", "2", "OP");
	expect_class(flat, "0-3", "0", "SP");
	hwloc_topology_destroy(t);
	hwloc_topology_destroy(flat);
}

static void class_names(void)
{
	CHECK(!strcmp(omx_binding_class_name(OMX_CLASS_SC), "SC"));
	CHECK(!strcmp(omx_binding_class_name(OMX_CLASS_SHARED_CACHE), "S$"));
	CHECK(!strcmp(omx_binding_class_name(OMX_CLASS_SP), "SP"));
	CHECK(!strcmp(omx_binding_class_name(OMX_CLASS_OP), "OP"));
	CHECK(!strcmp(omx_binding_class_name(OMX_CLASS_UNKNOWN), "?"));
	CHECK(!strcmp(omx_binding_class_name((enum omx_binding_class)42), "?"));
}

static void parse(void)
{
	struct omx_binding_policy p;
	char err[256];
	static const char *const bad[] = { "Core", "cpu:", "cpu:x", "cpu:-1", "cpu:1x",
					   "cpu:99999", "socket", "auto ", "1" };
	unsigned int i;

	CHECK_EQ(omx_binding_parse(NULL, &p, err, sizeof(err)), 0);
	CHECK_EQ(p.kind, OMX_BINDING_AUTO);
	CHECK_EQ(omx_binding_parse("", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.kind, OMX_BINDING_AUTO);
	CHECK_EQ(omx_binding_parse("cache", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.kind, OMX_BINDING_CACHE);
	CHECK_EQ(omx_binding_parse("off", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.kind, OMX_BINDING_OFF);
	CHECK_EQ(omx_binding_parse("cpu:12", &p, err, sizeof(err)), 0);
	CHECK_EQ(p.kind, OMX_BINDING_CPU);
	CHECK_EQ(p.cpu, 12);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_context("parse '%s'", bad[i]);
		err[0] = '\0';
		CHECK_EQ(omx_binding_parse(bad[i], &p, err, sizeof(err)), -1);
		CHECK(strstr(err, "auto, core, cache, package, off or cpu:N") != NULL);
		CHECK(strstr(err, bad[i]) != NULL);
	}
}

int main(void)
{
	parse();
	clovertown();
	flat_smt();
	no_l2();
	shared_l3();
	class_names();
	classify_clovertown();
	classify_smt();
	classify_no_cache();
	return omx_test_exit();
}
