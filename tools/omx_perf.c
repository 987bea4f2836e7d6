// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_perf: MX ping-pong and unidirectional stream over a sweep of sizes.
 *
 *   omx_perf [-b BOARD] [-e EID] [-1]                       server
 *   omx_perf -d HOST[:BOARD] [-t pingpong|stream|both] ...  client
 *
 * Only the MX API is used, so the figures are what an MX application sees.
 * The client drives everything: per size and test it sends a BEGIN control
 * message (test, size, count, completion mode), the server answers READY
 * once its receives are posted, then the round runs (ping-pong: count
 * echoes; stream: count messages, then a DONE from the server).  Warm-up
 * is a separate untimed round of the same kind.  The server follows the
 * client's completion mode so that polling is never timed against
 * blocking.
 *
 * Figures: ping-pong latency is half the mean round trip; stream latency
 * is the mean time per message seen by the sender until the receiver has
 * them all; throughput is bytes / latency, in MB/s (10^6) and MiB/s (2^20).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef OMX_HAVE_PAPI
#include <papi.h>
#endif

#include "myriexpress.h"
#include "mx_extensions.h"
#include "omx_stats.h"

#define PERF_KEY		0x6f6d7870U
#define PERF_MAGIC		0x706572fU
#define PERF_VERSION		1
#define PERF_MATCH(kind)	((uint64_t)PERF_KEY << 32 | (kind))
#define PERF_BEGIN		PERF_MATCH(1)
#define PERF_READY		PERF_MATCH(2)
#define PERF_DATA		PERF_MATCH(3)
#define PERF_DONE		PERF_MATCH(4)
/* Sweeps stop here by default (-S raises it). */
#define PERF_DEFAULT_MAX	(4U << 20)
/* Largest buffer a server allocates for a client. */
#define PERF_SIZE_LIMIT		(256U << 20)
#define PERF_COUNT_LIMIT	10000000U
#define PERF_WINDOW		32
#define PERF_DEFAULT_EID	0

enum perf_test { TEST_QUIT, TEST_PINGPONG, TEST_STREAM };
enum perf_mode { MODE_POLL, MODE_BLOCK };
enum perf_format { FMT_TABLE, FMT_CSV, FMT_JSON };

/* A BEGIN message; both ends run this same program, so host order. */
struct perf_begin {
	uint32_t magic;
	uint32_t version;
	uint32_t test;
	uint32_t mode;
	uint32_t size;
	uint32_t count;
};

/*
 * --papi: counters around the timed loop of each round (docs/papi.md).
 *
 * Hardware events are counted in the user and the kernel domain by two
 * event sets of PAPI's perf_event component.  PAPI runs one event set
 * per component and thread at a time, so the kernel-domain set counts a
 * second, identical timed round (pass 1) whose time is not reported.
 * Software events (PAPI's sde component, e.g. libomx's
 * sde:::omx::messages_received) have no domain: one set, counted with
 * the user-domain set in pass 0.  Values are per message: count /
 * iterations.  An event that could not be counted has no value, never 0.
 */
#define PERF_PAPI_MAX		16
#define PERF_PAPI_NAME_MAX	128
#define PERF_PAPI_DEFAULT	"default"

struct perf_event {
	char name[PERF_PAPI_NAME_MAX];
	bool soft;			/* one value, no user/kernel domains */
	int slot[2];			/* index in its set of pass 0/1, -1: not counted */
};

/* Per result: [event][0] user (or a software count), [1] kernel. */
struct perf_counts {
	bool have[PERF_PAPI_MAX][2];
	double per_msg[PERF_PAPI_MAX][2];
};

struct perf_papi {
	int nevents;
	struct perf_event ev[PERF_PAPI_MAX];
	int set_soft, set_user, set_kernel;	/* PAPI_NULL when empty */
	int nsoft, nuser, nkernel;
};

/* Is there a pass 1 (kernel-domain hardware counts)? */
static bool papi_kernel_pass(const struct perf_papi *pp)
{
	return pp->nkernel > 0;
}

static const char *papi_column_suffix(const struct perf_event *e, int dom, enum perf_format fmt)
{
	if (e->soft)
		return "";
	if (fmt == FMT_CSV)
		return dom ? ":kernel" : ":user";
	return dom ? "/k" : "/u";
}

static int papi_column_width(const struct perf_event *e)
{
	int w = (int)strlen(e->name) + (e->soft ? 0 : 2);

	return w < 12 ? 12 : w;
}

static void papi_print_header(const struct perf_papi *pp, enum perf_format fmt)
{
	int i, d;

	for (i = 0; i < pp->nevents; i++)
		for (d = 0; d < (pp->ev[i].soft ? 1 : 2); d++) {
			if (fmt == FMT_CSV)
				printf(",%s%s", pp->ev[i].name, papi_column_suffix(&pp->ev[i], d, fmt));
			else
				printf(" %*s%s", papi_column_width(&pp->ev[i]) -
				       (int)strlen(papi_column_suffix(&pp->ev[i], d, fmt)),
				       pp->ev[i].name, papi_column_suffix(&pp->ev[i], d, fmt));
		}
}

static void papi_print_values(const struct perf_papi *pp, enum perf_format fmt,
			      const struct perf_counts *c)
{
	int i, d;

	for (i = 0; i < pp->nevents; i++)
		for (d = 0; d < (pp->ev[i].soft ? 1 : 2); d++) {
			int w = papi_column_width(&pp->ev[i]);

			if (fmt == FMT_CSV && c->have[i][d])
				printf(",%.3f", c->per_msg[i][d]);
			else if (fmt == FMT_CSV)
				printf(",");
			else if (c->have[i][d])
				printf(" %*.3f", w, c->per_msg[i][d]);
			else
				printf(" %*s", w, "");
		}
}

static void papi_print_json_value(const struct perf_counts *c, int i, int d)
{
	if (c->have[i][d])
		printf("%.3f", c->per_msg[i][d]);
	else
		printf("null");
}

static void print_json_string(const char *s);

