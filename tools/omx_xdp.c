// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_xdp: attach, detach and inspect omx's XDP steering program
 * (firmware-patch/xdp/omx_xdp_steer.bpf.c) on a network interface.
 *
 * attach loads the object file, takes the N CPUs online at that moment
 * in increasing id order (slot i = the i-th of them), writes N and that
 * table into the program's config map, gives each online CPU a cpumap
 * entry and attaches the program.  From then on every omx frame for
 * endpoint E received on the interface is processed on the CPU of slot
 * E % N (common/omx_steer.h).  The program and its maps stay in the
 * kernel after the tool exits; status finds them again from the
 * interface, so no BPF filesystem is needed.
 *
 * status output (stable, parsed by tests), one block per interface:
 *   veth1: attached mode=native prog_id=42 slots=2 qsize=2048
 *   veth1: slot 0 cpu=0 frames=1234 bytes=567890
 *   veth1: slot 1 cpu=1 frames=1200 bytes=543210
 *   veth1: passed not_omx=3 no_endpoint=1 unsteered=0
 * or "veth1: not attached", or "veth1: other XDP program NAME (id N,
 * MODE) attached".  A slot whose CPU went offline since says
 * "cpu=3(offline)".
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "omx_xdp.h"

#ifndef OMX_XDP_LIBDIR
#define OMX_XDP_LIBDIR "/usr/local/lib/omx"
#endif

#define DEFAULT_QSIZE	2048
#define MAX_QSIZE	16384	/* the kernel's cpumap limit */
#define MAX_CPUS	8192

/* exit status of status when omx_xdp is not attached */
#define EXIT_NOT_ATTACHED 3

static const char *me = "omx_xdp";
static int verbose;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_xdp attach IFNAME [-m native|generic] [-o FILE] [-q N] [-v]\n"
		"       omx_xdp detach IFNAME [-v]\n"
		"       omx_xdp status [IFNAME]\n"
		"Steer each omx frame received on IFNAME, with an XDP program and a\n"
		"cpumap, to the CPU that serves its destination endpoint: endpoint E\n"
		"goes to slot E %% N, where the N slots are the CPUs online at attach\n"
		"time in increasing id order.\n"
		"  -m, --mode M       attach: native (default: in the NIC driver) or\n"
		"                     generic (in the kernel's skb path, any interface)\n"
		"  -o, --object FILE  attach: the BPF object (default: $OMX_XDP_OBJECT,\n"
		"                     else " OMX_XDP_OBJECT " next to the tool in the\n"
		"                     build tree, else " OMX_XDP_LIBDIR "/)\n"
		"  -q, --qsize N      attach: frames queued per CPU in the cpumap\n"
		"                     (default %d, at most %d)\n"
		"  -v, --verbose      show libbpf's messages as they come\n"
		"  -h, --help         show this help\n"
		"attach and detach need root; status without root only tells whether\n"
		"an XDP program is attached.  status exits %d when omx_xdp is not\n"
		"attached (to IFNAME, or to any interface).\n",
		DEFAULT_QSIZE, MAX_QSIZE, EXIT_NOT_ATTACHED);
}

/*
 * libbpf's messages (the verifier log, the kernel's netlink extack
 * message) are kept and shown only if the operation fails, unless -v.
 */
static char *bpf_log;
static size_t bpf_log_len;
static FILE *bpf_log_file;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (verbose)
		return vfprintf(stderr, fmt, args);
	if (level == LIBBPF_DEBUG || !bpf_log_file)
		return 0;
	return vfprintf(bpf_log_file, fmt, args);
}

static void show_bpf_log(void)
{
	if (!bpf_log_file)
		return;
	fflush(bpf_log_file);
	if (bpf_log_len)
		fprintf(stderr, "%s", bpf_log);
}

