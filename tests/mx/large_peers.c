// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Large messages between processes: an echo server and its driver (two
 * hosts), several endpoint pairs in separate processes at once, and a
 * sender killed in the middle of a pull.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "large.h"

#define LX_BYE	0xff

static uint32_t lx_mi_mode(uint64_t mi) { return (uint32_t)(mi >> 48) & 0xff; }
static uint32_t lx_mi_msgno(uint64_t mi) { return (uint32_t)(mi >> 32) & 0xffff; }

/* Post a receive of @len bytes into a fresh buffer laid out as mode @m. */
static uint8_t *lx_recv_mode(mx_endpoint_t ep, const struct lx_opts *o,
			     uint32_t len, uint64_t mi, mx_request_t *req,
			     unsigned int slot)
{
	mx_segment_t segs[MX_MAX_SEGMENTS];
	uint8_t *buf = lx_pool(slot, (size_t)o->roff + len), *data;
	uint32_t n = 1;

	if (!buf)
		return NULL;
	data = buf + o->roff;
	segs[0].segment_ptr = data;
	segs[0].segment_length = len;
	if (o->rseg)
		n = mt_split(data, len, segs, o->rseg);
	if (mx_irecv(ep, segs, n, mi, LX_MASK_ALL, NULL, req) != MX_SUCCESS)
		return NULL;
	return buf;
}

/* Send @len pattern bytes of @msgno laid out as @o; returns the buffer. */
static uint8_t *lx_send_mode(mx_endpoint_t ep, mx_endpoint_addr_t dst,
			     const struct lx_opts *o, uint32_t len,
			     uint32_t msgno, uint64_t mi, int sync,
			     mx_request_t *req, unsigned int slot)
{
	mx_segment_t segs[MX_MAX_SEGMENTS];
	uint8_t *buf = lx_pool(slot, (size_t)o->soff + len), *data;
	uint32_t n = 1;

	if (!buf)
		return NULL;
	data = buf + o->soff;
	mt_fill(data, len, msgno);
	segs[0].segment_ptr = data;
	segs[0].segment_length = len;
	if (o->sseg)
		n = mt_split(data, len, segs, o->sseg);
	if ((sync ? mx_issend : mx_isend)(ep, segs, n, dst, mi, NULL, req) !=
	    MX_SUCCESS)
		return NULL;
	return buf;
}

/*
 * serve: receive whatever comes (seen first with mx_iprobe, so large
 * messages arrive unexpected here), laid out as the mode in its match
 * info says, check it, and echo it back as message number + 1.
 */
