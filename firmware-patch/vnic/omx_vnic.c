// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx_vnic: start qemu with a virtual Myri-10G, i.e. a virtio-net NIC
 * whose receive queues are chosen by omx's endpoint hash.
 *
 *   omx_vnic [OPTIONS] -- QEMU [QEMU ARGUMENTS...]
 *
 * It creates a multi-queue tap with one file descriptor per queue, checks
 * and attaches the steering program (omx_vnic_steer.bpf.c, built into
 * this binary) with TUNSETSTEERINGEBPF, optionally puts the tap into a
 * bridge, and then becomes qemu, handing it the queue descriptors through
 * "-netdev tap,fds=..." and a matching "-device virtio-net-pci,mq=on".
 *
 * qemu 7.2 detaches whatever steering program a tap has (it calls
 * TUNSETSTEERINGEBPF with -1) each time the guest sets its number of
 * queues, i.e. when the driver probes and on every `ethtool -L`.  Unless
 * told otherwise (--no-guard), a seccomp filter installed just before the
 * exec turns every TUNSETSTEERINGEBPF that qemu issues into a no-op that
 * returns success, so our program stays in force for qemu's whole life.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "omx_steer.h"

#define VNIC_QUEUES_MAX		64
#define VNIC_PLACEHOLDER	"@VNIC@"

/* The steering object, linked in by omx_vnic_obj.S. */
extern const unsigned char omx_vnic_steer_obj[];
extern const unsigned char omx_vnic_steer_obj_end[];

static const char *progname = "omx_vnic";
static int verbose;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_vnic [OPTIONS] -- QEMU [QEMU ARGUMENTS...]\n"
		"Create a multi-queue tap steered by omx's endpoint hash and exec QEMU with it\n"
		"as a virtio-net NIC (one queue pair and MSI-X vector pair per queue).\n"
		"The argument " VNIC_PLACEHOLDER " in the QEMU command line is replaced by the\n"
		"-netdev/-device options; without it they are appended.\n"
		"  -i, --ifname NAME       name of the tap device (default omxvnic0)\n"
		"  -q, --queues N          number of queues, 1..%d (default 4)\n"
		"      --id ID             qemu netdev id (default vnic0)\n"
		"      --mac MAC           MAC address of the guest's NIC\n"
		"      --device-opts OPTS  more options for -device virtio-net-pci\n"
		"  -m, --mtu MTU           set the tap's MTU\n"
		"  -b, --bridge BRIDGE     add the tap to this existing bridge\n"
		"      --no-guard          let qemu detach the steering program (tests only)\n"
		"      --test              check the steering program against omx_steer.h and exit\n"
		"  -v, --verbose           say what is done, print the qemu command line\n"
		"  -h, --help              show this help\n"
		"Needs root (CAP_NET_ADMIN for the tap, CAP_BPF/CAP_SYS_ADMIN for the program).\n",
		VNIC_QUEUES_MAX);
}

static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !verbose))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Loads the built-in steering program; returns its object, *@fd its fd. */
static struct bpf_object *load_program(int *fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "omx_vnic_steer");
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err;

	libbpf_set_print(libbpf_log);
	obj = bpf_object__open_mem(omx_vnic_steer_obj,
				   (size_t)(omx_vnic_steer_obj_end - omx_vnic_steer_obj), &opts);
	if (!obj)
		die("cannot parse the built-in steering program: %s", strerror(errno));
	err = bpf_object__load(obj);
	if (err) {
		if (err == -EPERM || err == -EACCES)
			die("loading the steering program was refused (%s): run omx_vnic as root",
			    strerror(-err));
		die("the kernel refused the steering program: %s (is CONFIG_BPF_SYSCALL set?)",
		    strerror(-err));
	}
	prog = bpf_object__find_program_by_name(obj, "omx_vnic_steer");
	if (!prog)
		die("no program omx_vnic_steer in the built-in object");
	*fd = bpf_program__fd(prog);
	return obj;
}

