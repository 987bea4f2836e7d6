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
#define OMX_ABI_VERSION		0x107

/* misc devices, created as /dev/omx and /dev/omx-raw */
#define OMX_DEVICE_NAME		"omx"
#define OMX_RAW_DEVICE_NAME	"omx-raw"
#define OMX_DEVICE_PATH		"/dev/" OMX_DEVICE_NAME
#define OMX_RAW_DEVICE_PATH	"/dev/" OMX_RAW_DEVICE_NAME

/* message class limits, the same values as omx_wire.h (asserted there) */
#define OMX_ABI_TINY_MAX	32
#define OMX_ABI_SMALL_MAX	128
#define OMX_ABI_MEDIUM_MAX	32768
#define OMX_ABI_MEDIUM_FRAGS_MAX	32

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
 * Per-board counters.  Append only: an index is ABI.
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
	/* endpoint index >= the board's endpoint_max (NACKed) */
	OMX_COUNTER_RX_DROP_UNKNOWN_ENDPOINT	= 7,
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
	/* messaging frames, counted once accepted (rx) or handed to the board (tx) */
	OMX_COUNTER_RX_CONNECT			= 23,
	OMX_COUNTER_RX_TINY			= 24,
	OMX_COUNTER_RX_SMALL			= 25,
	OMX_COUNTER_RX_MEDIUM			= 26,
	OMX_COUNTER_RX_TRUC			= 27,
	OMX_COUNTER_RX_NACK_LIB			= 28,
	OMX_COUNTER_TX_CONNECT			= 29,
	OMX_COUNTER_TX_TINY			= 30,
	OMX_COUNTER_TX_SMALL			= 31,
	OMX_COUNTER_TX_MEDIUM			= 32,
	OMX_COUNTER_TX_TRUC			= 33,
	OMX_COUNTER_TX_NACK_LIB			= 34,
	/* a frame for an endpoint index that is valid but not open (NACKed) */
	OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED	= 35,
	/* session id does not match the open endpoint's (NACKed) */
	OMX_COUNTER_RX_DROP_BAD_SESSION		= 36,
	/* the endpoint's event ring was full: the sender will retransmit */
	OMX_COUNTER_RX_DROP_QUEUE_FULL		= 37,
	/* a NACK_LIB, TRUC or CONNECT reply nobody asked for: endpoint gone */
	OMX_COUNTER_RX_DROP_UNEXPECTED		= 38,
	/* frames between two endpoints of this host, not put on the wire */
	OMX_COUNTER_LOCAL_FRAMES		= 39,
	/* large messages (docs/module.md, "Large messages") */
	OMX_COUNTER_RX_RNDV			= 40,
	OMX_COUNTER_RX_PULL			= 41,
	OMX_COUNTER_RX_PULL_REPLY		= 42,
	OMX_COUNTER_RX_NOTIFY			= 43,
	OMX_COUNTER_RX_NACK_MCP			= 44,
	OMX_COUNTER_TX_RNDV			= 45,
	OMX_COUNTER_TX_PULL			= 46,
	OMX_COUNTER_TX_PULL_REPLY		= 47,
	OMX_COUNTER_TX_NOTIFY			= 48,
	OMX_COUNTER_TX_NACK_MCP			= 49,
	/* PULL for a region that is not registered (any more): NACK_MCP BAD_RDMAWIN */
	OMX_COUNTER_RX_DROP_BAD_RDMAWIN		= 50,
	/* PULL_REPLY for no pull in progress, an old one, or a frame already had */
	OMX_COUNTER_RX_DROP_STALE_PULL_REPLY	= 51,
	/*
	 * PULLs sent again for replies the pull's round trip timer found
	 * late (a lost tail or PULL); ABI index of the former pull_resent
	 */
	OMX_COUNTER_PULL_TIMEOUT_RESENT		= 52,
	/* pulls ended with an error (timeout, NACK_MCP, endpoint closed) */
	OMX_COUNTER_PULL_FAILED			= 53,
	/* large messages copied between two endpoints of this host, no wire */
	OMX_COUNTER_SHARED_PULLS		= 54,
	/* HOST_QUERYs recorded but not answered: over the per-board rate limit */
	OMX_COUNTER_HOST_QUERY_UNANSWERED	= 55,
	/*
	 * wire frames naming an endpoint that arrived, on a multiqueue
	 * board, on the rx queue the endpoint hash gives / on another one
	 */
	OMX_COUNTER_RX_STEER_HASHED		= 56,
	OMX_COUNTER_RX_STEER_MISPLACED		= 57,
	/* PULLs sent again at once for replies a later reply showed lost */
	OMX_COUNTER_PULL_FAST_RESENT		= 58,
	/* times a pull waited for room in its peer's reply window */
	OMX_COUNTER_PULL_WINDOW_STALLS		= 59,
	/*
	 * frames without a session (CONNECT, NACK_LIB) for an open endpoint
	 * dropped over the per-source rate (connect_rate/connect_burst)
	 */
	OMX_COUNTER_RX_DROP_RATE_LIMITED	= 60,
	/* NACK_LIBs the driver did not send: over the per-board rate limit */
	OMX_COUNTER_NACK_LIB_UNSENT		= 61,
	/*
	 * PULLs (wire or inside the host) for a registered region that were
	 * not from the endpoint its last RNDV was sent to, or carried a wrong
	 * token: refused like an unknown region (docs/security.md)
	 */
	OMX_COUNTER_PULL_DENIED			= 62,
	/*
	 * PULLs sent again by a tail-loss probe: no reply for two round
	 * trips, before the retransmission timeout (docs/wire.md)
	 */
	OMX_COUNTER_PULL_PROBE_RESENT		= 63,
	/*
	 * Receive-copy offload (docs/dma.md), counted on the board of the
	 * pulling endpoint.  DMA_COPIES: PULL_REPLY payloads the DMA channel
	 * copied in whole; DMA_BYTES: bytes the channel copied (every
	 * descriptor that completed without error); DMA_FALLBACKS: payloads
	 * meant for the channel that the CPU copied, in whole or in part.
	 */
	OMX_COUNTER_DMA_COPIES			= 64,
	OMX_COUNTER_DMA_BYTES			= 65,
	OMX_COUNTER_DMA_FALLBACKS		= 66,
	/*
	 * Why the CPU copied, one count per payload or per descriptor: dma=1
	 * without a channel; no memory for the copy's state; not splittable
	 * (the skb's frag list, or too many chunks); refused by the channel
	 * (alignment, mapping, descriptor, submit); failed by the engine
	 */
	OMX_COUNTER_DMA_FALLBACK_NO_CHANNEL	= 67,
	OMX_COUNTER_DMA_FALLBACK_NO_MEMORY	= 68,
	OMX_COUNTER_DMA_FALLBACK_UNSPLIT	= 69,
	OMX_COUNTER_DMA_FALLBACK_REFUSED	= 70,
	OMX_COUNTER_DMA_FALLBACK_FAILED		= 71,
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
	[OMX_COUNTER_RX_CONNECT]		= "rx_connect",		\
	[OMX_COUNTER_RX_TINY]			= "rx_tiny",		\
	[OMX_COUNTER_RX_SMALL]			= "rx_small",		\
	[OMX_COUNTER_RX_MEDIUM]			= "rx_medium",		\
	[OMX_COUNTER_RX_TRUC]			= "rx_truc",		\
	[OMX_COUNTER_RX_NACK_LIB]		= "rx_nack_lib",	\
	[OMX_COUNTER_TX_CONNECT]		= "tx_connect",		\
	[OMX_COUNTER_TX_TINY]			= "tx_tiny",		\
	[OMX_COUNTER_TX_SMALL]			= "tx_small",		\
	[OMX_COUNTER_TX_MEDIUM]			= "tx_medium",		\
	[OMX_COUNTER_TX_TRUC]			= "tx_truc",		\
	[OMX_COUNTER_TX_NACK_LIB]		= "tx_nack_lib",	\
	[OMX_COUNTER_RX_DROP_ENDPOINT_CLOSED]	= "rx_drop_endpoint_closed", \
	[OMX_COUNTER_RX_DROP_BAD_SESSION]	= "rx_drop_bad_session", \
	[OMX_COUNTER_RX_DROP_QUEUE_FULL]	= "rx_drop_queue_full",	\
	[OMX_COUNTER_RX_DROP_UNEXPECTED]	= "rx_drop_unexpected",	\
	[OMX_COUNTER_LOCAL_FRAMES]		= "local_frames",	\
	[OMX_COUNTER_RX_RNDV]			= "rx_rndv",		\
	[OMX_COUNTER_RX_PULL]			= "rx_pull",		\
	[OMX_COUNTER_RX_PULL_REPLY]		= "rx_pull_reply",	\
	[OMX_COUNTER_RX_NOTIFY]			= "rx_notify",		\
	[OMX_COUNTER_RX_NACK_MCP]		= "rx_nack_mcp",	\
	[OMX_COUNTER_TX_RNDV]			= "tx_rndv",		\
	[OMX_COUNTER_TX_PULL]			= "tx_pull",		\
	[OMX_COUNTER_TX_PULL_REPLY]		= "tx_pull_reply",	\
	[OMX_COUNTER_TX_NOTIFY]			= "tx_notify",		\
	[OMX_COUNTER_TX_NACK_MCP]		= "tx_nack_mcp",	\
	[OMX_COUNTER_RX_DROP_BAD_RDMAWIN]	= "rx_drop_bad_rdmawin", \
	[OMX_COUNTER_RX_DROP_STALE_PULL_REPLY]	= "rx_drop_stale_pull_reply", \
	[OMX_COUNTER_PULL_TIMEOUT_RESENT]	= "pull_timeout_resent", \
	[OMX_COUNTER_PULL_FAILED]		= "pull_failed",	\
	[OMX_COUNTER_SHARED_PULLS]		= "shared_pulls",	\
	[OMX_COUNTER_HOST_QUERY_UNANSWERED]	= "host_query_unanswered", \
	[OMX_COUNTER_RX_STEER_HASHED]		= "rx_steer_hashed",	\
	[OMX_COUNTER_RX_STEER_MISPLACED]	= "rx_steer_misplaced",	\
	[OMX_COUNTER_PULL_FAST_RESENT]		= "pull_fast_resent",	\
	[OMX_COUNTER_PULL_WINDOW_STALLS]	= "pull_window_stalls",	\
	[OMX_COUNTER_RX_DROP_RATE_LIMITED]	= "rx_drop_rate_limited", \
	[OMX_COUNTER_NACK_LIB_UNSENT]		= "nack_lib_unsent",	\
	[OMX_COUNTER_PULL_DENIED]		= "pull_denied",	\
	[OMX_COUNTER_PULL_PROBE_RESENT]		= "pull_probe_resent",	\
	[OMX_COUNTER_DMA_COPIES]		= "dma_copies",		\
	[OMX_COUNTER_DMA_BYTES]			= "dma_bytes",		\
	[OMX_COUNTER_DMA_FALLBACKS]		= "dma_fallbacks",	\
	[OMX_COUNTER_DMA_FALLBACK_NO_CHANNEL]	= "dma_fallback_no_channel", \
	[OMX_COUNTER_DMA_FALLBACK_NO_MEMORY]	= "dma_fallback_no_memory", \
	[OMX_COUNTER_DMA_FALLBACK_UNSPLIT]	= "dma_fallback_unsplit", \
	[OMX_COUNTER_DMA_FALLBACK_REFUSED]	= "dma_fallback_refused", \
	[OMX_COUNTER_DMA_FALLBACK_FAILED]	= "dma_fallback_failed", \
}

