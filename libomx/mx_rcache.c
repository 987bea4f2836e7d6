/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Registration of user buffers for large messages, and the registration
 * cache: a region stays registered after its message, keyed by its
 * segment list, and the next message from or into the same buffers
 * reuses it without pinning again.  The driver raises
 * ctrl->region_invalid[id] when any page of a registered region is
 * unmapped or remapped, so a buffer freed and reallocated at the same
 * address is registered again before reuse and its new pages are sent.
 * Ids are OMX_REGIONS_MAX; when none is free the least recently used
 * idle region is dropped.  An entry serves one request at a time, so the
 * (id, seqnum) of a RNDV names exactly one send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_mx.h"

static void omx_region_drop(struct mx_endpoint *ep, struct omx_region *rg)
{
	__u32 id = rg->id;

	if (rg->registered)
		omx_drv_deregister_region(ep->dev.fd, id);
	free(rg->segs);
	rg->segs = NULL;
	rg->nseg = 0;
	rg->registered = false;
	rg->length = 0;
}

static bool omx_region_is_invalid(struct mx_endpoint *ep, struct omx_region *rg)
{
	return __atomic_load_n(&ep->ctrl->region_invalid[rg->id], __ATOMIC_ACQUIRE) != 0;
}

/* Registers @rg->segs under @rg->id; 0 or -1 with errno. */
static int omx_region_register(struct mx_endpoint *ep, struct omx_region *rg)
{
	struct omx_cmd_region c;

	memset(&c, 0, sizeof(c));
	c.id = rg->id;
	c.nr_segments = rg->nseg;
	c.flags = rg->flags;
	c.segments = (uintptr_t)rg->segs;
	if (omx_drv_register_region(ep->dev.fd, &c) < 0)
		return -1;
	rg->seqnum = c.seqnum;
	rg->length = c.length;
	rg->registered = true;
	return 0;
}

/* The non-empty segments of @segs; *@count gets their number. */
static struct omx_region_segment *omx_region_segs(const mx_segment_t *segs, uint32_t nseg,
						  uint32_t *count)
{
	struct omx_region_segment *out;
	uint32_t i, n = 0;

	for (i = 0; i < nseg; i++)
		n += segs[i].segment_length != 0;
	if (!n || n > OMX_REGION_SEGMENTS_MAX) {
		errno = EINVAL;
		return NULL;
	}
	out = malloc(n * sizeof(*out));
	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0, n = 0; i < nseg; i++) {
		if (!segs[i].segment_length)
			continue;
		out[n].vaddr = (uintptr_t)segs[i].segment_ptr;
		out[n].length = segs[i].segment_length;
		n++;
	}
	*count = n;
	return out;
}

static bool omx_region_fits(const struct omx_region *rg, const struct omx_region_segment *segs,
			    uint32_t nseg, uint32_t flags)
{
	/* a region pinned for writing serves reads too */
	if (rg->nseg != nseg || (rg->flags & flags) != flags)
		return false;
	return !memcmp(rg->segs, segs, nseg * sizeof(*segs));
}

/* A free id, or the least recently used idle region's; NULL if none. */
static struct omx_region *omx_region_slot(struct mx_endpoint *ep)
{
	struct omx_region *lru = NULL;
	unsigned int i;

	for (i = 0; i < OMX_REGIONS_MAX; i++) {
		struct omx_region *rg = &ep->regions[i];

		rg->id = (uint8_t)i;
		if (rg->users)
			continue;
		if (!rg->registered)
			return rg;
		if (!lru || rg->last_use < lru->last_use)
			lru = rg;
	}
	if (lru)
		omx_region_drop(ep, lru);
	return lru;
}

/* Deregisters every idle region: pinned memory is short (RLIMIT_MEMLOCK). */
static unsigned int omx_region_evict_idle(struct mx_endpoint *ep)
{
	unsigned int i, n = 0;

	for (i = 0; i < OMX_REGIONS_MAX; i++) {
		if (ep->regions[i].registered && !ep->regions[i].users) {
			omx_region_drop(ep, &ep->regions[i]);
			n++;
		}
	}
	return n;
}