int lx_serve(uint32_t board, uint32_t eid, uint32_t seconds)
{
	struct large L;
	uint64_t nic, end = mt_now_ms() + 1000ULL * seconds;
	uint32_t served = 0, bad = 0, result;
	char why[200] = "";
	mx_return_t ret;

	memset(&L, 0, sizeof(L));
	ret = mx_open_endpoint(board, eid, LX_KEY, NULL, 0, &L.a);
	if (!mt_check_ret("serve: open endpoint", ret, MX_SUCCESS) ||
	    !mt_nic_id(board, &nic))
		return mt_exit_status();
	printf("ready %#llx %u\n", (unsigned long long)nic, eid);
	fflush(stdout);
	while (mt_now_ms() < end) {
		mx_status_t st, rst, sst;
		mx_request_t rreq, sreq;
		const struct lx_opts *o;
		uint32_t mode, msgno, len;
		uint8_t *rbuf, *sbuf;
		long off;

		result = 0;
		ret = mx_iprobe(L.a, 0, 0, &st, &result);
		if (ret != MX_SUCCESS || !result) {
			lx_progress(&L);
			continue;
		}
		mode = lx_mi_mode(st.match_info);
		msgno = lx_mi_msgno(st.match_info);
		len = st.msg_length;
		o = mode < lx_nmodes ? &lx_modes[mode].o : &lx_modes[0].o;
		rbuf = lx_recv_mode(L.a, o, len, st.match_info, &rreq, 1);
		if (!rbuf || !lx_test_wait(&L, L.a, &rreq, &rst, lx_bound_ms(len))) {
			mt_fail("serve: receive", "message %u (%u bytes) not received",
				msgno, len);
			break;
		}
		if (mode == LX_BYE)
			break;
		off = mt_verify(rbuf + o->roff, len, msgno);
		if ((rst.code != MX_STATUS_SUCCESS || rst.xfer_length != len ||
		     off >= 0) && !bad++)
			snprintf(why, sizeof(why),
				 "message %u mode %u: %s, %u of %u bytes, first bad byte %ld",
				 msgno, mode, mx_strstatus(rst.code),
				 rst.xfer_length, len, off);
		sbuf = lx_send_mode(L.a, rst.source, o, len, msgno + 1,
				    lx_mi(mode, msgno + 1, len), 0, &sreq, 0);
		if (!sbuf || !lx_test_wait(&L, L.a, &sreq, &sst, lx_bound_ms(len)) ||
		    sst.code != MX_STATUS_SUCCESS) {
			mt_fail("serve: echo", "message %u (%u bytes): %s", msgno + 1,
				len, sbuf ? mx_strstatus(sst.code) : "mx_isend failed");
			break;
		}
		served++;
	}
	mt_check(served > 0 && !bad, "serve: every message intact and echoed",
		 "%u served, %u bad, first %s", served, bad, why);
	mt_diag("served %u messages", served);
	mx_close_endpoint(L.a);
	return mt_exit_status();
}

/* One message to the server and its echo back, both checked. */
static void lx_echo(struct large *L, unsigned int mode, uint32_t len,
		    uint32_t msgno, int sync)
{
	const struct lx_opts *o = &lx_modes[mode].o;
	mx_request_t sreq, rreq;
	mx_status_t sst, rst;
	uint8_t *sbuf, *rbuf;
	char name[160];
	long off;

	snprintf(name, sizeof(name), "echo %s%s %u bytes", sync ? "mx_issend " : "",
		 lx_modes[mode].what, len);
	rbuf = lx_recv_mode(L->a, o, len, lx_mi(mode, msgno + 1, len), &rreq, 1);
	sbuf = lx_send_mode(L->a, L->a2b, o, len, msgno, lx_mi(mode, msgno, len),
			    sync, &sreq, 0);
	if (!rbuf || !sbuf) {
		mt_fail(name, "mx_irecv or mx_isend failed");
		return;
	}
	if (!lx_test_wait(L, L->a, &sreq, &sst, lx_bound_ms(len)) ||
	    !lx_test_wait(L, L->a, &rreq, &rst, 2 * lx_bound_ms(len))) {
		mt_fail(name, "not completed within %u ms", 3 * lx_bound_ms(len));
		return;
	}
	off = mt_verify(rbuf + o->roff, len, msgno + 1);
	mt_check(sst.code == MX_STATUS_SUCCESS && rst.code == MX_STATUS_SUCCESS &&
		 rst.xfer_length == len && off < 0, name,
		 "send %s, echo %s, %u bytes, first bad byte %ld",
		 mx_strstatus(sst.code), mx_strstatus(rst.code), rst.xfer_length,
		 off);
}

