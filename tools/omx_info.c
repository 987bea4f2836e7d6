// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_info: the omx driver's versions and module-wide figures, what it
 * has attached (one line per board, one line of counter totals) and the
 * peers it has heard, one line per peer.
 *
 * Output (stable, parsed by tests):
 *   omx driver ABI 0x101, library ABI 0x101
 *   driver: version=0.1.0 endpoints_open=0 pinned_pages=0 regions=0 pulls=0 peers=1/1024
 *   dma: off                (or, with the module parameter dma=1:)
 *   dma: channel=node0:dma0chan0  (each online NUMA node's channel)
 *   board 0: ifname=veth0 mac=aa:bb:cc:dd:ee:ff mtu=9000 status=up,running endpoints=0 hostname=guest:0
 *   board 0 counters: rx_frames=12 tx_frames=10 rx_dropped=0 tx_errors=0
 *   board 0 dma: copies=12 bytes=106152 fallbacks=0 (no_channel=0 no_memory=0 unsplit=0 refused=0 failed=0)
 *                           (with dma=1 only)
 *   peer 0: mac=52:54:00:12:34:57 hostname=node1:0 board=0
 *   warning: ...            (board down, no link, MTU too small, no board,
 *                            peer table full)
 * A peer whose hostname is not known yet shows "hostname=-".  Peer
 * indexes may be sparse (a detached board's peers leave the table).
 * With -v, each board line is followed by
 *   board 0: ifindex=3 numa_node=-1 endpoint_max=32
 * and each peer line by
 *   peer 0: reverse_index=1      (our index in its table, or "unknown")
 * With -d, discovery is triggered on every board first and omx_info waits
 * for the answers (up to -w seconds) before printing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "omx_lib.h"
#include "omx_tool.h"
#include "omx_wire.h"

/* MODULE_VERSION of the loaded module */
#define OMX_VERSION_PATH	"/sys/module/omx/version"
/* the DMA offload's module parameters (docs/module.md, "DMA offload") */
#define OMX_PARAM_DIR		"/sys/module/omx/parameters/"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_info [-v] [-d [-w SECONDS]] [-h]\n"
		"Show the omx driver's ABI, its attached boards (interfaces) and the\n"
		"peers (hosts) it has heard on them.\n"
		"  -v, --verbose       also show ifindex, NUMA node, endpoint slots and\n"
		"                      each peer's reverse index\n"
		"  -d, --discover      first look for peers on every board (needs\n"
		"                      CAP_NET_ADMIN) and wait for their answers\n"
		"  -w, --wait SECONDS  longest wait for answers with -d (default 2)\n"
		"  -h, --help          show this help\n"
		"Lines starting with \"warning:\" point at something omx cannot use well.\n");
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

/*
 * One line of totals ("rx_dropped" sums every rx_drop_* counter), and
 * with @dma_on the board's receive-copy offload counters.
 */
static int print_board_counters(struct omx_lib_dev *dev, __u32 board, int dma_on)
{
	struct omx_board_counters c;
	unsigned long long dropped = 0;
	unsigned int i, n;

	if (omx_lib_get_counters(dev, board, &c) != OMX_LIB_SUCCESS) {
		fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
		return -1;
	}
	n = c.count < OMX_COUNTER_NR ? c.count : OMX_COUNTER_NR;
	for (i = 0; i < n; i++)
		if (!strncmp(omx_lib_counter_name(i), "rx_drop_", 8))
			dropped += c.values[i];
	printf("board %u counters: rx_frames=%llu tx_frames=%llu rx_dropped=%llu tx_errors=%llu\n",
	       board, (unsigned long long)c.values[OMX_COUNTER_RX_FRAMES],
	       (unsigned long long)c.values[OMX_COUNTER_TX_FRAMES], dropped,
	       (unsigned long long)c.values[OMX_COUNTER_TX_ERRORS]);
	if (dma_on && n > OMX_COUNTER_DMA_FALLBACK_FAILED)
		printf("board %u dma: copies=%llu bytes=%llu fallbacks=%llu (no_channel=%llu no_memory=%llu unsplit=%llu refused=%llu failed=%llu)\n",
		       board, (unsigned long long)c.values[OMX_COUNTER_DMA_COPIES],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_BYTES],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACKS],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACK_NO_CHANNEL],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACK_NO_MEMORY],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACK_UNSPLIT],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACK_REFUSED],
		       (unsigned long long)c.values[OMX_COUNTER_DMA_FALLBACK_FAILED]);
	return 0;
}

