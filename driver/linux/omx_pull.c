// SPDX-License-Identifier: GPL-2.0-only
/*
 * The puller (docs/wire.md, "Large messages").  A pull of L bytes from
 * remote offset O is cut into reply frames aligned on the reply size R
 * in the remote region: frame i covers message bytes [i*R - O%R,
 * (i+1)*R - O%R) clipped to [0, L), and blocks of
 * OMX_PULL_REPLIES_PER_BLOCK frames are asked for by one PULL each.  Up
 * to "pull_blocks" blocks are in flight; each reply is checked against
 * the frame it must be (offset, length, seqnum), copied into the pinned
 * receive region and ticked off the block's bitmap, so duplicates and
 * replies for an older pull in the same slot (other generation in the
 * handle) are dropped.  A timer per pull re-asks for the missing replies
 * of blocks that are late and gives up after "pull_timeout_ms" without
 * progress.
 *
 * Locking: one BH-safe lock per endpoint protects its pull table.  PULL
 * frames are built under it and sent after it is dropped.  The table
 * and its timers live as long as the endpoint; close marks it closing,
 * ends every pull and shuts the timers down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/slab.h>

#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_send.h"
#include "omx_wire.h"

static int omx_param_set_window(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 1 || n > OMX_PULL_WINDOW_MAX)
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static int omx_param_set_ms(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n < 10 || n > 600000)
		return -EINVAL;
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops omx_window_ops = {
	.set = omx_param_set_window,
	.get = param_get_uint,
};

static const struct kernel_param_ops omx_ms_ops = {
	.set = omx_param_set_ms,
	.get = param_get_uint,
};

unsigned int omx_pull_blocks = 4;
module_param_cb(pull_blocks, &omx_window_ops, &omx_pull_blocks, 0644);
MODULE_PARM_DESC(pull_blocks, "Blocks each pull keeps in flight, 1-8 (default 4)");

unsigned int omx_pull_resend_ms = 200;
module_param_cb(pull_resend_ms, &omx_ms_ops, &omx_pull_resend_ms, 0644);
MODULE_PARM_DESC(pull_resend_ms, "Milliseconds before the missing replies of a block are asked for again (default 200)");

unsigned int omx_pull_timeout_ms = 5000;
module_param_cb(pull_timeout_ms, &omx_ms_ops, &omx_pull_timeout_ms, 0644);
MODULE_PARM_DESC(pull_timeout_ms, "Milliseconds without progress before a pull fails (default 5000)");

static u32 omx_pull_handle(const struct omx_pull *pull)
{
	return pull->gen << 8 | pull->index;
}

/* Message bytes of frame @i: [start, end). */
static u32 omx_pull_frame_start(const struct omx_pull *pull, u32 i)
{
	return i ? i * pull->reply_len - pull->first : 0;
}

static u32 omx_pull_frame_end(const struct omx_pull *pull, u32 i)
{
	u64 end = (u64)(i + 1) * pull->reply_len - pull->first;

	return min_t(u64, end, pull->length);
}

static u32 omx_pull_block_frames(const struct omx_pull *pull, u32 block)
{
	u32 first = block * OMX_PULL_REPLIES_PER_BLOCK;

	return min_t(u32, pull->nr_frames - first, OMX_PULL_REPLIES_PER_BLOCK);
}

/* A PULL asking for frames [f0, f1) of @pull. */
static void omx_pull_build(const struct omx_pull *pull, u32 f0, u32 f1,
			   struct omx_pkt *pkt)
{
	struct omx_pkt_pull *p = &pkt->pull;

	memset(pkt, 0, sizeof(*pkt));
	pkt->type = OMX_PKT_TYPE_PULL;
	ether_addr_copy(pkt->dst_mac, pull->dst_mac);
	pkt->peer_index = pull->reverse;
	p->dst_endpoint = pull->dst_endpoint;
	p->src_endpoint = pull->ep->index;
	p->session = pull->session;
	p->total_length = pull->length;
	p->pulled_rdma_id = pull->rdma_id;
	p->pulled_rdma_seqnum = pull->rdma_seqnum;
	p->pulled_rdma_offset = pull->remote_offset;
	p->src_pull_handle = omx_pull_handle(pull);
	p->src_magic = omx_pull_magic(pull->ep->index);
	p->first_frame_offset = f0 ? 0 : pull->first;
	p->frame_index = f0;
	p->block_length = omx_pull_frame_end(pull, f1 - 1) - omx_pull_frame_start(pull, f0);
}

/* PULL frames built under the lock, sent after it. */
struct omx_pull_batch {
	unsigned int n;
	struct omx_pkt pkts[OMX_PULL_WINDOW_MAX];
};

