// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Event queues.  The provider itself raises no event: FI_EP_RDM has no
 * connection management, and fi_av_insert completes synchronously (no
 * FI_EVENT).  Applications still open one on the fabric (libfabric's
 * fi_pingpong does for every endpoint type) and may insert their own
 * events with fi_eq_write when they opened it with FI_WRITE, so the
 * queue keeps application events in order and fi_eq_sread waits for one
 * written by another thread.  Nothing is ever queued as an error, so
 * fi_eq_readerr always finds none.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omx_fi.h"

#define OMX_FI_EQ_SIZE	64	/* entries when the application says 0 */

struct omx_fi_eq_entry {
	struct omx_fi_eq_entry *next;
	uint32_t event;
	size_t len;
	unsigned char data[];
};

struct omx_fi_eq {
	struct fid_eq eq_fid;
	struct omx_fi_fabric *fabric;
	uint64_t flags;
	enum fi_wait_obj wait_obj;
	size_t size, count;
	struct omx_fi_eq_entry *head, **tail;
	/* the EQ belongs to the fabric, not a domain: any thread may write */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static int eq_close(struct fid *fid)
{
	struct omx_fi_eq *eq = container_of(fid, struct omx_fi_eq, eq_fid.fid);

	while (eq->head) {
		struct omx_fi_eq_entry *e = eq->head;

		eq->head = e->next;
		free(e);
	}
	pthread_cond_destroy(&eq->cond);
	pthread_mutex_destroy(&eq->lock);
	eq->fabric->refs--;
	free(eq);
	return 0;
}

static struct fi_ops eq_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = eq_close,
	.bind = omx_fi_nosys_bind,
	.control = omx_fi_nosys_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

/* Take (or with FI_PEEK copy) the first entry; lock held. */
static ssize_t eq_take(struct omx_fi_eq *eq, uint32_t *event, void *buf, size_t len,
		       uint64_t flags)
{
	struct omx_fi_eq_entry *e = eq->head;

	if (!e)
		return -FI_EAGAIN;
	/* an event's data is all or nothing: a short buffer keeps it queued */
	if (len < e->len)
		return -FI_ETOOSMALL;
	if (event)
		*event = e->event;
	if (e->len)
		memcpy(buf, e->data, e->len);
	len = e->len;
	if (!(flags & FI_PEEK)) {
		eq->head = e->next;
		if (!eq->head)
			eq->tail = &eq->head;
		eq->count--;
		free(e);
	}
	return (ssize_t)len;
}

static ssize_t eq_read(struct fid_eq *eq_fid, uint32_t *event, void *buf, size_t len,
		       uint64_t flags)
{
	struct omx_fi_eq *eq = container_of(eq_fid, struct omx_fi_eq, eq_fid);
	ssize_t ret;

	pthread_mutex_lock(&eq->lock);
	ret = eq_take(eq, event, buf, len, flags);
	pthread_mutex_unlock(&eq->lock);
	return ret;
}

static ssize_t eq_readerr(struct fid_eq *eq_fid, struct fi_eq_err_entry *buf, uint64_t flags)
{
	return -FI_EAGAIN;	/* no error event is ever queued (see the top) */
}

static ssize_t eq_write(struct fid_eq *eq_fid, uint32_t event, const void *buf, size_t len,
			uint64_t flags)
{
	struct omx_fi_eq *eq = container_of(eq_fid, struct omx_fi_eq, eq_fid);
	struct omx_fi_eq_entry *e;

	/* fi_eq(3): inserting events needs FI_WRITE at open */
	if (!(eq->flags & FI_WRITE))
		return -FI_EINVAL;
	if (len && !buf)
		return -FI_EINVAL;
	e = malloc(sizeof(*e) + len);
	if (!e)
		return -FI_ENOMEM;
	e->next = NULL;
	e->event = event;
	e->len = len;
	if (len)
		memcpy(e->data, buf, len);
	pthread_mutex_lock(&eq->lock);
	if (eq->count >= eq->size) {
		pthread_mutex_unlock(&eq->lock);
		free(e);
		return -FI_EAGAIN;
	}
	*eq->tail = e;
	eq->tail = &e->next;
	eq->count++;
	pthread_cond_broadcast(&eq->cond);
	pthread_mutex_unlock(&eq->lock);
	return (ssize_t)len;
}

/* timeout in milliseconds, negative: forever */
static ssize_t eq_sread(struct fid_eq *eq_fid, uint32_t *event, void *buf, size_t len,
			int timeout, uint64_t flags)
{
	struct omx_fi_eq *eq = container_of(eq_fid, struct omx_fi_eq, eq_fid);
	struct timespec end;
	ssize_t ret;

	if (eq->wait_obj == FI_WAIT_NONE)
		return -FI_EINVAL;	/* fi_eq(3): no blocking read without a wait object */
	if (timeout >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += timeout / 1000;
		end.tv_nsec += (long)(timeout % 1000) * 1000000L;
		if (end.tv_nsec >= 1000000000L) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&eq->lock);
	while ((ret = eq_take(eq, event, buf, len, flags)) == -FI_EAGAIN) {
		int err = timeout >= 0 ? pthread_cond_timedwait(&eq->cond, &eq->lock, &end)
				       : pthread_cond_wait(&eq->cond, &eq->lock);

		if (err == ETIMEDOUT) {
			ret = -FI_EAGAIN;
			break;
		}
	}
	pthread_mutex_unlock(&eq->lock);
	return ret;
}

static const char *eq_strerror(struct fid_eq *eq_fid, int prov_errno, const void *err_data,
			       char *buf, size_t len)
{
	const char *s = fi_strerror(prov_errno);

	if (buf && len) {
		strncpy(buf, s, len - 1);
		buf[len - 1] = '\0';
		return buf;
	}
	return s;
}

static struct fi_ops_eq eq_ops = {
	.size = sizeof(struct fi_ops_eq),
	.read = eq_read,
	.readerr = eq_readerr,
	.write = eq_write,
	.sread = eq_sread,
	.strerror = eq_strerror,
};

int omx_fi_eq_open(struct fid_fabric *fabric, struct fi_eq_attr *attr, struct fid_eq **eqp,
		   void *context)
{
	struct omx_fi_eq *eq;
	pthread_condattr_t ca;

	if (!attr)
		return -FI_EINVAL;
	switch (attr->wait_obj) {
	case FI_WAIT_NONE:
	case FI_WAIT_UNSPEC:
	case FI_WAIT_MUTEX_COND:
		break;
	default:
		return -FI_ENOSYS;	/* no file descriptor or wait set to hand out */
	}
	if (attr->flags & ~(uint64_t)FI_WRITE)
		return -FI_EINVAL;
	eq = calloc(1, sizeof(*eq));
	if (!eq)
		return -FI_ENOMEM;
	eq->eq_fid.fid.fclass = FI_CLASS_EQ;
	eq->eq_fid.fid.context = context;
	eq->eq_fid.fid.ops = &eq_fi_ops;
	eq->eq_fid.ops = &eq_ops;
	eq->fabric = container_of(fabric, struct omx_fi_fabric, fabric_fid);
	eq->flags = attr->flags;
	eq->wait_obj = attr->wait_obj;
	eq->size = attr->size ? attr->size : OMX_FI_EQ_SIZE;
	eq->tail = &eq->head;
	/* sread's deadline is on the monotonic clock, as fi_eq(3)'s timeout */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&eq->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&eq->lock, NULL);
	eq->fabric->refs++;
	*eqp = &eq->eq_fid;
	return 0;
}
