// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_affinity: where each receive queue is processed and where the
 * processes of its endpoints run, in the paper's placement classes
 * (SC same core, S$ shared cache, SP same package, OP other package).
 *
 * One snapshot (driver ioctls or a --state file, /proc, hwloc) is taken
 * per refresh and then rendered as text, JSON or SVG, so that the three
 * always say the same thing.  The text lines and JSON keys are stable (omx_affinity(1)).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hwloc.h>

#include "omx_binding.h"
#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_affinity";

#define CPULIST_LEN	(OMX_CPUS_MAX * 4)
#define POSITION_LEN	256

struct aff_endpoint {
	__u32 index;
	struct omx_endpoint_slot slot;
	int steering_ok;		/* 0: not ours (EPERM), fields are "-" */
	struct omx_endpoint_steering st;
	hwloc_bitmap_t queue_cpus;	/* empty unless steering_ok */
	/* the owner process, from /proc (proc_ok 0: gone or invisible) */
	int proc_ok;
	char state;
	hwloc_bitmap_t allowed;
	int last_cpu;			/* -1 unknown */
	enum omx_binding_class cls;	/* of last_cpu */
	enum omx_binding_class allowed_cls;
	unsigned long long rx_frames;
	int busy;
};

struct aff_board {
	struct omx_board_info info;
	struct omx_board_queues q;
	hwloc_bitmap_t qcpus[OMX_QUEUES_MAX];
	__u32 nr_open;
	struct aff_endpoint *eps;	/* nr_open of them */
};

struct aff_snapshot {
	hwloc_topology_t topo;
	const char *topo_source;	/* "this machine" or the --topology argument */
	int irqbalance_pid;		/* 0: not running */
	__u32 nr_boards;
	struct aff_board *boards;
	/* warnings, one sentence each, with what they are about */
	__u32 nr_warnings;
	struct aff_warning {
		const char *kind;
		int board, endpoint, queue;	/* -1: not about one */
		char text[384];
	} *warnings;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_affinity [-b BOARD] [-j] [-s FILE] [-t XML|SYNTHETIC]\n"
		"                    [-w [SECS]] [-c COUNT] [-S FILE] [-h]\n"
		"Show, for every omx board, each receive queue's IRQ, its CPUs and their\n"
		"place in the hwloc topology, and for every open endpoint its queue, its\n"
		"owning process (pid, command, allowed CPUs, last CPU) and the placement\n"
		"class of that process relative to the queue: SC same core, S$ another\n"
		"core under a shared cache, SP same package, OP another package.\n"
		"  -b, --board BOARD      only this board (default: every attached board)\n"
		"  -j, --json             one JSON document (one line) per refresh\n"
		"  -s, --svg FILE         also draw the topology, IRQs and processes into FILE\n"
		"  -t, --topology T       classify against hwloc XML file T or synthetic\n"
		"                         description T instead of this machine\n"
		"  -w, --watch [SECS]     refresh every SECS seconds (default 2) until interrupted\n"
		"  -c, --count COUNT      stop after COUNT refreshes (implies --watch)\n"
		"  -S, --state FILE       read the boards and endpoints from FILE, the output\n"
		"                         of omx_endpoint_info, instead of the driver\n"
		"  -h, --help             show this help\n");
}

/* ---- topology ---- */

