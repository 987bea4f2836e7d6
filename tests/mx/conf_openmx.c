// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Synchronous sends as Open-MX 1.5 puts them on the wire: every
 * mx_issend, whatever its length, is a rendezvous (RNDV frame, the
 * receiver pulls, its NOTIFY completes the send).
 *
 *   - mx_issend of 0, 1, 100 and 32768 bytes a->b: board a sends one
 *     RNDV each and no TINY/SMALL/MEDIUM (board counters), the send is
 *     not complete while no receive is posted, then both complete with
 *     the bytes;
 *   - an Open-MX peer's 0-byte mx_issend: a raw endpoint of board a
 *     (the driver ioctls, not the library) connects to b and sends the
 *     RNDV Open-MX sends (msg_length 0, a region id that names nothing
 *     registered); b's mx_irecv completes with MX_STATUS_SUCCESS and
 *     xfer_length 0, and the raw endpoint gets the NOTIFY (its event
 *     and board a's rx_notify).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"
#include "omx_stats.h"
#include "omx_abi.h"
#include "omx_wire.h"

#define OMX_MI_RAW	CONF_MI(0x0e11)

static uint64_t ctr(uint32_t board, enum omx_counter_index i)
{
	return conf_board_counter(board, (unsigned int)i);
}

static void check_issend_is_rndv(struct conf *c, uint32_t len)
{
	uint64_t rndv0 = ctr(c->board_a, OMX_COUNTER_TX_RNDV);
	uint64_t rx0 = ctr(c->board_b, OMX_COUNTER_RX_RNDV);
	uint64_t eager0 = ctr(c->board_a, OMX_COUNTER_TX_TINY) +
			  ctr(c->board_a, OMX_COUNTER_TX_SMALL) +
			  ctr(c->board_a, OMX_COUNTER_TX_MEDIUM);
	uint8_t *sb = malloc(len + 1), *rb = malloc(len + 16);
	mx_segment_t sseg = { sb, len }, rseg = { rb, len + 16 };
	uint64_t mi = CONF_MI(0x55e0000 + len), rndv, rx, eager, resent = 0;
	struct omx_endpoint_stats st0, st1;
	uint32_t result = 1;
	struct pend p[2];
	char name[96];

	if (!sb || !rb) {
		mt_fail("issend as RNDV", "out of memory");
		return;
	}
	memset(p, 0, sizeof(p));
	memset(&st0, 0, sizeof(st0));
	omx_get_endpoint_stats(c->a, &st0, sizeof(st0));
	mt_fill(sb, len, (uint32_t)mi);
	memset(rb, 0xee, len + 16);
	p[1].ep = c->a;
	if (mx_issend(c->a, &sseg, 1, c->a2b, mi, NULL, &p[1].req) != MX_SUCCESS) {
		mt_fail("issend as RNDV", "mx_issend of %u bytes refused", len);
		return;
	}
	/* the receive comes late: the send must wait for it */
	conf_idle(c, 300);
	mx_test(c->a, &p[1].req, &p[1].st, &result);
	snprintf(name, sizeof(name), "mx_issend of %u bytes: not complete before a receive", len);
	mt_check(!result, name, "completed with %s", mx_strstatus(p[1].st.code));
	p[1].done = result != 0;
	p[0].ep = c->b;
	mx_irecv(c->b, &rseg, 1, mi, MX_MATCH_MASK_NONE, NULL, &p[0].req);
	conf_complete(c, p, 2, MT_WAIT_MS);
	rndv = ctr(c->board_a, OMX_COUNTER_TX_RNDV) - rndv0;
	rx = ctr(c->board_b, OMX_COUNTER_RX_RNDV) - rx0;
	eager = ctr(c->board_a, OMX_COUNTER_TX_TINY) + ctr(c->board_a, OMX_COUNTER_TX_SMALL) +
		ctr(c->board_a, OMX_COUNTER_TX_MEDIUM) - eager0;
	/*
	 * A loaded guest may stall the receiver's delayed ack past the
	 * sender's resend timer: a resent RNDV is recovery, not an eager
	 * send, so each one the library counted may add one.
	 */
	if (omx_get_endpoint_stats(c->a, &st1, sizeof(st1)) == MX_SUCCESS)
		resent = st1.resent_timeout - st0.resent_timeout +
			 st1.resent_fast - st0.resent_fast +
			 st1.resent_probe - st0.resent_probe;
	snprintf(name, sizeof(name), "  then completes with the receive, one RNDV (or resends of it) and no eager frame");
	mt_check(p[0].done && p[1].done && p[0].st.code == MX_STATUS_SUCCESS &&
		 p[1].st.code == MX_STATUS_SUCCESS && p[0].st.xfer_length == len &&
		 p[0].st.msg_length == len && mt_verify(rb, len, (uint32_t)mi) < 0 &&
		 rb[len] == 0xee && rndv == 1 + resent && rx == rndv && eager == 0, name,
		 "recv %s (%u of %u bytes), send %s; tx_rndv +%llu, rx_rndv +%llu, tx_tiny/small/medium +%llu, resent %llu",
		 p[0].done ? mx_strstatus(p[0].st.code) : "pending", p[0].st.xfer_length,
		 p[0].st.msg_length, p[1].done ? mx_strstatus(p[1].st.code) : "pending",
		 (unsigned long long)rndv, (unsigned long long)rx, (unsigned long long)eager,
		 (unsigned long long)resent);
	/* a pending request still uses its buffers */
	if (p[0].done && p[1].done) {
		free(sb);
		free(rb);
	}
}

/* A raw endpoint of the driver: what an Open-MX library drives. */
struct raw {
	int fd;
	struct omx_endpoint_info info;
	uint8_t *map;
	struct omx_ring_ctrl *ctrl;
	uint32_t exp_cons, unexp_cons;
};

static int raw_open(struct raw *r, uint32_t board)
{
	uint32_t abi = OMX_ABI_VERSION, i;
	const char *ds = getenv("OMX_DISABLE_SHARED");
	struct omx_endpoint_open o = {
		.board_index = board,
		/* as the library: the wire run keeps board to board frames on the wire */
		.flags = ds && !strcmp(ds, "1") ? OMX_ENDPOINT_OPEN_NO_SHARED : 0,
	};

	memset(r, 0, sizeof(*r));
	r->fd = open(OMX_DEVICE_PATH, O_RDWR);
	if (r->fd < 0 || ioctl(r->fd, OMX_CMD_DECLARE_ABI_VERSION, &abi) < 0)
		return 0;
	for (i = 0; i < 256; i++) {
		o.endpoint_index = i;
		if (!ioctl(r->fd, OMX_CMD_OPEN_ENDPOINT, &o))
			break;
		if (errno != EBUSY)
			return 0;
	}
	if (ioctl(r->fd, OMX_CMD_GET_ENDPOINT_INFO, &r->info) < 0)
		return 0;
	r->map = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED)
		return 0;
	r->ctrl = (struct omx_ring_ctrl *)(r->map + OMX_CTRL_OFFSET);
	return 1;
}

