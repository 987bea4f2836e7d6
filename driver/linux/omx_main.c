// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx: Myrinet Express (MX) NIC firmware emulated over any Ethernet
 * interface, in the spirit of Open-MX.  Module parameters, init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "omx_abi.h"
#include "omx_dev.h"
#include "omx_dma.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_pull.h"
#include "omx_peer.h"
#include "omx_recv.h"
#include "omx_region.h"
#include "omx_wire.h"

#define OMX_DRIVER_VERSION	"0.1.0"

struct omx_live_objects omx_live;

unsigned int omx_endpoints_max = OMX_ENDPOINTS_MAX;
module_param_named(endpoints, omx_endpoints_max, uint, 0444);
MODULE_PARM_DESC(endpoints, "Endpoints per board, 1-256 (default 32)");

/*
 * "ifnames" is parsed before omx_init() runs, when nothing can be attached
 * yet: the load-time value is kept as text and applied by omx_init().
 * From then on a write is a list of commands.  The state is protected by
 * the module's parameter lock, which sysfs takes around set and get.
 */
enum omx_ifnames_state {
	OMX_IFNAMES_LOADING,
	OMX_IFNAMES_LIVE,
	OMX_IFNAMES_GONE,
};

static enum omx_ifnames_state omx_ifnames_state;
static char omx_ifnames_at_load[OMX_MAX_BOARDS * (OMX_IFNAMSIZ + 2)];

static int omx_ifnames_set(const char *val, const struct kernel_param *kp)
{
	switch (omx_ifnames_state) {
	case OMX_IFNAMES_LOADING:
		if (strscpy(omx_ifnames_at_load, val,
			    sizeof(omx_ifnames_at_load)) < 0) {
			pr_err("ifnames: list longer than %zu characters\n",
			       sizeof(omx_ifnames_at_load) - 1);
			return -ENOSPC;
		}
		return 0;
	case OMX_IFNAMES_LIVE:
		return omx_ifaces_apply(val);
	default:
		return -ENODEV;
	}
}

static int omx_ifnames_get(char *buffer, const struct kernel_param *kp)
{
	if (omx_ifnames_state == OMX_IFNAMES_LIVE)
		return omx_ifaces_print_names(buffer, PAGE_SIZE);
	return scnprintf(buffer, PAGE_SIZE, "%s\n", omx_ifnames_at_load);
}

static const struct kernel_param_ops omx_ifnames_ops = {
	.set = omx_ifnames_set,
	.get = omx_ifnames_get,
};

module_param_cb(ifnames, &omx_ifnames_ops, NULL, 0644);
MODULE_PARM_DESC(ifnames,
		 "Comma-separated interfaces to attach (default: every Ethernet interface). At run time: name or +name attaches, -name detaches, --name detaches even with open endpoints");

static void omx_ifnames_set_state(enum omx_ifnames_state state)
{
	kernel_param_lock(THIS_MODULE);
	omx_ifnames_state = state;
	kernel_param_unlock(THIS_MODULE);
}

static void omx_check_leaks(void)
{
	int ifaces = atomic_read(&omx_live.ifaces);
	int endpoints = atomic_read(&omx_live.endpoints);
	int peers = atomic_read(&omx_live.peers);
	int regions = atomic_read(&omx_live.regions);
	int pulls = atomic_read(&omx_live.pulls);
	s64 pinned = atomic64_read(&omx_live.pinned_pages);

	WARN_ONCE(ifaces || endpoints || peers || regions || pulls || pinned,
		  "omx: %d board(s), %d endpoint(s), %d peer(s), %d region(s), %d pull(s) and %lld pinned page(s) leaked at exit\n",
		  ifaces, endpoints, peers, regions, pulls, pinned);
}

static int __init omx_init(void)
{
	int ret;

	if (omx_endpoints_max < 1 || omx_endpoints_max > OMX_ENDPOINTS_LIMIT) {
		pr_err("endpoints=%u is out of range: use 1 to %u\n",
		       omx_endpoints_max, OMX_ENDPOINTS_LIMIT);
		return -EINVAL;
	}

	ret = omx_region_module_init();
	if (ret)
		return ret;
	ret = omx_peers_init();
	if (ret)
		goto out_region;
	ret = omx_pull_module_init();
	if (ret)
		goto out_peers;
	ret = omx_iface_init();
	if (ret)
		goto out_pulls;
	/* never fails: without a channel the copies stay on the CPU */
	omx_dma_init();
	omx_recv_init();

	/* sysfs writes may race with us from here: hold the parameter lock */
	kernel_param_lock(THIS_MODULE);
	omx_ifaces_attach_at_load(omx_ifnames_at_load);
	omx_ifnames_state = OMX_IFNAMES_LIVE;
	kernel_param_unlock(THIS_MODULE);

	ret = omx_dev_init();
	if (ret)
		goto out_ifaces;

	pr_info("version %s loaded: ABI 0x%x, ethertype 0x%04x, MTU >= %u, %u endpoints per board, %u peers\n",
		OMX_DRIVER_VERSION, OMX_ABI_VERSION, OMX_ETH_P, OMX_IFACE_MTU(OMX_MTU_MIN),
		omx_endpoints_max, omx_peers_max);
	return 0;

out_ifaces:
	omx_ifnames_set_state(OMX_IFNAMES_GONE);
	omx_recv_exit();
	omx_dma_exit();
	omx_iface_exit();
out_pulls:
	omx_pull_module_exit();
out_peers:
	omx_peers_exit();
out_region:
	omx_region_module_exit();
	omx_check_leaks();
	return ret;
}

/*
 * No file can be open here (each holds a module reference), so every
 * board detaches cleanly and every netdev reference is returned.
 */
static void __exit omx_exit(void)
{
	omx_dev_exit();
	omx_ifnames_set_state(OMX_IFNAMES_GONE);
	omx_recv_exit();
	/* the copies in flight hold endpoints, regions and skbs */
	omx_dma_exit();
	omx_iface_exit();
	omx_pull_module_exit();
	omx_peers_exit();
	/* the last unpins queued by the receive path */
	omx_region_module_exit();
	/* endpoints are freed by RCU callbacks of this module */
	rcu_barrier();
	omx_check_leaks();
	pr_info("unloaded\n");
}

module_init(omx_init);
module_exit(omx_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("omx: Myrinet Express message passing over Ethernet");
MODULE_VERSION(OMX_DRIVER_VERSION);
