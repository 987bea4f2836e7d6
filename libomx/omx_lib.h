/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libomx internal API: talking to the omx driver.  Not a public header:
 * the MX API (include/myriexpress.h) will be built on top of it.
 *
 * Conventions: functions return an enum omx_lib_status; on failure the
 * handle's message buffer holds a sentence for the user (what went wrong
 * and what to do) and the handle's sys_errno the errno the driver gave.
 */
#ifndef OMX_LIB_H
#define OMX_LIB_H

#include <stddef.h>

#include "omx_abi.h"

enum omx_lib_status {
	OMX_LIB_SUCCESS = 0,
	OMX_LIB_NO_DRIVER,		/* /dev/omx missing: module not loaded */
	OMX_LIB_ACCESS_DENIED,		/* EACCES/EPERM */
	OMX_LIB_ABI_MISMATCH,		/* library and driver disagree */
	OMX_LIB_NO_SUCH_BOARD,		/* no board at that index */
	OMX_LIB_BAD_INDEX,		/* board or endpoint index out of range */
	OMX_LIB_BUSY,			/* endpoint already open elsewhere */
	OMX_LIB_ALREADY_BOUND,		/* this handle already has an endpoint */
	OMX_LIB_NOT_BOUND,		/* this handle has no endpoint */
	OMX_LIB_ENDPOINT_DEAD,		/* its board was detached by force */
	OMX_LIB_SYSTEM_ERROR,		/* anything else: see sys_errno */
	OMX_LIB_NO_SUCH_PEER,		/* no peer at that index */
	OMX_LIB_BOARD_DOWN,		/* board down or without link */
	OMX_LIB_USER_LIMIT,		/* EDQUOT: the endpoints_per_user limit */
};

#define OMX_LIB_ERRMSG_LEN	256

/* One open file on /dev/omx (or /dev/omx-raw). */
struct omx_lib_dev {
	int fd;				/* -1 when closed */
	__u32 driver_abi;		/* what the driver speaks, 0 if unknown */
	int sys_errno;			/* errno of the last failure */
	char errmsg[OMX_LIB_ERRMSG_LEN];
};

/* ABI version this library was built for (what it declares). */
__u32 omx_lib_abi_version(void);

/*
 * Open @path (OMX_DEVICE_PATH or OMX_RAW_DEVICE_PATH), read the driver's
 * ABI version into dev->driver_abi and declare ours.  On failure the
 * handle is closed but errmsg, sys_errno and driver_abi stay readable.
 */
enum omx_lib_status omx_lib_open(struct omx_lib_dev *dev, const char *path);
void omx_lib_close(struct omx_lib_dev *dev);

/* The message of the last failure on @dev, or "" */
const char *omx_lib_errmsg(const struct omx_lib_dev *dev);
/* Generic one-line description of a status */
const char *omx_lib_strstatus(enum omx_lib_status status);

enum omx_lib_status omx_lib_get_board_count(struct omx_lib_dev *dev,
					    __u32 *count);
/* OMX_LIB_NO_SUCH_BOARD for an empty slot below OMX_MAX_BOARDS */
enum omx_lib_status omx_lib_get_board_info(struct omx_lib_dev *dev,
					   __u32 board,
					   struct omx_board_info *info);
enum omx_lib_status omx_lib_get_counters(struct omx_lib_dev *dev, __u32 board,
					 struct omx_board_counters *counters);
enum omx_lib_status omx_lib_clear_counters(struct omx_lib_dev *dev,
					   __u32 board);

/* Name of counter @index, "unknown" for an index this library lacks */
const char *omx_lib_counter_name(unsigned int index);

/* "none", "nic", "xdp" for an enum omx_steer_mode, "unknown" otherwise */
const char *omx_lib_steer_mode_name(__u32 mode);
/* "single-queue", "observed", ... for an enum omx_steer_source */
const char *omx_lib_steer_source_name(__u32 source);
/*
 * A CPU mask of the ABI as a cpulist ("0-3,6"), "-" if empty, into @buf
 * of @size bytes (OMX_CPUS_MAX * 4 is always enough); returns @buf.
 */
const char *omx_lib_cpulist(const __u64 words[OMX_CPUMASK_WORDS], char *buf, size_t size);

/* Bind @dev to endpoint (@board, @endpoint) until omx_lib_close(). */
enum omx_lib_status omx_lib_open_endpoint(struct omx_lib_dev *dev, __u32 board,
					  __u32 endpoint);
/* The same with OMX_ENDPOINT_OPEN_* @flags. */
enum omx_lib_status omx_lib_open_endpoint_flags(struct omx_lib_dev *dev, __u32 board,
						__u32 endpoint, __u32 flags);
enum omx_lib_status omx_lib_get_endpoint_info(struct omx_lib_dev *dev,
					      struct omx_endpoint_info *info);

/*
 * Peers: the hosts the driver has heard on its boards (see
 * docs/wire.md, "Peer discovery").
 */

/* Number of peers, table size, and peers refused because it was full. */
enum omx_lib_status omx_lib_get_peer_table_info(struct omx_lib_dev *dev,
						struct omx_peer_table_info *info);
/*
 * Peer at table index @index.  OMX_LIB_NO_SUCH_PEER for a free index
 * (indexes may be sparse), OMX_LIB_BAD_INDEX beyond the table.
 */
enum omx_lib_status omx_lib_get_peer_info(struct omx_lib_dev *dev, __u32 index,
					  struct omx_peer_info *info);
/*
 * Iterate over the peers: the first peer at index *@index or above goes
 * into @info and *@index is set to its index.  Start at 0 and continue
 * from *@index + 1; OMX_LIB_NO_SUCH_PEER once there is none left.
 */
enum omx_lib_status omx_lib_next_peer(struct omx_lib_dev *dev, __u32 *index,
				      struct omx_peer_info *info);
/*
 * Broadcast a discovery query on @board (needs CAP_NET_ADMIN).  Returns
 * at once: the answers fill the peer table within milliseconds, so poll
 * the table to see them.  OMX_LIB_BOARD_DOWN if the board cannot send.
 */
enum omx_lib_status omx_lib_discover_peers(struct omx_lib_dev *dev, __u32 board);

#endif /* OMX_LIB_H */