/*
 * Room in the ABI for counters added later without changing the layout
 * (64 until ABI 0x106, when the table was full)
 */
#define OMX_COUNTERS_MAX	128
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
/* out: struct omx_driver_info (module-wide figures) */
#define OMX_CMD_GET_DRIVER_INFO		_IOR(OMX_IOC_MAGIC, 0x06, struct omx_driver_info)
/*
 * in: struct omx_board_hostname.  Renames a board and announces the new
 * name to the peers heard through it (unsolicited HOST_REPLY).  EPERM
 * without CAP_NET_ADMIN, EINVAL bad index, non-zero pad, or a name that
 * is empty, not NUL-terminated or not printable, ENODEV empty slot.
 */
#define OMX_CMD_SET_HOSTNAME		_IOW(OMX_IOC_MAGIC, 0x07, struct omx_board_hostname)
/*
 * in/out: struct omx_endpoint_slot.  Who holds endpoint slot (board,
 * index).  Any user learns whether a slot is open; its owner (pid,
 * command) only the owner's euid and CAP_NET_ADMIN, others get
 * OMX_ENDPOINT_SLOT_HIDDEN; the session only CAP_NET_ADMIN.  EINVAL
 * board >= OMX_MAX_BOARDS or index >= the board's endpoint_max, ENODEV
 * empty board slot.  A free slot is not an error: flags lacks
 * OMX_ENDPOINT_SLOT_OPEN.
 */
