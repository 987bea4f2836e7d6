/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Extensions of the MX 1.2 API: non-blocking connect, disconnect, the
 * unexpected-message handler, explicit progress, per-address context
 * pointers and per-request timeouts.  Same ABI rules as myriexpress.h:
 * names, values and signatures are MX's and are pinned by
 * tests/unit/test_mx_headers.c.
 */
#ifndef MX_EXTENSIONS_H
#define MX_EXTENSIONS_H

#include "myriexpress.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connecting
 */

/* Tells programs that mx_iconnect() takes match_info and context */
#define MX_HAS_ICONNECT_V2	1

/* Start resolving a peer endpoint; the request completes with its address */
mx_return_t mx_iconnect(mx_endpoint_t ep, uint64_t nic_id, uint32_t eid,
			uint32_t key, uint64_t match_info, void *context,
			mx_request_t *request);

/* Drop the connection to a peer address */
mx_return_t mx_disconnect(mx_endpoint_t ep, mx_endpoint_addr_t addr);

/* Attach a program pointer to a peer address */
mx_return_t mx_set_endpoint_addr_context(mx_endpoint_addr_t endpoint_addr,
					 void *context);

/* Read the pointer attached by mx_set_endpoint_addr_context() */
mx_return_t mx_get_endpoint_addr_context(mx_endpoint_addr_t endpoint_addr,
					 void **context);

/* Like mx_decompose_endpoint_addr(), also giving the peer's session id */
mx_return_t mx_decompose_endpoint_addr2(mx_endpoint_addr_t endpoint_addr,
					uint64_t *nic_id, uint32_t *endpoint_id,
					uint32_t *session_id);

/*
 * Unexpected messages
 */

/* What an unexpected handler tells the library to do with the message */
enum mx_unexp_handler_action {
	MX_RECV_CONTINUE	= 0,	/* match it as usual (maybe a new irecv) */
	MX_RECV_FINISHED	= 1	/* the handler consumed it: drop it */
};
typedef enum mx_unexp_handler_action mx_unexp_handler_action_t;

/*
 * Called for each message that matches no posted receive, before it is
 * queued.  data_if_available points to the payload when the message is
 * small enough to have arrived whole, NULL otherwise.
 */
typedef mx_unexp_handler_action_t
(*mx_unexp_handler_t)(void *context, mx_endpoint_addr_t source,
		      uint64_t match_value, uint32_t length,
		      void *data_if_available);

/* Install (or with NULL remove) the endpoint's unexpected handler */
mx_return_t mx_register_unexp_handler(mx_endpoint_t ep,
				      mx_unexp_handler_t handler,
				      void *context);

/*
 * Requests and progress
 */

/* Let a request complete on its own: it is never returned by test/wait */
mx_return_t mx_forget(mx_endpoint_t endpoint, mx_request_t *request);

/* Process whatever the endpoint has pending, without blocking */
mx_return_t mx_progress(mx_endpoint_t ep);

/* Set after how many ms without progress a request (NULL: any) fails */
mx_return_t mx_set_request_timeout(mx_endpoint_t endpoint,
				   mx_request_t request,
				   uint32_t milli_seconds);

#ifdef __cplusplus
}
#endif

#endif /* MX_EXTENSIONS_H */
