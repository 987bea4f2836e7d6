// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_attack_pull: the memory access attacks of issue 13 through raw
 * ioctls (tests/driver/security_pull.sh, docs/security.md).
 *
 *   omx_attack_pull victim SECRET_LEN
 *       root: endpoint 2 of board 0 registers SECRET_LEN bytes of secret
 *       as region 3 and exposes them by a RNDV to its partner, endpoint 6
 *       of board 1 (NO_SHARED), which pulls them over the wire and
 *       closes: the region stays registered, as in a registration cache.
 *       Prints "ready SESSION", then answers every CONNECT request with a
 *       BAD_KEY reply that (as a broken or hostile library might) carries
 *       its session id, until killed.
 *   omx_attack_pull attack SESSION SECRET_LEN
 *       the attacker (run it as nobody), knowing the victim's session (as
 *       if leaked): (a) connects with a wrong key and must see no session
 *       in the refusal; (b) pulls region ids 0-255 x seqnums 0-3 of the
 *       victim inside the host, from its own endpoint; (c) the same over
 *       the wire from endpoint 6 of board 1, the slot of the victim's
 *       partner, guessing tokens; (d) from that slot inside the host.  No
 *       byte may arrive, every refusal is counted.
 *   omx_attack_pull connect BOARD EP
 *       (a) alone, against endpoint EP of board BOARD of this host (an MX
 *       process, whose key is not VICTIM_KEY ^ 1).
 *   omx_attack_pull filemap DIR
 *       registering a writable region on a MAP_SHARED mapping of a file
 *       in DIR (a disk filesystem) fails with EOPNOTSUPP; read-only, a
 *       private file mapping, anonymous and shmem memory work.
 *   omx_attack_pull bigpull
 *       root: a 4080 MiB pull inside the host (255 segments over one 16
 *       MiB buffer) by a child that gets SIGKILL 1.5 s into it: the
 *       child must be gone within 3 s and nothing may stay pinned.
 *
 * Prints one "ok ..." or "FAIL ..." line per check; exits 1 on any FAIL.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_wire.h"
#include "raw_ep.h"

#define VICTIM_EP	2
#define PARTNER_EP	6
#define ATTACKER_EP	8
#define SECRET_ID	3
#define VICTIM_KEY	0x5ec7e7
#define SECRET_BYTE	0x5a
#define GARBAGE_BYTE	0xee

/* The peer index of a board of this host, by its index. */
static int board_peer(int fd, uint32_t board, uint8_t *mac)
{
	struct omx_board_info bi = { .board_index = board };

	if (ioctl(fd, OMX_CMD_GET_BOARD_INFO, &bi) < 0) {
		perror("GET_BOARD_INFO");
		exit(2);
	}
	if (mac)
		memcpy(mac, bi.mac, 6);
	return mac_peer(fd, bi.mac);
}

static void *map_anon(size_t len, int byte)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	memset(p, byte, len);
	return p;
}

static int reg(struct ep *ep, uint32_t id, void *addr, uint64_t len, uint32_t flags,
	       uint8_t *seqnum)
{
	struct omx_region_segment seg = { .vaddr = (uintptr_t)addr, .length = len };
	struct omx_cmd_region r = {
		.id = id, .nr_segments = 1, .flags = flags, .segments = (uintptr_t)&seg,
	};
	int err = xioctl(ep->fd, OMX_CMD_REGISTER_REGION, &r);

	if (!err && seqnum)
		*seqnum = r.seqnum;
	return err;
}

static size_t count_byte(const uint8_t *p, size_t len, uint8_t byte)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += p[i] == byte;
	return n;
}

/* --- the victim (root) */