static void err(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", me);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the system: capabilities, CPUs, interfaces ---- */

#define CAP_NET_ADMIN_BIT	12
#define CAP_SYS_ADMIN_BIT	21

/* Whether the effective capability set has CAP_NET_ADMIN and CAP_SYS_ADMIN. */
static int privileged(void)
{
	unsigned long long eff = 0;
	char line[256];
	int found = 0;
	FILE *f;

	f = fopen("/proc/self/status", "r");
	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = 1;
			break;
		}
	fclose(f);
	if (!found)
		return geteuid() == 0;
	return (eff >> CAP_NET_ADMIN_BIT & 1) && (eff >> CAP_SYS_ADMIN_BIT & 1);
}

static int need_privilege(const char *cmd)
{
	if (privileged())
		return 0;
	err("%s: permission denied: loading and attaching XDP programs needs root "
	    "(CAP_SYS_ADMIN and CAP_NET_ADMIN); run it with sudo", cmd);
	return -1;
}

/*
 * The online CPUs in increasing id order, from a list such as "0-3,6".
 * Returns how many, or -1 once said why.
 */
static int online_cpus(__u32 *cpus, int max)
{
	const char *path = "/sys/devices/system/cpu/online";
	char buf[4096], *p, *end;
	unsigned long lo, hi, c;
	int n = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		err("cannot read %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	for (p = buf; *p && *p != '\n';) {
		errno = 0;
		lo = strtoul(p, &end, 10);
		if (end == p || errno)
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-') {
			p++;
			hi = strtoul(p, &end, 10);
			if (end == p || errno || hi < lo)
				goto bad;
			p = end;
		}
		for (c = lo; c <= hi; c++) {
			if (n >= max || c >= MAX_CPUS)
				goto bad;
			cpus[n++] = (__u32)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (n == 0)
		goto bad;
	return n;
bad:
	err("cannot parse %s: \"%s\"", path, strtok(buf, "\n") ? buf : "");
	return -1;
}

static int cpu_online(__u32 cpu, const __u32 *cpus, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (cpus[i] == cpu)
			return 1;
	return 0;
}

static unsigned int ifindex_of(const char *ifname)
{
	unsigned int ifindex = if_nametoindex(ifname);

	if (!ifindex)
		err("no such interface '%s' ('ip link' lists them)", ifname);
	return ifindex;
}

/* The kernel driver of @ifname ("virtio_net", "veth", ...) into @buf, or "". */
static void driver_of(const char *ifname, char *buf, size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t len;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", ifname);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return;		/* virtual devices (veth) have no device link */
	target[len] = '\0';
	base = strrchr(target, '/');
	if (snprintf(buf, size, "%s", base ? base + 1 : target) >= (int)size)
		buf[0] = '\0';		/* no driver name is that long */
}

static long mtu_of(const char *ifname)
{
	char path[PATH_MAX];
	long mtu = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &mtu) != 1)
		mtu = -1;
	fclose(f);
	return mtu;
}

/* ---- what is attached ---- */

static const char *mode_name(__u8 attach_mode)
{
	switch (attach_mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_MULTI:
		return "multi";
	default:
		return "none";
	}
}

struct attached {
	__u32 prog_id;		/* 0: nothing attached */
	__u8 mode;		/* XDP_ATTACHED_* */
	int prog_fd;		/* -1 unless privileged */
	char name[BPF_OBJ_NAME_LEN];
	int ours;
};