static void papi_print_json(const struct perf_papi *pp, const struct perf_counts *c)
{
	int i;

	if (!pp->nevents)
		return;
	printf(", \"papi\": {");
	for (i = 0; i < pp->nevents; i++) {
		printf("%s", i ? ", " : "");
		print_json_string(pp->ev[i].name);
		if (pp->ev[i].soft) {
			printf(": {\"count\": ");
			papi_print_json_value(c, i, 0);
		} else {
			printf(": {\"user\": ");
			papi_print_json_value(c, i, 0);
			printf(", \"kernel\": ");
			papi_print_json_value(c, i, 1);
		}
		printf("}");
	}
	printf("}");
}

/* Splits --papi's list into pp->ev (names only); false on a bad list. */
static bool papi_parse_list(struct perf_papi *pp, const char *list)
{
	const char *s = list;

	pp->nevents = 0;
	for (;;) {
		size_t n = strcspn(s, ",");

		if (!n || n >= PERF_PAPI_NAME_MAX) {
			fprintf(stderr, "omx_perf: bad --papi list '%s': give EVENT[,EVENT...] with names of at most %d characters\n",
				list, PERF_PAPI_NAME_MAX - 1);
			return false;
		}
		if (pp->nevents == PERF_PAPI_MAX) {
			fprintf(stderr, "omx_perf: --papi takes at most %d events\n", PERF_PAPI_MAX);
			return false;
		}
		memcpy(pp->ev[pp->nevents].name, s, n);
		pp->ev[pp->nevents].name[n] = '\0';
		pp->nevents++;
		if (!s[n])
			return true;
		s += n + 1;
	}
}

#ifdef OMX_HAVE_PAPI
/* Is NAME one of the events the sde component knows now? */
static bool papi_sde_known(const char *name)
{
	int cidx = PAPI_get_component_index("sde");
	int code = PAPI_NATIVE_MASK;
	char n[PAPI_MAX_STR_LEN];

	/*
	 * PAPI_event_name_to_code accepts any sde::: name (a placeholder for
	 * a library that registers later): only the enumeration says which
	 * events exist.
	 */
	if (cidx < 0 || PAPI_enum_cmp_event(&code, PAPI_ENUM_FIRST, cidx) != PAPI_OK)
		return false;
	do {
		if (PAPI_event_code_to_name(code, n) == PAPI_OK && !strcmp(n, name))
			return true;
	} while (PAPI_enum_cmp_event(&code, PAPI_ENUM_EVENTS, cidx) == PAPI_OK);
	return false;
}

static bool papi_available(const char *name)
{
	int code;

	return PAPI_event_name_to_code(name, &code) == PAPI_OK && PAPI_query_event(code) == PAPI_OK;
}

/* A hardware event set of component CIDX counting in DOMAIN, or PAPI_NULL. */
static int papi_hw_set(int cidx, int domain, const char *dom_name)
{
	PAPI_option_t opt;
	int set = PAPI_NULL, ret;

	ret = PAPI_create_eventset(&set);
	if (ret == PAPI_OK)
		ret = PAPI_assign_eventset_component(set, cidx);
	if (ret == PAPI_OK) {
		memset(&opt, 0, sizeof(opt));
		opt.domain.eventset = set;
		opt.domain.domain = domain;
		ret = PAPI_set_opt(PAPI_DOMAIN, &opt);
	}
	if (ret != PAPI_OK) {
		fprintf(stderr, "omx_perf: cannot count hardware events in the %s domain (PAPI: %s; see /proc/sys/kernel/perf_event_paranoid): not counted\n",
			dom_name, PAPI_strerror(ret));
		if (set != PAPI_NULL)
			PAPI_destroy_eventset(&set);
		return PAPI_NULL;
	}
	return set;
}

/* Adds event I to SET as its *N-th event, or says why not. */
static void papi_add(struct perf_papi *pp, int i, int set, int *n, int pass, const char *what)
{
	int ret = PAPI_add_named_event(set, pp->ev[i].name);

	if (ret == PAPI_OK) {
		pp->ev[i].slot[pass] = (*n)++;
		return;
	}
	fprintf(stderr, "omx_perf: %s cannot be counted%s (PAPI: %s): not counted\n",
		pp->ev[i].name, what, PAPI_strerror(ret));
}

/*
 * Resolves and adds the events of PP.  Returns 0, or 2 after a message
 * for an unknown event name, 1 when PAPI itself does not start.
 */
