/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one boundary between libomx and the driver: every ioctl the library
 * issues on /dev/omx goes through one function here, one per command
 * (common/omx_abi.h and docs/abi.md say what each does and which errnos
 * it gives).  Each returns 0, or -1 with errno the driver's (EINTR
 * included: the caller decides whether to retry).  Internal: none of
 * these names is exported from libomx.so (libomx.map).
 */
#ifndef OMX_DRV_H
#define OMX_DRV_H

#include <stdbool.h>

#include "omx_abi.h"

/* device and ABI */
int omx_drv_get_abi_version(int fd, __u32 *abi);
int omx_drv_declare_abi_version(int fd, __u32 abi);

/* boards */
int omx_drv_get_board_count(int fd, __u32 *count);
int omx_drv_get_board_info(int fd, struct omx_board_info *info);
int omx_drv_get_counters(int fd, struct omx_board_counters *counters);
int omx_drv_clear_counters(int fd, __u32 board);

/* endpoints */
int omx_drv_open_endpoint(int fd, const struct omx_endpoint_open *req);
int omx_drv_get_endpoint_info(int fd, struct omx_endpoint_info *info);
int omx_drv_get_endpoint_steering(int fd, struct omx_endpoint_steering *st);
int omx_drv_wait_event(int fd, struct omx_wait *wait);
int omx_drv_wakeup(int fd);

/* peers */
int omx_drv_get_peer_count(int fd, struct omx_peer_table_info *info);
int omx_drv_get_peer_info(int fd, struct omx_peer_info *info);
int omx_drv_peer_lookup(int fd, struct omx_peer_lookup *lookup);
int omx_drv_discover_peers(int fd, __u32 board);

/* frames */
int omx_drv_send_connect(int fd, const struct omx_cmd_send_connect *cmd);
int omx_drv_send_tiny(int fd, const struct omx_cmd_send_msg *cmd);
int omx_drv_send_small(int fd, const struct omx_cmd_send_msg *cmd);
int omx_drv_send_medium_frag(int fd, const struct omx_cmd_send_msg *cmd);
int omx_drv_send_liback(int fd, const struct omx_cmd_send_liback *cmd);
int omx_drv_send_rndv(int fd, const struct omx_cmd_send_rndv *cmd);
int omx_drv_send_notify(int fd, const struct omx_cmd_send_notify *cmd);

/* large messages */
int omx_drv_register_region(int fd, struct omx_cmd_region *region);
int omx_drv_deregister_region(int fd, __u32 id);
int omx_drv_pull(int fd, const struct omx_cmd_pull *cmd);

/*
 * A send command's errno that means "not now" (no skb, queue full,
 * board down for a moment, a signal): the frame is lost as on a wire
 * and the retransmission timer sends it again.  Anything else means it
 * can never go.
 */
bool omx_drv_send_transient(int err);

#endif /* OMX_DRV_H */
