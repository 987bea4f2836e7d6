/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/omx and /dev/omx-raw.
 */
#ifndef OMX_DEV_H
#define OMX_DEV_H

/**
 * omx_dev_init() - create /dev/omx and /dev/omx-raw
 *
 * The last step of module load: from here on user space can open
 * endpoints, so everything they use must already be set up.
 *
 * Return: 0, or misc_register()'s error, with neither device left behind.
 */
int omx_dev_init(void);

/**
 * omx_dev_exit() - remove both devices
 *
 * The first step of module unload: no new file can be opened afterwards,
 * and the files still open keep the module pinned, so none is left.
 */
void omx_dev_exit(void);

#endif /* OMX_DEV_H */
