// SPDX-License-Identifier: GPL-2.0-only
/*
 * myri10ge_omx_probe: look myri10ge_omx_endpoint_slice() up as omx's
 * driver is meant to (symbol_get(), then calls with RTNL held) and ask it
 * about every net device.
 *
 * Devices that myri10ge does not drive must answer -ENODEV; for a
 * Myri-10G NIC the slice and IRQ of the first endpoints are logged, or
 * why the NIC cannot tell.  Loading fails if the routine cannot be found
 * or a foreign device got anything but -ENODEV, so a test only has to
 * check that insmod succeeded.  The module holds nothing once loaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/myri10ge.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

static unsigned int endpoints = 8;
module_param(endpoints, uint, 0444);
MODULE_PARM_DESC(endpoints, "Number of endpoints to report per Myri-10G NIC (default 8, at most 256)");

/* Query @dev; returns false if it answered something it must not. */
static bool myri10ge_omx_probe_dev(struct net_device *dev,
				   int (*slice_of)(struct net_device *,
						   unsigned int, int *))
{
	unsigned int ep;
	int irq = -2;
	int ret;

	ret = slice_of(dev, 0, &irq);
	if (ret == -ENODEV) {
		if (irq != -2) {
			pr_err("%s: -ENODEV but the IRQ was written\n", dev->name);
			return false;
		}
		pr_info("%s: not a myri10ge device\n", dev->name);
		return true;
	}
	if (ret == -EOPNOTSUPP) {
		pr_info("%s: myri10ge, single slice or firmware older than 1.4.33\n",
			dev->name);
		return true;
	}
	if (ret < 0) {
		pr_err("%s: unexpected error %d\n", dev->name, ret);
		return false;
	}
	for (ep = 0; ep < endpoints && ep <= U8_MAX; ep++) {
		ret = slice_of(dev, ep, &irq);
		pr_info("%s: endpoint %u: slice %d, irq %d\n", dev->name, ep,
			ret, ret < 0 ? -1 : irq);
	}
	ret = slice_of(dev, U8_MAX + 1, &irq);
	if (ret != -EINVAL) {
		pr_err("%s: endpoint 256 gave %d instead of -EINVAL\n",
		       dev->name, ret);
		return false;
	}
	return true;
}

static int __init myri10ge_omx_probe_init(void)
{
	int (*slice_of)(struct net_device *dev, unsigned int endpoint, int *irq);
	struct net_device *dev;
	bool ok = true;

	slice_of = symbol_get(myri10ge_omx_endpoint_slice);
	if (!slice_of) {
		pr_err("myri10ge_omx_endpoint_slice not found: load the patched myri10ge first\n");
		return -ENOENT;
	}

	rtnl_lock();
	for_each_netdev(&init_net, dev)
		ok &= myri10ge_omx_probe_dev(dev, slice_of);
	rtnl_unlock();

	symbol_put(myri10ge_omx_endpoint_slice);
	if (!ok)
		return -EINVAL;
	pr_info("myri10ge_omx_endpoint_slice found and answered as documented\n");
	return 0;
}

static void __exit myri10ge_omx_probe_exit(void)
{
}

module_init(myri10ge_omx_probe_init);
module_exit(myri10ge_omx_probe_exit);

MODULE_DESCRIPTION("Query myri10ge_omx_endpoint_slice() about every net device");
MODULE_AUTHOR("omx developers <omx@example.invalid>");
MODULE_LICENSE("GPL");