#define OMX_CMD_GET_ENDPOINT_SLOT	_IOWR(OMX_IOC_MAGIC, 0x14, struct omx_endpoint_slot)
/*
 * in/out: struct omx_board_queues.  The receive queues of board
 * board_index: each queue's IRQ and the CPUs it is delivered to, read
 * afresh at each call, and the steering mode in force (docs/multiqueue.md).
 * Any user.  EINVAL bad index or non-zero pad, ENODEV empty board slot.
 */
#define OMX_CMD_GET_BOARD_QUEUES	_IOWR(OMX_IOC_MAGIC, 0x08, struct omx_board_queues)
/*
 * in/out: struct omx_endpoint_steering.  Where the frames of endpoint
 * (board_index, endpoint_index) should be processed (queue, IRQ, CPUs)
 * and where they were (per-CPU receive counters since the endpoint was
 * opened).  EINVAL bad indexes or non-zero pad, ENODEV empty board slot,
 * ENOENT no endpoint open in that slot, EPERM the caller neither has the
 * opener's effective uid nor CAP_NET_ADMIN.
 */
#define OMX_CMD_GET_ENDPOINT_STEERING	_IOWR(OMX_IOC_MAGIC, 0x15, struct omx_endpoint_steering)
/*
 * in: struct omx_endpoint_open.  Binds this fd (/dev/omx only, ENOTTY on
 * /dev/omx-raw) to one endpoint until close(2).  EINVAL bad board or
 * endpoint index or unknown flags or non-zero pad, ENODEV no board in that slot,
 * EBUSY endpoint open elsewhere, EISCONN this fd already has an endpoint.
 */
#define OMX_CMD_OPEN_ENDPOINT		_IOW(OMX_IOC_MAGIC, 0x10, struct omx_endpoint_open)
/* out: struct omx_endpoint_info of this fd's endpoint; ENOTCONN if none */
#define OMX_CMD_GET_ENDPOINT_INFO	_IOR(OMX_IOC_MAGIC, 0x11, struct omx_endpoint_info)
/*
 * in/out: struct omx_wait.  Sleeps until one of the endpoint's event
 * rings holds an event beyond the consumer indexes given, a wakeup is
 * pending, the timeout expires or a signal arrives (EINTR).  Returns at
 * once if the condition already holds.  ENOTCONN without an endpoint.
 */
#define OMX_CMD_WAIT_EVENT		_IOWR(OMX_IOC_MAGIC, 0x12, struct omx_wait)
/* no argument: wakes every sleeper of WAIT_EVENT on this endpoint (mx_wakeup) */
#define OMX_CMD_WAKEUP			_IO(OMX_IOC_MAGIC, 0x13)

/*
 * Send commands.  The frame is built from the argument and the fd's
 * endpoint (source endpoint index) and handed to the board at once; the
 * payload is copied from user memory before the ioctl returns, so the
 * buffer may be reused immediately.  A frame for the sending board's own
 * MAC address (another endpoint of the same board) is delivered without
 * the wire and counted as local_frames; frames to other boards, even of
 * this host, go out on the wire.  Errors:
 * ENOTCONN no endpoint, EINVAL bad length/index/pad, ENOENT no peer at
 * peer_index, EFAULT bad data pointer, ENETDOWN board down or without
 * link, EMSGSIZE frame larger than the board's MTU, ENOBUFS/ENOMEM the
 * frame could not be allocated or queued.
 */
#define OMX_CMD_SEND_CONNECT		_IOW(OMX_IOC_MAGIC, 0x30, struct omx_cmd_send_connect)
#define OMX_CMD_SEND_TINY		_IOW(OMX_IOC_MAGIC, 0x31, struct omx_cmd_send_msg)
#define OMX_CMD_SEND_SMALL		_IOW(OMX_IOC_MAGIC, 0x32, struct omx_cmd_send_msg)
#define OMX_CMD_SEND_MEDIUM_FRAG	_IOW(OMX_IOC_MAGIC, 0x33, struct omx_cmd_send_msg)
#define OMX_CMD_SEND_LIBACK		_IOW(OMX_IOC_MAGIC, 0x34, struct omx_cmd_send_liback)
#define OMX_CMD_SEND_NACK_LIB		_IOW(OMX_IOC_MAGIC, 0x35, struct omx_cmd_send_nack_lib)
/*
 * RNDV: ENOENT if the region is not registered with that seqnum, EINVAL
 * msg_length > its length; a 0-byte RNDV names no region (none checked,
 * nothing granted).  Any other RNDV grants its addressee (peer and
 * endpoint) the right to pull the region, with a fresh random token
 * (docs/security.md); it replaces the region's previous grant.
 */