static int papi_setup(struct perf_papi *pp)
{
	const PAPI_component_info_t *ci;
	char missing[PERF_PAPI_MAX * PERF_PAPI_NAME_MAX] = "";
	int ret, cidx, i, code;
	bool hw_ok, any_hw = false;
	const char *reason;

	pp->set_soft = pp->set_user = pp->set_kernel = PAPI_NULL;
	pp->nsoft = pp->nuser = pp->nkernel = 0;
	ret = PAPI_library_init(PAPI_VER_CURRENT);
	if (ret != PAPI_VER_CURRENT) {
		fprintf(stderr, "omx_perf: cannot initialise PAPI: %s\n",
			ret > 0 ? "libpapi is not the version omx_perf was built with" :
				  PAPI_strerror(ret));
		return 1;
	}
	cidx = PAPI_get_component_index("perf_event");
	ci = cidx >= 0 ? PAPI_get_component_info(cidx) : NULL;
	hw_ok = ci && !ci->disabled;
	reason = !ci ? "PAPI has no perf_event component" :
		 ci->disabled_reason[0] ? ci->disabled_reason : "perf_event component disabled";
	for (i = 0; i < pp->nevents; i++) {
		struct perf_event *e = &pp->ev[i];

		e->slot[0] = e->slot[1] = -1;
		if (!strcmp(e->name, PERF_PAPI_DEFAULT)) {
			/* the paper's L2 misses: total if the CPU has it, else data */
			snprintf(e->name, sizeof(e->name), "%s",
				 hw_ok && !papi_available("PAPI_L2_TCM") && papi_available("PAPI_L2_DCM") ?
				 "PAPI_L2_DCM" : "PAPI_L2_TCM");
		}
		if (!strncmp(e->name, "sde:::", 6)) {
			if (!papi_sde_known(e->name)) {
				fprintf(stderr, "omx_perf: unknown event '%s': no such software-defined event (papi_native_avail lists them; libomx exports sde:::omx::messages_sent, messages_received, recv_bytes_copied, unexpected_messages, rx_frames_off_cpu)\n",
					e->name);
				return 2;
			}
			e->soft = true;
			continue;
		}
		if (PAPI_event_name_to_code(e->name, &code) == PAPI_OK) {
			/* a preset, or a native event of some component */
			e->soft = !IS_PRESET(code) &&
				  PAPI_get_event_component(code) == PAPI_get_component_index("sde");
		} else if (!hw_ok && (!strncmp(e->name, "perf::", 6) ||
				      !strncmp(e->name, "perf_raw::", 10))) {
			/* a perf_event native name that cannot be checked without a PMU */
			e->soft = false;
		} else {
			fprintf(stderr, "omx_perf: unknown event '%s': neither a PAPI preset (papi_avail) nor a native event (papi_native_avail)\n",
				e->name);
			return 2;
		}
		if (!e->soft)
			any_hw = true;
	}
	if (any_hw && !hw_ok) {
		/* one line for them all; the run goes on without them */
		for (i = 0; i < pp->nevents; i++)
			if (!pp->ev[i].soft)
				snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
					 "%s%s", missing[0] ? "," : "", pp->ev[i].name);
		fprintf(stderr, "omx_perf: hardware counters are unavailable (PAPI perf_event component: %s): %s not counted\n",
			reason, missing);
	} else if (any_hw) {
		pp->set_user = papi_hw_set(cidx, PAPI_DOM_USER, "user");
		pp->set_kernel = papi_hw_set(cidx, PAPI_DOM_KERNEL, "kernel");
	}
	for (i = 0; i < pp->nevents; i++) {
		if (pp->ev[i].soft) {
			if (pp->set_soft == PAPI_NULL &&
			    (ret = PAPI_create_eventset(&pp->set_soft)) != PAPI_OK) {
				fprintf(stderr, "omx_perf: cannot create a PAPI event set: %s\n",
					PAPI_strerror(ret));
				return 1;
			}
			papi_add(pp, i, pp->set_soft, &pp->nsoft, 0, "");
			continue;
		}
		if (pp->set_user != PAPI_NULL)
			papi_add(pp, i, pp->set_user, &pp->nuser, 0, " in the user domain");
		if (pp->set_kernel != PAPI_NULL)
			papi_add(pp, i, pp->set_kernel, &pp->nkernel, 1, " in the kernel domain");
	}
	return 0;
}

/* The sets counting in PASS; their number in *n. */
static int papi_pass_sets(const struct perf_papi *pp, int pass, int sets[2], int counts[2])
{
	int n = 0;

	if (pass == 0 && pp->nsoft) {
		sets[n] = pp->set_soft;
		counts[n++] = pp->nsoft;
	}
	if (pass == 0 && pp->nuser) {
		sets[n] = pp->set_user;
		counts[n++] = pp->nuser;
	}
	if (pass == 1 && pp->nkernel) {
		sets[n] = pp->set_kernel;
		counts[n++] = pp->nkernel;
	}
	return n;
}

static bool papi_start(const struct perf_papi *pp, int pass)
{
	int sets[2], counts[2], n = papi_pass_sets(pp, pass, sets, counts), i, ret;

	for (i = 0; i < n; i++) {
		ret = PAPI_start(sets[i]);
		if (ret != PAPI_OK) {
			fprintf(stderr, "omx_perf: PAPI_start: %s\n", PAPI_strerror(ret));
			while (i--)
				PAPI_stop(sets[i], NULL);
			return false;
		}
	}
	return true;
}

/* Stops PASS's sets and fills C with their counts per message of ITERS. */
static bool papi_stop(const struct perf_papi *pp, int pass, uint32_t iters, struct perf_counts *c)
{
	long long vals[2][PERF_PAPI_MAX];
	int sets[2], counts[2], n = papi_pass_sets(pp, pass, sets, counts), s, i, ret;
	bool ok = true;

	for (s = 0; s < n; s++) {
		ret = PAPI_stop(sets[s], vals[s]);
		if (ret != PAPI_OK) {
			fprintf(stderr, "omx_perf: PAPI_stop: %s\n", PAPI_strerror(ret));
			ok = false;
		}
	}
	if (!ok || !iters)
		return ok;
	for (i = 0; i < pp->nevents; i++) {
		const struct perf_event *e = &pp->ev[i];
		int set = pass ? pp->set_kernel : e->soft ? pp->set_soft : pp->set_user;

		if (e->slot[pass] < 0)
			continue;
		for (s = 0; s < n; s++)
			if (sets[s] == set) {
				c->have[i][pass] = true;
				c->per_msg[i][pass] = (double)vals[s][e->slot[pass]] / iters;
			}
	}
	return true;
}
#else
/* not reached: the option itself is refused */
static int papi_setup(struct perf_papi *pp)
{
	(void)pp;
	return 2;
}

static bool papi_start(const struct perf_papi *pp, int pass)
{
	(void)pp;
	(void)pass;
	return true;
}

static bool papi_stop(const struct perf_papi *pp, int pass, uint32_t iters, struct perf_counts *c)
{
	(void)pp;
	(void)pass;
	(void)iters;
	(void)c;
	return true;
}
#endif

struct perf_result {
	enum perf_test test;
	uint32_t size;
	uint32_t iters;
	double latency_us;
	double mbps;
	double mibps;
	struct perf_counts papi;
};

struct perf {
	mx_endpoint_t ep;
	mx_endpoint_addr_t peer;
	uint32_t board, eid, reid, key, timeout_ms;
	enum perf_mode mode;
	uint8_t *sbuf, *rbuf;
	uint32_t buflen;
	char host[MX_MAX_HOSTNAME_LEN], peer_name[MX_MAX_HOSTNAME_LEN + 16];
	struct perf_papi papi;		/* --papi; nevents 0 without it */
};

static const char *const test_names[] = { "quit", "pingpong", "stream" };
static const char *const mode_names[] = { "poll", "block" };

/* The library's message for the last failed call, kept for our own errors. */
static char last_error[512];

