// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_ring_test: the driver's messaging ABI through raw ioctls and the
 * mmap'ed rings (not the MX library): every send command, every event
 * field, byte for byte, the argument checks, WAIT_EVENT, NACKs and ring
 * overflow.
 *
 *   omx_ring_test pair            boards 0 and 1 of one host (veth pair):
 *                                 wire path 0 -> 1 and local path 0 -> 0
 *   omx_ring_test quiet B E SECS [STOP]
 *                                 endpoint E of board B must receive nothing
 *                                 for SECS seconds, or until the file STOP
 *                                 exists (prints "ready" first)
 *   omx_ring_test dead B IFNAME   endpoint of board B (interface IFNAME)
 *                                 while the board is detached by force
 *   omx_ring_test serve           twonode: endpoint 1 of board 0 accepts a
 *                                 connection and checks what follows
 *   omx_ring_test client MAC      twonode: connects to "serve" at MAC
 *   omx_ring_test serve           twonode: endpoint 1 of board 0 answers
 *                                 a client, then checks its messages
 *   omx_ring_test client MAC      twonode: talks to "serve" at MAC
 *
 * Prints one "ok ..." or "FAIL ..." line per check; exits 1 on any FAIL.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_wire.h"
#include "raw_ep.h"

/* ioctl must fail with @err (0: succeed) */
static int check_ioctl(const char *what, int fd, unsigned long cmd, void *arg, int err)
{
	int ret = ioctl(fd, cmd, arg);
	int got = ret < 0 ? errno : 0;

	if (got != err) {
		report(0, "%s: errno %d (%s), expected %d (%s)", what, got, strerror(got),
		       err, strerror(err));
		return 0;
	}
	report(1, "%s", what);
	return 1;
}

static uint32_t frag_len_of(uint32_t mtu)
{
	uint32_t frame = mtu + OMX_ETH_HLEN;

	if (frame >= OMX_MTU_9000)
		return OMX_MEDIUM_FRAG_LEN_9000;
	if (frame >= OMX_MTU_1500)
		return OMX_MEDIUM_FRAG_LEN_1500;
	return OMX_MEDIUM_FRAG_LEN(frame);
}

static uint32_t load_acquire(uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/*
 * 0 or -1, as next_event(); but a failing WAIT_EVENT is a FAIL of its own
 * here, so that a broken wait cannot pass for the quiet some checks expect.
 */
static int take_event(struct ep *ep, int unexp, unsigned int ms, struct omx_event *evt,
		      uint8_t *slot)
{
	int err = ep_event(ep, unexp, ms, evt, slot);

	if (err < 0)
		report(0, "WAIT_EVENT: %s", strerror(-err));
	return err ? -1 : 0;
}

static void fill(uint8_t *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed * 31 + i * 7 + (i >> 8));
}

static int send_msg(struct ep *s, unsigned long cmd, uint16_t peer, uint8_t dst, uint32_t session,
		    uint16_t seq, const void *data, uint32_t len, uint32_t msg_len, uint8_t frag)
{
	struct omx_cmd_send_msg m = {
		.peer_index = peer, .dst_endpoint = dst, .frag_seqnum = frag,
		.session = session, .seqnum = seq, .piggyack = (uint16_t)(seq ^ 0x5a5a),
		.length = len, .msg_length = msg_len,
		.match_info = 0x0123456789abcdefULL ^ seq,
		.data = (uintptr_t)data,
	};

	return ioctl(s->fd, cmd, &m) < 0 ? -errno : 0;
}

/* Every field of a message event, and its payload, as sent by send_msg(). */
static void check_msg_event(const char *what, const struct omx_event *e, uint8_t type,
			    uint16_t peer, uint8_t src, uint16_t seq, const uint8_t *data,
			    uint32_t len, uint32_t msg_len, uint8_t frag, const uint8_t *slot,
			    uint32_t expect_slot)
{
	int ok = e->type == type && e->peer_index == peer && e->src_endpoint == src &&
		e->pad == 0 && e->msg.match_info == (0x0123456789abcdefULL ^ seq) &&
		e->msg.seqnum == seq && e->msg.piggyack == (uint16_t)(seq ^ 0x5a5a);

	if (type == OMX_EVT_RECV_MEDIUM_FRAG)
		ok = ok && e->msg.length == msg_len && e->msg.frag_length == len &&
			e->msg.frag_seqnum == frag;
	else
		ok = ok && e->msg.length == len && e->msg.frag_length == 0 &&
			e->msg.frag_seqnum == 0;
	if (type == OMX_EVT_RECV_TINY)
		ok = ok && (len == 0 || !memcmp(e->msg.data, data, len));
	else
		ok = ok && e->msg.recvq_slot == expect_slot && (len == 0 || !memcmp(slot, data, len));
	report(ok, "%s: event fields and payload (type %u peer %u src %u seq %u len %u/%u frag %u slot %u)",
	       what, e->type, e->peer_index, e->src_endpoint, e->msg.seqnum, e->msg.length,
	       e->msg.frag_length, e->msg.frag_seqnum, e->msg.recvq_slot);
}

static uint16_t seqgen = 100;

/*
 * Send one message of each class, at the class boundaries, from @s to
 * @r through @peer (r's MAC in s's table); @back is s's index in r's
 * table, as r's events must name it.
 */
