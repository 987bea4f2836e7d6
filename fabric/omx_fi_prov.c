// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The provider entry point (fi_prov_ini, the one exported name), the
 * FI_OMX_* variables and fi_getinfo: one fi_info per omx board.
 *
 * Without /dev/omx (module not loaded, or not an omx host) getinfo
 * returns -FI_ENODATA, as any provider without hardware does, so that
 * an application enumerating every provider is not disturbed; the
 * reason (libomx's sentence naming /dev/omx and the module) goes to
 * libfabric's log, and also to stderr when the application asked for
 * omx by name (fi_info -p omx, FI_PROVIDER=omx, Open MPI's
 * mtl_ofi_provider_include omx): a user who chose omx gets told why it
 * is not there.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "omx_fi.h"

struct omx_fi_params omx_fi_params = {
	.endpoint_key = 0x4f4d5846,	/* "OMXF" */
	.connect_timeout_ms = 30000,
	.board = -1,
};

/* mx_init is process-wide: one init for every fabric the process opens */
static pthread_mutex_t omx_fi_mx_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int omx_fi_mx_refs;
static char omx_fi_mx_msg[256];
static bool omx_fi_mx_ours;	/* we called mx_init (not the application) */

/* libomx's error sentence, kept for our own messages instead of printed */
static mx_return_t omx_fi_mx_capture(char *str, mx_return_t ret)
{
	snprintf(omx_fi_mx_msg, sizeof(omx_fi_mx_msg), "%s", str ? str : "");
	return ret;
}

int omx_fi_mx_errno(mx_return_t ret)
{
	switch (ret) {
	case MX_SUCCESS:
		return 0;
	case MX_NO_DEV:
	case MX_NO_DRIVER:
	case MX_BOARD_UNKNOWN:
	case MX_NIC_DEAD:
		return -FI_ENODEV;
	case MX_NO_PERM:
		return -FI_EACCES;
	case MX_NO_RESOURCES:
		return -FI_EAGAIN;
	case MX_BUSY:
		return -FI_EBUSY;
	case MX_TIMEOUT:
		return -FI_ETIMEDOUT;
	case MX_BAD_SEG_LIST:
	case MX_BAD_SEG_MEM:
	case MX_BAD_SEG_CNT:
	case MX_BAD_MATCH_MASK:
	case MX_BAD_ENDPOINT_ID:
		return -FI_EINVAL;
	case MX_NIC_NOT_FOUND:
	case MX_CONNECTION_FAILED:
	case MX_BAD_CONNECTION_KEY:
		return -FI_EHOSTUNREACH;
	default:
		return -FI_EOTHER;
	}
}

int omx_fi_mx_get(const char **why)
{
	mx_error_handler_t old;
	mx_return_t ret;

	pthread_mutex_lock(&omx_fi_mx_lock);
	if (omx_fi_mx_refs) {
		omx_fi_mx_refs++;
		pthread_mutex_unlock(&omx_fi_mx_lock);
		return 0;
	}
	/*
	 * MX's default handler aborts the process: the provider checks every
	 * return code instead.  The handler is process-wide in MX; an
	 * application that also calls MX directly sets its own after this.
	 */
	old = mx_set_error_handler(omx_fi_mx_capture);
	omx_fi_mx_msg[0] = '\0';
	ret = mx_init();
	if (ret == MX_ALREADY_INITIALIZED) {
		/* the application uses MX too: share its library state */
		omx_fi_mx_ours = false;
	} else if (ret != MX_SUCCESS) {
		mx_set_error_handler(old);
		pthread_mutex_unlock(&omx_fi_mx_lock);
		*why = omx_fi_mx_msg[0] ? omx_fi_mx_msg : mx_strerror(ret);
		return omx_fi_mx_errno(ret);
	} else {
		omx_fi_mx_ours = true;
	}
	omx_fi_mx_refs = 1;
	pthread_mutex_unlock(&omx_fi_mx_lock);
	return 0;
}

void omx_fi_mx_put(void)
{
	pthread_mutex_lock(&omx_fi_mx_lock);
	if (omx_fi_mx_refs && --omx_fi_mx_refs == 0 && omx_fi_mx_ours)
		mx_finalize();
	pthread_mutex_unlock(&omx_fi_mx_lock);
}

/*
 * Did the application name omx explicitly: in its hints, FI_PROVIDER, or
 * Open MPI's provider include list?  Open MPI filters providers itself,
 * after fi_getinfo, with hints that name none; mpirun passes its --mca
 * settings to the ranks as OMPI_MCA_* variables, which is where we see
 * mtl_ofi_provider_include (4.x) or opal_common_ofi_provider_include (5.x).
 */
static bool omx_fi_asked_by_name(const struct fi_info *hints)
{
	const char *names[] = {
		hints && hints->fabric_attr ? hints->fabric_attr->prov_name : NULL,
		getenv("FI_PROVIDER"),
		getenv("OMPI_MCA_mtl_ofi_provider_include"),
		getenv("OMPI_MCA_opal_common_ofi_provider_include"),
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = names[i];

		/* "omx", or "omx;ofi_rxm"-style lists, or "^..." exclusions */
		while (p && *p && *p != '^') {
			size_t n = strcspn(p, ",;");

			if (n == strlen(OMX_FI_NAME) && !strncasecmp(p, OMX_FI_NAME, n))
				return true;
			p += n;
			p += *p != '\0';
		}
	}
	return false;
}

/*
 * libfabric asks a provider several times per fi_getinfo (once for the
 * application, once per utility provider layering over it): the
 * sentence is printed once per process.
 */
static void omx_fi_tell_user(const struct fi_info *hints, const char *why)
{
	static bool told;

	if (!told && omx_fi_asked_by_name(hints)) {
		told = true;
		fprintf(stderr, "libfabric omx provider: unavailable: %s\n", why);
	}
}

static int omx_fi_getinfo(uint32_t version, const char *node, const char *service,
			  uint64_t flags, const struct fi_info *hints, struct fi_info **info)
{
	struct fi_info *head = NULL, **tail = &head;
	const char *why = NULL;
	uint32_t nboards = 0;
	int ret;

	*info = NULL;
	/* addresses are opaque omx_fi_addr values: no host/port resolution */
	if (node || service || (flags & (FI_SOURCE | FI_NUMERICHOST))) {
		OMX_FI_INFO(FI_LOG_CORE, "node/service addressing is not supported\n");
		return -FI_ENODATA;
	}
	ret = omx_fi_mx_get(&why);
	if (ret) {
		OMX_FI_WARN(FI_LOG_CORE, "omx unavailable: %s\n", why);
		omx_fi_tell_user(hints, why);
		return -FI_ENODATA;
	}
	if (mx_get_info(NULL, MX_NIC_COUNT, NULL, 0, &nboards, sizeof(nboards)) != MX_SUCCESS ||
	    nboards == 0) {
		OMX_FI_WARN(FI_LOG_CORE, "omx: no board attached (omx_info lists them)\n");
		omx_fi_tell_user(hints, "no omx board attached (omx_info lists them)");
		omx_fi_mx_put();
		return -FI_ENODATA;
	}
	if (omx_fi_params.board >= 0 && (uint32_t)omx_fi_params.board >= nboards) {
		char msg[96];

		snprintf(msg, sizeof(msg), "FI_OMX_BOARD=%d but only %u board(s) attached",
			 omx_fi_params.board, nboards);
		OMX_FI_WARN(FI_LOG_CORE, "omx: %s\n", msg);
		omx_fi_tell_user(hints, msg);
		omx_fi_mx_put();
		return -FI_ENODATA;
	}
	for (uint32_t b = 0; b < nboards; b++) {
		struct fi_info *one;

		/*
		 * Applications that take the first fi_info (Open MPI's mtl ofi
		 * among them) cannot be told a domain name: FI_OMX_BOARD,
		 * set per process, chooses the board for them.
		 */
		if (omx_fi_params.board >= 0 && b != (uint32_t)omx_fi_params.board)
			continue;
		ret = omx_fi_info_build(version, hints, b, &one, &why);
		if (ret == -FI_ENODATA) {
			OMX_FI_INFO(FI_LOG_CORE, "board %u does not match the hints: %s\n", b, why);
			continue;
		}
		if (ret) {
			fi_freeinfo(head);
			omx_fi_mx_put();
			return ret;
		}
		*tail = one;
		tail = &one->next;
	}
	omx_fi_mx_put();
	*info = head;
	return head ? 0 : -FI_ENODATA;
}

static void omx_fi_cleanup(void)
{
}

struct fi_provider omx_fi_prov = {
	.version = OMX_FI_PROV_VERSION,
	.fi_version = OMX_FI_API_VERSION,
	.name = OMX_FI_NAME,
	.getinfo = omx_fi_getinfo,
	.fabric = omx_fi_fabric_open,
	.cleanup = omx_fi_cleanup,
};

static void omx_fi_read_params(void)
{
	int v;

	fi_param_define(&omx_fi_prov, "endpoint_key", FI_PARAM_INT,
			"MX key of the endpoints this process opens; peers connect with "
			"the key of the address they inserted (default 0x4f4d5846)");
	fi_param_define(&omx_fi_prov, "connect_timeout_ms", FI_PARAM_INT,
			"milliseconds fi_av_insert waits for its connections (default 30000)");
	fi_param_define(&omx_fi_prov, "board", FI_PARAM_INT,
			"list only this omx board (its domain omx<board>) in fi_getinfo; "
			"default: every board, board 0 first");
	if (fi_param_get_int(&omx_fi_prov, "board", &v) == FI_SUCCESS && v >= 0)
		omx_fi_params.board = v;
	if (fi_param_get_int(&omx_fi_prov, "endpoint_key", &v) == FI_SUCCESS)
		omx_fi_params.endpoint_key = (uint32_t)v;
	if (fi_param_get_int(&omx_fi_prov, "connect_timeout_ms", &v) == FI_SUCCESS && v > 0)
		omx_fi_params.connect_timeout_ms = (uint32_t)v;
}

FI_EXT_INI
{
	omx_fi_read_params();
	return &omx_fi_prov;
}
