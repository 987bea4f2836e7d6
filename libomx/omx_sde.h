/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Software-defined events of libomx, exported through PAPI's libsde as
 * "sde:::omx::NAME" (docs/papi.md).  The counters are process-wide and
 * incremented with relaxed atomics: the progression thread and the
 * application's threads both move them, and a reader (PAPI_read) only
 * needs each value whole.  Without libsde (./configure --without-papi)
 * every call here compiles to nothing.  Not a public header.
 */
#ifndef OMX_SDE_H
#define OMX_SDE_H

struct mx_endpoint;

enum omx_sde_counter {
	OMX_SDE_MESSAGES_SENT,
	OMX_SDE_MESSAGES_RECEIVED,
	OMX_SDE_RECV_BYTES_COPIED,
	OMX_SDE_UNEXPECTED_MESSAGES,
	OMX_SDE_NR,
};

#ifdef OMX_HAVE_SDE
extern long long omx_sde_counts[OMX_SDE_NR];

/* Registers the events with libsde once per process (mx_init). */
void omx_sde_init(void);
/*
 * Global lock held, @ep still in the endpoint list: keeps what it
 * counted off its queue's CPUs, so that the event never goes back.
 */
void omx_sde_endpoint_closing(struct mx_endpoint *ep);

static inline void omx_sde_add(enum omx_sde_counter c, long long n)
{
	__atomic_fetch_add(&omx_sde_counts[c], n, __ATOMIC_RELAXED);
}
#else
static inline void omx_sde_init(void) {}
static inline void omx_sde_endpoint_closing(struct mx_endpoint *ep) { (void)ep; }
static inline void omx_sde_add(enum omx_sde_counter c, long long n) { (void)c; (void)n; }
#endif

#endif /* OMX_SDE_H */
