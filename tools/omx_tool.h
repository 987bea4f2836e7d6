/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by the omx tools: argument parsing and the
 * sentences for driver errors every tool can meet.
 */
#ifndef OMX_TOOL_H
#define OMX_TOOL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_abi.h"

/* Decimal board index below OMX_MAX_BOARDS; "010" is 10, "-1" refused. */
static inline int omx_tool_parse_board(const char *s, __u32 *board)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= OMX_MAX_BOARDS)
		return -1;
	*board = (__u32)v;
	return 0;
}

/* A board hostname the driver accepts: 1-79 printable bytes. */
static inline int omx_tool_hostname_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] == 0x7f)
			return 0;
	return i > 0 && i < OMX_HOSTNAMELEN_MAX;
}

/*
 * Print "@tool: @what: <reason>" for an errno of a privileged or
 * per-board command; @board names the board for ENODEV.
 */
static inline void omx_tool_perror(const char *tool, const char *what, int err,
				   __u32 board)
{
	switch (err) {
	case EPERM:
	case EACCES:
		fprintf(stderr, "%s: %s: permission denied: this needs CAP_NET_ADMIN (run it as root)\n",
			tool, what);
		break;
	case ENODEV:
		fprintf(stderr, "%s: %s: no board %u is attached; omx_info lists the boards\n",
			tool, what, board);
		break;
	default:
		fprintf(stderr, "%s: %s: %s\n", tool, what, strerror(err));
		break;
	}
}

#endif /* OMX_TOOL_H */