/* Ask for blocks until the window is full; under the lock. */
static void omx_pull_fill_window(struct omx_pull *pull, struct omx_pull_batch *batch)
{
	unsigned int window = READ_ONCE(omx_pull_blocks);

	while (pull->next_block < pull->nr_blocks &&
	       pull->next_block < pull->low_block + window &&
	       batch->n < OMX_PULL_WINDOW_MAX) {
		u32 b = pull->next_block++;
		u32 nf = omx_pull_block_frames(pull, b);
		struct omx_pull_block *w = &pull->win[b % OMX_PULL_WINDOW_MAX];
		u32 f0 = b * OMX_PULL_REPLIES_PER_BLOCK;

		w->block = b;
		w->missing = nf == 32 ? ~0U : (1U << nf) - 1;
		w->sent_at = jiffies;
		omx_pull_build(pull, f0, f0 + nf, &batch->pkts[batch->n++]);
	}
}

static void omx_pull_send_batch(struct omx_iface *iface, struct omx_pull_batch *batch)
{
	unsigned int i;

	for (i = 0; i < batch->n; i++)
		omx_send_frame(iface, &batch->pkts[i], NULL, 0, OMX_COUNTER_TX_PULL, false);
}

int omx_pull_deliver_done(struct omx_endpoint *ep, u64 cookie, u32 status,
			  u32 length, u32 region_id, u16 peer_index, u8 peer_endpoint)
{
	struct omx_event evt = { .type = OMX_EVT_PULL_DONE };

	evt.peer_index = peer_index;
	evt.src_endpoint = peer_endpoint;
	evt.pull_done.cookie = cookie;
	evt.pull_done.status = status;
	evt.pull_done.length = length;
	evt.pull_done.local_region_id = region_id;
	return omx_endpoint_deliver(ep, OMX_RING_EXP, &evt, false, NULL, 0, 0);
}

/*
 * End @pull with @status under the lock: report it, or leave it ENDED for
 * the timer to report when the ring has room.  Returns the region
 * reference to drop after the lock, if any.
 */
static struct omx_region *omx_pull_end(struct omx_pull *pull, u32 status)
{
	struct omx_region *region;

	if (pull->state == OMX_PULL_ACTIVE && status != OMX_PULL_STATUS_OK)
		omx_iface_count(pull->ep->iface, OMX_COUNTER_PULL_FAILED, 1);
	pull->status = status;
	if (omx_pull_deliver_done(pull->ep, pull->cookie, status, pull->received,
				  pull->region->id, pull->peer_index, pull->dst_endpoint)) {
		pull->state = OMX_PULL_ENDED;
		mod_timer(&pull->timer, jiffies + msecs_to_jiffies(omx_pull_resend_ms));
		return NULL;
	}
	pull->state = OMX_PULL_FREE;
	region = pull->region;
	pull->region = NULL;
	atomic_dec(&omx_live.pulls);
	return region;
}

/* Late blocks: ask again for the span from their first to last missing reply. */
static void omx_pull_resend(struct omx_pull *pull, struct omx_pull_batch *batch)
{
	unsigned long late = msecs_to_jiffies(READ_ONCE(omx_pull_resend_ms));
	u32 b;

	for (b = pull->low_block; b < pull->next_block && batch->n < OMX_PULL_WINDOW_MAX; b++) {
		struct omx_pull_block *w = &pull->win[b % OMX_PULL_WINDOW_MAX];
		u32 f0 = b * OMX_PULL_REPLIES_PER_BLOCK;

		if (!w->missing || time_before(jiffies, w->sent_at + late))
			continue;
		w->sent_at = jiffies;
		omx_pull_build(pull, f0 + __ffs(w->missing), f0 + __fls(w->missing) + 1,
			       &batch->pkts[batch->n++]);
		omx_iface_count(pull->ep->iface, OMX_COUNTER_PULL_RESENT, 1);
	}
}

static void omx_pull_timer(struct timer_list *t)
{
	struct omx_pull *pull = from_timer(pull, t, timer);
	struct omx_endpoint *ep = pull->ep;
	struct omx_pull_table *table = ep->pulls;
	struct omx_region *region = NULL;
	struct omx_pull_batch batch;
	unsigned long timeout;

	batch.n = 0;
	spin_lock(&table->lock);
	if (table->closing || pull->state == OMX_PULL_FREE)
		goto out;
	if (pull->state == OMX_PULL_ENDED) {
		region = omx_pull_end(pull, pull->status);
		goto out;
	}
	timeout = msecs_to_jiffies(READ_ONCE(omx_pull_timeout_ms));
	if (time_after(jiffies, pull->last_progress + timeout)) {
		region = omx_pull_end(pull, OMX_PULL_STATUS_TIMEOUT);
		goto out;
	}
	omx_pull_resend(pull, &batch);
	mod_timer(&pull->timer, jiffies + msecs_to_jiffies(READ_ONCE(omx_pull_resend_ms)));
out:
	spin_unlock(&table->lock);
	omx_pull_send_batch(ep->iface, &batch);
	if (region)
		omx_region_put(region);
}

