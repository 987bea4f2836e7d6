// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The omx libfabric provider's attribute negotiation (fabric/omx_fi_info.c),
 * without /dev/omx: Open MPI 4.1's mtl ofi hints must be accepted with
 * the answers it relies on, and what the provider cannot do refused.
 */
#include <stdlib.h>
#include <rdma/fabric.h>

#include "omx_fi.h"
#include "omx_test.h"

#define V FI_VERSION(1, 17)

/* The hints of Open MPI 4.1.4's mtl ofi (ofi_tag_1 path, cq_data_size 0). */
static struct fi_info *ompi_hints(void)
{
	struct fi_info *h = fi_allocinfo();

	if (!h)
		abort();
	h->mode = FI_CONTEXT | FI_CONTEXT2;
	h->ep_attr->type = FI_EP_RDM;
	h->caps = FI_TAGGED | FI_LOCAL_COMM | FI_REMOTE_COMM | FI_DIRECTED_RECV;
	h->tx_attr->msg_order = FI_ORDER_SAS;
	h->rx_attr->msg_order = FI_ORDER_SAS;
	h->tx_attr->op_flags = FI_COMPLETION;
	h->rx_attr->op_flags = FI_COMPLETION;
	h->domain_attr->threading = FI_THREAD_DOMAIN;
	h->domain_attr->control_progress = FI_PROGRESS_MANUAL;
	h->domain_attr->data_progress = FI_PROGRESS_MANUAL;
	h->domain_attr->resource_mgmt = FI_RM_ENABLED;
	h->domain_attr->av_type = FI_AV_MAP;
	h->domain_attr->mr_mode = 0;
	return h;
}

static void expect_refused(const char *what, struct fi_info *h)
{
	struct fi_info *info = NULL;
	const char *why = NULL;
	int ret;

	check_context("refusal: %s", what);
	ret = omx_fi_info_build(V, h, 0, &info, &why);
	CHECK_EQ(ret, -FI_ENODATA);
	CHECK(info == NULL);
	CHECK(why != NULL && why[0] != '\0');
	fi_freeinfo(info);
	fi_freeinfo(h);
}

