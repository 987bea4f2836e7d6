/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Subcommands of mx_conformance that involve two processes. */
#ifndef CONF_PEERS_H
#define CONF_PEERS_H

#include <stdint.h>
#include <sys/types.h>

#include "myriexpress.h"

int conf_server(uint32_t board);
int conf_client(uint32_t board, const char *peer_host, uint64_t peer_nic,
		uint32_t peer_eid, uint32_t count);
int conf_sink(uint32_t board);
int conf_timeouts(uint32_t board, uint32_t peer_board, const char *cut,
		  const char *uncut);
int conf_child(const char *mode);
/* Start a sink on @board and connect @ep to it; returns its pid or -1. */
pid_t conf_start_sink(mx_endpoint_t ep, uint32_t board, mx_endpoint_addr_t *addr);

#endif /* CONF_PEERS_H */