static void exchange(const char *path, struct ep *s, struct ep *r, uint16_t peer, uint16_t back)
{
	static uint8_t data[OMX_MEDIUM_MAX], slot[OMX_RECVQ_SLOT_LEN];
	static const uint32_t tiny_sizes[] = { 0, 1, 31, 32 };
	static const uint32_t small_sizes[] = { 0, 33, 127, 128 };
	uint32_t fl = frag_len_of(s->info.mtu);
	const uint32_t medium_sizes[] = { 1, 129, fl, fl + 1, 3 * fl + 5, OMX_MEDIUM_MAX };
	struct omx_event e;
	char what[128];
	unsigned int i;
	uint32_t f, nfrags, off, len, expect_slot;

	for (i = 0; i < 4; i++) {
		uint16_t seq = seqgen++;

		fill(data, tiny_sizes[i], seq);
		snprintf(what, sizeof(what), "%s TINY %u bytes", path, tiny_sizes[i]);
		CHECK(send_msg(s, OMX_CMD_SEND_TINY, peer, r->info.endpoint_index,
			       r->info.session_id, seq, data, tiny_sizes[i], 0, 0) == 0, "%s sent", what);
		if (take_event(r, 1, 2000, &e, NULL))
			report(0, "%s: no event", what);
		else
			check_msg_event(what, &e, OMX_EVT_RECV_TINY, back, s->info.endpoint_index,
					seq, data, tiny_sizes[i], 0, 0, NULL, 0);
	}
	for (i = 0; i < 4; i++) {
		uint16_t seq = seqgen++;

		fill(data, small_sizes[i], seq);
		snprintf(what, sizeof(what), "%s SMALL %u bytes", path, small_sizes[i]);
		CHECK(send_msg(s, OMX_CMD_SEND_SMALL, peer, r->info.endpoint_index,
			       r->info.session_id, seq, data, small_sizes[i], 0, 0) == 0, "%s sent", what);
		expect_slot = r->unexp_cons % OMX_UNEXP_EVENTS;
		if (take_event(r, 1, 2000, &e, slot))
			report(0, "%s: no event", what);
		else
			check_msg_event(what, &e, OMX_EVT_RECV_SMALL, back, s->info.endpoint_index,
					seq, data, small_sizes[i], 0, 0, slot, expect_slot);
	}
	for (i = 0; i < sizeof(medium_sizes) / sizeof(medium_sizes[0]); i++) {
		uint16_t seq = seqgen++;
		uint32_t msg_len = medium_sizes[i];

		fill(data, msg_len, seq);
		nfrags = (msg_len + fl - 1) / fl;
		for (f = 0; f < nfrags; f++) {
			off = f * fl;
			len = msg_len - off < fl ? msg_len - off : fl;
			snprintf(what, sizeof(what), "%s MEDIUM %u bytes frag %u/%u", path, msg_len,
				 f, nfrags);
			CHECK(send_msg(s, OMX_CMD_SEND_MEDIUM_FRAG, peer, r->info.endpoint_index,
				       r->info.session_id, seq, data + off, len, msg_len, f) == 0,
			      "%s sent", what);
		}
		for (f = 0; f < nfrags; f++) {
			off = f * fl;
			len = msg_len - off < fl ? msg_len - off : fl;
			snprintf(what, sizeof(what), "%s MEDIUM %u bytes frag %u/%u", path, msg_len,
				 f, nfrags);
			expect_slot = r->unexp_cons % OMX_UNEXP_EVENTS;
			if (take_event(r, 1, 2000, &e, slot))
				report(0, "%s: no event", what);
			else
				check_msg_event(what, &e, OMX_EVT_RECV_MEDIUM_FRAG, back,
						s->info.endpoint_index, seq, data + off, len, msg_len,
						f, slot, expect_slot);
		}
	}
}

/* CONNECT request s -> r, reply r -> s through the peer index r's event gave. */
static void connect_pair(const char *path, struct ep *s, struct ep *r, uint16_t peer,
			 uint16_t back)
{
	struct omx_cmd_send_connect req = {
		.peer_index = peer, .dst_endpoint = r->info.endpoint_index, .is_reply = 0,
		.src_session_id = s->info.session_id, .app_key = 0xfeedbeef,
		.target_recv_seqnum_start = 0x1234, .connect_seqnum = 7,
	};
	struct omx_cmd_send_connect rep = {
		.dst_endpoint = s->info.endpoint_index, .is_reply = 1,
		.src_session_id = s->info.session_id, .target_session_id = r->info.session_id,
		.target_recv_seqnum_start = 0x4321, .connect_seqnum = 7, .status = 11,
	};
	struct omx_event e;

	CHECK(ioctl(s->fd, OMX_CMD_SEND_CONNECT, &req) == 0, "%s CONNECT request sent", path);
	if (take_event(r, 1, 2000, &e, NULL)) {
		report(0, "%s CONNECT request: no event", path);
		return;
	}
	CHECK(e.type == OMX_EVT_RECV_CONNECT_REQUEST && e.peer_index == back &&
	      e.src_endpoint == s->info.endpoint_index &&
	      e.connect.src_session_id == s->info.session_id && e.connect.app_key == 0xfeedbeef &&
	      e.connect.target_session_id == 0 && e.connect.target_recv_seqnum_start == 0x1234 &&
	      e.connect.connect_seqnum == 7 && e.connect.status == 0 &&
	      e.connect.src_generation == 0,
	      "%s CONNECT request event fields (type %u peer %u src %u)", path, e.type,
	      e.peer_index, e.src_endpoint);

	rep.peer_index = e.peer_index;
	CHECK(ioctl(r->fd, OMX_CMD_SEND_CONNECT, &rep) == 0, "%s CONNECT reply sent", path);
	if (take_event(s, 0, 2000, &e, NULL)) {
		report(0, "%s CONNECT reply: no event", path);
		return;
	}
	CHECK(e.type == OMX_EVT_RECV_CONNECT_REPLY && e.peer_index == peer &&
	      e.src_endpoint == r->info.endpoint_index &&
	      e.connect.src_session_id == s->info.session_id && e.connect.app_key == 0 &&
	      /* a refusal (BAD_KEY) names no session, whatever its sender wrote */
	      e.connect.target_session_id == 0 &&
	      e.connect.target_recv_seqnum_start == 0x4321 && e.connect.connect_seqnum == 7 &&
	      e.connect.status == 11,
	      "%s CONNECT reply event fields (type %u peer %u)", path, e.type, e.peer_index);
}

