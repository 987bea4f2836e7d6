/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The large-message suite (mx_large): what its parts share.  Messages
 * above 32 KiB go by rendezvous: the receiver's driver pulls the data,
 * so a single-threaded program must progress the sending endpoint while
 * it waits for a receive (and the other way round).
 */
#ifndef LARGE_H
#define LARGE_H

#include "mx_test_util.h"

#define LX_KEY		0x1a26e000U
/* Match info: tag, mode, message number, length (see lx_mi). */
#define LX_TAG		0x4cULL
#define LX_MASK_ALL	MX_MATCH_MASK_NONE

static inline uint64_t lx_mi(uint32_t mode, uint32_t msgno, uint32_t len)
{
	return LX_TAG << 56 | (uint64_t)(mode & 0xff) << 48 |
	       (uint64_t)(msgno & 0xffff) << 32 | len;
}

#define LX_PAGE		4096U
/* Guard bytes before and after every receive buffer. */
#define LX_GUARD	LX_PAGE
#define LX_GUARD_BYTE	0xa5

/* One process, endpoints a and c on board_a, b on board_b. */
struct large {
	uint32_t board_a, board_b;
	mx_endpoint_t a, b, c;
	mx_endpoint_addr_t a2b, b2a, a2c, a2a;
};

/* How one message is sent and received. */
struct lx_opts {
	uint32_t sseg, rseg;	/* segment counts, 0: contiguous */
	uint32_t soff, roff;	/* buffer start past a page boundary */
	int trunc;		/* receive into @rlen bytes only */
	uint32_t rlen;
	int unexpected;		/* send, see it with mx_iprobe, then receive */
	int sync;		/* mx_issend, must wait for the receive */
};

/*
 * Buffer @slot (0..LX_POOLS-1) of at least @len bytes, page-aligned,
 * kept across calls (grown when too small).  lx_pool_drop forgets it.
 */
#define LX_POOLS	8
void *lx_pool(unsigned int slot, size_t len);
void lx_pool_drop(unsigned int slot);

/* Offset of the first byte of @p[0..@len) that is not LX_GUARD_BYTE, or -1. */
long lx_guard_bad(const uint8_t *p, size_t len);

/* Bound for one transfer of @len bytes (ms). */
uint32_t lx_bound_ms(uint64_t len);

/* Progress every endpoint of @L (those that are open). */
void lx_progress(struct large *L);
/*
 * Test @req on @ep until it completes or @ms pass, progressing all of
 * @L's endpoints; 1 when done (status in @st).
 */
int lx_test_wait(struct large *L, mx_endpoint_t ep, mx_request_t *req,
		 mx_status_t *st, uint32_t ms);

/*
 * Open endpoints a on board @ba and b on @bb, connect a->b and b->a;
 * with @with_c also c on @ba, a->c and a->a.
 */
int lx_setup(struct large *L, uint32_t ba, uint32_t bb, int with_c);
void lx_teardown(struct large *L);

/* Page-aligned buffer of @len bytes (mmap); lx_free with the same length. */
void *lx_alloc(size_t len);
void lx_free(void *p, size_t len);

/*
 * Send @len pattern bytes of @msgno from @s to @dst and receive them on
 * @r as @o says; checks both statuses, msg_length, xfer_length, every
 * byte and the guards around the receive buffer.  One check line @name.
 */
int lx_xfer(struct large *L, mx_endpoint_t s, mx_endpoint_addr_t dst,
	    mx_endpoint_t r, uint32_t len, const struct lx_opts *o,
	    uint32_t msgno, const char *name);

/* Pages the driver has pinned now (GET_DRIVER_INFO), or -1 on error. */
long long lx_pinned_pages(uint32_t *regions, uint32_t *pulls);
/* Check that nothing stays pinned (waits up to @ms for pulls to end). */
int lx_check_unpinned(const char *name, uint32_t ms);

/* A sender, a receiver and the address between them. */
struct lx_path {
	const char *id, *name;
	mx_endpoint_t s, r;
	mx_endpoint_addr_t dst;
};

/* Paths to run, a subset of "ab,ba,ac,aa" (a->b, b->a, a->c, self). */
extern const char *lx_paths;
/* The paths of @L that lx_paths names, into @p[4]; returns the count. */
unsigned int lx_get_paths(struct large *L, struct lx_path *p);

/* The sweep's sizes (32 KiB + 1 to 8 MiB + 3) and ways of sending. */
struct lx_mode {
	const char *what;
	struct lx_opts o;
	int every_path;		/* else only a->b and a->c */
};
extern const uint32_t lx_sizes[];
extern const unsigned int lx_nsizes;
extern const struct lx_mode lx_modes[];
extern const unsigned int lx_nmodes;

/* The groups of "mx_large local". */
void lx_sweep(struct large *L, uint32_t max, uint32_t big);
void lx_cases(struct large *L);
void lx_rcache(struct large *L);

/* Multi-process commands. */
int lx_serve(uint32_t board, uint32_t eid, uint32_t seconds);
int lx_drive(uint32_t board, const char *peer, uint32_t peer_eid,
	     uint32_t max, uint32_t big);
int lx_pairs(uint32_t count, uint32_t ba, uint32_t bb, uint32_t rounds,
	     uint32_t max);
int lx_pairwork(uint32_t index, uint32_t ba, uint32_t bb, uint32_t rounds,
		uint32_t max);
int lx_victim(uint32_t board, uint32_t peer_board, uint32_t peer_eid,
	      uint32_t len);
int lx_survivor(uint32_t board, uint32_t eid, uint32_t len,
		uint32_t seconds);

#endif /* LARGE_H */
