// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory regions (docs/module.md, "Large messages").  REGISTER pins every
 * page of up to OMX_REGION_SEGMENTS_MAX user buffers with
 * pin_user_pages_fast(FOLL_LONGTERM), charging them to mm->pinned_vm
 * against RLIMIT_MEMLOCK unless CAP_IPC_LOCK, as RDMA drivers do.  The
 * pages stay pinned until the last reference goes: deregistration or
 * endpoint close drops the table's, a pull or a PULL being answered may
 * hold another for a while.  Frames being sent from the pages hold page
 * references of their own, so unpinning never pulls pages from under an
 * skb.
 *
 * Each segment has an mmu interval notifier: when its range is unmapped
 * or remapped, region_invalid[id] in the endpoint's control page becomes
 * 1 so that the library's registration cache registers the buffer again
 * instead of sending the old, still pinned, pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/backing-dev.h>
#include <linux/capability.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "omx_endpoint.h"
#include "omx_main.h"
#include "omx_region.h"
#include "omx_wire.h"

struct workqueue_struct *omx_wq;

bool omx_openmx_pulls = true;
module_param_named(openmx_pulls, omx_openmx_pulls, bool, 0644);
MODULE_PARM_DESC(openmx_pulls,
		 "Accept PULLs carrying only the 16-bit token part Open-MX echoes (default 1)");

int omx_region_module_init(void)
{
	omx_wq = alloc_workqueue("omx", 0, 0);
	return omx_wq ? 0 : -ENOMEM;
}

void omx_region_module_exit(void)
{
	destroy_workqueue(omx_wq);
}

void omx_region_table_init(struct omx_region_table *table)
{
	spin_lock_init(&table->lock);
}

static struct omx_ring_ctrl *omx_region_ctrl(struct omx_endpoint *ep)
{
	return ep->rings.base + OMX_CTRL_OFFSET;
}

/*
 * Permission changes (mprotect, fork's write protection, NUMA hinting)
 * keep the same pages mapped: the registration stays good.  Everything
 * else (munmap, mremap, MADV_DONTNEED, exit) may put other pages there.
 */
static bool omx_region_invalidate(struct mmu_interval_notifier *mni,
				  const struct mmu_notifier_range *range,
				  unsigned long cur_seq)
{
	struct omx_region_seg *seg = container_of(mni, struct omx_region_seg, notifier);
	struct omx_region *region = seg->region;

	mmu_interval_set_seq(mni, cur_seq);
	switch (range->event) {
	case MMU_NOTIFY_PROTECTION_VMA:
	case MMU_NOTIFY_PROTECTION_PAGE:
	case MMU_NOTIFY_SOFT_DIRTY:
		return true;
	default:
		break;
	}
	WRITE_ONCE(omx_region_ctrl(region->ep)->region_invalid[region->id], 1);
	return true;
}

static const struct mmu_interval_notifier_ops omx_region_notifier_ops = {
	.invalidate = omx_region_invalidate,
};

static int omx_region_charge(struct mm_struct *mm, unsigned long pages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	s64 pinned = atomic64_add_return(pages, &mm->pinned_vm);

	if (pinned > limit && !capable(CAP_IPC_LOCK)) {
		atomic64_sub(pages, &mm->pinned_vm);
		return -ENOMEM;
	}
	return 0;
}

/* Process context; the notifiers are gone already. */
static void omx_region_free(struct omx_region *region)
{
	unsigned int i;

	for (i = 0; i < region->nr_segs; i++) {
		struct omx_region_seg *seg = &region->segs[i];

		if (!seg->pages)
			continue;
		unpin_user_pages_dirty_lock(seg->pages, seg->nr_pages,
					    region->writable);
		kvfree(seg->pages);
	}
	atomic64_sub(region->nr_pages, &omx_live.pinned_pages);
	atomic64_sub(region->nr_pages, &region->mm->pinned_vm);
	mmdrop(region->mm);
	atomic_dec(&omx_live.regions);
	kfree(region);
}

