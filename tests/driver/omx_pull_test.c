// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_pull_test: large messages through raw ioctls and the mmap'ed rings
 * (not the MX library): region registration and its errors, the
 * invalidation flags, RNDV/NOTIFY, pulls over the wire and inside the
 * host, byte for byte, refusals (NACK_MCP statuses), concurrent pulls,
 * a sender killed mid-pull and the pinned page accounting.
 *
 *   omx_pull_test pair                 veth pair: boards 0 and 1 of one host
 *   omx_pull_test lossy N SIZE         N wire pulls of SIZE bytes 0 -> 1, then 150 of
 *                                      64 KiB (netem on veth0)
 *   omx_pull_test wire N SIZE          N wire pulls of SIZE bytes 0 -> 1, odd segments
 *                                      and offsets on both sides, no loss expected
 *   omx_pull_test rsend MAC SIZE       twonode sender: endpoint 1 of board 0 registers
 *                                      SIZE bytes, prints "ready SESSION", reads the
 *                                      puller's session on stdin, exposes the bytes by
 *                                      a RNDV to endpoint 1 of MAC, sleeps in
 *                                      WAIT_EVENT until the NOTIFY
 *   omx_pull_test rrecv MAC SESSION SIZE
 *                                      twonode puller (endpoint 1 of board 0): prints
 *                                      "ready SESSION", waits for the RNDV of MAC's
 *                                      endpoint 1 (session SESSION), pulls it all,
 *                                      checks, NOTIFYs
 *   omx_pull_test dmafail SIZE DIR     a wire pull 0 -> 1 of SIZE bytes whose sender dies
 *                                      while its receive copies are in the DMA engine
 *                                      whose counters are in DIR (omx_swdma's sysfs
 *                                      directory; tests/dmaengine/offload.sh): the
 *                                      PULL_DONE waits for every copy
 *   omx_pull_test order ROUNDS N SIZE  ROUNDS times, N wire pulls of SIZE bytes 0 -> 1 by
 *                                      one endpoint, started at once by two threads bound
 *                                      to CPUs 0 and 1; no loss expected, so no
 *                                      re-request may be inferred from the order of
 *                                      arrival (pull_fast_resent stays 0)
 *   omx_pull_test idle                 GET_DRIVER_INFO shows nothing pinned (waits up to 5 s)
 *
 * Only the endpoint a region's RNDV was sent to may pull it, with the
 * RNDV's token (docs/security.md): every pull here follows a RNDV.
 *
 * Prints one "ok ..." or "FAIL ..." line per check; exits 1 on any FAIL.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_wire.h"
#include "raw_ep.h"

static void check_err(const char *what, int got, int want)
{
	report(got == want, "%s: errno %d (%s), expected %d", what, got, strerror(got), want);
}

/*
 * A region: segments of odd sizes, each in its own mapping at @misalign
 * bytes from a page start, so that segments and pages never line up.
 */
#define SEGS_MAX 8

struct buf {
	unsigned int nsegs;
	uint64_t len;
	struct omx_region_segment segs[SEGS_MAX];
	uint8_t *maps[SEGS_MAX];
	size_t maplen[SEGS_MAX];
	uint32_t id;
	uint8_t seqnum;
	uint16_t token_lo;	/* from the RNDV that exposed it */
	uint32_t token_hi;
};

static void buf_alloc(struct buf *b, uint64_t len, unsigned int nsegs, unsigned int misalign)
{
	uint64_t left = len;

	memset(b, 0, sizeof(*b));
	b->nsegs = nsegs;
	b->len = len;
	for (unsigned int i = 0; i < nsegs; i++) {
		/* uneven split: the first segments get odd sizes, the last the rest */
		uint64_t l = i + 1 == nsegs ? left : left / (nsegs - i) + (i % 2 ? 4095 : -4097);

		if (l > left || !l)
			l = left / (nsegs - i);
		b->maplen[i] = (l + misalign + 4095) & ~(size_t)4095;
		b->maps[i] = mmap(NULL, b->maplen[i], PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b->maps[i] == MAP_FAILED) {
			perror("mmap buffer");
			exit(2);
		}
		b->segs[i].vaddr = (uintptr_t)b->maps[i] + misalign;
		b->segs[i].length = l;
		left -= l;
	}
}

static void buf_free(struct buf *b)
{
	for (unsigned int i = 0; i < b->nsegs; i++)
		munmap(b->maps[i], b->maplen[i]);
}

static uint8_t pattern(uint64_t off, unsigned int seed)
{
	uint64_t x = (off + seed) * 0x9e3779b97f4a7c15ULL;

	return (uint8_t)(x >> 56);
}

static void buf_fill(struct buf *b, unsigned int seed, int constant)
{
	uint64_t off = 0;

	for (unsigned int i = 0; i < b->nsegs; i++) {
		uint8_t *p = (uint8_t *)(uintptr_t)b->segs[i].vaddr;

		for (uint64_t j = 0; j < b->segs[i].length; j++, off++)
			p[j] = constant ? (uint8_t)seed : pattern(off, seed);
	}
}

/* Local [loff, loff+len) holds remote [roff, ...) of pattern @seed; the rest 0xee. */
static int buf_check(struct buf *b, uint64_t loff, uint64_t roff, uint64_t len, unsigned int seed)
{
	uint64_t off = 0;

	for (unsigned int i = 0; i < b->nsegs; i++) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)b->segs[i].vaddr;

		for (uint64_t j = 0; j < b->segs[i].length; j++, off++) {
			uint8_t want = off >= loff && off < loff + len ?
				pattern(off - loff + roff, seed) : 0xee;

			if (p[j] != want) {
				printf("  byte %llu: 0x%02x, expected 0x%02x\n",
				       (unsigned long long)off, p[j], want);
				return 0;
			}
		}
	}
	return 1;
}

static int reg(struct ep *ep, struct buf *b, uint32_t id, uint32_t flags)
{
	struct omx_cmd_region r = {
		.id = id, .nr_segments = b->nsegs, .flags = flags,
		.segments = (uintptr_t)b->segs,
	};
	int err = xioctl(ep->fd, OMX_CMD_REGISTER_REGION, &r);

	if (!err) {
		b->id = id;
		b->seqnum = r.seqnum;
		if (r.length != b->len)
			report(0, "REGISTER length %llu, expected %llu",
			       (unsigned long long)r.length, (unsigned long long)b->len);
	}
	return err;
}

static int dereg(struct ep *ep, uint32_t id)
{
	return xioctl(ep->fd, OMX_CMD_DEREGISTER_REGION, &id);
}

static int pull(struct ep *r, int peer, struct ep *s, uint32_t session, struct buf *sb,
		uint32_t roff, struct buf *rb, uint32_t loff, uint32_t len, uint64_t cookie)
{
	struct omx_cmd_pull c = {
		.peer_index = (uint16_t)peer, .dst_endpoint = (uint8_t)s->info.endpoint_index,
		.remote_rdma_id = (uint8_t)sb->id, .session = session, .length = len,
		.remote_offset = sb->token_lo + roff, .local_region_id = rb->id,
		.local_offset = loff, .remote_rdma_seqnum = sb->seqnum,
		.remote_token_hi = sb->token_hi, .cookie = cookie,
	};

	return xioctl(r->fd, OMX_CMD_PULL, &c);
}

