// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_hold_endpoint BOARD INDEX: open an endpoint and keep it open.
 *
 * Prints "held" once the endpoint is open, then waits for SIGTERM or
 * SIGINT, or for end of file on stdin when stdin is a pipe, socket or
 * terminal (a background job's stdin is /dev/null, which must not end
 * the wait at once).  Then it reports "endpoint alive" or
 * "endpoint dead: <strerror>" and exits 0; closing the endpoint is left
 * to exit.  Exits 1 if the endpoint cannot be opened, 2 on usage errors.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "omx_lib.h"

static int parse_u32(const char *s, __u32 *v)
{
	unsigned long l;
	char *end;

	errno = 0;
	l = strtoul(s, &end, 0);
	if (errno || end == s || *end || l > 0xffffffffUL)
		return -1;
	*v = (__u32)l;
	return 0;
}

static int stdin_can_end(void)
{
	struct stat st;

	if (fstat(STDIN_FILENO, &st) < 0)
		return 0;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	       isatty(STDIN_FILENO);
}

static void wait_for_release(int sigfd)
{
	struct pollfd fds[2] = {
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	nfds_t nfds = stdin_can_end() ? 2 : 1;
	char buf[256];
	ssize_t n;

	for (;;) {
		if (poll(fds, nfds, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("omx_hold_endpoint: poll");
			return;
		}
		if (fds[0].revents)
			return;
		if (nfds > 1 && fds[1].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return;
		}
	}
}

int main(int argc, char **argv)
{
	struct omx_endpoint_info info;
	struct omx_lib_dev dev;
	__u32 board, index;
	sigset_t mask;
	int sigfd;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: omx_hold_endpoint BOARD INDEX\n"
		       "Open endpoint INDEX of board BOARD, print \"held\", wait for SIGTERM,\n"
		       "SIGINT or end of file on a piped stdin, then print \"endpoint alive\"\n"
		       "or \"endpoint dead: <reason>\".\n");
		return 0;
	}
	if (argc != 3 || parse_u32(argv[1], &board) || parse_u32(argv[2], &index)) {
		fprintf(stderr, "usage: omx_hold_endpoint BOARD INDEX\n");
		return 2;
	}

	/* blocked before "held" so that a signal sent right after is not lost */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
		perror("omx_hold_endpoint: sigprocmask");
		return 1;
	}
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sigfd < 0) {
		perror("omx_hold_endpoint: signalfd");
		return 1;
	}

	if (omx_lib_open(&dev, OMX_DEVICE_PATH) != OMX_LIB_SUCCESS ||
	    omx_lib_open_endpoint(&dev, board, index) != OMX_LIB_SUCCESS) {
		fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
		return 1;
	}

	printf("held\n");
	fflush(stdout);

	wait_for_release(sigfd);

	if (omx_lib_get_endpoint_info(&dev, &info) == OMX_LIB_SUCCESS)
		printf("endpoint alive\n");
	else
		printf("endpoint dead: %s\n", strerror(dev.sys_errno));
	fflush(stdout);

	omx_lib_close(&dev);
	close(sigfd);
	return 0;
}
