/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx kernel/user ABI: device names, limits, ioctl commands and their
 * argument structures.
 *
 * This header is included by the kernel module and by user space (C11 or
 * C++11), so it only uses <linux/types.h> fixed-width types.  Every
 * structure has explicit padding, no implicit holes and no pointers, so the
 * same layout holds for 32-bit and 64-bit callers; sizes are checked by
 * static assertions in both worlds.
 *
 * Versioning: any change to a command number, a structure layout or the
 * meaning of a field bumps OMX_ABI_VERSION.  OMX_CMD_GET_ABI_VERSION is
 * frozen forever so that any library can ask any driver what it speaks.
 */
#ifndef OMX_ABI_H
#define OMX_ABI_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* static_assert: <linux/build_bug.h> in the kernel, <assert.h> in C11 */
#ifdef __KERNEL__
#include <linux/build_bug.h>
#elif !defined(__cplusplus)
#include <assert.h>
#endif
#define OMX_ABI_ASSERT(cond, msg) static_assert(cond, msg)

/* 0xMMmm: major.minor; any difference between library and driver is refused */
#define OMX_ABI_VERSION		0x101

/* misc devices, created as /dev/omx and /dev/omx-raw */
#define OMX_DEVICE_NAME		"omx"
#define OMX_RAW_DEVICE_NAME	"omx-raw"
#define OMX_DEVICE_PATH		"/dev/" OMX_DEVICE_NAME
#define OMX_RAW_DEVICE_PATH	"/dev/" OMX_RAW_DEVICE_NAME

/* same value as the kernel's IFNAMSIZ, including the trailing NUL */
#define OMX_IFNAMSIZ		16
/* board hostname ("nodename:board"), including the trailing NUL */
#define OMX_HOSTNAMELEN_MAX	80
/* compile-time cap on attached interfaces; board indexes are 0..31 */
#define OMX_MAX_BOARDS		32
/* default of the "endpoints" module parameter (endpoints per board) */
#define OMX_ENDPOINTS_MAX	32
/* hard cap: the destination endpoint is a single byte on the wire */
#define OMX_ENDPOINTS_LIMIT	256
/* default of the "peers" module parameter (size of the peer table) */
#define OMX_PEERS_DEFAULT	1024
/* hard cap: peer indexes are 16 bits on the wire and 0xffff means unknown */
#define OMX_PEERS_LIMIT		65535

/*
 * Per-board counters.  Append only: an index is ABI.  Counters marked
 * "later" are defined now but not counted by the skeleton yet.
 */
enum omx_counter_index {
	OMX_COUNTER_RX_FRAMES			= 0,
	OMX_COUNTER_RX_BYTES			= 1,
	OMX_COUNTER_TX_FRAMES			= 2,
	OMX_COUNTER_TX_BYTES			= 3,
	OMX_COUNTER_RX_DROP_BAD_ETHERTYPE	= 4,
	OMX_COUNTER_RX_DROP_TOO_SHORT		= 5,
	/* unicast-only type sent to a group address, or bad source MAC */
	OMX_COUNTER_RX_DROP_BAD_HEADER		= 6,
	OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT	= 7,	/* later */
	OMX_COUNTER_RX_DROP_IFACE_DOWN		= 8,
	OMX_COUNTER_RX_DROP_OTHER_HOST		= 9,
	/* one per omx_wire_validate() verdict (common/omx_wire_codec.h) */
	OMX_COUNTER_RX_DROP_BAD_TYPE		= 10,
	/* types omx_wire_validate() or this driver does not handle (yet) */
	OMX_COUNTER_RX_DROP_UNSUPPORTED		= 11,
	OMX_COUNTER_RX_DROP_BAD_LENGTH		= 12,
	OMX_COUNTER_RX_DROP_BAD_FRAG		= 13,
	OMX_COUNTER_RX_DROP_BAD_NACK		= 14,
	OMX_COUNTER_RX_DROP_BAD_SUBTYPE		= 15,
	/* our own MAC address as source: a loop or a forgery */
	OMX_COUNTER_RX_DROP_OWN_MAC		= 16,
	/* HOST_REPLY hostname empty, not NUL-terminated or not printable */
	OMX_COUNTER_RX_DROP_BAD_HOSTNAME	= 17,
	/* peer discovery frames, counted once accepted or sent */
	OMX_COUNTER_RX_HOST_QUERY		= 18,
	OMX_COUNTER_RX_HOST_REPLY		= 19,
	OMX_COUNTER_TX_HOST_QUERY		= 20,
	OMX_COUNTER_TX_HOST_REPLY		= 21,
	/* frames not sent: no memory, board down or detached, queue full */
	OMX_COUNTER_TX_ERRORS			= 22,
	OMX_COUNTER_NR
};

/*
 * Initializer for "const char *names[OMX_COUNTER_NR]": the names tools
 * print, one word each so that "name: value" lines are easy to parse.
 */