static void omx_region_release_work(struct work_struct *work)
{
	omx_region_free(container_of(work, struct omx_region, release_work));
}

static void omx_region_release(struct kref *kref)
{
	struct omx_region *region = container_of(kref, struct omx_region, kref);

	/* unpin_user_pages_dirty_lock() may sleep */
	INIT_WORK(&region->release_work, omx_region_release_work);
	queue_work(omx_wq, &region->release_work);
}

void omx_region_put(struct omx_region *region)
{
	kref_put(&region->kref, omx_region_release);
}

static void omx_region_release_sync(struct kref *kref)
{
	omx_region_free(container_of(kref, struct omx_region, kref));
}

/* Process context only: the pages are unpinned before this returns if it was the last. */
static void omx_region_put_sync(struct omx_region *region)
{
	kref_put(&region->kref, omx_region_release_sync);
}

static void omx_region_remove_notifiers(struct omx_region *region)
{
	unsigned int i;

	for (i = 0; i < region->nr_segs; i++) {
		if (region->segs[i].notifier_set) {
			mmu_interval_notifier_remove(&region->segs[i].notifier);
			region->segs[i].notifier_set = false;
		}
	}
}

static int omx_region_pin_seg(struct omx_region_seg *seg, unsigned int gup_flags)
{
	unsigned long done = 0;
	int ret;

	seg->pages = kvmalloc_array(seg->nr_pages, sizeof(*seg->pages), GFP_KERNEL);
	if (!seg->pages)
		return -ENOMEM;
	while (done < seg->nr_pages) {
		int chunk = min_t(unsigned long, seg->nr_pages - done, 1UL << 16);

		ret = pin_user_pages_fast((seg->vaddr & PAGE_MASK) + (done << PAGE_SHIFT),
					  chunk, gup_flags, seg->pages + done);
		if (ret <= 0) {
			if (done)
				unpin_user_pages(seg->pages, done);
			kvfree(seg->pages);
			seg->pages = NULL;
			return ret ? ret : -EFAULT;
		}
		done += ret;
		if (fatal_signal_pending(current)) {
			unpin_user_pages(seg->pages, done);
			kvfree(seg->pages);
			seg->pages = NULL;
			return -EINTR;
		}
	}
	return 0;
}

/* Segments from user space: checked, laid end to end in @region. */
static int omx_region_fill_segs(struct omx_region *region,
				const struct omx_region_segment *useg)
{
	u64 total = 0, end;
	unsigned int i;

	for (i = 0; i < region->nr_segs; i++) {
		struct omx_region_seg *seg = &region->segs[i];

		if (!useg[i].length || useg[i].length > OMX_LARGE_MAX)
			return -EINVAL;
		if (check_add_overflow(useg[i].vaddr, useg[i].length, &end) ||
		    end > TASK_SIZE || useg[i].vaddr != (unsigned long)useg[i].vaddr)
			return -EFAULT;
		seg->start = total;
		seg->length = useg[i].length;
		seg->vaddr = useg[i].vaddr;
		seg->first_offset = seg->vaddr & ~PAGE_MASK;
		seg->nr_pages = (PAGE_ALIGN(end) - (seg->vaddr & PAGE_MASK)) >> PAGE_SHIFT;
		seg->region = region;
		region->nr_pages += seg->nr_pages;
		total += seg->length;
		if (total > OMX_LARGE_MAX)
			return -EINVAL;
	}
	region->length = total;
	return 0;
}

/*
 * A writable long-term pin of page cache pages that are written back
 * (a MAP_SHARED mapping of a regular file on a disk filesystem) lets the
 * driver write them from softirq while writeback reads or protects them:
 * kernels from 6.5 refuse it in GUP, 6.1 does not, so we do.  shmem,
 * tmpfs and ramfs (no writeback) and private mappings are fine.
 */
static bool omx_region_vma_needs_dirty_tracking(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	if (!(vma->vm_flags & VM_SHARED) || !file || (vma->vm_flags & VM_PFNMAP))
		return false;
	if (vma->vm_ops && vma->vm_ops->page_mkwrite)
		return true;
	return file->f_mapping && mapping_can_writeback(file->f_mapping);
}