/* @s's RNDV for @sb (length @len) to @r's endpoint at @peer: its token. */
static int send_rndv(struct ep *s, int peer, uint32_t r_endpoint, uint32_t r_session,
		     const struct buf *sb, uint32_t len)
{
	struct omx_cmd_send_rndv rv = {
		.peer_index = (uint16_t)peer, .dst_endpoint = (uint8_t)r_endpoint,
		.session = r_session, .rdma_id = (uint8_t)sb->id, .rdma_seqnum = sb->seqnum,
		.msg_length = len, .seqnum = 7,
	};

	return xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv);
}

/*
 * The next RNDV for @sb's region (id and seqnum) on @r's unexpected ring
 * within @ms: its token into @sb.  Others are skipped: under netem
 * duplication a copy of the previous case's RNDV may still be on the
 * ring, and its token would be refused (pull_pair failed so with status
 * BAD_RDMAWIN).
 */
static int take_rndv(struct ep *r, struct buf *sb, unsigned int ms)
{
	struct omx_event e;

	while (next_event(r, 1, ms, &e) == 0) {
		if (e.type != OMX_EVT_RECV_RNDV || e.rndv.rdma_id != (uint8_t)sb->id ||
		    e.rndv.rdma_seqnum != (uint8_t)sb->seqnum)
			continue;
		sb->token_lo = e.rndv.rdma_offset;
		sb->token_hi = e.rndv.token_hi;
		return 0;
	}
	return -1;
}

/*
 * Expose @sb to @r as the library does: a RNDV from @s, its token kept.
 * Under netem the RNDV itself may be lost (pull_pair failed so in CI with
 * "no RNDV event"); like the library, send it again.  A resent RNDV for
 * the same message carries the same token, so a late copy is harmless.
 */
static void grant(struct ep *s, struct ep *r, struct buf *sb)
{
	uint32_t len = sb->len > 0xffffffffULL ? 0xffffffffU : (uint32_t)sb->len;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		if (send_rndv(s, mac_peer(s->fd, r->info.mac), r->info.endpoint_index,
			      r->info.session_id, sb, len))
			break;
		if (!take_rndv(r, sb, 1000))
			return;
	}
	report(0, "no RNDV exposing region %u to endpoint %u after %d sends", sb->id,
	       r->info.endpoint_index, tries);
}

/* The next PULL_DONE on @r's expected ring. */
static int wait_done(struct ep *r, unsigned int ms, struct omx_evt_pull_done *done)
{
	struct omx_event e;

	while (next_event(r, 0, ms, &e) == 0) {
		if (e.type == OMX_EVT_PULL_DONE) {
			*done = e.pull_done;
			return 0;
		}
		printf("  (event type %u skipped)\n", e.type);
	}
	return -1;
}

static int done_ok;

/* One pull of @len bytes, checked byte for byte. */
static void pull_case(const char *path, struct ep *r, int peer, struct ep *s, uint64_t len,
		      unsigned int snsegs, unsigned int smis, uint32_t roff,
		      unsigned int rnsegs, unsigned int rmis, uint32_t loff)
{
	static unsigned int seed = 1;
	struct omx_evt_pull_done d = { .status = 99 };
	struct buf sb, rb;
	double t0;
	int err;

	seed++;
	buf_alloc(&sb, len + roff, snsegs, smis);
	buf_alloc(&rb, len + loff + 1000, rnsegs, rmis);
	buf_fill(&sb, seed, 0);
	buf_fill(&rb, 0xee, 1);
	if (reg(s, &sb, 10, 0) || reg(r, &rb, 20, OMX_REGION_WRITABLE)) {
		report(0, "%s: register %llu bytes", path, (unsigned long long)len);
		exit(2);
	}
	grant(s, r, &sb);
	t0 = now_ms();
	err = pull(r, peer, s, s->info.session_id, &sb, roff, &rb, loff, (uint32_t)len, seed);
	if (err) {
		report(0, "%s: PULL %llu bytes: %s", path, (unsigned long long)len, strerror(err));
	} else if (wait_done(r, 60000, &d)) {
		report(0, "%s: PULL %llu bytes: no PULL_DONE", path, (unsigned long long)len);
	} else {
		report(d.status == OMX_PULL_STATUS_OK && d.length == len && d.cookie == seed &&
		       d.local_region_id == 20,
		       "%s: pulled %llu bytes (%u+%u segs, misalign %u/%u, offsets %u/%u) status %u length %u in %.0f ms",
		       path, (unsigned long long)len, snsegs, rnsegs, smis, rmis, roff, loff,
		       d.status, d.length, now_ms() - t0);
		report(buf_check(&rb, loff, roff, len, seed), "%s: %llu bytes byte for byte", path,
		       (unsigned long long)len);
	}
	dereg(s, 10);
	dereg(r, 20);
	buf_free(&sb);
	buf_free(&rb);
}

static void check_register_errors(struct ep *ep)
{
	struct omx_region_segment segs[OMX_REGION_SEGMENTS_MAX + 1];
	struct omx_cmd_region r;
	struct buf b;
	uint8_t *hole;
	uint32_t id;

	buf_alloc(&b, 100000, 2, 0);
	for (unsigned int i = 0; i <= OMX_REGION_SEGMENTS_MAX; i++)
		segs[i] = b.segs[0];
#define REG(field_init, want, what) do { \
		memset(&r, 0, sizeof(r)); \
		r.id = 1; r.nr_segments = 1; r.segments = (uintptr_t)segs; \
		field_init; \
		check_err("REGISTER " what, xioctl(ep->fd, OMX_CMD_REGISTER_REGION, &r), want); \
	} while (0)
	REG(r.id = OMX_REGIONS_MAX, EINVAL, "id 256");
	REG(r.flags = 2, EINVAL, "unknown flag");
	REG(r.pad[1] = 1, EINVAL, "non-zero pad");
	REG(r.nr_segments = 0, EINVAL, "no segment");
	REG(r.nr_segments = OMX_REGION_SEGMENTS_MAX + 1, EINVAL, "257 segments");
	segs[1].length = 0;
	REG(r.nr_segments = 2, EINVAL, "zero-length segment");
	segs[1] = b.segs[0];
	segs[0].length = 0x100000000ULL;
	REG((void)0, EINVAL, "segment over 4 GiB");
	segs[0] = b.segs[0];
	REG(r.segments = 16, EFAULT, "bad segment array pointer");
	hole = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole + 4096, 4096);
	segs[0].vaddr = (uintptr_t)hole;
	segs[0].length = 3 * 4096;
	REG((void)0, EFAULT, "unmapped page in the middle");
	segs[0].vaddr = 0xffffffffffff0000ULL;
	segs[0].length = 4096;
	REG((void)0, EFAULT, "kernel address");
	munmap(hole, 4096);
	munmap(hole + 2 * 4096, 4096);
	segs[0] = b.segs[0];
	CHECK(reg(ep, &b, 7, 0) == 0, "REGISTER 2 segments: seqnum %u", b.seqnum);
	REG(r.id = 7, EBUSY, "id in use");
	CHECK(dereg(ep, 7) == 0, "DEREGISTER it");
	check_err("DEREGISTER again", dereg(ep, 7), ENOENT);
	id = 300;
	check_err("DEREGISTER id 300", xioctl(ep->fd, OMX_CMD_DEREGISTER_REGION, &id), ENOENT);
	{
		uint8_t old = b.seqnum;

		CHECK(reg(ep, &b, 7, 0) == 0 && b.seqnum != old,
		      "a new registration of the id gets a new seqnum (%u -> %u)", old, b.seqnum);
		dereg(ep, 7);
	}
	buf_free(&b);
#undef REG
}