static int run_victim(uint32_t len)
{
	struct ep v, partner;
	struct omx_event e;
	uint8_t *secret = map_anon(len, SECRET_BYTE), *copy = map_anon(len, GARBAGE_BYTE);
	uint8_t seqnum;
	int to_partner, back;
	struct omx_cmd_send_rndv rv;
	struct omx_cmd_pull c;

	ep_open(&v, 0, VICTIM_EP, OMX_ENDPOINT_OPEN_NO_SHARED);
	ep_open(&partner, 1, PARTNER_EP, OMX_ENDPOINT_OPEN_NO_SHARED);
	to_partner = board_peer(v.fd, 1, NULL);
	back = board_peer(partner.fd, 0, NULL);
	if (reg(&v, SECRET_ID, secret, len, 0, &seqnum) ||
	    reg(&partner, 1, copy, len, OMX_REGION_WRITABLE, NULL)) {
		report(0, "victim: register: %s", strerror(errno));
		return 2;
	}
	memset(&rv, 0, sizeof(rv));
	rv.peer_index = (uint16_t)to_partner;
	rv.dst_endpoint = PARTNER_EP;
	rv.session = partner.info.session_id;
	rv.rdma_id = SECRET_ID;
	rv.rdma_seqnum = seqnum;
	rv.msg_length = len;
	CHECK(xioctl(v.fd, OMX_CMD_SEND_RNDV, &rv) == 0, "victim: RNDV to its partner");
	while (next_event(&partner, 1, 5000, &e) == 0 && e.type != OMX_EVT_RECV_RNDV)
		;
	memset(&c, 0, sizeof(c));
	c.peer_index = (uint16_t)back;
	c.dst_endpoint = VICTIM_EP;
	c.remote_rdma_id = SECRET_ID;
	c.remote_rdma_seqnum = seqnum;
	c.session = v.info.session_id;
	c.length = len;
	c.remote_offset = e.rndv.rdma_offset;
	c.remote_token_hi = e.rndv.token_hi;
	c.local_region_id = 1;
	c.cookie = 1;
	CHECK(e.type == OMX_EVT_RECV_RNDV && xioctl(partner.fd, OMX_CMD_PULL, &c) == 0 &&
	      next_event(&partner, 0, 20000, &e) == 0 && e.type == OMX_EVT_PULL_DONE &&
	      e.pull_done.status == OMX_PULL_STATUS_OK &&
	      count_byte(copy, len, SECRET_BYTE) == len,
	      "victim: its partner pulled the %u secret bytes over the wire", len);
	ep_close(&partner);

	printf("ready %u\n", v.info.session_id);
	fflush(stdout);
	/* a library that wrongly tells its session to whoever asks */
	for (;;) {
		struct omx_cmd_send_connect rep;

		if (next_event(&v, 1, 1000, &e) || e.type != OMX_EVT_RECV_CONNECT_REQUEST)
			continue;
		memset(&rep, 0, sizeof(rep));
		rep.peer_index = e.peer_index;
		rep.dst_endpoint = e.src_endpoint;
		rep.is_reply = 1;
		rep.src_session_id = e.connect.src_session_id;
		rep.target_session_id = v.info.session_id;
		rep.connect_seqnum = e.connect.connect_seqnum;
		rep.status = e.connect.app_key == VICTIM_KEY ? OMX_CONNECT_STATUS_SUCCESS :
			OMX_CONNECT_STATUS_BAD_KEY;
		CHECK(xioctl(v.fd, OMX_CMD_SEND_CONNECT, &rep) == 0,
		      "victim: CONNECT reply status %u carrying session 0x%08x", rep.status,
		      rep.target_session_id);
	}
}

/* --- the attacker */

static void attack_connect(struct ep *a, int to_victim, uint8_t victim_ep)
{
	struct omx_cmd_send_connect req = {
		.peer_index = (uint16_t)to_victim, .dst_endpoint = victim_ep,
		.src_session_id = a->info.session_id, .app_key = VICTIM_KEY ^ 1,
		.connect_seqnum = 1,
	};
	struct omx_event e = { .type = 0 };
	int got = -1;

	CHECK(xioctl(a->fd, OMX_CMD_SEND_CONNECT, &req) == 0, "attacker: CONNECT with a wrong key");
	while (next_event(a, 0, 5000, &e) == 0)
		if (e.type == OMX_EVT_RECV_CONNECT_REPLY) {
			got = 0;
			break;
		}
	CHECK(got == 0 && e.connect.status == OMX_CONNECT_STATUS_BAD_KEY,
	      "attacker: refused with BAD_KEY (status %u)", e.connect.status);
	CHECK(got == 0 && e.connect.target_session_id == 0,
	      "attacker: the refusal reveals no session (0x%08x)", e.connect.target_session_id);
}

struct attempts {
	unsigned int sent, done, ok, bad_rdmawin, other;
	uint64_t bytes;
};

/* Drain PULL_DONEs until @want arrived or 10 s without one. */
static void collect(struct ep *a, struct attempts *at, unsigned int want)
{
	struct omx_event e;

	while (at->done < want && next_event(a, 0, 10000, &e) == 0) {
		if (e.type != OMX_EVT_PULL_DONE)
			continue;
		at->done++;
		at->bytes += e.pull_done.length;
		if (e.pull_done.status == OMX_PULL_STATUS_OK)
			at->ok++;
		else if (e.pull_done.status == OMX_PULL_STATUS_BAD_RDMAWIN)
			at->bad_rdmawin++;
		else
			at->other++;
	}
}

