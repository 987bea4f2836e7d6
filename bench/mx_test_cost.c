// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_test_cost: what one idle mx_test costs, with 1 connected partner and
 * with N connected idle partners (bench/README.md, "Progression cost").
 *
 *   mx_test_cost [--partners N] [--boards B] [--calls M]
 *
 * Partners are endpoints 0..255 of boards 0..B-1, opened one at a time by
 * a child process: it opens one, the parent connects to it, the child
 * closes it again, so the parent ends up with N connected partners that
 * never send anything.  Boards of one host reach each other inside it.  Prints CSV:
 *
 *   what,partners,calls,ns_per_call
 *
 * for clock_gettime(CLOCK_MONOTONIC), CLOCK_MONOTONIC_COARSE, and
 * mx_test of a pending receive on an endpoint with 1 partner and on one
 * with N partners (medians of 5 interleaved runs of M calls each), and
 * the ratio of the two.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <myriexpress.h>

#define KEY	0x7e57c057U
#define RUNS	5

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_double);
	return v[RUNS / 2];
}

static double clock_cost(clockid_t id, unsigned long calls)
{
	double t[RUNS];
	struct timespec ts;
	unsigned long i;
	int r;

	for (r = 0; r < RUNS; r++) {
		double t0 = now_ns();

		for (i = 0; i < calls; i++)
			clock_gettime(id, &ts);
		t[r] = (now_ns() - t0) / calls;
	}
	return median(t);
}

/* ns per mx_test of the pending receive @req, over @calls calls */
static double test_cost(mx_endpoint_t ep, mx_request_t *req, unsigned long calls)
{
	mx_status_t st;
	uint32_t result;
	unsigned long i;
	double t0 = now_ns();

	for (i = 0; i < calls; i++) {
		if (mx_test(ep, req, &st, &result) != MX_SUCCESS || result) {
			fprintf(stderr, "mx_test_cost: the idle receive completed\n");
			exit(1);
		}
	}
	return (now_ns() - t0) / calls;
}

/* The child: opens the endpoint it is told, answers, closes on request. */
static int child(int in, int out)
{
	FILE *cmd = fdopen(in, "r");
	unsigned int board, eid;
	mx_endpoint_t ep;
	char line[64];

	if (!cmd || mx_init() != MX_SUCCESS)
		return 1;
	while (fgets(line, sizeof(line), cmd)) {
		char ans[32];
		int n;

		if (sscanf(line, "open %u %u", &board, &eid) != 2)
			break;
		if (mx_open_endpoint(board, eid, KEY, NULL, 0, &ep) != MX_SUCCESS) {
			n = snprintf(ans, sizeof(ans), "fail\n");
			if (write(out, ans, (size_t)n) != n)
				return 1;
			continue;
		}
		/* its progression thread answers the connect meanwhile */
		n = snprintf(ans, sizeof(ans), "ok\n");
		if (write(out, ans, (size_t)n) != n || !fgets(line, sizeof(line), cmd))
			return 1;
		mx_close_endpoint(ep);
		n = snprintf(ans, sizeof(ans), "closed\n");
		if (write(out, ans, (size_t)n) != n)
			return 1;
	}
	mx_finalize();
	return 0;
}

static int ask(FILE *to, FILE *from, const char *fmt, unsigned int a, unsigned int b,
	       const char *want)
{
	char line[64];

	fprintf(to, fmt, a, b);
	fflush(to);
	if (!fgets(line, sizeof(line), from))
		return -1;
	return strncmp(line, want, strlen(want)) ? -1 : 0;
}

/*
 * Connects to the next partner, going round the boards for each endpoint
 * index; -1 when none is left.
 */