/* This machine, or @arg: an XML file if one exists by that name, else a synthetic string. */
static int load_topology(hwloc_topology_t *topo, const char *arg)
{
	struct stat sb;
	int xml;

	if (hwloc_topology_init(topo)) {
		fprintf(stderr, "%s: cannot initialise hwloc: %s\n", me, strerror(errno));
		return -1;
	}
	xml = arg && !stat(arg, &sb) && S_ISREG(sb.st_mode);
	if (arg && xml && hwloc_topology_set_xml(*topo, arg)) {
		fprintf(stderr, "%s: --topology %s: hwloc cannot read this XML file\n", me, arg);
		goto fail;
	}
	if (arg && !xml && hwloc_topology_set_synthetic(*topo, arg)) {
		fprintf(stderr, "%s: --topology %s: no such hwloc XML file, and not a synthetic "
			"description either (e.g. \"pack:2 l2:2(size=4MiB) core:2 pu:1\")\n",
			me, arg);
		goto fail;
	}
	if (hwloc_topology_load(*topo)) {
		if (arg)
			fprintf(stderr, "%s: --topology %s: hwloc cannot load it: %s\n",
				me, arg, strerror(errno));
		else
			fprintf(stderr, "%s: no hwloc topology of this machine: %s\n",
				me, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	hwloc_topology_destroy(*topo);
	return -1;
}

/* An instruction cache or an L1 adds nothing to where a process runs. */
static int drawn_type(hwloc_obj_t obj)
{
	if (obj->type == HWLOC_OBJ_L1CACHE || obj->type == HWLOC_OBJ_L1ICACHE ||
	    obj->type == HWLOC_OBJ_L2ICACHE || obj->type == HWLOC_OBJ_L3ICACHE)
		return 0;
	return 1;
}

/*
 * "Package:0/L3:0/L2:1/Core:1/PU:1": the smallest object holding @set
 * and its ancestors below the machine, by logical index; "-" if none.
 */
static const char *position(hwloc_topology_t topo, hwloc_const_cpuset_t set,
			    char *buf, size_t size)
{
	hwloc_obj_t chain[64], obj = NULL;
	hwloc_bitmap_t s = hwloc_bitmap_alloc();
	size_t len = 0;
	int n = 0, i;
	char type[32];

	snprintf(buf, size, "-");
	if (!s)
		return buf;
	hwloc_bitmap_and(s, set, hwloc_topology_get_topology_cpuset(topo));
	if (!hwloc_bitmap_iszero(s))
		obj = hwloc_get_obj_covering_cpuset(topo, s);
	hwloc_bitmap_free(s);
	for (; obj && obj->parent && n < 64; obj = obj->parent)
		if (drawn_type(obj))
			chain[n++] = obj;
	if (!n)
		return buf;
	buf[0] = '\0';
	for (i = n - 1; i >= 0 && len < size; i--) {
		hwloc_obj_type_snprintf(type, sizeof(type), chain[i], 0);
		len += (size_t)snprintf(buf + len, size - len, "%s%s:%u", len ? "/" : "",
					type, chain[i]->logical_index);
	}
	return buf;
}

static void words_to_bitmap(const __u64 words[OMX_CPUMASK_WORDS], hwloc_bitmap_t b)
{
	unsigned int cpu;

	hwloc_bitmap_zero(b);
	for (cpu = 0; cpu < OMX_CPUS_MAX; cpu++)
		if (words[cpu / 64] & (1ULL << (cpu % 64)))
			hwloc_bitmap_set(b, cpu);
}

static const char *bitmap_list(hwloc_const_bitmap_t b, char *buf, size_t size)
{
	if (hwloc_bitmap_iszero(b))
		snprintf(buf, size, "-");
	else
		hwloc_bitmap_list_snprintf(buf, size, b);
	return buf;
}

/* ---- /proc ---- */

/* State and last CPU (field 39) from /proc/PID/stat, allowed CPUs from status. */
static int read_proc(int pid, struct aff_endpoint *ep)
{
	char path[64], buf[4096], *p, *tok, *save;
	FILE *f;
	size_t n;
	int field, ok = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* the command may hold spaces and parentheses: fields follow the last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	for (field = 3, tok = strtok_r(p + 1, " ", &save); tok;
	     field++, tok = strtok_r(NULL, " ", &save)) {
		if (field == 3)
			ep->state = tok[0];
		if (field == 39) {
			ep->last_cpu = atoi(tok);
			ok = 1;
			break;
		}
	}
	if (!ok)
		return 0;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	ok = 0;
	while (fgets(buf, sizeof(buf), f)) {
		if (strncmp(buf, "Cpus_allowed_list:", 18))
			continue;
		p = buf + 18 + strspn(buf + 18, " \t");
		p[strcspn(p, "\n")] = '\0';
		ok = !hwloc_bitmap_list_sscanf(ep->allowed, p);
		break;
	}
	fclose(f);
	return ok;
}

/* The pid of a process whose command is irqbalance, or 0. */
static int find_irqbalance(void)
{
	char path[300], comm[32];
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int pid = 0;
	FILE *f;

	if (!dir)
		return 0;
	while (!pid && (d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strcmp(comm, "irqbalance\n"))
			pid = atoi(d->d_name);
		fclose(f);
	}
	closedir(dir);
	return pid;
}

/* ---- the snapshot ---- */

__attribute__((format(printf, 6, 7)))
static void warn(struct aff_snapshot *s, const char *kind, int board, int endpoint,
		 int queue, const char *fmt, ...)
{
	struct aff_warning *w;
	va_list ap;

	w = realloc(s->warnings, (s->nr_warnings + 1) * sizeof(*w));
	if (!w)
		return;
	s->warnings = w;
	w += s->nr_warnings++;
	w->kind = kind;
	w->board = board;
	w->endpoint = endpoint;
	w->queue = queue;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof(w->text), fmt, ap);
	va_end(ap);
}

/* A process that can still consume frames: it exists, is neither stopped nor dead. */
static int running(const struct aff_endpoint *ep)
{
	return ep->proc_ok && !strchr("ZXTtx", ep->state);
}

/* What /proc says of the owner of @ep, and the classes. */
static int place_endpoint(struct aff_snapshot *s, struct aff_endpoint *ep)
{
	hwloc_bitmap_t last = hwloc_bitmap_alloc();
	__u32 cpu;

	if (!last)
		return -1;
	ep->last_cpu = -1;
	ep->rx_frames = 0;
	for (cpu = 0; ep->steering_ok && cpu < ep->st.nr_cpus && cpu < OMX_CPUS_MAX; cpu++)
		ep->rx_frames += ep->st.rx_frames[cpu];
	if (ep->slot.owner_pid > 0)
		ep->proc_ok = read_proc(ep->slot.owner_pid, ep);
	if (!ep->proc_ok) {
		ep->last_cpu = -1;
		hwloc_bitmap_zero(ep->allowed);
	}
	if (ep->last_cpu >= 0)
		hwloc_bitmap_only(last, (unsigned int)ep->last_cpu);
	ep->cls = omx_binding_classify(s->topo, ep->queue_cpus, last);
	ep->allowed_cls = omx_binding_classify(s->topo, ep->queue_cpus, ep->allowed);
	hwloc_bitmap_free(last);
	ep->busy = ep->steering_ok && ep->rx_frames > 0 && running(ep);
	return 0;
}

static void board_warnings(struct aff_snapshot *s, struct aff_board *b)
{
	char cpus[CPULIST_LEN], list[256];
	int bi = (int)b->info.board_index;
	__u32 i, j, n;
	size_t len;

	if (b->q.mode == OMX_STEER_MODE_NONE)
		warn(s, "steering-none", bi, -1, -1,
		     "board %d: steering none (source=%s): frames land on any queue, whatever "
		     "their endpoint; the classes hold only for frames that reach the endpoint's queue",
		     bi, omx_tool_steer_source(b->q.mode_source));
	for (i = 0; i < b->q.nr_reported; i++)
		if (hwloc_bitmap_weight(b->qcpus[i]) > 1)
			warn(s, "irq-spread", bi, -1, (int)i,
			     "board %d queue %u: irq %d spread over CPUs %s: its frames are "
			     "processed on several CPUs, no process can be beside all of them",
			     bi, i, b->q.queues[i].irq, bitmap_list(b->qcpus[i], cpus, sizeof(cpus)));
	for (i = 0; i < b->nr_open; i++) {
		struct aff_endpoint *ep = &b->eps[i];

		if (ep->cls == OMX_CLASS_OP)
			warn(s, "other-package", bi, (int)ep->index, (int)ep->st.queue,
			     "board %d endpoint %u: pid %d (%.*s) last ran on CPU %d, in another "
			     "package than queue %u (CPUs %s): OP",
			     bi, ep->index, ep->slot.owner_pid, (int)sizeof(ep->slot.comm),
			     ep->slot.comm, ep->last_cpu, ep->st.queue,
			     bitmap_list(ep->queue_cpus, cpus, sizeof(cpus)));
	}
	/* busy endpoints sharing a queue, reported once at the first of them */
	for (i = 0; i < b->nr_open; i++) {
		struct aff_endpoint *ep = &b->eps[i];

		if (!ep->busy)
			continue;
		for (j = 0; j < i; j++)
			if (b->eps[j].busy && b->eps[j].st.queue == ep->st.queue)
				break;
		if (j < i)
			continue;
		len = (size_t)snprintf(list, sizeof(list), "%u", ep->index);
		for (n = 1, j = i + 1; j < b->nr_open; j++) {
			if (!b->eps[j].busy || b->eps[j].st.queue != ep->st.queue)
				continue;
			n++;
			if (len < sizeof(list))
				len += (size_t)snprintf(list + len, sizeof(list) - len, ",%u",
							b->eps[j].index);
		}
		if (n > 1)
			warn(s, "shared-queue", bi, -1, (int)ep->st.queue,
			     "board %d queue %u: %u busy endpoints (%s) share it: their frames "
			     "compete for CPUs %s",
			     bi, ep->st.queue, n, list, bitmap_list(ep->queue_cpus, cpus, sizeof(cpus)));
	}
}

/* A new board of @s with its bitmaps and room for every endpoint, or NULL. */
static struct aff_board *add_board(struct aff_snapshot *s, const struct omx_board_info *info)
{
	struct aff_board *b;
	__u32 i;

	b = realloc(s->boards, (s->nr_boards + 1) * sizeof(*b));
	if (!b)
		goto nomem;
	s->boards = b;
	b += s->nr_boards++;
	memset(b, 0, sizeof(*b));
	b->info = *info;
	for (i = 0; i < OMX_QUEUES_MAX; i++)
		if (!(b->qcpus[i] = hwloc_bitmap_alloc()))
			goto nomem;
	b->eps = calloc(info->endpoint_max ? info->endpoint_max : 1, sizeof(*b->eps));
	if (!b->eps)
		goto nomem;
	return b;
nomem:
	fprintf(stderr, "%s: out of memory\n", me);
	return NULL;
}

/* The next endpoint of @b (the caller checked there is room), or NULL. */
static struct aff_endpoint *add_endpoint(struct aff_board *b, __u32 index)
{
	struct aff_endpoint *ep = &b->eps[b->nr_open++];

	ep->index = index;
	ep->queue_cpus = hwloc_bitmap_alloc();
	ep->allowed = hwloc_bitmap_alloc();
	if (ep->queue_cpus && ep->allowed)
		return ep;
	fprintf(stderr, "%s: out of memory\n", me);
	return NULL;
}

/* /proc and classes of every endpoint of @b, then its warnings. */
static int place_board(struct aff_snapshot *s, struct aff_board *b)
{
	__u32 i;

	for (i = 0; i < b->nr_open; i++)
		if (place_endpoint(s, &b->eps[i]))
			return -1;
	board_warnings(s, b);
	return 0;
}

/* omx_tool_board_fn: board @info as the driver reports it now */
static int collect_board(struct omx_lib_dev *dev, const struct omx_board_info *info,
			 void *arg)
{
	struct aff_snapshot *s = arg;
	struct omx_endpoint_slot slot;
	struct aff_endpoint *ep;
	struct aff_board *b;
	__u32 i;

	b = add_board(s, info);
	if (!b)
		return -1;
	b->q.board_index = info->board_index;
	if (ioctl(dev->fd, OMX_CMD_GET_BOARD_QUEUES, &b->q) < 0) {
		omx_tool_perror(me, "reading receive queues", errno, info->board_index);
		return -1;
	}
	for (i = 0; i < b->q.nr_reported && i < OMX_QUEUES_MAX; i++)
		if (b->q.queues[i].irq >= 0)
			words_to_bitmap(b->q.queues[i].cpus, b->qcpus[i]);
	for (i = 0; i < info->endpoint_max; i++) {
		memset(&slot, 0, sizeof(slot));
		slot.board_index = info->board_index;
		slot.endpoint_index = i;
		if (ioctl(dev->fd, OMX_CMD_GET_ENDPOINT_SLOT, &slot) < 0) {
			omx_tool_perror(me, "reading endpoint slots", errno, info->board_index);
			return -1;
		}
		if (!(slot.flags & OMX_ENDPOINT_SLOT_OPEN))
			continue;
		ep = add_endpoint(b, i);
		if (!ep)
			return -1;
		ep->slot = slot;
		ep->st.board_index = info->board_index;
		ep->st.endpoint_index = i;
		if (ioctl(dev->fd, OMX_CMD_GET_ENDPOINT_STEERING, &ep->st) == 0) {
			ep->steering_ok = 1;
			words_to_bitmap(ep->st.cpus, ep->queue_cpus);
		} else if (errno != EPERM && errno != ENOENT) {
			/* EPERM: another user's endpoint, shown with "-"; ENOENT: closed meanwhile */
			omx_tool_perror(me, "reading endpoint steering", errno, info->board_index);
			return -1;
		}
	}
	return place_board(s, b);
}

/* ---- --state FILE: omx_endpoint_info's output instead of the driver ---- */

/* enum value whose @name_of is @name, or -1 */
static int name_to_enum(const char *name, const char *(*name_of)(__u32), __u32 max)
{
	__u32 i;

	for (i = 0; i < max; i++)
		if (!strcmp(name, name_of(i)))
			return (int)i;
	return -1;
}

/* "3", "0-3,6" or "-" (none) into @b */
static int parse_cpus(const char *str, hwloc_bitmap_t b)
{
	hwloc_bitmap_zero(b);
	if (!strcmp(str, "-"))
		return 0;
	if (!isdigit((unsigned char)str[0]) || hwloc_bitmap_list_sscanf(b, str) ||
	    hwloc_bitmap_last(b) >= OMX_CPUS_MAX)
		return -1;
	return 0;
}

/* "27" or "-" (-1) */
static int parse_irq(const char *str, __s32 *irq)
{
	char *end;
	long v;

	if (!strcmp(str, "-")) {
		*irq = -1;
		return 0;
	}
	v = strtol(str, &end, 10);
	if (!isdigit((unsigned char)str[0]) || *end || v > 0x7fffffff)
		return -1;
	*irq = (__s32)v;
	return 0;
}

/* One line of omx_endpoint_info; 0, or -1 if it is none (the caller says where). */
static int state_line(struct aff_snapshot *s, char *line, struct aff_board **bp,
		      struct aff_endpoint **epp, long only, int *skip)
{
	struct aff_board *b = *bp;
	struct aff_endpoint *ep = *epp;
	struct omx_board_info info;
	char w1[64], w2[64], w3[64], cpus[CPULIST_LEN];
	unsigned long long x, y;
	__u32 bi, i, n, m;
	char *cmd, *end;
	int mode, src, k;

	if (!*line || !strncmp(line, "warning: ", 9))
		return 0;
	if (sscanf(line, "board %u (%15[^)]): %u of %u endpoints open%n", &bi, w1, &n, &m,
		   &k) == 4 && !line[k]) {
		*skip = only >= 0 && bi != only;
		*epp = NULL;
		if (*skip)
			return 0;
		if (m > 1024 || n > m)
			return -1;
		memset(&info, 0, sizeof(info));
		info.board_index = bi;
		info.endpoint_max = m;
		snprintf(info.ifname, sizeof(info.ifname), "%.*s", (int)sizeof(info.ifname) - 1, w1);
		*bp = add_board(s, &info);
		return *bp ? 0 : -1;
	}
	if (sscanf(line, "board %u", &bi) != 1)
		return -1;
	if (*skip)
		return 0;
	if (!b || bi != b->info.board_index)
		return -1;
	if (sscanf(line, "board %*u steering: mode=%63s source=%63s queues=%u hashed=%llu "
		   "misplaced=%llu%n", w1, w2, &n, &x, &y, &k) == 5 && !line[k]) {
		mode = name_to_enum(w1, omx_tool_steer_mode, 3);
		src = name_to_enum(w2, omx_tool_steer_source, 6);
		if (mode < 0 || src < 0)
			return -1;
		b->q.mode = (__u32)mode;
		b->q.mode_source = (__u32)src;
		b->q.nr_queues = n;
		b->q.hashed_frames = x;
		b->q.misplaced_frames = y;
		return 0;
	}
	if (sscanf(line, "board %*u queue %u: irq=%63s name=%63s cpus=%1023s%n", &i, w1, w2,
		   cpus, &k) == 4 && !line[k]) {
		if (i >= OMX_QUEUES_MAX || parse_irq(w1, &b->q.queues[i].irq) ||
		    parse_cpus(cpus, b->qcpus[i]))
			return -1;
		snprintf(b->q.queues[i].irq_name, sizeof(b->q.queues[i].irq_name), "%.*s",
			 (int)sizeof(b->q.queues[i].irq_name) - 1, strcmp(w2, "-") ? w2 : "");
		if (i + 1 > b->q.nr_reported)
			b->q.nr_reported = i + 1;
		return 0;
	}
	if (sscanf(line, "board %*u endpoint %u: %n", &i, &k) != 1)
		return -1;
	line += k;
	if (!strcmp(line, "free"))
		return 0;
	if (!strncmp(line, "pid=", 4)) {
		/* the command may hold spaces: it ends at the last " session=" */
		cmd = strstr(line, " command=");
		end = cmd ? strrchr(cmd, ' ') : NULL;
		if (!cmd || i >= b->info.endpoint_max || b->nr_open >= b->info.endpoint_max ||
		    !end || strncmp(end, " session=", 9))
			return -1;
		*end = '\0';
		*epp = ep = add_endpoint(b, i);
		if (!ep)
			return -1;
		ep->slot.flags = OMX_ENDPOINT_SLOT_OPEN;
		if (strncmp(line + 4, "- ", 2))
			ep->slot.owner_pid = (__s32)strtol(line + 4, NULL, 10);
		snprintf(ep->slot.comm, sizeof(ep->slot.comm), "%s", cmd + 9);
		return ep->slot.owner_pid >= 0 ? 0 : -1;
	}
	if (!ep || ep->index != i)
		return -1;
	if (!strncmp(line, "steering=- ", 11))
		return 0;
	if (sscanf(line, "steering=%63s queue=%u/%u irq=%63s cpus=%1023s%n", w1, &n, &m, w3,
		   cpus, &k) == 5 && !line[k]) {
		mode = name_to_enum(w1, omx_tool_steer_mode, 3);
		if (mode < 0 || parse_irq(w3, &ep->st.irq) || parse_cpus(cpus, ep->queue_cpus))
			return -1;
		ep->steering_ok = 1;
		ep->st.mode = (__u32)mode;
		ep->st.queue = n;
		ep->st.nr_cpus = OMX_CPUS_MAX;
		return 0;
	}
	if (sscanf(line, "rx cpu=%u frames=%llu bytes=%llu%n", &n, &x, &y, &k) == 3 && !line[k] &&
	    ep->steering_ok && n < OMX_CPUS_MAX) {
		ep->st.rx_frames[n] = x;
		ep->st.rx_bytes[n] = y;
		return 0;
	}
	return -1;
}

/* Every board of @path (omx_endpoint_info's output), or board @only. */
static int load_state(struct aff_snapshot *s, const char *path, long only)
{
	struct aff_endpoint *ep = NULL;
	struct aff_board *b = NULL;
	char line[2048];
	unsigned int nr = 0;
	int skip = 0, ret = 0;
	size_t len;
	__u32 i;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: --state %s: %s\n", me, path, strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		nr++;
		len = strlen(line);
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (state_line(s, line, &b, &ep, only, &skip)) {
			fprintf(stderr, "%s: --state %s:%u: not a line of omx_endpoint_info's "
				"output, or out of place: %s\n", me, path, nr, line);
			ret = -1;
		}
	}
	fclose(f);
	if (!ret && only >= 0 && !s->nr_boards) {
		fprintf(stderr, "%s: --state %s: no board %ld in it\n", me, path, only);
		ret = -1;
	}
	for (i = 0; !ret && i < s->nr_boards; i++)
		ret = place_board(s, &s->boards[i]);
	return ret;
}

