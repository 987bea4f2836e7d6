/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which board counter a frame refused by omx_wire_validate() is dropped
 * under.  One mapping for the driver, which counts, and for the tests
 * that predict its counters (tests/fuzz/omx_fuzz.c), so that they cannot
 * drift apart.
 */
#ifndef OMX_WIRE_COUNTERS_H
#define OMX_WIRE_COUNTERS_H

#include "omx_abi.h"
#include "omx_wire_codec.h"

/**
 * omx_wire_verdict_counter() - the drop counter of a validation verdict
 * @verdict: what omx_wire_validate() said of the frame
 *
 * No default case: -Wswitch flags a verdict added to the codec without a
 * counter here (and in omx_abi.h).
 *
 * Return: OMX_COUNTER_NR for OMX_WIRE_OK (nothing to count), else the
 * rx_drop_* counter of @verdict; rx_drop_bad_header for a value that is
 * no verdict.
 */
static inline enum omx_counter_index omx_wire_verdict_counter(enum omx_wire_verdict verdict)
{
	switch (verdict) {
	case OMX_WIRE_OK:
		return OMX_COUNTER_NR;
	case OMX_WIRE_TOO_SHORT:
		return OMX_COUNTER_RX_DROP_TOO_SHORT;
	case OMX_WIRE_BAD_ETHERTYPE:
		return OMX_COUNTER_RX_DROP_BAD_ETHERTYPE;
	case OMX_WIRE_BAD_TYPE:
		return OMX_COUNTER_RX_DROP_BAD_TYPE;
	case OMX_WIRE_UNSUPPORTED_TYPE:
		return OMX_COUNTER_RX_DROP_UNSUPPORTED;
	case OMX_WIRE_BAD_LENGTH:
		return OMX_COUNTER_RX_DROP_BAD_LENGTH;
	case OMX_WIRE_BAD_FRAG:
		return OMX_COUNTER_RX_DROP_BAD_FRAG;
	case OMX_WIRE_BAD_NACK:
		return OMX_COUNTER_RX_DROP_BAD_NACK;
	case OMX_WIRE_BAD_SUBTYPE:
		return OMX_COUNTER_RX_DROP_BAD_SUBTYPE;
	case OMX_WIRE_VERDICT_NR:
		break;
	}
	return OMX_COUNTER_RX_DROP_BAD_HEADER;
}

#endif /* OMX_WIRE_COUNTERS_H */
