/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libomx: opening the omx driver, agreeing on the ABI, board queries and
 * endpoint binding.  Every failure leaves a message in the handle that
 * says what went wrong and what to do about it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "omx_drv.h"
#include "omx_lib.h"

/*
 * Test-only: tests/driver compiles a separate copy of this file with
 * OMX_ABI_VERSION_OVERRIDE to check that the driver refuses a library
 * built for another ABI.  The library itself never sets it.
 */
#ifdef OMX_ABI_VERSION_OVERRIDE
#define OMX_LIB_ABI_VERSION	((__u32)(OMX_ABI_VERSION_OVERRIDE))
#else
#define OMX_LIB_ABI_VERSION	((__u32)(OMX_ABI_VERSION))
#endif

__u32 omx_lib_abi_version(void)
{
	return OMX_LIB_ABI_VERSION;
}

__attribute__((format(printf, 3, 4)))
static enum omx_lib_status omx_lib_fail(struct omx_lib_dev *dev,
					enum omx_lib_status status,
					const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->errmsg, sizeof(dev->errmsg), fmt, ap);
	va_end(ap);
	return status;
}

static enum omx_lib_status omx_lib_ok(struct omx_lib_dev *dev)
{
	dev->sys_errno = 0;
	dev->errmsg[0] = '\0';
	return OMX_LIB_SUCCESS;
}

/* Records the errno of a failed driver command (omx_drv.h) in the handle. */
static int omx_lib_check(struct omx_lib_dev *dev, int ret)
{
	if (ret < 0)
		dev->sys_errno = errno;
	return ret;
}

/* Failures any command can meet, and the catch-all. */
static enum omx_lib_status omx_lib_common_failure(struct omx_lib_dev *dev,
						  const char *what)
{
	switch (dev->sys_errno) {
	case EPROTO:
		return omx_lib_fail(dev, OMX_LIB_ABI_MISMATCH,
				    "omx: %s refused: ABI not agreed with the driver (library ABI 0x%x); rebuild omx against the loaded driver",
				    what, OMX_LIB_ABI_VERSION);
	case EBADF:
		return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
				    "omx: %s: the omx device is not open", what);
	default:
		return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
				    "omx: %s failed: %s", what,
				    strerror(dev->sys_errno));
	}
}

/*
 * ENODEV means "no such board", or, once an endpoint is bound, possibly
 * that its board was detached by force; only the endpoint query tells.
 */
static int omx_lib_endpoint_is_dead(struct omx_lib_dev *dev)
{
	struct omx_endpoint_info info;
	int saved = dev->sys_errno;
	int dead;

	dead = omx_lib_check(dev, omx_drv_get_endpoint_info(dev->fd, &info)) < 0 &&
	       dev->sys_errno == ENODEV;
	dev->sys_errno = saved;
	return dead;
}

static enum omx_lib_status omx_lib_dead_failure(struct omx_lib_dev *dev)
{
	return omx_lib_fail(dev, OMX_LIB_ENDPOINT_DEAD,
			    "omx: the endpoint's board was detached; close the endpoint and open one on an attached board");
}

static enum omx_lib_status omx_lib_board_failure(struct omx_lib_dev *dev,
						 const char *what, __u32 board)
{
	switch (dev->sys_errno) {
	case ENODEV:
		if (omx_lib_endpoint_is_dead(dev))
			return omx_lib_dead_failure(dev);
		return omx_lib_fail(dev, OMX_LIB_NO_SUCH_BOARD,
				    "omx: no board %u: attach an interface first (echo IFNAME > /sys/module/omx/parameters/ifnames)",
				    board);
	case EINVAL:
		return omx_lib_fail(dev, OMX_LIB_BAD_INDEX,
				    "omx: %s: board index %u is out of range (boards are 0 to %u)",
				    what, board, OMX_MAX_BOARDS - 1);
	case EPERM:
	case EACCES:
		return omx_lib_fail(dev, OMX_LIB_ACCESS_DENIED,
				    "omx: %s on board %u: permission denied (needs CAP_NET_ADMIN, e.g. root)",
				    what, board);
	default:
		return omx_lib_common_failure(dev, what);
	}
}

enum omx_lib_status omx_lib_open(struct omx_lib_dev *dev, const char *path)
{
	__u32 driver_abi = 0, lib_abi = OMX_LIB_ABI_VERSION;
	int err;