static void free_snapshot(struct aff_snapshot *s)
{
	__u32 i, j;

	for (i = 0; i < s->nr_boards; i++) {
		for (j = 0; j < OMX_QUEUES_MAX; j++)
			hwloc_bitmap_free(s->boards[i].qcpus[j]);
		for (j = 0; j < s->boards[i].nr_open; j++) {
			hwloc_bitmap_free(s->boards[i].eps[j].queue_cpus);
			hwloc_bitmap_free(s->boards[i].eps[j].allowed);
		}
		free(s->boards[i].eps);
	}
	free(s->boards);
	free(s->warnings);
	s->boards = NULL;
	s->warnings = NULL;
	s->nr_boards = s->nr_warnings = 0;
}

/*
 * Every board, or board @only (>= 0), from the driver or from @state:
 * 0, or -1 once the reason is on stderr.
 */
static int collect(struct omx_lib_dev *dev, const char *state, struct aff_snapshot *s,
		   long only)
{
	struct omx_board_info info;
	int ret;

	s->irqbalance_pid = find_irqbalance();
	if (s->irqbalance_pid)
		warn(s, "irqbalance", -1, -1, -1,
		     "irqbalance is running (pid %d): it moves the queues' IRQs, so the classes "
		     "may change under you; stop it, or keep it off them with --banirq",
		     s->irqbalance_pid);
	if (state)
		return load_state(s, state, only);
	if (only >= 0) {
		if (omx_tool_board_info(dev, me, (__u32)only, &info))
			return -1;
		return collect_board(dev, &info, s);
	}
	ret = omx_tool_for_each_board(dev, collect_board, s);
	return ret < 0 ? -1 : 0;
}

