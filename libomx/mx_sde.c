// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libomx's software-defined events (docs/papi.md), registered with
 * PAPI's libsde under the library name "omx": any program linked with
 * libomx and libpapi reads them as "sde:::omx::NAME".  Every event is a
 * callback counter, so that PAPI reads the atomics through
 * __atomic_load_n instead of a plain load racing the progression thread.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <sde_lib.h>

#include "omx_mx.h"
#include "omx_sde.h"

long long omx_sde_counts[OMX_SDE_NR];

static const struct {
	const char *name;
	const char *what;
} omx_sde_events[OMX_SDE_NR] = {
	[OMX_SDE_MESSAGES_SENT] = { "messages_sent",
		"messages posted by mx_isend and mx_issend (accepted by the library)" },
	[OMX_SDE_MESSAGES_RECEIVED] = { "messages_received",
		"receive requests reported done by mx_test, mx_wait, mx_test_any or mx_wait_any with a message (success or truncated)" },
	[OMX_SDE_RECV_BYTES_COPIED] = { "recv_bytes_copied",
		"bytes written into application receive buffers: eager data copied by libomx, large data pulled by the driver" },
	[OMX_SDE_UNEXPECTED_MESSAGES] = { "unexpected_messages",
		"messages from the network that found no posted receive and were queued as unexpected" },
};

#define OMX_SDE_OFF_CPU_NAME	"rx_frames_off_cpu"
#define OMX_SDE_OFF_CPU_WHAT \
	"wire frames of this process's endpoints processed on a CPU that is not one of their receive queue's CPUs"

static pthread_once_t omx_sde_once = PTHREAD_ONCE_INIT;
/* both under omx_global_lock */
static long long omx_sde_closed_off_cpu;
static struct omx_endpoint_steering omx_sde_steering;

static long long omx_sde_read(void *counter)
{
	return __atomic_load_n((long long *)counter, __ATOMIC_RELAXED);
}

/*
 * Global lock held.  Frames of @ep the driver saw on CPUs outside the
 * queue's CPU set; 0 when the driver knows no CPU for the queue (a
 * single-queue interface without an IRQ, such as veth): nothing is
 * "off" a queue that has no CPU.
 */
static long long omx_sde_ep_off_cpu(struct mx_endpoint *ep)
{
	struct omx_endpoint_steering *st = &omx_sde_steering;
	uint32_t cpu, ncpus, w;
	bool known = false;
	long long n = 0;

	memset(st, 0, sizeof(*st));
	st->board_index = ep->info.board_index;
	st->endpoint_index = ep->info.endpoint_index;
	if (omx_drv_get_endpoint_steering(ep->dev.fd, st) < 0)
		return 0;
	for (w = 0; w < OMX_CPUMASK_WORDS; w++)
		known |= st->cpus[w] != 0;
	if (!known)
		return 0;
	ncpus = st->nr_cpus < OMX_CPUS_MAX ? st->nr_cpus : OMX_CPUS_MAX;
	for (cpu = 0; cpu < ncpus; cpu++)
		if (!(st->cpus[cpu / 64] >> (cpu % 64) & 1))
			n += (long long)st->rx_frames[cpu];
	return n;
}

/* Read by PAPI at PAPI_start/PAPI_read/PAPI_stop time. */
static long long omx_sde_read_off_cpu(void *unused)
{
	struct omx_list *pos, *tmp;
	long long n;

	(void)unused;
	pthread_mutex_lock(&omx_global_lock);
	n = omx_sde_closed_off_cpu;
	omx_list_for_each_safe(pos, tmp, &omx_endpoints)
		n += omx_sde_ep_off_cpu(omx_container_of(pos, struct mx_endpoint, ep_link));
	pthread_mutex_unlock(&omx_global_lock);
	return n;
}

void omx_sde_endpoint_closing(struct mx_endpoint *ep)
{
	omx_sde_closed_off_cpu += omx_sde_ep_off_cpu(ep);
}

static void omx_sde_register(void)
{
	papi_handle_t h = papi_sde_init("omx");
	int i;

	/* no PAPI in the process is not an error: the events stay unread */
	if (!h)
		return;
	for (i = 0; i < OMX_SDE_NR; i++) {
		papi_sde_register_counter_cb(h, omx_sde_events[i].name,
					     PAPI_SDE_RO | PAPI_SDE_DELTA, PAPI_SDE_long_long,
					     omx_sde_read, &omx_sde_counts[i]);
		papi_sde_describe_counter(h, omx_sde_events[i].name, omx_sde_events[i].what);
	}
	papi_sde_register_counter_cb(h, OMX_SDE_OFF_CPU_NAME, PAPI_SDE_RO | PAPI_SDE_DELTA,
				     PAPI_SDE_long_long, omx_sde_read_off_cpu, NULL);
	papi_sde_describe_counter(h, OMX_SDE_OFF_CPU_NAME, OMX_SDE_OFF_CPU_WHAT);
}

void omx_sde_init(void)
{
	pthread_once(&omx_sde_once, omx_sde_register);
}
