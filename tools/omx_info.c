// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_info: what the omx driver has attached, one line per board.
 *
 * Output (stable, parsed by tests):
 *   omx driver ABI 0x100, library ABI 0x100
 *   board 0: ifname=veth0 mac=aa:bb:cc:dd:ee:ff mtu=9000 status=up,running endpoints=0 hostname=guest:0
 *   warning: ...            (board down, no link, MTU too small, no board)
 * With -v, each board line is followed by
 *   board 0: ifindex=3 numa_node=-1 endpoint_max=32
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"
#include "omx_wire.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_info [-v] [-h]\n"
		"Show the omx driver's ABI and its attached boards (interfaces).\n"
		"  -v, --verbose  also show ifindex, NUMA node and endpoint slots\n"
		"  -h, --help     show this help\n"
		"Lines starting with \"warning:\" point at a board omx cannot use well.\n");
}

static void format_status(__u32 status, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s",
		 (status & OMX_BOARD_STATUS_UP) ? "up" : "down",
		 (status & OMX_BOARD_STATUS_RUNNING) ? ",running" : "",
		 (status & OMX_BOARD_STATUS_MTU_TOO_SMALL) ? ",mtu_too_small" : "");
}

static void print_board(const struct omx_board_info *info, int verbose)
{
	const __u8 *m = info->mac;
	char status[64];

	format_status(info->status, status, sizeof(status));
	printf("board %u: ifname=%s mac=%02x:%02x:%02x:%02x:%02x:%02x mtu=%u status=%s endpoints=%u hostname=%s\n",
	       info->board_index, info->ifname, m[0], m[1], m[2], m[3], m[4],
	       m[5], info->mtu, status, info->endpoint_count, info->hostname);
	if (verbose)
		printf("board %u: ifindex=%u numa_node=%d endpoint_max=%u\n",
		       info->board_index, info->ifindex, info->numa_node,
		       info->endpoint_max);

	if (!(info->status & OMX_BOARD_STATUS_UP))
		printf("warning: board %u (%s) is down: bring it up with 'ip link set %s up'\n",
		       info->board_index, info->ifname, info->ifname);
	else if (!(info->status & OMX_BOARD_STATUS_RUNNING))
		printf("warning: board %u (%s) has no link: check the cable or the peer interface\n",
		       info->board_index, info->ifname);
	if (info->status & OMX_BOARD_STATUS_MTU_TOO_SMALL)
		printf("warning: board %u (%s) MTU %u is below the %u omx needs: raise it with 'ip link set %s mtu 9000'\n",
		       info->board_index, info->ifname, info->mtu, OMX_MTU_MIN,
		       info->ifname);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct omx_board_info info;
	enum omx_lib_status st;
	struct omx_lib_dev dev;
	__u32 count, found = 0, board;
	int verbose = 0, c;

	while ((c = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
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

	st = omx_lib_open(&dev, OMX_DEVICE_PATH);
	if (st == OMX_LIB_ABI_MISMATCH && dev.driver_abi)
		printf("omx driver ABI 0x%x, library ABI 0x%x\n", dev.driver_abi,
		       omx_lib_abi_version());
	if (st != OMX_LIB_SUCCESS) {
		fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
		return 1;
	}
	printf("omx driver ABI 0x%x, library ABI 0x%x\n", dev.driver_abi,
	       omx_lib_abi_version());

	st = omx_lib_get_board_count(&dev, &count);
	if (st != OMX_LIB_SUCCESS)
		goto fail;

	/* board indexes are stable, so the attached ones may be sparse */
	for (board = 0; board < OMX_MAX_BOARDS && found < count; board++) {
		st = omx_lib_get_board_info(&dev, board, &info);
		if (st == OMX_LIB_NO_SUCH_BOARD)
			continue;
		if (st != OMX_LIB_SUCCESS)
			goto fail;
		print_board(&info, verbose);
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
