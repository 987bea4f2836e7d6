/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Information: mx_get_info and the conversions between hostnames, nic
 * ids (a board's MAC address as a 48-bit number, like MX) and local
 * board numbers; plus the one-sided calls MX declared but omx, like
 * Open-MX, does not provide.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "omx_mx.h"

static mx_return_t omx_need_init(const char *fn)
{
	if (!__atomic_load_n(&omx_initialized, __ATOMIC_ACQUIRE))
		return omx_error(NULL, MX_NOT_INITIALIZED, "%s: call mx_init() first", fn);
	return MX_SUCCESS;
}

/* Locked global query. */
static int omx_board(uint32_t b, struct omx_board_info *bi)
{
	return omx_lib_get_board_info(&omx_global_dev, b, bi) == OMX_LIB_SUCCESS ? 0 : -1;
}

static mx_return_t omx_info_board(mx_endpoint_t ep, void *in, uint32_t in_len,
				  struct omx_board_info *bi, uint32_t *board)
{
	if (!in || in_len < sizeof(uint32_t))
		return omx_error(ep, MX_BAD_INFO_LENGTH,
				 "mx_get_info: this key needs a uint32_t board number as in_val");
	memcpy(board, in, sizeof(*board));
	if (*board >= OMX_MAX_BOARDS || omx_board(*board, bi) < 0)
		return omx_error(ep, MX_BOARD_UNKNOWN, "mx_get_info: no board %u", *board);
	return MX_SUCCESS;
}

static mx_return_t omx_put_u32(mx_endpoint_t ep, void *out, uint32_t out_len, uint32_t v)
{
	if (out_len < sizeof(v))
		return omx_error(ep, MX_BAD_INFO_LENGTH, "mx_get_info: out_len %u is too short for a uint32_t",
				 out_len);
	memcpy(out, &v, sizeof(v));
	return MX_SUCCESS;
}

static mx_return_t omx_put_str(mx_endpoint_t ep, void *out, uint32_t out_len, const char *s)
{
	if (out_len < strlen(s) + 1)
		return omx_error(ep, MX_BAD_INFO_LENGTH, "mx_get_info: out_len %u is too short for \"%s\"",
				 out_len, s);
	memcpy(out, s, strlen(s) + 1);
	return MX_SUCCESS;
}

static mx_return_t omx_get_info_locked(mx_endpoint_t ep, mx_get_info_key_t key, void *in,
				       uint32_t in_len, void *out, uint32_t out_len)
{
	struct omx_board_counters ctrs;
	struct omx_board_info bi;
	uint32_t board = 0, count = 0, max = 0, i;
	uint64_t ids[OMX_MAX_BOARDS];
	mx_return_t ret;

	switch (key) {
	case MX_NIC_COUNT:
	case MX_NIC_IDS:
	case MX_MAX_NATIVE_ENDPOINTS:
		for (i = 0; i < OMX_MAX_BOARDS; i++) {
			if (omx_board(i, &bi) < 0)
				continue;
			ids[count++] = omx_mac_to_nic_id(bi.mac);
			if (bi.endpoint_max > max)
				max = bi.endpoint_max;
		}
		if (key == MX_NIC_COUNT)
			return omx_put_u32(ep, out, out_len, count);
		if (key == MX_MAX_NATIVE_ENDPOINTS)
			return omx_put_u32(ep, out, out_len, max ? max : OMX_ENDPOINTS_MAX);
		/* MX ends the list with a 0 id */
		if (out_len < (count + 1) * sizeof(uint64_t))
			return omx_error(ep, MX_BAD_INFO_LENGTH,
					 "mx_get_info(MX_NIC_IDS): needs %zu bytes for %u boards",
					 (count + 1) * sizeof(uint64_t), count);
		memset(out, 0, (count + 1) * sizeof(uint64_t));
		memcpy(out, ids, count * sizeof(uint64_t));
		return MX_SUCCESS;
	case MX_NATIVE_REQUESTS:
		return omx_put_u32(ep, out, out_len, OMX_UNEXP_EVENTS);
	case MX_PIO_SEND_MAX:
		return omx_put_u32(ep, out, out_len, OMX_TINY_MAX);
	case MX_COPY_SEND_MAX:
		return omx_put_u32(ep, out, out_len, OMX_MEDIUM_MAX);
	default:
		break;
	}

	switch (key) {
	case MX_COUNTERS_COUNT:
	case MX_COUNTERS_LABELS:
	case MX_COUNTERS_VALUES:
	case MX_PRODUCT_CODE:
	case MX_PART_NUMBER:
	case MX_SERIAL_NUMBER:
	case MX_PORT_COUNT:
	case MX_NUMA_NODE:
	case MX_NET_TYPE:
	case MX_LINE_SPEED:
		break;
	default:
		return omx_error(ep, MX_BAD_INFO_KEY, "mx_get_info: unknown key %d", (int)key);
	}
	ret = omx_info_board(ep, in, in_len, &bi, &board);
	if (ret != MX_SUCCESS)
		return ret;
	switch (key) {
	case MX_COUNTERS_COUNT:
		return omx_put_u32(ep, out, out_len, OMX_COUNTER_NR);
	case MX_COUNTERS_LABELS:
		if (out_len < OMX_COUNTER_NR * MX_MAX_STR_LEN)
			return omx_error(ep, MX_BAD_INFO_LENGTH,
					 "mx_get_info(MX_COUNTERS_LABELS): needs %u bytes",
					 OMX_COUNTER_NR * MX_MAX_STR_LEN);
		for (i = 0; i < OMX_COUNTER_NR; i++)
			snprintf((char *)out + i * MX_MAX_STR_LEN, MX_MAX_STR_LEN, "%s",
				 omx_lib_counter_name(i));
		return MX_SUCCESS;
	case MX_COUNTERS_VALUES:
		if (out_len < OMX_COUNTER_NR * sizeof(uint32_t))
			return omx_error(ep, MX_BAD_INFO_LENGTH,
					 "mx_get_info(MX_COUNTERS_VALUES): needs %zu bytes",
					 OMX_COUNTER_NR * sizeof(uint32_t));
		if (omx_lib_get_counters(&omx_global_dev, board, &ctrs) != OMX_LIB_SUCCESS)
			return omx_error(ep, MX_BOARD_UNKNOWN, "mx_get_info: %s",
					 omx_lib_errmsg(&omx_global_dev));
		for (i = 0; i < OMX_COUNTER_NR; i++) {
			uint32_t v = (uint32_t)ctrs.values[i];

			memcpy((char *)out + i * sizeof(v), &v, sizeof(v));
		}
		return MX_SUCCESS;
	case MX_PRODUCT_CODE:
		return omx_put_str(ep, out, out_len, "Open-MX");
	case MX_PART_NUMBER:
		return omx_put_str(ep, out, out_len, bi.ifname);
	case MX_SERIAL_NUMBER: {
		char s[32];

		snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", bi.mac[0], bi.mac[1],
			 bi.mac[2], bi.mac[3], bi.mac[4], bi.mac[5]);
		return omx_put_str(ep, out, out_len, s);
	}
	case MX_PORT_COUNT:
		return omx_put_u32(ep, out, out_len, 1);
	case MX_NUMA_NODE:
		return omx_put_u32(ep, out, out_len, (uint32_t)bi.numa_node);
	case MX_NET_TYPE:
		return omx_put_u32(ep, out, out_len, MX_NET_ETHER);
	default:
		return omx_put_u32(ep, out, out_len, MX_SPEED_OPEN_MX);
	}
}

