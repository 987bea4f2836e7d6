/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MX library state: mx_init/mx_finalize, error handlers, the OMX_*
 * environment settings (and the MX_* names programs written for MX set)
 * and the code-to-text tables.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omx_mx.h"
#include "omx_sde.h"

pthread_mutex_t omx_global_lock = PTHREAD_MUTEX_INITIALIZER;
bool omx_initialized;
struct omx_lib_dev omx_global_dev = { .fd = -1 };
struct omx_list omx_endpoints = { &omx_endpoints, &omx_endpoints };
struct omx_config omx_config;

/*
 * The MX_* variables of MX and Open-MX (Open-MX's omx_init.c reads the
 * same names).  Those with an omx meaning stand for an OMX_* tunable,
 * which wins when both are set; the others are ignored on purpose, for
 * the reason given (OMX_VERBOSE=1 says so at mx_init).  docs/mx-api.md,
 * "Environment", has this table.
 */
struct omx_mx_alias {
	const char *mx;
	const char *omx;	/* NULL: no omx meaning */
	const char *why;	/* why it is ignored */
};

static const struct omx_mx_alias omx_mx_aliases[] = {
	{ "MX_ERRORS_ARE_FATAL", "OMX_FATAL_ERRORS", NULL },
	{ "MX_DISABLE_SELF", "OMX_DISABLE_SELF", NULL },
	{ "MX_DISABLE_SHMEM", "OMX_DISABLE_SHARED", NULL },
	{ "MX_RCACHE", "OMX_RCACHE", NULL },
	{ "MX_IMM_ACK", "OMX_ACK_THRESHOLD", NULL },
	{ "MX_VERBOSE", "OMX_VERBOSE", NULL },
	{ "MX_ZOMBIE_SEND", "OMX_ZOMBIE_SEND", NULL },
	{ "MX_MAX_RETRIES", NULL,
	  "omx bounds a send by time (OMX_REQUEST_TIMEOUT_MS), not by a count of resends" },
	{ "MX_MONOTHREAD", NULL,
	  "every call takes the endpoint lock anyway; nothing to gain from the promise" },
};

#define OMX_MX_ALIASES	(sizeof(omx_mx_aliases) / sizeof(omx_mx_aliases[0]))

/* OMX_IGNORE_MX_ENV=1: programs' MX_* settings are not looked at at all. */
static bool omx_mx_env_ignored(void)
{
	const char *v = getenv("OMX_IGNORE_MX_ENV");

	return v && v[0] && v[0] != '0';
}

/*
 * The value of tunable @name: OMX_* first, else the MX_* variable that
 * stands for it.  *@used (if not NULL) names the variable read.
 */
static const char *omx_getenv(const char *name, const char **used)
{
	const char *v = getenv(name);
	size_t i;

	if (!v && !omx_mx_env_ignored()) {
		for (i = 0; i < OMX_MX_ALIASES && !v; i++)
			if (omx_mx_aliases[i].omx && !strcmp(omx_mx_aliases[i].omx, name)) {
				v = getenv(omx_mx_aliases[i].mx);
				if (v)
					name = omx_mx_aliases[i].mx;
			}
	}
	if (used)
		*used = name;
	return v;
}

static mx_return_t omx_errors_are_fatal(char *str, mx_return_t ret)
{
	fprintf(stderr, "MX: fatal error: %s (%s)\n", str, mx_strerror(ret));
	fprintf(stderr, "MX: set OMX_FATAL_ERRORS=0 or use MX_ERRORS_RETURN to get return codes instead\n");
	abort();
}

static mx_return_t omx_errors_return(char *str, mx_return_t ret)
{
	(void)str;
	return ret;
}

const mx_error_handler_t MX_ERRORS_ARE_FATAL = omx_errors_are_fatal;
const mx_error_handler_t MX_ERRORS_RETURN = omx_errors_return;

/* The handler set by mx_set_error_handler(); default chosen at init. */
static mx_error_handler_t omx_handler;

static mx_error_handler_t omx_default_handler(void)
{
	const char *v = omx_getenv("OMX_FATAL_ERRORS", NULL);

	if (v && v[0] == '0')
		return MX_ERRORS_RETURN;
	return MX_ERRORS_ARE_FATAL;
}

