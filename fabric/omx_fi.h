/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx libfabric provider ("omx"): FI_EP_RDM tagged and untagged messages
 * over the MX API of libomx (docs/fabric.md, docs/man/fi_omx.7).
 *
 * libfabric's util layer is internal to libfabric.so, so every object
 * here fills its own ops tables; the ones we do not implement point at
 * the -FI_ENOSYS functions of omx_fi_nosys.c, never at NULL, since the
 * fi_* inline wrappers call through the tables without checking.
 */
#ifndef OMX_FI_H
#define OMX_FI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_eq.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_tagged.h>
#include <rdma/fi_rma.h>
#include <rdma/fi_atomic.h>
#include <rdma/fi_collective.h>
#include <rdma/providers/fi_prov.h>
#include <rdma/providers/fi_log.h>

#include <myriexpress.h>
#include <mx_extensions.h>

#define OMX_FI_NAME		"omx"
#define OMX_FI_FABRIC_NAME	"omx"
#define OMX_FI_MAJOR		0
#define OMX_FI_MINOR		1
#define OMX_FI_PROV_VERSION	FI_VERSION(OMX_FI_MAJOR, OMX_FI_MINOR)
/* the libfabric API the provider is written against (Debian 12's 1.17) */
#define OMX_FI_API_VERSION	FI_VERSION(1, 17)

/*
 * Match information.  MX matches a 64-bit match info under a 64-bit mask
 * and nothing else.  Bit 63 tells untagged (FI_MSG) messages from tagged
 * ones, so that an fi_recv never takes an fi_tsend's message and the
 * reverse; tags may use bits 0-62 (mem_tag_format says so, and Open MPI's
 * mtl ofi then gives its communicator id one bit less: 11 of ofi_tag_1's
 * 12, above its minimum of 8).
 */
#define OMX_FI_MSG_BIT		(1ULL << 63)
#define OMX_FI_TAG_BITS		(~OMX_FI_MSG_BIT)

/* Largest message: MX segment lengths and totals are 32-bit. */
#define OMX_FI_MAX_MSG_SIZE	((size_t)UINT32_MAX)
/*
 * fi_inject / FI_INJECT size.  Up to this size the provider copies the
 * payload into one of the endpoint's inject slots, because the caller may
 * reuse its buffer on return and an MX eager send reads it until acked.
 * 128 bytes is MX's TINY/SMALL limit, where libomx copies anyway: above
 * it the application's fi_tsend path sends zero-copy.
 */
#define OMX_FI_INJECT_SIZE	128
/* inject slots per endpoint: fi_tinject returns -FI_EAGAIN beyond */
#define OMX_FI_INJECT_SLOTS	256
/* iovec entries per operation (MX allows MX_MAX_SEGMENTS) */
#define OMX_FI_IOV_LIMIT	8
/* default CQ size (entries before the ring grows) */
#define OMX_FI_CQ_SIZE		1024
/* endpoints one CQ may serve */
#define OMX_FI_CQ_MAX_EPS	8

/*
 * The address an endpoint publishes (fi_getname) and peers insert:
 * what mx_iconnect needs.  Fixed-size, little-endian on the wire is not
 * an issue: it only travels between processes of one architecture
 * through the application's own exchange (e.g. Open MPI's modex).
 */
struct omx_fi_addr {
	uint64_t nic_id;	/* board MAC as a 48-bit number */
	uint32_t eid;		/* MX endpoint id */
	uint32_t key;		/* endpoint key, FI_OMX_ENDPOINT_KEY */
};

/* Provider-wide settings from FI_OMX_* variables (omx_fi_prov.c). */
struct omx_fi_params {
	uint32_t endpoint_key;
	uint32_t connect_timeout_ms;
	int board;		/* FI_OMX_BOARD: the only board listed, or -1: all */
};

extern struct fi_provider omx_fi_prov;
extern struct omx_fi_params omx_fi_params;

/*
 * Attribute negotiation (omx_fi_info.c): no MX call, so tests/unit can
 * check it on a host without /dev/omx.  Returns 0 and a new fi_info
 * (fi_freeinfo it) for a board, or -FI_ENODATA with *why saying which
 * hint we cannot honour.
 */
int omx_fi_info_build(uint32_t version, const struct fi_info *hints,
		      uint32_t board, struct fi_info **info, const char **why);
