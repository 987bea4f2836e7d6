// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Completion queues (formats CONTEXT, MSG, TAGGED; no wait objects).
 *
 * MX keeps done requests on its endpoint's done list; fi_cq_read drains
 * it (omx_fi_ep_progress: mx_test_any over every request) into the ring
 * of the CQ each request belongs to, then copies entries out in the
 * application's format.  The ring holds the widest entry and is grown
 * when full rather than dropping completions (an MPI with many
 * outstanding requests on one endpoint bound to two CQs could otherwise
 * lose one); growth is rare and amortised.  Errors (FI_ETRUNC,
 * FI_ECANCELED, FI_EIO...) wait in the same ring, in order: fi_cq_read
 * returns -FI_EAVAIL when one is at the head, fi_cq_readerr takes it.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

static int cq_close(struct fid *fid)
{
	struct omx_fi_cq *cq = container_of(fid, struct omx_fi_cq, cq_fid.fid);

	if (cq->refs)
		return -FI_EBUSY;
	cq->domain->refs--;
	free(cq->ring);
	free(cq);
	return 0;
}

static struct fi_ops cq_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = cq_close,
	.bind = omx_fi_nosys_bind,
	.control = omx_fi_nosys_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

int omx_fi_cq_push(struct omx_fi_cq *cq, const struct omx_fi_cq_entry *entry)
{
	if (cq->count == cq->size) {
		size_t nsize = cq->size * 2;
		struct omx_fi_cq_entry *n = malloc(nsize * sizeof(*n));

		if (!n)
			return -FI_ENOMEM;
		for (size_t i = 0; i < cq->count; i++)
			n[i] = cq->ring[(cq->head + i) % cq->size];
		free(cq->ring);
		cq->ring = n;
		cq->head = 0;
		cq->size = nsize;
	}
	cq->ring[(cq->head + cq->count) % cq->size] = *entry;
	cq->count++;
	return 0;
}

int omx_fi_cq_add_ep(struct omx_fi_cq *cq, struct omx_fi_ep *ep)
{
	for (int i = 0; i < OMX_FI_CQ_MAX_EPS; i++)
		if (cq->eps[i] == ep)
			return 0;
	for (int i = 0; i < OMX_FI_CQ_MAX_EPS; i++)
		if (!cq->eps[i]) {
			cq->eps[i] = ep;
			cq->refs++;
			return 0;
		}
	return -FI_ENOSPC;
}

void omx_fi_cq_del_ep(struct omx_fi_cq *cq, struct omx_fi_ep *ep)
{
	for (int i = 0; i < OMX_FI_CQ_MAX_EPS; i++)
		if (cq->eps[i] == ep) {
			cq->eps[i] = NULL;
			cq->refs--;
		}
}

static void cq_progress(struct omx_fi_cq *cq)
{
	for (int i = 0; i < OMX_FI_CQ_MAX_EPS; i++)
		if (cq->eps[i])
			omx_fi_ep_progress(cq->eps[i]);
}

/* copy one entry out in the CQ's format */
static void cq_copy(const struct omx_fi_cq *cq, void *dst, const struct fi_cq_tagged_entry *e)
{
	switch (cq->format) {
	case FI_CQ_FORMAT_CONTEXT: {
		struct fi_cq_entry *c = dst;

		c->op_context = e->op_context;
		break;
	}
	case FI_CQ_FORMAT_MSG: {
		struct fi_cq_msg_entry *m = dst;

		m->op_context = e->op_context;
		m->flags = e->flags;
		m->len = e->len;
		break;
	}
	default:
		memcpy(dst, e, sizeof(*e));
		break;
	}
}

static ssize_t cq_read(struct fid_cq *fid, void *buf, size_t count)
{
	struct omx_fi_cq *cq = container_of(fid, struct omx_fi_cq, cq_fid);
	char *out = buf;
	size_t n = 0;

	cq_progress(cq);
	while (n < count && cq->count) {
		const struct omx_fi_cq_entry *e = &cq->ring[cq->head];

		if (e->err)
			break;
		cq_copy(cq, out + n * cq->entry_size, &e->e);
		cq->head = (cq->head + 1) % cq->size;
		cq->count--;
		n++;
	}
	if (n)
		return (ssize_t)n;
	return cq->count ? -FI_EAVAIL : -FI_EAGAIN;
}

static ssize_t cq_readfrom(struct fid_cq *cq, void *buf, size_t count, fi_addr_t *src_addr)
{
	return -FI_ENOSYS;	/* FI_SOURCE is not offered yet */
}

