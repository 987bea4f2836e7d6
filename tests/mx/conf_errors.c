// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mx_init/mx_finalize, the error handlers and the strings.  What must
 * abort the program runs in a child (this program re-executed with a
 * child-* subcommand) so that the parent can look at how it ended.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "conf.h"

/* A board number no host has. */
#define CONF_NO_BOARD	200

static int handler_calls;
static mx_return_t handler_ret;
static char handler_msg[256];

static mx_return_t recording_handler(char *str, mx_return_t ret)
{
	handler_calls++;
	handler_ret = ret;
	snprintf(handler_msg, sizeof(handler_msg), "%s", str ? str : "");
	return ret;
}

/* Children: what each one does, run from main(). */
int conf_child(const char *mode)
{
	mx_endpoint_t ep;
	mx_return_t ret;

	if (!strcmp(mode, "child-fatal")) {
		/* Default handler: a bad call must print and abort. */
		if (mx_init() != MX_SUCCESS)
			return 3;
		ret = mx_open_endpoint(CONF_NO_BOARD, MX_ANY_ENDPOINT,
				       CONF_KEY, NULL, 0, &ep);
		printf("survived: returned %d\n", (int)ret);
		return 0;
	}
	if (!strcmp(mode, "child-env")) {
		/* OMX_FATAL_ERRORS=0 in the environment: codes come back. */
		ret = mx_init();
		if (ret != MX_SUCCESS) {
			printf("mx_init: %d\n", (int)ret);
			return 3;
		}
		ret = mx_open_endpoint(CONF_NO_BOARD, MX_ANY_ENDPOINT,
				       CONF_KEY, NULL, 0, &ep);
		printf("returned %d\n", (int)ret);
		return 0;
	}
	if (!strcmp(mode, "child-noinit")) {
		/* Calls before mx_init() say so. */
		mx_set_error_handler(MX_ERRORS_RETURN);
		ret = mx_open_endpoint(0, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0,
				       &ep);
		printf("open returned %d\n", (int)ret);
		ret = mx_finalize();
		printf("finalize returned %d\n", (int)ret);
		return 0;
	}
	fprintf(stderr, "unknown child mode %s\n", mode);
	return 2;
}

static void check_fatal_child(void)
{
	char *argv[] = { "mx_conformance", "child-fatal", NULL };
	char out[4096];
	int st = mt_run_self(argv, NULL, out, sizeof(out), 30000);
	const char *name = "default handler: a bad call aborts with a message";

	if (st == -1) {
		mt_fail(name, "could not run the child");
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		mt_fail(name, "child survived the bad call: %s", out);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		mt_fail(name, "mx_init failed in the child: %s", out);
	else if (!out[0])
		mt_fail(name, "child ended (status %#x) without a message", st);
	else
		mt_ok(name);
	if (out[0])
		mt_diag("fatal child said: %.200s", out);
}

static void check_env_child(void)
{
	char *argv[] = { "mx_conformance", "child-env", NULL };
	char out[4096], want[64];
	int st = mt_run_self(argv, "OMX_FATAL_ERRORS=0", out, sizeof(out),
			     30000);

	snprintf(want, sizeof(want), "returned %d\n", (int)MX_BOARD_UNKNOWN);
	mt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		 strstr(out, want),
		 "OMX_FATAL_ERRORS=0: a bad call returns MX_BOARD_UNKNOWN",
		 "child status %#x, output: %.200s", st, out);
}

static void check_noinit_child(void)
{
	char *argv[] = { "mx_conformance", "child-noinit", NULL };
	char out[4096], want[64];
	int st = mt_run_self(argv, NULL, out, sizeof(out), 30000);

	snprintf(want, sizeof(want), "open returned %d\n",
		 (int)MX_NOT_INITIALIZED);
	mt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		 strstr(out, want),
		 "mx_open_endpoint before mx_init: MX_NOT_INITIALIZED",
		 "child status %#x, output: %.200s", st, out);
	snprintf(want, sizeof(want), "finalize returned %d\n",
		 (int)MX_NOT_INITIALIZED);
	mt_check(strstr(out, want) != NULL,
		 "mx_finalize before mx_init: MX_NOT_INITIALIZED",
		 "output: %.200s", out);
}