#define OMX_COUNTER_NAMES {						\
	[OMX_COUNTER_RX_FRAMES]			= "rx_frames",		\
	[OMX_COUNTER_RX_BYTES]			= "rx_bytes",		\
	[OMX_COUNTER_TX_FRAMES]			= "tx_frames",		\
	[OMX_COUNTER_TX_BYTES]			= "tx_bytes",		\
	[OMX_COUNTER_RX_DROP_BAD_ETHERTYPE]	= "rx_drop_bad_ethertype", \
	[OMX_COUNTER_RX_DROP_TOO_SHORT]		= "rx_drop_too_short",	\
	[OMX_COUNTER_RX_DROP_BAD_HEADER]	= "rx_drop_bad_header",	\
	[OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT]	= "rx_drop_unknown_endpoint", \
	[OMX_COUNTER_RX_DROP_IFACE_DOWN]	= "rx_drop_iface_down",	\
	[OMX_COUNTER_RX_DROP_OTHER_HOST]	= "rx_drop_other_host",	\
	[OMX_COUNTER_RX_DROP_BAD_TYPE]		= "rx_drop_bad_type",	\
	[OMX_COUNTER_RX_DROP_UNSUPPORTED]	= "rx_drop_unsupported", \
	[OMX_COUNTER_RX_DROP_BAD_LENGTH]	= "rx_drop_bad_length",	\
	[OMX_COUNTER_RX_DROP_BAD_FRAG]		= "rx_drop_bad_frag",	\
	[OMX_COUNTER_RX_DROP_BAD_NACK]		= "rx_drop_bad_nack",	\
	[OMX_COUNTER_RX_DROP_BAD_SUBTYPE]	= "rx_drop_bad_subtype", \
	[OMX_COUNTER_RX_DROP_OWN_MAC]		= "rx_drop_own_mac",	\
	[OMX_COUNTER_RX_DROP_BAD_HOSTNAME]	= "rx_drop_bad_hostname", \
	[OMX_COUNTER_RX_HOST_QUERY]		= "rx_host_query",	\
	[OMX_COUNTER_RX_HOST_REPLY]		= "rx_host_reply",	\
	[OMX_COUNTER_TX_HOST_QUERY]		= "tx_host_query",	\
	[OMX_COUNTER_TX_HOST_REPLY]		= "tx_host_reply",	\
	[OMX_COUNTER_TX_ERRORS]			= "tx_errors",		\
}

/* room in the ABI for counters added later without changing the layout */
#define OMX_COUNTERS_MAX	64
OMX_ABI_ASSERT(OMX_COUNTER_NR <= OMX_COUNTERS_MAX, "too many omx counters");

/*
 * ioctl commands.  Magic 0xC4 is unassigned in the kernel's
 * Documentation/userspace-api/ioctl/ioctl-number.rst (6.1).
 *
 * Every command except GET_ABI_VERSION and DECLARE_ABI_VERSION fails with
 * EPROTO until the file descriptor has declared OMX_ABI_VERSION, and keeps
 * failing with EPROTO after a mismatching declaration.  Unknown commands
 * fail with ENOTTY, unreadable/unwritable arguments with EFAULT.
 */
#define OMX_IOC_MAGIC		0xC4

/* out: __u32 driver ABI version.  Frozen: never renumber. */
#define OMX_CMD_GET_ABI_VERSION		_IOR(OMX_IOC_MAGIC, 0x00, __u32)
/* in: __u32 ABI version the caller was built for; EPROTO on mismatch */
#define OMX_CMD_DECLARE_ABI_VERSION	_IOW(OMX_IOC_MAGIC, 0x01, __u32)
/* out: __u32 number of attached boards (indexes may be sparse) */
#define OMX_CMD_GET_BOARD_COUNT		_IOR(OMX_IOC_MAGIC, 0x02, __u32)
/* in/out: struct omx_board_info; EINVAL index >= OMX_MAX_BOARDS, ENODEV empty slot */
#define OMX_CMD_GET_BOARD_INFO		_IOWR(OMX_IOC_MAGIC, 0x03, struct omx_board_info)
/* in/out: struct omx_board_counters; same index errors, EINVAL flags != 0 */
#define OMX_CMD_GET_COUNTERS		_IOWR(OMX_IOC_MAGIC, 0x04, struct omx_board_counters)
/* in: __u32 board index; EPERM without CAP_NET_ADMIN */
#define OMX_CMD_CLEAR_COUNTERS		_IOW(OMX_IOC_MAGIC, 0x05, __u32)
/*
 * in: struct omx_endpoint_open.  Binds this fd (/dev/omx only, ENOTTY on
 * /dev/omx-raw) to one endpoint until close(2).  EINVAL bad board or
 * endpoint index or non-zero flags/pad, ENODEV no board in that slot,
 * EBUSY endpoint open elsewhere, EISCONN this fd already has an endpoint.
 */
#define OMX_CMD_OPEN_ENDPOINT		_IOW(OMX_IOC_MAGIC, 0x10, struct omx_endpoint_open)
/* out: struct omx_endpoint_info of this fd's endpoint; ENOTCONN if none */
#define OMX_CMD_GET_ENDPOINT_INFO	_IOR(OMX_IOC_MAGIC, 0x11, struct omx_endpoint_info)