mx_return_t mx_get_info(mx_endpoint_t ep, mx_get_info_key_t key, void *in_val,
			uint32_t in_len, void *out_val, uint32_t out_len)
{
	mx_return_t ret = omx_need_init("mx_get_info");

	if (ret != MX_SUCCESS)
		return ret;
	if (ep && ep->magic != OMX_ENDPOINT_MAGIC)
		return omx_error(NULL, MX_BAD_ENDPOINT, "mx_get_info: not an open endpoint");
	if (!out_val)
		return omx_error(ep, MX_BAD_INFO_VAL, "mx_get_info: out_val is NULL");
	pthread_mutex_lock(&omx_global_lock);
	ret = omx_get_info_locked(ep, key, in_val, in_len, out_val, out_len);
	pthread_mutex_unlock(&omx_global_lock);
	return ret;
}

mx_return_t mx_board_number_to_nic_id(uint32_t board_number, uint64_t *nic_id)
{
	struct omx_board_info bi;
	mx_return_t ret = omx_need_init("mx_board_number_to_nic_id");
	int err;

	if (ret != MX_SUCCESS)
		return ret;
	if (!nic_id)
		return omx_error(NULL, MX_BAD_PARAM_VAL, "mx_board_number_to_nic_id: nic_id is NULL");
	pthread_mutex_lock(&omx_global_lock);
	err = board_number >= OMX_MAX_BOARDS || omx_board(board_number, &bi) < 0;
	pthread_mutex_unlock(&omx_global_lock);
	if (err)
		return omx_error(NULL, MX_BOARD_UNKNOWN, "mx_board_number_to_nic_id: no board %u",
				 board_number);
	*nic_id = omx_mac_to_nic_id(bi.mac);
	return MX_SUCCESS;
}

