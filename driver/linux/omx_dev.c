// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/omx and /dev/omx-raw: file lifetime and the ioctl ABI.  This file
 * validates what user space passes and translates it into calls on
 * boards and endpoints; it holds no state of its own beyond each file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>

#include "omx_abi.h"
#include "omx_dev.h"
#include "omx_endpoint.h"
#include "omx_iface.h"
#include "omx_main.h"
#include "omx_peer.h"
#include "omx_pull.h"
#include "omx_region.h"
#include "omx_send.h"
#include "omx_steering.h"
#include "omx_wire.h"

enum omx_abi_state {
	OMX_ABI_UNDECLARED,
	OMX_ABI_AGREED,
	OMX_ABI_MISMATCH,
};

struct omx_file {
	/* its credentials (f_cred) are the opener's: privileges come from them */
	struct file *filp;
	/* the opener's network namespace: endpoints only on its boards */
	struct net *net;
	bool raw;
	enum omx_abi_state abi;		/* READ_ONCE/WRITE_ONCE */
	struct mutex lock;		/* serializes binding an endpoint */
	/* set once under @lock, then stable until release */
	struct omx_endpoint *endpoint;
};

/* command flags */
#define OMX_CMD_ANY_ABI	BIT(0)	/* allowed before the ABI is agreed */
#define OMX_CMD_RAW	BIT(1)	/* allowed on /dev/omx-raw */

struct omx_cmd {
	unsigned int cmd;
	unsigned int flags;
	int (*handler)(struct omx_file *file, void __user *arg);
};

/*
 * Privileged commands check the credentials of whoever opened the file,
 * not of the caller, as the kernel does for such files: a descriptor
 * handed to a less privileged process (or inherited across a setuid
 * drop) does not carry privileges it did not have at open, and one
 * opened by a privileged service keeps what it was given.
 */
static bool omx_file_admin(const struct omx_file *file)
{
	return file_ns_capable(file->filp, &init_user_ns, CAP_NET_ADMIN);
}

static struct omx_viewer omx_file_viewer(const struct omx_file *file)
{
	struct omx_viewer viewer = {
		.euid = file->filp->f_cred->euid,
		.admin = omx_file_admin(file),
	};

	return viewer;
}

static int omx_cmd_get_abi_version(struct omx_file *file, void __user *arg)
{
	return put_user((u32)OMX_ABI_VERSION, (u32 __user *)arg);
}

static int omx_cmd_declare_abi_version(struct omx_file *file,
				       void __user *arg)
{
	u32 version;

	if (get_user(version, (u32 __user *)arg))
		return -EFAULT;

	if (version != OMX_ABI_VERSION) {
		WRITE_ONCE(file->abi, OMX_ABI_MISMATCH);
		pr_notice_ratelimited("%s[%d] was built for ABI 0x%x but this driver speaks ABI 0x%x; rebuild it against the loaded driver\n",
				      current->comm, task_tgid_vnr(current),
				      version, OMX_ABI_VERSION);
		return -EPROTO;
	}
	WRITE_ONCE(file->abi, OMX_ABI_AGREED);
	return 0;
}

static int omx_cmd_get_board_count(struct omx_file *file, void __user *arg)
{
	return put_user(omx_ifaces_get_count(), (u32 __user *)arg);
}

static int omx_cmd_get_board_info(struct omx_file *file, void __user *arg)
{
	struct omx_board_info __user *uinfo = arg;
	struct omx_board_info info;
	u32 board;
	int ret;

	if (get_user(board, &uinfo->board_index))
		return -EFAULT;
	ret = omx_iface_get_info(board, &info);
	if (ret)
		return ret;
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_get_counters(struct omx_file *file, void __user *arg)
{
	struct omx_board_counters __user *ucounters = arg;
	struct omx_board_counters *counters;
	u32 board, flags;
	int ret;

	if (get_user(board, &ucounters->board_index) ||
	    get_user(flags, &ucounters->flags))
		return -EFAULT;
	if (flags)
		return -EINVAL;
	/* over a kilobyte: not on the kernel stack */
	counters = kmalloc(sizeof(*counters), GFP_KERNEL);
	if (!counters)
		return -ENOMEM;
	ret = omx_iface_get_counters(board, counters);
	if (!ret && copy_to_user(ucounters, counters, sizeof(*counters)))
		ret = -EFAULT;
	kfree(counters);
	return ret;
}

static int omx_cmd_clear_counters(struct omx_file *file, void __user *arg)
{
	u32 board;

	if (!omx_file_admin(file))
		return -EPERM;
	if (get_user(board, (u32 __user *)arg))
		return -EFAULT;
	return omx_iface_clear_counters(board);
}

static int omx_cmd_open_endpoint(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint_open req;
	struct omx_endpoint *ep;
	int ret = 0;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags & ~OMX_ENDPOINT_OPEN_NO_SHARED || req.pad)
		return -EINVAL;

	mutex_lock(&file->lock);
	if (file->endpoint) {
		ret = -EISCONN;
		goto out;
	}
	ep = omx_endpoint_open(&req, file->filp->f_cred, omx_file_admin(file),
			       file->net);
	if (IS_ERR(ep)) {
		ret = PTR_ERR(ep);
		goto out;
	}
	/* lockless readers see a fully built endpoint or none */
	smp_store_release(&file->endpoint, ep);
out:
	mutex_unlock(&file->lock);
	return ret;
}