/* What XDP program @ifindex has; 0, or -1 once said why. */
static int query(const char *ifname, unsigned int ifindex, struct attached *a)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int ret;

	memset(a, 0, sizeof(*a));
	a->prog_fd = -1;
	ret = bpf_xdp_query((int)ifindex, 0, &q);
	if (ret) {
		err("%s: cannot query its XDP program: %s", ifname, strerror(-ret));
		return -1;
	}
	a->mode = q.attach_mode;
	a->prog_id = q.prog_id ? q.prog_id :
		     q.drv_prog_id ? q.drv_prog_id :
		     q.skb_prog_id ? q.skb_prog_id : q.hw_prog_id;
	if (!a->prog_id || !privileged())
		return 0;
	a->prog_fd = bpf_prog_get_fd_by_id(a->prog_id);
	if (a->prog_fd < 0) {
		/* detached meanwhile */
		if (errno == ENOENT) {
			a->prog_id = 0;
			return 0;
		}
		err("%s: cannot open XDP program id %u: %s", ifname, a->prog_id,
		    strerror(errno));
		return -1;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(a->prog_fd, &info, &len)) {
		err("%s: cannot read XDP program id %u: %s", ifname, a->prog_id,
		    strerror(errno));
		close(a->prog_fd);
		a->prog_fd = -1;
		return -1;
	}
	snprintf(a->name, sizeof(a->name), "%s", info.name);
	a->ours = !strcmp(a->name, OMX_XDP_PROG_NAME);
	return 0;
}

static void release(struct attached *a)
{
	if (a->prog_fd >= 0)
		close(a->prog_fd);
	a->prog_fd = -1;
}

/* The maps of our attached program, by name; -1 for a map not found. */
struct maps {
	int config, cpumap, stats;
};

static int find_maps(int prog_fd, struct maps *m)
{
	__u32 ids[64], len, i, n;
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	int fd;

	m->config = m->cpumap = m->stats = -1;
	memset(&pinfo, 0, sizeof(pinfo));
	len = sizeof(pinfo);
	if (bpf_obj_get_info_by_fd(prog_fd, &pinfo, &len))
		return -1;
	n = pinfo.nr_map_ids < 64 ? pinfo.nr_map_ids : 64;
	memset(&pinfo, 0, sizeof(pinfo));
	pinfo.nr_map_ids = n;
	pinfo.map_ids = (__u64)(unsigned long)ids;
	len = sizeof(pinfo);
	if (bpf_obj_get_info_by_fd(prog_fd, &pinfo, &len))
		return -1;
	for (i = 0; i < n; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		memset(&minfo, 0, sizeof(minfo));
		len = sizeof(minfo);
		if (bpf_obj_get_info_by_fd(fd, &minfo, &len)) {
			close(fd);
			continue;
		}
		if (!strcmp(minfo.name, OMX_XDP_CONFIG_MAP) && m->config < 0)
			m->config = fd;
		else if (!strcmp(minfo.name, OMX_XDP_CPU_MAP) && m->cpumap < 0)
			m->cpumap = fd;
		else if (!strcmp(minfo.name, OMX_XDP_STATS_MAP) && m->stats < 0)
			m->stats = fd;
		else
			close(fd);
	}
	return m->config >= 0 && m->cpumap >= 0 && m->stats >= 0 ? 0 : -1;
}

static void close_maps(struct maps *m)
{
	if (m->config >= 0)
		close(m->config);
	if (m->cpumap >= 0)
		close(m->cpumap);
	if (m->stats >= 0)
		close(m->stats);
}

/* Sum over all CPUs of per-CPU counter @index into @sum. */
static int read_stat(int fd, __u32 index, struct omx_xdp_stat *sum)
{
	int ncpus = libbpf_num_possible_cpus(), i;
	struct omx_xdp_stat *vals;

	memset(sum, 0, sizeof(*sum));
	if (ncpus <= 0)
		return -1;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return -1;
	if (bpf_map_lookup_elem(fd, &index, vals)) {
		free(vals);
		return -1;
	}
	for (i = 0; i < ncpus; i++) {
		sum->frames += vals[i].frames;
		sum->bytes += vals[i].bytes;
	}
	free(vals);
	return 0;
}

/* ---- status ---- */