static void check_invalidation(struct ep *ep, int fd)
{
	struct omx_driver_info before = driver_info(fd), after;
	struct buf b;

	buf_alloc(&b, 5 * 4096 + 17, 1, 100);
	ep->ctrl->region_invalid[9] = 0x55;
	CHECK(reg(ep, &b, 9, OMX_REGION_WRITABLE) == 0, "REGISTER region 9");
	CHECK(ep->ctrl->region_invalid[9] == 0, "registration clears region_invalid[9]");
	after = driver_info(fd);
	CHECK(after.pinned_pages - before.pinned_pages == 6 && after.regions == before.regions + 1,
	      "GET_DRIVER_INFO: 6 more pinned pages, one more region");
	mprotect(b.maps[0], b.maplen[0], PROT_READ);
	CHECK(ep->ctrl->region_invalid[9] == 0, "mprotect leaves it valid");
	buf_free(&b);
	CHECK(ep->ctrl->region_invalid[9] == 1, "munmap sets region_invalid[9]");
	CHECK(dereg(ep, 9) == 0, "DEREGISTER the unmapped region");

	buf_alloc(&b, 3 * 4096, 1, 0);
	CHECK(reg(ep, &b, 9, 0) == 0 && ep->ctrl->region_invalid[9] == 0, "registered again: valid");
	madvise(b.maps[0], 4096, MADV_DONTNEED);
	CHECK(ep->ctrl->region_invalid[9] == 1, "MADV_DONTNEED sets region_invalid[9]");
	dereg(ep, 9);
	buf_free(&b);
	after = driver_info(fd);
	CHECK(after.pinned_pages == before.pinned_pages && after.regions == before.regions,
	      "deregistration unpins (%llu pinned pages)", (unsigned long long)after.pinned_pages);
}