/* LIBACK and NACK_LIB r -> s (answers land in s's expected ring). */
static void answers(const char *path, struct ep *s, struct ep *r, uint16_t back, uint16_t peer)
{
	struct omx_cmd_send_liback ack = {
		.peer_index = back, .dst_endpoint = s->info.endpoint_index, .resent = 1,
		.session = s->info.session_id, .acknum = 0xa1b2c3d4, .lib_seqnum = 0x4567,
		.send_seq = 0x4567,
	};
	struct omx_cmd_send_nack_lib nack = {
		.peer_index = back, .dst_endpoint = s->info.endpoint_index,
		.nack_type = OMX_NACK_TYPE_BAD_SESSION, .lib_seqnum = 0x2345,
	};
	struct omx_event e;

	CHECK(ioctl(r->fd, OMX_CMD_SEND_LIBACK, &ack) == 0, "%s LIBACK sent", path);
	if (take_event(s, 0, 2000, &e, NULL))
		report(0, "%s LIBACK: no event", path);
	else
		CHECK(e.type == OMX_EVT_RECV_LIBACK && e.peer_index == peer &&
		      e.src_endpoint == r->info.endpoint_index && e.liback.acknum == 0xa1b2c3d4 &&
		      e.liback.lib_seqnum == 0x4567 && e.liback.send_seq == 0x4567 &&
		      e.liback.resent == 1,
		      "%s LIBACK event fields (type %u)", path, e.type);

	CHECK(ioctl(r->fd, OMX_CMD_SEND_NACK_LIB, &nack) == 0, "%s NACK_LIB sent", path);
	if (take_event(s, 0, 2000, &e, NULL))
		report(0, "%s NACK_LIB: no event", path);
	else
		CHECK(e.type == OMX_EVT_RECV_NACK_LIB && e.peer_index == peer &&
		      e.src_endpoint == r->info.endpoint_index &&
		      e.nack_lib.lib_seqnum == 0x2345 &&
		      e.nack_lib.nack_type == OMX_NACK_TYPE_BAD_SESSION,
		      "%s NACK_LIB event fields (type %u)", path, e.type);

	ack.session ^= 1;
	CHECK(ioctl(r->fd, OMX_CMD_SEND_LIBACK, &ack) == 0, "%s LIBACK with a wrong session sent", path);
	CHECK(take_event(s, 0, 300, &e, NULL) == -1, "%s LIBACK with a wrong session not delivered", path);
}

/* s sends to r's endpoint @dst with @session; s must get NACK @type. */
static void expect_nack(const char *what, struct ep *s, uint16_t peer, uint8_t dst,
			uint32_t session, uint8_t type)
{
	uint8_t byte = 1;
	struct omx_event e;
	uint16_t seq = seqgen++;

	CHECK(send_msg(s, OMX_CMD_SEND_TINY, peer, dst, session, seq, &byte, 1, 0, 0) == 0,
	      "%s: TINY sent", what);
	if (take_event(s, 0, 2000, &e, NULL)) {
		report(0, "%s: no NACK", what);
		return;
	}
	CHECK(e.type == OMX_EVT_RECV_NACK_LIB && e.nack_lib.nack_type == type &&
	      e.nack_lib.lib_seqnum == seq && e.src_endpoint == dst,
	      "%s: NACK_LIB type %u seq %u src %u", what, e.nack_lib.nack_type,
	      e.nack_lib.lib_seqnum, e.src_endpoint);
}

