// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_large: MX large messages (above 32 KiB: rendezvous, then the
 * receiver's driver pulls the data).
 *
 *   mx_large local [--boards A,B] [--paths ab,ba,ac,aa] [--max N] [--big N]
 *                  [--no-cases] [--no-rcache]
 *       one process, endpoints a and c on board A, b on board B: the size
 *       sweep (sizes up to N, then N = --big once per path, 0: none),
 *       mx_issend, truncation, unexpected, cancel, the registration cache
 *   mx_large serve --board B --eid E [--seconds S]
 *       print "ready NICID EID", check and echo messages until a goodbye
 *   mx_large drive --board B --peer HOST:BOARD --peer-eid E [--max N] [--big N]
 *       the sweep through a server, each message echoed and checked
 *   mx_large pairs [--count 4] [--boards A,B] [--rounds R] [--max N]
 *       COUNT processes at once, each its own endpoint pair, messages
 *       both ways (runs "mx_large pairwork" children)
 *   mx_large survivor --board B --eid E --len N [--seconds S]
 *   mx_large victim --board B --peer-board P --peer-eid E --len N
 *       a receive whose sender is killed mid-pull (see large.sh)
 *   mx_large unpinned [--wait-ms MS]
 *       the driver holds no pinned page, region or pull
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAIL" per check; exits 0 only
 * when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "large.h"

static int g_argc;
static char **g_argv;

static void usage(void)
{
	fputs("usage: mx_large local [--boards A,B] [--paths ab,ba,ac,aa] [--max N] [--big N] [--no-cases] [--no-rcache]\n"
	      "       mx_large serve --board B --eid E [--seconds S]\n"
	      "       mx_large drive --board B --peer HOST:BOARD --peer-eid E [--max N] [--big N]\n"
	      "       mx_large pairs [--count N] [--boards A,B] [--rounds R] [--max N]\n"
	      "       mx_large survivor --board B --eid E --len N [--seconds S]\n"
	      "       mx_large victim --board B --peer-board P --peer-eid E --len N\n"
	      "       mx_large unpinned [--wait-ms MS]\n", stderr);
	exit(2);
}

static const char *opt(const char *name)
{
	int i;

	for (i = 2; i < g_argc; i++)
		if (!strcmp(g_argv[i], name))
			return i + 1 < g_argc ? g_argv[i + 1] : "";
	return NULL;
}

static uint32_t num(const char *name, uint32_t dflt)
{
	const char *v = opt(name);
	unsigned long long n;
	char *end;

	if (!v)
		return dflt;
	n = strtoull(v, &end, 0);
	if (end == v || *end || n > 0xffffffffULL) {
		fprintf(stderr, "mx_large: bad number for %s: %s\n", name, v);
		exit(2);
	}
	return (uint32_t)n;
}

static uint32_t need(const char *name)
{
	if (!opt(name))
		usage();
	return num(name, 0);
}

static void boards(uint32_t *a, uint32_t *b)
{
	const char *v = opt("--boards");

	*a = 0;
	*b = 1;
	if (v && sscanf(v, "%u,%u", a, b) != 2)
		usage();
}

static int run_local(void)
{
	uint32_t max = num("--max", 8388611), big = num("--big", 0), ba, bb;
	struct large L;

	boards(&ba, &bb);
	if (opt("--paths"))
		lx_paths = opt("--paths");
	if (big && big <= 32769)
		usage();
	/* sized once for the largest message: a grown pool would leave the
	 * old pages pinned in the registration cache */
	lx_pool(0, (size_t)(big > max ? big : max) + 4 * LX_PAGE);
	lx_pool(1, (size_t)(big > max ? big : max) + 4 * LX_PAGE);
	if (!lx_setup(&L, ba, bb, 1)) {
		mt_fail("setup", "endpoints or connections missing: the rest cannot run");
		return mt_exit_status();
	}
	lx_sweep(&L, max, big);
	if (!opt("--no-cases"))
		lx_cases(&L);
	if (!opt("--no-rcache"))
		lx_rcache(&L);
	lx_teardown(&L);
	lx_check_unpinned("nothing pinned once the endpoints are closed", 10000);
	return mt_exit_status();
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	uint32_t ba, bb;
	mx_return_t ret;

	g_argc = argc;
	g_argv = argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "unpinned")) {
		lx_check_unpinned("the driver holds no pinned page", num("--wait-ms", 5000));
		return mt_exit_status();
	}
	ret = mx_init();
	if (ret != MX_SUCCESS) {
		printf("not ok - mx_init: %s\n", mx_strerror(ret));
		return 1;
	}
	mx_set_error_handler(MX_ERRORS_RETURN);
	boards(&ba, &bb);
	if (!strcmp(cmd, "local"))
		return run_local();
	if (!strcmp(cmd, "serve"))
		return lx_serve(need("--board"), need("--eid"), num("--seconds", 300));
	if (!strcmp(cmd, "drive")) {
		if (!opt("--peer"))
			usage();
		return lx_drive(need("--board"), opt("--peer"), need("--peer-eid"),
				num("--max", 8388611), num("--big", 0));
	}
	if (!strcmp(cmd, "pairs"))
		return lx_pairs(num("--count", 4), ba, bb, num("--rounds", 6),
				num("--max", 4194304));
	if (!strcmp(cmd, "pairwork"))
		return lx_pairwork(need("--index"), ba, bb, num("--rounds", 6),
				   num("--max", 4194304));
	if (!strcmp(cmd, "survivor"))
		return lx_survivor(need("--board"), need("--eid"), need("--len"),
				   num("--seconds", 60));
	if (!strcmp(cmd, "victim"))
		return lx_victim(need("--board"), need("--peer-board"),
				 need("--peer-eid"), need("--len"));
	usage();
	return 2;
}