static void check_rndv_notify(const char *path, struct ep *s, struct ep *r, int peer, int back)
{
	struct omx_cmd_send_rndv rv = {
		.peer_index = (uint16_t)peer, .dst_endpoint = (uint8_t)r->info.endpoint_index,
		.session = r->info.session_id, .seqnum = 0x4123, .piggyack = 0x4012,
		.match_info = 0xfeedface12345678ULL,
	};
	struct omx_cmd_send_notify nt = {
		.peer_index = (uint16_t)back, .dst_endpoint = (uint8_t)s->info.endpoint_index,
		.session = s->info.session_id, .seqnum = 0x4077, .piggyack = 0x4124,
		.total_length = 12345678, .rdma_id = 5, .rdma_seqnum = 0,
	};
	struct omx_event e = { .type = 0 };
	struct buf b;

	buf_alloc(&b, 100000, 1, 0);
	rv.rdma_id = 5;
	rv.msg_length = 100000;
	check_err("SEND_RNDV unregistered region", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), ENOENT);
	reg(s, &b, 5, 0);
	rv.rdma_seqnum = (uint8_t)(b.seqnum + 1);
	check_err("SEND_RNDV wrong seqnum", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), ENOENT);
	rv.rdma_seqnum = b.seqnum;
	rv.msg_length = 100001;
	check_err("SEND_RNDV longer than the region", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), EINVAL);
	rv.msg_length = 100000;
	rv.pad[3] = 1;
	check_err("SEND_RNDV non-zero pad", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), EINVAL);
	rv.pad[3] = 0;
	check_err("SEND_RNDV", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
	CHECK(next_event(r, 1, 5000, &e) == 0 && e.type == OMX_EVT_RECV_RNDV &&
	      e.peer_index == back && e.src_endpoint == s->info.endpoint_index &&
	      e.rndv.match_info == rv.match_info && e.rndv.seqnum == 0x4123 &&
	      e.rndv.piggyack == 0x4012 && e.rndv.msg_length == 100000 && e.rndv.rdma_id == 5 &&
	      e.rndv.rdma_seqnum == b.seqnum && e.rndv.token_hi != 0,
	      "%s: RNDV event fields (type %u)", path, e.type);
	{
		uint16_t lo = e.rndv.rdma_offset;
		uint32_t hi = e.rndv.token_hi;

		check_err("SEND_RNDV again", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
		CHECK(next_event(r, 1, 5000, &e) == 0 && e.type == OMX_EVT_RECV_RNDV &&
		      e.rndv.rdma_offset == lo && e.rndv.token_hi == hi,
		      "%s: a retransmitted RNDV keeps its token", path);
		rv.seqnum++;
		check_err("SEND_RNDV next message", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
		CHECK(next_event(r, 1, 5000, &e) == 0 && e.type == OMX_EVT_RECV_RNDV &&
		      e.rndv.token_hi != hi && e.rndv.token_hi,
		      "%s: the next RNDV of the region gets another token", path);
		rv.seqnum--;
	}
	/* as Open-MX sends mx_issend: RNDV for any length, 0 bytes without a region */
	rv.msg_length = 0;
	rv.rdma_id = 77;
	check_err("SEND_RNDV of 0 bytes naming no region", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
	CHECK(next_event(r, 1, 5000, &e) == 0 && e.type == OMX_EVT_RECV_RNDV &&
	      e.rndv.msg_length == 0 && e.rndv.rdma_id == 77,
	      "%s: 0-byte RNDV delivered (type %u)", path, e.type);
	rv.msg_length = 100;
	rv.rdma_id = 5;
	check_err("SEND_RNDV of 100 bytes", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
	CHECK(next_event(r, 1, 5000, &e) == 0 && e.type == OMX_EVT_RECV_RNDV &&
	      e.rndv.msg_length == 100 && e.rndv.rdma_id == 5,
	      "%s: 100-byte RNDV delivered (type %u)", path, e.type);
	rv.msg_length = 100000;
	rv.session ^= 1;
	check_err("SEND_RNDV wrong session", xioctl(s->fd, OMX_CMD_SEND_RNDV, &rv), 0);
	CHECK(next_event(s, 0, 5000, &e) == 0 && e.type == OMX_EVT_RECV_NACK_LIB &&
	      e.nack_lib.lib_seqnum == 0x4123 && e.nack_lib.nack_type == OMX_NACK_TYPE_BAD_SESSION,
	      "%s: RNDV with a wrong session NACKed BAD_SESSION", path);

	nt.rdma_seqnum = b.seqnum;
	check_err("SEND_NOTIFY", xioctl(r->fd, OMX_CMD_SEND_NOTIFY, &nt), 0);
	CHECK(next_event(s, 0, 5000, &e) == 0 && e.type == OMX_EVT_RECV_NOTIFY &&
	      e.peer_index == peer && e.src_endpoint == r->info.endpoint_index &&
	      e.notify.seqnum == 0x4077 && e.notify.piggyack == 0x4124 &&
	      e.notify.total_length == 12345678 && e.notify.rdma_id == 5 &&
	      e.notify.rdma_seqnum == b.seqnum,
	      "%s: NOTIFY event fields (type %u)", path, e.type);
	nt.pad[0] = 1;
	check_err("SEND_NOTIFY non-zero pad", xioctl(r->fd, OMX_CMD_SEND_NOTIFY, &nt), EINVAL);
	dereg(s, 5);
	buf_free(&b);
}

static void check_pull_errors(struct ep *r, int peer, struct ep *s)
{
	struct buf sb, rb, ro;
	struct omx_cmd_pull c;

	buf_alloc(&sb, 200000, 1, 0);
	buf_alloc(&rb, 100000, 1, 0);
	buf_alloc(&ro, 100000, 1, 0);
	reg(s, &sb, 10, 0);
	reg(r, &rb, 20, OMX_REGION_WRITABLE);
	reg(r, &ro, 21, 0);
#define PULLERR(init, want, what) do { \
		memset(&c, 0, sizeof(c)); \
		c.peer_index = (uint16_t)peer; c.dst_endpoint = (uint8_t)s->info.endpoint_index; \
		c.remote_rdma_id = 10; c.remote_rdma_seqnum = sb.seqnum; \
		c.session = s->info.session_id; c.length = 50000; c.local_region_id = 20; \
		init; \
		check_err("PULL " what, xioctl(r->fd, OMX_CMD_PULL, &c), want); \
	} while (0)
	PULLERR(c.local_region_id = 22, ENOENT, "unregistered local region");
	PULLERR(c.local_region_id = 1000, ENOENT, "local region id 1000");
	PULLERR(c.local_region_id = 21, EINVAL, "into a region not registered writable");
	PULLERR(c.local_offset = 50001, EINVAL, "beyond the local region");
	PULLERR(c.length = 0xffffffff, EINVAL, "length beyond the local region");
	PULLERR(c.remote_offset = 0xffffffff, EINVAL, "remote offset + length over 4 GiB");
	PULLERR(c.pad[2] = 1, EINVAL, "non-zero pad");
	PULLERR(c.peer_index = 60000, ENOENT, "unknown peer");
#undef PULLERR
	dereg(s, 10);
	dereg(r, 20);
	dereg(r, 21);
	buf_free(&sb);
	buf_free(&rb);
	buf_free(&ro);
}

/* Refusals end the pull with the NACK_MCP status, wire and shared alike. */
static void check_refusals(const char *path, struct ep *r, int peer, struct ep *s, int fd,
			   uint32_t board)
{
	struct omx_evt_pull_done d = { .status = 99 };
	struct buf sb, rb;
	uint8_t seq;
	uint64_t failed0 = counter(fd, board, OMX_COUNTER_PULL_FAILED);

	buf_alloc(&sb, 300000, 1, 0);
	buf_alloc(&rb, 300000, 1, 0);
	reg(s, &sb, 10, 0);
	reg(r, &rb, 20, OMX_REGION_WRITABLE);
	grant(s, r, &sb);
	seq = sb.seqnum;
	sb.seqnum = (uint8_t)(seq + 1);
	done_ok = pull(r, peer, s, s->info.session_id, &sb, 0, &rb, 0, 300000, 1) == 0 &&
	      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_RDMAWIN &&
	      d.cookie == 1;
	CHECK(done_ok, "%s: pull naming an old seqnum: BAD_RDMAWIN (%u)", path, d.status);
	sb.seqnum = seq;
	done_ok = pull(r, peer, s, s->info.session_id, &sb, 200000, &rb, 0, 100001, 2) == 0 &&
	      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_RDMAWIN;
	CHECK(done_ok,
	      "%s: pull beyond the remote region: BAD_RDMAWIN (%u)", path, d.status);
	done_ok = pull(r, peer, s, s->info.session_id ^ 1, &sb, 0, &rb, 0, 300000, 3) == 0 &&
	      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_SESSION;
	CHECK(done_ok,
	      "%s: pull with a wrong session: BAD_SESSION (%u)", path, d.status);
	dereg(s, 10);
	done_ok = pull(r, peer, s, s->info.session_id, &sb, 0, &rb, 0, 300000, 4) == 0 &&
	      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_RDMAWIN;
	CHECK(done_ok,
	      "%s: pull from a deregistered region: BAD_RDMAWIN (%u)", path, d.status);
	{
		struct ep gone = *s;

		gone.info.endpoint_index = 30;
		done_ok = pull(r, peer, &gone, s->info.session_id, &sb, 0, &rb, 0, 300000, 5) == 0 &&
		      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_ENDPT_CLOSED;
		CHECK(done_ok,
		      "%s: pull from a closed endpoint: ENDPT_CLOSED (%u)", path, d.status);
		gone.info.endpoint_index = 255;
		done_ok = pull(r, peer, &gone, s->info.session_id, &sb, 0, &rb, 0, 300000, 6) == 0 &&
		      wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_ENDPT;
		CHECK(done_ok,
		      "%s: pull from endpoint 255: BAD_ENDPT (%u)", path, d.status);
	}
	CHECK(counter(fd, board, OMX_COUNTER_PULL_FAILED) - failed0 == 6,
	      "%s: pull_failed counted 6", path);
	dereg(r, 20);
	buf_free(&sb);
	buf_free(&rb);
}

/*
 * A re-request of the addressee's previous message on a region may still
 * be on the wire when the library sends the region's next RNDV to it: it
 * carries the previous token.  Such PULLs are refused, but must not count
 * as the wrong tokens that revoke a grant (OMX_GRANT_FAILURES_MAX, 8):
 * before, 8 of them made the next message's pull fail with BAD_RDMAWIN.
 */
static void check_stale_token(const char *path, struct ep *r, int peer, struct ep *s)
{
	enum { LEN = 100000, STALE = 20 };
	struct omx_evt_pull_done d = { .status = 99 };
	struct buf sb, rb, first;
	unsigned int refused = 0;

	buf_alloc(&sb, LEN, 1, 0);
	buf_alloc(&rb, LEN, 1, 0);
	buf_fill(&sb, 91, 0);
	buf_fill(&rb, 0xee, 1);
	reg(s, &sb, 10, 0);
	reg(r, &rb, 20, OMX_REGION_WRITABLE);
	grant(s, r, &sb);
	done_ok = pull(r, peer, s, s->info.session_id, &sb, 0, &rb, 0, LEN, 1) == 0 &&
		  wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_OK;
	CHECK(done_ok, "%s: the region's first message pulled (%u)", path, d.status);
	first = sb;	/* its token; the buffers stay sb's */
	/* the region's next message: another length, so another grant */
	if (send_rndv(s, mac_peer(s->fd, r->info.mac), r->info.endpoint_index,
		      r->info.session_id, &sb, LEN - 1) || take_rndv(r, &sb, 5000))
		report(0, "%s: no RNDV for the region's next message", path);
	CHECK(sb.token_hi != first.token_hi, "%s: the next message has another token", path);
	for (unsigned int i = 0; i < STALE; i++) {
		d.status = 99;
		if (pull(r, peer, s, s->info.session_id, &first, 0, &rb, 0, LEN - 1, 10 + i) == 0 &&
		    wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_BAD_RDMAWIN)
			refused++;
	}
	CHECK(refused == STALE, "%s: %u of %u PULLs with the previous message's token refused",
	      path, refused, (unsigned int)STALE);
	buf_fill(&rb, 0xee, 1);
	d.status = 99;
	done_ok = pull(r, peer, s, s->info.session_id, &sb, 0, &rb, 0, LEN - 1, 99) == 0 &&
		  wait_done(r, 20000, &d) == 0 && d.status == OMX_PULL_STATUS_OK && d.cookie == 99;
	CHECK(done_ok && buf_check(&rb, 0, 0, LEN - 1, 91),
	      "%s: the next message pulled after %u stale PULLs: its grant was kept (%u)", path,
	      (unsigned int)STALE, d.status);
	dereg(s, 10);
	dereg(r, 20);
	buf_free(&sb);
	buf_free(&rb);
}

static void check_concurrent(const char *path, struct ep *r, int peer, struct ep *s)
{
	enum { N = 4, LEN = 3 * 1024 * 1024 + 333 };
	struct omx_evt_pull_done d = { .status = 99 };
	struct buf sb, rb;
	unsigned int ok = 0, seen = 0;

	buf_alloc(&sb, (uint64_t)LEN * N, 3, 5);
	buf_alloc(&rb, (uint64_t)LEN * N, 2, 11);
	buf_fill(&sb, 77, 0);
	buf_fill(&rb, 0xee, 1);
	reg(s, &sb, 10, 0);
	reg(r, &rb, 20, OMX_REGION_WRITABLE);
	grant(s, r, &sb);
	for (unsigned int i = 0; i < N; i++)
		if (pull(r, peer, s, s->info.session_id, &sb, i * LEN, &rb, i * LEN, LEN, 100 + i))
			report(0, "%s: PULL %u", path, i);
	for (unsigned int i = 0; i < N; i++) {
		if (wait_done(r, 60000, &d))
			break;
		if (d.cookie >= 100 && d.cookie < 100 + N && !(seen & (1U << (d.cookie - 100))) &&
		    d.status == OMX_PULL_STATUS_OK && d.length == LEN)
			ok++;
		seen |= 1U << ((d.cookie - 100) & 31);
	}
	CHECK(ok == N, "%s: %u concurrent pulls ended OK", path, ok);
	CHECK(buf_check(&rb, 0, 0, (uint64_t)LEN * N, 77), "%s: concurrent pulls byte for byte", path);
	dereg(s, 10);
	dereg(r, 20);
	buf_free(&sb);
	buf_free(&rb);
}

/*
 * A sender in another process, board @board endpoint 3: exposes @len
 * bytes of pattern @seed to @r by a RNDV and sleeps in WAIT_EVENT until
 * a NOTIFY (exit 0) or its death.  Its session and seqnum come back
 * through a pipe, the token in @sb from the RNDV.
 */
static pid_t start_sender(uint32_t board, uint64_t len, unsigned int seed, uint32_t *session,
			  struct ep *r, struct buf *sb)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		exit(2);
	pid = fork();
	if (pid == 0) {
		struct ep s;
		struct buf b;
		struct omx_event e;
		uint32_t msg[2];

		close(p[0]);
		ep_open(&s, board, 3, OMX_ENDPOINT_OPEN_NO_SHARED);
		buf_alloc(&b, len, 1, 0);
		buf_fill(&b, seed, 0);
		if (reg(&s, &b, 10, 0))
			_exit(3);
		msg[0] = s.info.session_id;
		msg[1] = b.seqnum;
		if (send_rndv(&s, mac_peer(s.fd, r->info.mac), r->info.endpoint_index,
			      r->info.session_id, &b, (uint32_t)len))
			_exit(3);
		if (write(p[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(3);
		close(p[1]);
		while (next_event(&s, 0, 120000, &e) == 0)
			if (e.type == OMX_EVT_RECV_NOTIFY)
				_exit(e.notify.total_length == len ? 0 : 4);
		_exit(5);
	}
	close(p[1]);
	{
		uint32_t msg[2];

		if (read(p[0], msg, sizeof(msg)) != sizeof(msg)) {
			report(0, "sender process did not start");
			exit(2);
		}
		*session = msg[0];
		sb->seqnum = (uint8_t)msg[1];
	}
	close(p[0]);
	if (take_rndv(r, sb, 10000))
		report(0, "no RNDV event from the sender process");
	return pid;
}

/* /proc/PID/stat state letter */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] && p[2] ? p[2] : '?';
}

static void check_sleeping_and_killed(struct ep *r, int peer, int fd)
{
	enum { LEN = 24 * 1024 * 1024 + 5 };
	struct omx_evt_pull_done d = { .status = 99 };
	struct ep s = { .info = { .endpoint_index = 3 } };
	struct buf sb = { .id = 10 }, rb;
	uint64_t tx0 = counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY);
	uint32_t session;
	char state = '?';
	pid_t pid;
	int st;

	buf_alloc(&rb, LEN, 1, 0);
	buf_fill(&rb, 0xee, 1);
	reg(r, &rb, 20, OMX_REGION_WRITABLE);

	/* zero copy: the replies leave while the sender sleeps */
	pid = start_sender(0, LEN, 99, &session, r, &sb);
	CHECK(pull(r, peer, &s, session, &sb, 0, &rb, 0, LEN, 42) == 0, "PULL from a sleeping sender");
	usleep(20000);
	state = proc_state(pid);
	done_ok = wait_done(r, 60000, &d) == 0 && d.status == OMX_PULL_STATUS_OK && d.length == LEN;
	CHECK(done_ok,
	      "pull from a sleeping sender ended OK (%u)", d.status);
	CHECK(state == 'S', "the sender slept in WAIT_EVENT during the pull (state %c)", state);
	CHECK(buf_check(&rb, 0, 0, LEN, 99), "pull from a sleeping sender byte for byte");
	CHECK(counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY) - tx0 >= LEN / OMX_PULL_REPLY_LEN_9000,
	      "tx_pull_reply counted every reply (%llu)",
	      (unsigned long long)(counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY) - tx0));
	{
		struct omx_cmd_send_notify nt = {
			.peer_index = (uint16_t)peer, .dst_endpoint = 3, .session = session,
			.total_length = LEN, .rdma_id = 10, .rdma_seqnum = sb.seqnum,
		};

		CHECK(xioctl(r->fd, OMX_CMD_SEND_NOTIFY, &nt) == 0 && waitpid(pid, &st, 0) == pid &&
		      WIFEXITED(st) && WEXITSTATUS(st) == 0, "the sender got its NOTIFY and exited");
	}

	/* killed mid-pull (a slow link makes sure it is mid-pull): an error status, not a hang */
	buf_fill(&rb, 0xee, 1);
	if (system("tc qdisc add dev veth0 root netem delay 40ms"))
		report(0, "slow veth0 down with netem");
	pid = start_sender(0, LEN, 98, &session, r, &sb);
	CHECK(pull(r, peer, &s, session, &sb, 0, &rb, 0, LEN, 43) == 0, "PULL from a sender about to die");
	usleep(100000);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	done_ok = wait_done(r, 30000, &d) == 0 && d.cookie == 43 &&
	      d.status == OMX_PULL_STATUS_ENDPT_CLOSED && d.length < LEN;
	if (system("tc qdisc del dev veth0 root"))
		report(0, "remove netem from veth0");
	CHECK(done_ok,
	      "sender killed mid-pull: PULL_DONE status %u after %u bytes", d.status, d.length);
	dereg(r, 20);
	buf_free(&rb);
}

