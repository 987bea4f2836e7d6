// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Built and run by test_exports.sh: checks at run time that a program gets
 * one copy of libomx whatever name it links or opens it by.  The state
 * looked at is the error handler of mx_set_error_handler(), which the
 * library keeps in one static variable and which needs no driver: a
 * handler set through one name must be the one returned through the other.
 *
 * usage: exports_probe LIBDIR   (prints "ok - ..." / "not ok - ..." lines,
 * exit status 1 if any check failed)
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <myriexpress.h>

typedef mx_error_handler_t (*set_handler_fn)(mx_error_handler_t);

static int failures;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Which file defines the code at address p. */
static const char *defining_file(const void *p)
{
	Dl_info info;

	if (!dladdr(p, &info) || !info.dli_fname)
		return "?";
	return info.dli_fname;
}

static set_handler_fn lookup(const char *dir, const char *name)
{
	char path[PATH_MAX];
	void *h;
	void *sym;
	set_handler_fn fn;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	h = dlopen(path, RTLD_NOW);
	if (!h) {
		printf("# dlopen %s: %s\n", path, dlerror());
		return NULL;
	}
	sym = dlsym(h, "mx_set_error_handler");
	if (!sym)
		return NULL;
	memcpy(&fn, &sym, sizeof(fn));
	printf("# %s: mx_set_error_handler is in %s\n", name, defining_file(sym));
	return fn;
}

/*
 * Count the distinct files (device and inode) mapped whose path ends in
 * SUFFIX, and whether any of their mappings is writable (where a copy
 * of the state would live).
 */
static int mapped_files(const char *suffix, int *writable)
{
	unsigned long inodes[16];
	int n = 0, i;
	char line[PATH_MAX + 128];
	FILE *f = fopen("/proc/self/maps", "r");

	*writable = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char perms[8], path[PATH_MAX];
		unsigned long inode;

		path[0] = '\0';
		if (sscanf(line, "%*s %7s %*s %*s %lu %4095s", perms, &inode, path) < 2)
			continue;
		if (!ends_with(path, suffix))
			continue;
		if (perms[1] == 'w')
			*writable = 1;
		for (i = 0; i < n && inodes[i] != inode; i++)
			;
		if (i == n && n < 16)
			inodes[n++] = inode;
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	set_handler_fn by_mx, by_omx;
	mx_error_handler_t old;
	int writable;

	if (argc != 2) {
		fprintf(stderr, "usage: %s LIBDIR\n", argv[0]);
		return 2;
	}
	check(ends_with(defining_file((const void *)mx_set_error_handler), "/libomx.so.0"),
	      "the program's mx_set_error_handler is libomx.so.0's");
	by_mx = lookup(argv[1], "libmyriexpress.so");
	by_omx = lookup(argv[1], "libomx.so.0");
	check(by_mx && by_omx, "both names open and give mx_set_error_handler");
	if (!by_mx || !by_omx)
		return 1;
	check(by_mx == by_omx, "both names give the same mx_set_error_handler");
	check(ends_with(defining_file((const void *)by_mx), "/libomx.so.0"),
	      "libmyriexpress.so's mx_set_error_handler is libomx.so.0's");

	by_mx(MX_ERRORS_RETURN);
	old = by_omx(MX_ERRORS_ARE_FATAL);
	check(old == MX_ERRORS_RETURN,
	      "a handler set through libmyriexpress.so is seen through libomx.so.0");
	old = mx_set_error_handler(MX_ERRORS_RETURN);
	check(old == MX_ERRORS_ARE_FATAL,
	      "a handler set through libomx.so.0 is seen by the program");

	check(mapped_files("/libomx.so.0", &writable) == 1 && writable,
	      "libomx.so.0 is mapped once, with its data");
	check(mapped_files("/libmyriexpress.so", &writable) <= 1,
	      "libmyriexpress.so is mapped at most once");
	return failures ? 1 : 0;
}