/*
 * Pull every region id x seqnum 0-3 of the victim into @buf, a few
 * hundred at a time (the pull table holds OMX_PULLS_MAX); offsets and
 * token_hi as an Open-MX puller (@guess_hi 0) or a guessing omx one.
 */
static struct attempts brute_force(struct ep *a, int to_victim, uint32_t session,
				   uint32_t len, int guess_hi)
{
	struct attempts at = { 0 };
	struct omx_cmd_pull c;
	unsigned int id, seq;

	memset(&c, 0, sizeof(c));
	c.peer_index = (uint16_t)to_victim;
	c.dst_endpoint = VICTIM_EP;
	c.session = session;
	c.length = len;
	c.local_region_id = 1;
	for (id = 0; id < OMX_REGIONS_MAX; id++) {
		for (seq = 0; seq < 4; seq++) {
			int err;

			c.remote_rdma_id = (uint8_t)id;
			c.remote_rdma_seqnum = (uint8_t)seq;
			/* token_lo guesses: the old "sent as 0", then anything */
			c.remote_offset = (id * 4 + seq) % 2 ? (uint32_t)rand() % 65536 : 0;
			c.remote_token_hi = guess_hi ? (uint32_t)rand() | 1 : 0;
			c.cookie = at.sent;
			/*
			 * Keep the expected ring (512 events) from filling: a full
			 * ring parks PULL_DONEs in pull slots, and once those are
			 * gone the command fails with EBUSY after its checks, so
			 * that a retry would count twice.
			 */
			if (at.sent - at.done >= 256)
				collect(a, &at, at.done + 128);
			while ((err = xioctl(a->fd, OMX_CMD_PULL, &c)) == EBUSY)
				collect(a, &at, at.done + 1);
			if (err) {
				report(0, "attacker: PULL id %u seqnum %u: %s", id, seq, strerror(err));
				return at;
			}
			at.sent++;
		}
	}
	collect(a, &at, at.sent);
	return at;
}

static void attack_pulls(const char *path, struct ep *a, int to_victim, uint32_t session,
			 uint32_t len, int guess_hi, int wire)
{
	int fd = open_dev();
	uint8_t *buf = map_anon(len, GARBAGE_BYTE);
	uint64_t denied0 = counter(fd, 0, OMX_COUNTER_PULL_DENIED);
	uint64_t bad0 = counter(fd, 0, OMX_COUNTER_RX_DROP_BAD_RDMAWIN);
	uint64_t replies0 = counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY);
	uint64_t nacks0 = counter(fd, 0, OMX_COUNTER_TX_NACK_MCP);
	uint64_t denied, bad, nacks;
	struct attempts at;
	double t0 = now_ms();

	if (reg(a, 1, buf, len, OMX_REGION_WRITABLE, NULL)) {
		report(0, "%s: register the attacker's buffer: %s", path, strerror(errno));
		return;
	}
	at = brute_force(a, to_victim, session, len, guess_hi);
	usleep(200000);
	denied = counter(fd, 0, OMX_COUNTER_PULL_DENIED) - denied0;
	bad = counter(fd, 0, OMX_COUNTER_RX_DROP_BAD_RDMAWIN) - bad0;
	nacks = counter(fd, 0, OMX_COUNTER_TX_NACK_MCP) - nacks0;
	printf("%s: %u pulls in %.0f ms: %u ok, %u BAD_RDMAWIN, %u other, %llu bytes; "
	       "victim board: pull_denied +%llu, rx_drop_bad_rdmawin +%llu, tx_nack_mcp +%llu\n",
	       path, at.sent, now_ms() - t0, at.ok, at.bad_rdmawin, at.other,
	       (unsigned long long)at.bytes, (unsigned long long)denied,
	       (unsigned long long)bad, (unsigned long long)nacks);
	CHECK(at.done == at.sent && at.sent == OMX_REGIONS_MAX * 4,
	      "%s: every one of %u pulls ended (%u)", path, at.sent, at.done);
	CHECK(at.ok == 0 && at.other == 0 && at.bad_rdmawin == at.sent,
	      "%s: every pull refused as BAD_RDMAWIN", path);
	CHECK(at.bytes == 0 && count_byte(buf, len, GARBAGE_BYTE) == len &&
	      counter(fd, 0, OMX_COUNTER_TX_PULL_REPLY) == replies0,
	      "%s: not a byte of the secret: no PULL_REPLY sent, the buffer untouched", path);
	CHECK(denied >= 1 && denied + bad == at.sent,
	      "%s: refusals counted (pull_denied %llu + rx_drop_bad_rdmawin %llu)", path,
	      (unsigned long long)denied, (unsigned long long)bad);
	if (wire)
		CHECK(nacks == at.sent, "%s: one NACK_MCP per PULL (%llu)", path,
		      (unsigned long long)nacks);
	xioctl(a->fd, OMX_CMD_DEREGISTER_REGION, &(uint32_t){ 1 });
	munmap(buf, len);
	close(fd);
}