static int omx_region_check_writable(struct omx_region *region)
{
	struct mm_struct *mm = region->mm;
	unsigned int i;
	int ret = 0;

	if (!region->writable)
		return 0;
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for (i = 0; i < region->nr_segs && !ret; i++) {
		unsigned long start = region->segs[i].vaddr;
		unsigned long end = start + region->segs[i].length;
		struct vm_area_struct *vma;

		/* holes are found by pinning (EFAULT) */
		for (vma = find_vma(mm, start); vma && vma->vm_start < end;
		     vma = find_vma(mm, vma->vm_end)) {
			if (omx_region_vma_needs_dirty_tracking(vma)) {
				ret = -EOPNOTSUPP;
				break;
			}
		}
	}
	mmap_read_unlock(mm);
	return ret;
}

static int omx_region_pin(struct omx_region *region)
{
	unsigned int gup_flags = FOLL_LONGTERM | (region->writable ? FOLL_WRITE : 0);
	unsigned int i;
	int ret;

	ret = omx_region_check_writable(region);
	if (ret)
		return ret;
	for (i = 0; i < region->nr_segs; i++) {
		struct omx_region_seg *seg = &region->segs[i];

		ret = mmu_interval_notifier_insert(&seg->notifier, region->mm,
						   seg->vaddr, seg->length,
						   &omx_region_notifier_ops);
		if (ret)
			return ret;
		seg->notifier_set = true;
		ret = omx_region_pin_seg(seg, gup_flags);
		if (ret)
			return ret;
	}
	return 0;
}

int omx_region_register(struct omx_endpoint *ep, struct omx_cmd_region *cmd)
{
	struct omx_region_table *table = &ep->regions;
	struct omx_region_segment *useg;
	struct omx_region *region;
	int ret;

	if (cmd->id >= OMX_REGIONS_MAX || cmd->flags & ~OMX_REGION_WRITABLE ||
	    cmd->pad[0] || cmd->pad[1] || cmd->pad[2] ||
	    !cmd->nr_segments || cmd->nr_segments > OMX_REGION_SEGMENTS_MAX)
		return -EINVAL;
	if (READ_ONCE(table->regions[cmd->id]))
		return -EBUSY;

	useg = memdup_user(u64_to_user_ptr(cmd->segments),
			   array_size(cmd->nr_segments, sizeof(*useg)));
	if (IS_ERR(useg))
		return PTR_ERR(useg);
	region = kzalloc(struct_size(region, segs, cmd->nr_segments), GFP_KERNEL);
	if (!region) {
		kfree(useg);
		return -ENOMEM;
	}
	kref_init(&region->kref);
	region->ep = ep;
	region->id = cmd->id;
	region->writable = cmd->flags & OMX_REGION_WRITABLE;
	region->nr_segs = cmd->nr_segments;
	region->mm = current->mm;
	mmgrab(region->mm);
	atomic_inc(&omx_live.regions);

	ret = omx_region_fill_segs(region, useg);
	kfree(useg);
	if (ret) {
		region->nr_pages = 0;
		goto fail;
	}
	ret = omx_region_charge(region->mm, region->nr_pages);
	if (ret) {
		region->nr_pages = 0;
		goto fail;
	}
	atomic64_add(region->nr_pages, &omx_live.pinned_pages);

	/* before the notifiers: an invalidation from now on must stick */
	WRITE_ONCE(omx_region_ctrl(ep)->region_invalid[cmd->id], 0);
	ret = omx_region_pin(region);
	if (ret)
		goto fail;

	spin_lock_bh(&table->lock);
	if (table->regions[cmd->id]) {
		ret = -EBUSY;
	} else {
		region->seqnum = table->next_seqnum[cmd->id]++;
		WRITE_ONCE(table->regions[cmd->id], region);
	}
	spin_unlock_bh(&table->lock);
	if (ret)
		goto fail;

	cmd->seqnum = region->seqnum;
	cmd->length = region->length;
	return 0;

fail:
	omx_region_remove_notifiers(region);
	omx_region_put_sync(region);
	return ret;
}