/* One interface's block; 0 attached, EXIT_NOT_ATTACHED, or 1 on error. */
static int status_one(const char *ifname, unsigned int ifindex, int quiet_if_none)
{
	static __u32 online[MAX_CPUS];
	struct omx_xdp_config cfg;
	struct bpf_cpumap_val cv;
	struct omx_xdp_stat st[3];
	struct attached a;
	struct maps m;
	__u32 zero = 0, i, shown;
	char qsize[16];
	int n_online, ret = 0;

	if (query(ifname, ifindex, &a))
		return 1;
	if (!a.prog_id) {
		if (!quiet_if_none)
			printf("%s: not attached\n", ifname);
		return EXIT_NOT_ATTACHED;
	}
	if (a.prog_fd < 0) {
		printf("%s: XDP program id %u attached (%s): run as root to see whether it is omx_xdp's\n",
		       ifname, a.prog_id, mode_name(a.mode));
		return 1;
	}
	if (!a.ours) {
		printf("%s: other XDP program %s (id %u, %s) attached\n", ifname,
		       a.name[0] ? a.name : "(unnamed)", a.prog_id, mode_name(a.mode));
		release(&a);
		return EXIT_NOT_ATTACHED;
	}
	if (find_maps(a.prog_fd, &m) || bpf_map_lookup_elem(m.config, &zero, &cfg)) {
		err("%s: program %s (id %u) lacks omx_xdp's maps: built by another version?",
		    ifname, a.name, a.prog_id);
		close_maps(&m);
		release(&a);
		return 1;
	}
	n_online = online_cpus(online, MAX_CPUS);
	shown = cfg.nr_slots < OMX_XDP_SLOTS_MAX ? cfg.nr_slots : OMX_XDP_SLOTS_MAX;
	snprintf(qsize, sizeof(qsize), "-");
	if (shown && !bpf_map_lookup_elem(m.cpumap, &cfg.cpus[0], &cv))
		snprintf(qsize, sizeof(qsize), "%u", cv.qsize);
	printf("%s: attached mode=%s prog_id=%u slots=%u qsize=%s\n", ifname,
	       mode_name(a.mode), a.prog_id, cfg.nr_slots, qsize);
	for (i = 0; i < shown; i++) {
		if (read_stat(m.stats, i, &st[0])) {
			ret = 1;
			break;
		}
		printf("%s: slot %u cpu=%u%s frames=%llu bytes=%llu\n", ifname, i,
		       cfg.cpus[i],
		       n_online > 0 && !cpu_online(cfg.cpus[i], online, n_online) ?
		       "(offline)" : "",
		       (unsigned long long)st[0].frames,
		       (unsigned long long)st[0].bytes);
	}
	if (!ret && !read_stat(m.stats, OMX_XDP_STAT_NOT_OMX, &st[0]) &&
	    !read_stat(m.stats, OMX_XDP_STAT_NO_ENDPOINT, &st[1]) &&
	    !read_stat(m.stats, OMX_XDP_STAT_UNSTEERED, &st[2]))
		printf("%s: passed not_omx=%llu no_endpoint=%llu unsteered=%llu\n",
		       ifname, (unsigned long long)st[0].frames,
		       (unsigned long long)st[1].frames,
		       (unsigned long long)st[2].frames);
	else
		ret = 1;
	if (ret)
		err("%s: cannot read the counters: %s", ifname, strerror(errno));
	close_maps(&m);
	release(&a);
	return ret;
}

static int cmd_status(const char *ifname)
{
	struct if_nameindex *ifs, *p;
	int found = 0, failed = 0, r;
	unsigned int ifindex;

	if (ifname) {
		ifindex = ifindex_of(ifname);
		return ifindex ? status_one(ifname, ifindex, 0) : 1;
	}
	ifs = if_nameindex();
	if (!ifs) {
		err("cannot list the interfaces: %s", strerror(errno));
		return 1;
	}
	for (p = ifs; p->if_index; p++) {
		r = status_one(p->if_name, p->if_index, 1);
		if (r == 0)
			found++;
		else if (r == 1)
			failed = 1;
	}
	if_freenameindex(ifs);
	if (failed)
		return 1;
	if (!found) {
		printf("omx_xdp: not attached to any interface\n");
		return EXIT_NOT_ATTACHED;
	}
	return 0;
}

/* ---- attach ---- */