#define OMX_CMD_SEND_RNDV		_IOW(OMX_IOC_MAGIC, 0x36, struct omx_cmd_send_rndv)
#define OMX_CMD_SEND_NOTIFY		_IOW(OMX_IOC_MAGIC, 0x37, struct omx_cmd_send_notify)

/*
 * Memory registration (large messages).  A region is up to
 * OMX_REGION_SEGMENTS_MAX user buffers pinned with pin_user_pages; its
 * id (0..OMX_REGIONS_MAX-1) is chosen by the library, its seqnum by the
 * driver (it changes at every registration of the same id, so that a
 * PULL naming an older registration is refused).  Pinned pages are
 * charged to the process like mlock (RLIMIT_MEMLOCK, unless
 * CAP_IPC_LOCK).  REGISTER: EINVAL bad id/flags/pad/segment (zero
 * length, too many, total > OMX_LARGE_MAX), EBUSY id in use, EFAULT
 * bad pointer or unmapped memory, ENOMEM over RLIMIT_MEMLOCK or out of
 * memory, EOPNOTSUPP a writable region on a shared mapping of a file
 * whose pages are written back (its page cache pages cannot be pinned
 * for writing).  DEREGISTER: ENOENT id not registered; pulls in progress keep
 * their pages pinned until they end.
 */
#define OMX_CMD_REGISTER_REGION		_IOWR(OMX_IOC_MAGIC, 0x40, struct omx_cmd_region)
/* in: __u32 region id */
#define OMX_CMD_DEREGISTER_REGION	_IOW(OMX_IOC_MAGIC, 0x41, __u32)
/*
 * in: struct omx_cmd_pull.  Starts pulling @length bytes of the remote
 * region (named by a RNDV) into the local region; returns at once, the
 * end is reported by an OMX_EVT_PULL_DONE event on the expected ring
 * carrying @cookie.  EINVAL bad fields or ranges, ENOENT local region
 * not registered or peer unknown, EBUSY OMX_PULLS_MAX pulls already in
 * progress on this endpoint, ENETDOWN board down.
 */
#define OMX_CMD_PULL			_IOW(OMX_IOC_MAGIC, 0x42, struct omx_cmd_pull)

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
 * in/out: struct omx_peer_lookup.  Finds a peer by MAC address or by
 * hostname and returns its index; with OMX_PEER_LOOKUP_CREATE a MAC not
 * in the table is added: any user may add the MAC of one of this host's
 * boards, any other MAC needs CAP_NET_ADMIN (EPERM).  Found through an
 * endpoint's fd, the peer stays in the table while the endpoint is open
 * (learned peers age out otherwise: "peer_age" module parameter).
 * ENOENT not found, ENOSPC table full, EINVAL bad flags, zero/multicast
 * MAC or hostname not NUL-terminated.
 */
#define OMX_CMD_PEER_LOOKUP		_IOWR(OMX_IOC_MAGIC, 0x23, struct omx_peer_lookup)
/*
 * in: struct omx_cmd_set_peers.  Loads a static peer table, all or
 * nothing: every entry is checked and room is made sure of before the
 * first one is added.  A MAC already in the table keeps its index and
 * takes the entry's hostname and board.  With OMX_SET_PEERS_REPLACE the
 * table is emptied first, in the same step.  EPERM without
 * CAP_NET_ADMIN, EINVAL bad flags/pad/entry (zero or group MAC, bad
 * hostname, a MAC twice) or nr_peers 0, ENODEV an entry's board is not
 * attached, ENOSPC the table cannot hold them (nothing added), EFAULT
 * unreadable array, ENOMEM.
 */
#define OMX_CMD_SET_PEERS		_IOW(OMX_IOC_MAGIC, 0x24, struct omx_cmd_set_peers)
/*
 * in: __u32 board index, or OMX_PEERS_ALL_BOARDS.  Removes the peers heard
 * through that board (every peer).  EPERM without CAP_NET_ADMIN, EINVAL
 * index >= OMX_MAX_BOARDS and not OMX_PEERS_ALL_BOARDS.
 */
#define OMX_CMD_CLEAR_PEERS		_IOW(OMX_IOC_MAGIC, 0x25, __u32)

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

OMX_ABI_ASSERT(sizeof(struct omx_board_counters) == 1040, "omx_board_counters layout");

struct omx_board_hostname {
	__u32 board_index;
	__u32 pad;			/* must be 0 */
	char hostname[OMX_HOSTNAMELEN_MAX];	/* non-empty, printable, NUL-terminated */
};

OMX_ABI_ASSERT(sizeof(struct omx_board_hostname) == 88, "omx_board_hostname layout");

/*
 * struct omx_endpoint_open.flags bits.  NO_SHARED: frames and pulls for
 * another board of this host go through the wire instead of being
 * delivered or copied inside the host (the library sets it for
 * OMX_DISABLE_SHARED=1).  Another endpoint of the same board is always
 * reached inside the host: a board has no wire to itself.
 */
#define OMX_ENDPOINT_OPEN_NO_SHARED	0x1U

struct omx_endpoint_open {
	__u32 board_index;
	__u32 endpoint_index;
	__u32 flags;			/* OMX_ENDPOINT_OPEN_*, others EINVAL */
	__u32 pad;			/* must be 0 */
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_open) == 16, "omx_endpoint_open layout");