/* ---- text ---- */

static void print_text(const struct aff_snapshot *s, FILE *out)
{
	char c1[CPULIST_LEN], c2[CPULIST_LEN], pos[POSITION_LEN];
	__u32 i, j, cpu;

	fprintf(out, "topology: %s: packages=%d cores=%d pus=%d\n", s->topo_source,
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PACKAGE),
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_CORE),
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PU));
	if (!s->nr_boards)
		fprintf(out, "warning: no board attached: " OMX_TOOL_ATTACH_HINT "\n");
	for (i = 0; i < s->nr_boards; i++) {
		const struct aff_board *b = &s->boards[i];
		__u32 bi = b->info.board_index;

		fprintf(out, "board %u (%s): steering=%s source=%s queues=%u endpoints=%u/%u "
			"hashed=%llu misplaced=%llu\n", bi, b->info.ifname,
			omx_tool_steer_mode(b->q.mode), omx_tool_steer_source(b->q.mode_source),
			b->q.nr_queues, b->nr_open, b->info.endpoint_max,
			(unsigned long long)b->q.hashed_frames,
			(unsigned long long)b->q.misplaced_frames);
		for (j = 0; j < b->q.nr_reported; j++) {
			const struct omx_queue_info *q = &b->q.queues[j];

			if (q->irq < 0)
				fprintf(out, "board %u queue %u: irq=- name=- cpus=- position=-\n", bi, j);
			else
				fprintf(out, "board %u queue %u: irq=%d name=%.*s cpus=%s position=%s\n",
					bi, j, q->irq, (int)sizeof(q->irq_name),
					q->irq_name[0] ? q->irq_name : "-",
					bitmap_list(b->qcpus[j], c1, sizeof(c1)),
					position(s->topo, b->qcpus[j], pos, sizeof(pos)));
		}
		if (!b->nr_open)
			fprintf(out, "board %u: no endpoints open\n", bi);
		for (j = 0; j < b->nr_open; j++) {
			const struct aff_endpoint *ep = &b->eps[j];

			fprintf(out, "board %u endpoint %u: ", bi, ep->index);
			if (ep->steering_ok)
				fprintf(out, "queue=%u irq=", ep->st.queue);
			else
				fprintf(out, "queue=- irq=");
			if (ep->steering_ok && ep->st.irq >= 0)
				fprintf(out, "%d", ep->st.irq);
			else
				fprintf(out, "-");
			fprintf(out, " cpus=%s", bitmap_list(ep->queue_cpus, c1, sizeof(c1)));
			if (ep->slot.owner_pid > 0)
				fprintf(out, " pid=%d", ep->slot.owner_pid);
			else
				fprintf(out, " pid=-");
			if (ep->slot.flags & OMX_ENDPOINT_SLOT_HIDDEN)
				fprintf(out, " command=-");
			else
				fprintf(out, " command=%.*s", (int)sizeof(ep->slot.comm),
					ep->slot.comm);
			if (ep->proc_ok)
				fprintf(out, " state=%c allowed=%s last_cpu=%d", ep->state,
					bitmap_list(ep->allowed, c2, sizeof(c2)), ep->last_cpu);
			else
				fprintf(out, " state=- allowed=- last_cpu=-");
			fprintf(out, " class=%s allowed_class=%s busy=%s\n",
				omx_binding_class_name(ep->cls),
				omx_binding_class_name(ep->allowed_cls),
				ep->busy ? "yes" : "no");
			if (ep->last_cpu >= 0) {
				hwloc_bitmap_t one = hwloc_bitmap_alloc();

				if (one) {
					hwloc_bitmap_only(one, (unsigned int)ep->last_cpu);
					fprintf(out, "board %u endpoint %u: last_cpu position=%s\n", bi,
						ep->index, position(s->topo, one, pos, sizeof(pos)));
					hwloc_bitmap_free(one);
				}
			}
			for (cpu = 0; ep->steering_ok && cpu < ep->st.nr_cpus && cpu < OMX_CPUS_MAX; cpu++)
				if (ep->st.rx_frames[cpu])
					fprintf(out, "board %u endpoint %u: rx cpu=%u frames=%llu bytes=%llu\n",
						bi, ep->index, cpu,
						(unsigned long long)ep->st.rx_frames[cpu],
						(unsigned long long)ep->st.rx_bytes[cpu]);
		}
	}
	for (i = 0; i < s->nr_warnings; i++)
		fprintf(out, "warning: %s\n", s->warnings[i].text);
}