static mx_return_t keep_error(char *str, mx_return_t ret)
{
	snprintf(last_error, sizeof(last_error), "%s", str);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_perf [-b BOARD] [-e EID] [-1]                 (server)\n"
		"       omx_perf -d HOST[:BOARD]|MAC [options]            (client)\n"
		"MX ping-pong and stream benchmark over a sweep of message sizes.\n"
		"  -b, --board N            local board number (default 0)\n"
		"  -e, --endpoint N         local endpoint (server default 0, client any)\n"
		"  -1, --once               server: exit after one client\n"
		"  -d, --dest HOST[:BOARD]  client: the server's board, as omx_info names it\n"
		"                           (node1:0), or its MAC address\n"
		"  -r, --remote-endpoint N  the server's endpoint (default 0)\n"
		"  -t, --test T             pingpong (default), stream or both\n"
		"  -s, --min BYTES          smallest size (default 0)\n"
		"  -S, --max BYTES          largest size (default: the largest the library\n"
		"                           accepts, at most %u)\n"
		"  -m, --multiplier N       next size = size * N (default 2; 0 -> 1)\n"
		"  -n, --iterations N       timed messages per size (default 1000)\n"
		"  -w, --warmup N           untimed messages first (default 10)\n"
		"  -M, --mode poll|block    complete by mx_test busy-polling (default) or by\n"
		"                           sleeping in mx_wait; the server follows\n"
		"  -f, --format F           table (default), csv or json\n"
		"  -T, --timeout MS         connect and per-message timeout (default 10000)\n"
		"  -k, --key N              endpoint filter key (default 0x%x)\n"
		"      --papi [E1,E2,...]   count PAPI events around each timed loop, per\n"
		"                           message (hardware: user and kernel domains);\n"
		"                           none or 'default': L2 misses (PAPI_L2_TCM, else\n"
		"                           PAPI_L2_DCM); a server prints one line per round\n"
		"  -v, --verbose            at the end, print the endpoint's transport\n"
		"                           counters (resends, frames kept ahead of a gap,\n"
		"                           duplicates, window stalls) on stderr\n"
		"  -h, --help               show this help\n"
		"Latency is half a round trip (pingpong) or the time per message (stream);\n"
		"MB/s = 10^6 bytes/s, MiB/s = 2^20 bytes/s.\n",
		PERF_DEFAULT_MAX, PERF_KEY);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s || *end || x > UINT32_MAX || s[0] == '-')
		return false;
	*v = (uint32_t)x;
	return true;
}

static void bad_arg(const char *opt, const char *val)
{
	fprintf(stderr, "omx_perf: bad value '%s' for %s (see omx_perf --help)\n", val, opt);
	exit(2);
}

/*
 * Complete one request in the session's mode.  Returns true when it
 * completed (its status in *st), false on timeout or library error, with
 * a message naming WHAT.
 */
static bool complete(struct perf *p, mx_request_t *req, mx_status_t *st, const char *what)
{
	uint32_t done = 0;
	mx_return_t ret;

	if (p->mode == MODE_BLOCK) {
		ret = mx_wait(p->ep, req, p->timeout_ms, st, &done);
	} else {
		double deadline = now_us() + p->timeout_ms * 1e3;
		unsigned int spins = 0;

		do {
			ret = mx_test(p->ep, req, st, &done);
			/* reading the clock every time would cost more than mx_test */
		} while (ret == MX_SUCCESS && !done && (++spins & 1023 || now_us() < deadline));
	}
	if (ret != MX_SUCCESS) {
		fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
		return false;
	}
	if (!done) {
		fprintf(stderr, "omx_perf: %s: nothing within %u ms: the peer stopped or is unreachable\n",
			what, p->timeout_ms);
		return false;
	}
	if (st->code != MX_STATUS_SUCCESS) {
		fprintf(stderr, "omx_perf: %s: %s\n", what, mx_strstatus(st->code));
		return false;
	}
	return true;
}

static bool post_recv(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      mx_request_t *req, const char *what)
{
	mx_segment_t seg = { buf, len };

	if (mx_irecv(p->ep, &seg, 1, match, MX_MATCH_MASK_NONE, NULL, req) == MX_SUCCESS)
		return true;
	fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
	return false;
}

static bool post_send(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      mx_request_t *req, const char *what)
{
	mx_segment_t seg = { buf, len };

	if (mx_isend(p->ep, &seg, 1, p->peer, match, NULL, req) == MX_SUCCESS)
		return true;
	fprintf(stderr, "omx_perf: %s: %s\n", what, last_error);
	return false;
}

static bool send_wait(struct perf *p, void *buf, uint32_t len, uint64_t match, const char *what)
{
	mx_request_t req;
	mx_status_t st;

	return post_send(p, buf, len, match, &req, what) && complete(p, &req, &st, what);
}

static bool grow_buffers(struct perf *p, uint32_t size)
{
	uint8_t *s, *r;

	if (size <= p->buflen && p->sbuf)
		return true;
	s = realloc(p->sbuf, size ? size : 1);
	if (s)
		p->sbuf = s;
	r = realloc(p->rbuf, size ? size : 1);
	if (r)
		p->rbuf = r;
	if (!s || !r) {
		fprintf(stderr, "omx_perf: out of memory for %u-byte buffers\n", size);
		return false;
	}
	memset(p->sbuf + p->buflen, 0xa5, size - p->buflen);
	p->buflen = size;
	return true;
}

static bool check_length(const mx_status_t *st, uint32_t size, const char *what)
{
	if (st->xfer_length == size)
		return true;
	fprintf(stderr, "omx_perf: %s: got %u bytes, expected %u\n", what, st->xfer_length, size);
	return false;
}

/* Ping-pong side A (client): send, then wait for the echo. */
static bool pingpong_client(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t sreq, rreq;
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!post_recv(p, p->rbuf, size, PERF_DATA, &rreq, "ping-pong receive") ||
		    !post_send(p, p->sbuf, size, PERF_DATA, &sreq, "ping-pong send") ||
		    !complete(p, &sreq, &st, "ping-pong send") ||
		    !complete(p, &rreq, &st, "ping-pong echo") ||
		    !check_length(&st, size, "ping-pong echo"))
			return false;
	}
	return true;
}