static int omx_cmd_get_endpoint_info(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint_info info;
	struct omx_endpoint *ep;

	/* pairs with smp_store_release() in omx_cmd_open_endpoint() */
	ep = smp_load_acquire(&file->endpoint);
	if (!ep)
		return -ENOTCONN;
	omx_endpoint_get_info(ep, &info);
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_get_peer_count(struct omx_file *file, void __user *arg)
{
	struct omx_peer_table_info info;

	omx_peers_get_table_info(&info);
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_get_peer_info(struct omx_file *file, void __user *arg)
{
	struct omx_peer_info __user *uinfo = arg;
	struct omx_peer_info info;
	u32 index;
	int ret;

	if (get_user(index, &uinfo->peer_index))
		return -EFAULT;
	ret = omx_peers_get_info(index, &info);
	if (ret)
		return ret;
	if (copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_discover_peers(struct omx_file *file, void __user *arg)
{
	u32 board;

	if (!omx_file_admin(file))
		return -EPERM;
	if (get_user(board, (u32 __user *)arg))
		return -EFAULT;
	return omx_peers_discover(board);
}

/* This fd's endpoint, or NULL */
static struct omx_endpoint *omx_file_endpoint(struct omx_file *file)
{
	/* pairs with smp_store_release() in omx_cmd_open_endpoint() */
	return smp_load_acquire(&file->endpoint);
}

static int omx_cmd_wait_event(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_wait wait;
	int ret;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&wait, arg, sizeof(wait)))
		return -EFAULT;
	ret = omx_endpoint_wait(ep, &wait);
	if (ret)
		return ret;
	if (copy_to_user(arg, &wait, sizeof(wait)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_wakeup(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);

	if (!ep)
		return -ENOTCONN;
	omx_endpoint_wakeup(ep);
	return 0;
}

static int omx_cmd_peer_lookup(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_peer_lookup req;
	u32 index;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	/* a peer created here counts as heard through the caller's board */
	ret = omx_peers_lookup(&req, ep ? ep->board_index : 0,
			       omx_file_admin(file), &index);
	if (ret)
		return ret;
	/* the caller will send to it: it must not age out under the endpoint */
	if (ep)
		omx_endpoint_ref_peer(ep, index);
	if (copy_to_user(arg, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_send_msg(struct omx_file *file, void __user *arg,
			    unsigned int type)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_msg cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_msg(ep, type, &cmd);
}

static int omx_cmd_send_tiny(struct omx_file *file, void __user *arg)
{
	return omx_cmd_send_msg(file, arg, OMX_PKT_TYPE_TINY);
}

static int omx_cmd_send_small(struct omx_file *file, void __user *arg)
{
	return omx_cmd_send_msg(file, arg, OMX_PKT_TYPE_SMALL);
}

static int omx_cmd_send_medium_frag(struct omx_file *file, void __user *arg)
{
	return omx_cmd_send_msg(file, arg, OMX_PKT_TYPE_MEDIUM);
}

static int omx_cmd_send_connect(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_connect cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_connect(ep, &cmd);
}

static int omx_cmd_send_liback(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_liback cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_liback(ep, &cmd);
}

static int omx_cmd_send_nack_lib(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_nack_lib cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_nack_lib(ep, &cmd);
}

static int omx_cmd_send_rndv(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_rndv cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_rndv(ep, &cmd);
}

static int omx_cmd_send_notify(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_send_notify cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_send_cmd_notify(ep, &cmd);
}

static int omx_cmd_register_region(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_region cmd;
	int ret;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	ret = omx_region_register(ep, &cmd);
	if (ret)
		return ret;
	if (copy_to_user(arg, &cmd, sizeof(cmd))) {
		omx_region_deregister(ep, cmd.id);
		return -EFAULT;
	}
	return 0;
}

static int omx_cmd_deregister_region(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	u32 id;

	if (!ep)
		return -ENOTCONN;
	if (get_user(id, (u32 __user *)arg))
		return -EFAULT;
	return omx_region_deregister(ep, id);
}

static int omx_cmd_pull(struct omx_file *file, void __user *arg)
{
	struct omx_endpoint *ep = omx_file_endpoint(file);
	struct omx_cmd_pull cmd;

	if (!ep)
		return -ENOTCONN;
	if (copy_from_user(&cmd, arg, sizeof(cmd)))
		return -EFAULT;
	return omx_pull_start(ep, &cmd);
}

static int omx_cmd_get_driver_info(struct omx_file *file, void __user *arg)
{
	struct omx_driver_info info = {
		.abi_version = OMX_ABI_VERSION,
		.endpoints_open = atomic_read(&omx_live.endpoints),
		.pinned_pages = atomic64_read(&omx_live.pinned_pages),
		.regions = atomic_read(&omx_live.regions),
		.pulls = atomic_read(&omx_live.pulls),
	};

	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_set_hostname(struct omx_file *file, void __user *arg)
{
	struct omx_board_hostname req;

	if (!omx_file_admin(file))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.board_index >= OMX_MAX_BOARDS || req.pad ||
	    !omx_hostname_valid(req.hostname, sizeof(req.hostname)))
		return -EINVAL;
	return omx_iface_set_hostname(req.board_index, req.hostname);
}

static int omx_cmd_get_endpoint_slot(struct omx_file *file, void __user *arg)
{
	struct omx_viewer viewer = omx_file_viewer(file);
	struct omx_endpoint_slot slot;
	int ret;

	if (copy_from_user(&slot, arg, sizeof(slot)))
		return -EFAULT;
	ret = omx_iface_get_endpoint_slot(&slot, &viewer);
	if (ret)
		return ret;
	if (copy_to_user(arg, &slot, sizeof(slot)))
		return -EFAULT;
	return 0;
}

static int omx_cmd_get_board_queues(struct omx_file *file, void __user *arg)
{
	struct omx_board_queues *q;
	int ret;

	/* 4.6 KiB: not on the stack */
	q = kmalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(q, arg, offsetofend(struct omx_board_queues, pad)))
		goto out;
	ret = omx_steering_get_board_queues(q);
	if (!ret && copy_to_user(arg, q, sizeof(*q)))
		ret = -EFAULT;
out:
	kfree(q);
	return ret;
}

static int omx_cmd_get_endpoint_steering(struct omx_file *file, void __user *arg)
{
	struct omx_viewer viewer = omx_file_viewer(file);
	struct omx_endpoint_steering __user *ust = arg;
	struct omx_endpoint_steering *st;
	int ret;

	/* 4 KiB: not on the stack */
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = -EFAULT;
	if (get_user(st->board_index, &ust->board_index) ||
	    get_user(st->endpoint_index, &ust->endpoint_index))
		goto out;
	ret = omx_steering_get_endpoint(st, &viewer);
	if (!ret && copy_to_user(arg, st, sizeof(*st)))
		ret = -EFAULT;
out:
	kfree(st);
	return ret;
}

static int omx_cmd_set_peers(struct omx_file *file, void __user *arg)
{
	struct omx_cmd_set_peers req;
	struct omx_peer_entry *entries;
	int ret;

	if (!omx_file_admin(file))
		return -EPERM;
	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.nr_peers || (req.flags & ~OMX_SET_PEERS_REPLACE))
		return -EINVAL;
	if (req.nr_peers > omx_peers_max)
		return -ENOSPC;

	entries = kvmalloc_array(req.nr_peers, sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return -ENOMEM;
	if (copy_from_user(entries, u64_to_user_ptr(req.peers),
			   array_size(req.nr_peers, sizeof(*entries))))
		ret = -EFAULT;
	else
		ret = omx_peers_set(entries, req.nr_peers, req.flags);
	kvfree(entries);
	return ret;
}

static int omx_cmd_clear_peers(struct omx_file *file, void __user *arg)
{
	u32 board;

	if (!omx_file_admin(file))
		return -EPERM;
	if (get_user(board, (u32 __user *)arg))
		return -EFAULT;
	return omx_peers_clear(board);
}

static const struct omx_cmd omx_cmds[] = {
	{ OMX_CMD_GET_ABI_VERSION, OMX_CMD_ANY_ABI | OMX_CMD_RAW,
	  omx_cmd_get_abi_version },
	{ OMX_CMD_DECLARE_ABI_VERSION, OMX_CMD_ANY_ABI | OMX_CMD_RAW,
	  omx_cmd_declare_abi_version },
	{ OMX_CMD_GET_BOARD_COUNT, OMX_CMD_RAW, omx_cmd_get_board_count },
	{ OMX_CMD_GET_BOARD_INFO, OMX_CMD_RAW, omx_cmd_get_board_info },
	{ OMX_CMD_GET_COUNTERS, OMX_CMD_RAW, omx_cmd_get_counters },
	{ OMX_CMD_CLEAR_COUNTERS, OMX_CMD_RAW, omx_cmd_clear_counters },
	{ OMX_CMD_OPEN_ENDPOINT, 0, omx_cmd_open_endpoint },
	{ OMX_CMD_GET_ENDPOINT_INFO, 0, omx_cmd_get_endpoint_info },
	{ OMX_CMD_GET_PEER_COUNT, OMX_CMD_RAW, omx_cmd_get_peer_count },
	{ OMX_CMD_GET_PEER_INFO, OMX_CMD_RAW, omx_cmd_get_peer_info },
	{ OMX_CMD_DISCOVER_PEERS, OMX_CMD_RAW, omx_cmd_discover_peers },
	{ OMX_CMD_PEER_LOOKUP, OMX_CMD_RAW, omx_cmd_peer_lookup },
	{ OMX_CMD_WAIT_EVENT, 0, omx_cmd_wait_event },
	{ OMX_CMD_WAKEUP, 0, omx_cmd_wakeup },
	{ OMX_CMD_SEND_CONNECT, 0, omx_cmd_send_connect },
	{ OMX_CMD_SEND_TINY, 0, omx_cmd_send_tiny },
	{ OMX_CMD_SEND_SMALL, 0, omx_cmd_send_small },
	{ OMX_CMD_SEND_MEDIUM_FRAG, 0, omx_cmd_send_medium_frag },
	{ OMX_CMD_SEND_LIBACK, 0, omx_cmd_send_liback },
	{ OMX_CMD_SEND_NACK_LIB, 0, omx_cmd_send_nack_lib },
	{ OMX_CMD_SEND_RNDV, 0, omx_cmd_send_rndv },
	{ OMX_CMD_SEND_NOTIFY, 0, omx_cmd_send_notify },
	{ OMX_CMD_REGISTER_REGION, 0, omx_cmd_register_region },
	{ OMX_CMD_DEREGISTER_REGION, 0, omx_cmd_deregister_region },
	{ OMX_CMD_PULL, 0, omx_cmd_pull },
	{ OMX_CMD_GET_DRIVER_INFO, OMX_CMD_RAW, omx_cmd_get_driver_info },
	{ OMX_CMD_SET_HOSTNAME, OMX_CMD_RAW, omx_cmd_set_hostname },
	{ OMX_CMD_GET_ENDPOINT_SLOT, OMX_CMD_RAW, omx_cmd_get_endpoint_slot },
	{ OMX_CMD_GET_BOARD_QUEUES, OMX_CMD_RAW, omx_cmd_get_board_queues },
	{ OMX_CMD_GET_ENDPOINT_STEERING, OMX_CMD_RAW, omx_cmd_get_endpoint_steering },
	{ OMX_CMD_SET_PEERS, OMX_CMD_RAW, omx_cmd_set_peers },
	{ OMX_CMD_CLEAR_PEERS, OMX_CMD_RAW, omx_cmd_clear_peers },
};

static const struct omx_cmd *omx_cmd_find(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(omx_cmds); i++)
		if (omx_cmds[i].cmd == cmd)
			return &omx_cmds[i];
	return NULL;
}

static long omx_dev_ioctl(struct file *filp, unsigned int cmd,
			  unsigned long arg)
{
	struct omx_file *file = filp->private_data;
	const struct omx_cmd *desc = omx_cmd_find(cmd);
	struct omx_endpoint *ep;

	if (!desc || (file->raw && !(desc->flags & OMX_CMD_RAW)))
		return -ENOTTY;

	if (!(desc->flags & OMX_CMD_ANY_ABI)) {
		if (READ_ONCE(file->abi) != OMX_ABI_AGREED)
			return -EPROTO;
		/* pairs with smp_store_release() in omx_cmd_open_endpoint() */
		ep = smp_load_acquire(&file->endpoint);
		if (ep && omx_endpoint_is_dead(ep))
			return -ENODEV;
	}

	return desc->handler(file, (void __user *)arg);
}

static int omx_dev_open_file(struct inode *inode, struct file *filp, bool raw)
{
	struct omx_file *file;
	int ret;

	ret = nonseekable_open(inode, filp);
	if (ret)
		return ret;

	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return -ENOMEM;
	file->filp = filp;
	file->net = get_net(current->nsproxy->net_ns);
	file->raw = raw;
	file->abi = OMX_ABI_UNDECLARED;
	mutex_init(&file->lock);
	filp->private_data = file;
	return 0;
}

static int omx_dev_open(struct inode *inode, struct file *filp)
{
	return omx_dev_open_file(inode, filp, false);
}

static int omx_dev_open_raw(struct inode *inode, struct file *filp)
{
	return omx_dev_open_file(inode, filp, true);
}

static int omx_dev_release(struct inode *inode, struct file *filp)
{
	struct omx_file *file = filp->private_data;

	if (file->endpoint)
		omx_endpoint_close(file->endpoint);
	put_net(file->net);
	mutex_destroy(&file->lock);
	kfree(file);
	return 0;
}

/*
 * The whole shared region at offset 0, shared and nothing else: a private
 * mapping would hide the consumer indexes from the driver.  Never
 * executable, now or by a later mprotect(): the rings hold what the
 * network wrote.
 */
static int omx_dev_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct omx_file *file = filp->private_data;
	struct omx_endpoint *ep = omx_file_endpoint(file);

	if (!ep)
		return -ENOTCONN;
	if (omx_endpoint_is_dead(ep))
		return -ENODEV;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != OMX_ENDPOINT_MMAP_LEN ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	vma->vm_flags &= ~VM_MAYEXEC;
	return omx_rings_mmap(&ep->rings, vma);
}

static __poll_t omx_dev_poll(struct file *filp, poll_table *wait)
{
	struct omx_file *file = filp->private_data;
	struct omx_endpoint *ep = omx_file_endpoint(file);
	__poll_t mask = 0;

	if (!ep)
		return EPOLLERR;
	poll_wait(filp, &ep->waitq, wait);
	if (omx_endpoint_is_dead(ep))
		mask |= EPOLLERR | EPOLLHUP;
	if (omx_rings_readable(&ep->rings))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations omx_fops = {
	.owner = THIS_MODULE,
	.open = omx_dev_open,
	.release = omx_dev_release,
	.unlocked_ioctl = omx_dev_ioctl,
	/* the send commands carry user addresses as __u64: no translation */
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = omx_dev_mmap,
	.poll = omx_dev_poll,
	.llseek = no_llseek,
};

static const struct file_operations omx_raw_fops = {
	.owner = THIS_MODULE,
	.open = omx_dev_open_raw,
	.release = omx_dev_release,
	.unlocked_ioctl = omx_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

/* Any user may open endpoints for now; access control comes with udev rules. */
static struct miscdevice omx_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = OMX_DEVICE_NAME,
	.fops = &omx_fops,
	.mode = 0666,
};

static struct miscdevice omx_raw_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = OMX_RAW_DEVICE_NAME,
	.fops = &omx_raw_fops,
	.mode = 0666,
};

int omx_dev_init(void)
{
	int ret;

	ret = misc_register(&omx_miscdev);
	if (ret) {
		pr_err("cannot register /dev/%s (error %d)\n", OMX_DEVICE_NAME, ret);
		return ret;
	}
	ret = misc_register(&omx_raw_miscdev);
	if (ret) {
		pr_err("cannot register /dev/%s (error %d)\n", OMX_RAW_DEVICE_NAME, ret);
		misc_deregister(&omx_miscdev);
		return ret;
	}
	return 0;
}

void omx_dev_exit(void)
{
	misc_deregister(&omx_raw_miscdev);
	misc_deregister(&omx_miscdev);
}