static void raw_close(struct raw *r)
{
	if (r->map && r->map != MAP_FAILED)
		munmap(r->map, OMX_ENDPOINT_MMAP_LEN);
	if (r->fd >= 0)
		close(r->fd);
}

/*
 * The next event of type @type on either ring (others are consumed and
 * skipped), progressing the MX endpoints meanwhile; 0 on timeout.
 */
static int raw_event(struct conf *c, struct raw *r, uint8_t type, struct omx_event *e)
{
	uint64_t end = mt_now_ms() + MT_WAIT_MS;

	do {
		for (int unexp = 0; unexp < 2; unexp++) {
			uint32_t *cons = unexp ? &r->unexp_cons : &r->exp_cons;
			uint32_t *prod = unexp ? &r->ctrl->unexp_prod : &r->ctrl->exp_prod;
			uint32_t *ucons = unexp ? &r->ctrl->unexp_cons : &r->ctrl->exp_cons;
			uint32_t n = unexp ? OMX_UNEXP_EVENTS : OMX_EXP_EVENTS;
			size_t off = unexp ? OMX_UNEXP_EVENTQ_OFFSET : OMX_EXP_EVENTQ_OFFSET;

			while (__atomic_load_n(prod, __ATOMIC_ACQUIRE) != *cons) {
				memcpy(e, r->map + off + (*cons % n) * OMX_EVENT_LEN, sizeof(*e));
				(*cons)++;
				__atomic_store_n(ucons, *cons, __ATOMIC_RELEASE);
				if (e->type == type)
					return 1;
			}
		}
		conf_progress(c);
		sched_yield();
	} while (mt_now_ms() < end);
	return 0;
}