static int run_attack(uint32_t session, uint32_t len)
{
	struct ep a;

	srand((unsigned int)time(NULL));
	/* (a) and (b): an endpoint of its own, on the victim's board */
	ep_open(&a, 0, ATTACKER_EP, 0);
	attack_connect(&a, board_peer(a.fd, 0, NULL), VICTIM_EP);
	attack_pulls("inside the host, own endpoint", &a, board_peer(a.fd, 0, NULL), session,
		     len, 0, 0);
	ep_close(&a);
	/* (c): the slot the secret was exposed to, over the wire */
	ep_open(&a, 1, PARTNER_EP, OMX_ENDPOINT_OPEN_NO_SHARED);
	attack_pulls("wire, the partner's slot, Open-MX tokens", &a, board_peer(a.fd, 0, NULL),
		     session, len, 0, 1);
	attack_pulls("wire, the partner's slot, omx tokens", &a, board_peer(a.fd, 0, NULL),
		     session, len, 1, 1);
	ep_close(&a);
	/* (d): that slot inside the host: another session */
	ep_open(&a, 1, PARTNER_EP, 0);
	attack_pulls("inside the host, the partner's slot", &a, board_peer(a.fd, 0, NULL),
		     session, len, 0, 0);
	ep_close(&a);
	return failures ? 1 : 0;
}

static int run_connect(uint32_t board, uint32_t eid)
{
	struct ep a;

	ep_open(&a, board, ATTACKER_EP, 0);
	attack_connect(&a, board_peer(a.fd, board, NULL), (uint8_t)eid);
	ep_close(&a);
	return failures ? 1 : 0;
}

/* --- item 7: writable pins of file pages */

static void filemap_case(struct ep *ep, const char *what, void *addr, size_t len, uint32_t flags,
			 int want)
{
	int err = reg(ep, 1, addr, len, flags, NULL);

	report(err == want, "REGISTER %s %s: errno %d (%s), expected %d", what,
	       flags ? "writable" : "read-only", err, strerror(err), want);
	if (!err)
		xioctl(ep->fd, OMX_CMD_DEREGISTER_REGION, &(uint32_t){ 1 });
}

