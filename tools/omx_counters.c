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

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_counters [-b BOARD] [-c] [-h]\n"
		"Show the omx driver's per-board counters.\n"
		"  -b, --board BOARD  only this board (default: every attached board)\n"
		"  -c, --clear        clear the counters instead (needs CAP_NET_ADMIN)\n"
		"  -h, --help         show this help\n");
}

static int parse_board(const char *s, __u32 *board)
{
	unsigned long v;
	char *end;

	/* decimal only: "010" is board 10, not 8; strtoul would accept "-1" */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= OMX_MAX_BOARDS)
		return -1;
	*board = (__u32)v;
	return 0;
}

static int show_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
		      int clear)
{
	struct omx_board_counters counters;
	unsigned int i, n;

	if (clear) {
		if (omx_lib_clear_counters(dev, info->board_index) != OMX_LIB_SUCCESS)
			return -1;
		printf("board %u %s: counters cleared\n", info->board_index,
		       info->ifname);
		return 0;
	}

	if (omx_lib_get_counters(dev, info->board_index, &counters) != OMX_LIB_SUCCESS)
		return -1;
	n = counters.count < OMX_COUNTERS_MAX ? counters.count : OMX_COUNTERS_MAX;
	printf("board %u %s\n", info->board_index, info->ifname);
	for (i = 0; i < n; i++)
		printf("  %s: %" PRIu64 "\n", omx_lib_counter_name(i),
		       (uint64_t)counters.values[i]);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "clear", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	__u32 board, only = 0, count, found = 0;
	struct omx_board_info info;
	enum omx_lib_status st;
	struct omx_lib_dev dev;
	int one = 0, clear = 0, c;

	while ((c = getopt_long(argc, argv, "b:ch", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (parse_board(optarg, &only)) {
				fprintf(stderr, "omx_counters: invalid board \"%s\": boards are 0 to %u\n",
					optarg, OMX_MAX_BOARDS - 1);
				return 2;
			}
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

	if (omx_lib_open(&dev, OMX_DEVICE_PATH) != OMX_LIB_SUCCESS) {
		fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
		return 1;
	}

	if (one) {
		if (omx_lib_get_board_info(&dev, only, &info) != OMX_LIB_SUCCESS ||
		    show_board(&dev, &info, clear))
			goto fail;
		omx_lib_close(&dev);
		return 0;
	}

	if (omx_lib_get_board_count(&dev, &count) != OMX_LIB_SUCCESS)
		goto fail;
	for (board = 0; board < OMX_MAX_BOARDS && found < count; board++) {
		st = omx_lib_get_board_info(&dev, board, &info);
		if (st == OMX_LIB_NO_SUCH_BOARD)
			continue;
		if (st != OMX_LIB_SUCCESS || show_board(&dev, &info, clear))
			goto fail;
		found++;
	}
	if (!found)
		printf("warning: no board attached: attach one with 'echo IFNAME > /sys/module/omx/parameters/ifnames'\n");

	omx_lib_close(&dev);
	return 0;

fail:
	fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
	omx_lib_close(&dev);
	return 1;
}
