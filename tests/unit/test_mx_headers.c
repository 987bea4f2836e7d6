// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ABI checks of the public MX headers in libomx/include/.
 *
 * Programs built against MX's own myriexpress.h must run against our
 * library, so every number, every struct size and offset and every
 * function signature of our headers must be the one MX defines.  The
 * expected values are written out literally here, copied by hand from the
 * MX 1.2 ABI (as Open-MX's common/mx/ headers give it), never derived from
 * our headers: a change to the headers that breaks the ABI fails this test.
 * Nearly every check is a static assertion, so such a change fails the
 * build of this file; main() only runs what needs running (macro results,
 * bytes written through mx_status_t).
 *
 * Layouts depend on the C ABI; the expected offsets are given for LP64
 * targets (x86_64, aarch64, ...) and for i386.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <myriexpress.h>
#include <mx_extensions.h>
#include <mx_raw.h>

#include "omx_test.h"

/* L(lp64, i386): the expected value on this target */
#if defined(__LP64__) && __SIZEOF_POINTER__ == 8
#define ABI_NAME	"LP64"
#define L(lp64, i386)	(lp64)
#elif defined(__i386__)
#define ABI_NAME	"i386"
#define L(lp64, i386)	(i386)
#else
#error "no expected MX layout for this target: add a column to L()"
#endif

#define PIN_STATIC(actual, expected) \
	_Static_assert((actual) == (expected), #actual " must be " #expected);

/* Sizes, alignments and offsets of the public types. */
#define MX_LAYOUT(X) \
	X(sizeof(mx_endpoint_t), L(8, 4)) \
	X(sizeof(mx_request_t), L(8, 4)) \
	X(sizeof(mx_segment_ptr_t), L(8, 4)) \
	X(sizeof(mx_return_t), 4) \
	X(sizeof(mx_status_code_t), 4) \
	X(sizeof(mx_param_key_t), 4) \
	X(sizeof(mx_get_info_key_t), 4) \
	X(sizeof(mx_line_speed_t), 4) \
	X(sizeof(enum mx_net_type), 4) \
	X(sizeof(mx_unexp_handler_action_t), 4) \
	X(sizeof(mx_host_type_t), 4) \
	X(sizeof(mx_raw_status_t), 4) \
	X(sizeof(mx_endpt_handle_t), 4) \
	\
	X(sizeof(mx_endpoint_addr_t), 16) \
	X(_Alignof(mx_endpoint_addr_t), L(8, 4)) \
	X(offsetof(mx_endpoint_addr_t, stuff), 0) \
	X(sizeof(((mx_endpoint_addr_t *)0)->stuff[0]), 8) \
	\
	X(sizeof(mx_segment_t), L(16, 8)) \
	X(offsetof(mx_segment_t, segment_ptr), 0) \
	X(offsetof(mx_segment_t, segment_length), L(8, 4)) \
	X(sizeof(((mx_segment_t *)0)->segment_length), 4) \
	\
	X(sizeof(mx_status_t), L(48, 40)) \
	X(_Alignof(mx_status_t), L(8, 4)) \
	X(offsetof(mx_status_t, code), 0) \
	X(offsetof(mx_status_t, source), L(8, 4)) \
	X(offsetof(mx_status_t, match_info), L(24, 20)) \
	X(offsetof(mx_status_t, msg_length), L(32, 28)) \
	X(offsetof(mx_status_t, xfer_length), L(36, 32)) \
	X(offsetof(mx_status_t, context), L(40, 36)) \
	X(sizeof(((mx_status_t *)0)->match_info), 8) \
	X(sizeof(((mx_status_t *)0)->msg_length), 4) \
	X(sizeof(((mx_status_t *)0)->xfer_length), 4) \
	\
	X(sizeof(mx_param_t), L(16, 8)) \
	X(offsetof(mx_param_t, key), 0) \
	X(offsetof(mx_param_t, val), L(8, 4)) \
	X(offsetof(mx_param_t, val.error_handler), L(8, 4)) \
	X(offsetof(mx_param_t, val.unexp_queue_max), L(8, 4)) \
	X(offsetof(mx_param_t, val.context_id.bits), L(8, 4)) \
	X(offsetof(mx_param_t, val.context_id.shift), L(9, 5)) \
	X(sizeof(((mx_param_t *)0)->val), L(8, 4)) \
	X(sizeof(((mx_param_t *)0)->val.unexp_queue_max), 4) \
	X(sizeof(((mx_param_t *)0)->val.context_id.bits), 1) \
	X(sizeof(((mx_param_t *)0)->val.context_id.shift), 1)

/* Numeric values of every constant and enumerator. */
#define MX_VALUES(X) \
	X(MX_API, 0x301) \
	X(MX_SIZEOF_ADDR, 16) \
	X(MX_ANY_NIC, 0xffffffffU) \
	X(MX_ANY_ENDPOINT, 0xffffffffU) \
	X(MX_INFINITE, 0) \
	X(MX_MATCH_MASK_NONE, 0xffffffffffffffffULL) \
	X(MX_MAX_SEGMENTS, 256) \
	X(MX_MAX_HOSTNAME_LEN, 80) \
	X(MX_MAX_STR_LEN, 128) \
	X(MX_CONTEXT_ID_BITS_MAX, 16) \
	\
	X(MX_SUCCESS, 0) \
	X(MX_BAD_BAD_BAD, 1) \
	X(MX_FAILURE, 2) \
	X(MX_ALREADY_INITIALIZED, 3) \
	X(MX_NOT_INITIALIZED, 4) \
	X(MX_NO_DEV, 5) \
	X(MX_NO_DRIVER, 6) \
	X(MX_NO_PERM, 7) \
	X(MX_BOARD_UNKNOWN, 8) \
	X(MX_BAD_ENDPOINT, 9) \
	X(MX_BAD_SEG_LIST, 10) \
	X(MX_BAD_SEG_MEM, 11) \
	X(MX_BAD_SEG_CNT, 12) \
	X(MX_BAD_REQUEST, 13) \
	X(MX_BAD_MATCH_MASK, 14) \
	X(MX_NO_RESOURCES, 15) \
	X(MX_BAD_ADDR_LIST, 16) \
	X(MX_BAD_ADDR_COUNT, 17) \
	X(MX_BAD_ROOT, 18) \
	X(MX_NOT_COMPLETED, 19) \
	X(MX_BUSY, 20) \
	X(MX_BAD_INFO_KEY, 21) \
	X(MX_BAD_INFO_VAL, 22) \
	X(MX_BAD_NIC, 23) \
	X(MX_BAD_PARAM_LIST, 24) \
	X(MX_BAD_PARAM_NAME, 25) \
	X(MX_BAD_PARAM_VAL, 26) \
	X(MX_BAD_HOSTNAME_ARGS, 27) \
	X(MX_HOST_NOT_FOUND, 28) \
	X(MX_REQUEST_PENDING, 29) \
	X(MX_TIMEOUT, 30) \
	X(MX_NO_MATCH, 31) \
	X(MX_BAD_ENDPOINT_ID, 32) \
	X(MX_CONNECTION_FAILED, 33) \
	X(MX_BAD_CONNECTION_KEY, 34) \
	X(MX_BAD_INFO_LENGTH, 35) \
	X(MX_NIC_NOT_FOUND, 36) \
	X(MX_BAD_KERNEL_VERSION, 37) \
	X(MX_BAD_LIB_VERSION, 38) \
	X(MX_NIC_DEAD, 39) \
	X(MX_CANCEL_NOT_SUPPORTED, 40) \
	X(MX_CLOSE_IN_HANDLER, 41) \
	X(MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, 42) \
	X(MX_NOT_SUPPORTED_WITH_CONTEXT_ID, 43) \
	\
	X(MX_STATUS_SUCCESS, 0) \
	X(MX_STATUS_PENDING, 1) \
	X(MX_STATUS_BUFFERED, 2) \
	X(MX_STATUS_REJECTED, 3) \
	X(MX_STATUS_TIMEOUT, 4) \
	X(MX_STATUS_TRUNCATED, 5) \
	X(MX_STATUS_CANCELLED, 6) \
	X(MX_STATUS_ENDPOINT_UNKNOWN, 7) \
	X(MX_STATUS_ENDPOINT_CLOSED, 8) \
	X(MX_STATUS_ENDPOINT_UNREACHABLE, 9) \
	X(MX_STATUS_BAD_SESSION, 10) \
	X(MX_STATUS_BAD_KEY, 11) \
	X(MX_STATUS_BAD_ENDPOINT, 12) \
	X(MX_STATUS_BAD_RDMAWIN, 13) \
	X(MX_STATUS_ABORTED, 14) \
	X(MX_STATUS_EVENTQ_FULL, 15) \
	X(MX_STATUS_NO_RESOURCES, 16) \
	\
	X(MX_PARAM_ERROR_HANDLER, 0) \
	X(MX_PARAM_UNEXP_QUEUE_MAX, 1) \
	X(MX_PARAM_CONTEXT_ID, 2) \
	\
	X(MX_NIC_COUNT, 1) \
	X(MX_NIC_IDS, 2) \
	X(MX_MAX_NATIVE_ENDPOINTS, 3) \
	X(MX_NATIVE_REQUESTS, 4) \
	X(MX_COUNTERS_COUNT, 5) \
	X(MX_COUNTERS_LABELS, 6) \
	X(MX_COUNTERS_VALUES, 7) \
	X(MX_PRODUCT_CODE, 8) \
	X(MX_PART_NUMBER, 9) \
	X(MX_SERIAL_NUMBER, 10) \
	X(MX_PORT_COUNT, 11) \
	X(MX_PIO_SEND_MAX, 12) \
	X(MX_COPY_SEND_MAX, 13) \
	X(MX_NUMA_NODE, 14) \
	X(MX_NET_TYPE, 15) \
	X(MX_LINE_SPEED, 16) \
	\
	X(MX_NET_MYRI, 0) \
	X(MX_NET_ETHER, 1) \
	X(MX_SPEED_2G, 0) \
	X(MX_SPEED_10G, 1) \
	X(MX_SPEED_OPEN_MX, 2) \
	\
	X(MX_HAS_ICONNECT_V2, 1) \
	X(MX_RECV_CONTINUE, 0) \
	X(MX_RECV_FINISHED, 1) \
	\
	X(MX_RAW_POLL_SUPPORTED, 1) \
	X(MX_SET_ROUTE_TAKES_MAGID, 1) \
	X(MX_HAS_RAW_LINE_SPEED, 1) \
	X(MX_HAS_RAW_SET_NIC_REPLY_INFO, 1) \
	X(MX_RAW_NO_EVENT, 0) \
	X(MX_RAW_SEND_COMPLETE, 1) \
	X(MX_RAW_RECV_COMPLETE, 2) \
	X(MX_DEAD_RECOVERABLE_SRAM_PARITY_ERROR, 10) \
	X(MX_DEAD_SRAM_PARITY_ERROR, 11) \
	X(MX_DEAD_WATCHDOG_TIMEOUT, 12) \
	X(MX_DEAD_COMMAND_TIMEOUT, 13) \
	X(MX_DEAD_ENDPOINT_CLOSE_TIMEOUT, 14) \
	X(MX_DEAD_ROUTE_UPDATE_TIMEOUT, 15) \
	X(MX_DEAD_PCI_PARITY_ERROR, 16) \
	X(MX_DEAD_PCI_MASTER_ABORT, 17) \
	X(MX_HOST_GM, 1) \
	X(MX_HOST_XM, 2) \
	X(MX_HOST_MX, 3) \
	X(MX_HOST_MXvM, 4)

MX_LAYOUT(PIN_STATIC)
MX_VALUES(PIN_STATIC)

#ifndef MX_HAS_NET_TYPE
#error "myriexpress.h must define MX_HAS_NET_TYPE"
#endif

/*
 * Types: IS_TYPE(expr, type) holds when expr has exactly that type.
 * _Generic does not evaluate expr, so naming a function here needs no
 * definition at link time.
 */
#define IS_TYPE(expr, ...)	_Generic((expr), __VA_ARGS__: 1, default: 0)
#define PIN_TYPE(expr, ...) \
	_Static_assert(IS_TYPE(expr, __VA_ARGS__), #expr " must have type " #__VA_ARGS__);

/* The type each macro constant has in MX (it matters for printf and _Generic) */
PIN_TYPE(MX_ANY_NIC, unsigned int)
PIN_TYPE(MX_ANY_ENDPOINT, unsigned int)
PIN_TYPE(MX_INFINITE, int)
PIN_TYPE(MX_MATCH_MASK_NONE, uint64_t)

/* Tags (the names C++ callers mangle with) and the typedefs over them */
PIN_TYPE((struct mx_endpoint *)0, mx_endpoint_t)
PIN_TYPE((union mx_request *)0, mx_request_t)
PIN_TYPE((void *)0, mx_segment_ptr_t)
PIN_TYPE((struct mx_status *)0, mx_status_t *)
PIN_TYPE((enum mx_return_code *)0, mx_return_t *)
PIN_TYPE((enum mx_status_code *)0, mx_status_code_t *)
PIN_TYPE((enum mx_param_key *)0, mx_param_key_t *)
PIN_TYPE((enum mx_get_info_key *)0, mx_get_info_key_t *)
PIN_TYPE((enum mx_line_speed *)0, mx_line_speed_t *)
PIN_TYPE((enum mx_unexp_handler_action *)0, mx_unexp_handler_action_t *)
PIN_TYPE((struct mx_raw_endpoint *)0, mx_raw_endpoint_t)
PIN_TYPE((mx_endpoint_addr_t *)0, mx_endpoint_addr_t *)
PIN_TYPE(((mx_status_t *)0)->source, mx_endpoint_addr_t)
PIN_TYPE(((mx_status_t *)0)->code, mx_status_code_t)
PIN_TYPE(((mx_status_t *)0)->context, void *)
PIN_TYPE(((mx_param_t *)0)->key, mx_param_key_t)
PIN_TYPE(((mx_param_t *)0)->val.error_handler, mx_error_handler_t)

/* Callback types */
PIN_TYPE((mx_error_handler_t)0, mx_return_t (*)(char *, mx_return_t))
PIN_TYPE((mx_matching_callback_t)0, void (*)(void *, uint64_t, int))
PIN_TYPE((mx_unexp_handler_t)0, mx_unexp_handler_action_t (*)(void *, mx_endpoint_addr_t,
							     uint64_t, uint32_t, void *))

/* Exported variables */
PIN_TYPE(&MX_ERRORS_ARE_FATAL, const mx_error_handler_t *)
PIN_TYPE(&MX_ERRORS_RETURN, const mx_error_handler_t *)

/* myriexpress.h functions, in MX's parameter order */
PIN_TYPE(&mx__init_api, mx_return_t (*)(int))
PIN_TYPE(mx_init(), mx_return_t)
PIN_TYPE(&mx_finalize, mx_return_t (*)(void))
PIN_TYPE(&mx_set_error_handler, mx_error_handler_t (*)(mx_error_handler_t))
PIN_TYPE(&mx_open_endpoint, mx_return_t (*)(uint32_t, uint32_t, uint32_t, mx_param_t *,
					   uint32_t, mx_endpoint_t *))
PIN_TYPE(&mx_close_endpoint, mx_return_t (*)(mx_endpoint_t))
PIN_TYPE(&mx_wakeup, mx_return_t (*)(mx_endpoint_t))
PIN_TYPE(&mx_disable_progression, mx_return_t (*)(mx_endpoint_t))
PIN_TYPE(&mx_reenable_progression, mx_return_t (*)(mx_endpoint_t))
PIN_TYPE(&mx_connect, mx_return_t (*)(mx_endpoint_t, uint64_t, uint32_t, uint32_t, uint32_t,
				     mx_endpoint_addr_t *))
PIN_TYPE(&mx_decompose_endpoint_addr, mx_return_t (*)(mx_endpoint_addr_t, uint64_t *,
						     uint32_t *))
PIN_TYPE(&mx_get_endpoint_addr, mx_return_t (*)(mx_endpoint_t, mx_endpoint_addr_t *))
PIN_TYPE(&mx_isend, mx_return_t (*)(mx_endpoint_t, mx_segment_t *, uint32_t, mx_endpoint_addr_t,
				   uint64_t, void *, mx_request_t *))
PIN_TYPE(&mx_issend, mx_return_t (*)(mx_endpoint_t, mx_segment_t *, uint32_t, mx_endpoint_addr_t,
				    uint64_t, void *, mx_request_t *))
PIN_TYPE(&mx_irecv, mx_return_t (*)(mx_endpoint_t, mx_segment_t *, uint32_t, uint64_t, uint64_t,
				   void *, mx_request_t *))
PIN_TYPE(&mx_cancel, mx_return_t (*)(mx_endpoint_t, mx_request_t *, uint32_t *))
PIN_TYPE(&mx_test, mx_return_t (*)(mx_endpoint_t, mx_request_t *, mx_status_t *, uint32_t *))
PIN_TYPE(&mx_wait, mx_return_t (*)(mx_endpoint_t, mx_request_t *, uint32_t, mx_status_t *,
				  uint32_t *))
PIN_TYPE(&mx_test_any, mx_return_t (*)(mx_endpoint_t, uint64_t, uint64_t, mx_status_t *,
				      uint32_t *))
PIN_TYPE(&mx_wait_any, mx_return_t (*)(mx_endpoint_t, uint32_t, uint64_t, uint64_t,
				      mx_status_t *, uint32_t *))
PIN_TYPE(&mx_ipeek, mx_return_t (*)(mx_endpoint_t, mx_request_t *, uint32_t *))
PIN_TYPE(&mx_peek, mx_return_t (*)(mx_endpoint_t, uint32_t, mx_request_t *, uint32_t *))
PIN_TYPE(&mx_iprobe, mx_return_t (*)(mx_endpoint_t, uint64_t, uint64_t, mx_status_t *,
				    uint32_t *))
PIN_TYPE(&mx_probe, mx_return_t (*)(mx_endpoint_t, uint32_t, uint64_t, uint64_t, mx_status_t *,
				   uint32_t *))
PIN_TYPE(&mx_ibuffered, mx_return_t (*)(mx_endpoint_t, mx_request_t *, uint32_t *))
PIN_TYPE(&mx_buffered, mx_return_t (*)(mx_endpoint_t, mx_request_t *, uint32_t, uint32_t *))
PIN_TYPE(&mx_context, mx_return_t (*)(mx_request_t *, void **))
PIN_TYPE(&mx_get_info, mx_return_t (*)(mx_endpoint_t, mx_get_info_key_t, void *, uint32_t,
				      void *, uint32_t))
PIN_TYPE(&mx_hostname_to_nic_id, mx_return_t (*)(char *, uint64_t *))
PIN_TYPE(&mx_board_number_to_nic_id, mx_return_t (*)(uint32_t, uint64_t *))
PIN_TYPE(&mx_nic_id_to_board_number, mx_return_t (*)(uint64_t, uint32_t *))
PIN_TYPE(&mx_nic_id_to_hostname, mx_return_t (*)(uint64_t, char *))
PIN_TYPE(&mx_strerror, const char *(*)(mx_return_t))
PIN_TYPE(&mx_strstatus, const char *(*)(mx_status_code_t))
PIN_TYPE(&mx_register_unexp_callback, mx_return_t (*)(mx_endpoint_t, mx_matching_callback_t,
						     void *))
PIN_TYPE(&mx_iput, mx_return_t (*)(mx_endpoint_t, void *, uint32_t, mx_endpoint_addr_t,
				  uint64_t, void *, mx_request_t *))
PIN_TYPE(&mx_iget, mx_return_t (*)(mx_endpoint_t, void *, uint32_t, mx_endpoint_addr_t,
				  uint64_t, void *, mx_request_t *))

/* mx_extensions.h */
PIN_TYPE(&mx_iconnect, mx_return_t (*)(mx_endpoint_t, uint64_t, uint32_t, uint32_t, uint64_t,
				      void *, mx_request_t *))
PIN_TYPE(&mx_disconnect, mx_return_t (*)(mx_endpoint_t, mx_endpoint_addr_t))
PIN_TYPE(&mx_register_unexp_handler, mx_return_t (*)(mx_endpoint_t, mx_unexp_handler_t,
						    void *))
PIN_TYPE(&mx_forget, mx_return_t (*)(mx_endpoint_t, mx_request_t *))
PIN_TYPE(&mx_progress, mx_return_t (*)(mx_endpoint_t))
PIN_TYPE(&mx_set_endpoint_addr_context, mx_return_t (*)(mx_endpoint_addr_t, void *))
PIN_TYPE(&mx_get_endpoint_addr_context, mx_return_t (*)(mx_endpoint_addr_t, void **))
PIN_TYPE(&mx_set_request_timeout, mx_return_t (*)(mx_endpoint_t, mx_request_t, uint32_t))
PIN_TYPE(&mx_decompose_endpoint_addr2, mx_return_t (*)(mx_endpoint_addr_t, uint64_t *,
						      uint32_t *, uint32_t *))

/* mx_raw.h */
PIN_TYPE(&mx_raw_handle, mx_endpt_handle_t (*)(mx_raw_endpoint_t))
PIN_TYPE(&mx_raw_open_endpoint, mx_return_t (*)(uint32_t, mx_param_t *, uint32_t,
					       mx_raw_endpoint_t *))
PIN_TYPE(&mx_raw_close_endpoint, mx_return_t (*)(mx_raw_endpoint_t))
PIN_TYPE(&mx_raw_send, mx_return_t (*)(mx_raw_endpoint_t, uint32_t, void *, uint32_t, void *,
				      uint32_t, void *))
PIN_TYPE(&mx_raw_next_event, mx_return_t (*)(mx_raw_endpoint_t, uint32_t *, void **, void *,
					    uint32_t *, uint32_t, mx_raw_status_t *))
PIN_TYPE(&mx_raw_set_route_begin, mx_return_t (*)(mx_raw_endpoint_t))
PIN_TYPE(&mx_raw_set_route_end, mx_return_t (*)(mx_raw_endpoint_t))
PIN_TYPE(&mx_raw_set_route_mag, mx_return_t (*)(mx_raw_endpoint_t, uint64_t, void *, uint32_t,
					       uint32_t, uint32_t, mx_host_type_t, uint32_t))
PIN_TYPE(&mx_raw_set_route, mx_return_t (*)(mx_raw_endpoint_t, uint64_t, void *, uint32_t,
					   uint32_t, uint32_t, mx_host_type_t))
PIN_TYPE(&mx_raw_clear_routes, mx_return_t (*)(mx_raw_endpoint_t, uint64_t, uint32_t))
PIN_TYPE(&mx_raw_remove_peer, mx_return_t (*)(mx_raw_endpoint_t, uint64_t))
PIN_TYPE(&mx_raw_set_map_version, mx_return_t (*)(mx_raw_endpoint_t, uint32_t, uint64_t,
						 uint32_t, uint32_t, uint32_t))
PIN_TYPE(&mx_raw_num_ports, mx_return_t (*)(mx_raw_endpoint_t, uint32_t *))
PIN_TYPE(&mx_raw_line_speed, mx_return_t (*)(mx_raw_endpoint_t, mx_line_speed_t *))
PIN_TYPE(&mx_raw_set_hostname, mx_return_t (*)(mx_raw_endpoint_t, char *))
PIN_TYPE(&mx_raw_set_peer_name, mx_return_t (*)(mx_raw_endpoint_t, uint64_t, char *))
PIN_TYPE(&mx_raw_set_nic_reply_info, mx_return_t (*)(mx_raw_endpoint_t, void *, uint32_t))

#define STR(x)	#x
#define XSTR(x)	STR(x)

static void check_macros(void)
{
	/* mx_init() passes the API revision the program was compiled with */
	CHECK(strcmp(XSTR(mx_init()), "mx__init_api(0x301)") == 0);

	CHECK_EQU(MX_U32(UINT64_C(0x0123456789abcdef)), 0x01234567);
	CHECK_EQU(MX_L32(UINT64_C(0x0123456789abcdef)), 0x89abcdef);
	CHECK_EQU(MX_U32((uint32_t)0xdeadbeef), 0);
	CHECK_EQU(MX_U32(-1), 0);
	CHECK_EQU(MX_L32(-1), 0xffffffff);
	CHECK_EQU(sizeof(MX_U32(UINT64_C(1))), 4);
	CHECK_EQU(sizeof(MX_L32(UINT64_C(1))), 4);
}

/* A status written field by field lands at MX's byte offsets */
static void check_status_bytes(void)
{
	mx_status_t st;
	unsigned char *b = (unsigned char *)&st;
	uint64_t mi = UINT64_C(0x1122334455667788);
	uint32_t len = 0xa1a2a3a4;

	memset(&st, 0, sizeof(st));
	st.match_info = mi;
	st.msg_length = len;
	st.source.stuff[1] = ~UINT64_C(0);
	CHECK_MEM(b + L(24, 20), &mi, sizeof(mi));
	CHECK_MEM(b + L(32, 28), &len, sizeof(len));
	CHECK_EQU(b[L(8, 4) + 8], 0xff);
	CHECK_EQU(b[L(8, 4) + 15], 0xff);
	CHECK_EQU(b[L(8, 4) + 7], 0);
}

int main(void)
{
	check_macros();
	check_status_bytes();
	return omx_test_exit();
}