static int wait_idle(int fd, unsigned int ms)
{
	struct omx_driver_info di;
	double end = now_ms() + ms;

	do {
		di = driver_info(fd);
		if (!di.pinned_pages && !di.regions && !di.pulls)
			return 1;
		usleep(50000);
	} while (now_ms() < end);
	printf("  driver info: %llu pinned pages, %u regions, %u pulls\n",
	       (unsigned long long)di.pinned_pages, di.regions, di.pulls);
	return 0;
}

static int run_pair(void)
{
	int fd = open_dev();
	struct ep s0, r1, r1s, s0b, r0;
	struct omx_driver_info di = driver_info(fd);
	int p1to0, p0to0, p0to1;
	uint64_t txr0, shared0, tx_pull0, local0;
	const uint64_t sizes[] = { OMX_MEDIUM_MAX + 1, 1024 * 1024 + 3, 9 * 1024 * 1024 - 7 };

	CHECK(di.abi_version == OMX_ABI_VERSION && di.endpoints_open == 0 && di.pinned_pages == 0,
	      "GET_DRIVER_INFO: ABI 0x%x, %u endpoints, %llu pinned pages", di.abi_version,
	      di.endpoints_open, (unsigned long long)di.pinned_pages);
	ep_open(&s0, 0, 0, OMX_ENDPOINT_OPEN_NO_SHARED);	/* sender, board 0 */
	ep_open(&r1, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);	/* wire puller, board 1 */
	ep_open(&r1s, 1, 2, 0);				/* shared puller, board 1 */
	ep_open(&r0, 0, 4, 0);				/* same-board puller */
	CHECK(driver_info(fd).endpoints_open == 4, "GET_DRIVER_INFO counts 4 endpoints");
	p1to0 = mac_peer(r1.fd, s0.info.mac);
	p0to1 = mac_peer(s0.fd, r1.info.mac);
	p0to0 = p1to0;

	check_register_errors(&s0);
	check_invalidation(&s0, fd);
	check_rndv_notify("wire", &s0, &r1, p0to1, p1to0);
	local0 = counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES);
	tx_pull0 = counter(fd, 1, OMX_COUNTER_LOCAL_FRAMES);
	check_rndv_notify("cross-board shared", &r0, &r1s, p0to1, p1to0);
	/*
	 * six RNDV from board 0 (100000 bytes, again, the next, 0 and 100
	 * bytes, the bad session); a NOTIFY and the NACK_LIB of the bad
	 * session from board 1
	 */
	CHECK(counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES) - local0 == 6 &&
	      counter(fd, 1, OMX_COUNTER_LOCAL_FRAMES) - tx_pull0 == 2,
	      "cross-board shared: RNDV, NOTIFY and NACK delivered inside the host");
	check_pull_errors(&r1, p1to0, &s0);

	txr0 = counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY);
	for (unsigned int i = 0; i < 3; i++)
		pull_case("wire", &r1, p1to0, &s0, sizes[i], 1 + i, i * 1000, i * 4097,
			  3 - i, i ? 0 : 333, i * 11);
	pull_case("wire", &r1, p1to0, &s0, 64ULL * 1024 * 1024, 1, 0, 0, 1, 0, 0);
	CHECK(counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY) - txr0 > 64 * 1024 * 1024 / 8968,
	      "wire: tx_pull_reply counted on board 0");

	shared0 = counter(fd, 0, OMX_COUNTER_SHARED_PULLS);
	tx_pull0 = counter(fd, 0, OMX_COUNTER_TX_PULL);
	for (unsigned int i = 0; i < 3; i++)
		pull_case("same-board shared", &r0, p0to0, &s0, sizes[i], 3 - i, 17, i * 5,
			  1 + i, 0, 4096 * i);
	pull_case("same-board shared", &r0, p0to0, &s0, 64ULL * 1024 * 1024 - 1, 2, 1, 1, 1, 0, 0);
	CHECK(counter(fd, 0, OMX_COUNTER_SHARED_PULLS) - shared0 == 4 &&
	      counter(fd, 0, OMX_COUNTER_TX_PULL) == tx_pull0, "same-board: 4 shared_pulls, no PULL");
	shared0 = counter(fd, 1, OMX_COUNTER_SHARED_PULLS);
	tx_pull0 = counter(fd, 1, OMX_COUNTER_TX_PULL);
	for (unsigned int i = 0; i < 3; i++)
		pull_case("cross-board shared", &r1s, p1to0, &s0, sizes[i], 2, 4095, 7, 2, 1, 3);
	CHECK(counter(fd, 1, OMX_COUNTER_SHARED_PULLS) - shared0 == 3 &&
	      counter(fd, 1, OMX_COUNTER_TX_PULL) == tx_pull0, "cross-board: 3 shared_pulls, no PULL");

	check_refusals("wire", &r1, p1to0, &s0, fd, 1);
	check_refusals("shared", &r1s, p1to0, &s0, fd, 1);
	check_stale_token("wire", &r1, p1to0, &s0);
	check_stale_token("shared", &r1s, p1to0, &s0);
	check_concurrent("wire", &r1, p1to0, &s0);
	check_concurrent("shared", &r0, p0to0, &s0);
	ep_open(&s0b, 0, 5, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_close(&s0b);
	check_sleeping_and_killed(&r1, p1to0, fd);

	ep_close(&s0);
	ep_close(&r1);
	ep_close(&r1s);
	ep_close(&r0);
	CHECK(wait_idle(fd, 5000), "everything closed: no pinned page, region or pull left");
	close(fd);
	return failures ? 1 : 0;
}