static int file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The object to load; NULL once said where it was looked for. */
static const char *find_object(const char *opt)
{
	static char tried[3][PATH_MAX + 64];
	const char *env = getenv("OMX_XDP_OBJECT");
	char exe[PATH_MAX], *slash;
	ssize_t len;
	int n = 0, i;

	if (opt || (env && *env)) {
		if (file_exists(opt ? opt : env))
			return opt ? opt : env;
		err("cannot read the BPF object %s (from %s): %s", opt ? opt : env,
		    opt ? "--object" : "OMX_XDP_OBJECT", strerror(errno));
		return NULL;
	}
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* build tree: tools/omx_xdp and firmware-patch/xdp/ */
		snprintf(tried[n++], sizeof(tried[0]), "%s/../firmware-patch/xdp/%s",
			 exe, OMX_XDP_OBJECT);
		/* installed: PREFIX/bin/omx_xdp and PREFIX/lib/omx/ */
		snprintf(tried[n++], sizeof(tried[0]), "%s/../lib/omx/%s", exe,
			 OMX_XDP_OBJECT);
	}
	snprintf(tried[n++], sizeof(tried[0]), "%s/%s", OMX_XDP_LIBDIR, OMX_XDP_OBJECT);
	for (i = 0; i < n; i++)
		if (file_exists(tried[i]))
			return tried[i];
	err("cannot find the BPF object %s; looked in:", OMX_XDP_OBJECT);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", tried[i]);
	fprintf(stderr, "build it with 'make' at the top of the omx tree, or name it with --object FILE\n");
	return NULL;
}

static void attach_hints(const char *ifname, int ret, __u32 mode_flag)
{
	char driver[64];
	long mtu = mtu_of(ifname);

	driver_of(ifname, driver, sizeof(driver));
	if (mode_flag == XDP_FLAGS_DRV_MODE && !strcmp(driver, "virtio_net"))
		fprintf(stderr,
			"hint: virtio_net (Linux 6.1) runs XDP natively only with an MTU below about 4 KiB\n"
			"  (%s has %ld: 'ip link set dev %s mtu 3500') and with the host's receive\n"
			"  offloads off ('ethtool -K %s rx-gro-hw off'); or use --mode generic\n",
			ifname, mtu, ifname, ifname);
	else if (mode_flag == XDP_FLAGS_DRV_MODE && ret == -EOPNOTSUPP)
		fprintf(stderr, "hint: the %s driver of %s has no native XDP: use --mode generic\n",
			driver[0] ? driver : "network", ifname);
	else if (ret == -EBUSY || ret == -EEXIST)
		fprintf(stderr, "hint: another XDP program was attached meanwhile: 'omx_xdp status %s'\n",
			ifname);
}

