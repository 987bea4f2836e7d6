// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_fuzz: a seeded random fuzzer of the omx driver from user space, run
 * inside a test guest (tests/fuzz/driver.sh).  Each iteration is one
 * operation drawn from the seed and the iteration number:
 *
 *  - an ioctl: any OMX_CMD_* of common/omx_abi.h (or a mangled command
 *    number) on one of a few /dev/omx and /dev/omx-raw files, with an
 *    argument structure of plausible, boundary or random fields (indexes
 *    just past the end, huge lengths, non-zero pads, sessions and peer
 *    indexes that are real), at an address that is good, NULL, unmapped,
 *    read-only, straddling an inaccessible page, or in the kernel; the
 *    user buffers inside the structures (payloads, region segments, peer
 *    arrays) likewise;
 *  - an mmap of /dev/omx or /dev/omx-raw with random offset, length,
 *    protection and flags, then reads and writes of the ring indexes,
 *    partial munmaps, fork;
 *  - a frame (--frames): a valid frame of any type built by the codec of
 *    common/, or a frame captured on the veth pair, mutated or not,
 *    sent through an AF_PACKET socket into the other board;
 *  - opening, duplicating and closing the files, remapping the memory
 *    that regions were registered from.
 *
 * What counts as a failure, reported with the seed and the iteration
 * that reproduces it (--seed S --iterations I+1):
 *  - the kernel got tainted during the run (a WARN, an oops, a bad page:
 *    /proc/sys/kernel/tainted checked after every operation);
 *  - the worker process died of a signal or stopped making progress for
 *    30 s (a parent process watches it);
 *  - an errno the ABI does not document, or a result the rules of
 *    docs/abi.md forbid: a command that needs CAP_NET_ADMIN succeeding
 *    without it, a session id shown to an unprivileged caller, another
 *    user's endpoint's steering readable, a command answered before the
 *    ABI was declared, an endpoint command without an endpoint not
 *    ENOTCONN, an unknown command not ENOTTY;
 *  - with --check-counters (no interface detached meanwhile): a drop
 *    counter of a receiving board that depends on the frame alone not
 *    equal to what the frames sent should have moved, per the codec's
 *    verdict on each frame (bad_header and other_host: at least that).
 *
 * Usage: omx_fuzz [options]
 *   -s, --seed S          seed (default: from /dev/urandom, printed)
 *   -n, --iterations N    operations (default 10000)
 *   -f, --frames IF0,IF1  send frames on the veth pair IF0/IF1 (root)
 *   -F, --frames-only     only frames (with --frames): the root side of an
 *                         unprivileged run
 *   -i, --ifaces IF0,IF1  no frames, but aim at the boards of that pair
 *   -c, --check-counters  check the receiving boards' drop counters
 *   -q, --quiet           no progress lines
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_wire_codec.h"
#include "omx_wire_counters.h"

#define NFILES		6
#define NMAPS		8
#define POOL		32
#define FRAME_MAX	(OMX_MTU_MAX + OMX_ETH_HLEN)
#define PAGE		4096UL

/* the arena: user memory the arguments point into */
#define ARENA_PAGES	64
#define RW_PAGES	44	/* 0..43 read-write */
#define RO_PAGES	8	/* 44..51 read-only */
#define NONE_PAGES	4	/* 52..55 PROT_NONE */
#define HOLE_PAGES	8	/* 56..63 unmapped */
#define BIG_LEN		(4UL << 20)	/* never touched: faulted in by pinning */

/* shared with the watching parent: what the worker is doing */
struct fz_shared {
	volatile uint64_t iter;
	volatile uint64_t calls;
	char op[160];
};

struct fz_file {
	int fd;			/* -1: free slot */
	unsigned int ofd;	/* open file description: shared by dup2 */
	bool raw;
	int abi;		/* 0 undeclared, 1 agreed, 2 mismatch */
	bool ep;		/* an endpoint was bound to it */
	uint32_t board, index, session;
};

struct fz_map {
	void *addr;
	size_t len;
	int prot;
};

struct fz_iface {
	char name[IFNAMSIZ];
	int ifindex;
	int sock;		/* AF_PACKET, sends on this interface */
	uint8_t mac[6];
	int board;		/* omx board index, -1 if not attached */
	uint64_t tx_dropped0;
};

struct fz_frame {
	uint16_t len;
	uint8_t via;		/* interface to send it on again */
	uint8_t data[FRAME_MAX];
};

static struct {
	uint64_t seed, iterations, iter, rng;
	bool ifaces, frames, frames_only, check_counters, quiet, privileged;
	struct fz_file files[NFILES];
	struct fz_map maps[NMAPS];
	uint8_t *arena, *big;
	struct fz_iface ifs[2];
	int capture;
	struct fz_frame *pool;
	unsigned int pool_n, pool_next;
	int tainted_fd;
	unsigned long tainted0;
	/* own endpoints (board, index), for the steering rule */
	uint32_t sessions[OMX_MAX_BOARDS][8];
	/* peer indexes of the two veth MACs, and pull handles seen on the wire */
	uint32_t peers[2];
	uint32_t handles[8], magics[8];
	/* counters: baselines and what the frames sent should add */
	uint64_t base[2][OMX_COUNTERS_MAX];
	uint64_t expect[2][OMX_COUNTERS_MAX];
	uint64_t sent[2];
	uint64_t total[OMX_COUNTERS_MAX];	/* expect[] summed over rebases */
	/* statistics */
	uint64_t n_ioctl, n_mmap, n_frame, n_other, n_ok, n_errno[160];
	struct fz_shared *sh;
	unsigned int next_ofd;
	bool cleared;		/* the last ioctl cleared counters */
	bool in_child;		/* a forked child: leaves the counters alone */
	/* the worker and every child it forked: endpoints they opened are ours */
	pid_t *own;
	size_t n_own, cap_own;
} fz;

/* ------------------------------------------------------------------ */
/* random numbers: one stream per iteration, from the seed */

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	fz.rng += 0x9e3779b97f4a7c15ULL;
	return mix64(fz.rng);
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static void rnd_fill(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)rnd();
}

/* A 32-bit value: edges, small numbers or anything. */
static uint32_t r32(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 31, 32, 33, 63, 64, 127, 128, 129, 255, 256, 4095, 4096,
		8191, 8192, 32767, 32768, 32769, 65535, 65536, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff,
	};

	switch (below(4)) {
	case 0:
		return edges[below(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return below(8);
	case 2:
		return (uint32_t)rnd() >> below(32);
	default:
		return (uint32_t)rnd();
	}
}

static uint64_t r64(void)
{
	if (chance(20))
		return rnd();
	if (chance(20))
		return (uint64_t)r32() << 32 | r32();
	return r32();
}

/* ------------------------------------------------------------------ */
/* failures */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "omx_fuzz: FAILED at iteration %" PRIu64 " of seed %" PRIu64 ": ",
		fz.iter, fz.seed);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, "\nomx_fuzz: last operation: %s\n", fz.sh->op);
	fprintf(stdout, "omx_fuzz: reproduce with: omx_fuzz --seed %" PRIu64
		" --iterations %" PRIu64 " (same options otherwise)\n", fz.seed, fz.iter + 1);
	fflush(stdout);
	_exit(1);
}

#define OP(...) snprintf(fz.sh->op, sizeof(fz.sh->op), __VA_ARGS__)