/* what show_board() prints besides the board line */
struct show_opts {
	int verbose;	/* -v */
	int dma_on;	/* the receive-copy offload's counters too */
};

/* omx_tool_board_fn: @arg points to a struct show_opts */
static int show_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
		      void *arg)
{
	const struct show_opts *opts = arg;

	print_board(info, opts->verbose);
	return print_board_counters(dev, info->board_index, opts->dma_on);
}

static void read_version(char *buf, size_t size)
{
	FILE *f = fopen(OMX_VERSION_PATH, "r");

	snprintf(buf, size, "unknown");
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		snprintf(buf, size, "unknown");
	fclose(f);
}

/* The first line of module parameter @name, without its newline. */
static int read_param(const char *name, char *buf, size_t size)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), OMX_PARAM_DIR "%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * The receive-copy offload: "off", or the channel in use; "unknown (old
 * module)" for a module without these parameters.  Returns whether it
 * is on, for the per-board lines.
 */
static int print_dma(void)
{
	char on[8], chan[256];

	if (read_param("dma", on, sizeof(on)) ||
	    (on[0] == 'Y' && read_param("dma_channel", chan, sizeof(chan)))) {
		printf("dma: unknown (old module)\n");
		return 0;
	}
	if (on[0] != 'Y') {
		printf("dma: off\n");
		return 0;
	}
	printf("dma: channel=%s\n", chan);
	return 1;
}

/* Module-wide figures: versions, live objects, peer table use. */
static int print_driver(struct omx_lib_dev *dev)
{
	struct omx_peer_table_info table;
	struct omx_driver_info info;
	char version[64];

	if (ioctl(dev->fd, OMX_CMD_GET_DRIVER_INFO, &info) < 0) {
		fprintf(stderr, "omx_info: cannot read the driver figures: %s\n",
			strerror(errno));
		return -1;
	}
	if (omx_lib_get_peer_table_info(dev, &table) != OMX_LIB_SUCCESS)
		return -1;
	read_version(version, sizeof(version));
	printf("driver: version=%s endpoints_open=%u pinned_pages=%llu regions=%u pulls=%u peers=%u/%u\n",
	       version, info.endpoints_open, (unsigned long long)info.pinned_pages,
	       info.regions, info.pulls, table.count, table.max);
	return 0;
}

static void print_peer(const struct omx_peer_info *peer, int verbose)
{
	const __u8 *m = peer->mac;

	printf("peer %u: mac=%02x:%02x:%02x:%02x:%02x:%02x hostname=%s board=%u\n",
	       peer->peer_index, m[0], m[1], m[2], m[3], m[4], m[5],
	       (peer->flags & OMX_PEER_FLAG_HOSTNAME) ? peer->hostname : "-",
	       peer->board_index);
	if (!verbose)
		return;
	if (peer->reverse_index == OMX_PEER_INDEX_NONE)
		printf("peer %u: reverse_index=unknown\n", peer->peer_index);
	else
		printf("peer %u: reverse_index=%u\n", peer->peer_index,
		       peer->reverse_index);
}

static int print_peers(struct omx_lib_dev *dev, int verbose)
{
	struct omx_peer_table_info table;
	struct omx_peer_info peer;
	enum omx_lib_status st;
	__u32 index, found = 0;

	if (omx_lib_get_peer_table_info(dev, &table) != OMX_LIB_SUCCESS)
		return -1;
	/* the table may change between the calls: just stop where it ends */
	for (index = 0; found < table.count; index++, found++) {
		st = omx_lib_next_peer(dev, &index, &peer);
		if (st == OMX_LIB_NO_SUCH_PEER)
			break;
		if (st != OMX_LIB_SUCCESS)
			return -1;
		print_peer(&peer, verbose);
	}
	if (table.refused)
		printf("warning: peer table full: new peers refused %llu time(s) (table size %u); reload omx with a larger peers= parameter\n",
		       (unsigned long long)table.refused, table.max);
	else if (table.count >= table.max)
		printf("warning: peer table full: %u of %u slots used, the next new peer will be refused; reload omx with a larger peers= parameter\n",
		       table.count, table.max);
	return 0;
}