void conf_init_errors(void)
{
	mx_error_handler_t prev;
	mx_endpoint_t ep;
	mx_return_t ret;

	check_fatal_child();
	check_env_child();
	check_noinit_child();

	/* Here mx_init() has run, with MX_ERRORS_RETURN installed. */
	mt_check_ret("second mx_init: MX_ALREADY_INITIALIZED", mx_init(),
		     MX_ALREADY_INITIALIZED);

	prev = mx_set_error_handler(recording_handler);
	mt_check(prev == MX_ERRORS_RETURN,
		 "mx_set_error_handler returns the previous handler",
		 "got %p, expected MX_ERRORS_RETURN %p", (void *)prev,
		 (void *)MX_ERRORS_RETURN);
	handler_calls = 0;
	ret = mx_open_endpoint(CONF_NO_BOARD, MX_ANY_ENDPOINT, CONF_KEY, NULL,
			       0, &ep);
	mt_check(handler_calls == 1 && handler_ret == MX_BOARD_UNKNOWN &&
		 handler_msg[0] && ret == MX_BOARD_UNKNOWN,
		 "own handler called once with the code and a message",
		 "calls %d, code %d, message '%s', returned %d", handler_calls,
		 (int)handler_ret, handler_msg, (int)ret);
	prev = mx_set_error_handler(MX_ERRORS_RETURN);
	mt_check(prev == recording_handler, "own handler given back",
		 "got %p", (void *)prev);
	handler_calls = 0;
	ret = mx_open_endpoint(CONF_NO_BOARD, MX_ANY_ENDPOINT, CONF_KEY, NULL,
			       0, &ep);
	mt_check(ret == MX_BOARD_UNKNOWN && handler_calls == 0,
		 "MX_ERRORS_RETURN: MX_BOARD_UNKNOWN returned, no handler",
		 "returned %d (%s), handler calls %d", (int)ret,
		 mx_strerror(ret), handler_calls);
}

static int strings_distinct(const char **s, int n, int *dup_a, int *dup_b)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!strcmp(s[i], s[j])) {
				*dup_a = i;
				*dup_b = j;
				return 0;
			}
	return 1;
}

void conf_strings(void)
{
	const char *err[MX_NOT_SUPPORTED_WITH_CONTEXT_ID + 1];
	const char *sts[MX_STATUS_NO_RESOURCES + 1];
	int i, empty = -1, da = 0, db = 0;
	const char *s;

	for (i = 0; i <= MX_NOT_SUPPORTED_WITH_CONTEXT_ID; i++) {
		err[i] = mx_strerror((mx_return_t)i);
		if (!err[i] || !err[i][0]) {
			empty = i;
			err[i] = "";
		}
	}
	mt_check(empty < 0, "mx_strerror describes every return code",
		 "code %d has no text", empty);
	mt_check(strings_distinct(err, MX_NOT_SUPPORTED_WITH_CONTEXT_ID + 1,
				  &da, &db),
		 "mx_strerror texts are distinct",
		 "codes %d and %d both say '%s'", da, db, err[da]);
	empty = -1;
	for (i = 0; i <= MX_STATUS_NO_RESOURCES; i++) {
		sts[i] = mx_strstatus((mx_status_code_t)i);
		if (!sts[i] || !sts[i][0]) {
			empty = i;
			sts[i] = "";
		}
	}
	mt_check(empty < 0, "mx_strstatus describes every status code",
		 "status %d has no text", empty);
	mt_check(strings_distinct(sts, MX_STATUS_NO_RESOURCES + 1, &da, &db),
		 "mx_strstatus texts are distinct",
		 "statuses %d and %d both say '%s'", da, db, sts[da]);
	s = mx_strerror((mx_return_t)999);
	mt_check(s && s[0], "mx_strerror of an unknown code gives a text",
		 "got %s", s ? "an empty string" : "NULL");
	s = mx_strstatus((mx_status_code_t)999);
	mt_check(s && s[0], "mx_strstatus of an unknown code gives a text",
		 "got %s", s ? "an empty string" : "NULL");
}