static int cmd_attach(const char *ifname, __u32 mode_flag, const char *object,
		      __u32 qsize)
{
	static __u32 cpus[MAX_CPUS];
	struct omx_xdp_config cfg;
	struct bpf_cpumap_val cv;
	struct bpf_program *prog;
	struct bpf_object *obj;
	struct bpf_map *cfg_map, *cpu_map, *stats_map;
	struct attached a;
	const char *path;
	unsigned int ifindex;
	int n, i, ret, prog_fd, possible;
	__u32 zero = 0;

	if (need_privilege("attach"))
		return 1;
	ifindex = ifindex_of(ifname);
	if (!ifindex)
		return 1;
	if (query(ifname, ifindex, &a))
		return 1;
	if (a.prog_id) {
		if (a.ours)
			err("%s: omx_xdp is already attached (%s mode, program id %u); "
			    "'omx_xdp detach %s' first", ifname, mode_name(a.mode),
			    a.prog_id, ifname);
		else
			err("%s: another XDP program, %s (id %u, %s mode), is attached; "
			    "omx_xdp does not replace it (detach it first: 'ip link set dev %s xdp off')",
			    ifname, a.name[0] ? a.name : "(unnamed)", a.prog_id,
			    mode_name(a.mode), ifname);
		release(&a);
		return 1;
	}

	n = online_cpus(cpus, MAX_CPUS);
	possible = libbpf_num_possible_cpus();
	if (n < 0)
		return 1;
	if (possible <= 0) {
		err("cannot count the possible CPUs: %s", strerror(-possible));
		return 1;
	}
	path = find_object(object);
	if (!path)
		return 1;

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		ret = -errno;
		show_bpf_log();
		err("cannot open the BPF object %s: %s", path, strerror(-ret));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, OMX_XDP_PROG_NAME);
	cfg_map = bpf_object__find_map_by_name(obj, OMX_XDP_CONFIG_MAP);
	cpu_map = bpf_object__find_map_by_name(obj, OMX_XDP_CPU_MAP);
	stats_map = bpf_object__find_map_by_name(obj, OMX_XDP_STATS_MAP);
	if (!prog || !cfg_map || !cpu_map || !stats_map ||
	    bpf_program__type(prog) != BPF_PROG_TYPE_XDP) {
		err("%s is not omx's steering object (no XDP program %s with maps %s, %s, %s)",
		    path, OMX_XDP_PROG_NAME, OMX_XDP_CONFIG_MAP, OMX_XDP_CPU_MAP,
		    OMX_XDP_STATS_MAP);
		bpf_object__close(obj);
		return 1;
	}
	/* the cpumap is indexed by CPU id */
	bpf_map__set_max_entries(cpu_map, (__u32)possible);

	ret = bpf_object__load(obj);
	if (ret) {
		show_bpf_log();
		err("the kernel refused to load %s: %s", path, strerror(-ret));
		bpf_object__close(obj);
		return 1;
	}

	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_slots = (__u32)n;
	for (i = 0; i < n && i < OMX_XDP_SLOTS_MAX; i++)
		cfg.cpus[i] = cpus[i];
	ret = bpf_map_update_elem(bpf_map__fd(cfg_map), &zero, &cfg, BPF_ANY);
	if (ret) {
		err("cannot fill the slot table: %s", strerror(errno));
		goto fail;
	}
	memset(&cv, 0, sizeof(cv));
	cv.qsize = qsize;
	for (i = 0; i < n; i++) {
		ret = bpf_map_update_elem(bpf_map__fd(cpu_map), &cpus[i], &cv, BPF_ANY);
		if (ret) {
			err("cannot give CPU %u a cpumap queue of %u frames: %s",
			    cpus[i], qsize, strerror(errno));
			goto fail;
		}
	}

	prog_fd = bpf_program__fd(prog);
	ret = bpf_xdp_attach((int)ifindex, prog_fd,
			     mode_flag | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (ret) {
		show_bpf_log();
		err("%s: the kernel refused to attach the program in %s mode: %s",
		    ifname, mode_flag == XDP_FLAGS_DRV_MODE ? "native" : "generic",
		    strerror(-ret));
		attach_hints(ifname, ret, mode_flag);
		goto fail;
	}
	if (query(ifname, ifindex, &a) == 0) {
		printf("omx_xdp: attached to %s (%s mode, program id %u): %d slots:",
		       ifname, mode_name(a.mode), a.prog_id, n);
		release(&a);
	} else {
		printf("omx_xdp: attached to %s: %d slots:", ifname, n);
	}
	for (i = 0; i < n && i < OMX_XDP_SLOTS_MAX; i++)
		printf(" %d->cpu%u", i, cpus[i]);
	printf("\n");
	/* the attachment holds the program, and the program its maps */
	bpf_object__close(obj);
	return 0;

fail:
	bpf_object__close(obj);
	return 1;
}

/* ---- detach ---- */