/*
 * Runs the program over frames of every type and length that matter and
 * compares the queue the tap would pick with omx_steer_frame_queue(), for
 * every queue count up to 8.  The kernel's test run strips an Ethernet
 * header before a socket filter sees the packet (the tap does not), so
 * each frame is preceded by a throw-away one.  Returns the mismatches.
 */
static int self_test(int prog_fd, int report)
{
	static const __u32 lens[] = { 15, 16, 17, 18, 25, 26, 31, 32, 33, 60, 1514 };
	static const __u8 endpoints[] = { 0, 1, 2, 3, 5, 7, 8, 13, 254, 255 };
	static unsigned char buf[OMX_ETH_HLEN + 1514];
	unsigned char *frame = buf + OMX_ETH_HLEN;
	unsigned int ptype, e, l, n, runs = 0, bad = 0;

	memset(buf, 0, sizeof(buf));
	buf[12] = OMX_ETH_P >> 8;
	buf[13] = OMX_ETH_P & 0xff;
	for (ptype = 0; ptype < 256; ptype++) {
		for (e = 0; e < sizeof(endpoints); e++) {
			for (l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
				LIBBPF_OPTS(bpf_test_run_opts, run);
				__u32 len = lens[l];

				memset(frame, 0x5a, 64);
				frame[12] = OMX_ETH_P >> 8;
				frame[13] = OMX_ETH_P & 0xff;
				frame[OMX_PTYPE_OFFSET] = (__u8)ptype;
				/* different bytes where the types keep their endpoint */
				frame[OMX_DST_ENDPOINT_OFFSET] = endpoints[e];
				frame[OMX_NACK_LIB_DST_OFFSET] = (__u8)(endpoints[e] + 1);
				frame[OMX_MAGIC_DST_OFFSET] = (__u8)(endpoints[e] + 2);
				run.data_in = buf;
				run.data_size_in = OMX_ETH_HLEN + len;
				if (bpf_prog_test_run_opts(prog_fd, &run))
					die("cannot test-run the steering program: %s",
					    strerror(errno));
				runs++;
				for (n = 1; n <= 8; n++) {
					__u32 got = (__u16)run.retval % n;
					__u32 want = omx_steer_frame_queue(frame, len, n);

					if (got == want)
						continue;
					bad++;
					if (report && bad <= 10)
						fprintf(stderr, "%s: type %u endpoint byte %u length %u, "
							"%u queues: program picks %u, omx_steer %u\n",
							progname, ptype, endpoints[e], len, n, got, want);
				}
			}
		}
	}
	if (report)
		printf("%s: %u frames, %u queue counts each: %u mismatches\n",
		       progname, runs, 8, bad);
	return (int)bad;
}

/* Opens queue @i of tap @name, creating the tap with queue 0. */
static int open_queue(const char *name, unsigned int i)
{
	struct ifreq ifr;
	int fd;

	/* no O_CLOEXEC: qemu inherits these */
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			die("no /dev/net/tun: load the tun module (modprobe tun) or create the "
			    "node (mkdir -p /dev/net; mknod /dev/net/tun c 10 200)");
		die("cannot open /dev/net/tun: %s", strerror(errno));
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		if (errno == EPERM)
			die("creating tap %s needs CAP_NET_ADMIN: run omx_vnic as root", name);
		if (errno == EINVAL || errno == EBUSY)
			die("cannot attach queue %u to tap %s (%s): is the name taken by "
			    "another device?", i, name, strerror(errno));
		if (errno == E2BIG)
			die("tap %s: the kernel refuses a queue %u (too many queues)", name, i);
		die("TUNSETIFF %s (queue %u): %s", name, i, strerror(errno));
	}
	return fd;
}

static int ctl_socket(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		die("socket: %s", strerror(errno));
	return s;
}

static void set_mtu(int s, const char *name, int mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ifr.ifr_mtu = mtu;
	if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
		die("tap %s refuses MTU %d: %s", name, mtu, strerror(errno));
	note("tap %s: MTU %d", name, mtu);
}