int main(void)
{
	struct fi_info *h, *info = NULL;
	const char *why = NULL;

	/* Open MPI's hints: accepted, with what its mtl uses */
	check_context("Open MPI hints");
	h = ompi_hints();
	CHECK_EQ(omx_fi_info_build(V, h, 0, &info, &why), 0);
	if (info) {
		CHECK_EQ(info->ep_attr->type, FI_EP_RDM);
		CHECK((info->caps & (FI_TAGGED | FI_DIRECTED_RECV | FI_SEND | FI_RECV)) ==
		      (FI_TAGGED | FI_DIRECTED_RECV | FI_SEND | FI_RECV));
		CHECK(!(info->caps & (FI_RMA | FI_ATOMIC)));
		CHECK_EQ(info->mode, FI_CONTEXT);
		CHECK_EQ(info->domain_attr->threading, FI_THREAD_DOMAIN);
		CHECK_EQ(info->domain_attr->data_progress, FI_PROGRESS_MANUAL);
		CHECK_EQ(info->domain_attr->control_progress, FI_PROGRESS_MANUAL);
		CHECK_EQ(info->domain_attr->av_type, FI_AV_MAP);
		CHECK_EQ(info->domain_attr->mr_mode, 0);
		CHECK_EQ(info->domain_attr->cq_data_size, 0);
		CHECK_EQ(info->tx_attr->msg_order, FI_ORDER_SAS);
		CHECK_EQ(info->rx_attr->msg_order, FI_ORDER_SAS);
		CHECK_EQ(info->tx_attr->inject_size, OMX_FI_INJECT_SIZE);
		CHECK_EQ(info->tx_attr->op_flags, FI_COMPLETION);
		CHECK_EQ(info->ep_attr->max_msg_size, UINT32_MAX);
		/* bit 63 is ours; Open MPI's ofi_tag_1 keeps 11 of its 12 cid bits */
		CHECK_EQ(info->ep_attr->mem_tag_format, 0x7fffffffffffffffLL);
		CHECK(info->fabric_attr->prov_name && !strcmp(info->fabric_attr->prov_name, "omx"));
		CHECK(info->fabric_attr->name && !strcmp(info->fabric_attr->name, "omx"));
		CHECK(info->domain_attr->name && !strcmp(info->domain_attr->name, "omx0"));
		CHECK(info->next == NULL);
	}
	fi_freeinfo(info);
	fi_freeinfo(h);

	/*
	 * Open MPI's default tag mode asks for 4 bytes of CQ data in its one
	 * fi_getinfo and uses ofi_tag_1 when the answer has fewer: the board
	 * must match, with cq_data_size 0.
	 */
	h = ompi_hints();
	h->domain_attr->cq_data_size = sizeof(int);
	info = NULL;
	CHECK_EQ(omx_fi_info_build(V, h, 0, &info, &why), 0);
	if (info)
		CHECK_EQ(info->domain_attr->cq_data_size, 0);
	fi_freeinfo(info);
	fi_freeinfo(h);
	/* ...but remote CQ data as a capability is refused */
	h = ompi_hints();
	h->caps |= FI_REMOTE_CQ_DATA;
	expect_refused("FI_REMOTE_CQ_DATA", h);

	/* no hints: our defaults, without the secondary FI_DIRECTED_RECV */
	check_context("no hints");
	info = NULL;
	CHECK_EQ(omx_fi_info_build(V, NULL, 2, &info, &why), 0);
	if (info) {
		CHECK((info->caps & (FI_MSG | FI_TAGGED)) == (FI_MSG | FI_TAGGED));
		CHECK(!(info->caps & FI_DIRECTED_RECV));
		CHECK(!strcmp(info->domain_attr->name, "omx2"));
	}
	fi_freeinfo(info);

	/* mr_mode bits say what the application tolerates: we need none */
	check_context("mr_mode FI_MR_LOCAL tolerated");
	h = ompi_hints();
	h->domain_attr->mr_mode = FI_MR_LOCAL | FI_MR_VIRT_ADDR | FI_MR_ALLOCATED | FI_MR_PROV_KEY;
	info = NULL;
	CHECK_EQ(omx_fi_info_build(V, h, 0, &info, &why), 0);
	if (info)
		CHECK_EQ(info->domain_attr->mr_mode, 0);
	fi_freeinfo(info);
	fi_freeinfo(h);

	/* FI_MSG alone means both directions */
	check_context("FI_MSG");
	h = ompi_hints();
	h->caps = FI_MSG;
	info = NULL;
	CHECK_EQ(omx_fi_info_build(V, h, 0, &info, &why), 0);
	if (info)
		CHECK((info->caps & (FI_MSG | FI_SEND | FI_RECV)) == (FI_MSG | FI_SEND | FI_RECV));
	fi_freeinfo(info);
	fi_freeinfo(h);

	h = ompi_hints();
	h->ep_attr->type = FI_EP_MSG;
	expect_refused("FI_EP_MSG", h);
	h = ompi_hints();
	h->ep_attr->type = FI_EP_DGRAM;
	expect_refused("FI_EP_DGRAM", h);
	h = ompi_hints();
	h->caps |= FI_RMA;
	expect_refused("FI_RMA", h);
	h = ompi_hints();
	h->caps |= FI_ATOMIC;
	expect_refused("FI_ATOMIC", h);
	h = ompi_hints();
	h->caps |= FI_MULTI_RECV;
	expect_refused("FI_MULTI_RECV", h);
	h = ompi_hints();
	h->mode = 0;
	expect_refused("mode without FI_CONTEXT", h);
	h = ompi_hints();
	h->domain_attr->threading = FI_THREAD_SAFE;
	expect_refused("FI_THREAD_SAFE", h);
	h = ompi_hints();
	h->domain_attr->data_progress = FI_PROGRESS_AUTO;
	expect_refused("FI_PROGRESS_AUTO", h);
	h = ompi_hints();
	h->domain_attr->av_type = FI_AV_TABLE;
	expect_refused("FI_AV_TABLE", h);
	h = ompi_hints();
	h->tx_attr->inject_size = 4096;
	expect_refused("inject_size 4096", h);
	h = ompi_hints();
	h->tx_attr->msg_order = FI_ORDER_SAS | FI_ORDER_RAW;
	expect_refused("FI_ORDER_RAW", h);
	h = ompi_hints();
	h->ep_attr->mem_tag_format = ~0ULL;
	expect_refused("64-bit tags", h);
	h = ompi_hints();
	h->addr_format = FI_SOCKADDR_IN;
	expect_refused("FI_SOCKADDR_IN", h);
	h = ompi_hints();
	h->domain_attr->name = strdup("omx1");
	expect_refused("another board's domain", h);

	return omx_test_exit();
}
