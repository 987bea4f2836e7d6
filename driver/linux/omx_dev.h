/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/omx and /dev/omx-raw.
 */
#ifndef OMX_DEV_H
#define OMX_DEV_H

int omx_dev_init(void);
void omx_dev_exit(void);

#endif /* OMX_DEV_H */