static bool pingpong_server(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t sreq, rreq;
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!post_recv(p, p->rbuf, size, PERF_DATA, &rreq, "ping-pong receive") ||
		    !complete(p, &rreq, &st, "ping-pong receive") ||
		    !check_length(&st, size, "ping-pong receive") ||
		    !post_send(p, p->rbuf, size, PERF_DATA, &sreq, "ping-pong echo") ||
		    !complete(p, &sreq, &st, "ping-pong echo"))
			return false;
	}
	return true;
}

/* Stream sender: keep up to PERF_WINDOW sends in flight, oldest completed first. */
static bool stream_client(struct perf *p, uint32_t size, uint32_t count)
{
	mx_request_t win[PERF_WINDOW], done_req;
	mx_status_t st;
	uint32_t i;

	if (!post_recv(p, NULL, 0, PERF_DONE, &done_req, "stream end"))
		return false;
	for (i = 0; i < count; i++) {
		if (i >= PERF_WINDOW &&
		    !complete(p, &win[i % PERF_WINDOW], &st, "stream send"))
			return false;
		if (!post_send(p, p->sbuf, size, PERF_DATA, &win[i % PERF_WINDOW], "stream send"))
			return false;
	}
	for (i = count > PERF_WINDOW ? count - PERF_WINDOW : 0; i < count; i++)
		if (!complete(p, &win[i % PERF_WINDOW], &st, "stream send"))
			return false;
	return complete(p, &done_req, &st, "stream end (receiver's acknowledgement)");
}

/* Stream receiver: receives of a round are already posted in WIN. */
static bool stream_server(struct perf *p, uint32_t size, uint32_t count,
			  mx_request_t *win)
{
	mx_status_t st;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (!complete(p, &win[i % PERF_WINDOW], &st, "stream receive") ||
		    !check_length(&st, size, "stream receive"))
			return false;
		if (i + PERF_WINDOW < count &&
		    !post_recv(p, p->rbuf, size, PERF_DATA, &win[i % PERF_WINDOW],
			       "stream receive"))
			return false;
	}
	return send_wait(p, NULL, 0, PERF_DONE, "stream end");
}

/*
 * Client: one round (warm-up or timed) of TEST; *elapsed_us gets its
 * time.  PASS >= 0: --papi counts the loop (pass 0 or 1) into *C.
 */
static bool client_round(struct perf *p, enum perf_test test, uint32_t size, uint32_t count,
			 double *elapsed_us, int pass, struct perf_counts *c)
{
	struct perf_begin b = {
		.magic = PERF_MAGIC, .version = PERF_VERSION, .test = test,
		.mode = p->mode, .size = size, .count = count,
	};
	mx_request_t rreq;
	mx_status_t st;
	uint32_t status = 1;
	double t0;
	bool ok, counting;

	if (!post_recv(p, &status, sizeof(status), PERF_READY, &rreq, "server's answer") ||
	    !send_wait(p, &b, sizeof(b), PERF_BEGIN, "request to the server") ||
	    !complete(p, &rreq, &st, "server's answer"))
		return false;
	if (st.xfer_length != sizeof(status) || status != 0) {
		fprintf(stderr, "omx_perf: the server refused %s of %u x %u bytes (too large for it?)\n",
			test_names[test], count, size);
		return false;
	}
	/* counting starts after READY: the control messages are not counted */
	counting = pass >= 0 && papi_start(&p->papi, pass);
	t0 = now_us();
	ok = test == TEST_PINGPONG ? pingpong_client(p, size, count) :
				     stream_client(p, size, count);
	*elapsed_us = now_us() - t0;
	if (counting)
		papi_stop(&p->papi, pass, ok ? count : 0, c);
	return ok;
}

static void print_header(const struct perf *p, enum perf_format fmt, uint32_t iters,
			 uint32_t warmup)
{
	if (fmt == FMT_CSV) {
		printf("test,mode,bytes,iterations,latency_us,MBps,MiBps");
		papi_print_header(&p->papi, fmt);
		printf("\n");
	} else if (fmt == FMT_TABLE) {
		printf("# omx_perf: %s board %u -> %s endpoint %u, mode %s, %u iterations, %u warm-up\n",
		       p->host, p->board, p->peer_name, p->reid, mode_names[p->mode], iters, warmup);
		printf("%-9s %-5s %9s %12s %11s %11s", "test", "mode", "bytes", "latency_us",
		       "MB/s", "MiB/s");
		papi_print_header(&p->papi, fmt);
		printf("\n");
	}
	fflush(stdout);
}

static void print_result(const struct perf *p, enum perf_format fmt, const struct perf_result *r)
{
	if (fmt == FMT_CSV)
		printf("%s,%s,%u,%u,%.3f,%.3f,%.3f", test_names[r->test], mode_names[p->mode],
		       r->size, r->iters, r->latency_us, r->mbps, r->mibps);
	else if (fmt == FMT_TABLE)
		printf("%-9s %-5s %9u %12.3f %11.3f %11.3f", test_names[r->test],
		       mode_names[p->mode], r->size, r->latency_us, r->mbps, r->mibps);
	papi_print_values(&p->papi, fmt, &r->papi);
	printf("\n");
	fflush(stdout);
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct perf *p, const struct perf_result *res, size_t n,
		       uint32_t warmup)
{
	size_t i;

	printf("{\"tool\": \"omx_perf\", \"host\": ");
	print_json_string(p->host);
	printf(", \"board\": %u, \"peer\": ", p->board);
	print_json_string(p->peer_name);
	printf(", \"peer_endpoint\": %u, \"mode\": \"%s\", \"warmup\": %u, \"results\": [",
	       p->reid, mode_names[p->mode], warmup);
	for (i = 0; i < n; i++) {
		printf("%s\n  {\"test\": \"%s\", \"bytes\": %u, \"iterations\": %u, "
		       "\"latency_us\": %.3f, \"MBps\": %.3f, \"MiBps\": %.3f",
		       i ? "," : "", test_names[res[i].test], res[i].size, res[i].iters,
		       res[i].latency_us, res[i].mbps, res[i].mibps);
		papi_print_json(&p->papi, &res[i].papi);
		printf("}");
	}
	printf("\n]}\n");
	fflush(stdout);
}

