/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MX raw interface: what a fabric mapper (such as mx_mapper or
 * fms) uses to send and receive raw frames on a board and to program
 * routes and peer names.  Same ABI rules as myriexpress.h: names, values
 * and signatures are MX's and are pinned by tests/unit/test_mx_headers.c.
 */
#ifndef MX_RAW_H
#define MX_RAW_H

#include "myriexpress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Feature macros programs test before using the matching calls */
#define MX_RAW_POLL_SUPPORTED		1
#define MX_SET_ROUTE_TAKES_MAGID	1
#define MX_HAS_RAW_LINE_SPEED		1
#define MX_HAS_RAW_SET_NIC_REPLY_INFO	1

/* Events given by mx_raw_next_event() in *status */
#define MX_RAW_NO_EVENT		0	/* timeout expired */
#define MX_RAW_SEND_COMPLETE	1	/* *context is that of a finished send */
#define MX_RAW_RECV_COMPLETE	2	/* a frame is in recv_buffer */

/* Why a board was declared dead */
#define MX_DEAD_RECOVERABLE_SRAM_PARITY_ERROR	10
#define MX_DEAD_SRAM_PARITY_ERROR		11
#define MX_DEAD_WATCHDOG_TIMEOUT		12
#define MX_DEAD_COMMAND_TIMEOUT			13
#define MX_DEAD_ENDPOINT_CLOSE_TIMEOUT		14
#define MX_DEAD_ROUTE_UPDATE_TIMEOUT		15
#define MX_DEAD_PCI_PARITY_ERROR		16
#define MX_DEAD_PCI_MASTER_ABORT		17

/* An open raw endpoint (opaque) */
typedef struct mx_raw_endpoint *mx_raw_endpoint_t;

/* One of the MX_RAW_* events */
typedef int mx_raw_status_t;

/* A file descriptor, for poll() */
typedef int mx_endpt_handle_t;

/* Kind of host at the end of a route */
typedef enum {
	MX_HOST_GM	= 1,
	MX_HOST_XM	= 2,
	MX_HOST_MX	= 3,
	MX_HOST_MXvM	= 4
} mx_host_type_t;

/* Open the raw endpoint of a board */
mx_return_t mx_raw_open_endpoint(uint32_t board_number,
				 mx_param_t *params_array,
				 uint32_t params_count,
				 mx_raw_endpoint_t *endpoint);

/* Close a raw endpoint */
mx_return_t mx_raw_close_endpoint(mx_raw_endpoint_t endpoint);

/* Give the descriptor to poll() for raw events */
mx_endpt_handle_t mx_raw_handle(mx_raw_endpoint_t ep);

/* Send a raw frame out of a port along a source route */
mx_return_t mx_raw_send(mx_raw_endpoint_t endpoint, uint32_t physical_port,
			void *route_pointer, uint32_t route_length,
			void *send_buffer, uint32_t buffer_length,
			void *context);

/* Wait up to timeout_ms for the next send completion or received frame */
mx_return_t mx_raw_next_event(mx_raw_endpoint_t endpoint,
			      uint32_t *incoming_port, void **context,
			      void *recv_buffer, uint32_t *recv_bytes,
			      uint32_t timeout_ms, mx_raw_status_t *status);

/* Open a batch of route changes */
mx_return_t mx_raw_set_route_begin(mx_raw_endpoint_t endpoint);

/* Close a batch of route changes and apply it */
mx_return_t mx_raw_set_route_end(mx_raw_endpoint_t endpoint);

/* mx_raw_set_route() with the extra mag_id of MX_SET_ROUTE_TAKES_MAGID */
mx_return_t mx_raw_set_route_mag(mx_raw_endpoint_t endpoint,
				 uint64_t destination_id,
				 void *route, uint32_t route_length,
				 uint32_t input_port, uint32_t output_port,
				 mx_host_type_t host_type, uint32_t mag_id);

/* Set a route to a peer */
mx_return_t mx_raw_set_route(mx_raw_endpoint_t endpoint,
			     uint64_t destination_id,
			     void *route, uint32_t route_length,
			     uint32_t input_port, uint32_t output_port,
			     mx_host_type_t host_type);

/* Drop the routes to a peer through a port */
mx_return_t mx_raw_clear_routes(mx_raw_endpoint_t endpoint,
				uint64_t destination_id, uint32_t port);

/* Drop a peer from the board's peer table */
mx_return_t mx_raw_remove_peer(mx_raw_endpoint_t endpoint,
			       uint64_t destination_id);

/* Record which map of the fabric the routes of a port come from */
mx_return_t mx_raw_set_map_version(mx_raw_endpoint_t endpoint,
				   uint32_t physical_port,
				   uint64_t mapper_id, uint32_t map_version,
				   uint32_t num_nodes,
				   uint32_t mapping_complete);

/* Give the number of network ports of the board */
mx_return_t mx_raw_num_ports(mx_raw_endpoint_t endpoint, uint32_t *num_ports);

/* Give the line speed of the board */
mx_return_t mx_raw_line_speed(mx_raw_endpoint_t endpoint,
			      mx_line_speed_t *speed);

/* Set the hostname the board announces */
mx_return_t mx_raw_set_hostname(mx_raw_endpoint_t endpoint, char *hostname);

/* Record the hostname of a peer */
mx_return_t mx_raw_set_peer_name(mx_raw_endpoint_t endpoint, uint64_t nic_id,
				 char *hostname);

/* Set the opaque blob the board returns in its replies to the mapper */
mx_return_t mx_raw_set_nic_reply_info(mx_raw_endpoint_t ep, void *blob,
				      uint32_t size);

#ifdef __cplusplus
}
#endif

#endif /* MX_RAW_H */