mx_return_t mx_nic_id_to_board_number(uint64_t nic_id, uint32_t *board_number)
{
	struct omx_board_info bi;
	uint32_t b;
	mx_return_t ret = omx_need_init("mx_nic_id_to_board_number");

	if (ret != MX_SUCCESS)
		return ret;
	if (!board_number)
		return omx_error(NULL, MX_BAD_PARAM_VAL, "mx_nic_id_to_board_number: board_number is NULL");
	pthread_mutex_lock(&omx_global_lock);
	for (b = 0; b < OMX_MAX_BOARDS; b++) {
		if (omx_board(b, &bi) == 0 && omx_mac_to_nic_id(bi.mac) == nic_id) {
			pthread_mutex_unlock(&omx_global_lock);
			*board_number = b;
			return MX_SUCCESS;
		}
	}
	pthread_mutex_unlock(&omx_global_lock);
	return omx_error(NULL, MX_NIC_NOT_FOUND,
			 "mx_nic_id_to_board_number: nic id %012llx is not a local board",
			 (unsigned long long)nic_id);
}

mx_return_t mx_hostname_to_nic_id(char *hostname, uint64_t *nic_id)
{
	struct omx_peer_lookup lk;
	struct omx_board_info bi;
	uint32_t b;
	int err;
	mx_return_t ret = omx_need_init("mx_hostname_to_nic_id");

	if (ret != MX_SUCCESS)
		return ret;
	if (!hostname || !nic_id || strlen(hostname) >= OMX_HOSTNAMELEN_MAX)
		return omx_error(NULL, MX_BAD_HOSTNAME_ARGS,
				 "mx_hostname_to_nic_id: hostname and nic_id must be valid, the name shorter than %u bytes",
				 OMX_HOSTNAMELEN_MAX);
	pthread_mutex_lock(&omx_global_lock);
	for (b = 0; b < OMX_MAX_BOARDS; b++) {
		if (omx_board(b, &bi) == 0 && !strcmp(bi.hostname, hostname)) {
			pthread_mutex_unlock(&omx_global_lock);
			*nic_id = omx_mac_to_nic_id(bi.mac);
			return MX_SUCCESS;
		}
	}
	memset(&lk, 0, sizeof(lk));
	lk.flags = OMX_PEER_LOOKUP_BY_HOSTNAME;
	snprintf(lk.hostname, sizeof(lk.hostname), "%s", hostname);
	err = omx_drv_peer_lookup(omx_global_dev.fd, &lk);
	pthread_mutex_unlock(&omx_global_lock);
	if (err < 0)
		return omx_error(NULL, MX_HOST_NOT_FOUND,
				 "mx_hostname_to_nic_id: no board named \"%s\" known (see omx_info for the peers)",
				 hostname);
	*nic_id = omx_mac_to_nic_id(lk.mac);
	return MX_SUCCESS;
}