/* out: struct omx_peer_table_info */
#define OMX_CMD_GET_PEER_COUNT		_IOR(OMX_IOC_MAGIC, 0x20, struct omx_peer_table_info)
/*
 * in/out: struct omx_peer_info.  EINVAL peer_index >= the table size
 * (omx_peer_table_info.max), ENOENT no peer at that index (indexes may be
 * sparse: a board's peers leave the table when it is detached).
 */
#define OMX_CMD_GET_PEER_INFO		_IOWR(OMX_IOC_MAGIC, 0x21, struct omx_peer_info)
/*
 * in: __u32 board index.  Broadcasts a HOST_QUERY on that board; replies
 * fill the peer table asynchronously.  EPERM without CAP_NET_ADMIN, EINVAL
 * index >= OMX_MAX_BOARDS, ENODEV empty slot, ENETDOWN board down or
 * without link, ENOMEM/ENOBUFS the frame could not be sent.
 */
#define OMX_CMD_DISCOVER_PEERS		_IOW(OMX_IOC_MAGIC, 0x22, __u32)

/*
 * Once the board of an fd's endpoint is detached by force (or its
 * interface unregistered) the endpoint is dead: every command except the
 * two ABI ones fails with ENODEV on that fd.  close(2) still frees it.
 */

/* struct omx_board_info.status bits */
#define OMX_BOARD_STATUS_UP		0x1U	/* IFF_UP */
#define OMX_BOARD_STATUS_RUNNING	0x2U	/* IFF_RUNNING: up with link */
#define OMX_BOARD_STATUS_MTU_TOO_SMALL	0x4U	/* mtu < OMX_MTU_MIN (omx_wire.h) */

struct omx_board_info {
	__u32 board_index;		/* in */
	__u32 status;			/* OMX_BOARD_STATUS_* */
	__u32 mtu;
	__u32 ifindex;			/* in the initial network namespace */
	__u32 endpoint_count;		/* endpoints open now */
	__u32 endpoint_max;		/* valid endpoint indexes: 0..max-1 */
	__s32 numa_node;		/* -1 when unknown */
	__u32 pad0;
	__u8 mac[6];
	__u8 pad1[2];
	char ifname[OMX_IFNAMSIZ];		/* NUL-terminated */
	char hostname[OMX_HOSTNAMELEN_MAX];	/* NUL-terminated */
};

OMX_ABI_ASSERT(sizeof(struct omx_board_info) == 136, "omx_board_info layout");

struct omx_board_counters {
	__u32 board_index;		/* in */
	__u32 flags;			/* in: must be 0 */
	__u32 count;			/* out: valid entries, OMX_COUNTER_NR */
	__u32 pad;
	__u64 values[OMX_COUNTERS_MAX];	/* indexed by enum omx_counter_index */
};

OMX_ABI_ASSERT(sizeof(struct omx_board_counters) == 528, "omx_board_counters layout");

struct omx_endpoint_open {
	__u32 board_index;
	__u32 endpoint_index;
	__u32 flags;			/* must be 0 */
	__u32 pad;			/* must be 0 */
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_open) == 16, "omx_endpoint_open layout");

struct omx_endpoint_info {
	__u32 board_index;
	__u32 endpoint_index;
	__s32 owner_pid;		/* opener's thread group, in the caller's pid ns */
	__u32 pad;
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_info) == 16, "omx_endpoint_info layout");

/*
 * The peer table: hosts (board MAC addresses) heard on attached boards.
 * @refused counts, since load, the frames from an unknown host that could
 * not be recorded because the table was full (a host heard again counts
 * again); when it is not 0 the "peers" module parameter is too small.
 */
struct omx_peer_table_info {
	__u32 count;			/* peers in the table now */
	__u32 max;			/* table size: valid indexes 0..max-1 */
	__u64 refused;			/* new peers refused since load: table full */
};

OMX_ABI_ASSERT(sizeof(struct omx_peer_table_info) == 16, "omx_peer_table_info layout");

/* struct omx_peer_info.flags bits */
#define OMX_PEER_FLAG_HOSTNAME		0x1U	/* hostname known (HOST_REPLY seen) */

/* index of the peer meaning "not known" (OMX_PEER_INDEX_UNKNOWN on the wire) */
#define OMX_PEER_INDEX_NONE		0xffffU

struct omx_peer_info {
	__u32 peer_index;		/* in */
	__u32 board_index;		/* board it was last heard through */
	__u32 flags;			/* OMX_PEER_FLAG_* */
	__u32 reverse_index;		/* our index in its table, OMX_PEER_INDEX_NONE if unknown */
	__u8 mac[6];
	__u8 pad[2];
	char hostname[OMX_HOSTNAMELEN_MAX];	/* NUL-terminated, "" if unknown */
};

OMX_ABI_ASSERT(sizeof(struct omx_peer_info) == 104, "omx_peer_info layout");

#endif /* OMX_ABI_H */