struct omx_endpoint_info {
	__u32 board_index;
	__u32 endpoint_index;
	__s32 owner_pid;		/* opener's thread group, in the caller's pid ns */
	/*
	 * Random at open, never 0: every TINY/SMALL/MEDIUM/TRUC frame sent
	 * to this endpoint must carry it, so frames meant for an earlier
	 * opener of the same index are refused (NACK BAD_SESSION).
	 */
	__u32 session_id;
	__u32 mtu;			/* the board's MTU when the endpoint was opened */
	__u32 pad;
	__u8 mac[6];			/* the board's MAC address */
	__u8 pad1[2];
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_info) == 32, "omx_endpoint_info layout");

/* struct omx_endpoint_slot.flags bits */
#define OMX_ENDPOINT_SLOT_OPEN		0x1U	/* an endpoint is open in this slot */
/* open by another user: owner_pid and comm withheld (caller not owner nor admin) */
#define OMX_ENDPOINT_SLOT_HIDDEN	0x2U

/* same value as the kernel's TASK_COMM_LEN, including the trailing NUL */
#define OMX_COMMLEN			16

struct omx_endpoint_slot {
	__u32 board_index;		/* in */
	__u32 endpoint_index;		/* in */
	__u32 flags;			/* out: OMX_ENDPOINT_SLOT_* */
	/*
	 * out, 0 unless open and visible: opener's thread group in the
	 * caller's pid ns (0 if not in it).  Visible means the caller's
	 * file was opened by the endpoint owner's euid or with CAP_NET_ADMIN.
	 */
	__s32 owner_pid;
	/* out, 0 unless open and the caller has CAP_NET_ADMIN: frames need it */
	__u32 session_id;
	__u32 pad;
	/* out: opener's command at open, "" unless open and visible */
	char comm[OMX_COMMLEN];
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_slot) == 40, "omx_endpoint_slot layout");

/*
 * Receive steering (docs/multiqueue.md).  The mode says who puts the
 * frames of an endpoint on the CPU that serves it:
 */
enum omx_steer_mode {
	OMX_STEER_MODE_NONE	= 0,	/* nobody: frames land on any queue */
	OMX_STEER_MODE_NIC	= 1,	/* the NIC hashes endpoints onto its rx queues */
	OMX_STEER_MODE_XDP	= 2,	/* omx's XDP program redirects to the endpoint's CPU */
};

/* why the driver believes the mode it reports (struct omx_board_queues.mode_source) */
enum omx_steer_source {
	OMX_STEER_SRC_SINGLE_QUEUE	= 0,	/* none: one rx queue */
	OMX_STEER_SRC_NO_EVIDENCE	= 1,	/* none: no frame with an endpoint seen yet */
	OMX_STEER_SRC_MISPLACED		= 2,	/* none: frames arrived off their hashed queue */
	OMX_STEER_SRC_OBSERVED		= 3,	/* nic: every frame arrived on its hashed queue */
	OMX_STEER_SRC_MYRI10GE		= 4,	/* nic: myri10ge says its firmware hashes */
	OMX_STEER_SRC_XDP_PROG		= 5,	/* xdp: omx_xdp_steer is attached */
};

/* rx queues reported per board; CPUs covered by masks and per-CPU counters */
#define OMX_QUEUES_MAX		64
#define OMX_CPUS_MAX		256
#define OMX_CPUMASK_WORDS	(OMX_CPUS_MAX / 64)
#define OMX_IRQ_NAMELEN		32

struct omx_queue_info {
	__s32 irq;			/* -1 when no IRQ could be matched to the queue */
	__u32 pad;
	__u64 cpus[OMX_CPUMASK_WORDS];	/* CPUs the IRQ is delivered to (bit N = CPU N) */
	char irq_name[OMX_IRQ_NAMELEN];	/* the IRQ handler's name, "" if none */
};

OMX_ABI_ASSERT(sizeof(struct omx_queue_info) == 72, "omx_queue_info layout");

struct omx_board_queues {
	__u32 board_index;		/* in */
	__u32 mode;			/* out: enum omx_steer_mode */
	__u32 mode_source;		/* out: enum omx_steer_source */
	__u32 nr_queues;		/* out: rx queues in use */
	__u32 nr_reported;		/* out: entries of queues[] filled */
	__u32 pad;
	/*
	 * out: wire frames that named an endpoint, since the queue count
	 * last changed or the board's counters were cleared, that arrived
	 * on queue omx_steer_queue(endpoint, nr_queues) / on another queue
	 */
	__u64 hashed_frames;
	__u64 misplaced_frames;
	struct omx_queue_info queues[OMX_QUEUES_MAX];
};

OMX_ABI_ASSERT(sizeof(struct omx_board_queues) == 40 + 72 * OMX_QUEUES_MAX,
	       "omx_board_queues layout");

struct omx_endpoint_steering {
	__u32 board_index;		/* in */
	__u32 endpoint_index;		/* in */
	__u32 mode;			/* out: enum omx_steer_mode of the board */
	__u32 queue;			/* out: rx queue (nic) or CPU slot (xdp) serving it */
	__s32 irq;			/* out: that queue's IRQ, -1 if none or unknown */
	__u32 nr_cpus;			/* out: entries of the per-CPU arrays that are CPUs */
	__u64 cpus[OMX_CPUMASK_WORDS];	/* out: CPUs that should process its frames */
	/* out: wire frames (and their bytes) of this endpoint processed on each CPU */
	__u64 rx_frames[OMX_CPUS_MAX];
	__u64 rx_bytes[OMX_CPUS_MAX];
};