int lx_drive(uint32_t board, const char *peer, uint32_t peer_eid,
	     uint32_t max, uint32_t big)
{
	struct large L;
	uint64_t nic, end;
	uint32_t msgno = 2, m, s;
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;

	memset(&L, 0, sizeof(L));
	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, LX_KEY, NULL, 0, &L.a);
	if (!mt_check_ret("drive: open endpoint", ret, MX_SUCCESS))
		return mt_exit_status();
	ret = mx_hostname_to_nic_id((char *)peer, &nic);
	if (!mt_check_ret("drive: server's nic id", ret, MX_SUCCESS))
		return mt_exit_status();
	end = mt_now_ms() + 60000;
	do
		ret = mx_connect(L.a, nic, peer_eid, LX_KEY, 5000, &L.a2b);
	while (ret != MX_SUCCESS && mt_now_ms() < end);
	if (!mt_check_ret("drive: connect to the server", ret, MX_SUCCESS))
		return mt_exit_status();
	for (m = 0; m < lx_nmodes; m++)
		for (s = 0; s < lx_nsizes; s++)
			if (lx_sizes[s] <= max) {
				lx_echo(&L, m, lx_sizes[s], msgno, 0);
				msgno += 2;
			}
	lx_echo(&L, 0, 2097152 + 1, msgno, 1);
	msgno += 2;
	if (big) {
		/* once, and in odd segments: one vCPU checks every byte twice */
		lx_echo(&L, 2, big - 1, msgno, 0);
		msgno += 2;
	}
	/* a synchronous goodbye: the server has taken everything */
	{
		mx_segment_t seg = { NULL, 0 };

		ret = mx_issend(L.a, &seg, 1, L.a2b, lx_mi(LX_BYE, 0, 0), NULL, &req);
		mt_check(ret == MX_SUCCESS &&
			 lx_test_wait(&L, L.a, &req, &st, MT_WAIT_MS) &&
			 st.code == MX_STATUS_SUCCESS, "drive: goodbye",
			 "%s / %s", mx_strerror(ret), mx_strstatus(st.code));
	}
	mx_close_endpoint(L.a);
	return mt_exit_status();
}

static uint32_t lx_mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

/*
 * pairwork: one endpoint pair (a on @ba, b on @bb); every round a
 * message each way at once, sizes from 32 KiB + 1 to @max.
 */
int lx_pairwork(uint32_t index, uint32_t ba, uint32_t bb, uint32_t rounds,
		uint32_t max)
{
	struct large L;
	uint32_t r, bad = 0;
	uint64_t start, stop;
	char why[200] = "";

	if (!lx_setup(&L, ba, bb, 0))
		return mt_exit_status();
	/*
	 * Connected: wait for the parent to start every pair at once.  A
	 * pair whose connect waited out a lost frame used to start after
	 * another had finished, and the pairs never shared the link.
	 */
	fflush(stdout);
	raise(SIGSTOP);
	start = mt_now_ms();
	for (r = 0; r < rounds; r++) {
		const struct lx_opts *o = &lx_modes[r % lx_nmodes].o;
		uint32_t len[2], i, msgno[2];
		mx_request_t sreq[2], rreq[2];
		mx_status_t sst[2], rst[2];
		uint8_t *sbuf[2], *rbuf[2];
		mx_endpoint_t from[2] = { L.a, L.b }, to[2] = { L.b, L.a };
		mx_endpoint_addr_t dst[2] = { L.a2b, L.b2a };

		for (i = 0; i < 2; i++) {
			len[i] = 32769 + lx_mix(index * 7919 + r * 2 + i) % (max - 32768);
			msgno[i] = index << 12 | r << 1 | i;
			rbuf[i] = lx_recv_mode(to[i], o, len[i],
					       lx_mi(9, msgno[i], len[i]), &rreq[i],
					       2 * i);
			sbuf[i] = lx_send_mode(from[i], dst[i], o, len[i], msgno[i],
					       lx_mi(9, msgno[i], len[i]), 0, &sreq[i],
					       2 * i + 1);
			if (!rbuf[i] || !sbuf[i]) {
				mt_fail("pair: post", "round %u: mx_irecv or mx_isend failed", r);
				return mt_exit_status();
			}
		}
		for (i = 0; i < 2; i++) {
			uint32_t bound = lx_bound_ms(len[0] + len[1]);
			long off;

			if (!lx_test_wait(&L, to[i], &rreq[i], &rst[i], bound) ||
			    !lx_test_wait(&L, from[i], &sreq[i], &sst[i], bound)) {
				mt_fail("pair: complete", "round %u direction %u: not completed within %u ms",
					r, i, bound);
				return mt_exit_status();
			}
			off = mt_verify(rbuf[i] + o->roff, len[i], msgno[i]);
			if ((sst[i].code != MX_STATUS_SUCCESS ||
			     rst[i].code != MX_STATUS_SUCCESS ||
			     rst[i].xfer_length != len[i] || off >= 0) && !bad++)
				snprintf(why, sizeof(why),
					 "round %u direction %u: send %s, receive %s, %u of %u bytes, first bad byte %ld",
					 r, i, mx_strstatus(sst[i].code),
					 mx_strstatus(rst[i].code),
					 rst[i].xfer_length, len[i], off);
		}
	}
	stop = mt_now_ms();
	mt_check(!bad, "pair: every message both ways intact",
		 "%u bad of %u, first %s", bad, 2 * rounds, why);
	/* the parent checks that the pairs overlapped in time */
	printf("span %llu %llu\n", (unsigned long long)start,
	       (unsigned long long)stop);
	lx_teardown(&L);
	return mt_exit_status();
}