static void check_openmx_empty_issend(struct conf *c)
{
	struct omx_peer_lookup look = { .flags = OMX_PEER_LOOKUP_CREATE };
	uint64_t notify0 = ctr(c->board_a, OMX_COUNTER_RX_NOTIFY);
	uint64_t rndv0 = ctr(c->board_a, OMX_COUNTER_TX_RNDV);
	uint8_t rb[64];
	mx_segment_t rseg = { rb, sizeof(rb) };
	struct omx_cmd_send_connect req;
	struct omx_cmd_send_rndv rv;
	struct omx_cmd_send_liback ack;
	struct omx_event e;
	struct pend p;
	struct raw r;
	uint64_t notified = 0;
	int i, got = 0;

	if (!raw_open(&r, c->board_a)) {
		mt_fail("Open-MX 0-byte mx_issend", "cannot open a raw endpoint on board %u: %s",
			c->board_a, strerror(errno));
		raw_close(&r);
		return;
	}
	for (i = 0; i < 6; i++)
		look.mac[i] = (uint8_t)(c->nic_b >> (40 - 8 * i));
	if (ioctl(r.fd, OMX_CMD_PEER_LOOKUP, &look) < 0) {
		mt_fail("Open-MX 0-byte mx_issend", "PEER_LOOKUP of board b: %s", strerror(errno));
		raw_close(&r);
		return;
	}
	/* the receive is posted first: the RNDV matches at once */
	memset(&p, 0, sizeof(p));
	memset(rb, 0xee, sizeof(rb));
	p.ep = c->b;
	mx_irecv(c->b, &rseg, 1, OMX_MI_RAW, MX_MATCH_MASK_NONE, NULL, &p.req);

	memset(&req, 0, sizeof(req));
	req.peer_index = look.peer_index;
	req.dst_endpoint = (uint8_t)c->eid_b;
	req.src_session_id = r.info.session_id;
	req.app_key = CONF_KEY;
	req.target_recv_seqnum_start = 0x1234;
	req.connect_seqnum = 1;
	if (ioctl(r.fd, OMX_CMD_SEND_CONNECT, &req) < 0 ||
	    !raw_event(c, &r, OMX_EVT_RECV_CONNECT_REPLY, &e) ||
	    e.connect.status != OMX_CONNECT_STATUS_SUCCESS) {
		mt_fail("Open-MX 0-byte mx_issend", "no connect reply from endpoint b");
		raw_close(&r);
		return;
	}
	/* Open-MX's RNDV of an empty mx_issend: length 0, its own region id */
	memset(&rv, 0, sizeof(rv));
	rv.peer_index = look.peer_index;
	rv.dst_endpoint = (uint8_t)c->eid_b;
	rv.session = e.connect.target_session_id;
	rv.seqnum = e.connect.target_recv_seqnum_start;
	rv.piggyack = req.target_recv_seqnum_start;
	rv.msg_length = 0;
	rv.match_info = OMX_MI_RAW;
	rv.rdma_id = 0x2a;
	rv.rdma_seqnum = 0x17;
	if (ioctl(r.fd, OMX_CMD_SEND_RNDV, &rv) < 0) {
		mt_fail("Open-MX 0-byte mx_issend", "SEND_RNDV of 0 bytes: %s", strerror(errno));
		raw_close(&r);
		return;
	}
	mt_check(ctr(c->board_a, OMX_COUNTER_TX_RNDV) - rndv0 == 1,
		 "Open-MX 0-byte mx_issend: one RNDV sent", "tx_rndv +%llu",
		 (unsigned long long)(ctr(c->board_a, OMX_COUNTER_TX_RNDV) - rndv0));
	conf_complete(c, &p, 1, MT_WAIT_MS);
	mt_check(p.done && p.st.code == MX_STATUS_SUCCESS && p.st.xfer_length == 0 &&
		 p.st.msg_length == 0 && p.st.match_info == OMX_MI_RAW && rb[0] == 0xee,
		 "  mx_irecv completes: SUCCESS, 0 bytes, not truncated",
		 "%s, xfer_length %u, msg_length %u",
		 p.done ? mx_strstatus(p.st.code) : "pending", p.st.xfer_length, p.st.msg_length);
	got = raw_event(c, &r, OMX_EVT_RECV_NOTIFY, &e);
	notified = ctr(c->board_a, OMX_COUNTER_RX_NOTIFY) - notify0;
	mt_check(got && e.notify.rdma_id == 0x2a && e.notify.rdma_seqnum == 0x17 &&
		 e.notify.total_length == 0 && e.src_endpoint == c->eid_b && notified >= 1,
		 "  and the sender gets the NOTIFY naming its region",
		 "%s, rdma_id 0x%x seqnum 0x%x length %u; rx_notify +%llu",
		 got ? "NOTIFY" : "no NOTIFY", got ? e.notify.rdma_id : 0,
		 got ? e.notify.rdma_seqnum : 0, got ? e.notify.total_length : 0,
		 (unsigned long long)notified);
	/* (b may have resent it already: we acknowledge only now) */
	if (got) {
		/* acknowledge the NOTIFY, as Open-MX would, so that b stops resending it */
		memset(&ack, 0, sizeof(ack));
		ack.peer_index = look.peer_index;
		ack.dst_endpoint = (uint8_t)c->eid_b;
		ack.session = rv.session;
		ack.acknum = 1;
		ack.lib_seqnum = (uint16_t)(e.notify.seqnum + 1);
		ack.send_seq = ack.lib_seqnum;
		ioctl(r.fd, OMX_CMD_SEND_LIBACK, &ack);
		conf_idle(c, 50);
	}
	raw_close(&r);
}

void conf_openmx(struct conf *c)
{
	static const uint32_t lens[] = { 0, 1, 100, 32768 };

	for (unsigned int i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		check_issend_is_rndv(c, lens[i]);
	check_openmx_empty_issend(c);
}
