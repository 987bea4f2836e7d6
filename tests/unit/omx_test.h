/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A very small test framework for host unit tests.
 *
 * Each test program is one .c file that includes this header, calls
 * CHECK*() as often as it likes and ends main() with
 * "return omx_test_exit();". A failing check prints "file:line: ..." with
 * the values involved (and the current context, see check_context) on
 * stderr; the program then exits 1. Nothing is printed on success.
 */
#ifndef OMX_TEST_H
#define OMX_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned long omx_test_failed;
static char omx_test_ctx[256];

/* Describe what the following checks are about ("type tiny, len 42"). */
static inline void check_context(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void check_context(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(omx_test_ctx, sizeof(omx_test_ctx), fmt, ap);
	va_end(ap);
}

static inline void omx_test_fail_head(const char *file, int line)
{
	omx_test_failed++;
	fprintf(stderr, "%s:%d: check failed", file, line);
	if (omx_test_ctx[0])
		fprintf(stderr, " [%s]", omx_test_ctx);
	fprintf(stderr, ": ");
}

static inline int omx_test_check(int ok, const char *file, int line, const char *expr)
{
	if (!ok) {
		omx_test_fail_head(file, line);
		fprintf(stderr, "%s\n", expr);
	}
	return ok;
}

static inline int omx_test_check_eq(long long a, long long b, const char *file, int line,
				    const char *ea, const char *eb)
{
	if (a != b) {
		omx_test_fail_head(file, line);
		fprintf(stderr, "%s == %s (%lld != %lld, 0x%llx != 0x%llx)\n",
			ea, eb, a, b, (unsigned long long)a, (unsigned long long)b);
	}
	return a == b;
}

static inline int omx_test_check_equ(unsigned long long a, unsigned long long b,
				     const char *file, int line, const char *ea, const char *eb)
{
	if (a != b) {
		omx_test_fail_head(file, line);
		fprintf(stderr, "%s == %s (%llu != %llu, 0x%llx != 0x%llx)\n",
			ea, eb, a, b, a, b);
	}
	return a == b;
}

static inline int omx_test_check_mem(const void *a, const void *b, size_t n, const char *file,
				     int line, const char *ea, const char *eb)
{
	const unsigned char *pa = a, *pb = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (pa[i] != pb[i])
			break;
	if (i < n) {
		omx_test_fail_head(file, line);
		fprintf(stderr, "%s and %s differ at byte %zu of %zu (0x%02x != 0x%02x)\n",
			ea, eb, i, n, pa[i], pb[i]);
		return 0;
	}
	return 1;
}

/* Each returns non-zero if the check passed, so tests can stop early. */
#define CHECK(cond)	omx_test_check(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b)	omx_test_check_eq((long long)(a), (long long)(b), \
					  __FILE__, __LINE__, #a, #b)
#define CHECK_EQU(a, b)	omx_test_check_equ((unsigned long long)(a), (unsigned long long)(b), \
					   __FILE__, __LINE__, #a, #b)
#define CHECK_MEM(a, b, n) omx_test_check_mem(a, b, n, __FILE__, __LINE__, #a, #b)

static inline int omx_test_exit(void)
{
	return omx_test_failed ? 1 : 0;
}

#endif /* OMX_TEST_H */
