// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Message sizes across every class boundary (tiny 32, small 128, medium
 * fragments of 8192 bytes at MTU 9000, up to 32 KiB), contiguous and as
 * odd-sized segment lists, on the wire, the local path and to self.
 */
#include <stdio.h>

#include "conf.h"

static const uint32_t sizes[] = {
	0, 1, 31, 32, 33, 127, 128, 129, 8191, 8192, 8193,
	16383, 16384, 16385, 24575, 24576, 24577, 32767, 32768,
};

#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))

struct size_path {
	const char *what;
	uint32_t sseg, rseg;
};

static const struct size_path modes[] = {
	{ "contiguous", 0, 0 },
	{ "7 send / 5 recv segments", 7, 5 },
	{ "1 send / 13 recv segments", 1, 13 },
};

void conf_sizes(struct conf *c)
{
	const struct {
		const char *name;
		mx_endpoint_t s, r;
		mx_endpoint_addr_t *dst;
	} paths[] = {
		{ "wire a->b", c->a, c->b, &c->a2b },
		{ "wire b->a", c->b, c->a, &c->b2a },
		{ "local a->c", c->a, c->c, &c->a2c },
		{ "self a->a", c->a, c->a, &c->a2a },
	};
	uint32_t msgno = 1000;
	unsigned int p, m, s;
	char name[128];

	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			/* the reverse and self paths only contiguous: enough */
			if (p != 0 && p != 2 && m != 0)
				continue;
			for (s = 0; s < NSIZES; s++) {
				snprintf(name, sizeof(name), "%s %s %u bytes",
					 paths[p].name, modes[m].what, sizes[s]);
				conf_xfer(c, paths[p].s, *paths[p].dst,
					  paths[p].r, sizes[s], modes[m].sseg,
					  modes[m].rseg, msgno++, name);
			}
		}
}