mx_return_t omx_error(struct mx_endpoint *ep, mx_return_t ret, const char *fmt, ...)
{
	char msg[512];
	mx_error_handler_t h;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ep && ep->magic == OMX_ENDPOINT_MAGIC && ep->handler)
		h = ep->handler;
	else
		h = __atomic_load_n(&omx_handler, __ATOMIC_ACQUIRE);
	if (!h)
		h = omx_default_handler();
	return h(msg, ret);
}

uint64_t omx_now_ms(void)
{
	struct timespec ts;

	/*
	 * Protocol timers need milliseconds, not a clocksource read: under
	 * qemu TCG the precise clock is a syscall, the coarse one a load.
	 */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t omx_mac_to_nic_id(const uint8_t mac[6])
{
	uint64_t id = 0;
	int i;

	for (i = 0; i < 6; i++)
		id = (id << 8) | mac[i];
	return id;
}

void omx_nic_id_to_mac(uint64_t nic_id, uint8_t mac[6])
{
	int i;

	for (i = 5; i >= 0; i--) {
		mac[i] = (uint8_t)nic_id;
		nic_id >>= 8;
	}
}

mx_return_t omx_check_ep(struct mx_endpoint *ep, const char *fn)
{
	if (!__atomic_load_n(&omx_initialized, __ATOMIC_ACQUIRE))
		return omx_error(NULL, MX_NOT_INITIALIZED, "%s: call mx_init() first", fn);
	if (!ep || ep->magic != OMX_ENDPOINT_MAGIC)
		return omx_error(NULL, MX_BAD_ENDPOINT, "%s: not an open endpoint", fn);
	return MX_SUCCESS;
}

static uint32_t omx_env_u32(const char *name, uint32_t def, uint32_t min, uint32_t max)
{
	const char *used;
	const char *v = omx_getenv(name, &used);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtoul(v, &end, 0);
	if (errno || *end || n < min || n > max) {
		fprintf(stderr, "MX: ignoring %s=%s: expected a number from %u to %u\n",
			used, v, min, max);
		return def;
	}
	return (uint32_t)n;
}

/* Says on stderr what became of each MX_* variable set (OMX_VERBOSE=1). */
static void omx_report_mx_env(void)
{
	extern char **environ;
	const struct omx_mx_alias *a;
	char **e, name[64];
	size_t i, len;

	for (e = environ; *e; e++) {
		if (strncmp(*e, "MX_", 3) || !strchr(*e, '='))
			continue;
		len = (size_t)(strchr(*e, '=') - *e);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, *e, len);
		name[len] = '\0';
		for (i = 0, a = NULL; i < OMX_MX_ALIASES && !a; i++)
			if (!strcmp(omx_mx_aliases[i].mx, name))
				a = &omx_mx_aliases[i];
		if (omx_mx_env_ignored())
			fprintf(stderr, "MX: %s ignored: OMX_IGNORE_MX_ENV is set\n", *e);
		else if (!a)
			fprintf(stderr, "MX: %s ignored: not a setting omx knows\n", *e);
		else if (!a->omx)
			fprintf(stderr, "MX: %s ignored: %s\n", *e, a->why);
		else if (getenv(a->omx))
			fprintf(stderr, "MX: %s ignored: %s=%s wins\n", *e, a->omx, getenv(a->omx));
		else
			fprintf(stderr, "MX: %s read as %s\n", *e, a->omx);
	}
}

