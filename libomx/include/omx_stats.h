/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_stats.h: what the omx library's transport did on one endpoint
 * (resends, frames kept ahead of a gap, duplicates, window stalls), an
 * omx extension to the MX API.  See omx_get_endpoint_stats(3) and
 * docs/mx-api.md, "Loss recovery".
 */
#ifndef OMX_STATS_H
#define OMX_STATS_H

#include "myriexpress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counts since the endpoint was opened; fields are only ever added at the end. */
struct omx_endpoint_stats {
	uint64_t resent_timeout;	/* sends resent because their timer expired */
	uint64_t resent_fast;		/* sends resent at once for a receiver's gap report */
	uint64_t gap_reports;		/* gap reports sent (acks naming what is missing) */
	uint64_t ooo_kept;		/* frames kept because they came ahead of a gap */
	uint64_t ooo_dropped;		/* frames ahead of a gap with no room to keep them */
	uint64_t duplicates;		/* frames received twice, dropped */
	uint64_t window_stalls;		/* times sends to a partner waited for its window */
	uint64_t zombies_failed;	/* early-completed sends that never got their ack */
	uint64_t resent_probe;		/* last sends resent as a tail-loss probe */
};

/*
 * Copies the counters of @ep into @stats; @size is sizeof(*stats) as the
 * caller knows it (a shorter, older struct gets its own fields only).
 */
mx_return_t omx_get_endpoint_stats(mx_endpoint_t ep, struct omx_endpoint_stats *stats,
				   uint32_t size);

#ifdef __cplusplus
}
#endif

#endif /* OMX_STATS_H */