static int run_filemap(const char *dir)
{
	enum { LEN = 256 * 1024 };
	char path[4096];
	struct ep ep;
	void *shared, *priv, *anon, *shm;
	int fd, mfd;

	snprintf(path, sizeof(path), "%s/omx_filemap", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	mfd = memfd_create("omx_filemap", 0);
	if (fd < 0 || ftruncate(fd, LEN) || mfd < 0 || ftruncate(mfd, LEN)) {
		perror(path);
		return 2;
	}
	shared = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	priv = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	anon = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shm = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (shared == MAP_FAILED || priv == MAP_FAILED || anon == MAP_FAILED || shm == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	memset(shared, 1, LEN);
	ep_open(&ep, 0, 9, 0);
	filemap_case(&ep, "MAP_SHARED file", shared, LEN, OMX_REGION_WRITABLE, EOPNOTSUPP);
	filemap_case(&ep, "MAP_SHARED file, one page of it", (uint8_t *)shared + 4096, 100,
		     OMX_REGION_WRITABLE, EOPNOTSUPP);
	filemap_case(&ep, "MAP_SHARED file", shared, LEN, 0, 0);
	filemap_case(&ep, "MAP_PRIVATE file", priv, LEN, OMX_REGION_WRITABLE, 0);
	filemap_case(&ep, "MAP_SHARED anonymous", anon, LEN, OMX_REGION_WRITABLE, 0);
	filemap_case(&ep, "MAP_SHARED memfd", shm, LEN, OMX_REGION_WRITABLE, 0);
	CHECK(driver_info(ep.fd).regions == 0, "nothing left registered");
	ep_close(&ep);
	unlink(path);
	return failures ? 1 : 0;
}

/* --- item 8: a huge pull inside the host, killed */

static void bigpull_child(int ready)
{
	enum { BUF = 16 << 20, NSEGS = 255 };
	static struct omx_region_segment ssegs[NSEGS], dsegs[NSEGS];
	uint8_t *src = map_anon(BUF, 0x11), *dst = map_anon(BUF, 0x22);
	struct omx_cmd_region sr = { .id = 1, .nr_segments = NSEGS, .segments = (uintptr_t)ssegs };
	struct omx_cmd_region dr = {
		.id = 2, .nr_segments = NSEGS, .flags = OMX_REGION_WRITABLE,
		.segments = (uintptr_t)dsegs,
	};
	struct omx_cmd_send_rndv rv;
	struct omx_cmd_pull c;
	struct ep s, r;
	struct omx_event e;

	for (unsigned int i = 0; i < NSEGS; i++) {
		ssegs[i] = (struct omx_region_segment){ .vaddr = (uintptr_t)src, .length = BUF };
		dsegs[i] = (struct omx_region_segment){ .vaddr = (uintptr_t)dst, .length = BUF };
	}
	ep_open(&s, 0, 10, 0);
	ep_open(&r, 0, 11, 0);
	if (ioctl(s.fd, OMX_CMD_REGISTER_REGION, &sr) < 0 ||
	    ioctl(r.fd, OMX_CMD_REGISTER_REGION, &dr) < 0) {
		perror("bigpull: REGISTER");
		_exit(3);
	}
	memset(&rv, 0, sizeof(rv));
	rv.peer_index = (uint16_t)board_peer(s.fd, 0, NULL);
	rv.dst_endpoint = 11;
	rv.session = r.info.session_id;
	rv.rdma_id = 1;
	rv.rdma_seqnum = sr.seqnum;
	rv.msg_length = (uint32_t)sr.length;
	if (ioctl(s.fd, OMX_CMD_SEND_RNDV, &rv) < 0 || next_event(&r, 1, 5000, &e) ||
	    e.type != OMX_EVT_RECV_RNDV)
		_exit(3);
	memset(&c, 0, sizeof(c));
	c.peer_index = rv.peer_index;
	c.dst_endpoint = 10;
	c.remote_rdma_id = 1;
	c.remote_rdma_seqnum = sr.seqnum;
	c.session = s.info.session_id;
	c.length = (uint32_t)sr.length;
	c.remote_offset = e.rndv.rdma_offset;
	c.remote_token_hi = e.rndv.token_hi;
	c.local_region_id = 2;
	if (write(ready, "x", 1) != 1)
		_exit(3);
	/* the copy runs in this ioctl */
	ioctl(r.fd, OMX_CMD_PULL, &c);
	_exit(0);
}

static int run_bigpull(void)
{
	int fd = open_dev(), p[2], st;
	struct omx_driver_info di;
	uint64_t failed0 = counter(fd, 0, OMX_COUNTER_PULL_FAILED);
	double t0, t_kill, t_gone;
	char x;
	pid_t pid;

	if (pipe(p))
		return 2;
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		bigpull_child(p[1]);
	}
	close(p[1]);
	if (read(p[0], &x, 1) != 1) {
		report(0, "bigpull: the child did not get to its PULL");
		return 1;
	}
	printf("bigpull: 2 x 4080 MiB registered in %.0f ms; pulling\n", now_ms() - t0);
	usleep(1500000);
	t_kill = now_ms();
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	t_gone = now_ms();
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && t_gone - t_kill < 3000,
	      "bigpull: SIGKILLed 1.5 s into a 4080 MiB pull, gone %.0f ms later",
	      t_gone - t_kill);
	for (int i = 0; i < 100; i++) {
		di = driver_info(fd);
		if (!di.pinned_pages && !di.regions && !di.pulls && !di.endpoints_open)
			break;
		usleep(100000);
	}
	CHECK(!di.pinned_pages && !di.regions && !di.pulls && !di.endpoints_open,
	      "bigpull: then nothing pinned (%llu pages), no region (%u), pull (%u) or endpoint (%u)",
	      (unsigned long long)di.pinned_pages, di.regions, di.pulls, di.endpoints_open);
	CHECK(counter(fd, 0, OMX_COUNTER_PULL_FAILED) - failed0 == 1,
	      "bigpull: counted in pull_failed");
	close(fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "victim"))
		return run_victim((uint32_t)strtoul(argv[2], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "attack"))
		return run_attack((uint32_t)strtoul(argv[2], NULL, 0),
				  (uint32_t)strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "connect"))
		return run_connect((uint32_t)strtoul(argv[2], NULL, 0),
				   (uint32_t)strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "filemap"))
		return run_filemap(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "bigpull"))
		return run_bigpull();
	fprintf(stderr, "usage: see the comment at the top of %s\n", __FILE__);
	return 2;
}