static ssize_t cq_readerr(struct fid_cq *fid, struct fi_cq_err_entry *buf, uint64_t flags)
{
	struct omx_fi_cq *cq = container_of(fid, struct omx_fi_cq, cq_fid);
	const struct omx_fi_cq_entry *e;

	if (!cq->count || !cq->ring[cq->head].err)
		return -FI_EAGAIN;
	e = &cq->ring[cq->head];
	buf->op_context = e->e.op_context;
	buf->flags = e->e.flags;
	buf->len = e->e.len;
	buf->buf = e->e.buf;
	buf->data = 0;
	buf->tag = e->e.tag;
	buf->olen = e->olen;
	buf->err = e->err;
	buf->prov_errno = e->prov_errno;
	/*
	 * err_data/err_data_size exist from API 1.5 on; an application built
	 * for 1.0 has a shorter struct, so they are written only when the
	 * fabric was opened for 1.5 or later (libfabric sets api_version).
	 */
	if (FI_VERSION_GE(cq->domain->fabric->fabric_fid.api_version, FI_VERSION(1, 5)))
		buf->err_data_size = 0;
	cq->head = (cq->head + 1) % cq->size;
	cq->count--;
	return 1;
}

static ssize_t cq_sread(struct fid_cq *cq, void *buf, size_t count, const void *cond, int timeout)
{
	return -FI_ENOSYS;	/* no wait objects: FI_WAIT_NONE */
}

static ssize_t cq_sreadfrom(struct fid_cq *cq, void *buf, size_t count, fi_addr_t *src_addr,
			    const void *cond, int timeout)
{
	return -FI_ENOSYS;
}

static int cq_signal(struct fid_cq *cq)
{
	return -FI_ENOSYS;
}

static const char *cq_strerror(struct fid_cq *cq, int prov_errno, const void *err_data,
			       char *buf, size_t len)
{
	const char *s = mx_strstatus((mx_status_code_t)prov_errno);

	if (buf && len) {
		strncpy(buf, s, len - 1);
		buf[len - 1] = '\0';
		return buf;
	}
	return s;
}

static struct fi_ops_cq cq_ops = {
	.size = sizeof(struct fi_ops_cq),
	.read = cq_read,
	.readfrom = cq_readfrom,
	.readerr = cq_readerr,
	.sread = cq_sread,
	.sreadfrom = cq_sreadfrom,
	.signal = cq_signal,
	.strerror = cq_strerror,
};

int omx_fi_cq_open(struct fid_domain *domain, struct fi_cq_attr *attr, struct fid_cq **cqp,
		   void *context)
{
	struct omx_fi_domain *dom = container_of(domain, struct omx_fi_domain, domain_fid);
	struct omx_fi_cq *cq;
	size_t esize;

	switch (attr->format) {
	case FI_CQ_FORMAT_UNSPEC:
	case FI_CQ_FORMAT_TAGGED:
		esize = sizeof(struct fi_cq_tagged_entry);
		break;
	case FI_CQ_FORMAT_CONTEXT:
		esize = sizeof(struct fi_cq_entry);
		break;
	case FI_CQ_FORMAT_MSG:
		esize = sizeof(struct fi_cq_msg_entry);
		break;
	default:
		return -FI_ENOSYS;	/* FI_CQ_FORMAT_DATA: no remote CQ data */
	}
	if (attr->wait_obj != FI_WAIT_NONE && attr->wait_obj != FI_WAIT_UNSPEC)
		return -FI_ENOSYS;
	if (attr->flags)
		return -FI_EBADFLAGS;	/* FI_AFFINITY... */
	cq = calloc(1, sizeof(*cq));
	if (!cq)
		return -FI_ENOMEM;
	cq->size = attr->size ? attr->size : OMX_FI_CQ_SIZE;
	cq->ring = calloc(cq->size, sizeof(*cq->ring));
	if (!cq->ring) {
		free(cq);
		return -FI_ENOMEM;
	}
	if (attr->format == FI_CQ_FORMAT_UNSPEC)
		attr->format = FI_CQ_FORMAT_TAGGED;
	cq->format = attr->format;
	cq->entry_size = esize;
	cq->domain = dom;
	cq->cq_fid.fid.fclass = FI_CLASS_CQ;
	cq->cq_fid.fid.context = context;
	cq->cq_fid.fid.ops = &cq_fi_ops;
	cq->cq_fid.ops = &cq_ops;
	dom->refs++;
	*cqp = &cq->cq_fid;
	return 0;
}