static void add_to_bridge(int s, const char *bridge, const char *name)
{
	struct ifreq ifr;
	unsigned int index = if_nametoindex(name);

	if (!index)
		die("tap %s vanished: %s", name, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, bridge, IFNAMSIZ - 1);
	ifr.ifr_ifindex = (int)index;
	if (ioctl(s, SIOCBRADDIF, &ifr) < 0) {
		if (errno == ENODEV)
			die("no bridge %s (create it first: ip link add %s type bridge)",
			    bridge, bridge);
		if (errno == EOPNOTSUPP || errno == EINVAL)
			die("%s is not a bridge", bridge);
		die("cannot add tap %s to bridge %s: %s", name, bridge, strerror(errno));
	}
	note("tap %s: added to bridge %s", name, bridge);
}

static void set_up(int s, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS %s: %s", name, strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("cannot bring tap %s up: %s", name, strerror(errno));
}

#if defined(__x86_64__)
#define VNIC_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define VNIC_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define VNIC_AUDIT_ARCH AUDIT_ARCH_I386
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LOW(n) (offsetof(struct seccomp_data, args[n]))
#else
#define ARG_LOW(n) (offsetof(struct seccomp_data, args[n]) + 4)
#endif

/*
 * The guard: from here on (and in qemu after the exec), ioctl(fd,
 * TUNSETSTEERINGEBPF, ...) returns 0 without running.  The kernel reads
 * an ioctl command as 32 bits, so the low half of the argument is what
 * counts.  Everything else passes untouched.
 */
static void install_guard(void)
{
#ifdef VNIC_AUDIT_ARCH
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VNIC_AUDIT_ARCH, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)TUNSETSTEERINGEBPF, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]),
		.filter = code,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("cannot install the seccomp guard: %s (use --no-guard to run without it, "
		    "and qemu will detach the steering program)", strerror(errno));
#else
	die("the seccomp guard is not implemented for this architecture: use --no-guard");
#endif
}

static unsigned long parse_number(const char *s, const char *what, unsigned long lo,
				  unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "%s: %s must be a number from %lu to %lu, not '%s'\n",
			progname, what, lo, hi, s);
		exit(2);
	}
	return v;
}

