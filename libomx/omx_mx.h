/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libomx internals of the MX API: endpoints, partners, requests and the
 * functions the mx_*.c files share.  Not a public header.
 *
 * Locking: every endpoint has one plain mutex taken by every API call
 * on it and by its progression thread (the rules: struct mx_endpoint
 * and docs/mx-api.md, "Threads"); global state (init, default handler,
 * endpoint list, query fd) has its own, which is never held while an
 * endpoint's is taken.
 */
#ifndef OMX_MX_H
#define OMX_MX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "omx_binding.h"
#include "omx_drv.h"
#include "omx_lib.h"
#include "omx_list.h"
#include "omx_wire.h"
#include "include/myriexpress.h"
#include "include/mx_extensions.h"
#include "include/omx_stats.h"

/*
 * Tunables, read once at mx_init() from the environment, OMX_* or the
 * MX_* name standing for it (mx_init.c, docs/mx-api.md).
 */
struct omx_config {
	bool fatal_errors;		/* OMX_FATAL_ERRORS */
	bool progression;		/* OMX_PROGRESSION */
	uint32_t resend_delay_ms;	/* OMX_RESEND_DELAY_MS */
	uint32_t request_timeout_ms;	/* OMX_REQUEST_TIMEOUT_MS */
	uint32_t connect_retry_ms;	/* OMX_CONNECT_RETRY_MS */
	uint32_t ack_delay_ms;		/* OMX_ACK_DELAY_MS */
	uint32_t ack_threshold;		/* OMX_ACK_THRESHOLD */
	uint32_t unexp_queue_max;	/* OMX_UNEXP_QUEUE_MAX */
	bool rcache;			/* OMX_RCACHE */
	bool disable_self;		/* OMX_DISABLE_SELF */
	bool disable_shared;		/* OMX_DISABLE_SHARED */
	uint32_t zombie_max;		/* OMX_ZOMBIE_SEND: early-completed sends per endpoint */
	struct omx_binding_policy binding;	/* OMX_PROCESS_BINDING */
	bool binding_bad;		/* OMX_PROCESS_BINDING not understood */
	bool binding_verbose;		/* OMX_BINDING_VERBOSE */
	bool verbose;			/* OMX_VERBOSE: what became of MX_* */
};

extern struct omx_config omx_config;

/* TRUC "resent" byte bits beyond Open-MX's "retransmission" meaning. */
#define OMX_TRUC_FLAG_RESENT	0x01
/* older omx peers only (eager mx_issend): answered, never sent */
#define OMX_TRUC_FLAG_SYNC	0x02	/* message send_seq is synchronous */
#define OMX_TRUC_FLAG_MATCHED	0x04	/* message send_seq was matched */
#define OMX_TRUC_FLAG_GAP	0x08	/* send_seq is missing, later ones arrived */

/*
 * Transport under loss (docs/mx-api.md, "Loss recovery"): the congestion
 * window of a partner in frames, the receiver's store of frames that
 * came ahead of a gap, and the retransmission timer's bounds.
 */
#define OMX_SEND_WINDOW_FRAMES	128	/* the window's ceiling */
#define OMX_CWND_INIT		32
#define OMX_CWND_MIN		4
#define OMX_OOO_FRAMES_MAX	128	/* frames kept ahead of a gap, per partner */
#define OMX_OOO_SEQ_AHEAD	128	/* how far ahead a kept frame may be */
#define OMX_OOO_BYTES_MAX	(8U << 20)	/* payload kept per endpoint */
#define OMX_RTO_MIN_MS		10
#define OMX_PTO_MIN_MS		10	/* tail-loss probe: at the earliest (as Linux TCP) */
#define OMX_RTO_MAX_MS		2000
#define OMX_CONNECT_RETRY_MAX_MS	1000
/* Synchronous marks (older omx peers) remembered ahead of their messages. */
#define OMX_SYNC_MARKS_MAX	64

enum omx_req_type {
	OMX_REQ_SEND = 1,
	OMX_REQ_RECV,
	OMX_REQ_CONNECT,
};