static int cmd_detach(const char *ifname)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	struct attached a;
	unsigned int ifindex;
	__u32 flags;
	int ret;

	if (need_privilege("detach"))
		return 1;
	ifindex = ifindex_of(ifname);
	if (!ifindex)
		return 1;
	if (query(ifname, ifindex, &a))
		return 1;
	if (!a.prog_id) {
		err("%s: omx_xdp is not attached (no XDP program at all)", ifname);
		return 1;
	}
	if (!a.ours) {
		err("%s: the XDP program attached is %s (id %u), not omx_xdp's: left alone",
		    ifname, a.name[0] ? a.name : "(unnamed)", a.prog_id);
		release(&a);
		return 1;
	}
	switch (a.mode) {
	case XDP_ATTACHED_DRV:
		flags = XDP_FLAGS_DRV_MODE;
		break;
	case XDP_ATTACHED_SKB:
		flags = XDP_FLAGS_SKB_MODE;
		break;
	case XDP_ATTACHED_HW:
		flags = XDP_FLAGS_HW_MODE;
		break;
	default:
		err("%s: programs attached in several modes: detach them with 'ip link set dev %s xdp off'",
		    ifname, ifname);
		release(&a);
		return 1;
	}
	/* only if it is still our program (XDP_FLAGS_REPLACE) */
	opts.old_prog_fd = a.prog_fd;
	ret = bpf_xdp_detach((int)ifindex, flags, &opts);
	if (ret) {
		show_bpf_log();
		err("%s: cannot detach program id %u: %s", ifname, a.prog_id,
		    strerror(-ret));
		release(&a);
		return 1;
	}
	printf("omx_xdp: detached from %s (%s mode, program id %u)\n", ifname,
	       mode_name(a.mode), a.prog_id);
	release(&a);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "object", required_argument, NULL, 'o' },
		{ "qsize", required_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	__u32 mode_flag = XDP_FLAGS_DRV_MODE, qsize = DEFAULT_QSIZE;
	const char *object = NULL, *cmd, *ifname;
	int attach_opts = 0, c, ret;
	unsigned long v;
	char *end;

	while ((c = getopt_long(argc, argv, "m:o:q:vh", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "native")) {
				mode_flag = XDP_FLAGS_DRV_MODE;
			} else if (!strcmp(optarg, "generic")) {
				mode_flag = XDP_FLAGS_SKB_MODE;
			} else {
				err("bad value '%s' for --mode: native or generic", optarg);
				return 2;
			}
			attach_opts = 1;
			break;
		case 'o':
			object = optarg;
			attach_opts = 1;
			break;
		case 'q':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9' ||
			    v < 1 || v > MAX_QSIZE) {
				err("bad value '%s' for --qsize: 1 to %d", optarg, MAX_QSIZE);
				return 2;
			}
			qsize = (__u32)v;
			attach_opts = 1;
			break;
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
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	ifname = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (strcmp(cmd, "attach") && strcmp(cmd, "detach") && strcmp(cmd, "status")) {
		err("unknown command '%s': attach, detach or status", cmd);
		return 2;
	}
	if (strcmp(cmd, "status") && !ifname) {
		err("%s: which interface? 'omx_xdp %s IFNAME'", cmd, cmd);
		return 2;
	}
	if (optind + 2 < argc) {
		usage(stderr);
		return 2;
	}
	if (attach_opts && strcmp(cmd, "attach")) {
		err("--mode, --object and --qsize apply to attach only");
		return 2;
	}
	if (ifname && strlen(ifname) >= IF_NAMESIZE) {
		err("no such interface '%s' (names are at most %d bytes)", ifname,
		    IF_NAMESIZE - 1);
		return 1;
	}

	libbpf_set_print(libbpf_print);
	bpf_log_file = open_memstream(&bpf_log, &bpf_log_len);

	if (!strcmp(cmd, "attach"))
		ret = cmd_attach(ifname, mode_flag, object, qsize);
	else if (!strcmp(cmd, "detach"))
		ret = cmd_detach(ifname);
	else
		ret = cmd_status(ifname);

	if (bpf_log_file)
		fclose(bpf_log_file);
	free(bpf_log);
	return ret;
}
