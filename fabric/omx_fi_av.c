// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Address vectors (FI_AV_MAP only).  An fi_addr_t is the address of the
 * struct omx_fi_peer holding the peer's omx_fi_addr and, once connected,
 * its mx_endpoint_addr_t: a send finds its MX address with no lookup.
 *
 * MX needs a connection (mx_iconnect) before sending; it is made with the
 * AV's endpoint, so an AV connects its peers when it has an enabled
 * endpoint: at fi_av_insert if bound and enabled, otherwise when the
 * endpoint is enabled.  All the connects of one call are started at once
 * and then waited for together, so inserting N ranks takes about one
 * round trip, not N.  fi_av_insert is synchronous (no FI_EVENT: no EQ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_fi.h"

static int av_close(struct fid *fid)
{
	struct omx_fi_av *av = container_of(fid, struct omx_fi_av, av_fid.fid);

	if (av->refs)
		return -FI_EBUSY;
	while (av->peers) {
		struct omx_fi_peer *p = av->peers;

		av->peers = p->next;
		free(p);
	}
	av->domain->refs--;
	free(av);
	return 0;
}

static struct fi_ops av_fi_ops = {
	.size = sizeof(struct fi_ops),
	.close = av_close,
	.bind = omx_fi_nosys_bind,
	.control = omx_fi_nosys_control,
	.ops_open = omx_fi_nosys_ops_open,
	.tostr = omx_fi_nosys_tostr,
	.ops_set = omx_fi_nosys_ops_set,
};

/*
 * Connect the peers of the array that are not yet connected: every
 * mx_iconnect first, then the waits.  Returns how many failed.
 */
static size_t av_connect(struct omx_fi_ep *ep, struct omx_fi_peer **peers, size_t count)
{
	mx_request_t *reqs;
	size_t failed = 0;

	reqs = calloc(count ? count : 1, sizeof(*reqs));
	if (!reqs)
		return count;
	for (size_t i = 0; i < count; i++) {
		struct omx_fi_peer *p = peers[i];
		mx_return_t ret;

		if (!p || p->connected)
			continue;
		ret = mx_iconnect(ep->mx, p->name.nic_id, p->name.eid, p->name.key, 0, p, &reqs[i]);
		if (ret != MX_SUCCESS) {
			OMX_FI_WARN(FI_LOG_AV, "mx_iconnect to %012llx:%u: %s\n",
				    (unsigned long long)p->name.nic_id, p->name.eid, mx_strerror(ret));
			reqs[i] = NULL;
			failed++;
		}
	}
	for (size_t i = 0; i < count; i++) {
		struct omx_fi_peer *p = peers[i];
		mx_status_t st;
		uint32_t result = 0;

		if (!reqs[i])
			continue;
		/* the others progress while we wait for this one */
		if (mx_wait(ep->mx, &reqs[i], omx_fi_params.connect_timeout_ms, &st, &result) !=
			    MX_SUCCESS || !result) {
			mx_cancel(ep->mx, &reqs[i], &result);
			OMX_FI_WARN(FI_LOG_AV, "connect to %012llx:%u timed out\n",
				    (unsigned long long)p->name.nic_id, p->name.eid);
			failed++;
			continue;
		}
		if (st.code != MX_STATUS_SUCCESS) {
			OMX_FI_WARN(FI_LOG_AV, "connect to %012llx:%u: %s\n",
				    (unsigned long long)p->name.nic_id, p->name.eid,
				    mx_strstatus(st.code));
			failed++;
			continue;
		}
		p->mx_addr = st.source;
		/* a receive's source leads back to its peer (directed receives) */
		mx_set_endpoint_addr_context(p->mx_addr, p);
		p->connected = true;
	}
	free(reqs);
	return failed;
}

int omx_fi_av_connect_all(struct omx_fi_av *av)
{
	struct omx_fi_peer **arr;
	size_t n = 0, i = 0, failed;

	for (struct omx_fi_peer *p = av->peers; p; p = p->next)
		n += !p->connected;
	if (!n)
		return 0;
	arr = calloc(n, sizeof(*arr));
	if (!arr)
		return -FI_ENOMEM;
	for (struct omx_fi_peer *p = av->peers; p; p = p->next)
		if (!p->connected)
			arr[i++] = p;
	failed = av_connect(av->ep, arr, n);
	free(arr);
	return failed ? -FI_EHOSTUNREACH : 0;
}

static int av_insert(struct fid_av *fid, const void *addr, size_t count, fi_addr_t *fi_addr,
		     uint64_t flags, void *context)
{
	struct omx_fi_av *av = container_of(fid, struct omx_fi_av, av_fid);
	const struct omx_fi_addr *names = addr;
	struct omx_fi_peer **added;
	size_t ok = 0;

	if (flags & ~FI_MORE)
		return -FI_EBADFLAGS;	/* FI_EVENT needs an EQ, FI_SYNC_ERR not yet */
	if (!count)
		return 0;
	if (!addr)
		return -FI_EINVAL;
	added = calloc(count, sizeof(*added));
	if (!added)
		return -FI_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		struct omx_fi_peer *p = calloc(1, sizeof(*p));

		if (!p) {
			if (fi_addr)
				fi_addr[i] = FI_ADDR_NOTAVAIL;
			continue;
		}
		p->name = names[i];
		added[i] = p;
	}
	if (av->ep && av->ep->enabled)
		av_connect(av->ep, added, count);
	for (size_t i = 0; i < count; i++) {
		struct omx_fi_peer *p = added[i];

		if (!p)
			continue;
		if (av->ep && av->ep->enabled && !p->connected) {
			free(p);
			if (fi_addr)
				fi_addr[i] = FI_ADDR_NOTAVAIL;
			continue;
		}
		p->next = av->peers;
		av->peers = p;
		if (fi_addr)
			fi_addr[i] = (fi_addr_t)(uintptr_t)p;
		ok++;
	}
	free(added);
	return (int)ok;
}