	dev->fd = -1;
	dev->driver_abi = 0;
	omx_lib_ok(dev);

	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		dev->sys_errno = errno;
		switch (errno) {
		case ENOENT:
		case ENXIO:
		case ENODEV:
			return omx_lib_fail(dev, OMX_LIB_NO_DRIVER,
					    "omx: %s not found: is the omx kernel module loaded? (modprobe omx / insmod omx.ko)",
					    path);
		case EACCES:
		case EPERM:
			return omx_lib_fail(dev, OMX_LIB_ACCESS_DENIED,
					    "omx: permission denied opening %s: ask your administrator for access to it",
					    path);
		default:
			return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
					    "omx: cannot open %s: %s", path,
					    strerror(errno));
		}
	}

	if (omx_lib_check(dev, omx_drv_get_abi_version(dev->fd, &driver_abi)) < 0) {
		err = dev->sys_errno;
		omx_lib_close(dev);
		dev->sys_errno = err;
		return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
				    "omx: %s does not answer the omx ABI query (%s): is it the omx driver?",
				    path, strerror(err));
	}
	dev->driver_abi = driver_abi;

	/* declare even when we already know: the driver then logs it too */
	if (omx_lib_check(dev, omx_drv_declare_abi_version(dev->fd, lib_abi)) < 0 ||
	    driver_abi != lib_abi) {
		err = dev->sys_errno;
		omx_lib_close(dev);
		dev->sys_errno = err ? err : EPROTO;
		if (dev->sys_errno != EPROTO && driver_abi == lib_abi)
			return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
					    "omx: declaring ABI 0x%x to %s failed: %s",
					    lib_abi, path, strerror(err));
		return omx_lib_fail(dev, OMX_LIB_ABI_MISMATCH,
				    "omx: library built for ABI 0x%x but driver speaks ABI 0x%x; rebuild omx against the loaded driver",
				    lib_abi, driver_abi);
	}
	return omx_lib_ok(dev);
}