/* ---- JSON ---- */

/*
 * A JSON string; <, > and & as \u escapes so that the document can sit
 * as plain text inside the SVG's <metadata>.
 */
static void json_str(FILE *out, const char *str, size_t max)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < max && str[i]; i++) {
		unsigned char c = (unsigned char)str[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* A CPU list as a JSON string, null when empty. */
static void json_cpus(FILE *out, hwloc_const_bitmap_t b)
{
	char buf[CPULIST_LEN];

	if (hwloc_bitmap_iszero(b))
		fputs("null", out);
	else
		json_str(out, bitmap_list(b, buf, sizeof(buf)), sizeof(buf));
}

static void json_int_or_null(FILE *out, int ok, long long v)
{
	if (ok)
		fprintf(out, "%lld", v);
	else
		fputs("null", out);
}

static void print_json(const struct aff_snapshot *s, FILE *out)
{
	char pos[POSITION_LEN];
	hwloc_bitmap_t one = hwloc_bitmap_alloc();
	__u32 i, j, cpu;
	int first;

	fprintf(out, "{\"version\":1,\"time\":%lld,\"topology\":{\"source\":", (long long)time(NULL));
	json_str(out, s->topo_source, strlen(s->topo_source));
	fprintf(out, ",\"packages\":%d,\"cores\":%d,\"pus\":%d},\"irqbalance_pid\":",
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PACKAGE),
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_CORE),
		hwloc_get_nbobjs_by_type(s->topo, HWLOC_OBJ_PU));
	json_int_or_null(out, s->irqbalance_pid > 0, s->irqbalance_pid);
	fputs(",\"boards\":[", out);
	for (i = 0; i < s->nr_boards; i++) {
		const struct aff_board *b = &s->boards[i];

		fprintf(out, "%s{\"index\":%u,\"ifname\":", i ? "," : "", b->info.board_index);
		json_str(out, b->info.ifname, sizeof(b->info.ifname));
		fprintf(out, ",\"steering\":\"%s\",\"source\":\"%s\",\"nr_queues\":%u,"
			"\"hashed_frames\":%llu,\"misplaced_frames\":%llu,\"endpoint_max\":%u,"
			"\"queues\":[", omx_tool_steer_mode(b->q.mode),
			omx_tool_steer_source(b->q.mode_source), b->q.nr_queues,
			(unsigned long long)b->q.hashed_frames,
			(unsigned long long)b->q.misplaced_frames, b->info.endpoint_max);
		for (j = 0; j < b->q.nr_reported; j++) {
			const struct omx_queue_info *q = &b->q.queues[j];

			fprintf(out, "%s{\"index\":%u,\"irq\":", j ? "," : "", j);
			json_int_or_null(out, q->irq >= 0, q->irq);
			fputs(",\"irq_name\":", out);
			if (q->irq >= 0 && q->irq_name[0])
				json_str(out, q->irq_name, sizeof(q->irq_name));
			else
				fputs("null", out);
			fputs(",\"cpus\":", out);
			json_cpus(out, b->qcpus[j]);
			fputs(",\"position\":", out);
			json_str(out, position(s->topo, b->qcpus[j], pos, sizeof(pos)), sizeof(pos));
			fputc('}', out);
		}
		fputs("],\"endpoints\":[", out);
		for (j = 0; j < b->nr_open; j++) {
			const struct aff_endpoint *ep = &b->eps[j];

			fprintf(out, "%s{\"index\":%u,\"queue\":", j ? "," : "", ep->index);
			json_int_or_null(out, ep->steering_ok, ep->st.queue);
			fputs(",\"irq\":", out);
			json_int_or_null(out, ep->steering_ok && ep->st.irq >= 0, ep->st.irq);
			fputs(",\"cpus\":", out);
			json_cpus(out, ep->queue_cpus);
			fputs(",\"pid\":", out);
			json_int_or_null(out, ep->slot.owner_pid > 0, ep->slot.owner_pid);
			fputs(",\"command\":", out);
			json_str(out, ep->slot.comm, sizeof(ep->slot.comm));
			fputs(",\"state\":", out);
			if (ep->proc_ok)
				fprintf(out, "\"%c\"", ep->state);
			else
				fputs("null", out);
			fputs(",\"allowed_cpus\":", out);
			json_cpus(out, ep->allowed);
			fputs(",\"last_cpu\":", out);
			json_int_or_null(out, ep->last_cpu >= 0, ep->last_cpu);
			fputs(",\"last_cpu_position\":", out);
			if (ep->last_cpu >= 0 && one) {
				hwloc_bitmap_only(one, (unsigned int)ep->last_cpu);
				json_str(out, position(s->topo, one, pos, sizeof(pos)), sizeof(pos));
			} else {
				fputs("null", out);
			}
			fprintf(out, ",\"class\":\"%s\",\"allowed_class\":\"%s\",\"busy\":%s,\"rx\":",
				omx_binding_class_name(ep->cls),
				omx_binding_class_name(ep->allowed_cls), ep->busy ? "true" : "false");
			if (!ep->steering_ok) {
				fputs("null}", out);
				continue;
			}
			fputc('[', out);
			for (first = 1, cpu = 0; cpu < ep->st.nr_cpus && cpu < OMX_CPUS_MAX; cpu++) {
				if (!ep->st.rx_frames[cpu])
					continue;
				fprintf(out, "%s{\"cpu\":%u,\"frames\":%llu,\"bytes\":%llu}",
					first ? "" : ",", cpu,
					(unsigned long long)ep->st.rx_frames[cpu],
					(unsigned long long)ep->st.rx_bytes[cpu]);
				first = 0;
			}
			fputs("]}", out);
		}
		fputs("]}", out);
	}
	fputs("],\"warnings\":[", out);
	for (i = 0; i < s->nr_warnings; i++) {
		const struct aff_warning *w = &s->warnings[i];

		fprintf(out, "%s{\"kind\":\"%s\",\"board\":", i ? "," : "", w->kind);
		json_int_or_null(out, w->board >= 0, w->board);
		fputs(",\"endpoint\":", out);
		json_int_or_null(out, w->endpoint >= 0, w->endpoint);
		fputs(",\"queue\":", out);
		json_int_or_null(out, w->queue >= 0, w->queue);
		fputs(",\"text\":", out);
		json_str(out, w->text, sizeof(w->text));
		fputc('}', out);
	}
	fputs("]}\n", out);
	hwloc_bitmap_free(one);
}

