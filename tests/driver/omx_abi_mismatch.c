// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_abi_mismatch: linked with a copy of libomx built for another ABI
 * version (see Makefile), it must be refused by the driver.
 *
 * Prints the library's mismatch message on stderr and exits 1 when the
 * driver refuses, as it should.  Exits 2 if the driver accepted the
 * wrong ABI or if anything else went wrong (message on stderr).
 */
#include <stdio.h>

#include "omx_lib.h"

int main(void)
{
	enum omx_lib_status st;
	struct omx_lib_dev dev;

	st = omx_lib_open(&dev, OMX_DEVICE_PATH);
	switch (st) {
	case OMX_LIB_ABI_MISMATCH:
		fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
		return 1;
	case OMX_LIB_SUCCESS:
		fprintf(stderr, "omx_abi_mismatch: FAIL: driver ABI 0x%x accepted a library built for ABI 0x%x\n",
			dev.driver_abi, omx_lib_abi_version());
		omx_lib_close(&dev);
		return 2;
	default:
		fprintf(stderr, "%s\n", omx_lib_errmsg(&dev));
		return 2;
	}
}