static uint32_t next_size(uint32_t size, uint32_t mult)
{
	uint64_t n = (uint64_t)size * mult;

	if (n <= size)
		n = (uint64_t)size + 1;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static bool open_endpoint(struct perf *p)
{
	mx_return_t ret = mx_open_endpoint(p->board, p->eid, p->key, NULL, 0, &p->ep);
	uint64_t nic;

	switch (ret) {
	case MX_SUCCESS:
		break;
	case MX_BOARD_UNKNOWN:
		fprintf(stderr, "omx_perf: board %u does not exist: 'omx_info' lists the boards omx attached\n",
			p->board);
		return false;
	case MX_BUSY:
		fprintf(stderr, "omx_perf: endpoint %u of board %u is already open: pick another with -e\n",
			p->eid, p->board);
		return false;
	default:
		fprintf(stderr, "omx_perf: cannot open an endpoint on board %u: %s\n", p->board,
			last_error);
		return false;
	}
	if (mx_board_number_to_nic_id(p->board, &nic) != MX_SUCCESS ||
	    mx_nic_id_to_hostname(nic, p->host) != MX_SUCCESS)
		snprintf(p->host, sizeof(p->host), "board%u", p->board);
	return true;
}

static bool init_mx(void)
{
	mx_return_t ret;

	mx_set_error_handler(keep_error);
	ret = mx_init();
	if (ret == MX_SUCCESS)
		return true;
	if (ret == MX_NO_DRIVER || (ret == MX_NO_DEV && access("/dev/omx", F_OK)))
		fprintf(stderr, "omx_perf: the omx driver is not loaded (no /dev/omx): "
			"start it with 'omx_init start' or 'insmod omx.ko ifnames=...'\n");
	else if (ret == MX_NO_PERM)
		fprintf(stderr, "omx_perf: no permission to open /dev/omx: see the udev rule "
			"90-omx.rules (group omx) or run as root\n");
	else
		fprintf(stderr, "omx_perf: %s\n", last_error);
	return false;
}

/* HOST[:BOARD] or a MAC address to a nic id; a bare HOST means HOST:0. */
static bool resolve_dest(struct perf *p, const char *dest, uint64_t *nic)
{
	unsigned int m[6];
	char name[MX_MAX_HOSTNAME_LEN + 8];
	int len = 0, i;

	if (strlen(dest) == 17 &&
	    sscanf(dest, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5], &len) == 6 && len == 17) {
		*nic = 0;
		for (i = 0; i < 6; i++)
			*nic = *nic << 8 | m[i];
		snprintf(p->peer_name, sizeof(p->peer_name), "%s", dest);
		return true;
	}
	if (strlen(dest) >= MX_MAX_HOSTNAME_LEN) {
		fprintf(stderr, "omx_perf: peer name '%s' is too long\n", dest);
		return false;
	}
	snprintf(name, sizeof(name), strchr(dest, ':') ? "%s" : "%s:0", dest);
	if (mx_hostname_to_nic_id(name, nic) != MX_SUCCESS) {
		fprintf(stderr, "omx_perf: no board named '%s' is known here: check the name "
			"and run 'omx_info --discover' to find the peers\n", name);
		return false;
	}
	snprintf(p->peer_name, sizeof(p->peer_name), "%s", name);
	return true;
}

static bool connect_peer(struct perf *p, uint64_t nic)
{
	mx_return_t ret = mx_connect(p->ep, nic, p->reid, p->key, p->timeout_ms, &p->peer);

	switch (ret) {
	case MX_SUCCESS:
		return true;
	case MX_TIMEOUT:
		fprintf(stderr, "omx_perf: no answer from %s endpoint %u within %u ms: the peer is "
			"unreachable (link down? wrong board?)\n", p->peer_name, p->reid,
			p->timeout_ms);
		break;
	case MX_CONNECTION_FAILED:
		fprintf(stderr, "omx_perf: %s has no endpoint %u open: start 'omx_perf' (the "
			"server) there first (%s)\n", p->peer_name, p->reid, last_error);
		break;
	case MX_BAD_CONNECTION_KEY:
		fprintf(stderr, "omx_perf: %s endpoint %u refused key 0x%x: use the server's -k\n",
			p->peer_name, p->reid, p->key);
		break;
	default:
		fprintf(stderr, "omx_perf: cannot connect to %s endpoint %u: %s\n", p->peer_name,
			p->reid, last_error);
		break;
	}
	return false;
}

/* The last send of a session: the peer may close as soon as it has it. */
static bool last_send_done(struct perf *p, mx_request_t *req, const char *what)
{
	mx_status_t st;
	uint32_t done = 0;

	if (mx_wait(p->ep, req, p->timeout_ms, &st, &done) != MX_SUCCESS || !done ||
	    (st.code != MX_STATUS_SUCCESS && st.code != MX_STATUS_ENDPOINT_CLOSED)) {
		fprintf(stderr, "omx_perf: %s: %s\n", what,
			done ? mx_strstatus(st.code) : "not acknowledged");
		return false;
	}
	return true;
}

/*
 * A BEGIN of test "quit" ends the session; the server confirms it and
 * closes.  Our goodbye may then be told "endpoint closed" instead of
 * acknowledged, which is fine once the confirmation came.
 */
static bool say_goodbye(struct perf *p)
{
	struct perf_begin b = { .magic = PERF_MAGIC, .version = PERF_VERSION };
	mx_request_t rreq, sreq;
	mx_status_t st;
	uint32_t status = 1;

	if (!post_recv(p, &status, sizeof(status), PERF_READY, &rreq, "server's goodbye") ||
	    !post_send(p, &b, sizeof(b), PERF_BEGIN, &sreq, "goodbye to the server") ||
	    !complete(p, &rreq, &st, "server's goodbye"))
		return false;
	return last_send_done(p, &sreq, "goodbye to the server");
}

struct client_opts {
	const char *dest;
	uint32_t min, max, mult, iters, warmup;
	bool stream, pingpong;
	enum perf_format fmt;
};

