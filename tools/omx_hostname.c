// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_hostname: show or set the hostnames of omx boards, the names peers
 * see (and MX programs resolve with mx_hostname_to_nic_id).
 *
 * Output (stable, parsed by tests):
 *   board 0 (eth0): hostname=node0:0
 * and after a change
 *   board 0 (eth0): hostname=rack1-n3:0 (was node0:0)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>

#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_hostname";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_hostname [-b BOARD] [NAME | -r] [-h]\n"
		"Show the hostname of each omx board, or set it.\n"
		"  NAME               set it: every board becomes NAME:INDEX, or with -b\n"
		"                     that board becomes exactly NAME (needs CAP_NET_ADMIN)\n"
		"  -b, --board BOARD  only this board (default: every attached board)\n"
		"  -r, --reset        set the default name again, SYSTEM-HOSTNAME:INDEX, e.g.\n"
		"                     after the system hostname changed\n"
		"  -h, --help         show this help\n"
		"Peers heard through a renamed board are told the new name at once.\n");
}

static int set_one(struct omx_lib_dev *dev, const struct omx_board_info *info,
		   const char *name)
{
	struct omx_board_hostname req;

	memset(&req, 0, sizeof(req));
	req.board_index = info->board_index;
	/* do_board() checked that it fits */
	memcpy(req.hostname, name, strlen(name) + 1);
	if (ioctl(dev->fd, OMX_CMD_SET_HOSTNAME, &req) < 0) {
		omx_tool_perror(me, "cannot rename the board", errno,
				info->board_index);
		return -1;
	}
	printf("board %u (%s): hostname=%s (was %s)\n", info->board_index,
	       info->ifname, req.hostname, info->hostname);
	return 0;
}

/*
 * @base: NULL shows; with @exact the name as is, else BASE:INDEX.
 * Names are checked before the first board is renamed.
 */
static int do_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
		    const char *base, int exact)
{
	char name[OMX_HOSTNAMELEN_MAX + 16];

	if (!base) {
		printf("board %u (%s): hostname=%s\n", info->board_index,
		       info->ifname, info->hostname);
		return 0;
	}
	if (exact)
		snprintf(name, sizeof(name), "%s", base);
	else
		snprintf(name, sizeof(name), "%s:%u", base, info->board_index);
	if (!omx_tool_hostname_ok(name)) {
		fprintf(stderr, "%s: invalid hostname \"%s\": use 1 to %d printable characters\n",
			me, name, OMX_HOSTNAMELEN_MAX - 1);
		return -1;
	}
	return set_one(dev, info, name);
}

/* omx_tool_board_fn: @arg points to the base name, NULL to show */
static int do_each_board(struct omx_lib_dev *dev,
			 const struct omx_board_info *info, void *arg)
{
	return do_board(dev, info, *(const char **)arg, 0);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "reset", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct omx_board_info info;
	struct omx_lib_dev dev;
	int one = 0, reset = 0, c, ret;
	__u32 only = 0;
	const char *base = NULL;
	struct utsname uts;
	char check[OMX_HOSTNAMELEN_MAX + 16];

	while ((c = getopt_long(argc, argv, "b:rh", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (omx_tool_board_arg(me, optarg, &only))
				return 2;
			one = 1;
			break;
		case 'r':
			reset = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1 || (reset && argc - optind == 1)) {
		usage(stderr);
		return 2;
	}
	if (argc - optind == 1)
		base = argv[optind];
	if (reset) {
		if (uname(&uts) < 0) {
			fprintf(stderr, "%s: uname: %s\n", me, strerror(errno));
			return 1;
		}
		base = uts.nodename;
	}
	/* refuse a bad name before touching any board (31: longest index) */
	if (base) {
		snprintf(check, sizeof(check), (one && !reset) ? "%s" : "%s:31", base);
		if (!omx_tool_hostname_ok(check)) {
			fprintf(stderr, "%s: invalid hostname \"%s\": use printable characters, at most %d with the \":INDEX\" suffix\n",
				me, base, OMX_HOSTNAMELEN_MAX - 1);
			return 2;
		}
	}

	if (omx_tool_open(&dev))
		return 1;

	if (one) {
		ret = omx_tool_board_info(&dev, me, only, &info) ||
		      do_board(&dev, &info, base, !reset);
		omx_lib_close(&dev);
		return ret ? 1 : 0;
	}

	/* how many boards, or -1 */
	ret = omx_tool_for_each_board(&dev, do_each_board, &base);
	if (!ret)
		fprintf(stderr, "%s: no board attached: " OMX_TOOL_ATTACH_HINT "\n",
			me);
	omx_lib_close(&dev);
	return ret > 0 ? 0 : 1;
}