static struct omx_region *omx_region_unpublish(struct omx_region_table *table, u32 id)
{
	struct omx_region *region;

	spin_lock_bh(&table->lock);
	region = table->regions[id];
	WRITE_ONCE(table->regions[id], NULL);
	spin_unlock_bh(&table->lock);
	return region;
}

static void omx_region_drop(struct omx_region *region)
{
	omx_region_remove_notifiers(region);
	omx_region_put_sync(region);
}

int omx_region_deregister(struct omx_endpoint *ep, u32 id)
{
	struct omx_region *region;

	if (id >= OMX_REGIONS_MAX)
		return -ENOENT;
	region = omx_region_unpublish(&ep->regions, id);
	if (!region)
		return -ENOENT;
	omx_region_drop(region);
	return 0;
}

void omx_region_table_destroy(struct omx_endpoint *ep)
{
	struct omx_region *region;
	u32 id;

	for (id = 0; id < OMX_REGIONS_MAX; id++) {
		region = omx_region_unpublish(&ep->regions, id);
		if (region)
			omx_region_drop(region);
	}
}

struct omx_region *omx_region_get_any(struct omx_endpoint *ep, u32 id)
{
	struct omx_region_table *table = &ep->regions;
	struct omx_region *region;

	if (id >= OMX_REGIONS_MAX)
		return NULL;
	spin_lock_bh(&table->lock);
	region = table->regions[id];
	if (region)
		kref_get(&region->kref);
	spin_unlock_bh(&table->lock);
	return region;
}

struct omx_region *omx_region_get(struct omx_endpoint *ep, u32 id, u8 seqnum)
{
	struct omx_region *region = omx_region_get_any(ep, id);

	if (region && region->seqnum != seqnum) {
		omx_region_put(region);
		return NULL;
	}
	return region;
}

void omx_region_grant(struct omx_endpoint *ep, struct omx_region *region,
		      const u8 *mac, u8 endpoint, u32 session, u16 lib_seqnum,
		      u32 msg_length, u16 *token_lo, u32 *token_hi)
{
	struct omx_region_grant *g = &region->grant, fresh = { .valid = true };
	/* token_lo + the region length must fit the wire's 32-bit offset */
	u64 lo_range = min_t(u64, 1U << 16, (u64)U32_MAX - region->length + 1);

	ether_addr_copy(fresh.mac, mac);
	fresh.endpoint = endpoint;
	fresh.session = session;
	fresh.lib_seqnum = lib_seqnum;
	fresh.msg_length = msg_length;
	fresh.token_lo = (u16)get_random_u32_below((u32)lo_range);
	do {
		fresh.token_hi = get_random_u32();
	} while (!fresh.token_hi);

	spin_lock_bh(&ep->regions.lock);
	/* a retransmitted RNDV: the puller may be using the first one's token */
	if (!g->valid || !ether_addr_equal(g->mac, mac) || g->endpoint != endpoint ||
	    g->session != session || g->lib_seqnum != lib_seqnum ||
	    g->msg_length != msg_length) {
		/*
		 * The region's next message to the same addressee: PULLs of
		 * the previous one may still come (re-requests on the wire).
		 * Remember its token so that they are refused without
		 * counting as guesses, which would revoke the new grant.
		 */
		if (g->valid && ether_addr_equal(g->mac, mac) && g->endpoint == endpoint &&
		    g->session == session) {
			fresh.prev_valid = true;
			fresh.prev_token_lo = g->token_lo;
			fresh.prev_token_hi = g->token_hi;
		}
		*g = fresh;
	}
	*token_lo = g->token_lo;
	*token_hi = g->token_hi;
	spin_unlock_bh(&ep->regions.lock);
}

