/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Receive path: omx frames from every interface.
 */
#ifndef OMX_RECV_H
#define OMX_RECV_H

void omx_recv_init(void);
void omx_recv_exit(void);

#endif /* OMX_RECV_H */