/* the capabilities and modes we offer, for the tests */
extern const uint64_t omx_fi_caps;

/* Library state (omx_fi_prov.c): mx_init once, refcounted by fabrics. */
int omx_fi_mx_get(const char **why);
void omx_fi_mx_put(void);
int omx_fi_mx_errno(mx_return_t ret);

/*
 * Per-operation state kept in the application's struct fi_context
 * (mode FI_CONTEXT): no allocation per operation.  The MX request's
 * context pointer is the fi_context itself, so a completed MX request
 * leads straight back to it.
 */
struct omx_fi_opctx {
	mx_request_t req;	/* NULL once completed or cancelled */
	uint64_t flags;		/* FI_SEND/FI_RECV, FI_TAGGED/FI_MSG, FI_COMPLETION... */
	void *buf;		/* first receive buffer, for the CQ entry */
	uintptr_t src;		/* directed receive: the struct omx_fi_peer, or 0 */
};
_Static_assert(sizeof(struct omx_fi_opctx) <= sizeof(struct fi_context),
	       "omx_fi_opctx must fit in the application's fi_context");

/* Private flag bits of omx_fi_opctx.flags (outside libfabric's op flags). */
#define OMX_FI_OP_CLAIMED	(1ULL << 0)	/* a claim's bounce receive: buf is the omx_fi_claim */
/* the flags a CQ entry may show */
#define OMX_FI_CQ_FLAGS		(FI_SEND | FI_RECV | FI_TAGGED | FI_MSG)

struct omx_fi_fabric {
	struct fid_fabric fabric_fid;
	unsigned int refs;	/* domains and EQs open on it */
};

struct omx_fi_domain {
	struct fid_domain domain_fid;
	struct omx_fi_fabric *fabric;
	uint32_t board;
	unsigned int refs;	/* AVs, CQs and endpoints open on it */
};

/* One inserted address (the fi_addr_t of FI_AV_MAP points at it). */
struct omx_fi_peer {
	struct omx_fi_addr name;
	mx_endpoint_addr_t mx_addr;
	bool connected;
	struct omx_fi_peer *next;	/* the AV's list, freed at close */
};

struct omx_fi_av {
	struct fid_av av_fid;
	struct omx_fi_domain *domain;
	struct omx_fi_ep *ep;		/* the one endpoint bound, or NULL */
	struct omx_fi_peer *peers;
	unsigned int refs;
};

/* A completion waiting in a CQ: the widest format, copied out narrower. */
struct omx_fi_cq_entry {
	struct fi_cq_tagged_entry e;
	int err;		/* 0, or positive FI_E* for fi_cq_readerr */
	size_t olen;
	int prov_errno;		/* the MX status code of an error */
};

struct omx_fi_cq {
	struct fid_cq cq_fid;
	struct omx_fi_domain *domain;
	enum fi_cq_format format;
	size_t entry_size;
	/* ring of completions, grown (rarely) when full */
	struct omx_fi_cq_entry *ring;
	size_t size, head, count;
	struct omx_fi_ep *eps[OMX_FI_CQ_MAX_EPS];	/* progressed on read */
	unsigned int refs;
};

/* A copy of a claimed (FI_PEEK|FI_CLAIM) message, until its FI_CLAIM recv. */
struct omx_fi_claim {
	void *bounce;
	uint32_t len;
	bool done;		/* the bounce receive completed */
	mx_status_t status;
	struct iovec iov[OMX_FI_IOV_LIMIT];	/* the FI_CLAIM recv's buffers */
	size_t iov_count;
	bool recv_posted;	/* the FI_CLAIM recv arrived */
};

struct omx_fi_inject_slot {
	struct fi_context ctx;	/* MX context: recognised by address */
	void *app_context;	/* fi_tsendmsg(FI_INJECT): reported, else NULL */
	uint64_t flags;		/* its flags, FI_COMPLETION deciding */
	unsigned char data[OMX_FI_INJECT_SIZE];
	struct omx_fi_inject_slot *next_free;
};