static unsigned long read_tainted(void)
{
	char buf[32];
	ssize_t n = pread(fz.tainted_fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtoul(buf, NULL, 10);
}

static void check_tainted(void)
{
	unsigned long t = read_tainted();

	if (t != fz.tainted0)
		fail("the kernel got tainted: %lu -> %lu (see the kernel log)", fz.tainted0, t);
}

/* ------------------------------------------------------------------ */
/* memory the arguments point into */

static uint8_t *arena_page(unsigned int i)
{
	return fz.arena + i * PAGE;
}

static void arena_init(void)
{
	fz.arena = mmap(NULL, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fz.big = mmap(NULL, BIG_LEN, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (fz.arena == MAP_FAILED || fz.big == MAP_FAILED) {
		perror("omx_fuzz: mmap");
		exit(2);
	}
	memset(fz.arena, 0x5a, ARENA_PAGES * PAGE);
	if (mprotect(arena_page(RW_PAGES), RO_PAGES * PAGE, PROT_READ) ||
	    mprotect(arena_page(RW_PAGES + RO_PAGES), NONE_PAGES * PAGE, PROT_NONE) ||
	    munmap(arena_page(ARENA_PAGES - HOLE_PAGES), HOLE_PAGES * PAGE)) {
		perror("omx_fuzz: arena");
		exit(2);
	}
}

enum where { W_GOOD, W_NULL, W_HOLE, W_RO, W_STRADDLE, W_KERNEL, W_NONCANON, W_RANDOM, W_NR };

static const char *where_name[W_NR] = {
	"good", "null", "unmapped", "read-only", "straddling", "kernel", "non-canonical", "random",
};

/* Where an argument of @len bytes goes. */
static enum where pick_where(void)
{
	if (chance(88))
		return W_GOOD;
	return (enum where)(1 + below(W_NR - 1));
}

/*
 * An address for @len bytes whose contents are @src (copied where the
 * memory is writable or read-only, for read-only copied before).  Good
 * places are in the read-write pages, at a random offset.
 */
static uint8_t *place(enum where w, const void *src, size_t len)
{
	uint8_t *p;
	size_t room;

	switch (w) {
	case W_GOOD:
	default:
		room = RW_PAGES * PAGE - len;
		p = fz.arena + (len <= RW_PAGES * PAGE ? below((uint32_t)room + 1) & ~7UL : 0);
		if (src)
			memcpy(p, src, len);
		return p;
	case W_NULL:
		return NULL;
	case W_HOLE:
		return arena_page(ARENA_PAGES - HOLE_PAGES) + below(HOLE_PAGES * PAGE);
	case W_RO:
		p = arena_page(RW_PAGES);
		if (src && len <= RO_PAGES * PAGE) {
			mprotect(p, RO_PAGES * PAGE, PROT_READ | PROT_WRITE);
			memcpy(p, src, len);
			mprotect(p, RO_PAGES * PAGE, PROT_READ);
		}
		return p;
	case W_STRADDLE:
		/* the first bytes readable, the rest in the PROT_NONE pages */
		p = arena_page(RW_PAGES + RO_PAGES) - 1 - below(len ? (uint32_t)len : 1);
		if (src) {
			mprotect(arena_page(RW_PAGES), RO_PAGES * PAGE, PROT_READ | PROT_WRITE);
			memcpy(p, src, (size_t)(arena_page(RW_PAGES + RO_PAGES) - p));
			mprotect(arena_page(RW_PAGES), RO_PAGES * PAGE, PROT_READ);
		}
		return p;
	case W_KERNEL:
		return (uint8_t *)(uintptr_t)(0xffffffff81000000ULL + below(1 << 20));
	case W_NONCANON:
		return (uint8_t *)(uintptr_t)(0x8000000000000000ULL | rnd());
	case W_RANDOM:
		return (uint8_t *)(uintptr_t)rnd();
	}
}

/* A user buffer address (payloads, segments): mostly inside the arena. */
static uint64_t user_addr(size_t len)
{
	switch (below(10)) {
	case 0:
		return (uintptr_t)fz.big + below(BIG_LEN);
	case 1:
		return (uintptr_t)place((enum where)(1 + below(W_NR - 1)), NULL, len);
	case 2:
		return (uintptr_t)arena_page(RW_PAGES) + below(RO_PAGES * PAGE);
	default:
		return (uintptr_t)place(W_GOOD, NULL, len < RW_PAGES * PAGE ? len : 1);
	}
}

/* ------------------------------------------------------------------ */
/* files */

static struct fz_file *pick_file(void)
{
	struct fz_file *f;
	int i, n = 0;

	for (i = 0; i < NFILES; i++)
		if (fz.files[i].fd >= 0)
			n++;
	if (!n)
		return NULL;
	n = (int)below((uint32_t)n);
	for (i = 0; i < NFILES; i++) {
		f = &fz.files[i];
		if (f->fd >= 0 && n-- == 0)
			return f;
	}
	return NULL;
}

static struct fz_file *file_open(bool raw)
{
	int i;

	for (i = 0; i < NFILES; i++) {
		struct fz_file *f = &fz.files[i];

		if (f->fd >= 0)
			continue;
		f->fd = open(raw ? OMX_RAW_DEVICE_PATH : OMX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		fz.sh->calls++;
		if (f->fd < 0) {
			if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
				fail("cannot open %s: %s", raw ? OMX_RAW_DEVICE_PATH : OMX_DEVICE_PATH,
				     strerror(errno));
			return NULL;
		}
		f->raw = raw;
		f->abi = 0;
		f->ep = false;
		f->ofd = ++fz.next_ofd;
		return f;
	}
	return NULL;
}

static void file_close(struct fz_file *f)
{
	close(f->fd);
	fz.sh->calls++;
	if (f->ep && f->board < OMX_MAX_BOARDS && f->index < 8)
		fz.sessions[f->board][f->index] = 0;
	f->fd = -1;
}

/* What one file learnt holds for every descriptor of its open file. */
static void file_sync(const struct fz_file *f)
{
	int i;

	for (i = 0; i < NFILES; i++) {
		struct fz_file *g = &fz.files[i];

		if (g != f && g->fd >= 0 && g->ofd == f->ofd) {
			g->abi = f->abi;
			g->ep = f->ep;
			g->board = f->board;
			g->index = f->index;
			g->session = f->session;
		}
	}
}

/* After a child used the files: ask the driver what they are now. */
static void files_resync(void)
{
	struct omx_endpoint_info info;
	uint32_t v = OMX_ABI_VERSION;
	int i;

	for (i = 0; i < NFILES; i++) {
		struct fz_file *f = &fz.files[i];

		if (f->fd < 0)
			continue;
		f->abi = ioctl(f->fd, OMX_CMD_DECLARE_ABI_VERSION, &v) == 0;
		if (!f->raw && ioctl(f->fd, OMX_CMD_GET_ENDPOINT_INFO, &info) == 0) {
			f->ep = true;
			f->board = info.board_index;
			f->index = info.endpoint_index;
			f->session = info.session_id;
		} else if (!f->raw && errno == ENODEV) {
			f->ep = true;	/* dead: its board was detached */
		}
		fz.sh->calls += 2;
	}
}

static bool own_pid(pid_t pid)
{
	size_t i;

	for (i = 0; i < fz.n_own; i++)
		if (fz.own[i] == pid)
			return true;
	return false;
}

static void add_own(pid_t pid)
{
	if (fz.n_own == fz.cap_own) {
		fz.cap_own = fz.cap_own ? 2 * fz.cap_own : 64;
		fz.own = realloc(fz.own, fz.cap_own * sizeof(*fz.own));
		if (!fz.own)
			fail("out of memory");
	}
	fz.own[fz.n_own++] = pid;
}

/* The opener of endpoint (board, index), 0 if none or unknown. */
static pid_t slot_owner(int fd, uint32_t board, uint32_t index)
{
	struct omx_endpoint_slot s;

	memset(&s, 0, sizeof(s));
	s.board_index = board;
	s.endpoint_index = index;
	fz.sh->calls++;
	if (ioctl(fd, OMX_CMD_GET_ENDPOINT_SLOT, &s) || !(s.flags & OMX_ENDPOINT_SLOT_OPEN))
		return 0;
	return s.owner_pid;
}

/* ------------------------------------------------------------------ */
/* ioctls */

static bool counters_match(int side, bool report);
static bool counters_settle(void);

struct cmd_desc {
	unsigned long cmd;
	const char *name;
	size_t size;
	unsigned int flags;
};

#define C_RAW		0x01	/* allowed on /dev/omx-raw */
#define C_ANY_ABI	0x02	/* before the ABI is declared */
#define C_EP		0x04	/* needs the file's endpoint */
#define C_ADMIN		0x08	/* needs CAP_NET_ADMIN */
#define C_OUT		0x10	/* writes its argument back */

#define CMD(c, sz, fl) { c, #c, sz, fl }
static const struct cmd_desc cmds[] = {
	CMD(OMX_CMD_GET_ABI_VERSION, 4, C_RAW | C_ANY_ABI | C_OUT),
	CMD(OMX_CMD_DECLARE_ABI_VERSION, 4, C_RAW | C_ANY_ABI),
	CMD(OMX_CMD_GET_BOARD_COUNT, 4, C_RAW | C_OUT),
	CMD(OMX_CMD_GET_BOARD_INFO, sizeof(struct omx_board_info), C_RAW | C_OUT),
	CMD(OMX_CMD_GET_COUNTERS, sizeof(struct omx_board_counters), C_RAW | C_OUT),
	CMD(OMX_CMD_CLEAR_COUNTERS, 4, C_RAW | C_ADMIN),
	CMD(OMX_CMD_GET_DRIVER_INFO, sizeof(struct omx_driver_info), C_RAW | C_OUT),
	CMD(OMX_CMD_SET_HOSTNAME, sizeof(struct omx_board_hostname), C_RAW | C_ADMIN),
	CMD(OMX_CMD_GET_ENDPOINT_SLOT, sizeof(struct omx_endpoint_slot), C_RAW | C_OUT),
	CMD(OMX_CMD_GET_BOARD_QUEUES, sizeof(struct omx_board_queues), C_RAW | C_OUT),
	CMD(OMX_CMD_GET_ENDPOINT_STEERING, sizeof(struct omx_endpoint_steering), C_RAW | C_OUT),
	CMD(OMX_CMD_OPEN_ENDPOINT, sizeof(struct omx_endpoint_open), 0),
	CMD(OMX_CMD_GET_ENDPOINT_INFO, sizeof(struct omx_endpoint_info), C_EP | C_OUT),
	CMD(OMX_CMD_WAIT_EVENT, sizeof(struct omx_wait), C_EP | C_OUT),
	CMD(OMX_CMD_WAKEUP, 0, C_EP),
	CMD(OMX_CMD_SEND_CONNECT, sizeof(struct omx_cmd_send_connect), C_EP),
	CMD(OMX_CMD_SEND_TINY, sizeof(struct omx_cmd_send_msg), C_EP),
	CMD(OMX_CMD_SEND_SMALL, sizeof(struct omx_cmd_send_msg), C_EP),
	CMD(OMX_CMD_SEND_MEDIUM_FRAG, sizeof(struct omx_cmd_send_msg), C_EP),
	CMD(OMX_CMD_SEND_LIBACK, sizeof(struct omx_cmd_send_liback), C_EP),
	CMD(OMX_CMD_SEND_NACK_LIB, sizeof(struct omx_cmd_send_nack_lib), C_EP),
	CMD(OMX_CMD_SEND_RNDV, sizeof(struct omx_cmd_send_rndv), C_EP),
	CMD(OMX_CMD_SEND_NOTIFY, sizeof(struct omx_cmd_send_notify), C_EP),
	CMD(OMX_CMD_REGISTER_REGION, sizeof(struct omx_cmd_region), C_EP | C_OUT),
	CMD(OMX_CMD_DEREGISTER_REGION, 4, C_EP),
	CMD(OMX_CMD_PULL, sizeof(struct omx_cmd_pull), C_EP),
	CMD(OMX_CMD_GET_PEER_COUNT, sizeof(struct omx_peer_table_info), C_RAW | C_OUT),
	CMD(OMX_CMD_GET_PEER_INFO, sizeof(struct omx_peer_info), C_RAW | C_OUT),
	CMD(OMX_CMD_DISCOVER_PEERS, 4, C_RAW | C_ADMIN),
	CMD(OMX_CMD_PEER_LOOKUP, sizeof(struct omx_peer_lookup), C_RAW | C_OUT),
	CMD(OMX_CMD_SET_PEERS, sizeof(struct omx_cmd_set_peers), C_RAW | C_ADMIN),
	CMD(OMX_CMD_CLEAR_PEERS, 4, C_RAW | C_ADMIN),
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* errnos docs/abi.md gives for omx ioctls */
static bool documented_errno(int e)
{
	switch (e) {
	case EFAULT: case EINVAL: case EPROTO: case ENOTTY: case ENODEV: case ENOTCONN:
	case EPERM: case ENOMEM: case ENOENT: case EBUSY: case EISCONN: case ENOSPC:
	case ENETDOWN: case EMSGSIZE: case ENOBUFS: case EINTR:
	/* endpoints_per_user; writable pins of written-back file pages */
	case EDQUOT: case EOPNOTSUPP:
		return true;
	default:
		return false;
	}
}

static uint32_t pick_board(void)
{
	switch (below(8)) {
	case 0:
		return r32();
	case 1:
		return below(OMX_MAX_BOARDS + 2);
	default:
		return fz.ifs[below(2)].board >= 0 ? (uint32_t)fz.ifs[below(2)].board : below(2);
	}
}

static uint32_t pick_endpoint(void)
{
	switch (below(8)) {
	case 0:
		return r32();
	case 1:
		return 30 + below(4);
	default:
		return below(4);
	}
}

static uint16_t pick_peer(void)
{
	switch (below(6)) {
	case 0:
		return (uint16_t)r32();
	case 1:
		return (uint16_t)below(4);
	default:
		return (uint16_t)fz.peers[below(2)];
	}
}

/* A destination: a peer index, and the board behind it when it is ours. */
static uint16_t pick_dest(uint32_t *board)
{
	unsigned int k = below(2);

	*board = fz.ifs[k].board >= 0 ? (uint32_t)fz.ifs[k].board : k;
	if (chance(15)) {
		*board = pick_board();
		return (uint16_t)(chance(50) ? below(4) : r32());
	}
	return (uint16_t)fz.peers[k];
}

/* a session of an endpoint of ours, or anything */
static uint32_t pick_session(uint32_t board, uint32_t index)
{
	if (chance(75) && board < OMX_MAX_BOARDS && index < 8 && fz.sessions[board][index])
		return fz.sessions[board][index];
	if (chance(50)) {
		uint32_t b = (uint32_t)(fz.ifs[below(2)].board >= 0 ? fz.ifs[below(2)].board : 0);

		return fz.sessions[b % OMX_MAX_BOARDS][below(8)];
	}
	return r32();
}

/* a valid-looking hostname, or one of the ways a hostname is wrong */
static void pick_hostname(char *h, size_t len)
{
	memset(h, 0, len);
	switch (below(6)) {
	case 0:
		rnd_fill(h, len);		/* not terminated, not printable */
		break;
	case 1:
		break;				/* empty */
	case 2:
		memset(h, 'x', len);		/* not terminated */
		break;
	case 3:
		snprintf(h, len, "fz%c%u", (char)(1 + below(31)), below(100));
		break;
	default:
		snprintf(h, len, "fz-%u:%u", below(100), below(4));
		break;
	}
}

static void mangle(void *p, size_t len)
{
	uint8_t *b = p;
	unsigned int i, n;

	if (!len || !chance(15))
		return;
	n = 1 + below(3);
	for (i = 0; i < n; i++)
		b[below((uint32_t)len)] ^= (uint8_t)(1u << below(8));
}

/* Fills the argument of @c for @f; returns the size to place. */
static size_t fill_arg(const struct cmd_desc *c, struct fz_file *f, void *arg)
{
	uint32_t board = f && f->ep ? f->board : pick_board();
	uint32_t index = f && f->ep ? f->index : pick_endpoint();
	size_t i;

	memset(arg, 0, c->size);
	switch (c->cmd) {
	case OMX_CMD_DECLARE_ABI_VERSION:
		*(uint32_t *)arg = chance(85) ? OMX_ABI_VERSION : r32();
		break;
	case OMX_CMD_GET_BOARD_INFO:
	case OMX_CMD_GET_BOARD_QUEUES:
	case OMX_CMD_CLEAR_COUNTERS:
	case OMX_CMD_DISCOVER_PEERS:
		*(uint32_t *)arg = pick_board();
		if (c->cmd == OMX_CMD_GET_BOARD_QUEUES && chance(10))
			((struct omx_board_queues *)arg)->pad = r32();
		break;
	case OMX_CMD_GET_COUNTERS: {
		struct omx_board_counters *a = arg;

		a->board_index = pick_board();
		a->flags = chance(90) ? 0 : r32();
		break;
	}
	case OMX_CMD_CLEAR_PEERS:
		*(uint32_t *)arg = chance(30) ? OMX_PEERS_ALL_BOARDS : pick_board();
		break;
	case OMX_CMD_SET_HOSTNAME: {
		struct omx_board_hostname *a = arg;

		a->board_index = pick_board();
		a->pad = chance(90) ? 0 : r32();
		pick_hostname(a->hostname, sizeof(a->hostname));
		break;
	}
	case OMX_CMD_GET_ENDPOINT_SLOT:
	case OMX_CMD_GET_ENDPOINT_STEERING: {
		struct omx_endpoint_slot *a = arg;	/* same two first fields */

		a->board_index = pick_board();
		a->endpoint_index = pick_endpoint();
		break;
	}
	case OMX_CMD_OPEN_ENDPOINT: {
		struct omx_endpoint_open *a = arg;

		a->board_index = pick_board();
		a->endpoint_index = pick_endpoint();
		a->flags = chance(70) ? 0 : chance(70) ? OMX_ENDPOINT_OPEN_NO_SHARED : r32();
		a->pad = chance(90) ? 0 : r32();
		break;
	}
	case OMX_CMD_WAIT_EVENT: {
		struct omx_wait *a = arg;

		a->exp_cons = r32();
		a->unexp_cons = r32();
		a->timeout_ms = chance(70) ? 0 : chance(80) ? below(3) : r32();
		a->status = r32();
		break;
	}
	case OMX_CMD_SEND_CONNECT: {
		struct omx_cmd_send_connect *a = arg;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->is_reply = (uint8_t)(chance(90) ? below(2) : r32());
		a->src_session_id = pick_session(board, index);
		a->app_key = a->is_reply ? 0 : r32();
		a->target_session_id = a->is_reply ? pick_session(dboard, a->dst_endpoint) : 0;
		a->target_recv_seqnum_start = (uint16_t)r32();
		a->connect_seqnum = (uint8_t)r32();
		a->status = (uint8_t)(a->is_reply ? (chance(50) ? 0 : r32()) : 0);
		a->pad = chance(90) ? 0 : r32();
		break;
	}
	case OMX_CMD_SEND_TINY:
	case OMX_CMD_SEND_SMALL:
	case OMX_CMD_SEND_MEDIUM_FRAG: {
		struct omx_cmd_send_msg *a = arg;
		uint32_t max = c->cmd == OMX_CMD_SEND_TINY ? OMX_ABI_TINY_MAX :
			c->cmd == OMX_CMD_SEND_SMALL ? OMX_ABI_SMALL_MAX : 8192;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->session = pick_session(dboard, a->dst_endpoint);
		a->seqnum = (uint16_t)r32();
		a->piggyack = (uint16_t)r32();
		a->length = chance(80) ? below(max + 1) : r32();
		if (c->cmd == OMX_CMD_SEND_MEDIUM_FRAG) {
			a->msg_length = chance(70) ? a->length + below(OMX_ABI_MEDIUM_MAX) : r32();
			a->frag_seqnum = (uint8_t)(chance(80) ? below(OMX_ABI_MEDIUM_FRAGS_MAX) : r32());
		} else {
			a->msg_length = chance(90) ? 0 : r32();
		}
		a->pad = chance(90) ? 0 : r32();
		a->match_info = rnd();
		a->data = user_addr(a->length);
		break;
	}
	case OMX_CMD_SEND_LIBACK: {
		struct omx_cmd_send_liback *a = arg;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->resent = (uint8_t)r32();
		a->session = pick_session(dboard, a->dst_endpoint);
		a->acknum = r32();
		a->lib_seqnum = (uint16_t)r32();
		a->send_seq = (uint16_t)r32();
		break;
	}
	case OMX_CMD_SEND_NACK_LIB: {
		struct omx_cmd_send_nack_lib *a = arg;

		a->peer_index = pick_peer();
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->nack_type = (uint8_t)(chance(80) ? below(OMX_NACK_TYPE_NR + 1) : r32());
		a->lib_seqnum = (uint16_t)r32();
		a->pad = (uint16_t)(chance(90) ? 0 : r32());
		break;
	}
	case OMX_CMD_SEND_RNDV: {
		struct omx_cmd_send_rndv *a = arg;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->rdma_id = (uint8_t)(chance(80) ? below(4) : r32());
		a->session = pick_session(dboard, a->dst_endpoint);
		a->seqnum = (uint16_t)r32();
		a->piggyack = (uint16_t)r32();
		a->msg_length = chance(60) ? OMX_ABI_MEDIUM_MAX + 1 + below(1 << 16) : r32();
		a->match_info = rnd();
		a->rdma_seqnum = (uint8_t)(chance(50) ? below(4) : r32());
		break;
	}
	case OMX_CMD_SEND_NOTIFY: {
		struct omx_cmd_send_notify *a = arg;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->rdma_id = (uint8_t)(chance(80) ? below(4) : r32());
		a->session = pick_session(dboard, a->dst_endpoint);
		a->seqnum = (uint16_t)r32();
		a->total_length = r32();
		a->rdma_seqnum = (uint8_t)r32();
		break;
	}
	case OMX_CMD_REGISTER_REGION: {
		struct omx_cmd_region *a = arg;
		struct omx_region_segment segs[8];
		uint32_t n = chance(90) ? 1 + below(8) : r32();
		uint32_t k = n < 8 ? n : 8;

		for (i = 0; i < k; i++) {
			segs[i].length = chance(80) ? 1 + below(3 * PAGE) : r64();
			segs[i].vaddr = user_addr(segs[i].length);
			if (chance(3)) {
				/* the rest of the big area: up to 4 MiB faulted in and pinned */
				segs[i].vaddr = (uintptr_t)fz.big + below(BIG_LEN / 2);
				segs[i].length = BIG_LEN - (segs[i].vaddr - (uintptr_t)fz.big);
			}
		}
		a->id = chance(85) ? below(6) : r32();
		a->nr_segments = n;
		a->flags = chance(90) ? below(2) : r32();
		a->pad[0] = (uint8_t)(chance(95) ? 0 : r32());
		a->seqnum = (uint8_t)r32();
		a->segments = (uintptr_t)place(pick_where(), segs, k * sizeof(segs[0]));
		break;
	}
	case OMX_CMD_DEREGISTER_REGION:
		*(uint32_t *)arg = chance(85) ? below(6) : r32();
		break;
	case OMX_CMD_PULL: {
		struct omx_cmd_pull *a = arg;
		uint32_t dboard;

		a->peer_index = pick_dest(&dboard);
		a->dst_endpoint = (uint8_t)pick_endpoint();
		a->remote_rdma_id = (uint8_t)(chance(85) ? below(6) : r32());
		a->session = pick_session(dboard, a->dst_endpoint);
		a->length = chance(70) ? below(3 * PAGE) + 1 : r32();
		a->remote_offset = chance(70) ? below(PAGE) : r32();
		a->local_region_id = chance(85) ? below(6) : r32();
		a->local_offset = chance(70) ? below(PAGE) : r32();
		a->remote_rdma_seqnum = (uint8_t)(chance(50) ? below(4) : r32());
		a->pad[0] = (uint8_t)(chance(95) ? 0 : r32());
		a->cookie = rnd();
		break;
	}
	case OMX_CMD_GET_PEER_INFO:
		*(uint32_t *)arg = chance(80) ? pick_peer() : r32();
		break;
	case OMX_CMD_PEER_LOOKUP: {
		struct omx_peer_lookup *a = arg;

		a->flags = chance(90) ? below(4) : r32();
		if (chance(60))
			memcpy(a->mac, fz.ifs[below(2)].mac, 6);
		else
			rnd_fill(a->mac, 6);
		if (chance(50))
			snprintf(a->hostname, sizeof(a->hostname), "node0:%u", below(3));
		else
			pick_hostname(a->hostname, sizeof(a->hostname));
		break;
	}
	case OMX_CMD_SET_PEERS: {
		struct omx_cmd_set_peers *a = arg;
		struct omx_peer_entry e[4];
		uint32_t n = chance(85) ? 1 + below(4) : r32();
		uint32_t k = n < 4 ? n : 4;

		memset(e, 0, sizeof(e));
		for (i = 0; i < k; i++) {
			memcpy(e[i].mac, fz.ifs[below(2)].mac, 6);
			if (chance(40))
				rnd_fill(e[i].mac, 6);
			e[i].board_index = pick_board();
			pick_hostname(e[i].hostname, sizeof(e[i].hostname));
			if (chance(5))
				e[i].pad1 = r32();
		}
		a->nr_peers = n;
		a->flags = chance(80) ? below(2) : r32();
		a->peers = (uintptr_t)place(pick_where(), e, k * sizeof(e[0]));
		break;
	}
	default:
		break;
	}
	mangle(arg, c->size);
	return c->size;
}

static void count_errno(int e)
{
	fz.n_errno[e > 0 && e < 160 ? e : 0]++;
}

/* this process has CAP_NET_ADMIN in its effective set */
static bool have_net_admin(void)
{
	char line[256];
	bool ok = false;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			ok = (strtoull(line + 7, NULL, 16) >> 12) & 1;
	fclose(f);
	return ok;
}

static void op_ioctl(void)
{
	static uint8_t argbuf[sizeof(struct omx_board_queues) + 64];
	struct fz_file *f = pick_file();
	const struct cmd_desc *c = &cmds[below(NCMDS)];
	unsigned long cmd = c->cmd;
	enum where w = pick_where();
	bool mangled = false;
	uint8_t *arg;
	size_t size;
	int ret, e;

	if (!f || (fz.in_child && c->cmd == OMX_CMD_CLEAR_COUNTERS))
		return;
	size = fill_arg(c, f, argbuf);
	if (chance(3)) {
		/* the right number with another size or direction, or another number */
		switch (below(3)) {
		case 0:
			cmd = _IOC(_IOC_DIR(cmd), OMX_IOC_MAGIC, _IOC_NR(cmd), below(1 << 13));
			break;
		case 1:
			cmd = _IOC(below(4), OMX_IOC_MAGIC, _IOC_NR(cmd), _IOC_SIZE(cmd));
			break;
		default:
			cmd = _IOC(below(4), below(256), below(256), below(1 << 13));
			break;
		}
		mangled = cmd != c->cmd;
	}
	arg = c->size ? place(w, argbuf, size) : (uint8_t *)(uintptr_t)(chance(80) ? 0 : rnd());
	OP("ioctl %s%s fd=%d%s%s abi=%d ep=%d(%u,%u) arg=%s %p", c->name,
	   mangled ? " (number mangled)" : "", f->fd, f->raw ? " raw" : "",
	   "", f->abi, f->ep, f->board, f->index, where_name[w], (void *)arg);

	if (c->cmd == OMX_CMD_CLEAR_COUNTERS && fz.check_counters && !counters_settle()) {
		counters_match(0, true);
		counters_match(1, true);
		fail("drop counters differ from what the frames sent must have moved");
	}
	if (c->cmd == OMX_CMD_WAIT_EVENT && !mangled) {
		/* never block for good: a timer interrupts long waits (EINTR) */
		struct itimerval it = { .it_value = { .tv_usec = 20000 } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	ret = ioctl(f->fd, cmd, arg);
	e = errno;
	if (c->cmd == OMX_CMD_WAIT_EVENT && !mangled) {
		struct itimerval it = { 0 };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	fz.n_ioctl++;
	fz.sh->calls++;
	if (ret > 0)
		fail("%s returned %d, not 0 or -1", c->name, ret);
	if (ret == 0)
		fz.n_ok++;
	else
		count_errno(e);

	if (mangled) {
		/*
		 * a command of ours the driver does not know: nothing else is
		 * allowed (other magics may be the VFS's own, FIOCLEX...)
		 */
		if (_IOC_TYPE(cmd) == OMX_IOC_MAGIC && (ret == 0 || e != ENOTTY)) {
			bool known = false;
			size_t i;

			for (i = 0; i < NCMDS; i++)
				known |= cmds[i].cmd == cmd;
			if (!known)
				fail("unknown command 0x%lx: %s, expected ENOTTY", cmd,
				     ret ? strerror(e) : "success");
			/* it became another command: learn what it did */
			files_resync();
		}
		return;
	}
	if (ret && !documented_errno(e))
		fail("%s: undocumented errno %d (%s)", c->name, e, strerror(e));
	/* a version the driver does not speak leaves the file refusing all */
	if (c->cmd == OMX_CMD_DECLARE_ABI_VERSION && ret && e == EPROTO) {
		f->abi = 2;
		file_sync(f);
	}

	/* the rules of docs/abi.md that hold whatever the arguments */
	if (f->raw && !(c->flags & C_RAW)) {
		if (ret == 0 || e != ENOTTY)
			fail("%s on /dev/omx-raw: %s, expected ENOTTY", c->name,
			     ret ? strerror(e) : "success");
		return;
	}
	if (!(c->flags & C_ANY_ABI) && f->abi != 1) {
		if (ret == 0 || e != EPROTO)
			fail("%s before the ABI was agreed (state %d): %s, expected EPROTO",
			     c->name, f->abi, ret ? strerror(e) : "success");
		return;
	}
	if ((c->flags & C_ADMIN) && !fz.privileged && ret == 0)
		fail("%s succeeded without CAP_NET_ADMIN", c->name);
	if ((c->flags & C_EP) && !f->ep && (ret == 0 || e != ENOTCONN))
		fail("%s without an endpoint: %s, expected ENOTCONN", c->name,
		     ret ? strerror(e) : "success");
	if (ret)
		return;

	switch (c->cmd) {
	case OMX_CMD_DECLARE_ABI_VERSION:
		f->abi = *(uint32_t *)arg == OMX_ABI_VERSION ? 1 : 2;
		file_sync(f);
		break;
	case OMX_CMD_CLEAR_COUNTERS:
		fz.cleared = true;
		break;
	case OMX_CMD_OPEN_ENDPOINT: {
		struct omx_endpoint_open *a = (void *)arg;
		struct omx_endpoint_info info;

		if (f->ep)
			fail("OPEN_ENDPOINT on a file that has an endpoint succeeded");
		f->ep = true;
		f->board = a->board_index;
		f->index = a->endpoint_index;
		if (ioctl(f->fd, OMX_CMD_GET_ENDPOINT_INFO, &info) == 0) {
			f->session = info.session_id;
			if (f->board < OMX_MAX_BOARDS && f->index < 8)
				fz.sessions[f->board][f->index] = info.session_id;
		}
		fz.sh->calls++;
		file_sync(f);
		break;
	}
	case OMX_CMD_GET_ENDPOINT_SLOT: {
		/* a session id lets its holder inject frames: only for its owner or an admin */
		const struct omx_endpoint_slot *s = (const void *)arg;

		if (!fz.privileged && s->session_id && !own_pid(s->owner_pid))
			fail("GET_ENDPOINT_SLOT showed session 0x%x of board %u endpoint %u (pid %d) without CAP_NET_ADMIN",
			     s->session_id, s->board_index, s->endpoint_index, s->owner_pid);
		break;
	}
	case OMX_CMD_GET_ENDPOINT_STEERING: {
		const struct omx_endpoint_steering *s = (const void *)arg;
		pid_t owner;

		if (fz.privileged)
			break;
		owner = slot_owner(f->fd, s->board_index, s->endpoint_index);
		if (owner && !own_pid(owner))
			fail("GET_ENDPOINT_STEERING of board %u endpoint %u, opened by pid %d, succeeded without CAP_NET_ADMIN",
			     s->board_index, s->endpoint_index, owner);
		break;
	}
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* mmap */

static void op_mmap(void)
{
	static const size_t lens[] = {
		OMX_ENDPOINT_MMAP_LEN, OMX_ENDPOINT_MMAP_LEN, OMX_ENDPOINT_MMAP_LEN - PAGE,
		OMX_ENDPOINT_MMAP_LEN + PAGE, PAGE, OMX_RECVQ_OFFSET,
	};
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE,
		PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	struct fz_map *m = &fz.maps[below(NMAPS)];
	struct fz_file *f;

	if (m->addr && chance(50)) {
		struct omx_ring_ctrl *ctrl = m->addr;
		size_t off;

		switch (below(4)) {
		case 0:
			/* the library's consumer indexes: the driver must not trust them */
			if (m->prot & PROT_WRITE) {
				OP("mmap: write ring indexes at %p", m->addr);
				ctrl->exp_cons = r32();
				ctrl->unexp_cons = r32();
			}
			break;
		case 1:
			if (m->prot & PROT_READ) {
				off = below((uint32_t)m->len) & ~7UL;
				OP("mmap: read %p+%zu", m->addr, off);
				*(volatile uint64_t *)((uint8_t *)m->addr + off);
			}
			break;
		case 2:
			/* a piece of it: splits the mapping */
			off = below((uint32_t)(m->len / PAGE)) * PAGE;
			OP("mmap: munmap one page at %p+%zu", m->addr, off);
			munmap((uint8_t *)m->addr + off, PAGE);
			fz.n_mmap++;
			fz.sh->calls++;
			m->len = off;
			if (!off)
				m->addr = NULL;
			break;
		default:
			OP("mmap: mremap %p %zu", m->addr, m->len);
			if (mremap(m->addr, m->len, m->len + PAGE, 0) != MAP_FAILED)
				fail("mremap grew an omx mapping");
			fz.n_mmap++;
			fz.sh->calls++;
			break;
		}
		return;
	}
	if (m->addr) {
		OP("mmap: munmap %p %zu", m->addr, m->len);
		munmap(m->addr, m->len);
		m->addr = NULL;
		fz.n_mmap++;
		fz.sh->calls++;
		return;
	}
	f = pick_file();
	if (!f)
		return;
	m->len = chance(80) ? lens[below(sizeof(lens) / sizeof(lens[0]))] :
		(size_t)below(1 << 24) & ~(PAGE - 1);
	m->prot = prots[below(sizeof(prots) / sizeof(prots[0]))];
	{
		int flags = chance(85) ? MAP_SHARED : MAP_PRIVATE;
		off_t off = chance(80) ? 0 : (off_t)(below(1 << 12) * PAGE);

		OP("mmap fd=%d%s len=%zu prot=%d flags=%d off=%lld ep=%d", f->fd,
		   f->raw ? " raw" : "", m->len, m->prot, flags, (long long)off, f->ep);
		if (!m->len)
			m->len = PAGE;
		m->addr = mmap(NULL, m->len, m->prot, flags, f->fd, off);
		fz.n_mmap++;
		fz.sh->calls++;
		if (m->addr == MAP_FAILED) {
			count_errno(errno);
			m->addr = NULL;
			if (f->raw && errno != ENODEV)
				fail("mmap of /dev/omx-raw: %s, expected ENODEV", strerror(errno));
			return;
		}
		fz.n_ok++;
		if (f->raw)
			fail("mmap of /dev/omx-raw succeeded");
		if (off || m->len != OMX_ENDPOINT_MMAP_LEN || flags != MAP_SHARED)
			fail("mmap with offset %lld length %zu flags %d succeeded",
			     (long long)off, m->len, flags);
	}
}

/* ------------------------------------------------------------------ */
/* frames */

/*
 * A /dev/omx-raw file with the ABI declared, for the fuzzer's own set-up.
 * Under fault injection (tests/debug/failslab.sh) the driver may fail an
 * allocation with ENOMEM: the set-up is not what is fuzzed, so it tries
 * again (at most 1000 times).
 */
static int open_raw_declared(void)
{
	uint32_t v = OMX_ABI_VERSION;
	int fd, tries, err;

	for (tries = 0; tries < 1000; tries++) {
		fd = open(OMX_RAW_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && !ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v))
			return fd;
		err = errno;
		if (fd >= 0)
			close(fd);
		if (err != ENOMEM)
			break;
	}
	fail("cannot open %s: %s", OMX_RAW_DEVICE_PATH, strerror(err));
}

static int iface_board(const char *name)
{
	struct omx_board_info info;
	struct fz_file *f = NULL;
	uint32_t b;
	int i, found = -1, fd = -1;

	for (i = 0; i < NFILES; i++)
		if (fz.files[i].fd >= 0 && fz.files[i].abi == 1)
			f = &fz.files[i];
	if (!f)
		fd = open_raw_declared();
	for (b = 0; b < OMX_MAX_BOARDS && found < 0; b++) {
		memset(&info, 0, sizeof(info));
		info.board_index = b;
		if (ioctl(f ? f->fd : fd, OMX_CMD_GET_BOARD_INFO, &info) == 0 &&
		    !strcmp(info.ifname, name))
			found = (int)b;
	}
	if (fd >= 0)
		close(fd);
	return found;
}

static int get_counters(int board, uint64_t *values)
{
	struct omx_board_counters c;
	int fd = open(OMX_RAW_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	uint32_t v = OMX_ABI_VERSION;
	int ret;

	if (fd < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.board_index = (uint32_t)board;
	ret = ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v) ||
		ioctl(fd, OMX_CMD_GET_COUNTERS, &c);
	close(fd);
	if (ret)
		return -1;
	memcpy(values, c.values, sizeof(c.values));
	return 0;
}

static uint64_t read_u64_file(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned long long v = 0;

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static uint64_t tx_dropped(const struct fz_iface *i)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/tx_dropped", i->name);
	return read_u64_file(path);
}

static void refresh_boards(void)
{
	int i;

	for (i = 0; i < 2; i++)
		fz.ifs[i].board = iface_board(fz.ifs[i].name);
}

/* Sessions of the open endpoints of both boards (root sees them). */
static void refresh_sessions(void)
{
	struct omx_endpoint_slot s;
	int fd, i;
	uint32_t e, v = OMX_ABI_VERSION;

	if (!fz.privileged)
		return;
	fd = open(OMX_RAW_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &v) == 0) {
		for (i = 0; i < 2; i++) {
			if (fz.ifs[i].board < 0)
				continue;
			for (e = 0; e < 8; e++) {
				memset(&s, 0, sizeof(s));
				s.board_index = (uint32_t)fz.ifs[i].board;
				s.endpoint_index = e;
				if (ioctl(fd, OMX_CMD_GET_ENDPOINT_SLOT, &s) == 0)
					fz.sessions[s.board_index][e] = s.session_id;
			}
		}
	}
	close(fd);
}

/* The veth pair: names, indexes, MAC addresses (any user may read them). */
static void ifaces_init(const char *names)
{
	char buf[64], *comma;
	int i;

	snprintf(buf, sizeof(buf), "%s", names);
	comma = strchr(buf, ',');
	if (!comma) {
		fprintf(stderr, "omx_fuzz: --frames wants IF0,IF1\n");
		exit(2);
	}
	*comma = 0;
	if (strlen(buf) >= IFNAMSIZ || strlen(comma + 1) >= IFNAMSIZ) {
		fprintf(stderr, "omx_fuzz: interface name too long\n");
		exit(2);
	}
	memcpy(fz.ifs[0].name, buf, strlen(buf) + 1);
	memcpy(fz.ifs[1].name, comma + 1, strlen(comma + 1) + 1);
	for (i = 0; i < 2; i++) {
		struct fz_iface *it = &fz.ifs[i];
		char path[128];
		FILE *f;
		unsigned int m[6];
		int k;

		it->ifindex = (int)if_nametoindex(it->name);
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", it->name);
		f = fopen(path, "r");
		if (!it->ifindex || !f || fscanf(f, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2],
						 &m[3], &m[4], &m[5]) != 6) {
			fprintf(stderr, "omx_fuzz: no interface %s\n", it->name);
			exit(2);
		}
		fclose(f);
		for (k = 0; k < 6; k++)
			it->mac[k] = (uint8_t)m[k];
	}
	fz.ifaces = true;
}

/* Sockets to send on each side, and one that sees both ways (root). */
static void frames_init(void)
{
	struct sockaddr_ll sll;
	int i;

	for (i = 0; i < 2; i++) {
		struct fz_iface *it = &fz.ifs[i];

		it->sock = socket(AF_PACKET, SOCK_RAW, 0);
		if (it->sock < 0) {
			perror("omx_fuzz: AF_PACKET socket (needs CAP_NET_RAW)");
			exit(2);
		}
		memset(&sll, 0, sizeof(sll));
		sll.sll_family = AF_PACKET;
		sll.sll_ifindex = it->ifindex;
		if (bind(it->sock, (struct sockaddr *)&sll, sizeof(sll))) {
			perror("omx_fuzz: bind");
			exit(2);
		}
		it->tx_dropped0 = tx_dropped(it);
	}
	/* everything crossing the pair, both ways, seen on the first */
	fz.capture = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = fz.ifs[0].ifindex;
	if (fz.capture < 0 || bind(fz.capture, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("omx_fuzz: capture socket");
		exit(2);
	}
	fz.pool = calloc(POOL, sizeof(*fz.pool));
	if (!fz.pool)
		exit(2);
}

static void capture_drain(void)
{
	struct sockaddr_ll from;
	socklen_t fl;
	unsigned int n;

	for (n = 0; n < 4; n++) {
		struct fz_frame *p = &fz.pool[fz.pool_next];
		ssize_t len;

		fl = sizeof(from);
		len = recvfrom(fz.capture, p->data, sizeof(p->data), 0,
			       (struct sockaddr *)&from, &fl);
		fz.sh->calls++;
		if (len < 0)
			return;
		if (len < OMX_ETH_HLEN || ntohs(from.sll_protocol) != OMX_ETH_P)
			continue;
		p->len = (uint16_t)len;
		/* sent again the way it went: out of the first, or into it */
		p->via = from.sll_pkttype == PACKET_OUTGOING ? 0 : 1;
		/* a puller's handle: PULL_REPLYs and NACK_MCPs may name it */
		if (p->data[OMX_PTYPE_OFFSET] == OMX_PKT_TYPE_PULL) {
			struct omx_pkt pkt;

			if (omx_wire_decode(p->data, (size_t)len, &pkt) == OMX_WIRE_OK) {
				unsigned int h = below(8);

				fz.handles[h] = pkt.pull.src_pull_handle;
				fz.magics[h] = pkt.pull.src_magic;
			}
		}
		fz.pool_next = (fz.pool_next + 1) % POOL;
		if (fz.pool_n < POOL)
			fz.pool_n++;
	}
}

static const uint8_t frame_types[] = {
	OMX_PKT_TYPE_RAW, OMX_PKT_TYPE_HOST_QUERY, OMX_PKT_TYPE_HOST_REPLY,
	OMX_PKT_TYPE_TRUC, OMX_PKT_TYPE_CONNECT, OMX_PKT_TYPE_TINY,
	OMX_PKT_TYPE_SMALL, OMX_PKT_TYPE_MEDIUM, OMX_PKT_TYPE_RNDV,
	OMX_PKT_TYPE_PULL, OMX_PKT_TYPE_PULL_REPLY, OMX_PKT_TYPE_NOTIFY,
	OMX_PKT_TYPE_NACK_LIB, OMX_PKT_TYPE_NACK_MCP,
};

static void msg_fields(struct omx_pkt_msg *m, int board)
{
	m->match_info = rnd();
	m->dst_endpoint = (uint8_t)pick_endpoint();
	m->src_endpoint = (uint8_t)pick_endpoint();
	m->session = pick_session(board >= 0 ? (uint32_t)board : 0, m->dst_endpoint);
	m->lib_seqnum = (uint16_t)r32();
	m->lib_piggyack = (uint16_t)r32();
	m->src_generation = (uint8_t)r32();
}

/* A valid frame of a random type from @src to @dst, for @board; its length. */
static size_t build_frame(uint8_t *buf, const struct fz_iface *src,
			  const struct fz_iface *dst)
{
	struct omx_pkt p;
	uint32_t payload = 0;
	size_t hlen;
	int board = dst->board;

	memset(&p, 0, sizeof(p));
	memcpy(p.dst_mac, dst->mac, 6);
	memcpy(p.src_mac, src->mac, 6);
	p.peer_index = pick_peer();
	p.type = frame_types[below(sizeof(frame_types))];
	switch (p.type) {
	case OMX_PKT_TYPE_RAW:
		payload = below(OMX_RAW_FRAME_LEN_MAX - OMX_RAW_HLEN + 1);
		break;
	case OMX_PKT_TYPE_HOST_QUERY:
		memset(p.dst_mac, 0xff, 6);
		p.host_query.magic = r32();
		p.host_query.peer_index = pick_peer();
		break;
	case OMX_PKT_TYPE_HOST_REPLY:
		p.host_reply.magic = r32();
		p.host_reply.peer_index = pick_peer();
		p.host_reply.hostname_len = (uint8_t)(1 + below(OMX_HOSTNAME_LEN_MAX));
		payload = p.host_reply.hostname_len;
		break;
	case OMX_PKT_TYPE_TRUC:
		p.truc.dst_endpoint = (uint8_t)pick_endpoint();
		p.truc.src_endpoint = (uint8_t)pick_endpoint();
		p.truc.session = p.truc.ack_session =
			pick_session(board >= 0 ? (uint32_t)board : 0, p.truc.dst_endpoint);
		p.truc.acknum = r32();
		p.truc.lib_seqnum = (uint16_t)r32();
		p.truc.send_seq = (uint16_t)r32();
		break;
	case OMX_PKT_TYPE_CONNECT:
		p.connect.dst_endpoint = (uint8_t)pick_endpoint();
		p.connect.src_endpoint = (uint8_t)pick_endpoint();
		p.connect.is_reply = (uint8_t)below(2);
		p.connect.src_session_id = r32();
		p.connect.app_key = r32();
		p.connect.target_session_id = pick_session(board >= 0 ? (uint32_t)board : 0,
							   p.connect.dst_endpoint);
		p.connect.peer_index = pick_peer();
		p.connect.lib_seqnum = (uint16_t)r32();
		break;
	case OMX_PKT_TYPE_TINY:
	case OMX_PKT_TYPE_SMALL:
		msg_fields(&p.tiny.msg, board);
		p.tiny.length = (uint16_t)below((p.type == OMX_PKT_TYPE_TINY ?
						OMX_TINY_MAX : OMX_SMALL_MAX) + 1);
		payload = p.tiny.length;
		break;
	case OMX_PKT_TYPE_MEDIUM: {
		uint32_t fl = OMX_MEDIUM_FRAG_LEN_9000, n;

		msg_fields(&p.medium.msg, board);
		p.medium.msg_length = 1 + below(OMX_MEDIUM_MAX);
		n = (p.medium.msg_length + fl - 1) / fl;
		p.medium.frag_seqnum = (uint8_t)below(n);
		p.medium.frag_length = (uint16_t)(p.medium.frag_seqnum + 1U < n ? fl :
			p.medium.msg_length - p.medium.frag_seqnum * fl);
		payload = p.medium.frag_length;
		break;
	}
	case OMX_PKT_TYPE_RNDV:
		msg_fields(&p.rndv.msg, board);
		p.rndv.msg_length = r32();
		p.rndv.pulled_rdma_id = (uint8_t)below(6);
		p.rndv.pulled_rdma_seqnum = (uint8_t)below(4);
		break;
	case OMX_PKT_TYPE_PULL:
		p.pull.dst_endpoint = (uint8_t)pick_endpoint();
		p.pull.src_endpoint = (uint8_t)pick_endpoint();
		p.pull.session = pick_session(board >= 0 ? (uint32_t)board : 0, p.pull.dst_endpoint);
		p.pull.total_length = 1 + below(1 << 20);
		p.pull.block_length = 1 + below(p.pull.total_length < OMX_PULL_BLOCK_LEN_9000 ?
						 p.pull.total_length : OMX_PULL_BLOCK_LEN_9000);
		p.pull.first_frame_offset = below(64);
		if (p.pull.first_frame_offset + p.pull.block_length > OMX_PULL_BLOCK_LEN_MAX)
			p.pull.first_frame_offset = 0;
		p.pull.pulled_rdma_id = below(6);
		p.pull.pulled_rdma_seqnum = (uint8_t)below(4);
		p.pull.pulled_rdma_offset = below(PAGE);
		p.pull.src_pull_handle = r32();
		p.pull.src_magic = OMX_PULL_MAGIC(p.pull.src_endpoint);
		p.pull.frame_index = below(64);
		break;
	case OMX_PKT_TYPE_PULL_REPLY: {
		unsigned int h = below(8);

		p.pull_reply.dst_pull_handle = chance(60) ? fz.handles[h] : r32();
		p.pull_reply.dst_magic = chance(60) ? fz.magics[h] : OMX_PULL_MAGIC(pick_endpoint());
		p.pull_reply.msg_offset = below(1 << 16);
		p.pull_reply.frame_length = (uint16_t)(1 + below(OMX_PULL_REPLY_LEN_9000));
		p.pull_reply.frame_seqnum = (uint8_t)below(64);
		payload = p.pull_reply.frame_length;
		break;
	}
	case OMX_PKT_TYPE_NOTIFY:
		p.notify.dst_endpoint = (uint8_t)pick_endpoint();
		p.notify.src_endpoint = (uint8_t)pick_endpoint();
		p.notify.session = pick_session(board >= 0 ? (uint32_t)board : 0,
						p.notify.dst_endpoint);
		p.notify.total_length = r32();
		p.notify.lib_seqnum = (uint16_t)r32();
		p.notify.pulled_rdma_id = (uint8_t)below(6);
		break;
	case OMX_PKT_TYPE_NACK_LIB:
		p.nack_lib.dst_endpoint = (uint8_t)pick_endpoint();
		p.nack_lib.src_endpoint = (uint8_t)pick_endpoint();
		p.nack_lib.peer_index = pick_peer();
		p.nack_lib.lib_seqnum = (uint16_t)r32();
		p.nack_lib.nack_type = (uint8_t)(1 + below(OMX_NACK_TYPE_NR - 1));
		break;
	case OMX_PKT_TYPE_NACK_MCP:
		p.nack_mcp.dst_endpoint = (uint8_t)pick_endpoint();
		p.nack_mcp.src_pull_handle = chance(60) ? fz.handles[below(8)] : r32();
		p.nack_mcp.src_magic = OMX_PULL_MAGIC(p.nack_mcp.dst_endpoint);
		p.nack_mcp.nack_type = (uint8_t)(1 + below(OMX_NACK_TYPE_NR - 1));
		break;
	}
	hlen = omx_wire_encode(&p, buf, FRAME_MAX);
	if (!hlen)
		fail("the codec did not encode a %s frame", omx_wire_type_name(p.type));
	rnd_fill(buf + hlen, payload);
	return hlen + payload;
}

static void mutate_frame(uint8_t *buf, size_t *len, const struct fz_iface *rx)
{
	unsigned int i, n = 1 + below(4);

	for (i = 0; i < n; i++) {
		size_t at;

		switch (below(9)) {
		case 0:
		case 1:
			/* in the headers, where the decisions are */
			at = OMX_HEAD_LEN + below(48);
			if (at < *len)
				buf[at] ^= (uint8_t)(1u << below(8));
			break;
		case 2:
			at = below((uint32_t)*len);
			buf[at] = (uint8_t)(chance(50) ? r32() : chance(50) ? 0xff : 0);
			break;
		case 3:
			/* another packet type, defined or not */
			buf[OMX_PTYPE_OFFSET] = (uint8_t)(chance(70) ?
				frame_types[below(sizeof(frame_types))] : r32());
			break;
		case 4:
			/* truncated, never below an Ethernet header */
			*len = OMX_ETH_HLEN + below((uint32_t)(*len - OMX_ETH_HLEN + 1));
			break;
		case 5:
			/* longer, up to the MTU */
			at = below(FRAME_MAX - (uint32_t)*len + 1);
			rnd_fill(buf + *len, at);
			*len += at;
			break;
		case 6:
			/* addresses: broadcast, multicast, someone else, the receiver itself */
			switch (below(5)) {
			case 0:
				memset(buf, 0xff, 6);
				break;
			case 1:
				buf[0] |= 1;
				break;
			case 2:
				buf[5] ^= 0x40;
				break;
			case 3:
				memcpy(buf + 6, rx->mac, 6);
				break;
			default:
				buf[6] |= 1;
				break;
			}
			break;
		case 7:
			/* the 16-bit lengths and indexes at the usual places */
			at = OMX_HEAD_LEN + 2 * below(24);
			if (at + 1 < *len) {
				uint16_t v = (uint16_t)r32();

				buf[at] = (uint8_t)(v >> 8);
				buf[at + 1] = (uint8_t)v;
			}
			break;
		default:
			/* rarely the ethertype: never a VLAN tag, whose inner frame
			 * the kernel would hand to omx without the tag */
			if (chance(10)) {
				buf[12] = (uint8_t)r32();
				buf[13] = (uint8_t)r32();
				if ((buf[12] == 0x81 && buf[13] == 0x00) ||
				    (buf[12] == 0x88 && buf[13] == 0xa8))
					buf[13] ^= 1;
			}
			break;
		}
	}
}

/*
 * The counter a frame of @len bytes arriving on @rx moves, as the driver
 * must decide before any endpoint is looked at; OMX_COUNTER_NR if a
 * handler takes it (its outcome depends on state), -1 if omx never sees
 * it (another ethertype).
 */
static int predict(const uint8_t *f, size_t len, const struct fz_iface *rx)
{
	static const uint8_t zero[6];
	const uint8_t *dst = f, *src = f + 6;
	enum omx_counter_index c;
	unsigned int type;

	if (len < OMX_ETH_HLEN || f[12] != 0x86 || f[13] != 0xdf)
		return -1;
	if (!(dst[0] & 1) && memcmp(dst, rx->mac, 6))
		return OMX_COUNTER_RX_DROP_OTHER_HOST;
	if (!memcmp(src, rx->mac, 6))
		return OMX_COUNTER_RX_DROP_OWN_MAC;
	if ((src[0] & 1) || !memcmp(src, zero, 6))
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	c = omx_wire_verdict_counter(omx_wire_validate(f, len));
	if (c != OMX_COUNTER_NR)
		return c;
	type = f[OMX_PTYPE_OFFSET];
	/* RAW frames are for user space (/dev/omx-raw), not the driver */
	if (type == OMX_PKT_TYPE_RAW)
		return OMX_COUNTER_RX_DROP_UNSUPPORTED;
	if (dst[0] & 1) {
		bool bcast = !memcmp(dst, "\xff\xff\xff\xff\xff\xff", 6);

		if (!bcast || type != OMX_PKT_TYPE_HOST_QUERY)
			return OMX_COUNTER_RX_DROP_BAD_HEADER;
	}
	return OMX_COUNTER_NR;
}

/*
 * The counters predict() decides exactly: the driver's own frames are
 * valid, so only ours can move them.  Two more get at least what we
 * predict: BAD_HEADER (also a full peer table) and OTHER_HOST (also the
 * driver's frames to peers the fuzzer made up, which cross the pair).
 */
static const int exact_counters[] = {
	OMX_COUNTER_RX_DROP_TOO_SHORT, OMX_COUNTER_RX_DROP_BAD_TYPE,
	OMX_COUNTER_RX_DROP_UNSUPPORTED, OMX_COUNTER_RX_DROP_BAD_LENGTH,
	OMX_COUNTER_RX_DROP_BAD_FRAG, OMX_COUNTER_RX_DROP_BAD_NACK,
	OMX_COUNTER_RX_DROP_BAD_SUBTYPE, OMX_COUNTER_RX_DROP_OWN_MAC,
};
#define NEXACT (sizeof(exact_counters) / sizeof(exact_counters[0]))
static const char *counter_names[OMX_COUNTER_NR] = OMX_COUNTER_NAMES;
static const int atleast_counters[] = {
	OMX_COUNTER_RX_DROP_BAD_HEADER, OMX_COUNTER_RX_DROP_OTHER_HOST,
};

static void op_frame(void)
{
	static uint8_t buf[FRAME_MAX + 64];
	unsigned int via;
	struct fz_iface *tx, *rx;
	size_t len;
	ssize_t n;
	int c;

	if (below(4) == 0)
		capture_drain();
	if (fz.pool_n && chance(30)) {
		struct fz_frame *p = &fz.pool[below(fz.pool_n)];

		via = p->via;
		len = p->len;
		memcpy(buf, p->data, len);
		tx = &fz.ifs[via];
		rx = &fz.ifs[1 - via];
	} else {
		via = below(2);
		tx = &fz.ifs[via];
		rx = &fz.ifs[1 - via];
		len = build_frame(buf, tx, rx);
	}
	if (chance(75))
		mutate_frame(buf, &len, rx);
	c = predict(buf, len, rx);
	OP("frame %zu bytes type %u (%s) via %s, expected %d", len, buf[OMX_PTYPE_OFFSET],
	   omx_wire_type_name(buf[OMX_PTYPE_OFFSET]), tx->name, c);
	n = send(tx->sock, buf, len, 0);
	fz.n_frame++;
	fz.sh->calls++;
	if (n < 0) {
		count_errno(errno);
		return;
	}
	if ((size_t)n != len)
		fail("sent %zd of %zu bytes", n, len);
	fz.sent[1 - via]++;
	if (c >= 0 && c < OMX_COUNTER_NR)
		fz.expect[1 - via][c]++;
}

/* The boards got what the frames should have moved, once processed. */
static bool counters_match(int side, bool report)
{
	uint64_t now[OMX_COUNTERS_MAX];
	bool ok = true;
	size_t i;

	if (fz.ifs[side].board < 0 || get_counters(fz.ifs[side].board, now))
		return false;
	for (i = 0; i < NEXACT; i++) {
		int c = exact_counters[i];
		uint64_t got = now[c] - fz.base[side][c];

		if (got != fz.expect[side][c]) {
			ok = false;
			if (report)
				printf("omx_fuzz: board %d (%s) %s: %" PRIu64
				       " since the start, expected %" PRIu64 "\n",
				       fz.ifs[side].board, fz.ifs[side].name, counter_names[c], got,
				       fz.expect[side][c]);
		}
	}
	for (i = 0; i < 2; i++) {
		int c = atleast_counters[i];
		uint64_t got = now[c] - fz.base[side][c];

		if (got < fz.expect[side][c]) {
			ok = false;
			if (report)
				printf("omx_fuzz: board %d (%s) %s: %" PRIu64
				       " since the start, expected at least %" PRIu64 "\n",
				       fz.ifs[side].board, fz.ifs[side].name, counter_names[c], got,
				       fz.expect[side][c]);
		}
	}
	return ok;
}

/* Wait (2 s at most) for the frames sent to be processed. */
static bool counters_settle(void)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (counters_match(0, false) && counters_match(1, false))
			return true;
		usleep(10000);
	}
	return false;
}

static void counters_rebase(void)
{
	int side, c;

	for (side = 0; side < 2; side++) {
		for (c = 0; c < OMX_COUNTER_NR; c++)
			fz.total[c] += fz.expect[side][c];
		if (fz.ifs[side].board < 0 || get_counters(fz.ifs[side].board, fz.base[side]))
			fail("cannot read the counters of %s", fz.ifs[side].name);
		memset(fz.expect[side], 0, sizeof(fz.expect[side]));
	}
}

static void counters_final(void)
{
	uint64_t dropped = 0;
	int side;

	for (side = 0; side < 2; side++)
		dropped += tx_dropped(&fz.ifs[side]) - fz.ifs[side].tx_dropped0;
	if (counters_settle()) {
		uint64_t total = 0;
		size_t i;

		for (side = 0; side < 2; side++)
			for (i = 0; i < OMX_COUNTER_NR; i++)
				fz.total[i] += fz.expect[side][i];
		for (i = 0; i < NEXACT; i++)
			total += fz.total[exact_counters[i]];
		printf("omx_fuzz: counters exact: %" PRIu64 " malformed or misaddressed frames counted where expected:",
		       total);
		for (i = 0; i < NEXACT; i++)
			printf(" %s=%" PRIu64, counter_names[exact_counters[i]], fz.total[exact_counters[i]]);
		for (i = 0; i < 2; i++)
			printf(" %s>=%" PRIu64, counter_names[atleast_counters[i]],
			       fz.total[atleast_counters[i]]);
		printf("\n");
		return;
	}
	counters_match(0, true);
	counters_match(1, true);
	if (dropped)
		printf("omx_fuzz: %" PRIu64 " frames were dropped by the veth pair itself\n", dropped);
	fail("drop counters differ from what the frames sent must have moved");
}

/* ------------------------------------------------------------------ */
/* everything else */

static void op_other(void)
{
	struct fz_file *f;
	int i;

	fz.n_other++;
	switch (below(12)) {
	case 0:
	case 1:
	case 2:
		/* mostly files that are ready to work */
		f = file_open(chance(25));
		if (f && chance(90)) {
			uint32_t v = OMX_ABI_VERSION;

			OP("open + declare fd=%d", f->fd);
			if (ioctl(f->fd, OMX_CMD_DECLARE_ABI_VERSION, &v) == 0)
				f->abi = 1;
			fz.sh->calls++;
		}
		break;
	case 3:
		f = pick_file();
		if (f) {
			OP("close fd=%d ep=%d", f->fd, f->ep);
			file_close(f);
		}
		break;
	case 4: {
		struct pollfd p;

		f = pick_file();
		if (!f)
			break;
		p.fd = f->fd;
		p.events = POLLIN | POLLOUT | POLLPRI;
		OP("poll fd=%d", f->fd);
		poll(&p, 1, 0);
		fz.sh->calls++;
		break;
	}
	case 5: {
		char b[64];

		f = pick_file();
		if (!f)
			break;
		OP("read/write/lseek fd=%d", f->fd);
		if (read(f->fd, b, sizeof(b)) >= 0 || write(f->fd, b, sizeof(b)) >= 0)
			fail("read or write on an omx file succeeded");
		lseek(f->fd, 0, SEEK_SET);
		fz.sh->calls += 3;
		break;
	}
	case 6:
		/* the memory regions were registered from goes away and comes back */
		i = (int)below(RW_PAGES - 4);
		OP("remap arena pages %d..%d", i, i + 3);
		if (mmap(arena_page((unsigned int)i), 4 * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			fail("remapping the arena: %s", strerror(errno));
		break;
	case 7:
		OP("madvise DONTNEED of the big area");
		madvise(fz.big, BIG_LEN, MADV_DONTNEED);
		break;
	case 8: {
		/* a child shares the files and mappings, works a little, dies */
		pid_t pid;
		int st;

		if (!chance(20))
			break;
		OP("fork");
		pid = fork();
		if (pid == 0) {
			fz.in_child = true;
			add_own(getpid());
			for (i = 0; i < 16; i++)
				op_ioctl();
			_exit(0);
		}
		if (pid < 0)
			break;
		add_own(pid);
		if (waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
			fail("a forked child failed (status 0x%x)", st);
		/* it may have declared ABIs and opened endpoints on our files */
		files_resync();
		break;
	}
	case 9:
		if (fz.ifaces)
			refresh_boards();
		break;
	default: {
		/* dup2 one file over another: the old one is closed */
		struct fz_file *a = pick_file(), *b = pick_file();

		if (a && b && a != b) {
			OP("dup2 fd=%d over fd=%d", a->fd, b->fd);
			if (dup2(a->fd, b->fd) == b->fd) {
				if (b->ep && b->board < OMX_MAX_BOARDS && b->index < 8 &&
				    !(a->ep && a->board == b->board && a->index == b->index))
					fz.sessions[b->board][b->index] = 0;
				b->raw = a->raw;
				b->abi = a->abi;
				b->ep = a->ep;
				b->board = a->board;
				b->index = a->index;
				b->session = a->session;
				b->ofd = a->ofd;
			}
			fz.sh->calls++;
		}
		break;
	}
	}
}

/* ------------------------------------------------------------------ */

static void peers_init(void)
{
	struct omx_peer_lookup l;
	int fd, i;

	fd = open_raw_declared();
	for (i = 0; i < 2; i++) {
		memset(&l, 0, sizeof(l));
		l.flags = OMX_PEER_LOOKUP_CREATE;
		memcpy(l.mac, fz.ifs[i].mac, 6);
		fz.peers[i] = ioctl(fd, OMX_CMD_PEER_LOOKUP, &l) == 0 ? l.peer_index : (uint32_t)i;
	}
	close(fd);
}

static void noop(int sig)
{
	(void)sig;
}

static void worker(void)
{
	unsigned int op;
	struct timespec t0, t1;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = noop;	/* no SA_RESTART: a long wait ends in EINTR */
	sigaction(SIGALRM, &sa, NULL);

	add_own(getpid());
	arena_init();
	if (fz.ifaces) {
		refresh_boards();
		refresh_sessions();
		peers_init();
		if (fz.check_counters)
			counters_rebase();
	}
	/* files ready to work, as a library has them; op_other() opens more */
	for (op = 0; op < 4 && !fz.frames_only; op++) {
		struct fz_file *f;
		uint32_t v = OMX_ABI_VERSION;
		int tries, err;

		/* ENOMEM: fault injection, try again (see open_raw_declared) */
		for (tries = 0; ; tries++) {
			f = file_open(op == 3);
			if (f && !ioctl(f->fd, OMX_CMD_DECLARE_ABI_VERSION, &v))
				break;
			err = errno;
			if (f)
				file_close(f);
			if (err != ENOMEM || tries >= 999)
				fail("cannot open and declare the ABI: %s", strerror(err));
		}
		f->abi = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (fz.iter = 0; fz.iter < fz.iterations; fz.iter++) {
		fz.rng = mix64(fz.seed ^ mix64(fz.iter));
		fz.sh->iter = fz.iter;
		snprintf(fz.sh->op, sizeof(fz.sh->op), "(choosing)");
		op = below(100);
		if (fz.frames_only) {
			op_frame();
			if (fz.iter % 512 == 511) {
				refresh_boards();
				refresh_sessions();
			}
		} else if (fz.frames && op < 25) {
			op_frame();
		} else if (op < 88) {
			fz.cleared = false;
			op_ioctl();
			if (fz.check_counters && fz.cleared)
				/* counts start again from zero (op_ioctl settled them first) */
				counters_rebase();
		} else if (op < 95) {
			op_mmap();
		} else {
			op_other();
		}
		/* interfaces come and go under an unprivileged run */
		if (fz.ifaces && !fz.check_counters && fz.iter % 256 == 255)
			refresh_boards();
		check_tainted();
		if (!fz.quiet && fz.iter && fz.iter % 20000 == 0)
			printf("omx_fuzz: iteration %" PRIu64 ", %" PRIu64 " calls\n", fz.iter,
			       (uint64_t)fz.sh->calls);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (fz.frames && fz.check_counters)
		counters_final();
	{
		double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		uint64_t calls = fz.sh->calls;

		printf("omx_fuzz: seed %" PRIu64 ": %" PRIu64 " iterations, %" PRIu64
		       " calls (ioctl %" PRIu64 ", mmap %" PRIu64 ", frames %" PRIu64
		       ", other %" PRIu64 "), %" PRIu64 " succeeded, in %.1f s: %.0f calls/s\n",
		       fz.seed, fz.iterations, calls, fz.n_ioctl, fz.n_mmap, fz.n_frame,
		       fz.n_other, fz.n_ok, s, s > 0 ? calls / s : 0);
		printf("omx_fuzz: errnos:");
		for (int e = 1; e < 160; e++)
			if (fz.n_errno[e])
				printf(" %s=%" PRIu64, strerrorname_np(e) ? strerrorname_np(e) : "?",
				       fz.n_errno[e]);
		printf("\n");
		if (fz.frames)
			printf("omx_fuzz: frames into %s: %" PRIu64 ", into %s: %" PRIu64 "\n",
			       fz.ifs[1].name, fz.sent[1], fz.ifs[0].name, fz.sent[0]);
	}
	fflush(stdout);
}

/* The parent: reports a worker that died or hangs, with its iteration. */
static int watch(pid_t pid)
{
	uint64_t last = (uint64_t)-1;
	int idle = 0, st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			break;
		sleep(1);
		if (fz.sh->calls != last) {
			last = fz.sh->calls;
			idle = 0;
		} else if (++idle >= 30) {
			printf("omx_fuzz: FAILED: no progress for 30 s at iteration %" PRIu64
			       " of seed %" PRIu64 "; last operation: %s\n", fz.sh->iter, fz.seed,
			       fz.sh->op);
			printf("omx_fuzz: reproduce with: omx_fuzz --seed %" PRIu64 " --iterations %"
			       PRIu64 " (same options otherwise)\n", fz.seed, fz.sh->iter + 1);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return 1;
		}
	}
	if (WIFSIGNALED(st)) {
		printf("omx_fuzz: FAILED: the worker was killed by signal %d (%s) at iteration %"
		       PRIu64 " of seed %" PRIu64 "; last operation: %s\n", WTERMSIG(st),
		       strsignal(WTERMSIG(st)), fz.sh->iter, fz.seed, fz.sh->op);
		printf("omx_fuzz: reproduce with: omx_fuzz --seed %" PRIu64 " --iterations %" PRIu64
		       " (same options otherwise)\n", fz.seed, fz.sh->iter + 1);
		return 1;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_fuzz [-s SEED] [-n ITERATIONS] [-f IF0,IF1 [-F] [-c] | -i IF0,IF1] [-q]\n"
		"  -s, --seed S          seed (default: random, printed)\n"
		"  -n, --iterations N    operations (default 10000)\n"
		"  -f, --frames IF0,IF1  also send frames across this veth pair (needs CAP_NET_RAW)\n"
		"  -i, --ifaces IF0,IF1  no frames, but aim at the boards of that pair\n"
		"  -F, --frames-only     only frames\n"
		"  -c, --check-counters  check the boards' drop counters (no detach meanwhile)\n"
		"  -q, --quiet           no progress lines\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "frames", required_argument, NULL, 'f' },
		{ "ifaces", required_argument, NULL, 'i' },
		{ "frames-only", no_argument, NULL, 'F' },
		{ "check-counters", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *frames = NULL, *ifaces = NULL;
	bool seeded = false;
	pid_t pid;
	int c, i;

	fz.iterations = 10000;
	while ((c = getopt_long(argc, argv, "s:n:f:i:Fcqh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			fz.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			fz.iterations = strtoull(optarg, NULL, 0);
			break;
		case 'f':
			frames = optarg;
			break;
		case 'i':
			ifaces = optarg;
			break;
		case 'F':
			fz.frames_only = true;
			break;
		case 'c':
			fz.check_counters = true;
			break;
		case 'q':
			fz.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || ((fz.frames_only || fz.check_counters) && !frames)) {
		usage(stderr);
		return 2;
	}
	if (!seeded) {
		int fd = open("/dev/urandom", O_RDONLY);

		if (fd < 0 || read(fd, &fz.seed, sizeof(fz.seed)) != sizeof(fz.seed))
			fz.seed = (uint64_t)time(NULL);
		if (fd >= 0)
			close(fd);
		fz.seed &= 0xffffffffffffULL;	/* short enough to type */
	}
	fz.privileged = have_net_admin();
	for (i = 0; i < NFILES; i++)
		fz.files[i].fd = -1;
	fz.sh = mmap(NULL, sizeof(*fz.sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fz.tainted_fd = open("/proc/sys/kernel/tainted", O_RDONLY | O_CLOEXEC);
	if (fz.sh == MAP_FAILED || fz.tainted_fd < 0) {
		perror("omx_fuzz");
		return 2;
	}
	fz.tainted0 = read_tainted();
	fz.ifs[0].board = fz.ifs[1].board = -1;
	fz.peers[1] = 1;
	if (frames || ifaces)
		ifaces_init(frames ? frames : ifaces);
	if (frames) {
		fz.frames = true;
		frames_init();
	}
	printf("omx_fuzz: seed %" PRIu64 ", %" PRIu64 " iterations, uid %d, %s%s%s\n", fz.seed,
	       fz.iterations, (int)getuid(), fz.privileged ? "CAP_NET_ADMIN" : "unprivileged",
	       frames ? ", frames on " : ifaces ? ", interfaces " : "",
	       frames ? frames : ifaces ? ifaces : "");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("omx_fuzz: fork");
		return 2;
	}
	if (pid == 0) {
		worker();
		_exit(0);
	}
	return watch(pid);
}