void omx_lib_close(struct omx_lib_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

const char *omx_lib_errmsg(const struct omx_lib_dev *dev)
{
	return dev->errmsg;
}

const char *omx_lib_strstatus(enum omx_lib_status status)
{
	switch (status) {
	case OMX_LIB_SUCCESS:
		return "success";
	case OMX_LIB_NO_DRIVER:
		return "omx driver not loaded";
	case OMX_LIB_ACCESS_DENIED:
		return "permission denied";
	case OMX_LIB_ABI_MISMATCH:
		return "library and driver ABI mismatch";
	case OMX_LIB_NO_SUCH_BOARD:
		return "no such board";
	case OMX_LIB_BAD_INDEX:
		return "index out of range";
	case OMX_LIB_BUSY:
		return "endpoint busy";
	case OMX_LIB_ALREADY_BOUND:
		return "endpoint already open on this handle";
	case OMX_LIB_NOT_BOUND:
		return "no endpoint open on this handle";
	case OMX_LIB_ENDPOINT_DEAD:
		return "endpoint dead: its board was detached";
	case OMX_LIB_SYSTEM_ERROR:
		return "system error";
	case OMX_LIB_NO_SUCH_PEER:
		return "no such peer";
	case OMX_LIB_BOARD_DOWN:
		return "board down";
	case OMX_LIB_USER_LIMIT:
		return "too many endpoints for this user (endpoints_per_user)";
	}
	return "unknown status";
}

enum omx_lib_status omx_lib_get_board_count(struct omx_lib_dev *dev,
					    __u32 *count)
{
	if (omx_lib_check(dev, omx_drv_get_board_count(dev->fd, count)) < 0) {
		if (dev->sys_errno == ENODEV && omx_lib_endpoint_is_dead(dev))
			return omx_lib_dead_failure(dev);
		return omx_lib_common_failure(dev, "getting the board count");
	}
	return omx_lib_ok(dev);
}

enum omx_lib_status omx_lib_get_board_info(struct omx_lib_dev *dev,
					   __u32 board,
					   struct omx_board_info *info)
{
	memset(info, 0, sizeof(*info));
	info->board_index = board;
	if (omx_lib_check(dev, omx_drv_get_board_info(dev->fd, info)) < 0)
		return omx_lib_board_failure(dev, "getting board info", board);
	return omx_lib_ok(dev);
}

enum omx_lib_status omx_lib_get_counters(struct omx_lib_dev *dev, __u32 board,
					 struct omx_board_counters *counters)
{
	memset(counters, 0, sizeof(*counters));
	counters->board_index = board;
	if (omx_lib_check(dev, omx_drv_get_counters(dev->fd, counters)) < 0)
		return omx_lib_board_failure(dev, "reading counters", board);
	return omx_lib_ok(dev);
}

enum omx_lib_status omx_lib_clear_counters(struct omx_lib_dev *dev,
					   __u32 board)
{
	if (omx_lib_check(dev, omx_drv_clear_counters(dev->fd, board)) < 0)
		return omx_lib_board_failure(dev, "clearing counters", board);
	return omx_lib_ok(dev);
}

const char *omx_lib_counter_name(unsigned int index)
{
	static const char *const names[OMX_COUNTER_NR] = OMX_COUNTER_NAMES;

	if (index >= OMX_COUNTER_NR || !names[index])
		return "unknown";
	return names[index];
}

const char *omx_lib_steer_mode_name(__u32 mode)
{
	static const char *const names[] = {
		[OMX_STEER_MODE_NONE] = "none",
		[OMX_STEER_MODE_NIC] = "nic",
		[OMX_STEER_MODE_XDP] = "xdp",
	};

	return mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "unknown";
}

const char *omx_lib_steer_source_name(__u32 source)
{
	static const char *const names[] = {
		[OMX_STEER_SRC_SINGLE_QUEUE] = "single-queue",
		[OMX_STEER_SRC_NO_EVIDENCE] = "no-evidence",
		[OMX_STEER_SRC_MISPLACED] = "misplaced",
		[OMX_STEER_SRC_OBSERVED] = "observed",
		[OMX_STEER_SRC_MYRI10GE] = "myri10ge",
		[OMX_STEER_SRC_XDP_PROG] = "xdp-program",
	};

	return source < sizeof(names) / sizeof(names[0]) ? names[source] : "unknown";
}

static bool omx_lib_cpu_isset(const __u64 words[OMX_CPUMASK_WORDS], unsigned int cpu)
{
	return cpu < OMX_CPUS_MAX && (words[cpu / 64] >> (cpu % 64)) & 1;
}

const char *omx_lib_cpulist(const __u64 words[OMX_CPUMASK_WORDS], char *buf, size_t size)
{
	unsigned int cpu, last;
	size_t len = 0;
	int n;

	buf[0] = '\0';
	for (cpu = 0; cpu < OMX_CPUS_MAX; cpu++) {
		if (!omx_lib_cpu_isset(words, cpu))
			continue;
		for (last = cpu; omx_lib_cpu_isset(words, last + 1); last++)
			;
		if (last == cpu)
			n = snprintf(buf + len, size - len, "%s%u", len ? "," : "", cpu);
		else
			n = snprintf(buf + len, size - len, "%s%u-%u", len ? "," : "", cpu, last);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
		cpu = last;
	}
	if (!len)
		snprintf(buf, size, "-");
	return buf;
}

/* The endpoints_per_user module parameter as text, "the" if unreadable. */
static const char *omx_lib_endpoints_per_user(void)
{
	static __thread char buf[16];
	FILE *f = fopen("/sys/module/omx/parameters/endpoints_per_user", "re");
	unsigned int n;
	int ok;

	if (!f)
		return "the";
	ok = fscanf(f, "%u", &n) == 1;
	fclose(f);
	if (!ok)
		return "the";
	snprintf(buf, sizeof(buf), "%u", n);
	return buf;
}

enum omx_lib_status omx_lib_open_endpoint(struct omx_lib_dev *dev, __u32 board,
					  __u32 endpoint)
{
	return omx_lib_open_endpoint_flags(dev, board, endpoint, 0);
}

enum omx_lib_status omx_lib_open_endpoint_flags(struct omx_lib_dev *dev, __u32 board,
						__u32 endpoint, __u32 flags)
{
	struct omx_endpoint_open req = {
		.board_index = board,
		.endpoint_index = endpoint,
		.flags = flags,
	};

	if (omx_lib_check(dev, omx_drv_open_endpoint(dev->fd, &req)) == 0)
		return omx_lib_ok(dev);

	switch (dev->sys_errno) {
	case EINVAL:
		return omx_lib_fail(dev, OMX_LIB_BAD_INDEX,
				    "omx: no endpoint %u on board %u: indexes go from 0 to the board's endpoint count minus one (see omx_info -v)",
				    endpoint, board);
	case EBUSY:
		return omx_lib_fail(dev, OMX_LIB_BUSY,
				    "omx: endpoint %u of board %u is already open; pick another index",
				    endpoint, board);
	case EDQUOT:
		return omx_lib_fail(dev, OMX_LIB_USER_LIMIT,
				    "omx: your user already holds %s endpoint(s), the limit of the omx module parameter endpoints_per_user; close some, or have root raise it (echo N > /sys/module/omx/parameters/endpoints_per_user)",
				    omx_lib_endpoints_per_user());
	case EISCONN:
		return omx_lib_fail(dev, OMX_LIB_ALREADY_BOUND,
				    "omx: this handle already has an endpoint open; open the device again for another one");
	case ENOTTY:
		return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
				    "omx: endpoints cannot be opened on this device (use %s)",
				    OMX_DEVICE_PATH);
	default:
		return omx_lib_board_failure(dev, "opening an endpoint", board);
	}
}

