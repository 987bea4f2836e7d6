/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's only calls into the driver (omx_drv.h): one function per
 * /dev/omx command, all through omx_drv_ioctl(), the one place where a
 * command meets the kernel and errno is taken.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/ioctl.h>

#include "omx_drv.h"

/*
 * 0, or -1 with errno as the driver set it.  The argument is read-only
 * for the _IOW commands; ioctl(2) takes it as void * all the same.
 */
static int omx_drv_ioctl(int fd, unsigned long cmd, const void *arg)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	return ioctl(fd, cmd, (void *)arg) < 0 ? -1 : 0;
}

int omx_drv_get_abi_version(int fd, __u32 *abi)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_ABI_VERSION, abi);
}

int omx_drv_declare_abi_version(int fd, __u32 abi)
{
	return omx_drv_ioctl(fd, OMX_CMD_DECLARE_ABI_VERSION, &abi);
}

int omx_drv_get_board_count(int fd, __u32 *count)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_BOARD_COUNT, count);
}

int omx_drv_get_board_info(int fd, struct omx_board_info *info)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_BOARD_INFO, info);
}

int omx_drv_get_counters(int fd, struct omx_board_counters *counters)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_COUNTERS, counters);
}

int omx_drv_clear_counters(int fd, __u32 board)
{
	return omx_drv_ioctl(fd, OMX_CMD_CLEAR_COUNTERS, &board);
}

int omx_drv_open_endpoint(int fd, const struct omx_endpoint_open *req)
{
	return omx_drv_ioctl(fd, OMX_CMD_OPEN_ENDPOINT, req);
}

int omx_drv_get_endpoint_info(int fd, struct omx_endpoint_info *info)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_ENDPOINT_INFO, info);
}

int omx_drv_get_endpoint_steering(int fd, struct omx_endpoint_steering *st)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_ENDPOINT_STEERING, st);
}

int omx_drv_wait_event(int fd, struct omx_wait *wait)
{
	return omx_drv_ioctl(fd, OMX_CMD_WAIT_EVENT, wait);
}

int omx_drv_wakeup(int fd)
{
	return omx_drv_ioctl(fd, OMX_CMD_WAKEUP, NULL);
}

int omx_drv_get_peer_count(int fd, struct omx_peer_table_info *info)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_PEER_COUNT, info);
}

int omx_drv_get_peer_info(int fd, struct omx_peer_info *info)
{
	return omx_drv_ioctl(fd, OMX_CMD_GET_PEER_INFO, info);
}

int omx_drv_peer_lookup(int fd, struct omx_peer_lookup *lookup)
{
	return omx_drv_ioctl(fd, OMX_CMD_PEER_LOOKUP, lookup);
}

int omx_drv_discover_peers(int fd, __u32 board)
{
	return omx_drv_ioctl(fd, OMX_CMD_DISCOVER_PEERS, &board);
}

int omx_drv_send_connect(int fd, const struct omx_cmd_send_connect *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_CONNECT, cmd);
}

int omx_drv_send_tiny(int fd, const struct omx_cmd_send_msg *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_TINY, cmd);
}

int omx_drv_send_small(int fd, const struct omx_cmd_send_msg *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_SMALL, cmd);
}

int omx_drv_send_medium_frag(int fd, const struct omx_cmd_send_msg *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_MEDIUM_FRAG, cmd);
}

int omx_drv_send_liback(int fd, const struct omx_cmd_send_liback *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_LIBACK, cmd);
}

int omx_drv_send_rndv(int fd, const struct omx_cmd_send_rndv *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_RNDV, cmd);
}

int omx_drv_send_notify(int fd, const struct omx_cmd_send_notify *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_SEND_NOTIFY, cmd);
}

int omx_drv_register_region(int fd, struct omx_cmd_region *region)
{
	return omx_drv_ioctl(fd, OMX_CMD_REGISTER_REGION, region);
}

int omx_drv_deregister_region(int fd, __u32 id)
{
	return omx_drv_ioctl(fd, OMX_CMD_DEREGISTER_REGION, &id);
}

int omx_drv_pull(int fd, const struct omx_cmd_pull *cmd)
{
	return omx_drv_ioctl(fd, OMX_CMD_PULL, cmd);
}

bool omx_drv_send_transient(int err)
{
	return err == ENOBUFS || err == ENOMEM || err == ENETDOWN || err == EAGAIN ||
	       err == EINTR;
}