OMX_ABI_ASSERT(sizeof(struct omx_endpoint_steering) == 56 + 16 * OMX_CPUS_MAX,
	       "omx_endpoint_steering layout");

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

/* struct omx_peer_lookup.flags bits */
#define OMX_PEER_LOOKUP_BY_HOSTNAME	0x1U	/* match hostname, not mac */
#define OMX_PEER_LOOKUP_CREATE		0x2U	/* by MAC: add it if missing */

struct omx_peer_lookup {
	__u32 flags;			/* in: OMX_PEER_LOOKUP_* */
	__u32 peer_index;		/* out */
	__u8 mac[6];			/* in (by MAC) or out (by hostname) */
	__u8 pad[2];
	char hostname[OMX_HOSTNAMELEN_MAX];	/* in (by hostname) or out, "" if unknown */
};

OMX_ABI_ASSERT(sizeof(struct omx_peer_lookup) == 96, "omx_peer_lookup layout");

/* One static peer (OMX_CMD_SET_PEERS). */
struct omx_peer_entry {
	__u8 mac[6];			/* unicast, not zero */
	__u8 pad[2];			/* must be 0 */
	__u32 board_index;		/* local board it is reached through */
	char hostname[OMX_HOSTNAMELEN_MAX];	/* non-empty, printable, NUL-terminated */
	__u32 pad1;			/* must be 0 */
};

OMX_ABI_ASSERT(sizeof(struct omx_peer_entry) == 96, "omx_peer_entry layout");

/* struct omx_cmd_set_peers.flags bits */
#define OMX_SET_PEERS_REPLACE		0x1U	/* empty the table first */

struct omx_cmd_set_peers {
	__u32 nr_peers;			/* 1..the table size */
	__u32 flags;			/* OMX_SET_PEERS_* */
	__u64 peers;			/* user address of struct omx_peer_entry[nr_peers] */
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_set_peers) == 16, "omx_cmd_set_peers layout");

/* OMX_CMD_CLEAR_PEERS argument: every board */
#define OMX_PEERS_ALL_BOARDS		0xffffffffU

/*
 * Shared rings.
 *
 * mmap(2) of an endpoint fd at offset 0 and length OMX_ENDPOINT_MMAP_LEN,
 * PROT_READ|PROT_WRITE, MAP_SHARED, gives the regions below; other
 * offsets or lengths fail with EINVAL, an fd without an endpoint with
 * ENOTCONN.  The driver produces, the library consumes.  The driver
 * never reads anything but the consumer indexes back, and treats them
 * as untrusted hints: a bogus value only makes the ring look full.
 *
 * Protocol for each event ring: the driver writes event slot
 * (prod % N), then publishes prod + 1 with a release store; the
 * library reads prod with an acquire load, handles slots cons..prod-1,
 * and then stores cons with a release store.  Indexes are free-running
 * __u32 counters (they wrap); the ring is full when prod - cons == N.
 *
 * Unexpected-event slot i owns receive-ring slot i (OMX_RECVQ_SLOT_LEN
 * bytes at OMX_RECVQ_OFFSET + i * OMX_RECVQ_SLOT_LEN): a SMALL payload or
 * MEDIUM fragment is there until the library advances unexp cons past
 * the event.
 */
#define OMX_EXP_EVENTS			512	/* expected ring slots */
#define OMX_UNEXP_EVENTS		512	/* unexpected ring slots */
#define OMX_EVENT_LEN			64
#define OMX_RECVQ_SLOT_LEN		8192	/* >= the largest medium fragment */

#define OMX_CTRL_OFFSET			0
#define OMX_CTRL_LEN			4096
#define OMX_EXP_EVENTQ_OFFSET		(OMX_CTRL_OFFSET + OMX_CTRL_LEN)
#define OMX_EXP_EVENTQ_LEN		(OMX_EXP_EVENTS * OMX_EVENT_LEN)
#define OMX_UNEXP_EVENTQ_OFFSET		(OMX_EXP_EVENTQ_OFFSET + OMX_EXP_EVENTQ_LEN)
#define OMX_UNEXP_EVENTQ_LEN		(OMX_UNEXP_EVENTS * OMX_EVENT_LEN)
#define OMX_RECVQ_OFFSET		(OMX_UNEXP_EVENTQ_OFFSET + OMX_UNEXP_EVENTQ_LEN)
#define OMX_RECVQ_LEN			(OMX_UNEXP_EVENTS * OMX_RECVQ_SLOT_LEN)
#define OMX_ENDPOINT_MMAP_LEN		(OMX_RECVQ_OFFSET + OMX_RECVQ_LEN)

OMX_ABI_ASSERT(OMX_EXP_EVENTQ_LEN % 4096 == 0, "rings are page-aligned");
OMX_ABI_ASSERT(OMX_UNEXP_EVENTQ_LEN % 4096 == 0, "rings are page-aligned");

/* The control page at OMX_CTRL_OFFSET. */
struct omx_ring_ctrl {
	__u32 exp_prod;			/* driver writes */
	__u32 unexp_prod;		/* driver writes */
	__u32 pad0[14];			/* keep the two writers on separate cache lines */
	__u32 exp_cons;			/* library writes */
	__u32 unexp_cons;		/* library writes */
	__u32 pad1[14];
	/* events dropped because the ring was full, driver writes */
	__u32 exp_dropped;
	__u32 unexp_dropped;
	__u32 pad2[14];
	/*
	 * Driver writes: region_invalid[id] becomes 1 when memory of
	 * registered region @id is unmapped or remapped (mmu notifier), 0
	 * at registration.  The library's registration cache checks it
	 * before reusing a registration: a freed and reallocated buffer
	 * gets registered again, so the new pages are sent.
	 */
	__u8 region_invalid[256];
};

OMX_ABI_ASSERT(sizeof(struct omx_ring_ctrl) == 448, "omx_ring_ctrl layout");