static int run_client(struct perf *p, const struct client_opts *o)
{
	struct perf_result *res = NULL;
	size_t nres = 0, cap = 0;
	uint32_t size, max = o->max;
	uint64_t nic;
	bool ok = true;
	int t;

	if (!resolve_dest(p, o->dest, &nic))
		return 1;
	if (!connect_peer(p, nic))
		return 1;
	print_header(p, o->fmt, o->iters, o->warmup);
	for (t = TEST_PINGPONG; t <= TEST_STREAM && ok; t++) {
		if ((t == TEST_PINGPONG && !o->pingpong) || (t == TEST_STREAM && !o->stream))
			continue;
		for (size = o->min; size <= max && ok; size = next_size(size, o->mult)) {
			struct perf_result r = { .test = t, .size = size, .iters = o->iters };
			double us = 0;

			double us2;

			ok = grow_buffers(p, size) &&
			     (!o->warmup || client_round(p, t, size, o->warmup, &us, -1, NULL)) &&
			     (!o->iters || client_round(p, t, size, o->iters, &us, 0, &r.papi)) &&
			     /* the kernel domain's hardware counts: an identical round */
			     (!o->iters || !papi_kernel_pass(&p->papi) ||
			      client_round(p, t, size, o->iters, &us2, 1, &r.papi));
			if (!ok) {
				fprintf(stderr, "omx_perf: %s of %u bytes failed\n", test_names[t], size);
				break;
			}
			r.latency_us = o->iters ? us / o->iters / (t == TEST_PINGPONG ? 2 : 1) : 0;
			r.mbps = r.latency_us > 0 ? size / r.latency_us : 0;
			r.mibps = r.mbps * 1e6 / (1024.0 * 1024.0);
			if (o->fmt == FMT_JSON) {
				if (nres == cap) {
					struct perf_result *n;

					cap = cap ? 2 * cap : 64;
					n = realloc(res, cap * sizeof(*res));
					if (!n) {
						fprintf(stderr, "omx_perf: out of memory\n");
						free(res);
						return 1;
					}
					res = n;
				}
				res[nres++] = r;
			} else {
				print_result(p, o->fmt, &r);
			}
			if (size == UINT32_MAX)
				break;
		}
	}
	if (ok)
		ok = say_goodbye(p);
	if (ok && o->fmt == FMT_JSON)
		print_json(p, res, nres, o->warmup);
	free(res);
	return ok ? 0 : 1;
}

/*
 * Server with --papi: one line per round (warm-up rounds and the
 * client's kernel-domain repeat included, the server cannot tell them
 * apart), software events and hardware events in the user domain.
 */
static void print_server_counts(const struct perf *p, unsigned long round,
				const struct perf_begin *b, const struct perf_counts *c)
{
	int i;

	printf("omx_perf: round %lu %s %u bytes x %u:", round, test_names[b->test], b->size,
	       b->count);
	for (i = 0; i < p->papi.nevents; i++) {
		printf(" %s%s=", p->papi.ev[i].name, p->papi.ev[i].soft ? "" : "/u");
		if (c->have[i][0])
			printf("%.3f", c->per_msg[i][0]);
	}
	printf("\n");
	fflush(stdout);
}

/* Server: answer one BEGIN (the ROUND-th of the session); false ends the session. */
static bool serve_round(struct perf *p, unsigned long round, const struct perf_begin *b,
			const mx_status_t *st)
{
	mx_request_t win[PERF_WINDOW];
	uint32_t status = 0, i;
	bool valid, counting, ok;

	p->peer = st->source;
	valid = st->xfer_length == sizeof(*b) && b->magic == PERF_MAGIC &&
		b->version == PERF_VERSION &&
		(b->test == TEST_PINGPONG || b->test == TEST_STREAM) &&
		(b->mode == MODE_POLL || b->mode == MODE_BLOCK) &&
		b->size <= PERF_SIZE_LIMIT && b->count <= PERF_COUNT_LIMIT;
	if (!valid || !grow_buffers(p, b->size)) {
		fprintf(stderr, "omx_perf: refusing a malformed or too large request\n");
		status = 1;
		send_wait(p, &status, sizeof(status), PERF_READY, "refusal");
		return false;
	}
	p->mode = b->mode;
	if (b->test == TEST_STREAM)
		for (i = 0; i < b->count && i < PERF_WINDOW; i++)
			if (!post_recv(p, p->rbuf, b->size, PERF_DATA, &win[i], "stream receive"))
				return false;
	if (!send_wait(p, &status, sizeof(status), PERF_READY, "answer to the client"))
		return false;
	counting = p->papi.nevents && papi_start(&p->papi, 0);
	ok = b->test == TEST_STREAM ? stream_server(p, b->size, b->count, win) :
				      pingpong_server(p, b->size, b->count);
	if (counting) {
		struct perf_counts c;

		memset(&c, 0, sizeof(c));
		papi_stop(&p->papi, 0, ok ? b->count : 0, &c);
		print_server_counts(p, round, b, &c);
	}
	return ok;
}

/* Serve one client from its first BEGIN to its goodbye. */
static bool serve_client(struct perf *p)
{
	unsigned long rounds = 0;
	bool first = true;

	for (;;) {
		struct perf_begin b;
		mx_request_t req;
		mx_status_t st;

		memset(&b, 0, sizeof(b));
		if (!post_recv(p, &b, sizeof(b), PERF_BEGIN, &req, "waiting for a client"))
			return false;
		if (first) {
			uint32_t done = 0;

			/* idle: sleep until a client comes, however long that takes */
			if (mx_wait(p->ep, &req, MX_INFINITE, &st, &done) != MX_SUCCESS || !done ||
			    st.code != MX_STATUS_SUCCESS) {
				fprintf(stderr, "omx_perf: waiting for a client: %s\n", last_error);
				return false;
			}
			first = false;
		} else {
			p->mode = MODE_BLOCK;
			if (!complete(p, &req, &st, "waiting for the client's next request"))
				return false;
		}
		if (st.xfer_length == sizeof(b) && b.magic == PERF_MAGIC && b.test == TEST_QUIT) {
			uint32_t status = 0;

			p->peer = st.source;
			if (!post_send(p, &status, sizeof(status), PERF_READY, &req, "goodbye") ||
			    !last_send_done(p, &req, "goodbye"))
				return false;
			printf("omx_perf: client done after %lu rounds\n", rounds);
			fflush(stdout);
			return true;
		}
		if (!serve_round(p, rounds + 1, &b, &st))
			return false;
		rounds++;
	}
}

