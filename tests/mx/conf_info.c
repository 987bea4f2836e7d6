// SPDX-License-Identifier: GPL-2.0-or-later
/* mx_get_info() and the hostname / nic id / board number conversions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

/* Room for the nic ids of every board (omx has at most 32). */
#define CONF_IDS_MAX	64

static void check_get_info(struct conf *c)
{
	uint32_t count = 0, v = 0, board = c->board_b, ncnt = 0;
	uint64_t ids[CONF_IDS_MAX];
	char *labels;
	uint32_t *values;
	mx_return_t ret;

	ret = mx_get_info(NULL, MX_NIC_COUNT, NULL, 0, &count, sizeof(count));
	mt_check(ret == MX_SUCCESS && count == c->nic_count,
		 "get_info MX_NIC_COUNT", "%s, count %u, expected %u",
		 mx_strerror(ret), count, c->nic_count);
	memset(ids, 0xff, sizeof(ids));
	ret = mx_get_info(NULL, MX_NIC_IDS, NULL, 0, ids, sizeof(ids));
	mt_check(ret == MX_SUCCESS && ids[c->board_a] == c->nic_a &&
		 ids[c->board_b] == c->nic_b,
		 "get_info MX_NIC_IDS lists the boards' nic ids",
		 "%s, [%u]=%#llx [%u]=%#llx", mx_strerror(ret), c->board_a,
		 (unsigned long long)ids[c->board_a], c->board_b,
		 (unsigned long long)ids[c->board_b]);
	ret = mx_get_info(c->a, MX_MAX_NATIVE_ENDPOINTS, NULL, 0, &v,
			  sizeof(v));
	mt_check(ret == MX_SUCCESS && v >= 3 && v <= 256,
		 "get_info MX_MAX_NATIVE_ENDPOINTS", "%s, %u", mx_strerror(ret),
		 v);
	v = 0;
	ret = mx_get_info(c->a, MX_NATIVE_REQUESTS, NULL, 0, &v, sizeof(v));
	mt_check(ret == MX_SUCCESS && v > 0, "get_info MX_NATIVE_REQUESTS",
		 "%s, %u", mx_strerror(ret), v);
	v = ~0U;
	ret = mx_get_info(c->a, MX_NET_TYPE, &board, sizeof(board), &v,
			  sizeof(v));
	mt_check(ret == MX_SUCCESS && v == MX_NET_ETHER,
		 "get_info MX_NET_TYPE is MX_NET_ETHER", "%s, %u",
		 mx_strerror(ret), v);
	v = ~0U;
	ret = mx_get_info(c->a, MX_LINE_SPEED, &board, sizeof(board), &v,
			  sizeof(v));
	mt_check(ret == MX_SUCCESS && v == MX_SPEED_OPEN_MX,
		 "get_info MX_LINE_SPEED is MX_SPEED_OPEN_MX", "%s, %u",
		 mx_strerror(ret), v);
	ret = mx_get_info(c->a, MX_COUNTERS_COUNT, &board, sizeof(board),
			  &ncnt, sizeof(ncnt));
	if (mt_check(ret == MX_SUCCESS && ncnt > 0 && ncnt <= 4096,
		     "get_info MX_COUNTERS_COUNT", "%s, %u", mx_strerror(ret),
		     ncnt)) {
		labels = calloc(ncnt, MX_MAX_STR_LEN);
		values = calloc(ncnt, sizeof(*values));
		ret = mx_get_info(c->a, MX_COUNTERS_LABELS, &board,
				  sizeof(board), labels, ncnt * MX_MAX_STR_LEN);
		mt_check(ret == MX_SUCCESS && labels[0] &&
			 labels[(ncnt - 1) * MX_MAX_STR_LEN],
			 "get_info MX_COUNTERS_LABELS names every counter",
			 "%s, first '%.40s'", mx_strerror(ret), labels);
		ret = mx_get_info(c->a, MX_COUNTERS_VALUES, &board,
				  sizeof(board), values,
				  ncnt * (uint32_t)sizeof(*values));
		mt_check_ret("get_info MX_COUNTERS_VALUES", ret, MX_SUCCESS);
		free(labels);
		free(values);
	}
	ret = mx_get_info(c->a, (mx_get_info_key_t)999, NULL, 0, &v,
			  sizeof(v));
	mt_check_ret("get_info with an unknown key: MX_BAD_INFO_KEY", ret,
		     MX_BAD_INFO_KEY);
	ret = mx_get_info(NULL, MX_NIC_COUNT, NULL, 0, &v, 1);
	mt_check_ret("get_info into a short buffer: MX_BAD_INFO_LENGTH", ret,
		     MX_BAD_INFO_LENGTH);
}

static void check_names(struct conf *c)
{
	char host[MX_MAX_HOSTNAME_LEN], want[MX_MAX_HOSTNAME_LEN + 16];
	char node[MX_MAX_HOSTNAME_LEN] = "";
	uint64_t nic = 0;
	uint32_t board = ~0U;
	mx_return_t ret;

	gethostname(node, sizeof(node) - 1);
	snprintf(want, sizeof(want), "%s:%u", node, c->board_b);
	memset(host, 0, sizeof(host));
	ret = mx_nic_id_to_hostname(c->nic_b, host);
	mt_check(ret == MX_SUCCESS && !strcmp(host, want),
		 "mx_nic_id_to_hostname names a board HOST:BOARD",
		 "%s, '%s', expected '%s'", mx_strerror(ret), host, want);
	ret = mx_hostname_to_nic_id(want, &nic);
	mt_check(ret == MX_SUCCESS && nic == c->nic_b,
		 "mx_hostname_to_nic_id finds the board",
		 "%s('%s'): %#llx, expected %#llx", mx_strerror(ret), want,
		 (unsigned long long)nic, (unsigned long long)c->nic_b);
	ret = mx_nic_id_to_board_number(c->nic_b, &board);
	mt_check(ret == MX_SUCCESS && board == c->board_b,
		 "mx_nic_id_to_board_number is the inverse",
		 "%s: %u, expected %u", mx_strerror(ret), board, c->board_b);
	ret = mx_hostname_to_nic_id("no-such-host:7", &nic);
	mt_check_ret("unknown hostname: MX_HOST_NOT_FOUND", ret,
		     MX_HOST_NOT_FOUND);
	ret = mx_board_number_to_nic_id(200, &nic);
	mt_check_ret("unknown board number: MX_BOARD_UNKNOWN", ret,
		     MX_BOARD_UNKNOWN);
	ret = mx_nic_id_to_hostname(0x00deadbeef42ULL, host);
	mt_check_ret("mx_nic_id_to_hostname of an unknown nic: MX_NIC_NOT_FOUND",
		     ret, MX_NIC_NOT_FOUND);
	ret = mx_nic_id_to_board_number(0x00deadbeef42ULL, &board);
	mt_check(ret == MX_NIC_NOT_FOUND || ret == MX_BOARD_UNKNOWN,
		 "mx_nic_id_to_board_number of a remote or unknown nic fails",
		 "returned %d (%s)", (int)ret, mx_strerror(ret));
}

void conf_info(struct conf *c)
{
	check_get_info(c);
	check_names(c);
}