static void check_bad_args(struct ep *s, uint16_t peer, uint8_t dst, uint32_t session)
{
	static uint8_t data[OMX_MEDIUM_MAX];
	uint32_t fl = frag_len_of(s->info.mtu);
	struct omx_cmd_send_msg m = { .peer_index = peer, .dst_endpoint = dst, .session = session,
				      .length = 1, .data = (uintptr_t)data };
	struct omx_cmd_send_msg b;
	struct omx_cmd_send_connect c = { .peer_index = peer, .dst_endpoint = dst };
	struct omx_cmd_send_connect cb;
	struct omx_cmd_send_liback a = { .peer_index = peer, .dst_endpoint = dst };
	struct omx_cmd_send_nack_lib n = { .peer_index = peer, .dst_endpoint = dst, .nack_type = 1 };
	struct omx_cmd_send_nack_lib nb;
	struct omx_peer_lookup pl;
	int fd = open_dev();

#define BAD(what, cmd, arg, err) check_ioctl(what, s->fd, cmd, arg, err)
	b = m; b.pad = 1;
	BAD("TINY pad != 0", OMX_CMD_SEND_TINY, &b, EINVAL);
	b = m; b.length = 33;
	BAD("TINY 33 bytes", OMX_CMD_SEND_TINY, &b, EINVAL);
	b = m; b.msg_length = 1;
	BAD("TINY msg_length != 0", OMX_CMD_SEND_TINY, &b, EINVAL);
	b = m; b.frag_seqnum = 1;
	BAD("TINY frag_seqnum != 0", OMX_CMD_SEND_TINY, &b, EINVAL);
	b = m; b.length = 129;
	BAD("SMALL 129 bytes", OMX_CMD_SEND_SMALL, &b, EINVAL);
	b = m; b.pad = 2;
	BAD("SMALL pad != 0", OMX_CMD_SEND_SMALL, &b, EINVAL);
	b = m; b.length = 0; b.msg_length = 1;
	BAD("MEDIUM empty fragment", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = fl + 1; b.msg_length = OMX_MEDIUM_MAX;
	BAD("MEDIUM fragment > fragment size", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = 1; b.msg_length = 0;
	BAD("MEDIUM msg_length 0", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = 1; b.msg_length = OMX_MEDIUM_MAX + 1;
	BAD("MEDIUM msg_length 32769", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = 1; b.msg_length = OMX_MEDIUM_MAX; b.frag_seqnum = 32;
	BAD("MEDIUM frag_seqnum 32", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = fl - 1; b.msg_length = 2 * fl;
	BAD("MEDIUM short non-last fragment", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = 1; b.msg_length = fl; b.frag_seqnum = 1;
	BAD("MEDIUM fragment beyond the message", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.length = 2; b.msg_length = fl + 1; b.frag_seqnum = 1;
	BAD("MEDIUM last fragment too long", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);
	b = m; b.pad = 1; b.msg_length = 1;
	BAD("MEDIUM pad != 0", OMX_CMD_SEND_MEDIUM_FRAG, &b, EINVAL);

	cb = c; cb.pad = 1;
	BAD("CONNECT pad != 0", OMX_CMD_SEND_CONNECT, &cb, EINVAL);
	cb = c; cb.is_reply = 2;
	BAD("CONNECT is_reply 2", OMX_CMD_SEND_CONNECT, &cb, EINVAL);
	cb = c; cb.status = 1;
	BAD("CONNECT request with a status", OMX_CMD_SEND_CONNECT, &cb, EINVAL);
	cb = c; cb.target_session_id = 1;
	BAD("CONNECT request with a target session", OMX_CMD_SEND_CONNECT, &cb, EINVAL);
	cb = c; cb.is_reply = 1; cb.app_key = 1;
	BAD("CONNECT reply with an app key", OMX_CMD_SEND_CONNECT, &cb, EINVAL);
	nb = n; nb.pad = 1;
	BAD("NACK_LIB pad != 0", OMX_CMD_SEND_NACK_LIB, &nb, EINVAL);
	nb = n; nb.nack_type = 0;
	BAD("NACK_LIB type 0", OMX_CMD_SEND_NACK_LIB, &nb, EINVAL);
	nb = n; nb.nack_type = 5;
	BAD("NACK_LIB type 5", OMX_CMD_SEND_NACK_LIB, &nb, EINVAL);

	b = m; b.peer_index = 0xfffe;
	BAD("TINY to a free peer index", OMX_CMD_SEND_TINY, &b, ENOENT);
	cb = c; cb.peer_index = 0xffff;
	BAD("CONNECT to peer 0xffff", OMX_CMD_SEND_CONNECT, &cb, ENOENT);
	a.peer_index = 0xfffe;
	BAD("LIBACK to a free peer index", OMX_CMD_SEND_LIBACK, &a, ENOENT);
	nb = n; nb.peer_index = 0xfffe;
	BAD("NACK_LIB to a free peer index", OMX_CMD_SEND_NACK_LIB, &nb, ENOENT);

	b = m; b.data = 0;
	BAD("TINY NULL data", OMX_CMD_SEND_TINY, &b, EFAULT);
	b = m; b.length = 100; b.data = 16;
	BAD("SMALL unmapped data", OMX_CMD_SEND_SMALL, &b, EFAULT);
	b = m; b.length = fl; b.msg_length = fl; b.data = (uintptr_t)-4096;
	BAD("MEDIUM kernel-address data", OMX_CMD_SEND_MEDIUM_FRAG, &b, EFAULT);
	b = m; b.length = 0; b.data = 0;
	BAD("TINY 0 bytes needs no data", OMX_CMD_SEND_TINY, &b, 0);
	BAD("SEND_TINY NULL argument", OMX_CMD_SEND_TINY, NULL, EFAULT);
	BAD("WAIT_EVENT NULL argument", OMX_CMD_WAIT_EVENT, NULL, EFAULT);
	BAD("PEER_LOOKUP NULL argument", OMX_CMD_PEER_LOOKUP, NULL, EFAULT);
#undef BAD

	check_ioctl("SEND_TINY without endpoint", fd, OMX_CMD_SEND_TINY, &m, ENOTCONN);
	check_ioctl("SEND_SMALL without endpoint", fd, OMX_CMD_SEND_SMALL, &m, ENOTCONN);
	check_ioctl("SEND_MEDIUM_FRAG without endpoint", fd, OMX_CMD_SEND_MEDIUM_FRAG, &m, ENOTCONN);
	check_ioctl("SEND_CONNECT without endpoint", fd, OMX_CMD_SEND_CONNECT, &c, ENOTCONN);
	check_ioctl("SEND_LIBACK without endpoint", fd, OMX_CMD_SEND_LIBACK, &a, ENOTCONN);
	check_ioctl("SEND_NACK_LIB without endpoint", fd, OMX_CMD_SEND_NACK_LIB, &n, ENOTCONN);
	check_ioctl("WAKEUP without endpoint", fd, OMX_CMD_WAKEUP, NULL, ENOTCONN);
	{
		struct omx_wait w = { .timeout_ms = 0 };

		check_ioctl("WAIT_EVENT without endpoint", fd, OMX_CMD_WAIT_EVENT, &w, ENOTCONN);
	}
	errno = 0;
	CHECK(map_ep(fd) == MAP_FAILED && errno == ENOTCONN, "mmap without endpoint: ENOTCONN");

	memset(&pl, 0, sizeof(pl));
	check_ioctl("PEER_LOOKUP zero MAC", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	memset(pl.mac, 0xff, 6);
	check_ioctl("PEER_LOOKUP broadcast MAC", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	memcpy(pl.mac, "\x02\x00\x00\x00\x00\x01", 6);
	pl.flags = 4;
	check_ioctl("PEER_LOOKUP unknown flag", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	pl.flags = OMX_PEER_LOOKUP_BY_HOSTNAME | OMX_PEER_LOOKUP_CREATE;
	strcpy(pl.hostname, "x");
	check_ioctl("PEER_LOOKUP by hostname with CREATE", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	pl.flags = 0;
	pl.pad[0] = 1;
	check_ioctl("PEER_LOOKUP pad != 0", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	pl.pad[0] = 0;
	check_ioctl("PEER_LOOKUP unknown MAC", fd, OMX_CMD_PEER_LOOKUP, &pl, ENOENT);
	pl.flags = OMX_PEER_LOOKUP_BY_HOSTNAME;
	memset(pl.hostname, 'a', sizeof(pl.hostname));
	check_ioctl("PEER_LOOKUP hostname without NUL", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	pl.hostname[0] = 0;
	check_ioctl("PEER_LOOKUP empty hostname", fd, OMX_CMD_PEER_LOOKUP, &pl, EINVAL);
	strcpy(pl.hostname, "no-such-host:0");
	check_ioctl("PEER_LOOKUP unknown hostname", fd, OMX_CMD_PEER_LOOKUP, &pl, ENOENT);
	close(fd);
}

static void check_mmap(struct ep *s)
{
	void *p;

	errno = 0;
	p = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 4096);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mmap at offset 4096: EINVAL");
	errno = 0;
	p = mmap(NULL, OMX_ENDPOINT_MMAP_LEN - 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mmap one page short: EINVAL");
	errno = 0;
	p = mmap(NULL, OMX_ENDPOINT_MMAP_LEN + 4096, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mmap one page long: EINVAL");
	errno = 0;
	p = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, s->fd, 0);
	CHECK(p == MAP_FAILED && errno == EINVAL, "private mmap: EINVAL");
	errno = 0;
	p = mmap(NULL, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_EXEC, MAP_SHARED, s->fd, 0);
	CHECK(p == MAP_FAILED && errno == EPERM, "executable mmap: EPERM");
	if (p != MAP_FAILED)
		munmap(p, OMX_ENDPOINT_MMAP_LEN);
	p = map_ep(s->fd);
	CHECK(p != MAP_FAILED && ((struct omx_ring_ctrl *)p)->unexp_prod == s->ctrl->unexp_prod,
	      "a second shared mapping sees the same rings");
	if (p != MAP_FAILED) {
		errno = 0;
		CHECK(mprotect(p, OMX_ENDPOINT_MMAP_LEN, PROT_READ | PROT_EXEC) == -1 &&
		      errno == EACCES, "mprotect of the rings to PROT_EXEC: EACCES");
		munmap(p, OMX_ENDPOINT_MMAP_LEN);
	}
}

struct waiter {
	struct ep *ep;
	int ret, err;
	struct omx_wait w;
	volatile int started;
};

static void *waiter_run(void *arg)
{
	struct waiter *wt = arg;

	wt->w.exp_cons = wt->ep->exp_cons;
	wt->w.unexp_cons = wt->ep->unexp_cons;
	wt->w.timeout_ms = OMX_WAIT_FOREVER;
	wt->started = 1;
	wt->ret = ioctl(wt->ep->fd, OMX_CMD_WAIT_EVENT, &wt->w);
	wt->err = errno;
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

static void start_waiter(pthread_t *t, struct waiter *wt, struct ep *ep)
{
	memset(wt, 0, sizeof(*wt));
	wt->ep = ep;
	pthread_create(t, NULL, waiter_run, wt);
	while (!wt->started)
		usleep(1000);
	usleep(200000);		/* let it fall asleep in the driver */
}

static void drain(struct ep *ep)
{
	struct omx_event e;

	while (take_event(ep, 1, 0, &e, NULL) == 0)
		;
	while (take_event(ep, 0, 0, &e, NULL) == 0)
		;
}

static void check_wait(struct ep *s, struct ep *r, uint16_t peer)
{
	struct omx_wait w;
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct waiter wt;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	struct omx_event e;
	pthread_t t;
	double t0;
	uint8_t byte = 9;

	drain(r);
	w.exp_cons = r->exp_cons;
	w.unexp_cons = r->unexp_cons;
	w.timeout_ms = 100;
	t0 = now_ms();
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_TIMEOUT &&
	      now_ms() - t0 >= 90, "WAIT_EVENT times out after 100 ms (status %u, %.0f ms)",
	      w.status, now_ms() - t0);
	w.timeout_ms = 0;
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_TIMEOUT,
	      "WAIT_EVENT with timeout 0 polls");
	CHECK(poll(&pfd, 1, 0) == 0, "poll: nothing to read on empty rings");

	send_msg(s, OMX_CMD_SEND_TINY, peer, r->info.endpoint_index, r->info.session_id,
		 seqgen++, &byte, 1, 0, 0);
	usleep(100000);
	w.timeout_ms = 10000;
	t0 = now_ms();
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_EVENT &&
	      now_ms() - t0 < 5000, "WAIT_EVENT returns at once when an event is pending");
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN), "poll: POLLIN with an event pending");
	w.unexp_cons = r->unexp_cons + 1;
	w.timeout_ms = 0;
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_TIMEOUT,
	      "WAIT_EVENT: no event beyond the consumer index given");
	take_event(r, 1, 0, &e, NULL);
	CHECK(poll(&pfd, 1, 0) == 0, "poll: nothing once consumed");

	start_waiter(&t, &wt, r);
	CHECK(ioctl(r->fd, OMX_CMD_WAKEUP) == 0, "WAKEUP");
	pthread_join(t, NULL);
	CHECK(wt.ret == 0 && wt.w.status == OMX_WAIT_WAKEUP,
	      "WAKEUP wakes a sleeper in another thread (ret %d status %u)", wt.ret, wt.w.status);
	w.exp_cons = r->exp_cons;
	w.unexp_cons = r->unexp_cons;
	w.timeout_ms = 0;
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_TIMEOUT,
	      "the wakeup was consumed");
	CHECK(ioctl(r->fd, OMX_CMD_WAKEUP) == 0, "WAKEUP with nobody asleep");
	w.timeout_ms = 10000;
	CHECK(ioctl(r->fd, OMX_CMD_WAIT_EVENT, &w) == 0 && w.status == OMX_WAIT_WAKEUP,
	      "a pending wakeup makes the next WAIT_EVENT return at once");

	start_waiter(&t, &wt, r);
	send_msg(s, OMX_CMD_SEND_TINY, peer, r->info.endpoint_index, r->info.session_id,
		 seqgen++, &byte, 1, 0, 0);
	pthread_join(t, NULL);
	CHECK(wt.ret == 0 && wt.w.status == OMX_WAIT_EVENT, "an arriving event wakes a sleeper");
	take_event(r, 1, 0, &e, NULL);

	sigaction(SIGUSR1, &sa, NULL);
	start_waiter(&t, &wt, r);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	CHECK(wt.ret < 0 && wt.err == EINTR, "a signal interrupts WAIT_EVENT with EINTR (errno %d)",
	      wt.err);
}

/* Fill @r's unexpected ring from @s without consuming it. */
static void check_overflow(struct ep *s, struct ep *r, uint16_t peer, uint16_t back, int board)
{
	const unsigned int total = OMX_UNEXP_EVENTS + 88;
	uint64_t full0 = counter(s->fd, board, OMX_COUNTER_RX_DROP_QUEUE_FULL);
	uint32_t base = r->unexp_cons, dropped0 = r->ctrl->unexp_dropped;
	uint8_t data[OMX_SMALL_MAX];
	struct omx_event e;
	unsigned int i, intact = 0;
	uint16_t seq0 = seqgen;
	int sent = 0;

	for (i = 0; i < total; i++) {
		fill(data, 100, seq0 + i);
		sent += send_msg(s, OMX_CMD_SEND_SMALL, peer, r->info.endpoint_index,
				 r->info.session_id, (uint16_t)(seq0 + i), data, 100, 0, 0) == 0;
	}
	seqgen += total;
	CHECK(sent == (int)total, "overflow: %u SMALL sent", total);
	CHECK(load_acquire(&r->ctrl->unexp_prod) - base == OMX_UNEXP_EVENTS,
	      "overflow: exactly %u events in the ring (prod %u, cons %u)", OMX_UNEXP_EVENTS,
	      r->ctrl->unexp_prod, base);
	CHECK(r->ctrl->unexp_dropped - dropped0 == total - OMX_UNEXP_EVENTS,
	      "overflow: control page counts %u dropped", r->ctrl->unexp_dropped - dropped0);
	CHECK(counter(s->fd, board, OMX_COUNTER_RX_DROP_QUEUE_FULL) - full0 == total - OMX_UNEXP_EVENTS,
	      "overflow: rx_drop_queue_full counted them");
	for (i = 0; i < OMX_UNEXP_EVENTS; i++) {
		uint8_t slot[OMX_RECVQ_SLOT_LEN];

		if (take_event(r, 1, 0, &e, slot))
			break;
		fill(data, 100, seq0 + i);
		intact += e.type == OMX_EVT_RECV_SMALL && e.msg.seqnum == (uint16_t)(seq0 + i) &&
			e.peer_index == back && !memcmp(slot, data, 100);
	}
	CHECK(intact == OMX_UNEXP_EVENTS, "overflow: the %u first messages intact, in order (%u)",
	      OMX_UNEXP_EVENTS, intact);
	send_msg(s, OMX_CMD_SEND_TINY, peer, r->info.endpoint_index, r->info.session_id,
		 seqgen, data, 1, 0, 0);
	CHECK(take_event(r, 1, 2000, &e, NULL) == 0 && e.msg.seqnum == seqgen,
	      "overflow: delivery resumes once consumed");
	seqgen++;

	/* a consumer index written past prod is a bogus hint: the ring looks full */
	__atomic_store_n(&r->ctrl->unexp_cons, r->unexp_cons + 1000, __ATOMIC_RELEASE);
	dropped0 = r->ctrl->unexp_dropped;
	send_msg(s, OMX_CMD_SEND_TINY, peer, r->info.endpoint_index, r->info.session_id,
		 seqgen++, data, 1, 0, 0);
	usleep(100000);
	CHECK(r->ctrl->unexp_dropped == dropped0 + 1 && load_acquire(&r->ctrl->unexp_prod) == r->unexp_cons,
	      "bogus consumer index: treated as full, nothing overwritten");
	__atomic_store_n(&r->ctrl->unexp_cons, r->unexp_cons, __ATOMIC_RELEASE);
}

static int run_pair(void)
{
	struct ep a, b, c;
	int fd = open_dev();
	uint64_t local0, nacks0, closed0, unknown0, session0, rx_tiny0, tx_tiny0;
	struct omx_board_info bi = { .board_index = 1 };
	int p_ab, p_ba, p_aa;

	/* NO_SHARED: board 0 -> board 1 must go through the wire (veth pair) */
	ep_open(&a, 0, 0, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&b, 1, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&c, 0, 2, OMX_ENDPOINT_OPEN_NO_SHARED);
	CHECK(a.info.session_id && b.info.session_id && c.info.session_id &&
	      a.info.session_id != b.info.session_id, "session ids are random and non-zero");
	CHECK(a.info.mtu == 9000 && b.info.mtu == 9000, "endpoint info: mtu %u", a.info.mtu);
	CHECK(ioctl(fd, OMX_CMD_GET_BOARD_INFO, &bi) == 0 && !memcmp(bi.mac, b.info.mac, 6),
	      "endpoint info: mac is the board's");
	CHECK(a.ctrl->exp_prod == 0 && a.ctrl->unexp_prod == 0 && a.ctrl->unexp_dropped == 0,
	      "fresh rings are empty");

	check_mmap(&a);

	p_ab = peer_lookup(a.fd, b.info.mac, 1);
	p_aa = peer_lookup(a.fd, a.info.mac, 1);
	CHECK(p_ab >= 0 && p_aa >= 0, "PEER_LOOKUP with CREATE: %d %d", p_ab, p_aa);
	CHECK(peer_lookup(a.fd, b.info.mac, 0) == p_ab, "PEER_LOOKUP finds it again");

	/* wire path: board 0 -> board 1; B's events name A by its MAC's index */
	rx_tiny0 = counter(fd, 1, OMX_COUNTER_RX_TINY);
	tx_tiny0 = counter(fd, 0, OMX_COUNTER_TX_TINY);
	local0 = counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES);
	connect_pair("wire", &a, &b, p_ab, p_aa);
	exchange("wire", &a, &b, p_ab, p_aa);
	p_ba = p_aa;	/* one table per host: A's MAC has one index */
	answers("wire", &a, &b, p_ba, p_ab);
	CHECK(counter(fd, 1, OMX_COUNTER_RX_TINY) - rx_tiny0 == 4 &&
	      counter(fd, 0, OMX_COUNTER_TX_TINY) - tx_tiny0 == 4, "wire: tx_tiny/rx_tiny counted");
	CHECK(counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES) == local0, "wire: nothing local");

	/* local path: two endpoints of board 0 */
	local0 = counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES);
	connect_pair("local", &a, &c, p_aa, p_aa);
	exchange("local", &a, &c, p_aa, p_aa);
	answers("local", &a, &c, p_aa, p_aa);
	/* 2 CONNECT, 4 TINY, 4 SMALL, 13 MEDIUM fragments, LIBACK, NACK, bad LIBACK */
	CHECK(counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES) - local0 == 26,
	      "local: local_frames counted (%llu)",
	      (unsigned long long)(counter(fd, 0, OMX_COUNTER_LOCAL_FRAMES) - local0));

	/* refusals, on the wire */
	nacks0 = counter(fd, 1, OMX_COUNTER_TX_NACK_LIB);
	closed0 = counter(fd, 1, OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED);
	unknown0 = counter(fd, 1, OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT);
	session0 = counter(fd, 1, OMX_COUNTER_RX_DROP_BAD_SESSION);
	expect_nack("closed endpoint", &a, p_ab, 5, 1, OMX_NACK_TYPE_ENDPT_CLOSED);
	expect_nack("endpoint beyond endpoint_max", &a, p_ab, (uint8_t)bi.endpoint_max, 1,
		    OMX_NACK_TYPE_BAD_ENDPT);
	expect_nack("wrong session", &a, p_ab, 1, b.info.session_id + 1, OMX_NACK_TYPE_BAD_SESSION);
	CHECK(counter(fd, 1, OMX_COUNTER_TX_NACK_LIB) - nacks0 == 3, "board 1 sent 3 NACKs");
	CHECK(counter(fd, 1, OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED) - closed0 == 1 &&
	      counter(fd, 1, OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT) - unknown0 == 1 &&
	      counter(fd, 1, OMX_COUNTER_RX_DROP_BAD_SESSION) - session0 == 1,
	      "each refusal counted under its drop counter");
	expect_nack("local closed endpoint", &a, p_aa, 9, 1, OMX_NACK_TYPE_ENDPT_CLOSED);

	check_bad_args(&a, p_ab, 1, b.info.session_id);
	{
		static uint8_t big[OMX_MEDIUM_FRAG_LEN_9000];

		/* the endpoint keeps the fragment size of its open, the MTU changed */
		if (system("ip link set veth0 mtu 1500") == 0) {
			CHECK(send_msg(&a, OMX_CMD_SEND_MEDIUM_FRAG, p_ab, 1, b.info.session_id, 1,
				       big, sizeof(big), sizeof(big), 0) == -EMSGSIZE,
			      "MEDIUM fragment larger than the new MTU: EMSGSIZE");
			CHECK(send_msg(&a, OMX_CMD_SEND_SMALL, p_ab, 1, b.info.session_id, 1,
				       big, 128, 0, 0) == 0, "SMALL still fits");
			if (system("ip link set veth0 mtu 9000"))
				report(0, "restore the MTU");
			usleep(200000);
			drain(&b);
		} else {
			report(0, "lower the MTU of veth0");
		}
	}
	check_wait(&a, &b, p_ab);
	check_overflow(&a, &c, p_aa, p_aa, 0);

	ep_close(&a);
	ep_close(&b);
	ep_close(&c);
	close(fd);
	return failures ? 1 : 0;
}

/*
 * SECS is sized for the slowest guest; STOP (may be NULL) lets the test
 * end the wait once its frames are all counted, instead of sitting out
 * the rest of SECS.
 */
static int run_quiet(uint32_t board, uint32_t index, unsigned int secs, const char *stop)
{
	unsigned int ms = 0;
	struct omx_event e;
	struct ep r;
	int got = 0;

	ep_open(&r, board, index, OMX_ENDPOINT_OPEN_NO_SHARED);
	printf("ready\n");
	while (!got && ms < secs * 1000 && !(stop && access(stop, F_OK) == 0)) {
		got = take_event(&r, 1, 200, &e, NULL) == 0 ||
			take_event(&r, 0, 0, &e, NULL) == 0;
		ms += 200;
	}
	CHECK(!got, "endpoint %u of board %u received nothing in %u ms%s", index, board, ms,
	      ms < secs * 1000 && !got ? " (stopped)" : "");
	if (got)
		printf("got event type %u\n", e.type);
	return failures ? 1 : 0;
}

static int run_dead(uint32_t board, const char *ifname)
{
	struct pollfd pfd = { .events = POLLIN };
	struct omx_cmd_send_msg m = { 0 };
	struct waiter wt;
	struct ep r;
	pthread_t t;
	FILE *f;

	ep_open(&r, board, 0, OMX_ENDPOINT_OPEN_NO_SHARED);
	pfd.fd = r.fd;
	start_waiter(&t, &wt, &r);
	f = fopen("/sys/module/omx/parameters/ifnames", "w");
	if (!f || fprintf(f, "--%s\n", ifname) < 0 || fclose(f)) {
		perror("ifnames");
		return 2;
	}
	pthread_join(t, NULL);
	CHECK(wt.ret < 0 && wt.err == ENODEV,
	      "forced detach wakes WAIT_EVENT with ENODEV (errno %d)", wt.err);
	check_ioctl("dead: WAIT_EVENT", r.fd, OMX_CMD_WAIT_EVENT, &wt.w, ENODEV);
	check_ioctl("dead: SEND_TINY", r.fd, OMX_CMD_SEND_TINY, &m, ENODEV);
	check_ioctl("dead: WAKEUP", r.fd, OMX_CMD_WAKEUP, NULL, ENODEV);
	errno = 0;
	CHECK(map_ep(r.fd) == MAP_FAILED && errno == ENODEV, "dead: mmap ENODEV");
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP)), "dead: poll reports an error");
	r.ctrl->unexp_cons = 0;	/* the old mapping stays usable until closed */
	ep_close(&r);
	return failures ? 1 : 0;
}

