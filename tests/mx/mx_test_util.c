// SPDX-License-Identifier: GPL-2.0-or-later
/* Helpers shared by the MX test programs (see mx_test_util.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mx_test_util.h"

int mt_passed;
int mt_failed;

void mt_ok(const char *name)
{
	mt_passed++;
	printf("ok - %s\n", name);
	fflush(stdout);
}

static void mt_vfail(const char *name, const char *fmt, va_list ap)
{
	mt_failed++;
	printf("not ok - %s: ", name);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

void mt_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vfail(name, fmt, ap);
	va_end(ap);
}

int mt_check(int cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		mt_ok(name);
		return 1;
	}
	va_start(ap, fmt);
	mt_vfail(name, fmt, ap);
	va_end(ap);
	return 0;
}

int mt_check_ret(const char *name, mx_return_t got, mx_return_t want)
{
	return mt_check(got == want, name, "returned %d (%s), expected %d (%s)",
			(int)got, mx_strerror(got), (int)want,
			mx_strerror(want));
}

int mt_check_status(const char *name, const mx_status_t *st,
		    mx_status_code_t want)
{
	return mt_check(st->code == want, name,
			"status %d (%s), expected %d (%s)", (int)st->code,
			mx_strstatus(st->code), (int)want, mx_strstatus(want));
}

void mt_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int mt_exit_status(void)
{
	printf("# %d ok, %d not ok\n", mt_passed, mt_failed);
	fflush(stdout);
	return mt_failed == 0 && mt_passed > 0 ? 0 : 1;
}

uint64_t mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void mt_fill(void *buf, uint32_t len, uint32_t msgno)
{
	uint8_t *p = buf;
	uint32_t i;

	for (i = 0; i < len; i++)
		p[i] = mt_pattern(msgno, i);
}

long mt_verify(const void *buf, uint32_t len, uint32_t msgno)
{
	const uint8_t *p = buf;
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != mt_pattern(msgno, i))
			return (long)i;
	return -1;
}

uint32_t mt_split(void *buf, uint32_t len, mx_segment_t *segs, uint32_t count)
{
	uint8_t *p = buf;
	uint32_t i, off = 0, piece;

	/* Odd pieces of growing size (1, 3, 7, 13, ...) so that no segment
	 * boundary falls on a fragment or word boundary; the last takes the rest. */
	for (i = 0; i < count; i++) {
		piece = i + 1 == count ? len - off : (i * i + i) | 1;
		if (piece > len - off)
			piece = len - off;
		segs[i].segment_ptr = p + off;
		segs[i].segment_length = piece;
		off += piece;
	}
	return count;
}

int mt_wait(mx_endpoint_t ep, mx_request_t *req, uint32_t ms, mx_status_t *st)
{
	uint32_t result = 0;
	mx_return_t ret;

	memset(st, 0, sizeof(*st));
	ret = mx_wait(ep, req, ms, st, &result);
	if (ret != MX_SUCCESS) {
		mt_diag("mx_wait returned %d (%s)", (int)ret, mx_strerror(ret));
		return 0;
	}
	return result != 0;
}

int mt_nic_id(uint32_t board, uint64_t *nic)
{
	mx_return_t ret = mx_board_number_to_nic_id(board, nic);

	if (ret != MX_SUCCESS) {
		mt_fail("board nic id", "mx_board_number_to_nic_id(%u): %s",
			board, mx_strerror(ret));
		return 0;
	}
	return 1;
}

static void mt_exec_self(char *const argv[], const char *env)
{
	char *list = env ? strdup(env) : NULL, *save = NULL, *w;

	/* "NAME=VALUE" sets, "-NAME" unsets; words separated by spaces */
	for (w = list ? strtok_r(list, " ", &save) : NULL; w;
	     w = strtok_r(NULL, " ", &save)) {
		if (w[0] == '-')
			unsetenv(w + 1);
		else
			putenv(w);
	}
	execv("/proc/self/exe", argv);
	fprintf(stderr, "exec /proc/self/exe: %s\n", strerror(errno));
	_exit(127);
}

int mt_run_self(char *const argv[], const char *env, char *out, size_t outlen,
		uint32_t timeout_ms)
{
	uint64_t end = mt_now_ms() + timeout_ms;
	int pfd[2], status = -1;
	size_t used = 0;
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[1]);
		mt_exec_self(argv, env);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		uint64_t now = mt_now_ms();
		char sink[256];
		ssize_t n;

		if (now >= end) {
			mt_diag("child %s timed out after %u ms: killed",
				argv[1], timeout_ms);
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&p, 1, (int)(end - now)) <= 0)
			continue;
		if (out && used + 1 < outlen)
			n = read(pfd[0], out + used, outlen - 1 - used);
		else
			n = read(pfd[0], sink, sizeof(sink));
		if (n <= 0)
			break;
		if (out && used + 1 < outlen)
			used += (size_t)n;
	}
	if (out)
		out[used] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

pid_t mt_spawn_self(char *const argv[], int *fd)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[1]);
		mt_exec_self(argv, NULL);
	}
	close(pfd[1]);
	*fd = pfd[0];
	return pid;
}

int mt_read_line(int fd, char *line, size_t len, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	size_t used = 0;

	while (used + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = mt_now_ms();
		ssize_t n;

		if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
			return -1;
		n = read(fd, line + used, 1);
		if (n <= 0)
			return -1;
		if (line[used] == '\n') {
			line[used] = '\0';
			return (int)used;
		}
		used++;
	}
	line[used] = '\0';
	return (int)used;
}