struct omx_fi_ep {
	struct fid_ep ep_fid;
	struct omx_fi_domain *domain;
	mx_endpoint_t mx;
	struct omx_fi_addr name;
	uint64_t caps;
	struct omx_fi_cq *tx_cq, *rx_cq;
	bool tx_selective, rx_selective;	/* FI_SELECTIVE_COMPLETION binds */
	uint64_t tx_op_flags, rx_op_flags;
	struct omx_fi_av *av;
	bool enabled;
	struct omx_fi_inject_slot *slots, *free_slots;
};

/* omx_fi_fabric.c */
int omx_fi_fabric_open(struct fi_fabric_attr *attr, struct fid_fabric **fabric,
		       void *context);
/* omx_fi_eq.c */
int omx_fi_eq_open(struct fid_fabric *fabric, struct fi_eq_attr *attr,
		   struct fid_eq **eq, void *context);
/* omx_fi_domain.c */
int omx_fi_domain_open(struct fid_fabric *fabric, struct fi_info *info,
		       struct fid_domain **domain, void *context);
/* omx_fi_av.c */
int omx_fi_av_open(struct fid_domain *domain, struct fi_av_attr *attr,
		   struct fid_av **av, void *context);
int omx_fi_av_connect_all(struct omx_fi_av *av);
/* omx_fi_cq.c */
int omx_fi_cq_open(struct fid_domain *domain, struct fi_cq_attr *attr,
		   struct fid_cq **cq, void *context);
int omx_fi_cq_push(struct omx_fi_cq *cq, const struct omx_fi_cq_entry *entry);
int omx_fi_cq_add_ep(struct omx_fi_cq *cq, struct omx_fi_ep *ep);
void omx_fi_cq_del_ep(struct omx_fi_cq *cq, struct omx_fi_ep *ep);
/* omx_fi_ep.c */
int omx_fi_endpoint_open(struct fid_domain *domain, struct fi_info *info,
			 struct fid_ep **ep, void *context);
void omx_fi_ep_progress(struct omx_fi_ep *ep);
void omx_fi_ep_complete(struct omx_fi_ep *ep, struct omx_fi_opctx *op,
			const mx_status_t *status);
int omx_fi_ep_peer(struct omx_fi_ep *ep, fi_addr_t addr, struct omx_fi_peer **peer);
/* omx_fi_tagged.c, omx_fi_msg.c: the data path */
extern struct fi_ops_tagged omx_fi_tagged_ops;
extern struct fi_ops_msg omx_fi_msg_ops;
ssize_t omx_fi_send_common(struct omx_fi_ep *ep, const struct iovec *iov, size_t count,
			   fi_addr_t dest, uint64_t match, void *context, uint64_t flags);
ssize_t omx_fi_recv_common(struct omx_fi_ep *ep, const struct iovec *iov, size_t count,
			   fi_addr_t src, uint64_t match, uint64_t mask, void *context,
			   uint64_t flags);
void omx_fi_claim_complete(struct omx_fi_ep *ep, struct omx_fi_opctx *op);
bool omx_fi_want_completion(const struct omx_fi_ep *ep, uint64_t flags);
void omx_fi_push(struct omx_fi_ep *ep, uint64_t flags, void *context, size_t len, void *buf,
		 uint64_t tag, int err, size_t olen, int prov_errno);
/* omx_fi_nosys.c: -FI_ENOSYS for what we do not provide */
extern struct fi_ops_rma omx_fi_nosys_rma;
extern struct fi_ops_atomic omx_fi_nosys_atomic;
extern struct fi_ops_collective omx_fi_nosys_collective;
extern struct fi_ops_mr omx_fi_nosys_mr;
int omx_fi_nosys_bind(struct fid *fid, struct fid *bfid, uint64_t flags);
int omx_fi_nosys_control(struct fid *fid, int command, void *arg);
int omx_fi_nosys_ops_open(struct fid *fid, const char *name, uint64_t flags,
			  void **ops, void *context);
int omx_fi_nosys_tostr(const struct fid *fid, char *buf, size_t len);
int omx_fi_nosys_ops_set(struct fid *fid, const char *name, uint64_t flags,
			 void *ops, void *context);

#define OMX_FI_WARN(subsys, ...) FI_WARN(&omx_fi_prov, subsys, __VA_ARGS__)
#define OMX_FI_INFO(subsys, ...) FI_INFO(&omx_fi_prov, subsys, __VA_ARGS__)

#endif /* OMX_FI_H */