/* The messages of a twonode run: every class at its boundaries. */
struct plan_msg {
	unsigned long cmd;
	uint32_t len, msg_len;
	uint8_t frag;
	uint16_t seq;
	uint32_t off;
};

static unsigned int build_plan(uint32_t fl, struct plan_msg *plan)
{
	static const uint32_t tiny[] = { 0, 1, 32 }, small[] = { 0, 33, 128 };
	const uint32_t medium[] = { 1, fl, fl + 1, OMX_MEDIUM_MAX };
	unsigned int n = 0, i;
	uint32_t f;

	for (i = 0; i < 3; i++)
		plan[n++] = (struct plan_msg){ OMX_CMD_SEND_TINY, tiny[i], 0, 0, (uint16_t)(1000 + i), 0 };
	for (i = 0; i < 3; i++)
		plan[n++] = (struct plan_msg){ OMX_CMD_SEND_SMALL, small[i], 0, 0, (uint16_t)(1010 + i), 0 };
	for (i = 0; i < 4; i++)
		for (f = 0; f * fl < medium[i]; f++)
			plan[n++] = (struct plan_msg){
				OMX_CMD_SEND_MEDIUM_FRAG,
				medium[i] - f * fl < fl ? medium[i] - f * fl : fl,
				medium[i], (uint8_t)f, (uint16_t)(1020 + i), f * fl };
	return n;
}