/* Request state bits */
#define OMX_REQ_DONE		0x01	/* in the endpoint's done list */
#define OMX_REQ_FORGOTTEN	0x02	/* free on completion, never reported */
#define OMX_REQ_ACKED		0x04	/* send: the peer library has it */
#define OMX_REQ_SENT		0x10	/* send: has a seqnum and went out */
#define OMX_REQ_INTERNAL	0x20	/* connect or NOTIFY made by the library */
#define OMX_REQ_PULLING		0x40	/* recv: matched a RNDV, data on its way */
/*
 * send: a zombie (docs/mx-api.md, "Send completion"): its data was copied
 * into zbuf and it was reported done at once; the library keeps it for
 * the ack and resends, then frees it.
 */
#define OMX_REQ_ZOMBIE		0x80
#define OMX_REQ_RESENT		0x100	/* send: sent more than once (no RTT sample) */
#define OMX_REQ_FAST_RESENT	0x200	/* send: resent once at a gap report */

/* What a send request puts on the wire. */
enum omx_send_kind {
	OMX_SEND_EAGER = 0,		/* TINY, SMALL or MEDIUM frames */
	OMX_SEND_RNDV,			/* large: RNDV, then NOTIFY completes it */
	OMX_SEND_NOTIFY,		/* internal: tells a RNDV sender we pulled */
};

/* What a RNDV said: enough to pull the message and to NOTIFY its sender. */
struct omx_rndv {
	uint16_t seq;
	uint8_t rdma_id;
	uint8_t rdma_seqnum;
	uint32_t rdma_offset;		/* the pull token's low 16 bits */
	uint32_t msg_length;
	uint32_t token_hi;		/* its high 32 bits (0 from Open-MX) */
};

/*
 * One registration id (mx_rcache.c).  An entry is used by one request at
 * a time; an unused registered entry is the cache.
 */
struct omx_region {
	bool registered;
	uint8_t id;
	uint8_t seqnum;			/* the driver's generation of @id */
	uint32_t flags;			/* OMX_REGION_* */
	uint32_t users;
	uint32_t nseg;
	struct omx_region_segment *segs;
	uint64_t length;
	uint64_t last_use;		/* LRU clock */
};

#define OMX_REQ_MAGIC		0x6f6d7852U

/*
 * Which queue a request is on (its link; docs/mx-api.md, "Requests"):
 *   send     p->waiting (no connection, window or sequence room yet) ->
 *            p->unacked (has a seqnum, on the wire) -> p->notifywait
 *            (RNDV, i.e. large or mx_issend, acked, not matched or
 *            pulled yet) -> none; a self send waits in ep->selfsends
 *            while its message is unexpected.
 *   recv     ep->recvs (posted) -> ep->pull_wait (matched a RNDV, no
 *            region or pull slot yet) -> ep->pulling -> none; a receive
 *            that matched eager data completes at once.
 *   connect  ep->connects -> none.
 * Completion takes it off its queue and puts it on ep->done (done_link)
 * unless forgotten; a zombie send is on ep->done and still on its send
 * queue until acked.  The request is freed when the application reaps
 * or forgets it, a zombie or forgotten one when its queue lets it go.
 */

struct omx_partner;

struct omx_req {
	uint32_t magic;
	struct omx_req *cache_next;	/* ep->req_cache while freed */
	enum omx_req_type type;
	unsigned int state;
	struct mx_endpoint *ep;
	struct omx_list link;		/* recv/unexp/partner/connect queue */
	struct omx_list done_link;	/* ep->done while OMX_REQ_DONE */
	mx_status_t status;
	struct omx_partner *partner;
	uint64_t match_info;
	uint64_t match_mask;		/* recv */
	uint32_t length;		/* send: total; recv: room */
	uint32_t nseg;
	mx_segment_t *segs;		/* points at seg1 or a malloc'd copy */
	mx_segment_t seg1;
	bool sync;			/* mx_issend */
	uint16_t seq;
	uint32_t nframes;
	uint64_t last_send_ms;
	uint32_t timeout_ms;		/* 0: the endpoint default */
	uint64_t start_ms;
	/* connect */
	uint64_t nic_id;
	uint32_t eid;
	uint32_t key;
	uint8_t connect_seq;
	uint64_t next_retry_ms;
	uint32_t retry_ms;		/* doubles per retry, up to OMX_CONNECT_RETRY_MAX_MS */
	uint64_t deadline_ms;		/* 0: none */
	/* large messages */
	enum omx_send_kind kind;	/* send */
	struct omx_region *region;	/* registered buffer while in use */
	struct omx_rndv rndv;		/* NOTIFY to send, recv: the matched RNDV */
	uint64_t cookie;		/* recv: its pull */
	uint8_t zbuf[OMX_SMALL_MAX];	/* a zombie's copy of its data */
};