/*
 * Deregisters the idle regions whose memory was unmapped or remapped:
 * they can never be reused, and their old pages stay pinned (charged to
 * the process) until deregistered, however much memory the application
 * frees.
 */
static void omx_region_sweep_invalid(struct mx_endpoint *ep)
{
	unsigned int i;

	for (i = 0; i < OMX_REGIONS_MAX; i++) {
		struct omx_region *rg = &ep->regions[i];

		if (rg->registered && !rg->users && omx_region_is_invalid(ep, rg))
			omx_region_drop(ep, rg);
	}
}

static struct omx_region *omx_region_lookup(struct mx_endpoint *ep,
					    const struct omx_region_segment *segs,
					    uint32_t nseg, uint32_t flags)
{
	unsigned int i;

	for (i = 0; i < OMX_REGIONS_MAX; i++) {
		struct omx_region *rg = &ep->regions[i];

		if (rg->registered && !rg->users && omx_region_fits(rg, segs, nseg, flags))
			return rg;
	}
	return NULL;
}

struct omx_region *omx_region_get(struct mx_endpoint *ep, const mx_segment_t *segs,
				  uint32_t nseg, uint32_t flags)
{
	struct omx_region_segment *rsegs;
	struct omx_region *rg = NULL;
	uint32_t n = 0;
	int err;

	rsegs = omx_region_segs(segs, nseg, &n);
	if (!rsegs)
		return NULL;
	omx_region_sweep_invalid(ep);
	if (omx_config.rcache)
		rg = omx_region_lookup(ep, rsegs, n, flags);
	if (rg) {
		free(rsegs);
		/* the memory changed under the registration: pin the new pages */
		if (omx_region_is_invalid(ep, rg)) {
			__u32 id = rg->id;

			omx_drv_deregister_region(ep->dev.fd, id);
			rg->registered = false;
			if (omx_region_register(ep, rg) < 0) {
				err = errno;
				omx_region_drop(ep, rg);
				errno = err;
				return NULL;
			}
		}
		goto found;
	}
	rg = omx_region_slot(ep);
	if (!rg) {
		free(rsegs);
		errno = EBUSY;
		return NULL;
	}
	rg->segs = rsegs;
	rg->nseg = n;
	rg->flags = flags;
	if (omx_region_register(ep, rg) < 0) {
		err = errno;
		/* over the pinning limit: give back what the cache holds, once */
		if (err == ENOMEM && omx_region_evict_idle(ep)) {
			rg->segs = rsegs;
			rg->nseg = n;
			rg->flags = flags;
			if (omx_region_register(ep, rg) == 0)
				goto found;
			err = errno;
		}
		rg->segs = rsegs;
		omx_region_drop(ep, rg);
		errno = err;
		return NULL;
	}
found:
	rg->users = 1;
	rg->last_use = ++ep->region_clock;
	return rg;
}

/*
 * An id for a 0-byte RNDV (mx_issend of nothing): nothing to pin, so
 * nothing registered, but the id is held until the NOTIFY names it, so
 * that (id, seqnum) still names one send.  The seqnum is ours to pick.
 */
struct omx_region *omx_region_get_empty(struct mx_endpoint *ep)
{
	struct omx_region *rg = omx_region_slot(ep);

	if (!rg) {
		errno = EBUSY;
		return NULL;
	}
	rg->seqnum++;
	rg->users = 1;
	rg->last_use = ++ep->region_clock;
	return rg;
}

void omx_region_put(struct mx_endpoint *ep, struct omx_region *rg)
{
	if (!rg || !rg->users)
		return;
	rg->users--;
	if (rg->users)
		return;
	if (!omx_config.rcache || !rg->registered || omx_region_is_invalid(ep, rg))
		omx_region_drop(ep, rg);
}

void omx_regions_free(struct mx_endpoint *ep)
{
	unsigned int i;

	for (i = 0; i < OMX_REGIONS_MAX; i++) {
		ep->regions[i].users = 0;
		omx_region_drop(ep, &ep->regions[i]);
	}
}
