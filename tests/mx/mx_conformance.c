// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_conformance: the MX API conformance suite for messages up to 32 KiB.
 *
 *   mx_conformance all [--boards A,B] [--nic-count N] [--outstanding N]
 *                      [--env-checks 0|1]
 *       everything one process can check, with endpoints a and c on board
 *       A and b on board B (defaults 0,1; pair topology); --env-checks 0
 *       leaves out the MX_* environment children (their results do not
 *       depend on the run's environment: one run is enough)
 *   mx_conformance server --board B
 *       print "ready NICID EID", then serve one client
 *   mx_conformance client --board B (--peer HOST:BOARD | --peer-nic NIC)
 *                  --peer-eid EID [--count N]
 *       N (default 1200) outstanding sends, echoes, goodbye
 *   mx_conformance timeouts --board A --peer-board B [--cut CMD --uncut CMD]
 *       request timeouts against a stopped, a killed and a vanished peer
 *   mx_conformance sink --board B      (a peer for timeouts)
 *   mx_conformance child-fatal|child-env|child-noinit   (error handlers)
 *   mx_conformance child-paths A,B     (what MX_* variables change)
 *
 * Prints "ok - NAME" or "not ok - NAME: DETAIL" per check; exits 0 only
 * when every check passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf_peers.h"

static void usage(void)
{
	fputs("usage: mx_conformance all [--boards A,B] [--nic-count N] [--outstanding N] [--env-checks 0|1]\n"
	      "                          [--only openmx|threads]\n"
	      "       mx_conformance server --board B\n"
	      "       mx_conformance client --board B (--peer HOST:BOARD | --peer-nic NIC) --peer-eid EID [--count N]\n"
	      "       mx_conformance timeouts --board A --peer-board B [--cut CMD --uncut CMD]\n"
	      "       mx_conformance sink --board B\n", stderr);
	exit(2);
}

static const char *opt(int argc, char **argv, const char *name)
{
	int i;

	for (i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static uint64_t opt_num(int argc, char **argv, const char *name,
			uint64_t dflt)
{
	const char *v = opt(argc, argv, name);
	char *end;
	uint64_t n;

	if (!v)
		return dflt;
	n = strtoull(v, &end, 0);
	if (end == v || *end) {
		fprintf(stderr, "mx_conformance: bad number for %s: %s\n",
			name, v);
		exit(2);
	}
	return n;
}

static int run_all(int argc, char **argv)
{
	struct conf c;
	const char *boards = opt(argc, argv, "--boards");
	uint32_t outstanding = (uint32_t)opt_num(argc, argv, "--outstanding",
						 1200);

	memset(&c, 0, sizeof(c));
	c.board_b = 1;
	if (boards && sscanf(boards, "%u,%u", &c.board_a, &c.board_b) != 2)
		usage();
	c.nic_count = (uint32_t)opt_num(argc, argv, "--nic-count", 2);

	conf_strings();
	conf_init_errors();
	conf_endpoints(&c);
	if (!c.a || !c.b || !c.c || !c.connected) {
		mt_fail("setup", "endpoints or connections missing: the rest cannot run");
		return mt_exit_status();
	}
	/* one group alone, to check a change quickly */
	if (opt(argc, argv, "--only")) {
		if (!strcmp(opt(argc, argv, "--only"), "openmx"))
			conf_openmx(&c);
		else if (!strcmp(opt(argc, argv, "--only"), "threads"))
			conf_threads(&c);
		else
			usage();
		goto out;
	}
	conf_info(&c);
	conf_sizes(&c);
	conf_matching(&c);
	conf_unexp_handler(&c);
	conf_completion(&c);
	conf_openmx(&c);
	conf_threads(&c);
	conf_compat(&c, (int)opt_num(argc, argv, "--env-checks", 1));
	conf_outstanding(&c, c.a, c.a2b, c.b, outstanding, "wire a->b");
	conf_outstanding(&c, c.a, c.a2c, c.c, outstanding, "local a->c");
out:

	mt_check_ret("close endpoint c", mx_close_endpoint(c.c), MX_SUCCESS);
	mt_check_ret("close endpoint b", mx_close_endpoint(c.b), MX_SUCCESS);
	mt_check_ret("close endpoint a", mx_close_endpoint(c.a), MX_SUCCESS);
	mt_check_ret("mx_finalize", mx_finalize(), MX_SUCCESS);
	mt_check_ret("mx_init again after mx_finalize", mx_init(), MX_SUCCESS);
	mt_check_ret("mx_finalize again", mx_finalize(), MX_SUCCESS);
	return mt_exit_status();
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	mx_return_t ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "child-paths")) {
		uint32_t a, b;

		if (argc < 3 || sscanf(argv[2], "%u,%u", &a, &b) != 2)
			usage();
		return conf_child_paths(a, b);
	}
	if (!strncmp(cmd, "child-", 6))
		return conf_child(cmd);
	if (!strcmp(cmd, "all") || !strcmp(cmd, "server") ||
	    !strcmp(cmd, "client") || !strcmp(cmd, "timeouts") ||
	    !strcmp(cmd, "sink")) {
		ret = mx_init();
		if (ret != MX_SUCCESS) {
			printf("not ok - mx_init: %s\n", mx_strerror(ret));
			return 1;
		}
		mx_set_error_handler(MX_ERRORS_RETURN);
	} else {
		usage();
	}
	if (!strcmp(cmd, "all"))
		return run_all(argc, argv);
	if (!opt(argc, argv, "--board"))
		usage();
	if (!strcmp(cmd, "server"))
		return conf_server((uint32_t)opt_num(argc, argv, "--board", 0));
	if (!strcmp(cmd, "sink"))
		return conf_sink((uint32_t)opt_num(argc, argv, "--board", 0));
	if (!strcmp(cmd, "timeouts"))
		return conf_timeouts((uint32_t)opt_num(argc, argv, "--board", 0),
				     (uint32_t)opt_num(argc, argv, "--peer-board", 1),
				     opt(argc, argv, "--cut"),
				     opt(argc, argv, "--uncut"));
	if (!opt(argc, argv, "--peer-eid") ||
	    (!opt(argc, argv, "--peer") && !opt(argc, argv, "--peer-nic")))
		usage();
	return conf_client((uint32_t)opt_num(argc, argv, "--board", 0),
			   opt(argc, argv, "--peer"),
			   opt_num(argc, argv, "--peer-nic", 0),
			   (uint32_t)opt_num(argc, argv, "--peer-eid", 0),
			   (uint32_t)opt_num(argc, argv, "--count", 1200));
}