static int av_insertsvc(struct fid_av *av, const char *node, const char *service,
			fi_addr_t *fi_addr, uint64_t flags, void *context)
{
	return -FI_ENOSYS;	/* addresses are binary omx_fi_addr values */
}

static int av_insertsym(struct fid_av *av, const char *node, size_t nodecnt,
			const char *service, size_t svccnt, fi_addr_t *fi_addr,
			uint64_t flags, void *context)
{
	return -FI_ENOSYS;
}

static int av_remove(struct fid_av *fid, fi_addr_t *fi_addr, size_t count, uint64_t flags)
{
	struct omx_fi_av *av = container_of(fid, struct omx_fi_av, av_fid);
	int ret = 0;

	for (size_t i = 0; i < count; i++) {
		struct omx_fi_peer **pp;

		for (pp = &av->peers; *pp; pp = &(*pp)->next)
			if ((fi_addr_t)(uintptr_t)*pp == fi_addr[i])
				break;
		if (!*pp) {
			ret = -FI_EINVAL;
			continue;
		}
		struct omx_fi_peer *p = *pp;

		*pp = p->next;
		/* pending sends to it fail with FI_ECANCELED (MX's disconnect) */
		if (p->connected && av->ep)
			mx_disconnect(av->ep->mx, p->mx_addr);
		free(p);
	}
	return ret;
}

static int av_lookup(struct fid_av *fid, fi_addr_t fi_addr, void *addr, size_t *addrlen)
{
	const struct omx_fi_peer *p = (const struct omx_fi_peer *)(uintptr_t)fi_addr;
	size_t len = *addrlen;

	if (fi_addr == FI_ADDR_NOTAVAIL || fi_addr == FI_ADDR_UNSPEC || !p)
		return -FI_EINVAL;
	memcpy(addr, &p->name, len < sizeof(p->name) ? len : sizeof(p->name));
	*addrlen = sizeof(p->name);
	return 0;
}

/* "omx://<nic id as MAC>/<endpoint id>/<key>": what omx_info calls them */
static const char *av_straddr(struct fid_av *fid, const void *addr, char *buf, size_t *len)
{
	const struct omx_fi_addr *a = addr;
	char tmp[64];
	int n;

	n = snprintf(tmp, sizeof(tmp), "omx://%02x:%02x:%02x:%02x:%02x:%02x/%u/0x%x",
		     (unsigned int)(a->nic_id >> 40) & 0xff, (unsigned int)(a->nic_id >> 32) & 0xff,
		     (unsigned int)(a->nic_id >> 24) & 0xff, (unsigned int)(a->nic_id >> 16) & 0xff,
		     (unsigned int)(a->nic_id >> 8) & 0xff, (unsigned int)a->nic_id & 0xff,
		     a->eid, a->key);
	if (*len)
		snprintf(buf, *len, "%s", tmp);
	*len = (size_t)n + 1;
	return buf;
}

static int av_set(struct fid_av *av, struct fi_av_set_attr *attr, struct fid_av_set **av_set,
		  void *context)
{
	return -FI_ENOSYS;	/* no collectives */
}

static struct fi_ops_av av_ops = {
	.size = sizeof(struct fi_ops_av),
	.insert = av_insert,
	.insertsvc = av_insertsvc,
	.insertsym = av_insertsym,
	.remove = av_remove,
	.lookup = av_lookup,
	.straddr = av_straddr,
	.av_set = av_set,
};

int omx_fi_av_open(struct fid_domain *domain, struct fi_av_attr *attr, struct fid_av **avp,
		   void *context)
{
	struct omx_fi_domain *dom = container_of(domain, struct omx_fi_domain, domain_fid);
	struct omx_fi_av *av;

	if (attr->type != FI_AV_UNSPEC && attr->type != FI_AV_MAP)
		return -FI_ENOSYS;	/* FI_AV_TABLE: not yet */
	if (attr->flags)
		return -FI_EBADFLAGS;	/* FI_EVENT, FI_READ (shared AVs)... */
	if (attr->name || attr->rx_ctx_bits)
		return -FI_ENOSYS;
	av = calloc(1, sizeof(*av));
	if (!av)
		return -FI_ENOMEM;
	attr->type = FI_AV_MAP;
	av->av_fid.fid.fclass = FI_CLASS_AV;
	av->av_fid.fid.context = context;
	av->av_fid.fid.ops = &av_fi_ops;
	av->av_fid.ops = &av_ops;
	av->domain = dom;
	dom->refs++;
	*avp = &av->av_fid;
	return 0;
}
