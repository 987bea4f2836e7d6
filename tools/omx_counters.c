// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_counters: per-board counters of the omx driver.
 *
 * Output (stable, parsed by tests):
 *   board 0 veth0
 *     rx_frames: 12
 *     ...
 * With -c the counters are cleared instead and one line per board says so:
 *   board 0 veth0: counters cleared
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_counters";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_counters [-b BOARD] [-c] [-h]\n"
		"Show the omx driver's per-board counters.\n"
		"  -b, --board BOARD  only this board (default: every attached board)\n"
		"  -c, --clear        clear the counters instead (needs CAP_NET_ADMIN)\n"
		"  -h, --help         show this help\n");
}

/* omx_tool_board_fn: @arg points to the -c flag */
static int show_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
		      void *arg)
{
	struct omx_board_counters counters;
	unsigned int i, n;

	if (*(const int *)arg) {
		if (omx_lib_clear_counters(dev, info->board_index) != OMX_LIB_SUCCESS)
			goto fail;
		printf("board %u %s: counters cleared\n", info->board_index,
		       info->ifname);
		return 0;
	}

	if (omx_lib_get_counters(dev, info->board_index, &counters) != OMX_LIB_SUCCESS)
		goto fail;
	n = counters.count < OMX_COUNTERS_MAX ? counters.count : OMX_COUNTERS_MAX;
	printf("board %u %s\n", info->board_index, info->ifname);
	for (i = 0; i < n; i++)
		printf("  %s: %" PRIu64 "\n", omx_lib_counter_name(i),
		       (uint64_t)counters.values[i]);
	return 0;

fail:
	fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "clear", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct omx_board_info info;
	struct omx_lib_dev dev;
	int one = 0, clear = 0, c, ret;
	__u32 only = 0;

	while ((c = getopt_long(argc, argv, "b:ch", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (omx_tool_board_arg(me, optarg, &only))
				return 2;
			one = 1;
			break;
		case 'c':
			clear = 1;
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
		/* the driver's own "no board" sentence, unlike the other tools */
		if (omx_lib_get_board_info(&dev, only, &info) != OMX_LIB_SUCCESS) {
			fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
			ret = -1;
		} else {
			ret = show_board(&dev, &info, &clear);
		}
		omx_lib_close(&dev);
		return ret ? 1 : 0;
	}

	/* how many boards, or -1 */
	ret = omx_tool_for_each_board(&dev, show_board, &clear);
	if (!ret)
		omx_tool_warn_no_board();
	omx_lib_close(&dev);
	return ret < 0 ? 1 : 0;
}