/*
 * Events, OMX_EVENT_LEN bytes each, published by the producer index
 * (never by the type byte).  Expected ring:
 * answers to this endpoint's own frames (CONNECT replies, acks,
 * NACKs).  Unexpected ring: what peers start (CONNECT requests, TINY,
 * SMALL, MEDIUM).  @peer_index is the sender's index in this host's
 * peer table (use it to answer); @src_endpoint its endpoint index.
 */
enum omx_event_type {
	OMX_EVT_NONE			= 0,
	OMX_EVT_RECV_CONNECT_REQUEST	= 1,	/* unexpected ring */
	OMX_EVT_RECV_CONNECT_REPLY	= 2,	/* expected ring */
	OMX_EVT_RECV_TINY		= 3,	/* unexpected ring, data inline */
	OMX_EVT_RECV_SMALL		= 4,	/* unexpected ring, data in recvq slot */
	OMX_EVT_RECV_MEDIUM_FRAG	= 5,	/* unexpected ring, data in recvq slot */
	OMX_EVT_RECV_LIBACK		= 6,	/* expected ring */
	OMX_EVT_RECV_NACK_LIB		= 7,	/* expected ring */
	OMX_EVT_RECV_RNDV		= 8,	/* unexpected ring */
	OMX_EVT_RECV_NOTIFY		= 9,	/* expected ring */
	OMX_EVT_PULL_DONE		= 10,	/* expected ring, a pull of ours ended */
	OMX_EVT_NR
};

/* Fields of TINY/SMALL/MEDIUM events, as sent (see omx_cmd_send_msg). */
struct omx_evt_msg {
	__u64 match_info;
	__u16 seqnum;
	__u16 piggyack;
	__u32 length;			/* TINY/SMALL: payload; MEDIUM: whole message */
	__u16 frag_length;		/* MEDIUM only */
	__u8 frag_seqnum;		/* MEDIUM only */
	__u8 pad0;
	__u32 recvq_slot;		/* SMALL/MEDIUM: receive-ring slot (== event slot) */
	__u8 data[OMX_ABI_TINY_MAX];	/* TINY only */
};

struct omx_evt_connect {
	__u32 src_session_id;
	__u32 app_key;			/* request */
	__u32 target_session_id;	/* reply */
	__u16 target_recv_seqnum_start;
	__u8 connect_seqnum;
	__u8 status;			/* reply */
	__u8 src_generation;
	__u8 pad[3];
};

struct omx_evt_liback {
	__u32 acknum;
	__u16 lib_seqnum;		/* acks every seqnum before this one */
	__u16 send_seq;
	__u8 resent;
	__u8 pad[3];
};

struct omx_evt_nack_lib {
	__u16 lib_seqnum;		/* seqnum of the refused frame */
	__u8 nack_type;			/* enum omx_nack_type (omx_wire.h) */
	__u8 pad;
};

struct omx_evt_rndv {
	__u64 match_info;
	__u16 seqnum;
	__u16 piggyack;
	__u32 msg_length;
	__u8 rdma_id;
	__u8 rdma_seqnum;
	__u16 rdma_offset;		/* the pull token's low 16 bits (0 from Open-MX) */
	__u32 token_hi;			/* its high 32 bits (0 from Open-MX) */
};

struct omx_evt_notify {
	__u16 seqnum;
	__u16 piggyack;
	__u32 total_length;
	__u8 rdma_id;
	__u8 rdma_seqnum;
	__u8 pad[2];
};

struct omx_evt_pull_done {
	__u64 cookie;			/* from struct omx_cmd_pull */
	__u32 status;			/* enum omx_pull_status */
	__u32 length;			/* bytes pulled (all of them when OK) */
	__u32 local_region_id;
	__u32 pad;
};

struct omx_event {
	__u16 peer_index;
	__u8 src_endpoint;
	__u8 type;			/* enum omx_event_type */
	__u32 pad;
	union {
		struct omx_evt_msg msg;
		struct omx_evt_connect connect;
		struct omx_evt_liback liback;
		struct omx_evt_nack_lib nack_lib;
		struct omx_evt_rndv rndv;
		struct omx_evt_notify notify;
		struct omx_evt_pull_done pull_done;
		__u8 raw[OMX_EVENT_LEN - 8];
	};
};

OMX_ABI_ASSERT(sizeof(struct omx_event) == OMX_EVENT_LEN, "omx_event layout");

/*
 * Send command arguments.  @peer_index is the destination's index in
 * this host's peer table (OMX_CMD_PEER_LOOKUP), @dst_endpoint its
 * endpoint index, @session the destination endpoint's session id.  Pads
 * must be 0 (EINVAL).  The driver fills in the source endpoint and the
 * head's peer index.
 */
struct omx_cmd_send_msg {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 frag_seqnum;		/* MEDIUM: fragment index < OMX_ABI_MEDIUM_FRAGS_MAX */
	__u32 session;
	__u16 seqnum;
	__u16 piggyack;
	/*
	 * TINY <= 32, SMALL <= 128: payload bytes; MEDIUM: this fragment's
	 * bytes, 1..the board's fragment size (8192 at MTU 9000).
	 */
	__u32 length;
	__u32 msg_length;		/* MEDIUM: whole message, <= 32768; else 0 */
	__u32 pad;
	__u64 match_info;
	__u64 data;			/* user address of the payload */
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_msg) == 40, "omx_cmd_send_msg layout");

struct omx_cmd_send_connect {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 is_reply;			/* 0 request, 1 reply */
	__u32 src_session_id;		/* the sender's own session id */
	__u32 app_key;			/* request only, else 0 */
	__u32 target_session_id;	/* reply only, else 0 */
	__u16 target_recv_seqnum_start;
	__u8 connect_seqnum;
	__u8 status;			/* reply only, OMX_CONNECT_STATUS_* */
	__u32 pad;
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_connect) == 24, "omx_cmd_send_connect layout");