int omx_pull_table_alloc(struct omx_endpoint *ep)
{
	struct omx_pull_table *table;
	unsigned int i;

	table = kzalloc(sizeof(*table), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	spin_lock_init(&table->lock);
	for (i = 0; i < OMX_PULLS_MAX; i++) {
		table->pulls[i].ep = ep;
		table->pulls[i].index = i;
		timer_setup(&table->pulls[i].timer, omx_pull_timer, 0);
	}
	ep->pulls = table;
	return 0;
}

void omx_pull_table_close(struct omx_endpoint *ep)
{
	struct omx_pull_table *table = ep->pulls;
	struct omx_region *regions[OMX_PULLS_MAX];
	unsigned int i, n = 0;

	spin_lock_bh(&table->lock);
	table->closing = true;
	for (i = 0; i < OMX_PULLS_MAX; i++) {
		struct omx_pull *pull = &table->pulls[i];

		if (pull->state == OMX_PULL_FREE)
			continue;
		if (pull->state == OMX_PULL_ACTIVE)
			omx_iface_count(ep->iface, OMX_COUNTER_PULL_FAILED, 1);
		pull->state = OMX_PULL_FREE;
		regions[n++] = pull->region;
		pull->region = NULL;
		atomic_dec(&omx_live.pulls);
	}
	spin_unlock_bh(&table->lock);
	/* the callbacks see @closing and do not re-arm */
	for (i = 0; i < OMX_PULLS_MAX; i++)
		timer_shutdown_sync(&table->pulls[i].timer);
	while (n)
		omx_region_put(regions[--n]);
}

void omx_pull_table_free(struct omx_endpoint *ep)
{
	kfree(ep->pulls);
	ep->pulls = NULL;
}

static int omx_pull_check(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd,
			  struct omx_region **regionp)
{
	struct omx_region *region;
	unsigned int i;

	for (i = 0; i < sizeof(cmd->pad); i++)
		if (cmd->pad[i])
			return -EINVAL;
	if ((u64)cmd->remote_offset + cmd->length > OMX_LARGE_MAX)
		return -EINVAL;
	region = omx_region_get_any(ep, cmd->local_region_id);
	if (!region)
		return -ENOENT;
	if (!region->writable ||
	    (u64)cmd->local_offset + cmd->length > region->length) {
		omx_region_put(region);
		return -EINVAL;
	}
	*regionp = region;
	return 0;
}

/* A free slot, made ACTIVE; under the lock.  NULL if none. */
static struct omx_pull *omx_pull_alloc(struct omx_pull_table *table)
{
	unsigned int i;

	for (i = 0; i < OMX_PULLS_MAX; i++) {
		struct omx_pull *pull = &table->pulls[i];

		/* a slot whose old timer may still run is reused safely: it checks the state */
		if (pull->state == OMX_PULL_FREE) {
			pull->state = OMX_PULL_ACTIVE;
			pull->gen = (pull->gen + 1) & 0xffffff;
			atomic_inc(&omx_live.pulls);
			return pull;
		}
	}
	return NULL;
}

int omx_pull_start(struct omx_endpoint *ep, const struct omx_cmd_pull *cmd)
{
	struct omx_pull_table *table = ep->pulls;
	enum omx_nack_type why = OMX_NACK_TYPE_ENDPT_CLOSED;
	struct omx_endpoint *remote = NULL;
	struct omx_iface *peer_iface;
	struct omx_region *region;
	struct omx_pull_batch batch;
	struct omx_pull *pull;
	u8 mac[ETH_ALEN];
	u16 reverse;
	bool shared;
	int ret;

	ret = omx_pull_check(ep, cmd, &region);
	if (ret)
		return ret;
	ret = omx_peer_resolve(cmd->peer_index, mac, &reverse);
	if (ret) {
		omx_region_put(region);
		return ret;
	}

	rcu_read_lock();
	peer_iface = omx_iface_find_by_mac_rcu(mac);
	shared = peer_iface && (peer_iface == ep->iface ||
				!(ep->open_flags & OMX_ENDPOINT_OPEN_NO_SHARED));
	if (shared)
		remote = omx_endpoint_get_rcu(peer_iface, cmd->dst_endpoint, &why);
	rcu_read_unlock();
	if (shared || !cmd->length) {
		ret = omx_shared_pull(ep, cmd, region, remote, why);
		if (remote)
			omx_endpoint_put(remote);
		omx_region_put(region);
		return ret;
	}
	if (!ep->pull_reply_len) {
		omx_region_put(region);
		return -EINVAL;
	}

	batch.n = 0;
	spin_lock_bh(&table->lock);
	pull = omx_pull_alloc(table);
	if (!pull) {
		spin_unlock_bh(&table->lock);
		omx_region_put(region);
		return -EBUSY;
	}
	pull->region = region;
	pull->cookie = cmd->cookie;
	pull->length = cmd->length;
	pull->local_offset = cmd->local_offset;
	pull->remote_offset = cmd->remote_offset;
	pull->session = cmd->session;
	pull->peer_index = cmd->peer_index;
	pull->reverse = reverse;
	pull->dst_endpoint = cmd->dst_endpoint;
	pull->rdma_id = cmd->remote_rdma_id;
	pull->rdma_seqnum = cmd->remote_rdma_seqnum;
	ether_addr_copy(pull->dst_mac, mac);
	pull->reply_len = ep->pull_reply_len;
	pull->first = cmd->remote_offset % pull->reply_len;
	pull->nr_frames = DIV_ROUND_UP((u64)pull->first + cmd->length, pull->reply_len);
	pull->nr_blocks = DIV_ROUND_UP(pull->nr_frames, OMX_PULL_REPLIES_PER_BLOCK);
	pull->low_block = 0;
	pull->next_block = 0;
	pull->received = 0;
	pull->last_progress = jiffies;
	omx_pull_fill_window(pull, &batch);
	mod_timer(&pull->timer, jiffies + msecs_to_jiffies(READ_ONCE(omx_pull_resend_ms)));
	spin_unlock_bh(&table->lock);

	omx_pull_send_batch(ep->iface, &batch);
	return 0;
}

int omx_pull_park_done(struct omx_pull_table *table, const struct omx_cmd_pull *cmd,
		       struct omx_region *dst, u32 status, u32 length)
{
	struct omx_pull *pull;

	spin_lock_bh(&table->lock);
	pull = omx_pull_alloc(table);
	if (!pull) {
		spin_unlock_bh(&table->lock);
		return -EBUSY;
	}
	kref_get(&dst->kref);
	pull->region = dst;
	pull->cookie = cmd->cookie;
	pull->peer_index = cmd->peer_index;
	pull->dst_endpoint = cmd->dst_endpoint;
	pull->received = length;
	pull->status = status;
	pull->state = OMX_PULL_ENDED;
	mod_timer(&pull->timer, jiffies + msecs_to_jiffies(READ_ONCE(omx_pull_resend_ms)));
	spin_unlock_bh(&table->lock);
	return 0;
}

/* The endpoint a PULL_REPLY or NACK_MCP is for, with a reference. */
static struct omx_endpoint *omx_pull_find_ep(struct omx_iface *iface, u32 magic)
{
	int index = omx_pull_magic_endpoint(magic);
	enum omx_nack_type why;

	if (index < 0)
		return NULL;
	return omx_endpoint_get_rcu(iface, index, &why);
}

/* The active pull @handle names, from @mac; under the lock. */
static struct omx_pull *omx_pull_lookup(struct omx_pull_table *table, u32 handle,
					const u8 *mac)
{
	u32 index = handle & 0xff;
	struct omx_pull *pull;

	if (index >= OMX_PULLS_MAX || table->closing)
		return NULL;
	pull = &table->pulls[array_index_nospec(index, OMX_PULLS_MAX)];
	if (pull->state != OMX_PULL_ACTIVE || pull->gen != handle >> 8 ||
	    !ether_addr_equal(pull->dst_mac, mac))
		return NULL;
	return pull;
}

/*
 * Which frame of @pull the reply is, if it is exactly that frame and is
 * still missing; -1 otherwise.
 */
static int omx_pull_reply_frame(const struct omx_pull *pull,
				const struct omx_pkt_pull_reply *r)
{
	const struct omx_pull_block *w;
	u32 i, b;

	if (r->msg_offset >= pull->length)
		return -1;
	i = ((u64)r->msg_offset + pull->first) / pull->reply_len;
	if (i >= pull->nr_frames || r->msg_offset != omx_pull_frame_start(pull, i) ||
	    r->frame_length != omx_pull_frame_end(pull, i) - r->msg_offset ||
	    r->frame_seqnum != (u8)i)
		return -1;
	b = i / OMX_PULL_REPLIES_PER_BLOCK;
	if (b < pull->low_block || b >= pull->next_block)
		return -1;
	w = &pull->win[b % OMX_PULL_WINDOW_MAX];
	if (w->block != b || !(w->missing & BIT(i % OMX_PULL_REPLIES_PER_BLOCK)))
		return -1;
	return i;
}

enum omx_counter_index omx_pull_recv_reply(struct omx_iface *iface,
					   const struct sk_buff *skb,
					   const struct omx_pkt *pkt)
{
	const struct omx_pkt_pull_reply *r = &pkt->pull_reply;
	struct omx_region *region = NULL;
	struct omx_pull_batch batch;
	struct omx_pull_table *table;
	struct omx_pull_block *w;
	struct omx_endpoint *ep;
	struct omx_pull *pull;
	int i;

	ep = omx_pull_find_ep(iface, r->dst_magic);
	if (!ep)
		return OMX_COUNTER_RX_DROP_STALE_PULL_REPLY;
	table = ep->pulls;
	batch.n = 0;
	spin_lock(&table->lock);
	pull = omx_pull_lookup(table, r->dst_pull_handle, pkt->src_mac);
	i = pull ? omx_pull_reply_frame(pull, r) : -1;
	if (i < 0) {
		spin_unlock(&table->lock);
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_STALE_PULL_REPLY;
	}
	/* the codec checked the frame holds frame_length bytes */
	omx_region_write(pull->region, (u64)pull->local_offset + r->msg_offset, skb,
			 pkt->payload_offset - ETH_HLEN, r->frame_length);
	w = &pull->win[(i / OMX_PULL_REPLIES_PER_BLOCK) % OMX_PULL_WINDOW_MAX];
	w->missing &= ~BIT(i % OMX_PULL_REPLIES_PER_BLOCK);
	pull->received += r->frame_length;
	pull->last_progress = jiffies;
	while (pull->low_block < pull->next_block &&
	       !pull->win[pull->low_block % OMX_PULL_WINDOW_MAX].missing)
		pull->low_block++;
	if (pull->low_block == pull->nr_blocks)
		region = omx_pull_end(pull, OMX_PULL_STATUS_OK);
	else
		omx_pull_fill_window(pull, &batch);
	spin_unlock(&table->lock);

	omx_iface_count(iface, OMX_COUNTER_RX_PULL_REPLY, 1);
	omx_pull_send_batch(ep->iface, &batch);
	if (region)
		omx_region_put(region);
	omx_endpoint_put(ep);
	return OMX_COUNTER_NR;
}

static u32 omx_pull_nack_status(u8 nack_type)
{
	switch (nack_type) {
	case OMX_NACK_TYPE_BAD_ENDPT:
		return OMX_PULL_STATUS_BAD_ENDPT;
	case OMX_NACK_TYPE_ENDPT_CLOSED:
		return OMX_PULL_STATUS_ENDPT_CLOSED;
	case OMX_NACK_TYPE_BAD_SESSION:
		return OMX_PULL_STATUS_BAD_SESSION;
	default:
		return OMX_PULL_STATUS_BAD_RDMAWIN;
	}
}

enum omx_counter_index omx_pull_recv_nack_mcp(struct omx_iface *iface,
					      const struct sk_buff *skb,
					      const struct omx_pkt *pkt)
{
	const struct omx_pkt_nack_mcp *n = &pkt->nack_mcp;
	struct omx_region *region = NULL;
	struct omx_pull_table *table;
	struct omx_endpoint *ep;
	struct omx_pull *pull;

	ep = omx_pull_find_ep(iface, n->src_magic);
	if (!ep)
		return OMX_COUNTER_RX_DROP_UNEXPECTED;
	if (ep->index != n->dst_endpoint) {
		omx_endpoint_put(ep);
		return OMX_COUNTER_RX_DROP_BAD_HEADER;
	}
	table = ep->pulls;
	spin_lock(&table->lock);
	pull = omx_pull_lookup(table, n->src_pull_handle, pkt->src_mac);
	if (pull)
		region = omx_pull_end(pull, omx_pull_nack_status(n->nack_type));
	spin_unlock(&table->lock);
	omx_endpoint_put(ep);
	if (!pull)
		return OMX_COUNTER_RX_DROP_UNEXPECTED;
	if (region)
		omx_region_put(region);
	omx_iface_count(iface, OMX_COUNTER_RX_NACK_MCP, 1);
	return OMX_COUNTER_NR;
}