/* -v: what the transport did (docs/mx-api.md, "Loss recovery") */
static void print_stats(mx_endpoint_t ep)
{
	struct omx_endpoint_stats s;

	if (omx_get_endpoint_stats(ep, &s, sizeof(s)) != MX_SUCCESS)
		return;
	fprintf(stderr,
		"omx_perf: transport: resent_timeout=%llu resent_fast=%llu gap_reports=%llu ooo_kept=%llu ooo_dropped=%llu duplicates=%llu window_stalls=%llu zombies_failed=%llu resent_probe=%llu\n",
		(unsigned long long)s.resent_timeout, (unsigned long long)s.resent_fast,
		(unsigned long long)s.gap_reports, (unsigned long long)s.ooo_kept,
		(unsigned long long)s.ooo_dropped, (unsigned long long)s.duplicates,
		(unsigned long long)s.window_stalls, (unsigned long long)s.zombies_failed,
		(unsigned long long)s.resent_probe);
}

static int run_server(struct perf *p, bool once)
{
	printf("omx_perf: server on %s (board %u) endpoint %u, key 0x%x: waiting for clients\n",
	       p->host, p->board, p->eid, p->key);
	fflush(stdout);
	for (;;) {
		bool ok = serve_client(p);

		if (once)
			return ok ? 0 : 1;
		if (!ok) {
			/* drop whatever the broken session left posted */
			mx_close_endpoint(p->ep);
			if (!open_endpoint(p))
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "once", no_argument, NULL, '1' },
		{ "dest", required_argument, NULL, 'd' },
		{ "remote-endpoint", required_argument, NULL, 'r' },
		{ "test", required_argument, NULL, 't' },
		{ "min", required_argument, NULL, 's' },
		{ "max", required_argument, NULL, 'S' },
		{ "multiplier", required_argument, NULL, 'm' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "mode", required_argument, NULL, 'M' },
		{ "format", required_argument, NULL, 'f' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "key", required_argument, NULL, 'k' },
		{ "papi", optional_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct client_opts o = {
		.max = PERF_DEFAULT_MAX, .mult = 2, .iters = 1000, .warmup = 10,
		.pingpong = true, .fmt = FMT_TABLE,
	};
	struct perf p = {
		.reid = PERF_DEFAULT_EID, .key = PERF_KEY, .timeout_ms = 10000,
		.mode = MODE_POLL, .eid = MX_ANY_ENDPOINT,
	};
	bool once = false, eid_given = false, verbose = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "b:e:1d:r:t:s:S:m:n:w:M:f:T:k:vh", longs, NULL)) != -1) {
		switch (opt) {
		case 'b':
			if (!parse_u32(optarg, &p.board))
				bad_arg("--board", optarg);
			break;
		case 'e':
			if (!parse_u32(optarg, &p.eid))
				bad_arg("--endpoint", optarg);
			eid_given = true;
			break;
		case '1':
			once = true;
			break;
		case 'd':
			o.dest = optarg;
			break;
		case 'r':
			if (!parse_u32(optarg, &p.reid))
				bad_arg("--remote-endpoint", optarg);
			break;
		case 't':
			o.pingpong = !strcmp(optarg, "pingpong") || !strcmp(optarg, "both");
			o.stream = !strcmp(optarg, "stream") || !strcmp(optarg, "both");
			if (!o.pingpong && !o.stream)
				bad_arg("--test", optarg);
			break;
		case 's':
			if (!parse_u32(optarg, &o.min))
				bad_arg("--min", optarg);
			break;
		case 'S':
			if (!parse_u32(optarg, &o.max))
				bad_arg("--max", optarg);
			break;
		case 'm':
			if (!parse_u32(optarg, &o.mult))
				bad_arg("--multiplier", optarg);
			break;
		case 'n':
			if (!parse_u32(optarg, &o.iters) || o.iters > PERF_COUNT_LIMIT)
				bad_arg("--iterations", optarg);
			break;
		case 'w':
			if (!parse_u32(optarg, &o.warmup) || o.warmup > PERF_COUNT_LIMIT)
				bad_arg("--warmup", optarg);
			break;
		case 'M':
			if (!strcmp(optarg, "poll"))
				p.mode = MODE_POLL;
			else if (!strcmp(optarg, "block"))
				p.mode = MODE_BLOCK;
			else
				bad_arg("--mode", optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "table"))
				o.fmt = FMT_TABLE;
			else if (!strcmp(optarg, "csv"))
				o.fmt = FMT_CSV;
			else if (!strcmp(optarg, "json"))
				o.fmt = FMT_JSON;
			else
				bad_arg("--format", optarg);
			break;
		case 'T':
			if (!parse_u32(optarg, &p.timeout_ms) || !p.timeout_ms)
				bad_arg("--timeout", optarg);
			break;
		case 'k':
			if (!parse_u32(optarg, &p.key))
				bad_arg("--key", optarg);
			break;
		case 'P':
#ifndef OMX_HAVE_PAPI
			fprintf(stderr, "omx_perf: built without PAPI (./configure --without-papi, or PAPI or libsde missing): --papi is not available\n");
			return 2;
#endif
			/* "--papi E1,E2" as well as "--papi=E1,E2"; a bare --papi is the default */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			if (!papi_parse_list(&p.papi, optarg ? optarg : PERF_PAPI_DEFAULT))
				return 2;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "omx_perf: unexpected argument '%s' (see omx_perf --help)\n",
			argv[optind]);
		return 2;
	}
	if (o.min > o.max) {
		fprintf(stderr, "omx_perf: --min %u is above --max %u\n", o.min, o.max);
		return 2;
	}
	if (!o.dest && !eid_given)
		p.eid = PERF_DEFAULT_EID;
	if (!init_mx())
		return 1;
	/* after mx_init: libomx has registered its software-defined events */
	if (p.papi.nevents && (rc = papi_setup(&p.papi)) != 0) {
		mx_finalize();
		return rc;
	}
	if (!open_endpoint(&p)) {
		mx_finalize();
		return 1;
	}
	rc = o.dest ? run_client(&p, &o) : run_server(&p, once);
	if (verbose)
		print_stats(p.ep);
	mx_close_endpoint(p.ep);
	mx_finalize();
	free(p.sbuf);
	free(p.rbuf);
	return rc;
}