/* ---- SVG ---- */

#define SVG_PAD		10
#define SVG_LABEL	18
#define SVG_PU_W	120
#define SVG_LINE	13

/* where each PU (by OS index) was drawn, and how many markers it holds */
struct svg_pu {
	int drawn;
	double x, y, w, h;
	int markers;
};

struct svg_ctx {
	FILE *out;
	hwloc_topology_t topo;
	double pu_h;
	struct svg_pu pus[OMX_CPUS_MAX];
};

static const char *class_colour(enum omx_binding_class cls)
{
	switch (cls) {
	case OMX_CLASS_SC:
		return "#1a9850";
	case OMX_CLASS_SHARED_CACHE:
		return "#2c7bb6";
	case OMX_CLASS_SP:
		return "#fdae61";
	case OMX_CLASS_OP:
		return "#d7191c";
	default:
		return "#888888";
	}
}

static void xml_text(FILE *out, const char *str, size_t max)
{
	size_t i;

	for (i = 0; i < max && str[i]; i++) {
		unsigned char c = (unsigned char)str[i];

		if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c < 0x20 || c >= 0x7f)
			fputc('?', out);
		else
			fputc(c, out);
	}
}

/* The drawn children of @obj: L1 and instruction caches are looked through. */
static unsigned int drawn_children(hwloc_obj_t obj, hwloc_obj_t *kids, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < obj->arity; i++) {
		if (drawn_type(obj->children[i])) {
			if (n < max)
				kids[n++] = obj->children[i];
		} else {
			n += drawn_children(obj->children[i], kids + n, max > n ? max - n : 0);
		}
	}
	return n < max ? n : max;
}