/* Does @claim present the token (@hi, @lo)? */
static bool omx_token_matches(const struct omx_pull_claim *claim, u32 hi, u16 lo)
{
	if (claim->token_hi)
		/* omx puller: the whole token, any offset from token_lo on */
		return claim->token_hi == hi && claim->offset >= lo;
	/* Open-MX puller: it echoes the RNDV's rdma_offset and pulls from 0 */
	return READ_ONCE(omx_openmx_pulls) && claim->offset == lo;
}

int omx_region_may_pull(struct omx_endpoint *ep, struct omx_region *region,
			const struct omx_pull_claim *claim, u64 *region_offset)
{
	struct omx_region_grant *g = &region->grant;
	bool token_ok;
	u64 start;
	int ret = -EACCES;

	spin_lock_bh(&ep->regions.lock);
	if (!g->valid || !ether_addr_equal(g->mac, claim->mac) ||
	    g->endpoint != claim->endpoint || (claim->local && g->session != claim->session))
		goto out;
	token_ok = omx_token_matches(claim, g->token_hi, g->token_lo);
	if (!token_ok) {
		/* the addressee's PULL for the region's previous message */
		if (g->prev_valid && omx_token_matches(claim, g->prev_token_hi, g->prev_token_lo)) {
			ret = -ESTALE;
			goto out;
		}
		/* a guess, or a PULL older than that: only a few of those */
		if (++g->failures >= OMX_GRANT_FAILURES_MAX)
			g->valid = false;
		goto out;
	}
	start = claim->offset - g->token_lo;
	ret = start + claim->length > region->length ? -ERANGE : 0;
	*region_offset = start;
out:
	spin_unlock_bh(&ep->regions.lock);
	return ret;
}

struct page *omx_region_page(const struct omx_region *region, u64 offset,
			     unsigned int *page_offset, unsigned int *avail)
{
	unsigned int lo = 0, hi = region->nr_segs;
	const struct omx_region_seg *seg;
	u64 in_seg, seg_left;
	unsigned long pos;

	/* the last segment starting at or before @offset */
	while (hi - lo > 1) {
		unsigned int mid = (lo + hi) / 2;

		if (region->segs[mid].start <= offset)
			lo = mid;
		else
			hi = mid;
	}
	seg = &region->segs[lo];
	in_seg = offset - seg->start;
	seg_left = seg->length - in_seg;
	pos = seg->first_offset + in_seg;
	*page_offset = pos & ~PAGE_MASK;
	*avail = min_t(u64, seg_left, PAGE_SIZE - *page_offset);
	return seg->pages[pos >> PAGE_SHIFT];
}

void omx_region_write(struct omx_region *region, u64 offset,
		      const struct sk_buff *skb, int skb_offset, unsigned int len)
{
	unsigned int po, n;
	struct page *page;
	void *addr;

	while (len) {
		page = omx_region_page(region, offset, &po, &n);
		n = min(n, len);
		addr = kmap_local_page(page);
		/* the caller checked the skb holds @len bytes there */
		WARN_ON_ONCE(skb_copy_bits(skb, skb_offset, addr + po, n));
		kunmap_local(addr);
		offset += n;
		skb_offset += n;
		len -= n;
	}
}

int omx_region_copy(struct omx_region *dst, u64 dst_offset,
		    struct omx_region *src, u64 src_offset, u64 len, u64 *copied)
{
	unsigned int dpo, dn, spo, sn, n;
	struct page *dpage, *spage;
	void *daddr, *saddr;

	*copied = 0;
	while (len) {
		/* up to 4 GiB in one ioctl: a killed process must not wait for it */
		if (fatal_signal_pending(current))
			return -EINTR;
		dpage = omx_region_page(dst, dst_offset, &dpo, &dn);
		spage = omx_region_page(src, src_offset, &spo, &sn);
		n = min3(dn, sn, (unsigned int)min_t(u64, len, UINT_MAX));
		daddr = kmap_local_page(dpage);
		saddr = kmap_local_page(spage);
		memcpy(daddr + dpo, saddr + spo, n);
		kunmap_local(saddr);
		kunmap_local(daddr);
		dst_offset += n;
		src_offset += n;
		len -= n;
		*copied += n;
		cond_resched();
	}
	return 0;
}
