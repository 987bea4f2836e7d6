// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_endpoint_info: the endpoints open on each board and who holds them.
 *
 * Output (stable, parsed by tests):
 *   board 0 (veth0): 1 of 32 endpoints open
 *   board 0 steering: mode=nic source=observed queues=4 hashed=812 misplaced=0
 *   board 0 queue 3: irq=27 name=virtio0-input.3 cpus=3
 *   board 0 endpoint 3: pid=1234 command=omx_perf session=0x1a2b3c4d
 *   board 0 endpoint 3: steering=nic queue=3/4 irq=27 cpus=3
 *   board 0 endpoint 3: rx cpu=3 frames=1234 bytes=567890
 * The session shows as "session=-" without CAP_NET_ADMIN, and a process
 * in another PID namespace as "pid=-".  Another user's endpoint shows as
 * "pid=- command=- session=-": only its owner and root see who holds it.  The steering and rx lines of an
 * endpoint are its owner's and root's: others get "steering=- (...)".
 * "rx" lines list the CPUs that processed frames of the endpoint, since
 * it was opened (docs/multiqueue.md).  In xdp mode, queue is the CPU slot
 * of the XDP program out of the online CPUs, and irq is "-".  With -a,
 * free slots are listed too, as "board 0 endpoint 4: free".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_endpoint_info";

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_endpoint_info [-b BOARD] [-a] [-h]\n"
		"Show the endpoints open on each omx board: owner pid and command,\n"
		"the receive queue, IRQ and CPUs that serve each, and the CPUs that\n"
		"really processed its frames.\n"
		"  -b, --board BOARD  only this board (default: every attached board)\n"
		"  -a, --all          also list the free endpoint slots\n"
		"  -h, --help         show this help\n"
		"Session ids are shown to CAP_NET_ADMIN only.\n");
}

static void show_board_queues(struct omx_lib_dev *dev, __u32 board)
{
	static struct omx_board_queues q;
	char cpus[OMX_CPUS_MAX * 4];
	__u32 i;

	memset(&q, 0, sizeof(q));
	q.board_index = board;
	if (ioctl(dev->fd, OMX_CMD_GET_BOARD_QUEUES, &q) < 0) {
		omx_tool_perror(me, "reading receive queues", errno, board);
		return;
	}
	printf("board %u steering: mode=%s source=%s queues=%u hashed=%llu misplaced=%llu\n",
	       board, omx_tool_steer_mode(q.mode), omx_tool_steer_source(q.mode_source),
	       q.nr_queues, (unsigned long long)q.hashed_frames,
	       (unsigned long long)q.misplaced_frames);
	for (i = 0; i < q.nr_reported; i++) {
		if (q.queues[i].irq < 0) {
			printf("board %u queue %u: irq=- name=- cpus=-\n", board, i);
			continue;
		}
		printf("board %u queue %u: irq=%d name=%.*s cpus=%s\n", board, i,
		       q.queues[i].irq, (int)sizeof(q.queues[i].irq_name),
		       q.queues[i].irq_name[0] ? q.queues[i].irq_name : "-",
		       omx_tool_cpulist(q.queues[i].cpus, cpus, sizeof(cpus)));
	}
}

/* The rx queues of @board (0 if unknown), for "queue=Q/N". */
static __u32 board_nr_queues(struct omx_lib_dev *dev, __u32 board)
{
	static struct omx_board_queues q;

	memset(&q, 0, sizeof(q));
	q.board_index = board;
	return ioctl(dev->fd, OMX_CMD_GET_BOARD_QUEUES, &q) < 0 ? 0 : q.nr_queues;
}

static void show_endpoint_steering(struct omx_lib_dev *dev, __u32 board, __u32 index)
{
	static struct omx_endpoint_steering st;
	char cpus[OMX_CPUS_MAX * 4];
	long online;
	__u32 cpu, nr;

	memset(&st, 0, sizeof(st));
	st.board_index = board;
	st.endpoint_index = index;
	if (ioctl(dev->fd, OMX_CMD_GET_ENDPOINT_STEERING, &st) < 0) {
		if (errno == EPERM)
			printf("board %u endpoint %u: steering=- (another user's endpoint: root sees it)\n",
			       board, index);
		else if (errno != ENOENT)	/* ENOENT: closed meanwhile */
			omx_tool_perror(me, "reading endpoint steering", errno, board);
		return;
	}
	if (st.mode == OMX_STEER_MODE_XDP) {
		/* the XDP program's slots are the online CPUs */
		online = sysconf(_SC_NPROCESSORS_ONLN);
		nr = online > 0 ? (__u32)online : 0;
	} else {
		nr = board_nr_queues(dev, board);
	}
	printf("board %u endpoint %u: steering=%s queue=%u/%u", board, index,
	       omx_tool_steer_mode(st.mode), st.queue, nr);
	if (st.irq >= 0)
		printf(" irq=%d", st.irq);
	else
		printf(" irq=-");
	printf(" cpus=%s\n", omx_tool_cpulist(st.cpus, cpus, sizeof(cpus)));
	for (cpu = 0; cpu < st.nr_cpus && cpu < OMX_CPUS_MAX; cpu++)
		if (st.rx_frames[cpu])
			printf("board %u endpoint %u: rx cpu=%u frames=%llu bytes=%llu\n",
			       board, index, cpu, (unsigned long long)st.rx_frames[cpu],
			       (unsigned long long)st.rx_bytes[cpu]);
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
	show_board_queues(dev, info->board_index);
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
		if (slot.flags & OMX_ENDPOINT_SLOT_HIDDEN)
			printf(" command=-");
		else
			printf(" command=%.*s", (int)sizeof(slot.comm), slot.comm);
		if (slot.session_id)
			printf(" session=0x%08x\n", slot.session_id);
		else
			printf(" session=-\n");
		show_endpoint_steering(dev, info->board_index, i);
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
