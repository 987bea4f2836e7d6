/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The MX conformance suite: what its groups share.  One process holds
 * three endpoints: a and c on board_a, b on board_b, so a->b crosses the
 * wire (or the loopback of a veth pair) and a->c takes the driver's local
 * path.  Every wait progresses all three, since nothing else does in a
 * single-threaded program.
 */
#ifndef CONF_H
#define CONF_H

#include "mx_test_util.h"

#define CONF_KEY	0x4d58c0deU
#define CONF_BAD_KEY	0x0badbadU
/* High bits set in every match info, so that a 32-bit truncation shows. */
#define CONF_MI(x)	(0xfedc000000000000ULL | (uint64_t)(x))

struct conf {
	uint32_t board_a, board_b;
	uint32_t nic_count;		/* boards the host should have */
	mx_endpoint_t a, b, c;
	uint32_t eid_a, eid_b, eid_c;
	uint64_t nic_a, nic_b;
	mx_endpoint_addr_t a2b, a2c, a2a, b2a;
	int connected;			/* the four addresses above are set */
};

/* A request and the endpoint it was posted on. */
struct pend {
	mx_endpoint_t ep;
	mx_request_t req;
	mx_status_t st;
	int done;
};

/* Progress every endpoint of @c once. */
void conf_progress(struct conf *c);
/* Complete the @n requests of @p (mx_test), progressing everything.
 * Returns how many completed within @ms. */
int conf_complete(struct conf *c, struct pend *p, int n, uint32_t ms);
/* Progress everything for @ms. */
void conf_idle(struct conf *c, uint32_t ms);

/*
 * Send @len bytes of message @msgno from @s to @dst (seen by @r as match
 * info CONF_MI(msgno)), gathered from @sseg segments and scattered into
 * @rseg (0: contiguous), and verify the receive byte for byte.
 */
int conf_xfer(struct conf *c, mx_endpoint_t s, mx_endpoint_addr_t dst,
	      mx_endpoint_t r, uint32_t len, uint32_t sseg, uint32_t rseg,
	      uint32_t msgno, const char *name);

/* iconnect @from to (@nic, @eid) with @key, progressing everything. */
int conf_connect(struct conf *c, mx_endpoint_t from, uint64_t nic,
		 uint32_t eid, uint32_t key, mx_endpoint_addr_t *addr,
		 mx_status_t *st);

/* Wait (bounded) until @ep has an unexpected message matching @mi/@mask. */
int conf_wait_unexpected(struct conf *c, mx_endpoint_t ep, uint64_t mi,
			 uint64_t mask, mx_status_t *st, uint32_t ms);

void conf_init_errors(void);
void conf_endpoints(struct conf *c);
void conf_info(struct conf *c);
void conf_sizes(struct conf *c);
void conf_matching(struct conf *c);
void conf_unexp_handler(struct conf *c);
void conf_completion(struct conf *c);
void conf_threads(struct conf *c);
void conf_outstanding(struct conf *c, mx_endpoint_t s, mx_endpoint_addr_t dst,
		      mx_endpoint_t r, uint32_t count, const char *path);
void conf_strings(void);
/* conf_compat.c: close flushing acks, mx_connect, MX_* environment (@env_checks) */
void conf_compat(struct conf *c, int env_checks);
int conf_child_paths(uint32_t board_a, uint32_t board_b);
/* Board counter @idx (enum omx_counter_index), or ~0 when unreadable. */
uint64_t conf_board_counter(uint32_t board, unsigned int idx);
/* conf_openmx.c: mx_issend as Open-MX sends it (RNDV whatever its length) */
void conf_openmx(struct conf *c);

#endif /* CONF_H */
