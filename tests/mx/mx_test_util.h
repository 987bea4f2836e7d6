/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the MX test programs: TAP-like check lines, message
 * patterns that depend on the message number and the offset, segment
 * lists, bounded waits and a small child-process helper.
 *
 * Every check prints exactly one line, "ok - NAME" or
 * "not ok - NAME: DETAIL"; mt_exit_status() is non-zero when any failed.
 */
#ifndef MX_TEST_UTIL_H
#define MX_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "myriexpress.h"
#include "mx_extensions.h"

/* Most a single bounded wait in these programs lasts (ms). */
#define MT_WAIT_MS	20000

extern int mt_passed;
extern int mt_failed;

void mt_ok(const char *name);
void mt_fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* mt_check(COND, NAME, FMT, ...): ok when COND, else not ok with detail. */
int mt_check(int cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Check an API return code against the one expected; names both. */
int mt_check_ret(const char *name, mx_return_t got, mx_return_t want);
/* Check a completed request's status code. */
int mt_check_status(const char *name, const mx_status_t *st,
		    mx_status_code_t want);
/* Print a diagnostic line (not a check). */
void mt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 0 when every check passed and at least one ran, 1 otherwise. */
int mt_exit_status(void);

/* Milliseconds on a monotonic clock. */
uint64_t mt_now_ms(void);

/* Pattern byte of message @msgno at byte @off: cheap, varies per fragment. */
static inline uint8_t mt_pattern(uint32_t msgno, uint32_t off)
{
	uint32_t s = msgno * 0x9e3779b1u;

	s ^= s >> 16;
	return (uint8_t)(s + off + (off >> 8) * 3 + (off >> 13) * 5);
}

void mt_fill(void *buf, uint32_t len, uint32_t msgno);
/* Offset of the first byte that differs from the pattern, or -1. */
long mt_verify(const void *buf, uint32_t len, uint32_t msgno);

/*
 * A segment list of @count odd-sized pieces covering @len bytes of @buf
 * (some pieces may be empty when @len is small).  Returns the count used.
 */
uint32_t mt_split(void *buf, uint32_t len, mx_segment_t *segs, uint32_t count);

/* Wait for @req with a bound; returns 1 when done, 0 on timeout. */
int mt_wait(mx_endpoint_t ep, mx_request_t *req, uint32_t ms,
	    mx_status_t *st);

/* Board @board's nic id; prints a not-ok line and returns 0 on failure. */
int mt_nic_id(uint32_t board, uint64_t *nic);

/*
 * Run this program again (/proc/self/exe) with @argv[0..] replaced, with
 * stdout/stderr of the child captured into @out (NUL-terminated, at most
 * @outlen - 1 bytes) when @out is not NULL.  @env (NULL, or words
 * separated by spaces: NAME=VALUE sets, -NAME unsets) changes the child's
 * environment.  Returns the wait() status, or -1.
 */
int mt_run_self(char *const argv[], const char *env, char *out, size_t outlen,
		uint32_t timeout_ms);

/*
 * Start this program again in the background with @argv, its stdout on a
 * pipe whose read end is returned in *@fd.  Returns the pid, or -1.
 */
pid_t mt_spawn_self(char *const argv[], int *fd);
/* Read one line from @fd within @ms; returns its length or -1. */
int mt_read_line(int fd, char *line, size_t len, uint32_t ms);

#endif /* MX_TEST_UTIL_H */