enum omx_lib_status omx_lib_get_endpoint_info(struct omx_lib_dev *dev,
					      struct omx_endpoint_info *info)
{
	memset(info, 0, sizeof(*info));
	if (omx_lib_check(dev, omx_drv_get_endpoint_info(dev->fd, info)) == 0)
		return omx_lib_ok(dev);

	switch (dev->sys_errno) {
	case ENODEV:
		return omx_lib_dead_failure(dev);
	case ENOTCONN:
		return omx_lib_fail(dev, OMX_LIB_NOT_BOUND,
				    "omx: no endpoint open on this handle");
	default:
		return omx_lib_common_failure(dev, "getting endpoint info");
	}
}

enum omx_lib_status omx_lib_get_peer_table_info(struct omx_lib_dev *dev,
						struct omx_peer_table_info *info)
{
	memset(info, 0, sizeof(*info));
	if (omx_lib_check(dev, omx_drv_get_peer_count(dev->fd, info)) < 0) {
		if (dev->sys_errno == ENODEV && omx_lib_endpoint_is_dead(dev))
			return omx_lib_dead_failure(dev);
		return omx_lib_common_failure(dev, "getting the peer count");
	}
	return omx_lib_ok(dev);
}

enum omx_lib_status omx_lib_get_peer_info(struct omx_lib_dev *dev, __u32 index,
					  struct omx_peer_info *info)
{
	memset(info, 0, sizeof(*info));
	info->peer_index = index;
	if (omx_lib_check(dev, omx_drv_get_peer_info(dev->fd, info)) == 0)
		return omx_lib_ok(dev);

	switch (dev->sys_errno) {
	case ENOENT:
		return omx_lib_fail(dev, OMX_LIB_NO_SUCH_PEER,
				    "omx: no peer %u in the peer table (see omx_info for the peers)",
				    index);
	case EINVAL:
		return omx_lib_fail(dev, OMX_LIB_BAD_INDEX,
				    "omx: peer index %u is beyond the peer table (see the omx peers= module parameter)",
				    index);
	case ENODEV:
		if (omx_lib_endpoint_is_dead(dev))
			return omx_lib_dead_failure(dev);
		return omx_lib_common_failure(dev, "getting peer info");
	default:
		return omx_lib_common_failure(dev, "getting peer info");
	}
}

enum omx_lib_status omx_lib_next_peer(struct omx_lib_dev *dev, __u32 *index,
				      struct omx_peer_info *info)
{
	enum omx_lib_status st;
	__u32 i;

	for (i = *index; ; i++) {
		st = omx_lib_get_peer_info(dev, i, info);
		if (st == OMX_LIB_SUCCESS) {
			*index = i;
			return st;
		}
		if (st == OMX_LIB_BAD_INDEX)
			return omx_lib_fail(dev, OMX_LIB_NO_SUCH_PEER,
					    "omx: no peer at index %u or above", *index);
		if (st != OMX_LIB_NO_SUCH_PEER || i == UINT32_MAX)
			return st;
	}
}

enum omx_lib_status omx_lib_discover_peers(struct omx_lib_dev *dev, __u32 board)
{
	if (omx_lib_check(dev, omx_drv_discover_peers(dev->fd, board)) == 0)
		return omx_lib_ok(dev);

	switch (dev->sys_errno) {
	case ENETDOWN:
		return omx_lib_fail(dev, OMX_LIB_BOARD_DOWN,
				    "omx: board %u cannot send: bring its interface up and check its link",
				    board);
	case ENOMEM:
	case ENOBUFS:
		return omx_lib_fail(dev, OMX_LIB_SYSTEM_ERROR,
				    "omx: discovery on board %u: the query could not be sent (%s); try again",
				    board, strerror(dev->sys_errno));
	default:
		return omx_lib_board_failure(dev, "peer discovery", board);
	}
}