static void omx_read_config(void)
{
	const char *v = omx_getenv("OMX_PROGRESSION", NULL);
	char err[256];

	omx_config.fatal_errors = omx_default_handler() == MX_ERRORS_ARE_FATAL;
	omx_config.progression = !(v && v[0] == '0');
	omx_config.resend_delay_ms = omx_env_u32("OMX_RESEND_DELAY_MS", 100, 1, 60000);
	omx_config.request_timeout_ms = omx_env_u32("OMX_REQUEST_TIMEOUT_MS", 60000, 1,
						    UINT32_MAX);
	omx_config.connect_retry_ms = omx_env_u32("OMX_CONNECT_RETRY_MS", 200, 1, 60000);
	omx_config.ack_delay_ms = omx_env_u32("OMX_ACK_DELAY_MS", 2, 0, 10000);
	omx_config.ack_threshold = omx_env_u32("OMX_ACK_THRESHOLD", 8, 1, 4096);
	omx_config.unexp_queue_max = omx_env_u32("OMX_UNEXP_QUEUE_MAX", 4096, 1, UINT32_MAX);
	omx_config.rcache = omx_env_u32("OMX_RCACHE", 1, 0, 1);
	omx_config.disable_self = omx_env_u32("OMX_DISABLE_SELF", 0, 0, 1);
	omx_config.disable_shared = omx_env_u32("OMX_DISABLE_SHARED", 0, 0, 1);
	omx_config.zombie_max = omx_env_u32("OMX_ZOMBIE_SEND", 512, 0, 65536);
	omx_config.binding_verbose = omx_env_u32("OMX_BINDING_VERBOSE", 0, 0, 1);
	omx_config.verbose = omx_env_u32("OMX_VERBOSE", 0, 0, UINT32_MAX) > 0;
	if (omx_config.verbose)
		omx_report_mx_env();
	v = getenv("OMX_PROCESS_BINDING");
	if (omx_binding_parse(v, &omx_config.binding, err, sizeof(err)) < 0) {
		/* a typo must not move the process: left alone */
		fprintf(stderr, "MX: ignoring %s; the process is not bound\n", err);
		omx_config.binding.kind = OMX_BINDING_OFF;
		omx_config.binding_bad = true;
	}
}

mx_return_t mx__init_api(int api)
{
	enum omx_lib_status st;

	pthread_mutex_lock(&omx_global_lock);
	if (omx_initialized) {
		pthread_mutex_unlock(&omx_global_lock);
		return omx_error(NULL, MX_ALREADY_INITIALIZED, "mx_init: already initialized");
	}
	if ((api >> 8) != (MX_API >> 8)) {
		pthread_mutex_unlock(&omx_global_lock);
		return omx_error(NULL, MX_BAD_LIB_VERSION,
				 "mx_init: program built for MX API 0x%x, this library serves 0x%x; rebuild it",
				 (unsigned int)api, MX_API);
	}
	omx_read_config();
	if (!__atomic_load_n(&omx_handler, __ATOMIC_ACQUIRE))
		__atomic_store_n(&omx_handler, omx_default_handler(), __ATOMIC_RELEASE);
	st = omx_lib_open(&omx_global_dev, OMX_DEVICE_PATH);
	if (st != OMX_LIB_SUCCESS) {
		mx_return_t ret = st == OMX_LIB_NO_DRIVER ? MX_NO_DRIVER :
				  st == OMX_LIB_ACCESS_DENIED ? MX_NO_PERM :
				  st == OMX_LIB_ABI_MISMATCH ? MX_BAD_KERNEL_VERSION : MX_NO_DEV;

		pthread_mutex_unlock(&omx_global_lock);
		return omx_error(NULL, ret, "mx_init: %s", omx_lib_errmsg(&omx_global_dev));
	}
	__atomic_store_n(&omx_initialized, true, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&omx_global_lock);
	/* before the application's PAPI_library_init looks for SDE libraries */
	omx_sde_init();
	return MX_SUCCESS;
}

mx_return_t mx_finalize(void)
{
	struct mx_endpoint *ep;

	pthread_mutex_lock(&omx_global_lock);
	if (!omx_initialized) {
		pthread_mutex_unlock(&omx_global_lock);
		return omx_error(NULL, MX_NOT_INITIALIZED, "mx_finalize: mx_init() was not called");
	}
	pthread_mutex_unlock(&omx_global_lock);
	/* endpoints still open are closed, as MX does */
	for (;;) {
		pthread_mutex_lock(&omx_global_lock);
		if (omx_list_empty(&omx_endpoints)) {
			pthread_mutex_unlock(&omx_global_lock);
			break;
		}
		ep = omx_container_of(omx_endpoints.next, struct mx_endpoint, ep_link);
		pthread_mutex_unlock(&omx_global_lock);
		mx_close_endpoint(ep);
	}
	pthread_mutex_lock(&omx_global_lock);
	omx_lib_close(&omx_global_dev);
	__atomic_store_n(&omx_initialized, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&omx_global_lock);
	return MX_SUCCESS;
}

mx_error_handler_t mx_set_error_handler(mx_error_handler_t handler)
{
	mx_error_handler_t old;

	old = __atomic_exchange_n(&omx_handler, handler, __ATOMIC_ACQ_REL);
	return old ? old : omx_default_handler();
}