union mx_request {
	struct omx_req req;
};

/* A message that arrived before any matching receive. */
struct omx_unexp {
	struct omx_list link;
	struct omx_partner *partner;
	uint64_t match_info;
	uint32_t length;
	uint16_t seq;
	bool sync;
	void *data;			/* NULL when length is 0 or large */
	bool large;			/* a RNDV: data still at the sender */
	struct omx_rndv rndv;
	struct omx_req *self_send;	/* self message not copied yet */
};

/* A sequenced frame that arrived ahead of a gap, kept with its payload. */
struct omx_ooo {
	struct omx_ooo *next;
	struct omx_event evt;
	uint16_t seq;			/* where each event type has it */
	uint32_t len;			/* of data: SMALL/MEDIUM payload */
	uint8_t data[];
};

/* The medium message being reassembled from one partner. */
struct omx_partial {
	bool active;
	uint16_t seq;
	uint64_t match_info;
	uint32_t length;
	uint32_t nfrags;
	uint32_t received;		/* bitmap of fragments received */
	uint32_t count;
	void *buf;
};

#define OMX_PARTNER_MAGIC	0x6f6d7850U

/* One remote endpoint (peer index, endpoint index) talked to. */
struct omx_partner {
	uint32_t magic;
	struct mx_endpoint *ep;
	struct omx_partner *hash_next;
	uint16_t peer_index;
	uint8_t endpoint;
	uint64_t nic_id;
	uint32_t session;		/* theirs; 0 until known */
	bool connected;			/* session and send start known */
	bool connecting;		/* an internal connect is running */
	bool self;			/* our own endpoint: handled in the library */
	uint32_t key;			/* last key we connected with */
	void *context;			/* mx_set_endpoint_addr_context() */
	/* send side */
	uint16_t next_send_seq;
	uint16_t acked_seq;		/* every seqnum before this one is acked */
	uint32_t frames_in_flight;
	struct omx_list unacked;	/* sent, in seqnum order */
	struct omx_list waiting;	/* not sent yet: no connection or window */
	struct omx_list notifywait;	/* large sends acked, not pulled yet */
	struct omx_list active_link;	/* ep->active while it has timers */
	bool active;
	uint32_t acknum_in;		/* last acknum accepted */
	uint32_t cwnd;			/* frames allowed in flight */
	uint32_t ssthresh;
	uint32_t cwnd_acc;		/* acked frames towards the next +1 */
	uint32_t srtt_ms, rttvar_ms;	/* 0: no sample yet */
	uint32_t rto_ms;		/* resend the oldest after this */
	bool probed;			/* tail-loss probe sent since the last ack */
	uint64_t last_reduce_ms;	/* the window shrinks once per round trip */
	bool stalled;			/* sends wait for the window */
	/* receive side */
	uint16_t recv_ses;
	uint16_t next_recv_seq;
	uint32_t acknum_out;
	uint32_t unacked_recv;		/* messages received and not acked */
	uint64_t ack_deadline_ms;	/* 0: nothing to ack */
	struct omx_partial partial;
	struct omx_ooo *ooo;		/* frames ahead of next_recv_seq */
	uint32_t nooo;
	struct omx_list ready_link;	/* ep->ooo_ready: kept frames are next */
	bool ready;
	uint16_t sync_marks[OMX_SYNC_MARKS_MAX];
	uint32_t nsync_marks;
};

#define OMX_PARTNER_HASH	256

#define OMX_ENDPOINT_MAGIC	0x6f6d7845U

/*
 * Locking (docs/mx-api.md, "Threads").  @lock is a plain mutex guarding
 * everything in the endpoint below it.  The API functions take it
 * (omx_ep_lock) and release it before they return; every other function
 * of the library that is given an endpoint expects it held.  Blocking
 * calls drop it only while asleep in the driver (omx_sleep), the
 * progression thread only while it sleeps.  The unexpected handler and
 * the matching callback run with it held, inside a progression round or
 * an mx_isend to self: omx_handler_enter() marks that thread as the
 * holder, so an API call the handler makes on the same endpoint does not
 * take the lock again (and a blocking one gives up at once).
 */