mx_return_t mx_nic_id_to_hostname(uint64_t nic_id, char *hostname)
{
	struct omx_peer_lookup lk;
	struct omx_board_info bi;
	uint32_t b;
	int err;
	mx_return_t ret = omx_need_init("mx_nic_id_to_hostname");

	if (ret != MX_SUCCESS)
		return ret;
	if (!hostname)
		return omx_error(NULL, MX_BAD_HOSTNAME_ARGS, "mx_nic_id_to_hostname: hostname is NULL");
	pthread_mutex_lock(&omx_global_lock);
	for (b = 0; b < OMX_MAX_BOARDS; b++) {
		if (omx_board(b, &bi) == 0 && omx_mac_to_nic_id(bi.mac) == nic_id) {
			pthread_mutex_unlock(&omx_global_lock);
			snprintf(hostname, MX_MAX_HOSTNAME_LEN, "%s", bi.hostname);
			return MX_SUCCESS;
		}
	}
	memset(&lk, 0, sizeof(lk));
	omx_nic_id_to_mac(nic_id, lk.mac);
	err = nic_id && !(nic_id >> 48) ? omx_drv_peer_lookup(omx_global_dev.fd, &lk) : -1;
	pthread_mutex_unlock(&omx_global_lock);
	if (err < 0 || !lk.hostname[0])
		return omx_error(NULL, MX_NIC_NOT_FOUND,
				 "mx_nic_id_to_hostname: nic id %012llx has no known hostname",
				 (unsigned long long)nic_id);
	snprintf(hostname, MX_MAX_HOSTNAME_LEN, "%s", lk.hostname);
	return MX_SUCCESS;
}

mx_return_t mx_iput(mx_endpoint_t ep, void *local_addr, uint32_t length,
		    mx_endpoint_addr_t dest_endpoint, uint64_t remote_addr, void *context,
		    mx_request_t *request)
{
	(void)local_addr, (void)length, (void)dest_endpoint, (void)remote_addr;
	(void)context, (void)request;
	return omx_error(ep, MX_FAILURE, "mx_iput: one-sided operations are not provided by omx (nor by MX 1.2 libraries)");
}

mx_return_t mx_iget(mx_endpoint_t ep, void *local_addr, uint32_t length,
		    mx_endpoint_addr_t dest_endpoint, uint64_t remote_addr, void *context,
		    mx_request_t *request)
{
	(void)local_addr, (void)length, (void)dest_endpoint, (void)remote_addr;
	(void)context, (void)request;
	return omx_error(ep, MX_FAILURE, "mx_iget: one-sided operations are not provided by omx (nor by MX 1.2 libraries)");
}

mx_return_t omx_get_endpoint_stats(mx_endpoint_t ep, struct omx_endpoint_stats *stats,
				   uint32_t size)
{
	mx_return_t ret = omx_check_ep(ep, "omx_get_endpoint_stats");

	if (ret != MX_SUCCESS)
		return ret;
	if (!stats || !size)
		return omx_error(ep, MX_BAD_PARAM_VAL,
				 "omx_get_endpoint_stats: stats is NULL or size is 0");
	if (size > sizeof(ep->stats))
		size = sizeof(ep->stats);
	omx_ep_lock(ep);
	memcpy(stats, &ep->stats, size);
	omx_ep_unlock(ep);
	return MX_SUCCESS;
}
