/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Myrinet Express (MX) 1.2 API as served by omx (libmyriexpress).
 *
 * Programs written for MX include this header unchanged, and programs
 * compiled against Myricom's or Open-MX's header run against our library,
 * so every name, every number, every signature and the size and layout of
 * every structure below is fixed by that ABI.  Nothing here may be
 * "improved": tests/unit/test_mx_headers.c pins each value and each field
 * offset.  The struct tags (or their absence) are also kept as MX has them,
 * since C++ callers mangle their own functions with those names.
 *
 * The header stands alone (only <inttypes.h>, which also gives the PRI*64
 * macros MX programs print with) and compiles as C89 and later or as C++.
 * The optional extensions are in mx_extensions.h, the raw interface used
 * by mappers in mx_raw.h.
 */
#ifndef MYRIEXPRESS_H
#define MYRIEXPRESS_H

#include <inttypes.h>

#ifdef __cplusplus
extern "C" {
#endif

/* API revision this header describes; passed to the library by mx_init() */
#define MX_API			0x301

/*
 * Handles, addresses, buffers
 */

/* An open endpoint (opaque) */
typedef struct mx_endpoint *mx_endpoint_t;

/* A posted operation (opaque); valid until completed or forgotten */
typedef union mx_request *mx_request_t;

/* Size in bytes of an endpoint address */
#define MX_SIZEOF_ADDR		16

/*
 * Address of a remote endpoint as returned by mx_connect(): an opaque
 * value of MX_SIZEOF_ADDR bytes with the alignment of a uint64_t.  Its
 * content is private to the library; programs only copy it around.
 */
typedef struct {
	uint64_t stuff[MX_SIZEOF_ADDR / sizeof(uint64_t)];
} mx_endpoint_addr_t;

/* Wildcards for a board number and for an endpoint id */
#define MX_ANY_NIC		0xffffffffU
#define MX_ANY_ENDPOINT		0xffffffffU

/* A piece of a message: start address and length in bytes */
typedef void *mx_segment_ptr_t;

typedef struct {
	mx_segment_ptr_t segment_ptr;
	uint32_t segment_length;
} mx_segment_t;

/* Most segments one send or receive may gather from or scatter to */
#define MX_MAX_SEGMENTS		256

/* Timeout (milliseconds) meaning "never give up" */
#define MX_INFINITE		0

/* Receive mask that compares every bit of the match information */
#define MX_MATCH_MASK_NONE	(~(uint64_t)0)

/* Room for a hostname given to or filled by the conversion functions */
#define MX_MAX_HOSTNAME_LEN	80

/* Room for a string given by the library, such as a counter label */
#define MX_MAX_STR_LEN		128

/*
 * Return codes of the API functions
 */

enum mx_return_code {
	MX_SUCCESS				= 0,
	MX_BAD_BAD_BAD				= 1,	/* internal error */
	MX_FAILURE				= 2,
	MX_ALREADY_INITIALIZED			= 3,
	MX_NOT_INITIALIZED			= 4,
	MX_NO_DEV				= 5,	/* no device node */
	MX_NO_DRIVER				= 6,	/* module not loaded */
	MX_NO_PERM				= 7,
	MX_BOARD_UNKNOWN			= 8,	/* no such board number */
	MX_BAD_ENDPOINT				= 9,	/* endpoint not open */
	MX_BAD_SEG_LIST				= 10,	/* NULL list, count not 0 */
	MX_BAD_SEG_MEM				= 11,
	MX_BAD_SEG_CNT				= 12,	/* above MX_MAX_SEGMENTS */
	MX_BAD_REQUEST				= 13,
	MX_BAD_MATCH_MASK			= 14,
	MX_NO_RESOURCES				= 15,
	MX_BAD_ADDR_LIST			= 16,
	MX_BAD_ADDR_COUNT			= 17,
	MX_BAD_ROOT				= 18,
	MX_NOT_COMPLETED			= 19,
	MX_BUSY					= 20,
	MX_BAD_INFO_KEY				= 21,	/* mx_get_info() key */
	MX_BAD_INFO_VAL				= 22,	/* mx_get_info() buffer */
	MX_BAD_NIC				= 23,
	MX_BAD_PARAM_LIST			= 24,	/* NULL list, count not 0 */
	MX_BAD_PARAM_NAME			= 25,	/* unknown mx_param_key */
	MX_BAD_PARAM_VAL			= 26,
	MX_BAD_HOSTNAME_ARGS			= 27,
	MX_HOST_NOT_FOUND			= 28,
	MX_REQUEST_PENDING			= 29,
	MX_TIMEOUT				= 30,
	MX_NO_MATCH				= 31,
	MX_BAD_ENDPOINT_ID			= 32,	/* out of range */
	MX_CONNECTION_FAILED			= 33,	/* nobody at that address */
	MX_BAD_CONNECTION_KEY			= 34,	/* peer refused the key */
	MX_BAD_INFO_LENGTH			= 35,	/* mx_get_info() buffer short */
	MX_NIC_NOT_FOUND			= 36,	/* nic id not in peer table */
	MX_BAD_KERNEL_VERSION			= 37,	/* library/driver mismatch */
	MX_BAD_LIB_VERSION			= 38,	/* program/library mismatch */
	MX_NIC_DEAD				= 39,
	MX_CANCEL_NOT_SUPPORTED			= 40,
	MX_CLOSE_IN_HANDLER			= 41,	/* close from a handler */
	MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK	= 42,
	MX_NOT_SUPPORTED_WITH_CONTEXT_ID	= 43
};
typedef enum mx_return_code mx_return_t;

/*
 * Completion of a request
 */

enum mx_status_code {
	MX_STATUS_SUCCESS			= 0,
	MX_STATUS_PENDING			= 1,
	MX_STATUS_BUFFERED			= 2,	/* buffered, not completed */
	MX_STATUS_REJECTED			= 3,
	MX_STATUS_TIMEOUT			= 4,
	MX_STATUS_TRUNCATED			= 5,	/* receive buffer too small */
	MX_STATUS_CANCELLED			= 6,
	MX_STATUS_ENDPOINT_UNKNOWN		= 7,
	MX_STATUS_ENDPOINT_CLOSED		= 8,	/* peer endpoint closed */
	MX_STATUS_ENDPOINT_UNREACHABLE		= 9,
	MX_STATUS_BAD_SESSION			= 10,
	MX_STATUS_BAD_KEY			= 11,
	MX_STATUS_BAD_ENDPOINT			= 12,
	MX_STATUS_BAD_RDMAWIN			= 13,
	MX_STATUS_ABORTED			= 14,
	MX_STATUS_EVENTQ_FULL			= 15,	/* never seen by programs */
	MX_STATUS_NO_RESOURCES			= 16
};
typedef enum mx_status_code mx_status_code_t;

/*
 * What a completed (or probed) request reports.  For a receive, source is
 * the sender and msg_length what it sent; xfer_length is what was actually
 * copied.  context is the pointer given when the request was posted.
 */
typedef struct mx_status {
	mx_status_code_t code;
	mx_endpoint_addr_t source;
	uint64_t match_info;
	uint32_t msg_length;
	uint32_t xfer_length;
	void *context;
} mx_status_t;

/*
 * Errors and endpoint parameters
 */

/* Called with a message and the code when an API call fails */
typedef mx_return_t (*mx_error_handler_t)(char *str, mx_return_t ret);

/* Handler that prints the error and aborts the program (the default) */
extern const mx_error_handler_t MX_ERRORS_ARE_FATAL;
/* Handler that does nothing: the caller checks the return code */
extern const mx_error_handler_t MX_ERRORS_RETURN;

/* Which member of mx_param_t.val is meant */
enum mx_param_key {
	MX_PARAM_ERROR_HANDLER		= 0,
	MX_PARAM_UNEXP_QUEUE_MAX	= 1,
	MX_PARAM_CONTEXT_ID		= 2
};
typedef enum mx_param_key mx_param_key_t;

/* One option given to mx_open_endpoint() */
typedef struct {
	mx_param_key_t key;
	union {
		mx_error_handler_t error_handler;
		uint32_t unexp_queue_max;
		/* match info bits [shift, shift + bits) select a context */
		struct {
			uint8_t bits;
			uint8_t shift;
		} context_id;
	} val;
} mx_param_t;

/* Most match info bits MX_PARAM_CONTEXT_ID may reserve */
#define MX_CONTEXT_ID_BITS_MAX	16

/* Callback of the deprecated mx_register_unexp_callback() */
typedef void (*mx_matching_callback_t)(void *context, uint64_t match_value,
				       int length);

/*
 * Library and endpoints
 */

/* Set up the library; call through mx_init(), which passes MX_API */
mx_return_t mx__init_api(int api);
#define mx_init()	mx__init_api(MX_API)

/* Release everything the library holds */
mx_return_t mx_finalize(void);

/* Install the handler called on errors, returning the previous one */
mx_error_handler_t mx_set_error_handler(mx_error_handler_t handler);

/* Open endpoint endpoint_id (or MX_ANY_ENDPOINT) on a board, with a key */
mx_return_t mx_open_endpoint(uint32_t board_number, uint32_t endpoint_id,
			     uint32_t endpoint_key, mx_param_t *params_array,
			     uint32_t params_count, mx_endpoint_t *endpoint);

/* Close an endpoint, dropping its pending requests */
mx_return_t mx_close_endpoint(mx_endpoint_t endpoint);

/* Make every thread blocked in a wait on this endpoint return */
mx_return_t mx_wakeup(mx_endpoint_t endpoint);

/* Keep the library from progressing the endpoint behind our back */
mx_return_t mx_disable_progression(mx_endpoint_t ep);

/* Undo mx_disable_progression() */
mx_return_t mx_reenable_progression(mx_endpoint_t ep);

/*
 * Addressing
 */

/* Resolve a peer endpoint into an address, waiting up to timeout ms */
mx_return_t mx_connect(mx_endpoint_t endpoint, uint64_t nic_id,
		       uint32_t endpoint_id, uint32_t key, uint32_t timeout,
		       mx_endpoint_addr_t *addr);

/* Split an address into its nic id and endpoint id */
mx_return_t mx_decompose_endpoint_addr(mx_endpoint_addr_t endpoint_addr,
				       uint64_t *nic_id, uint32_t *endpoint_id);

/* Give the address of one of our own endpoints */
mx_return_t mx_get_endpoint_addr(mx_endpoint_t endpoint,
				 mx_endpoint_addr_t *endpoint_addr);

/*
 * Messages
 */

/* Start sending a message; completes once the buffers may be reused */
mx_return_t mx_isend(mx_endpoint_t endpoint, mx_segment_t *segments_list,
		     uint32_t segments_count, mx_endpoint_addr_t dest_endpoint,
		     uint64_t match_info, void *context, mx_request_t *request);

/* Start a synchronous send; completes once the receiver has matched it */
mx_return_t mx_issend(mx_endpoint_t endpoint, mx_segment_t *segments_list,
		      uint32_t segments_count, mx_endpoint_addr_t dest_endpoint,
		      uint64_t match_info, void *context, mx_request_t *request);

/* Post a receive for the messages whose (match_info & match_mask) agree */
mx_return_t mx_irecv(mx_endpoint_t endpoint, mx_segment_t *segments_list,
		     uint32_t segments_count, uint64_t match_info,
		     uint64_t match_mask, void *context, mx_request_t *request);

/* Try to withdraw a posted request; *result says whether it was */
mx_return_t mx_cancel(mx_endpoint_t endpoint, mx_request_t *request,
		      uint32_t *result);

/*
 * Completion
 */

/* Complete a request if it is done, without blocking */
mx_return_t mx_test(mx_endpoint_t ep, mx_request_t *request,
		    mx_status_t *status, uint32_t *result);

/* Block until a request is done or timeout ms have passed */
mx_return_t mx_wait(mx_endpoint_t endpoint, mx_request_t *request,
		    uint32_t timeout, mx_status_t *status, uint32_t *result);

/* Complete any done request whose match info fits, without blocking */
mx_return_t mx_test_any(mx_endpoint_t endpoint, uint64_t match_info,
			uint64_t match_mask, mx_status_t *status,
			uint32_t *result);

/* Block until any request whose match info fits is done */
mx_return_t mx_wait_any(mx_endpoint_t endpoint, uint32_t timeout,
			uint64_t match_info, uint64_t match_mask,
			mx_status_t *status, uint32_t *result);

/* Name a done request, if any, without completing it or blocking */
mx_return_t mx_ipeek(mx_endpoint_t endpoint, mx_request_t *request,
		     uint32_t *result);

/* Block until some request is done and name it */
mx_return_t mx_peek(mx_endpoint_t endpoint, uint32_t timeout,
		    mx_request_t *request, uint32_t *result);

/* Tell whether an unexpected message fits, without receiving it */
mx_return_t mx_iprobe(mx_endpoint_t endpoint, uint64_t match_info,
		      uint64_t match_mask, mx_status_t *status,
		      uint32_t *result);

/* Block until an unexpected message fits, without receiving it */
mx_return_t mx_probe(mx_endpoint_t endpoint, uint32_t timeout,
		     uint64_t match_info, uint64_t match_mask,
		     mx_status_t *status, uint32_t *result);

/* Tell whether a send's buffers may already be reused */
mx_return_t mx_ibuffered(mx_endpoint_t endpoint, mx_request_t *request,
			 uint32_t *result);

/* Give the context pointer a request was posted with */
mx_return_t mx_context(mx_request_t *request, void **context);

/*
 * Information
 */

/* What mx_get_info() is asked about */
enum mx_get_info_key {
	MX_NIC_COUNT		= 1,	/* number of boards */
	MX_NIC_IDS		= 2,	/* nic id of each board */
	MX_MAX_NATIVE_ENDPOINTS	= 3,	/* endpoints per board */
	MX_NATIVE_REQUESTS	= 4,	/* requests an endpoint can hold */
	MX_COUNTERS_COUNT	= 5,	/* number of counters of a board */
	MX_COUNTERS_LABELS	= 6,	/* their names, MX_MAX_STR_LEN each */
	MX_COUNTERS_VALUES	= 7,	/* their values */
	MX_PRODUCT_CODE		= 8,	/* board identity strings */
	MX_PART_NUMBER		= 9,
	MX_SERIAL_NUMBER	= 10,
	MX_PORT_COUNT		= 11,	/* network ports of a board */
	MX_PIO_SEND_MAX		= 12,	/* thresholds between send paths */
	MX_COPY_SEND_MAX	= 13,
	MX_NUMA_NODE		= 14,	/* NUMA node near a board */
	MX_NET_TYPE		= 15,	/* enum mx_net_type of a board */
	MX_LINE_SPEED		= 16	/* enum mx_line_speed of a board */
};
typedef enum mx_get_info_key mx_get_info_key_t;

/* Tells programs that MX_NET_TYPE and MX_LINE_SPEED may be asked */
#define MX_HAS_NET_TYPE

/* Answer of MX_NET_TYPE */
enum mx_net_type {
	MX_NET_MYRI	= 0,
	MX_NET_ETHER	= 1
};
typedef enum mx_net_type mx_net_type_t;

/* Answer of MX_LINE_SPEED; omx boards say MX_SPEED_OPEN_MX */
typedef enum mx_line_speed {
	MX_SPEED_2G		= 0,
	MX_SPEED_10G		= 1,
	MX_SPEED_OPEN_MX	= 2
} mx_line_speed_t;

/* Fill out_val with what key names; in_val selects a board for some keys */
mx_return_t mx_get_info(mx_endpoint_t ep, mx_get_info_key_t key,
			void *in_val, uint32_t in_len,
			void *out_val, uint32_t out_len);

/* Find the nic id of a board from its hostname */
mx_return_t mx_hostname_to_nic_id(char *hostname, uint64_t *nic_id);

/* Find the nic id of a local board */
mx_return_t mx_board_number_to_nic_id(uint32_t board_number, uint64_t *nic_id);

/* Find the local board number of a nic id */
mx_return_t mx_nic_id_to_board_number(uint64_t nic_id, uint32_t *board_number);

/* Find the hostname of a nic id; hostname has MX_MAX_HOSTNAME_LEN bytes */
mx_return_t mx_nic_id_to_hostname(uint64_t nic_id, char *hostname);

/* Describe a return code in a constant string */
const char *mx_strerror(mx_return_t return_code);

/* Describe a status code in a constant string */
const char *mx_strstatus(mx_status_code_t status);

/* Upper and lower halves of a 64-bit value, to print it as two %x */
#define MX_U32(x) \
	((uint32_t)(sizeof(x) == 8 ? (uint64_t)(x) >> 32 : 0))
#define MX_L32(x)	((uint32_t)(x))

/*
 * Declared so that old programs link; Open-MX never implemented them
 */

/* Replaced by mx_register_unexp_handler() of mx_extensions.h */
mx_return_t mx_register_unexp_callback(mx_endpoint_t ep,
				       mx_matching_callback_t cb, void *ctxt);

/* One-sided write to a remote address (never provided) */
mx_return_t mx_iput(mx_endpoint_t endpoint, void *local_addr, uint32_t length,
		    mx_endpoint_addr_t dest_endpoint, uint64_t remote_addr,
		    void *context, mx_request_t *request);

/* One-sided read from a remote address (never provided) */
mx_return_t mx_iget(mx_endpoint_t endpoint, void *local_addr, uint32_t length,
		    mx_endpoint_addr_t dest_endpoint, uint64_t remote_addr,
		    void *context, mx_request_t *request);

/* Block until a send's buffers may be reused (blocking mx_ibuffered()) */
mx_return_t mx_buffered(mx_endpoint_t endpoint, mx_request_t *request,
			uint32_t timeout, uint32_t *result);

#ifdef __cplusplus
}
#endif

#endif /* MYRIEXPRESS_H */
