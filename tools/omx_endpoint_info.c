// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_endpoint_info: the endpoints open on each board and who holds them.
 *
 * Output (stable, parsed by tests):
 *   board 0 (veth0): 1 of 32 endpoints open
 *   board 0 endpoint 3: pid=1234 command=omx_perf session=0x1a2b3c4d
 * The session shows as "session=-" without CAP_NET_ADMIN, and a process
 * in another PID namespace as "pid=-".  With -a, free slots are listed
 * too, as "board 0 endpoint 4: free".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_endpoint_info";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_endpoint_info [-b BOARD] [-a] [-h]\n"
		"Show the endpoints open on each omx board: owner pid and command.\n"
		"  -b, --board BOARD  only this board (default: every attached board)\n"
		"  -a, --all          also list the free endpoint slots\n"
		"  -h, --help         show this help\n"
		"Session ids are shown to CAP_NET_ADMIN only.\n");
}

/* omx_tool_board_fn: @arg points to the -a flag */
static int show_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
		      void *arg)
{
	int all = *(const int *)arg;
	struct omx_endpoint_slot slot;
	__u32 i;

	printf("board %u (%s): %u of %u endpoints open\n", info->board_index,
	       info->ifname, info->endpoint_count, info->endpoint_max);
	for (i = 0; i < info->endpoint_max; i++) {
		memset(&slot, 0, sizeof(slot));
		slot.board_index = info->board_index;
		slot.endpoint_index = i;
		if (ioctl(dev->fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot) < 0) {
			/* the board went away meanwhile */
			omx_tool_perror(me, "reading endpoint slots", errno,
					info->board_index);
			return -1;
		}
		if (!(slot.flags & OMX_ENDPOINT_SLOT_OPEN)) {
			if (all)
				printf("board %u endpoint %u: free\n",
				       info->board_index, i);
			continue;
		}
		printf("board %u endpoint %u: ", info->board_index, i);
		if (slot.owner_pid > 0)
			printf("pid=%d", slot.owner_pid);
		else
			printf("pid=-");
		printf(" command=%.*s", (int)sizeof(slot.comm), slot.comm);
		if (slot.session_id)
			printf(" session=0x%08x\n", slot.session_id);
		else
			printf(" session=-\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct omx_board_info info;
	struct omx_lib_dev dev;
	int one = 0, all = 0, c, ret;
	__u32 only = 0;

	while ((c = getopt_long(argc, argv, "b:ah", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (omx_tool_board_arg(me, optarg, &only))
				return 2;
			one = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (omx_tool_open(&dev))
		return 1;

	if (one) {
		ret = omx_tool_board_info(&dev, me, only, &info) ||
		      show_board(&dev, &info, &all);
		omx_lib_close(&dev);
		return ret ? 1 : 0;
	}

	/* how many boards, or -1 */
	ret = omx_tool_for_each_board(&dev, show_board, &all);
	if (!ret)
		omx_tool_warn_no_board();
	omx_lib_close(&dev);
	return ret < 0 ? 1 : 0;
}