/* Peers in the table, and how many of them have a hostname. */
static int count_peers(struct omx_lib_dev *dev, __u32 *count, __u32 *named)
{
	struct omx_peer_table_info table;
	struct omx_peer_info peer;
	enum omx_lib_status st;
	__u32 index, found;

	*named = 0;
	if (omx_lib_get_peer_table_info(dev, &table) != OMX_LIB_SUCCESS)
		return -1;
	*count = table.count;
	for (index = 0, found = 0; found < table.count; index++, found++) {
		st = omx_lib_next_peer(dev, &index, &peer);
		if (st == OMX_LIB_NO_SUCH_PEER)
			break;
		if (st != OMX_LIB_SUCCESS)
			return -1;
		if (peer.flags & OMX_PEER_FLAG_HOSTNAME)
			(*named)++;
	}
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * omx_tool_board_fn: broadcast a query if the board can send.  A down
 * board gets a warning, not an error.
 */
static int discover_board(struct omx_lib_dev *dev,
			  const struct omx_board_info *info, void *arg)
{
	enum omx_lib_status st;

	(void)arg;
	st = omx_lib_discover_peers(dev, info->board_index);
	if (st == OMX_LIB_BOARD_DOWN || st == OMX_LIB_NO_SUCH_BOARD) {
		fprintf(stderr, "omx_info: no discovery on board %u (%s): %s\n",
			info->board_index, info->ifname, omx_lib_errmsg(dev));
	} else if (st != OMX_LIB_SUCCESS) {
		fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
		return -1;
	}
	return 0;
}

/*
 * Query from every board, then wait until every peer has a hostname and
 * the table has been still for a while, at most @wait_ms.  -1 once the
 * driver's reason is on stderr.
 */
static int discover(struct omx_lib_dev *dev, long wait_ms)
{
	const long step = 100, still_ms = 500;
	__u32 n, named, last_n = 0, last_named = 0;
	long waited = 0, still = 0;

	if (omx_tool_for_each_board(dev, discover_board, NULL) < 0)
		return -1;

	while (waited < wait_ms) {
		sleep_ms(step);
		waited += step;
		if (count_peers(dev, &n, &named)) {
			fprintf(stderr, "%s\n", omx_lib_errmsg(dev));
			return -1;
		}
		if (n == last_n && named == last_named)
			still += step;
		else
			still = 0;
		last_n = n;
		last_named = named;
		if (named == n && still >= still_ms)
			break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "discover", no_argument, NULL, 'd' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum omx_lib_status st;
	struct omx_lib_dev dev;
	struct show_opts opts = { 0, 0 };
	int verbose = 0, do_discover = 0, c, found;
	long wait_ms = 2000;
	double wait_s;
	char *end;

	while ((c = getopt_long(argc, argv, "vdw:h", options, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = 1;
			break;
		case 'd':
			do_discover = 1;
			break;
		case 'w':
			errno = 0;
			wait_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(wait_s >= 0 && wait_s <= 60)) {
				fprintf(stderr, "omx_info: invalid wait \"%s\": give 0 to 60 seconds\n",
					optarg);
				return 2;
			}
			wait_ms = (long)(wait_s * 1000);
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

	if (print_driver(&dev))
		goto out_fail;
	opts.dma_on = print_dma();
	if (do_discover && discover(&dev, wait_ms))
		goto out_fail;

	opts.verbose = verbose;
	found = omx_tool_for_each_board(&dev, show_board, &opts);
	if (found < 0)
		goto out_fail;
	if (!found)
		omx_tool_warn_no_board();
	if (print_peers(&dev, verbose))
		goto fail;

	omx_lib_close(&dev);
	return 0;

fail:
	fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
out_fail:
	omx_lib_close(&dev);
	return 1;
}