int lx_pairs(uint32_t count, uint32_t ba, uint32_t bb, uint32_t rounds,
	     uint32_t max)
{
	char a_idx[16], a_boards[32], a_rounds[16], a_max[16], line[512];
	uint64_t start_max = 0, stop_min = ~0ULL, t0, t1;
	uint64_t end = mt_now_ms() + lx_bound_ms((uint64_t)max * 2) * (rounds + 2);
	int fds[16], gone_status[16], status, spans = 0;
	bool gone[16];
	pid_t pids[16];
	uint32_t i;

	if (count > 16)
		count = 16;
	snprintf(a_boards, sizeof(a_boards), "%u,%u", ba, bb);
	snprintf(a_rounds, sizeof(a_rounds), "%u", rounds);
	snprintf(a_max, sizeof(a_max), "%u", max);
	for (i = 0; i < count; i++) {
		char *argv[] = { "mx_large", "pairwork", "--index", a_idx,
				 "--boards", a_boards, "--rounds", a_rounds,
				 "--max", a_max, NULL };

		snprintf(a_idx, sizeof(a_idx), "%u", i);
		pids[i] = mt_spawn_self(argv, &fds[i]);
		if (pids[i] < 0) {
			mt_fail("pairs: start", "cannot start pair %u", i);
			return mt_exit_status();
		}
	}
	/* every pair connected and stopped, or gone: then all go together */
	for (i = 0; i < count; i++) {
		gone[i] = false;
		for (;;) {
			pid_t w = waitpid(pids[i], &status, WUNTRACED | WNOHANG);

			if (w == pids[i] && !WIFSTOPPED(status)) {
				gone[i] = true;
				gone_status[i] = status;
			}
			if (w != 0 || mt_now_ms() >= end)
				break;
			usleep(5000);
		}
	}
	for (i = 0; i < count; i++)
		if (!gone[i])
			kill(pids[i], SIGCONT);
	for (i = 0; i < count; i++) {
		uint64_t now;

		for (;;) {
			now = mt_now_ms();
			if (now >= end ||
			    mt_read_line(fds[i], line, sizeof(line),
					 (uint32_t)(end - now)) < 0)
				break;
			if (sscanf(line, "span %llu %llu", (unsigned long long *)&t0,
				   (unsigned long long *)&t1) == 2) {
				printf("# pair %u: transfers took %llu ms\n", i,
				       (unsigned long long)(t1 - t0));
				spans++;
				start_max = t0 > start_max ? t0 : start_max;
				stop_min = t1 < stop_min ? t1 : stop_min;
			} else if (!strncmp(line, "ok - ", 5)) {
				printf("ok - pair %u: %s\n", i, line + 5);
				mt_passed++;
			} else if (!strncmp(line, "not ok - ", 9)) {
				printf("not ok - pair %u: %s\n", i, line + 9);
				mt_failed++;
			} else {
				printf("# pair %u: %s\n", i, line);
			}
		}
		close(fds[i]);
		if (mt_now_ms() >= end)
			kill(pids[i], SIGKILL);
		status = gone[i] ? gone_status[i] : -1;
		if (!gone[i])
			waitpid(pids[i], &status, 0);
		mt_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			 "pairs: a pair process passed", "pair %u: wait status %#x",
			 i, status);
	}
	mt_check(spans == (int)count && start_max < stop_min,
		 "pairs: all pairs transferred at the same time",
		 "%d spans, last start %llu, first stop %llu", spans,
		 (unsigned long long)start_max, (unsigned long long)stop_min);
	return mt_exit_status();
}