static int run_serve(void)
{
	static struct plan_msg plan[64];
	static uint8_t data[OMX_MEDIUM_MAX], slot[OMX_RECVQ_SLOT_LEN];
	struct omx_cmd_send_connect rep = { .is_reply = 1 };
	struct omx_cmd_send_liback ack = { 0 };
	unsigned int n, i, tries;
	uint16_t client_peer;
	uint8_t client_ep;
	struct omx_event e;
	struct ep r;

	ep_open(&r, 0, 1, OMX_ENDPOINT_OPEN_NO_SHARED);
	n = build_plan(frag_len_of(r.info.mtu), plan);
	printf("serving endpoint 1, session %08x\n", r.info.session_id);
	for (tries = 0; tries < 600; tries++)
		if (take_event(&r, 1, 100, &e, NULL) == 0)
			break;
	if (tries == 600 || e.type != OMX_EVT_RECV_CONNECT_REQUEST) {
		report(0, "serve: no CONNECT request");
		return 1;
	}
	CHECK(e.connect.app_key == 0xfeedbeef && e.connect.connect_seqnum == 3,
	      "serve: CONNECT request from peer %u endpoint %u", e.peer_index, e.src_endpoint);
	client_peer = e.peer_index;
	client_ep = e.src_endpoint;
	rep.peer_index = client_peer;
	rep.dst_endpoint = client_ep;
	rep.src_session_id = e.connect.src_session_id;
	rep.target_session_id = r.info.session_id;
	rep.connect_seqnum = e.connect.connect_seqnum;
	CHECK(ioctl(r.fd, OMX_CMD_SEND_CONNECT, &rep) == 0, "serve: CONNECT reply sent");

	for (i = 0; i < n; i++) {
		struct plan_msg *p = &plan[i];
		uint8_t type = p->cmd == OMX_CMD_SEND_TINY ? OMX_EVT_RECV_TINY :
			p->cmd == OMX_CMD_SEND_SMALL ? OMX_EVT_RECV_SMALL : OMX_EVT_RECV_MEDIUM_FRAG;
		uint32_t expect_slot = r.unexp_cons % OMX_UNEXP_EVENTS;
		char what[96];

		/* the client may resend its request until our reply arrives */
		do {
			if (take_event(&r, 1, 5000, &e, slot)) {
				report(0, "serve: message %u of %u missing", i, n);
				return 1;
			}
		} while (e.type == OMX_EVT_RECV_CONNECT_REQUEST);
		fill(data, p->msg_len ? p->msg_len : p->len, p->seq);
		snprintf(what, sizeof(what), "twonode message %u (len %u/%u frag %u)", i, p->len,
			 p->msg_len, p->frag);
		check_msg_event(what, &e, type, client_peer, client_ep, p->seq, data + p->off,
				p->len, p->msg_len, p->frag, slot, expect_slot);
	}
	ack.peer_index = client_peer;
	ack.dst_endpoint = client_ep;
	ack.session = rep.src_session_id;
	ack.acknum = n;
	ack.lib_seqnum = 0x77;
	ack.send_seq = 0x77;
	CHECK(ioctl(r.fd, OMX_CMD_SEND_LIBACK, &ack) == 0, "serve: LIBACK sent");
	sleep(2);	/* let the client read it before our endpoint goes */
	return failures ? 1 : 0;
}