static int add_partner(mx_endpoint_t *eps, int neps, const uint32_t *own_eids, uint32_t boards,
		       FILE *to, FILE *from, uint32_t *next)
{
	mx_return_t ret = MX_SUCCESS;
	mx_endpoint_addr_t addr;
	uint32_t board, eid;
	uint64_t nic;
	int i;

	for (;;) {
		board = *next % boards;
		eid = *next / boards;
		++*next;
		if (eid > 255)
			return -1;
		if (board == 0 && (eid == own_eids[0] || eid == own_eids[1]))
			continue;
		if (ask(to, from, "open %u %u\n", board, eid, "ok") < 0)
			continue;	/* beyond the driver's endpoints per board */
		break;
	}
	ret = mx_board_number_to_nic_id(board, &nic);
	for (i = 0; i < neps && ret == MX_SUCCESS; i++)
		ret = mx_connect(eps[i], nic, eid, KEY, 5000, &addr);
	if (ask(to, from, "close\n", 0, 0, "closed") < 0 || ret != MX_SUCCESS) {
		fprintf(stderr, "mx_test_cost: connect to board %u endpoint %u: %s\n", board,
			eid, mx_strerror(ret));
		return -2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long calls = 200000, partners = 1000, boards = 2, have = 0;
	uint32_t next = 0, own_eids[2];
	int to_child[2], from_child[2], i, ret;
	mx_segment_t seg = { NULL, 0 };
	double one[RUNS], many[RUNS], t_start, m1, mn;
	mx_endpoint_addr_t self;
	mx_endpoint_t eps[2];	/* 1 partner, all partners */
	mx_request_t reqs[2];
	FILE *to, *from;
	pid_t pid;

	for (i = 1; i + 1 < argc; i += 2) {
		unsigned long *v = !strcmp(argv[i], "--partners") ? &partners :
				   !strcmp(argv[i], "--boards") ? &boards :
				   !strcmp(argv[i], "--calls") ? &calls : NULL;
		if (!v)
			break;
		*v = strtoul(argv[i + 1], NULL, 0);
	}
	if (i < argc || !calls || !partners || !boards) {
		fprintf(stderr, "usage: mx_test_cost [--partners N] [--boards B] [--calls M]\n");
		return 2;
	}
	if (pipe(to_child) || pipe(from_child))
		return 1;
	/* before mx_init: the child has its own library state */
	pid = fork();
	if (pid == 0) {
		close(to_child[1]);
		close(from_child[0]);
		_exit(child(to_child[0], from_child[1]));
	}
	close(to_child[0]);
	close(from_child[1]);
	to = fdopen(to_child[1], "w");
	from = fdopen(from_child[0], "r");
	if (pid < 0 || !to || !from || mx_init() != MX_SUCCESS)
		return 1;
	for (i = 0; i < 2; i++) {
		if (mx_open_endpoint(0, MX_ANY_ENDPOINT, KEY, NULL, 0, &eps[i]) != MX_SUCCESS ||
		    mx_irecv(eps[i], &seg, 1, 0x1d1e, MX_MATCH_MASK_NONE, NULL, &reqs[i]) !=
		    MX_SUCCESS)
			return 1;
		mx_get_endpoint_addr(eps[i], &self);
		mx_decompose_endpoint_addr(self, &(uint64_t){ 0 }, &own_eids[i]);
	}

	t_start = now_ns();
	printf("what,partners,calls,ns_per_call\n");
	printf("clock_monotonic,0,%lu,%.1f\n", calls, clock_cost(CLOCK_MONOTONIC, calls));
	printf("clock_monotonic_coarse,0,%lu,%.1f\n", calls,
	       clock_cost(CLOCK_MONOTONIC_COARSE, calls));
	/* the first partner is both endpoints', the others only the second's */
	if (add_partner(eps, 2, own_eids, (uint32_t)boards, to, from, &next) < 0)
		return 1;
	for (have = 1; have < partners; have++) {
		ret = add_partner(&eps[1], 1, own_eids, (uint32_t)boards, to, from, &next);
		if (ret == -2)
			return 1;
		if (ret < 0)
			break;
		if ((have + 1) % 250 == 0)
			fprintf(stderr, "mx_test_cost: %lu partners, %.1f s\n", have + 1,
				(now_ns() - t_start) / 1e9);
	}
	if (have < partners)
		fprintf(stderr, "mx_test_cost: only %lu partners on %lu boards\n", have, boards);
	/* interleaved, so that a slow moment of the guest hits both alike */
	for (i = 0; i < RUNS; i++) {
		one[i] = test_cost(eps[0], &reqs[0], calls);
		many[i] = test_cost(eps[1], &reqs[1], calls);
	}
	m1 = median(one);
	mn = median(many);
	printf("mx_test_idle,1,%lu,%.1f\n", calls, m1);
	printf("mx_test_idle,%lu,%lu,%.1f\n", have, calls, mn);
	printf("mx_test_ratio,%lu,%lu,%.3f\n", have, calls, mn / m1);
	fclose(to);
	waitpid(pid, NULL, 0);
	mx_finalize();
	return have < partners;
}
