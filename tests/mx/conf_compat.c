// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What MX programs written elsewhere rely on (issue 11):
 * - a receiver that closes its endpoint right after a receive completed
 *   leaves its sender with a successful send (the close sends the acks it
 *   owes: no resend reaches the closed endpoint, no NACK comes back);
 * - mx_wakeup releases a thread blocked in mx_connect (MX_TIMEOUT), and
 *   mx_connect to a peer that died fails with MX_CONNECTION_FAILED;
 * - the MX_* environment variables that stand for an OMX_* tunable act
 *   like it, OMX_* winning when both are set (children run with chosen
 *   environments; what they did is read from the driver's counters).
 * The driver's board counters and driver info are read on /dev/omx,
 * outside the MX API, as large_core.c does.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_stats.h"
#include "conf.h"
#include "conf_peers.h"

#define CLOSE_ROUNDS	50
#define ENV_MSGS	16	/* a multiple of OMX_ACK_THRESHOLD's default 8 */

/* Opens /dev/omx at our ABI version; -1 on failure. */
static int driver_fd(void)
{
	__u32 abi = OMX_ABI_VERSION;
	int fd = open(OMX_DEVICE_PATH, O_RDWR);

	if (fd >= 0 && ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &abi) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Counter @idx of @board, or ~0 when it cannot be read. */
uint64_t conf_board_counter(uint32_t board, unsigned int idx)
{
	struct omx_board_counters bc;
	int fd = driver_fd();

	if (fd < 0)
		return ~0ULL;
	memset(&bc, 0, sizeof(bc));
	bc.board_index = board;
	if (ioctl(fd, OMX_CMD_GET_COUNTERS, &bc) < 0 || bc.count <= idx) {
		close(fd);
		return ~0ULL;
	}
	close(fd);
	return bc.values[idx];
}

/* Registered regions of the whole driver, or -1. */
static long driver_regions(void)
{
	struct omx_driver_info di;
	int fd = driver_fd();
	long n = -1;

	if (fd < 0)
		return -1;
	memset(&di, 0, sizeof(di));
	if (ioctl(fd, OMX_CMD_GET_DRIVER_INFO, &di) == 0)
		n = (long)di.regions;
	close(fd);
	return n;
}

/* Test @req, progressing @others meanwhile (single-threaded peers). */
static int wait_progress(mx_endpoint_t ep, mx_request_t *req, mx_status_t *st,
			 mx_endpoint_t *others, int nothers, uint32_t ms)
{
	uint64_t end = mt_now_ms() + ms;
	uint32_t result;
	int i;

	do {
		result = 0;
		if (mx_test(ep, req, st, &result) != MX_SUCCESS)
			return 0;
		if (result)
			return 1;
		for (i = 0; i < nothers; i++)
			mx_progress(others[i]);
	} while (mt_now_ms() < end);
	return 0;
}

/* Connects @from to @to (nic/eid given), progressing both. */
static int connect_pair(mx_endpoint_t from, mx_endpoint_t to, uint64_t nic,
			uint32_t eid, mx_endpoint_addr_t *addr)
{
	mx_request_t req;
	mx_status_t st;

	if (mx_iconnect(from, nic, eid, CONF_KEY, 0, NULL, &req) != MX_SUCCESS ||
	    !wait_progress(from, &req, &st, &to, 1, MT_WAIT_MS) ||
	    st.code != MX_STATUS_SUCCESS)
		return 0;
	*addr = st.source;
	return 1;
}

/* One round: a fresh endpoint on board_b receives one message and closes. */
static int close_round(struct conf *c, uint32_t round, mx_status_code_t *code)
{
	/* over 128 bytes: the send's own status must tell, not a zombie's */
	uint8_t sb[200], rb[200];
	mx_segment_t sseg = { sb, sizeof(sb) }, rseg = { rb, sizeof(rb) };
	mx_endpoint_addr_t self, a2d;
	mx_request_t sreq, rreq;
	mx_status_t st;
	mx_endpoint_t d;
	uint64_t nic;
	uint32_t eid;

	*code = MX_STATUS_PENDING;
	if (mx_open_endpoint(c->board_b, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &d) != MX_SUCCESS) {
		mt_diag("close round %u: cannot open an endpoint", round);
		return 0;
	}
	mx_get_endpoint_addr(d, &self);
	mx_decompose_endpoint_addr(self, &nic, &eid);
	if (!connect_pair(c->a, d, nic, eid, &a2d)) {
		mt_diag("close round %u: cannot connect to endpoint %u", round, eid);
		mx_close_endpoint(d);
		return 0;
	}
	mt_fill(sb, sizeof(sb), round);
	mx_irecv(d, &rseg, 1, CONF_MI(0xc105e), MX_MATCH_MASK_NONE, NULL, &rreq);
	mx_isend(c->a, &sseg, 1, a2d, CONF_MI(0xc105e), NULL, &sreq);
	if (!mt_wait(d, &rreq, MT_WAIT_MS, &st) || st.code != MX_STATUS_SUCCESS ||
	    mt_verify(rb, sizeof(rb), round) >= 0) {
		mt_diag("close round %u: receive failed: %s", round, mx_strstatus(st.code));
		mx_close_endpoint(d);
		return 0;
	}
	/* at once: the ack of that message is still owed (OMX_ACK_DELAY_MS) */
	mx_close_endpoint(d);
	if (!mt_wait(c->a, &sreq, MT_WAIT_MS, &st)) {
		mt_diag("close round %u: the send is still pending", round);
		return 0;
	}
	*code = st.code;
	return 1;
}

static void check_close_flushes_acks(struct conf *c)
{
	uint64_t nack0 = conf_board_counter(c->board_b, OMX_COUNTER_TX_NACK_LIB);
	uint64_t closed0 = conf_board_counter(c->board_b, OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED);
	uint64_t t0 = mt_now_ms(), nacks, closed;
	uint32_t i, ok = 0, stuck = 0;
	mx_status_code_t code, first = MX_STATUS_SUCCESS;

	for (i = 0; i < CLOSE_ROUNDS; i++) {
		if (!close_round(c, i, &code))
			stuck++;
		else if (code == MX_STATUS_SUCCESS)
			ok++;
		else if (first == MX_STATUS_SUCCESS)
			first = code;
	}
	mt_check(ok == CLOSE_ROUNDS,
		 "receiver closes right after its receive: the send succeeds",
		 "%u of %u succeeded, %u did not run to the end; first failure: %s",
		 ok, CLOSE_ROUNDS, stuck, mx_strstatus(first));
	/* the owed ack went out at close: nothing was resent to the closed endpoint */
	nacks = conf_board_counter(c->board_b, OMX_COUNTER_TX_NACK_LIB) - nack0;
	closed = conf_board_counter(c->board_b, OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED) - closed0;
	mt_check(nacks == 0 && closed == 0,
		 "  no frame reached a closed endpoint, no NACK was sent",
		 "board %u: %llu NACK_LIB sent, %llu frames dropped for a closed endpoint",
		 c->board_b, (unsigned long long)nacks, (unsigned long long)closed);
	mt_diag("%u close rounds in %llu ms", CLOSE_ROUNDS,
		(unsigned long long)(mt_now_ms() - t0));
}

struct connector {
	mx_endpoint_t ep;
	uint64_t nic;
	uint32_t eid;
	uint32_t timeout;
	mx_return_t ret;
	uint64_t elapsed;
	volatile int finished;
};

static void *connect_thread(void *arg)
{
	struct connector *k = arg;
	mx_endpoint_addr_t addr;
	uint64_t t0 = mt_now_ms();

	k->ret = mx_connect(k->ep, k->nic, k->eid, CONF_KEY, k->timeout, &addr);
	k->elapsed = mt_now_ms() - t0;
	k->finished = 1;
	return NULL;
}

/* mx_connect to an endpoint that never answers (its progression parked). */
static void check_wakeup_connect(struct conf *c)
{
	struct connector k = { .ep = c->b, .timeout = 15000 };
	mx_endpoint_addr_t self;
	struct timespec until;
	mx_endpoint_t e;
	pthread_t th;

	if (!mt_check_ret("open an endpoint that will not answer",
			  mx_open_endpoint(c->board_a, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &e),
			  MX_SUCCESS))
		return;
	mx_disable_progression(e);
	mx_get_endpoint_addr(e, &self);
	mx_decompose_endpoint_addr(self, &k.nic, &k.eid);
	pthread_create(&th, NULL, connect_thread, &k);
	usleep(500000);
	mt_check(!k.finished, "a thread blocks in mx_connect to a silent endpoint",
		 "it returned at once: %s", mx_strerror(k.ret));
	mt_check_ret("mx_wakeup", mx_wakeup(c->b), MX_SUCCESS);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 20;
	if (pthread_timedjoin_np(th, NULL, &until)) {
		mt_fail("  releases it", "still blocked 20 s after mx_wakeup");
		pthread_join(th, NULL);
	} else {
		/* 15 s is its own timeout: returning near it is not the wakeup */
		mt_check(k.ret == MX_TIMEOUT && k.elapsed < 5000,
			 "  releases it: mx_connect returns MX_TIMEOUT",
			 "%s after %llu ms (its timeout is %u ms)", mx_strerror(k.ret),
			 (unsigned long long)k.elapsed, k.timeout);
	}
	/* the withdrawn attempt leaves nothing behind: a new one succeeds */
	mx_reenable_progression(e);
	k.ret = mx_connect(c->b, k.nic, k.eid, CONF_KEY, 10000, &self);
	mt_check_ret("  a later mx_connect to it succeeds", k.ret, MX_SUCCESS);
	mx_close_endpoint(e);
}

/* mx_connect to a peer that closed its endpoint, and to one that was killed. */
static void check_connect_dead(struct conf *c)
{
	mx_endpoint_addr_t addr;
	mx_endpoint_t d;
	uint64_t nic, t0;
	uint32_t eid, eid2 = ~0U;
	mx_return_t ret;
	pid_t pid;

	if (mx_open_endpoint(c->board_b, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &d) != MX_SUCCESS) {
		mt_fail("mx_connect to a closed endpoint", "cannot open it");
		return;
	}
	mx_get_endpoint_addr(d, &addr);
	mx_decompose_endpoint_addr(addr, &nic, &eid);
	mx_close_endpoint(d);
	t0 = mt_now_ms();
	ret = mx_connect(c->a, nic, eid, CONF_KEY, 10000, &addr);
	mt_check(ret == MX_CONNECTION_FAILED && mt_now_ms() - t0 < 5000,
		 "mx_connect to a closed endpoint: MX_CONNECTION_FAILED at once",
		 "%s after %llu ms", mx_strerror(ret),
		 (unsigned long long)(mt_now_ms() - t0));

	pid = conf_start_sink(c->a, c->board_b, &addr);
	if (!mt_check(pid > 0, "connect to a peer process", "see above"))
		return;
	mx_decompose_endpoint_addr(addr, &nic, &eid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* nothing failed in between: our partner still has the dead one's session */
	pid = conf_start_sink(c->a, c->board_b, &addr);
	mx_decompose_endpoint_addr(addr, &nic, &eid2);
	if (!mt_check(pid > 0 && eid2 == eid,
		      "  killed, another process opens its endpoint: mx_connect to it succeeds",
		      "%s, endpoint %u (the dead one had %u)",
		      pid > 0 ? "started" : "not started", eid2, eid))
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	t0 = mt_now_ms();
	ret = mx_connect(c->a, nic, eid, CONF_KEY, 10000, &addr);
	mt_check(ret == MX_CONNECTION_FAILED && mt_now_ms() - t0 < 5000,
		 "  killed again, mx_connect to it: MX_CONNECTION_FAILED at once",
		 "%s after %llu ms", mx_strerror(ret),
		 (unsigned long long)(mt_now_ms() - t0));
}

/*
 * Child "child-paths": self messages, messages to board B and one large
 * message, then what the driver saw: frames kept inside the host for the
 * self messages (0 unless self goes through the driver), for the board
 * A -> B ones (0 when shared is off), explicit acks board B sent for the
 * ENV_MSGS messages (OMX_ACK_THRESHOLD), regions left registered after
 * the large message (0 without the registration cache).  The region
 * count is the driver's, so what other processes (the parent's cache:
 * every mx_issend registers) hold when the child starts is taken off.
 * The transport counts of both endpoints (resends of A, gap reports and
 * duplicates of B) come last, to explain an unexpected ack count.
 */
int conf_child_paths(uint32_t board_a, uint32_t board_b)
{
	static uint8_t big[65536], rbig[65536];
	uint8_t buf[32];
	mx_segment_t seg = { buf, sizeof(buf) }, bseg = { big, sizeof(big) };
	mx_segment_t rbseg = { rbig, sizeof(rbig) };
	mx_request_t sreq[ENV_MSGS], rreq[ENV_MSGS];
	mx_endpoint_addr_t a2a, a2b;
	mx_endpoint_t a, b, both[2];
	mx_status_t st;
	uint64_t nic, l0, l1, l2, t0, t1;
	uint32_t eid, i, failed = 0;
	long regions, regions0 = driver_regions();
	struct omx_endpoint_stats sa, sb;

	mx_set_error_handler(MX_ERRORS_RETURN);
	if (mx_init() != MX_SUCCESS ||
	    mx_open_endpoint(board_a, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &a) != MX_SUCCESS ||
	    mx_open_endpoint(board_b, MX_ANY_ENDPOINT, CONF_KEY, NULL, 0, &b) != MX_SUCCESS) {
		printf("paths: cannot open the endpoints\n");
		return 3;
	}
	both[0] = a;
	both[1] = b;
	mx_get_endpoint_addr(a, &a2a);
	mx_get_endpoint_addr(b, &a2b);
	mx_decompose_endpoint_addr(a2b, &nic, &eid);
	if (!connect_pair(a, b, nic, eid, &a2b)) {
		printf("paths: cannot connect\n");
		return 3;
	}
	l0 = conf_board_counter(board_a, OMX_COUNTER_LOCAL_FRAMES);
	for (i = 0; i < ENV_MSGS; i++) {
		mx_irecv(a, &seg, 1, 0x5e1f, MX_MATCH_MASK_NONE, NULL, &rreq[i]);
		mx_isend(a, &seg, 1, a2a, 0x5e1f, NULL, &sreq[i]);
	}
	for (i = 0; i < ENV_MSGS; i++)
		failed += !wait_progress(a, &sreq[i], &st, both, 2, MT_WAIT_MS) +
			  !wait_progress(a, &rreq[i], &st, both, 2, MT_WAIT_MS);
	l1 = conf_board_counter(board_a, OMX_COUNTER_LOCAL_FRAMES);
	t0 = conf_board_counter(board_b, OMX_COUNTER_TX_TRUC);
	for (i = 0; i < ENV_MSGS; i++) {
		mx_irecv(b, &seg, 1, 0xab, MX_MATCH_MASK_NONE, NULL, &rreq[i]);
		mx_isend(a, &seg, 1, a2b, 0xab, NULL, &sreq[i]);
	}
	for (i = 0; i < ENV_MSGS; i++)
		failed += !wait_progress(a, &sreq[i], &st, both, 2, MT_WAIT_MS) +
			  !wait_progress(b, &rreq[i], &st, both, 2, MT_WAIT_MS);
	l2 = conf_board_counter(board_a, OMX_COUNTER_LOCAL_FRAMES);
	t1 = conf_board_counter(board_b, OMX_COUNTER_TX_TRUC);
	/* touched first: pinning an untouched page would replace it (and void the cache entry) */
	mt_fill(big, sizeof(big), 1);
	memset(rbig, 0, sizeof(rbig));
	mx_irecv(b, &rbseg, 1, 0xb16, MX_MATCH_MASK_NONE, NULL, &rreq[0]);
	mx_isend(a, &bseg, 1, a2b, 0xb16, NULL, &sreq[0]);
	failed += !wait_progress(a, &sreq[0], &st, both, 2, MT_WAIT_MS) +
		  !wait_progress(b, &rreq[0], &st, both, 2, MT_WAIT_MS);
	regions = driver_regions();
	if (regions >= 0 && regions0 >= 0)
		regions -= regions0;
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	omx_get_endpoint_stats(a, &sa, sizeof(sa));
	omx_get_endpoint_stats(b, &sb, sizeof(sb));
	printf("paths failed=%u self_local=%llu shared_local=%llu acks=%llu regions=%ld"
	       " resent=%llu gaps=%llu dups=%llu\n",
	       failed, (unsigned long long)(l1 - l0), (unsigned long long)(l2 - l1),
	       (unsigned long long)(t1 - t0), regions,
	       (unsigned long long)(sa.resent_timeout + sa.resent_fast + sa.resent_probe),
	       (unsigned long long)sb.gap_reports, (unsigned long long)sb.duplicates);
	mx_close_endpoint(b);
	mx_close_endpoint(a);
	mx_finalize();
	return 0;
}

struct paths {
	unsigned int failed;
	unsigned long long self_local, shared_local, acks;
	long regions;
};

/*
 * Every variable the children's results depend on, cleared first; acks
 * only by count (the longest ack delay the library takes) and no
 * resends (duplicates are acked again), so that the acks counted are
 * exactly those of the threshold.  A value out of range would be
 * ignored with a message and the default used (a 2 ms delayed ack:
 * extra acks on a slow guest), so run_paths() fails on that message.
 */
#define ENV_CLEAR "-OMX_DISABLE_SELF -OMX_DISABLE_SHARED -OMX_RCACHE -OMX_ACK_THRESHOLD " \
	"-OMX_IGNORE_MX_ENV -MX_DISABLE_SELF -MX_DISABLE_SHMEM -MX_RCACHE -MX_IMM_ACK " \
	"OMX_ACK_DELAY_MS=10000 OMX_RESEND_DELAY_MS=30000 "

static int run_paths(struct conf *c, const char *env, struct paths *p)
{
	char bstr[32], envs[512], out[4096];
	char *argv[] = { "mx_conformance", "child-paths", bstr, NULL };
	const char *line;
	int st;

	snprintf(bstr, sizeof(bstr), "%u,%u", c->board_a, c->board_b);
	snprintf(envs, sizeof(envs), ENV_CLEAR "%s", env);
	st = mt_run_self(argv, envs, out, sizeof(out), 60000);
	line = strstr(out, "paths failed=");
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) || !line ||
	    sscanf(line, "paths failed=%u self_local=%llu shared_local=%llu acks=%llu regions=%ld",
		   &p->failed, &p->self_local, &p->shared_local, &p->acks, &p->regions) != 5 ||
	    p->failed || strstr(out, "MX: ignoring")) {
		mt_diag("child-paths with '%s': status %#x, output: %.300s", env, st, out);
		return 0;
	}
	mt_diag("%-40s %.*s", env, (int)strcspn(line + 6, "\n"), line + 6);
	return 1;
}

static void check_env_paths(struct conf *c)
{
	struct paths p;

	if (mt_check(run_paths(c, "", &p), "no MX_* set: defaults", "see above")) {
		mt_check(p.self_local == 0 && p.shared_local >= ENV_MSGS && p.regions > 0 &&
			 p.acks == ENV_MSGS / 8,
			 "  self in the library, A->B inside the host, regions cached, acks every 8",
			 "self_local %llu shared_local %llu regions %ld acks %llu",
			 p.self_local, p.shared_local, p.regions, p.acks);
	}
	if (run_paths(c, "MX_DISABLE_SELF=1", &p))
		mt_check(p.self_local >= ENV_MSGS, "MX_DISABLE_SELF=1: self messages through the driver",
			 "%llu local frames for %u self messages", p.self_local, ENV_MSGS);
	else
		mt_fail("MX_DISABLE_SELF=1", "see above");
	if (run_paths(c, "MX_DISABLE_SELF=1 OMX_DISABLE_SELF=0", &p))
		mt_check(p.self_local == 0, "  OMX_DISABLE_SELF=0 wins over it",
			 "%llu local frames for self messages", p.self_local);
	else
		mt_fail("  OMX_DISABLE_SELF=0 wins", "see above");
	if (run_paths(c, "MX_DISABLE_SELF=1 OMX_IGNORE_MX_ENV=1", &p))
		mt_check(p.self_local == 0, "  OMX_IGNORE_MX_ENV=1 ignores it",
			 "%llu local frames for self messages", p.self_local);
	else
		mt_fail("  OMX_IGNORE_MX_ENV=1", "see above");
	if (run_paths(c, "MX_DISABLE_SHMEM=1", &p))
		mt_check(p.shared_local == 0, "MX_DISABLE_SHMEM=1: A->B over the network",
			 "%llu of %u frames stayed inside the host", p.shared_local, ENV_MSGS);
	else
		mt_fail("MX_DISABLE_SHMEM=1", "see above");
	if (run_paths(c, "MX_DISABLE_SHMEM=1 OMX_DISABLE_SHARED=0", &p))
		mt_check(p.shared_local >= ENV_MSGS, "  OMX_DISABLE_SHARED=0 wins over it",
			 "%llu local frames for %u messages", p.shared_local, ENV_MSGS);
	else
		mt_fail("  OMX_DISABLE_SHARED=0 wins", "see above");
	if (run_paths(c, "MX_RCACHE=0", &p))
		mt_check(p.regions == 0, "MX_RCACHE=0: no registration kept after a large message",
			 "%ld regions registered", p.regions);
	else
		mt_fail("MX_RCACHE=0", "see above");
	if (run_paths(c, "MX_RCACHE=0 OMX_RCACHE=1", &p))
		mt_check(p.regions > 0, "  OMX_RCACHE=1 wins over it", "%ld regions registered",
			 p.regions);
	else
		mt_fail("  OMX_RCACHE=1 wins", "see above");
	if (run_paths(c, "MX_IMM_ACK=1", &p))
		mt_check(p.acks == ENV_MSGS, "MX_IMM_ACK=1: every message acked at once",
			 "%llu acks for %u messages", p.acks, ENV_MSGS);
	else
		mt_fail("MX_IMM_ACK=1", "see above");
	if (run_paths(c, "MX_IMM_ACK=1 OMX_ACK_THRESHOLD=16", &p))
		mt_check(p.acks == ENV_MSGS / 16, "  OMX_ACK_THRESHOLD=16 wins over it",
			 "%llu acks for %u messages", p.acks, ENV_MSGS);
	else
		mt_fail("  OMX_ACK_THRESHOLD=16 wins", "see above");
}

/* MX_ERRORS_ARE_FATAL: the default handler of child-env / child-fatal. */
static void check_env_fatal(void)
{
	char *argv_env[] = { "mx_conformance", "child-env", NULL };
	char *argv_fatal[] = { "mx_conformance", "child-fatal", NULL };
	char out[4096], want[64];
	int st;

	snprintf(want, sizeof(want), "returned %d\n", (int)MX_BOARD_UNKNOWN);
	st = mt_run_self(argv_env, "-OMX_FATAL_ERRORS MX_ERRORS_ARE_FATAL=0", out, sizeof(out),
			 30000);
	mt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(out, want),
		 "MX_ERRORS_ARE_FATAL=0: a bad call returns MX_BOARD_UNKNOWN",
		 "child status %#x, output: %.200s", st, out);
	st = mt_run_self(argv_fatal, "OMX_FATAL_ERRORS=1 MX_ERRORS_ARE_FATAL=0", out,
			 sizeof(out), 30000);
	mt_check(st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0),
		 "  OMX_FATAL_ERRORS=1 wins over it: the bad call aborts",
		 "child status %#x, output: %.200s", st, out);
}