/* 64 KiB pulls after the long ones: P(no tail lost in all) ~ 0.94^150 */
#define LOSSY_TAILS 150

static int run_lossy(unsigned int n, uint64_t len)
{
	int fd = open_dev();
	struct ep s0, r1;
	int peer;
	uint64_t fast0 = counter(fd, 1, OMX_COUNTER_PULL_FAST_RESENT);
	uint64_t slow0 = counter(fd, 1, OMX_COUNTER_PULL_TIMEOUT_RESENT);
	uint64_t probe0 = counter(fd, 1, OMX_COUNTER_PULL_PROBE_RESENT);
	uint64_t fast, slow, probe;

	ep_open(&s0, 0, 0, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&r1, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	peer = mac_peer(r1.fd, s0.info.mac);
	for (unsigned int i = 0; i < n; i++)
		pull_case("lossy wire", &r1, peer, &s0, len - i * 1001, 1 + i % 3, i * 7, i * 999,
			  1, 0, i);
	/*
	 * Short pulls, one at a time: the last reply of each, or its one
	 * PULL, is lost now and then (3% each way), and then no later
	 * reply of the peer shows it.  A long pull's tail is only one such
	 * chance, and later PULLs' replies show all the rest.
	 */
	for (unsigned int i = 0; i < LOSSY_TAILS; i++)
		pull_case("lossy tail", &r1, peer, &s0, 65536, 1, 0, 0, 1, 0, 0);
	fast = counter(fd, 1, OMX_COUNTER_PULL_FAST_RESENT) - fast0;
	slow = counter(fd, 1, OMX_COUNTER_PULL_TIMEOUT_RESENT) - slow0;
	probe = counter(fd, 1, OMX_COUNTER_PULL_PROBE_RESENT) - probe0;
	printf("pull_fast_resent %llu, pull_probe_resent %llu, pull_timeout_resent %llu, rx_drop_stale_pull_reply %llu\n",
	       (unsigned long long)fast, (unsigned long long)probe, (unsigned long long)slow,
	       (unsigned long long)counter(fd, 1, OMX_COUNTER_RX_DROP_STALE_PULL_REPLY));
	CHECK(fast > 0, "lossy: losses repaired by fast re-requests (pull_fast_resent)");
	CHECK(slow <= fast, "lossy: most repairs fast, not from the timer");
	/*
	 * A lost PULL or last reply shows in no later reply: the probe finds
	 * it after two round trips, and only a probe that is lost too leaves
	 * it to the retransmission timeout (14 to 24 timeouts a run here
	 * before the probe existed).
	 */
	CHECK(probe > 0, "lossy: tail losses found by the probe (pull_probe_resent)");
	CHECK(slow < probe, "lossy: fewer timeouts than probes");
	ep_close(&s0);
	ep_close(&r1);
	close(fd);
	return failures ? 1 : 0;
}

static int run_wire(unsigned int n, uint64_t len)
{
	struct ep s0, r1;
	int peer;

	ep_open(&s0, 0, 0, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&r1, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	peer = mac_peer(r1.fd, s0.info.mac);
	for (unsigned int i = 0; i < n; i++)
		pull_case("wire", &r1, peer, &s0, len - i * 1001, 1 + i % 3, i * 7, i * 999,
			  1 + (i + 1) % 3, i * 13, i * 777);
	ep_close(&s0);
	ep_close(&r1);
	return failures ? 1 : 0;
}

/* One of the two threads of run_order(): its half of a round's pulls. */
struct order_half {
	pthread_t thread;
	int cpu;
	unsigned int first, n;		/* pulls [first, first + n) of the round */
	unsigned int round;
	uint32_t size;
	struct ep *r, *s;
	int peer;
	struct buf *sb, *rb;
	pthread_barrier_t *start;
	int errors;
};

static void *order_half_run(void *arg)
{
	struct order_half *h = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(h->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		h->errors++;
	pthread_barrier_wait(h->start);
	for (unsigned int i = h->first; i < h->first + h->n; i++)
		if (pull(h->r, h->peer, h->s, h->s->info.session_id, h->sb, i * h->size, h->rb,
			 i * h->size, h->size, (uint64_t)h->round << 16 | i))
			h->errors++;
	return NULL;
}

/*
 * PULLs of one endpoint built on two CPUs at once: OMX_CMD_PULL from two
 * threads bound to CPUs 0 and 1, and the replies' softirqs, which start
 * stalled pulls of either thread, on the CPU each reply arrives on (on a
 * veth, the one that sent the PULL).  The link loses nothing, so every
 * frame a reply "shows lost" is a spurious re-request: the per-peer
 * reply order must only be read among frames sent from one CPU
 * (driver/linux/omx_pull.c, "Recovery").
 */
static int run_order(unsigned int rounds, unsigned int n, uint32_t size)
{
	static const int idx[] = {
		OMX_COUNTER_PULL_FAST_RESENT, OMX_COUNTER_PULL_PROBE_RESENT,
		OMX_COUNTER_PULL_TIMEOUT_RESENT, OMX_COUNTER_RX_DROP_STALE_PULL_REPLY,
		OMX_COUNTER_RX_DROP_UNEXPECTED, OMX_COUNTER_RX_PULL_REPLY,
	};
	static const char *const names[] = {
		"pull_fast_resent", "pull_probe_resent", "pull_timeout_resent",
		"rx_drop_stale_pull_reply", "rx_drop_unexpected", "rx_pull_reply",
	};
	uint64_t before[6], delta[6];
	int fd = open_dev();
	struct order_half h[2];
	pthread_barrier_t start;
	unsigned int r, i, ok = 0, bad = 0, intact = 0;
	struct ep s0, r1;
	struct buf sb, rb;
	int peer;

	if (n < 2 || n > OMX_PULLS_MAX || !size || (uint64_t)n * size > 0xffffffffULL ||
	    sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		fprintf(stderr, "order: needs 2 <= N <= %d, SIZE > 0 and two online CPUs\n",
			OMX_PULLS_MAX);
		return 2;
	}
	ep_open(&s0, 0, 0, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&r1, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	peer = mac_peer(r1.fd, s0.info.mac);
	buf_alloc(&sb, (uint64_t)n * size, 3, 5);
	buf_alloc(&rb, (uint64_t)n * size, 2, 11);
	buf_fill(&sb, 55, 0);
	if (reg(&s0, &sb, 10, 0) || reg(&r1, &rb, 20, OMX_REGION_WRITABLE)) {
		report(0, "order: register 2 x %llu bytes", (unsigned long long)sb.len);
		exit(2);
	}
	grant(&s0, &r1, &sb);
	for (i = 0; i < 6; i++)
		before[i] = counter(fd, 1, idx[i]);
	for (r = 0; r < rounds; r++) {
		unsigned int got = 0;
		struct omx_evt_pull_done d;

		buf_fill(&rb, 0xee, 1);
		pthread_barrier_init(&start, NULL, 2);
		for (i = 0; i < 2; i++) {
			h[i] = (struct order_half){
				.cpu = (int)i, .first = i * (n / 2), .n = i ? n - n / 2 : n / 2,
				.round = r, .size = size, .r = &r1, .s = &s0, .peer = peer,
				.sb = &sb, .rb = &rb, .start = &start,
			};
			if (pthread_create(&h[i].thread, NULL, order_half_run, &h[i])) {
				perror("pthread_create");
				exit(2);
			}
		}
		for (i = 0; i < 2; i++) {
			pthread_join(h[i].thread, NULL);
			bad += h[i].errors;
		}
		pthread_barrier_destroy(&start);
		while (got < n && !wait_done(&r1, 60000, &d)) {
			got++;
			if (d.status == OMX_PULL_STATUS_OK && d.length == size && d.cookie >> 16 == r)
				ok++;
		}
		if (got < n)
			break;
		intact += buf_check(&rb, 0, 0, (uint64_t)n * size, 55);
	}
	for (i = 0; i < 6; i++) {
		delta[i] = counter(fd, 1, idx[i]) - before[i];
		printf("  board 1 %s: %llu\n", names[i], (unsigned long long)delta[i]);
	}
	CHECK(!bad, "order: every OMX_CMD_PULL accepted from both CPUs (%u refused)", bad);
	CHECK(ok == rounds * n, "order: %u of %u pulls of %u bytes ended ok", ok, rounds * n, size);
	CHECK(intact == rounds, "order: %u of %u rounds byte for byte", intact, rounds);
	CHECK(delta[0] == 0,
	      "order: no frame taken as lost on a lossless link (pull_fast_resent %llu)",
	      (unsigned long long)delta[0]);
	/*
	 * A tail-loss probe is a guess on time alone (two smoothed round
	 * trips), which a slow guest can make wrong: its copies are dropped as
	 * stale, and only then may any be.
	 */
	CHECK(delta[3] == 0 || delta[1] + delta[2],
	      "order: duplicates only of re-requests the probe or the timeout made (%llu stale)",
	      (unsigned long long)delta[3]);
	CHECK(delta[4] == 0, "order: no late frame after its pull ended (rx_drop_unexpected %llu)",
	      (unsigned long long)delta[4]);
	dereg(&s0, 10);
	dereg(&r1, 20);
	buf_free(&sb);
	buf_free(&rb);
	ep_close(&s0);
	ep_close(&r1);
	close(fd);
	return failures ? 1 : 0;
}

/* A counter of the test DMA engine, @dir/@name (sysfs); -1 if unreadable. */
static long long engine_counter(const char *dir, const char *name)
{
	char path[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Descriptors the engine at @dir was given and has not completed yet. */
static long long engine_pending(const char *dir)
{
	return engine_counter(dir, "submitted") - engine_counter(dir, "completed") -
	       engine_counter(dir, "failed") - engine_counter(dir, "aborted");
}

/*
 * A wire pull board 0 -> 1 that fails while its receive copies are in
 * the DMA engine at @dir (omx loaded with dma=1 over the slow test
 * engine, veth0 slowed by netem): the sender process is killed once
 * copies are in flight; the pull fails (pull_failed) with copies still
 * pending, no PULL_DONE may come before the last of them completed, it
 * then comes with ENDPT_CLOSED, and whatever reached the buffer is the
 * sender's data (or the untouched fill), byte for byte.
 */
static int run_dmafail(uint64_t len, const char *dir)
{
	struct omx_evt_pull_done d = { .status = 99 };
	struct ep r, s = { .info = { .endpoint_index = 3 } };
	struct buf sb = { .id = 10 }, rb;
	long long s0 = engine_counter(dir, "submitted"), pending;
	int fd = open_dev(), st, early = 0;
	uint64_t failed0, bad = 0;
	struct omx_event e;
	uint32_t session;
	double end;
	pid_t pid;
	int peer;

	if (s0 < 0) {
		fprintf(stderr, "omx_pull_test: no DMA engine counters in %s\n", dir);
		return 2;
	}
	ep_open(&r, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	buf_alloc(&rb, len, 1, 0);
	buf_fill(&rb, 0xee, 1);
	if (reg(&r, &rb, 20, OMX_REGION_WRITABLE))
		return 2;
	pid = start_sender(0, len, 77, &session, &r, &sb);
	{
		/* the sender's endpoint is on board 0: its MAC */
		struct omx_board_info bi = { .board_index = 0 };

		if (xioctl(fd, OMX_CMD_GET_BOARD_INFO, &bi))
			return 2;
		peer = mac_peer(r.fd, bi.mac);
	}
	failed0 = counter(fd, 1, OMX_COUNTER_PULL_FAILED);
	CHECK(pull(&r, peer, &s, session, &sb, 0, &rb, 0, (uint32_t)len, 44) == 0,
	      "dmafail: PULL of %llu bytes", (unsigned long long)len);
	end = now_ms() + 20000;
	while (engine_counter(dir, "submitted") <= s0 + 64 && now_ms() < end)
		usleep(1000);
	pending = engine_pending(dir);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK(pending > 0, "dmafail: %lld copies in the engine when the sender died", pending);

	/* the pull fails (its next PULL is refused) while copies are pending */
	end = now_ms() + 20000;
	while (counter(fd, 1, OMX_COUNTER_PULL_FAILED) == failed0 && now_ms() < end)
		usleep(1000);
	pending = engine_pending(dir);
	CHECK(counter(fd, 1, OMX_COUNTER_PULL_FAILED) == failed0 + 1,
	      "dmafail: the pull failed (pull_failed counted on board 1)");
	CHECK(pending > 0, "dmafail: %lld copies still in the engine when it failed", pending);
	if (ep_event(&r, 0, 0, &e, NULL) == 0)
		early = 1;
	CHECK(!early, "dmafail: no event while the copies are in flight%s",
	      early ? " (one came at once)" : "");

	if (early && e.type == OMX_EVT_PULL_DONE) {
		/* too early: judged below as the PULL_DONE it is */
		d = e.pull_done;
		done_ok = 1;
	} else {
		done_ok = wait_done(&r, 60000, &d) == 0;
	}
	pending = engine_pending(dir);
	CHECK(done_ok && d.cookie == 44 && d.status == OMX_PULL_STATUS_ENDPT_CLOSED &&
	      d.length < len,
	      "dmafail: PULL_DONE status %u (ENDPT_CLOSED) after %u of %llu bytes", d.status,
	      d.length, (unsigned long long)len);
	CHECK(pending == 0, "dmafail: PULL_DONE only once the engine completed every copy (%lld pending)",
	      pending);
	for (uint64_t off = 0; off < len; off++) {
		uint8_t b = ((uint8_t *)(uintptr_t)rb.segs[0].vaddr)[off];

		bad += b != 0xee && b != pattern(off, 77);
	}
	CHECK(!bad, "dmafail: every byte is the sender's or the fill (%llu others)",
	      (unsigned long long)bad);
	dereg(&r, 20);
	ep_close(&r);
	buf_free(&rb);
	close(fd);
	return failures ? 1 : 0;
}

static int run_rsend(const char *macstr, uint64_t len)
{
	struct ep s;
	struct buf b;
	struct omx_event e;
	unsigned int r_session;
	uint8_t mac[6];

	if (parse_mac(macstr, mac))
		return 2;
	ep_open(&s, 0, 1, 0);
	buf_alloc(&b, len, 3, 123);
	buf_fill(&b, 55, 0);
	if (reg(&s, &b, 10, 0))
		return 2;
	printf("ready %u\n", s.info.session_id);
	fflush(stdout);
	if (scanf("%u", &r_session) != 1)
		return 2;
	CHECK(send_rndv(&s, mac_peer(s.fd, mac), 1, r_session, &b, (uint32_t)len) == 0,
	      "rsend: RNDV sent");
	while (next_event(&s, 0, 240000, &e) == 0) {
		if (e.type != OMX_EVT_RECV_NOTIFY)
			continue;
		CHECK(e.notify.total_length == len && e.notify.rdma_id == 10 &&
		      e.notify.rdma_seqnum == b.seqnum, "rsend: NOTIFY for %llu bytes",
		      (unsigned long long)e.notify.total_length);
		return failures ? 1 : 0;
	}
	report(0, "rsend: no NOTIFY");
	return 1;
}

static int run_rrecv(const char *macstr, uint32_t session, uint64_t len)
{
	struct ep r, s = { .info = { .endpoint_index = 1, .session_id = session } };
	struct buf sb = { .id = 10 }, rb;
	struct omx_evt_pull_done d = { .status = 99 };
	struct omx_event e;
	uint8_t mac[6];
	int peer;
	double t0;

	if (parse_mac(macstr, mac))
		return 2;
	ep_open(&r, 0, 1, 0);
	peer = mac_peer(r.fd, mac);
	buf_alloc(&rb, len, 2, 77);
	buf_fill(&rb, 0xee, 1);
	reg(&r, &rb, 20, OMX_REGION_WRITABLE);
	printf("ready %u\n", r.info.session_id);
	fflush(stdout);
	while (next_event(&r, 1, 120000, &e) == 0 && e.type != OMX_EVT_RECV_RNDV)
		;
	if (e.type != OMX_EVT_RECV_RNDV) {
		report(0, "rrecv: no RNDV");
		return 1;
	}
	sb.seqnum = e.rndv.rdma_seqnum;
	sb.token_lo = e.rndv.rdma_offset;
	sb.token_hi = e.rndv.token_hi;
	t0 = now_ms();
	CHECK(pull(&r, peer, &s, session, &sb, 0, &rb, 0, (uint32_t)len, 9) == 0, "rrecv: PULL");
	done_ok = wait_done(&r, 120000, &d) == 0 && d.status == OMX_PULL_STATUS_OK && d.length == len;
	CHECK(done_ok,
	      "rrecv: pulled %llu bytes, status %u, in %.0f ms", (unsigned long long)len, d.status,
	      now_ms() - t0);
	CHECK(buf_check(&rb, 0, 0, len, 55), "rrecv: byte for byte");
	{
		struct omx_cmd_send_notify nt = {
			.peer_index = (uint16_t)peer, .dst_endpoint = 1, .session = session,
			.total_length = (uint32_t)len, .rdma_id = 10, .rdma_seqnum = sb.seqnum,
		};

		CHECK(xioctl(r.fd, OMX_CMD_SEND_NOTIFY, &nt) == 0, "rrecv: NOTIFY sent");
	}
	ep_close(&r);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "pair"))
		return run_pair();
	if (argc == 4 && !strcmp(argv[1], "lossy"))
		return run_lossy((unsigned int)atoi(argv[2]), strtoull(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "wire"))
		return run_wire((unsigned int)atoi(argv[2]), strtoull(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "order"))
		return run_order((unsigned int)atoi(argv[2]), (unsigned int)atoi(argv[3]),
				 (uint32_t)strtoul(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "dmafail"))
		return run_dmafail(strtoull(argv[2], NULL, 0), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "rsend"))
		return run_rsend(argv[2], strtoull(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "rrecv"))
		return run_rrecv(argv[2], (uint32_t)strtoul(argv[3], NULL, 0),
				 strtoull(argv[4], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "idle")) {
		int fd = open_dev();

		CHECK(wait_idle(fd, 5000), "GET_DRIVER_INFO: nothing pinned, no region, no pull");
		return failures ? 1 : 0;
	}
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