struct mx_endpoint {
	uint32_t magic;
	pthread_mutex_t lock;		/* not recursive: see above */
	struct omx_list ep_link;	/* global endpoint list */
	struct omx_lib_dev dev;
	void *map;
	struct omx_ring_ctrl *ctrl;
	const struct omx_event *exp_ring;
	const struct omx_event *unexp_ring;
	const uint8_t *recvq;
	uint32_t exp_cons, unexp_cons;
	struct omx_endpoint_info info;
	uint32_t key;
	uint32_t frag_len;
	uint64_t nic_id;
	mx_error_handler_t handler;
	uint32_t unexp_queue_max;
	uint32_t unexp_count;
	uint32_t request_timeout_ms;	/* mx_set_request_timeout(ep, NULL, ...) */
	uint8_t ctx_bits, ctx_shift;
	uint64_t ctx_mask;
	uint8_t connect_seq;
	struct omx_partner *hash[OMX_PARTNER_HASH];
	/*
	 * Timers (docs/mx-api.md, "Progression"): partners that owe an ack
	 * or hold sends are on @active, and @timer_next is never later than
	 * the earliest deadline of theirs or of @connects (0: none), so that
	 * a progression round that is not due reads no list at all.
	 */
	struct omx_list active;
	uint64_t timer_next;
	struct omx_req *req_cache;	/* freed requests kept for reuse */
	uint32_t req_cached;
	uint32_t zombies;		/* zombie sends not acked yet */
	struct omx_endpoint_stats stats;	/* omx_get_endpoint_stats() */
	uint64_t ooo_bytes;
	struct omx_list ooo_ready;	/* partners whose kept frames are next */
	const uint8_t *replay_data;	/* payload of a kept frame being replayed */
	struct omx_list recvs;		/* posted receives, in posting order */
	struct omx_list unexp;		/* unexpected messages, arrival order */
	struct omx_list connects;	/* connect requests in progress */
	struct omx_list done;		/* completed requests, completion order */
	mx_unexp_handler_t unexp_handler;
	void *unexp_handler_ctx;
	mx_matching_callback_t unexp_callback;
	void *unexp_callback_ctx;
	bool progressing;		/* omx_progress() is running: no re-entry */
	/* progression thread */
	pthread_t thread;
	bool thread_running;
	bool thread_stop;
	bool in_thread;			/* the thread is the one progressing */
	uint64_t app_progress;		/* rounds made by API calls */
	unsigned int in_handlers;	/* handlers running (locked writes) */
	int progression_disabled;
	pthread_cond_t cond;
	/* mx_wakeup: counts calls so that a waiter never misses one */
	unsigned int wakeups;
	int waiters;
	uint8_t *scratch;		/* one medium fragment, for gathering */
	uint32_t self_peer;		/* our board's peer index, NONE if unknown */
	struct omx_region regions[OMX_REGIONS_MAX];
	uint64_t region_clock;
	struct omx_list pulling;	/* receives whose pull is running */
	struct omx_list pull_wait;	/* receives waiting for a region or pull slot */
	struct omx_list selfsends;	/* self sends queued as unexpected */
	uint64_t next_cookie;
	bool dead;			/* the board went away */
};

/* mx_binding.c: bind the process at its first endpoint open (docs/binding.md) */
void omx_binding_endpoint_open(struct mx_endpoint *ep);