static int run_client(const char *macstr)
{
	static struct plan_msg plan[64];
	static uint8_t data[OMX_MEDIUM_MAX];
	struct omx_cmd_send_connect req = { .app_key = 0xfeedbeef, .connect_seqnum = 3, .dst_endpoint = 1 };
	unsigned int n, i, tries, nacks = 0;
	uint32_t session = 0;
	struct omx_event e;
	uint8_t mac[6];
	struct ep s;
	int peer;

	if (parse_mac(macstr, mac)) {
		fprintf(stderr, "bad MAC %s\n", macstr);
		return 2;
	}
	ep_open(&s, 0, 2, OMX_ENDPOINT_OPEN_NO_SHARED);
	n = build_plan(frag_len_of(s.info.mtu), plan);
	peer = peer_lookup(s.fd, mac, 1);
	CHECK(peer >= 0, "client: server is peer %d", peer);
	if (peer < 0)
		return 1;
	req.peer_index = (uint16_t)peer;
	req.src_session_id = s.info.session_id;
	/* like the library: resend until answered; the server may not be open yet */
	for (tries = 0; tries < 120 && !session; tries++) {
		if (ioctl(s.fd, OMX_CMD_SEND_CONNECT, &req) < 0) {
			report(0, "client: SEND_CONNECT: %s", strerror(errno));
			return 1;
		}
		while (!session && take_event(&s, 0, 500, &e, NULL) == 0) {
			if (e.type == OMX_EVT_RECV_NACK_LIB &&
			    e.nack_lib.nack_type == OMX_NACK_TYPE_ENDPT_CLOSED)
				nacks++;
			else if (e.type == OMX_EVT_RECV_CONNECT_REPLY)
				session = e.connect.target_session_id;
		}
	}
	CHECK(session != 0, "client: connected after %u attempt(s), %u ENDPT_CLOSED NACK(s)",
	      tries, nacks);
	if (!session)
		return 1;
	CHECK(e.peer_index == peer && e.src_endpoint == 1 &&
	      e.connect.src_session_id == s.info.session_id, "client: CONNECT reply fields");
	for (i = 0; i < n; i++) {
		struct plan_msg *p = &plan[i];

		fill(data, p->msg_len ? p->msg_len : p->len, p->seq);
		if (send_msg(&s, p->cmd, (uint16_t)peer, 1, session, p->seq, data + p->off, p->len,
			     p->msg_len, p->frag)) {
			report(0, "client: message %u: %s", i, strerror(errno));
			return 1;
		}
	}
	report(1, "client: %u messages sent", n);
	if (take_event(&s, 0, 30000, &e, NULL))
		report(0, "client: no LIBACK");
	else
		CHECK(e.type == OMX_EVT_RECV_LIBACK && e.liback.acknum == n &&
		      e.liback.lib_seqnum == 0x77 && e.peer_index == peer && e.src_endpoint == 1,
		      "client: LIBACK from the server (type %u acknum %u)", e.type, e.liback.acknum);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "pair"))
		return run_pair();
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "quiet"))
		return run_quiet(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]),
				 argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "dead"))
		return run_dead(atoi(argv[2]), argv[3]);
	if (argc == 2 && !strcmp(argv[1], "serve"))
		return run_serve();
	if (argc == 3 && !strcmp(argv[1], "client"))
		return run_client(argv[2]);
	fprintf(stderr, "usage: omx_ring_test pair | quiet BOARD EP SECS [STOP] | dead BOARD IFNAME | serve | client MAC\n");
	return 2;
}