/* OMX_VERBOSE=1 says what became of each MX_* variable. */
static void check_env_verbose(void)
{
	char *argv[] = { "mx_conformance", "child-env", NULL };
	static const char *const want[] = {
		"MX: MX_RCACHE=0 read as OMX_RCACHE",
		"MX: MX_DISABLE_SELF=1 ignored: OMX_DISABLE_SELF=0 wins",
		"MX: MX_ZOMBIE_SEND=512 read as OMX_ZOMBIE_SEND",
		"MX: MX_MONOTHREAD=1 ignored: every call takes the endpoint lock",
		"MX: MX_NO_SUCH_THING=1 ignored: not a setting omx knows",
	};
	char out[4096];
	size_t i;
	int st;

	st = mt_run_self(argv, "OMX_FATAL_ERRORS=0 OMX_VERBOSE=1 MX_RCACHE=0 MX_DISABLE_SELF=1 "
			 "OMX_DISABLE_SELF=0 MX_ZOMBIE_SEND=512 MX_MONOTHREAD=1 MX_NO_SUCH_THING=1",
			 out, sizeof(out), 30000);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(out, want[i]))
			break;
	mt_check(st != -1 && i == sizeof(want) / sizeof(want[0]),
		 "OMX_VERBOSE=1: each MX_* variable read, overridden or ignored, and why",
		 "no '%s' in: %.300s", i < sizeof(want) / sizeof(want[0]) ? want[i] : "", out);
}

void conf_compat(struct conf *c, int env_checks)
{
	uint64_t t0 = mt_now_ms();

	check_close_flushes_acks(c);
	check_wakeup_connect(c);
	check_connect_dead(c);
	if (env_checks) {
		check_env_fatal();
		check_env_verbose();
		/*
		 * The children count board B's acks: ours must not add any.
		 * With our progression thread running, 4 of 24 runs in the
		 * testbed counted one ack too many.
		 */
		mx_disable_progression(c->a);
		mx_disable_progression(c->b);
		mx_disable_progression(c->c);
		check_env_paths(c);
		mx_reenable_progression(c->a);
		mx_reenable_progression(c->b);
		mx_reenable_progression(c->c);
	}
	mt_diag("compatibility checks took %llu ms", (unsigned long long)(mt_now_ms() - t0));
}