struct omx_cmd_send_liback {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 resent;
	__u32 session;			/* the destination's session id */
	__u32 acknum;
	__u16 lib_seqnum;		/* acks every seqnum before this one */
	__u16 send_seq;
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_liback) == 16, "omx_cmd_send_liback layout");

struct omx_cmd_send_nack_lib {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 nack_type;			/* enum omx_nack_type, 1..4 */
	__u16 lib_seqnum;
	__u16 pad;
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_nack_lib) == 8, "omx_cmd_send_nack_lib layout");

/* struct omx_wait.status */
#define OMX_WAIT_EVENT			0	/* an event is there */
#define OMX_WAIT_TIMEOUT		1
#define OMX_WAIT_WAKEUP			2	/* OMX_CMD_WAKEUP was called */

#define OMX_WAIT_FOREVER		0xffffffffU

struct omx_wait {
	__u32 exp_cons;			/* in: library's consumer indexes */
	__u32 unexp_cons;
	__u32 timeout_ms;		/* in: OMX_WAIT_FOREVER or milliseconds */
	__u32 status;			/* out: OMX_WAIT_* */
};

OMX_ABI_ASSERT(sizeof(struct omx_wait) == 16, "omx_wait layout");

/* Module-wide figures, for tools and tests (leak checks). */
struct omx_driver_info {
	__u32 abi_version;
	__u32 endpoints_open;		/* on every board */
	__u64 pinned_pages;		/* pages pinned by registered regions now */
	__u32 regions;			/* regions registered now */
	__u32 pulls;			/* pulls in progress now */
};

OMX_ABI_ASSERT(sizeof(struct omx_driver_info) == 24, "omx_driver_info layout");

#define OMX_REGIONS_MAX			256	/* region ids per endpoint; one byte on the wire */
#define OMX_REGION_SEGMENTS_MAX		256	/* MX_MAX_SEGMENTS */
#define OMX_PULLS_MAX			64	/* pulls in progress per endpoint */

OMX_ABI_ASSERT(sizeof(((struct omx_ring_ctrl *)0)->region_invalid) == OMX_REGIONS_MAX,
	       "one invalidation flag per region id");

/* struct omx_cmd_region.flags bits */
#define OMX_REGION_WRITABLE		0x1U	/* pulled into: pin for writing */

struct omx_region_segment {
	__u64 vaddr;
	__u64 length;
};

OMX_ABI_ASSERT(sizeof(struct omx_region_segment) == 16, "omx_region_segment layout");

struct omx_cmd_region {
	__u32 id;			/* in: < OMX_REGIONS_MAX */
	__u32 nr_segments;		/* in: 1..OMX_REGION_SEGMENTS_MAX */
	__u32 flags;			/* in: OMX_REGION_* */
	__u8 seqnum;			/* out: this registration's generation */
	__u8 pad[3];
	__u64 segments;			/* in: user address of struct omx_region_segment[] */
	__u64 length;			/* out: total bytes */
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_region) == 32, "omx_cmd_region layout");

struct omx_cmd_send_rndv {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 rdma_id;			/* the registered send region */
	__u32 session;
	__u16 seqnum;
	__u16 piggyack;
	__u32 msg_length;		/* <= the region length; 0: no region */
	__u64 match_info;
	__u8 rdma_seqnum;
	__u8 pad[7];
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_rndv) == 32, "omx_cmd_send_rndv layout");

struct omx_cmd_send_notify {
	__u16 peer_index;
	__u8 dst_endpoint;
	__u8 rdma_id;			/* the sender's region, from the RNDV */
	__u32 session;
	__u16 seqnum;
	__u16 piggyack;
	__u32 total_length;		/* bytes pulled */
	__u8 rdma_seqnum;
	__u8 pad[7];
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_send_notify) == 24, "omx_cmd_send_notify layout");

struct omx_cmd_pull {
	__u16 peer_index;		/* the sender of the RNDV */
	__u8 dst_endpoint;		/* its endpoint */
	__u8 remote_rdma_id;
	__u32 session;			/* its session id */
	__u32 length;			/* bytes to pull, <= the local region */
	/*
	 * the RNDV's rdma_offset (the token's low 16 bits) plus where the
	 * pull starts in the remote region
	 */
	__u32 remote_offset;
	__u32 local_region_id;
	__u32 local_offset;		/* where the data goes in the local region */
	__u8 remote_rdma_seqnum;
	__u8 pad[3];
	__u32 remote_token_hi;		/* the RNDV's token_hi */
	__u64 cookie;			/* returned in OMX_EVT_PULL_DONE */
};

OMX_ABI_ASSERT(sizeof(struct omx_cmd_pull) == 40, "omx_cmd_pull layout");

/* struct omx_evt_pull_done.status */
enum omx_pull_status {
	OMX_PULL_STATUS_OK		= 0,
	OMX_PULL_STATUS_TIMEOUT		= 1,	/* no progress within the pull timeout */
	OMX_PULL_STATUS_BAD_RDMAWIN	= 2,	/* NACK_MCP: remote region gone */
	OMX_PULL_STATUS_ENDPT_CLOSED	= 3,	/* NACK_MCP: remote endpoint closed */
	OMX_PULL_STATUS_BAD_SESSION	= 4,	/* NACK_MCP: remote endpoint reopened */
	OMX_PULL_STATUS_BAD_ENDPT	= 5,	/* NACK_MCP: no such remote endpoint */
	OMX_PULL_STATUS_ABORTED		= 6,	/* reserved: a closing endpoint gets no event */
};

#endif /* OMX_ABI_H */