#define SVG_KIDS_MAX	512

static void svg_measure(const struct svg_ctx *c, hwloc_obj_t obj, double *w, double *h)
{
	hwloc_obj_t kids[SVG_KIDS_MAX];
	unsigned int i, n;
	double cw, ch;

	if (obj->type == HWLOC_OBJ_PU) {
		*w = SVG_PU_W;
		*h = c->pu_h;
		return;
	}
	n = drawn_children(obj, kids, SVG_KIDS_MAX);
	*w = SVG_PAD;
	*h = 0;
	for (i = 0; i < n; i++) {
		svg_measure(c, kids[i], &cw, &ch);
		*w += cw + SVG_PAD;
		if (ch > *h)
			*h = ch;
	}
	*h += SVG_LABEL + SVG_PAD;
	if (*w < SVG_PU_W)
		*w = SVG_PU_W;
}

static void svg_draw(struct svg_ctx *c, hwloc_obj_t obj, double x, double y)
{
	hwloc_obj_t kids[SVG_KIDS_MAX];
	char type[32], attr[64];
	unsigned int i, n;
	double w, h, cx, cw, ch;

	svg_measure(c, obj, &w, &h);
	hwloc_obj_type_snprintf(type, sizeof(type), obj, 0);
	hwloc_obj_attr_snprintf(attr, sizeof(attr), obj, " ", 0);
	if (obj->type == HWLOC_OBJ_PU) {
		fprintf(c->out, "<rect class=\"pu\" data-cpu=\"%u\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
			"height=\"%.0f\" fill=\"#ffffff\" stroke=\"#444\"/>\n", obj->os_index, x, y, w, h);
		fprintf(c->out, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\">CPU %u</text>\n",
			x + 4, y + 13, obj->os_index);
		if (obj->os_index < OMX_CPUS_MAX)
			c->pus[obj->os_index] = (struct svg_pu){ 1, x, y, w, h, 0 };
		return;
	}
	if (obj->parent) {
		fprintf(c->out, "<rect class=\"obj\" data-type=\"%s\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
			"height=\"%.0f\" fill=\"%s\" stroke=\"#444\"/>\n<text x=\"%.0f\" y=\"%.0f\" "
			"font-size=\"12\">%s L#%u ", type, x, y, w, h,
			obj->type == HWLOC_OBJ_PACKAGE ? "#e8e8e8" :
			obj->type == HWLOC_OBJ_CORE ? "#f4f4d8" :
			hwloc_obj_type_is_cache(obj->type) ? "#dde8f4" : "#f2f2f2",
			x + 4, y + 13, type, obj->logical_index);
		/* attributes of an XML topology are anybody's text */
		xml_text(c->out, attr, sizeof(attr));
		fputs("</text>\n", c->out);
	}
	n = drawn_children(obj, kids, SVG_KIDS_MAX);
	for (cx = x + SVG_PAD, i = 0; i < n; i++) {
		svg_measure(c, kids[i], &cw, &ch);
		svg_draw(c, kids[i], cx, y + SVG_LABEL);
		cx += cw + SVG_PAD;
	}
}

/* A text marker in CPU @cpu's box; 0 if the CPU was not drawn. */
__attribute__((format(printf, 4, 5)))
static int svg_marker(struct svg_ctx *c, unsigned int cpu, const char *colour,
		      const char *fmt, ...)
{
	struct svg_pu *p;
	char text[128];
	va_list ap;

	if (cpu >= OMX_CPUS_MAX || !c->pus[cpu].drawn)
		return 0;
	p = &c->pus[cpu];
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(c->out, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" fill=\"%s\">", p->x + 4,
		p->y + 16 + SVG_LINE * (++p->markers), colour);
	xml_text(c->out, text, sizeof(text));
	fputs("</text>\n", c->out);
	return 1;
}