/* "-netdev" and "-device" values; caller frees. */
static void vnic_options(char **netdev, char **device, const char *id, const int *fds,
			 unsigned int queues, const char *mac, const char *devopts)
{
	size_t cap = 64 + strlen(id) + queues * 12, off;
	unsigned int i;

	*netdev = malloc(cap);
	if (!*netdev)
		die("out of memory");
	off = (size_t)snprintf(*netdev, cap, "tap,id=%s,fds=", id);
	for (i = 0; i < queues; i++)
		off += (size_t)snprintf(*netdev + off, cap - off, "%s%d", i ? ":" : "", fds[i]);
	snprintf(*netdev + off, cap - off, ",vhost=off");
	if (asprintf(device, "virtio-net-pci,netdev=%s,mq=on,vectors=%u%s%s%s%s", id,
		     2 * queues + 2, mac ? ",mac=" : "", mac ? mac : "",
		     devopts ? "," : "", devopts ? devopts : "") < 0)
		die("out of memory");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "queues", required_argument, NULL, 'q' },
		{ "id", required_argument, NULL, 'I' },
		{ "mac", required_argument, NULL, 'M' },
		{ "device-opts", required_argument, NULL, 'D' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "bridge", required_argument, NULL, 'b' },
		{ "no-guard", no_argument, NULL, 'G' },
		{ "test", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = "omxvnic0", *id = "vnic0", *mac = NULL, *devopts = NULL;
	const char *bridge = NULL;
	unsigned int queues = 4, i;
	int mtu = 0, guard = 1, test_only = 0, c, prog_fd, s, placed = 0;
	int fds[VNIC_QUEUES_MAX];
	struct bpf_object *obj;
	char *netdev, *device, **qargv;
	int qargc, j, k;

	while ((c = getopt_long(argc, argv, "+i:q:m:b:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'q':
			queues = (unsigned int)parse_number(optarg, "--queues", 1, VNIC_QUEUES_MAX);
			break;
		case 'I': id = optarg; break;
		case 'M': mac = optarg; break;
		case 'D': devopts = optarg; break;
		case 'm': mtu = (int)parse_number(optarg, "--mtu", 68, 65535); break;
		case 'b': bridge = optarg; break;
		case 'G': guard = 0; break;
		case 'T': test_only = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/') ||
	    strchr(ifname, ' ') || strchr(ifname, '%')) {
		fprintf(stderr, "%s: bad interface name '%s' (1 to %d characters, no '/', ' ' or '%%')\n",
			progname, ifname, IFNAMSIZ - 1);
		return 2;
	}
	if (!*id || strpbrk(id, ",=")) {
		fprintf(stderr, "%s: bad netdev id '%s'\n", progname, id);
		return 2;
	}
	if (!test_only && optind >= argc) {
		fprintf(stderr, "%s: no qemu command given (after --)\n", progname);
		usage(stderr);
		return 2;
	}
	for (j = optind; j < argc; j++) {
		if (strstr(argv[j], "rss=on")) {
			fprintf(stderr, "%s: qemu's rss=on would replace omx's steering program: "
				"remove it\n", progname);
			return 2;
		}
		if (!strcmp(argv[j], VNIC_PLACEHOLDER) && placed++) {
			fprintf(stderr, "%s: %s given more than once\n", progname, VNIC_PLACEHOLDER);
			return 2;
		}
	}
	if (devopts && strstr(devopts, "rss=on")) {
		fprintf(stderr, "%s: rss=on would replace omx's steering program\n", progname);
		return 2;
	}
	if (geteuid() != 0)
		die("must run as root: it creates a tap device (CAP_NET_ADMIN) and loads a "
		    "BPF program (CAP_BPF)");

	obj = load_program(&prog_fd);
	if (test_only)
		return self_test(prog_fd, 1) ? 1 : 0;
	if (self_test(prog_fd, 0))
		die("the steering program disagrees with omx_steer.h: run omx_vnic --test");

	if (if_nametoindex(ifname))
		die("an interface %s already exists: pick another name with --ifname", ifname);
	for (i = 0; i < queues; i++)
		fds[i] = open_queue(ifname, i);
	if (ioctl(fds[0], TUNSETSTEERINGEBPF, &prog_fd) < 0)
		die("TUNSETSTEERINGEBPF on %s: %s (the kernel needs tun steering, Linux 4.16+)",
		    ifname, strerror(errno));
	bpf_object__close(obj);	/* the tap keeps its own reference */

	s = ctl_socket();
	if (mtu)
		set_mtu(s, ifname, mtu);
	if (bridge)
		add_to_bridge(s, bridge, ifname);
	set_up(s, ifname);
	close(s);

	vnic_options(&netdev, &device, id, fds, queues, mac, devopts);
	qargc = argc - optind + (placed ? 3 : 4);
	qargv = calloc((size_t)qargc + 1, sizeof(*qargv));
	if (!qargv)
		die("out of memory");
	for (j = optind, k = 0; j < argc; j++) {
		if (!strcmp(argv[j], VNIC_PLACEHOLDER)) {
			qargv[k++] = "-netdev";
			qargv[k++] = netdev;
			qargv[k++] = "-device";
			qargv[k++] = device;
		} else {
			qargv[k++] = argv[j];
		}
	}
	if (!placed) {
		qargv[k++] = "-netdev";
		qargv[k++] = netdev;
		qargv[k++] = "-device";
		qargv[k++] = device;
	}
	qargv[k] = NULL;

	fprintf(stderr, "%s: tap %s, %u queues, steering program attached, guard %s\n",
		progname, ifname, queues, guard ? "on" : "OFF (qemu may detach the program)");
	if (verbose) {
		fprintf(stderr, "%s: exec", progname);
		for (k = 0; qargv[k]; k++)
			fprintf(stderr, " %s", qargv[k]);
		fputc('\n', stderr);
	}
	if (guard)
		install_guard();
	execvp(qargv[0], qargv);
	die("cannot run %s: %s", qargv[0], strerror(errno));
}