/* victim: connect and send @len bytes, then wait to be killed. */
int lx_victim(uint32_t board, uint32_t peer_board, uint32_t peer_eid,
	      uint32_t len)
{
	struct large L;
	uint64_t nic, end = mt_now_ms() + 60000;
	uint8_t *buf = lx_alloc(len);
	mx_segment_t seg = { buf, len };
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;

	memset(&L, 0, sizeof(L));
	if (!buf || !mt_nic_id(peer_board, &nic))
		return 1;
	mt_fill(buf, len, 77);
	ret = mx_open_endpoint(board, MX_ANY_ENDPOINT, LX_KEY, NULL, 0, &L.a);
	if (!mt_check_ret("victim: open endpoint", ret, MX_SUCCESS))
		return mt_exit_status();
	do
		ret = mx_connect(L.a, nic, peer_eid, LX_KEY, 5000, &L.a2b);
	while (ret != MX_SUCCESS && mt_now_ms() < end);
	if (!mt_check_ret("victim: connect", ret, MX_SUCCESS))
		return mt_exit_status();
	ret = mx_isend(L.a, &seg, 1, L.a2b, lx_mi(0x70, 77, len), NULL, &req);
	if (!mt_check_ret("victim: mx_isend", ret, MX_SUCCESS))
		return mt_exit_status();
	puts("sending");
	fflush(stdout);
	if (lx_test_wait(&L, L.a, &req, &st, 300000))
		mt_diag("victim: the send completed (%s) before the kill",
			mx_strstatus(st.code));
	return mt_exit_status();
}

/*
 * survivor: receive the victim's message; the victim is killed mid-pull,
 * so the receive must end with an error within @seconds.  Then nothing
 * may stay pinned once the endpoint is closed.
 */
int lx_survivor(uint32_t board, uint32_t eid, uint32_t len, uint32_t seconds)
{
	struct large L;
	uint8_t *buf = lx_alloc(len);
	mx_segment_t seg = { buf, len };
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;
	uint64_t t0;
	int done;

	memset(&L, 0, sizeof(L));
	if (!buf)
		return 1;
	ret = mx_open_endpoint(board, eid, LX_KEY, NULL, 0, &L.a);
	if (!mt_check_ret("survivor: open endpoint", ret, MX_SUCCESS))
		return mt_exit_status();
	ret = mx_irecv(L.a, &seg, 1, 0, 0, NULL, &req);
	if (!mt_check_ret("survivor: mx_irecv", ret, MX_SUCCESS))
		return mt_exit_status();
	puts("ready");
	fflush(stdout);
	t0 = mt_now_ms();
	done = lx_test_wait(&L, L.a, &req, &st, 1000 * seconds);
	if (mt_check(done, "survivor: the receive completed",
		     "still pending after %u s", seconds)) {
		mt_diag("receive ended after %llu ms: %s, %u of %u bytes",
			(unsigned long long)(mt_now_ms() - t0),
			mx_strstatus(st.code), st.xfer_length, st.msg_length);
		mt_check(st.code != MX_STATUS_SUCCESS,
			 "survivor: with an error status", "%s, %u of %u bytes",
			 mx_strstatus(st.code), st.xfer_length, st.msg_length);
	}
	mt_check_ret("survivor: close endpoint", mx_close_endpoint(L.a), MX_SUCCESS);
	lx_check_unpinned("survivor: nothing pinned once closed", 10000);
	return mt_exit_status();
}