static int write_svg(const struct aff_snapshot *s, const char *path)
{
	static const enum omx_binding_class classes[] = {
		OMX_CLASS_SC, OMX_CLASS_SHARED_CACHE, OMX_CLASS_SP, OMX_CLASS_OP, OMX_CLASS_UNKNOWN,
	};
	static const char *const meaning[] = {
		"same core", "shared cache", "same package", "other package", "unknown",
	};
	struct svg_ctx *c = calloc(1, sizeof(*c));
	hwloc_obj_t root = hwloc_get_root_obj(s->topo);
	unsigned int counts[OMX_CPUS_MAX] = { 0 }, max = 0, cpu;
	char tmp[4096 + 8];
	double w, h, y;
	int q0, ret = -1;
	__u32 i, j;

	if (!c) {
		fprintf(stderr, "%s: out of memory\n", me);
		return -1;
	}
	/* tall enough PUs for their IRQ and process markers */
	for (i = 0; i < s->nr_boards; i++) {
		const struct aff_board *b = &s->boards[i];

		for (j = 0; j < b->q.nr_reported; j++)
			for (cpu = 0; cpu < OMX_CPUS_MAX; cpu++)
				if (hwloc_bitmap_isset(b->qcpus[j], cpu))
					counts[cpu]++;
		for (j = 0; j < b->nr_open; j++)
			if (b->eps[j].last_cpu >= 0 && b->eps[j].last_cpu < OMX_CPUS_MAX)
				counts[b->eps[j].last_cpu]++;
	}
	for (cpu = 0; cpu < OMX_CPUS_MAX; cpu++)
		if (counts[cpu] > max)
			max = counts[cpu];
	c->topo = s->topo;
	c->pu_h = 24 + SVG_LINE * max;
	svg_measure(c, root, &w, &h);

	/* written beside the target and renamed: a watcher never sees half a picture */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	c->out = fopen(tmp, "w");
	if (!c->out) {
		fprintf(stderr, "%s: --svg %s: %s\n", me, tmp, strerror(errno));
		free(c);
		return -1;
	}
	fprintf(c->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"font-family=\"sans-serif\">\n", w + 2 * SVG_PAD,
		h + 3 * SVG_PAD + SVG_LABEL * 2 + 6 * SVG_LINE);
	/* the same document as --json, for programs that check the picture */
	fputs("<metadata id=\"omx-affinity\">", c->out);
	print_json(s, c->out);
	fputs("</metadata>\n", c->out);
	fprintf(c->out, "<text x=\"%d\" y=\"%d\" font-size=\"14\">omx_affinity: ", SVG_PAD,
		SVG_LABEL);
	xml_text(c->out, s->topo_source, strlen(s->topo_source));
	fputs("</text>\n", c->out);
	svg_draw(c, root, SVG_PAD, SVG_LABEL + SVG_PAD);

	for (i = 0; i < s->nr_boards; i++) {
		const struct aff_board *b = &s->boards[i];

		for (j = 0; j < b->q.nr_reported; j++)
			for (cpu = 0; cpu < OMX_CPUS_MAX; cpu++)
				if (hwloc_bitmap_isset(b->qcpus[j], cpu))
					svg_marker(c, cpu, "#000000", "b%u q%u IRQ %d",
						   b->info.board_index, j, b->q.queues[j].irq);
		for (j = 0; j < b->nr_open; j++) {
			const struct aff_endpoint *ep = &b->eps[j];
			const struct svg_pu *from, *to;

			if (ep->last_cpu < 0 || ep->last_cpu >= OMX_CPUS_MAX)
				continue;
			svg_marker(c, (unsigned int)ep->last_cpu, class_colour(ep->cls),
				   "b%u ep%u pid %d %s", b->info.board_index, ep->index,
				   ep->slot.owner_pid, omx_binding_class_name(ep->cls));
			q0 = hwloc_bitmap_first(ep->queue_cpus);
			if (q0 < 0 || q0 >= OMX_CPUS_MAX || !c->pus[q0].drawn ||
			    !c->pus[ep->last_cpu].drawn)
				continue;
			from = &c->pus[q0];
			to = &c->pus[ep->last_cpu];
			fprintf(c->out, "<path class=\"placement\" data-board=\"%u\" data-endpoint=\"%u\" "
				"data-queue=\"%u\" data-class=\"%s\" fill=\"none\" stroke=\"%s\" "
				"stroke-width=\"3\" opacity=\"0.8\" d=\"M %.0f %.0f Q %.0f %.0f %.0f %.0f\"/>\n",
				b->info.board_index, ep->index, ep->st.queue,
				omx_binding_class_name(ep->cls), class_colour(ep->cls),
				from->x + from->w / 2, from->y + from->h - 6,
				(from->x + to->x) / 2 + from->w / 2,
				(from->y > to->y ? from->y : to->y) + from->h + 30,
				to->x + to->w / 2, to->y + to->h - 6);
		}
	}

	y = SVG_LABEL + SVG_PAD + h + 3 * SVG_PAD + SVG_LABEL;
	fprintf(c->out, "<text x=\"%d\" y=\"%.0f\" font-size=\"12\">Legend: a line joins a queue's "
		"IRQ CPU to the CPU its endpoint's process last ran on</text>\n", SVG_PAD, y);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		y += SVG_LINE;
		fprintf(c->out, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\" stroke=\"%s\" "
			"stroke-width=\"3\"/><text x=\"%d\" y=\"%.0f\" font-size=\"11\">%s %s</text>\n",
			SVG_PAD, y - 4, SVG_PAD + 30, y - 4, class_colour(classes[i]),
			SVG_PAD + 36, y, omx_binding_class_name(classes[i]), meaning[i]);
	}
	fputs("</svg>\n", c->out);
	if (fclose(c->out)) {
		fprintf(stderr, "%s: --svg %s: %s\n", me, tmp, strerror(errno));
	} else if (rename(tmp, path)) {
		fprintf(stderr, "%s: --svg %s: %s\n", me, path, strerror(errno));
	} else {
		ret = 0;
	}
	if (ret)
		unlink(tmp);
	free(c);
	return ret;
}

/* ---- main ---- */

static int parse_count(const char *opt, const char *arg, unsigned long *v, unsigned long min)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || errno || *end || *v < min || *v > 86400) {
		fprintf(stderr, "%s: invalid %s \"%s\": expected a whole number from %lu to 86400\n",
			me, opt, arg, min);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "topology", required_argument, NULL, 't' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct aff_snapshot s = { .topo_source = "this machine" };
	unsigned long interval = 2, count = 0, round;
	const char *svg = NULL, *topo_arg = NULL, *state = NULL;
	int json = 0, watch = 0, c, ret = 0;
	struct omx_lib_dev dev;
	long only = -1;
	__u32 board;

	while ((c = getopt_long(argc, argv, "b:js:t:w::c:S:h", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (omx_tool_board_arg(me, optarg, &board))
				return 2;
			only = board;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			svg = optarg;
			break;
		case 't':
			topo_arg = optarg;
			break;
		case 'w':
			watch = 1;
			/* "--watch 5" as well as "--watch=5" and "-w5" */
			if (!optarg && optind < argc && argv[optind][0] >= '0' &&
			    argv[optind][0] <= '9')
				optarg = argv[optind++];
			if (optarg && parse_count("--watch interval", optarg, &interval, 1))
				return 2;
			break;
		case 'c':
			if (parse_count("--count", optarg, &count, 1))
				return 2;
			watch = 1;
			break;
		case 'S':
			state = optarg;
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
	if (topo_arg)
		s.topo_source = topo_arg;
	if (load_topology(&s.topo, topo_arg))
		return topo_arg ? 2 : 1;
	/* a --state file stands for the driver: no module needed */
	if (!state && omx_tool_open(&dev)) {
		hwloc_topology_destroy(s.topo);
		return 1;
	}
	for (round = 1; !ret; round++) {
		if (collect(&dev, state, &s, only)) {
			ret = 1;
			break;
		}
		if (watch && !json && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		if (json)
			print_json(&s, stdout);
		else
			print_text(&s, stdout);
		fflush(stdout);
		if (svg && write_svg(&s, svg))
			ret = 1;
		free_snapshot(&s);
		if (!watch || (count && round >= count))
			break;
		if (!json && !isatty(STDOUT_FILENO))
			putchar('\n');
		sleep((unsigned int)interval);
	}
	free_snapshot(&s);
	if (!state)
		omx_lib_close(&dev);
	hwloc_topology_destroy(s.topo);
	return ret;
}