const char *mx_strerror(mx_return_t code)
{
	static const char *const names[] = {
		[MX_SUCCESS] = "Success",
		[MX_BAD_BAD_BAD] = "Internal error",
		[MX_FAILURE] = "Failure",
		[MX_ALREADY_INITIALIZED] = "Already initialized",
		[MX_NOT_INITIALIZED] = "Not initialized",
		[MX_NO_DEV] = "No device node",
		[MX_NO_DRIVER] = "Driver not loaded",
		[MX_NO_PERM] = "Permission denied",
		[MX_BOARD_UNKNOWN] = "Unknown board number",
		[MX_BAD_ENDPOINT] = "Bad endpoint",
		[MX_BAD_SEG_LIST] = "Bad segment list",
		[MX_BAD_SEG_MEM] = "Bad segment memory",
		[MX_BAD_SEG_CNT] = "Bad segment count",
		[MX_BAD_REQUEST] = "Bad request",
		[MX_BAD_MATCH_MASK] = "Bad match mask",
		[MX_NO_RESOURCES] = "No resources available",
		[MX_BAD_ADDR_LIST] = "Bad address list",
		[MX_BAD_ADDR_COUNT] = "Bad address count",
		[MX_BAD_ROOT] = "Bad root",
		[MX_NOT_COMPLETED] = "Request not completed",
		[MX_BUSY] = "Resource busy",
		[MX_BAD_INFO_KEY] = "Bad info key",
		[MX_BAD_INFO_VAL] = "Bad info value",
		[MX_BAD_NIC] = "Bad NIC",
		[MX_BAD_PARAM_LIST] = "Bad parameter list",
		[MX_BAD_PARAM_NAME] = "Bad parameter name",
		[MX_BAD_PARAM_VAL] = "Bad parameter value",
		[MX_BAD_HOSTNAME_ARGS] = "Bad hostname arguments",
		[MX_HOST_NOT_FOUND] = "Host not found",
		[MX_REQUEST_PENDING] = "Request pending",
		[MX_TIMEOUT] = "Timeout",
		[MX_NO_MATCH] = "No match",
		[MX_BAD_ENDPOINT_ID] = "Bad endpoint id",
		[MX_CONNECTION_FAILED] = "Connection failed",
		[MX_BAD_CONNECTION_KEY] = "Bad connection key",
		[MX_BAD_INFO_LENGTH] = "Bad info length",
		[MX_NIC_NOT_FOUND] = "NIC id not found",
		[MX_BAD_KERNEL_VERSION] = "Bad kernel version",
		[MX_BAD_LIB_VERSION] = "Bad library version",
		[MX_NIC_DEAD] = "NIC dead",
		[MX_CANCEL_NOT_SUPPORTED] = "Cancel not supported",
		[MX_CLOSE_IN_HANDLER] = "Close in handler",
		[MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK] = "Bad matching for context id mask",
		[MX_NOT_SUPPORTED_WITH_CONTEXT_ID] = "Not supported with context id",
	};

	if ((unsigned int)code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "Unknown error code";
	return names[code];
}

const char *mx_strstatus(mx_status_code_t code)
{
	static const char *const names[] = {
		[MX_STATUS_SUCCESS] = "Success",
		[MX_STATUS_PENDING] = "Pending",
		[MX_STATUS_BUFFERED] = "Buffered",
		[MX_STATUS_REJECTED] = "Rejected",
		[MX_STATUS_TIMEOUT] = "Timeout",
		[MX_STATUS_TRUNCATED] = "Truncated",
		[MX_STATUS_CANCELLED] = "Cancelled",
		[MX_STATUS_ENDPOINT_UNKNOWN] = "Endpoint unknown",
		[MX_STATUS_ENDPOINT_CLOSED] = "Endpoint closed",
		[MX_STATUS_ENDPOINT_UNREACHABLE] = "Endpoint unreachable",
		[MX_STATUS_BAD_SESSION] = "Bad session",
		[MX_STATUS_BAD_KEY] = "Bad key",
		[MX_STATUS_BAD_ENDPOINT] = "Bad endpoint",
		[MX_STATUS_BAD_RDMAWIN] = "Bad RDMA window",
		[MX_STATUS_ABORTED] = "Aborted",
		[MX_STATUS_EVENTQ_FULL] = "Event queue full",
		[MX_STATUS_NO_RESOURCES] = "No resources",
	};

	if ((unsigned int)code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "Unknown status code";
	return names[code];
}