/* mx_error.c */
extern pthread_mutex_t omx_global_lock;
extern bool omx_initialized;
extern struct omx_lib_dev omx_global_dev;
extern struct omx_list omx_endpoints;
mx_return_t omx_error(struct mx_endpoint *ep, mx_return_t ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Coarse monotonic milliseconds: a vDSO read, never a syscall (docs/mx-api.md) */
uint64_t omx_now_ms(void);
uint64_t omx_mac_to_nic_id(const uint8_t mac[6]);
void omx_nic_id_to_mac(uint64_t nic_id, uint8_t mac[6]);
/* Checks init and the endpoint handle; returns MX_SUCCESS or the error. */
mx_return_t omx_check_ep(struct mx_endpoint *ep, const char *fn);

/* mx_partner.c */
struct omx_partner *omx_partner_find(struct mx_endpoint *ep, uint16_t peer, uint8_t eid);
struct omx_partner *omx_partner_get(struct mx_endpoint *ep, uint16_t peer, uint8_t eid,
				    uint64_t nic_id);
void omx_partner_free_all(struct mx_endpoint *ep);
void omx_partner_addr(struct omx_partner *p, mx_endpoint_addr_t *addr);
struct omx_partner *omx_addr_partner(mx_endpoint_addr_t addr);
void omx_partner_reset_recv(struct omx_partner *p);
/* @p has a deadline at @t: it joins the active partners, the timers run by then */
void omx_partner_arm(struct omx_partner *p, uint64_t t);
void omx_handle_connect_request(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_handle_connect_reply(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_connect_timers(struct mx_endpoint *ep, uint64_t now, uint64_t *next);
void omx_partner_start_connect(struct omx_partner *p);
void omx_partner_fail(struct omx_partner *p, mx_status_code_t code, bool forget_session);

/* mx_send.c */
void omx_send_try_waiting(struct omx_partner *p);
void omx_handle_ack(struct omx_partner *p, uint16_t ack);
void omx_handle_liback(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_handle_nack(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_send_timers(struct omx_partner *p, uint64_t now, uint64_t *next);
int omx_send_truc(struct omx_partner *p, uint8_t flags, uint16_t send_seq);
void omx_send_ack_now(struct omx_partner *p);

/* mx_recv.c */
void omx_handle_msg(struct mx_endpoint *ep, const struct omx_event *evt);
/* true when @seq is the next message expected from @p (duplicates are acked) */
bool omx_recv_seq_next(struct omx_partner *p, uint16_t seq, const struct omx_event *evt);
/* the next message was taken: move on and schedule its ack */
void omx_recv_seq_accept(struct omx_partner *p);
/* a sequenced frame ahead of what @p expects: kept (copied) if there is room */
void omx_ooo_keep(struct omx_partner *p, const struct omx_event *evt, uint16_t seq);
/* replays the kept frames that became next, after the event that made them so */
void omx_ooo_replay(struct mx_endpoint *ep);
void omx_ooo_free(struct omx_partner *p);
/*
 * A complete message in order: matched, handed to the unexpected handler
 * or queued.  @rndv: a large message (@data NULL).  false: dropped, the
 * sender resends it.
 */
bool omx_deliver(struct mx_endpoint *ep, struct omx_partner *p, uint16_t seq, uint64_t match,
		 const void *data, uint32_t len, const struct omx_rndv *rndv);
struct omx_req *omx_find_recv(struct mx_endpoint *ep, uint64_t match);
void omx_recv_fill(struct mx_endpoint *ep, struct omx_req *r, struct omx_partner *p,
		   uint64_t match, const void *data, uint32_t len);
void omx_unexp_free(struct omx_unexp *u);
void omx_recv_sync_mark(struct omx_partner *p, uint16_t seq);

/* mx_progress.c */
void omx_progress(struct mx_endpoint *ep);
/* Takes / releases the endpoint lock at an API entry point (see mx_endpoint). */
void omx_ep_lock(struct mx_endpoint *ep);
void omx_ep_unlock(struct mx_endpoint *ep);
/* Around a call of the unexpected handler or matching callback, lock held. */
struct mx_endpoint *omx_handler_enter(struct mx_endpoint *ep);
void omx_handler_exit(struct mx_endpoint *ep, struct mx_endpoint *prev);
/* This thread runs @ep's handler (and so holds its lock through it). */
bool omx_in_handler(const struct mx_endpoint *ep);
uint64_t omx_next_deadline(struct mx_endpoint *ep, uint64_t now);
/* the endpoint's timers must run by @t */
void omx_timer_at(struct mx_endpoint *ep, uint64_t t);
void omx_req_cache_free(struct mx_endpoint *ep);
void omx_req_complete(struct mx_endpoint *ep, struct omx_req *r, mx_status_code_t code);
void omx_req_free(struct omx_req *r);
/* the application is done with @r (reaped or forgotten): freed, or left to the transport */
void omx_req_release(struct omx_req *r);
/* frees every request of a list chained by their link */
void omx_req_free_list(struct omx_list *head);
struct omx_req *omx_req_alloc(struct mx_endpoint *ep, enum omx_req_type type);
mx_return_t omx_copy_segments(struct mx_endpoint *ep, struct omx_req *r,
			      mx_segment_t *segs, uint32_t count, const char *fn);
/*
 * Locked.  Fills @w to wait for the next event past what the library has
 * consumed, until the next timer of the endpoint or @deadline (0: none),
 * at most a second.
 */
void omx_wait_prepare(struct mx_endpoint *ep, uint64_t now, uint64_t deadline,
		      struct omx_wait *w);
/*
 * Sleeps in the driver until an event, a timer of the endpoint, @deadline
 * (0: none) or mx_wakeup() (@wakeups: the count seen before deciding to
 * wait).  Called and returns with the endpoint lock held.  Returns 1 on a
 * wakeup, 0 otherwise.
 */
int omx_sleep(struct mx_endpoint *ep, uint64_t deadline, unsigned int wakeups);
void omx_scatter(const mx_segment_t *segs, uint32_t nseg, const void *data, uint32_t len);
void omx_gather(const mx_segment_t *segs, uint32_t nseg, uint32_t offset, void *dst,
		uint32_t len);
bool omx_match(uint64_t a, uint64_t b, uint64_t mask);

/* mx_complete.c: waits for @r (locked), fills @st and frees it */
void omx_wait_request(struct mx_endpoint *ep, struct omx_req *r, mx_status_t *st);
/* MX_INFINITE gives 0 (no deadline), else now + @timeout ms */
uint64_t omx_deadline(uint32_t timeout);
/*
 * The loop of every blocking call with a timeout.  Locked.  Progresses
 * until @ready(@ep, @arg) holds (returns true); returns false once the
 * endpoint is dead, @deadline (0: none) has passed or mx_wakeup() was
 * called since @wakeups was read (before taking the lock).  Sleeps in the
 * driver between rounds; @ready runs with the lock held.
 */
bool omx_block_until(struct mx_endpoint *ep, uint64_t deadline, unsigned int wakeups,
		     bool (*ready)(struct mx_endpoint *ep, void *arg), void *arg);

/* mx_rcache.c: registration of user buffers, cached unless OMX_RCACHE=0 */
/*
 * A registered region covering @segs (zero-length ones skipped), owned
 * by the caller until omx_region_put().  NULL with errno: EBUSY every id
 * in use, ENOMEM/EFAULT from the driver, EINVAL nothing to register.
 */
struct omx_region *omx_region_get(struct mx_endpoint *ep, const mx_segment_t *segs,
				  uint32_t nseg, uint32_t flags);
struct omx_region *omx_region_get_empty(struct mx_endpoint *ep);
void omx_region_put(struct mx_endpoint *ep, struct omx_region *rg);
void omx_regions_free(struct mx_endpoint *ep);

/* mx_large.c: rendezvous, pulls and NOTIFY */
mx_return_t omx_large_send_prepare(struct mx_endpoint *ep, struct omx_req *r, const char *fn);
int omx_large_send_frame(struct omx_partner *p, struct omx_req *r);
int omx_notify_send_frame(struct omx_partner *p, struct omx_req *r);
void omx_large_recv_start(struct mx_endpoint *ep, struct omx_req *r, struct omx_partner *p,
			  uint64_t match, const struct omx_rndv *rndv);
void omx_notify_queue(struct omx_partner *p, const struct omx_rndv *rndv, uint32_t length);
void omx_handle_rndv(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_handle_notify(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_handle_pull_done(struct mx_endpoint *ep, const struct omx_event *evt);
void omx_pull_retry(struct mx_endpoint *ep);

/* mx_self.c: messages to our own endpoint, unless OMX_DISABLE_SELF=1 */
void omx_self_send(struct mx_endpoint *ep, struct omx_req *r);
/* an unexpected self message matched by @recv: copy, complete both */
void omx_self_match(struct mx_endpoint *ep, struct omx_req *recv, struct omx_unexp *u);
void omx_copy_segs(const mx_segment_t *dst, uint32_t dnseg, const mx_segment_t *src,
		   uint32_t snseg, uint32_t len);

/* mx_endpoint.c */
void omx_endpoint_close_locked(struct mx_endpoint *ep);

#endif /* OMX_MX_H */
