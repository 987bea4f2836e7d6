/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by the omx tools: argument parsing, the
 * sentences for driver errors every tool can meet, opening the device
 * and walking its boards.  Inline: each .c file here is a program.
 */
#ifndef OMX_TOOL_H
#define OMX_TOOL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_abi.h"
#include "omx_lib.h"

/* How to attach a board, for the tools that found none. */
#define OMX_TOOL_ATTACH_HINT \
	"attach one with 'echo IFNAME > /sys/module/omx/parameters/ifnames'"

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

/* -b's argument, or -1 once @tool said on stderr why it is not a board. */
static inline int omx_tool_board_arg(const char *tool, const char *arg,
				     __u32 *board)
{
	if (!omx_tool_parse_board(arg, board))
		return 0;
	fprintf(stderr, "%s: invalid board \"%s\": boards are 0 to %u\n",
		tool, arg, OMX_MAX_BOARDS - 1);
	return -1;
}

/* Names of enum omx_steer_mode and enum omx_steer_source, as tools print them. */
/* the library's names and cpulist format, so that tools and libomx agree */
static inline const char *omx_tool_steer_mode(__u32 mode)
{
	return omx_lib_steer_mode_name(mode);
}

static inline const char *omx_tool_steer_source(__u32 source)
{
	return omx_lib_steer_source_name(source);
}

static inline const char *omx_tool_cpulist(const __u64 words[OMX_CPUMASK_WORDS],
					   char *buf, size_t size)
{
	return omx_lib_cpulist(words, buf, size);
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

/* Open OMX_DEVICE_PATH, or -1 once the driver's reason is on stderr. */
static inline int omx_tool_open(struct omx_lib_dev *dev)
{
	if (omx_lib_open(dev, OMX_DEVICE_PATH) == OMX_LIB_SUCCESS)
		return 0;
	fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
	return -1;
}

/*
 * Called for each attached board; returns 0, or -1 once it has said
 * on stderr what went wrong.
 */
typedef int (*omx_tool_board_fn)(struct omx_lib_dev *dev,
				 const struct omx_board_info *info, void *arg);

/*
 * Call @fn on every attached board in index order.  Returns how many
 * there were, or -1 once a driver error (printed here) or @fn failed.
 */
static inline int omx_tool_for_each_board(struct omx_lib_dev *dev,
					  omx_tool_board_fn fn, void *arg)
{
	__u32 count, board, found = 0;
	struct omx_board_info info;
	enum omx_lib_status st;

	if (omx_lib_get_board_count(dev, &count) != OMX_LIB_SUCCESS)
		goto fail;
	/* board indexes are stable, so the attached ones may be sparse */
	for (board = 0; board < OMX_MAX_BOARDS && found < count; board++) {
		st = omx_lib_get_board_info(dev, board, &info);
		if (st == OMX_LIB_NO_SUCH_BOARD)
			continue;
		if (st != OMX_LIB_SUCCESS)
			goto fail;
		if (fn(dev, &info, arg))
			return -1;
		found++;
	}
	return (int)found;

fail:
	fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
	return -1;
}

/*
 * Board @board's info for a -b option, or -1 once the reason is on
 * stderr: @tool's "no board N is attached" sentence or the driver's.
 */
static inline int omx_tool_board_info(struct omx_lib_dev *dev, const char *tool,
				      __u32 board, struct omx_board_info *info)
{
	enum omx_lib_status st = omx_lib_get_board_info(dev, board, info);

	if (st == OMX_LIB_SUCCESS)
		return 0;
	if (st == OMX_LIB_NO_SUCH_BOARD)
		omx_tool_perror(tool, "board", ENODEV, board);
	else
		fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
	return -1;
}

/* The stdout warning of a tool that lists boards and found none. */
static inline void omx_tool_warn_no_board(void)
{
	printf("warning: no board attached: " OMX_TOOL_ATTACH_HINT "\n");
}

#endif /* OMX_TOOL_H */
