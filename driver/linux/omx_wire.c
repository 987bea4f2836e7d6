// SPDX-License-Identifier: GPL-2.0-only
/*
 * The wire codec shared with user space (common/omx_wire_codec.c),
 * compiled into the module.  Including it keeps a single copy of the code
 * and keeps kbuild's objects inside this directory, which out-of-tree
 * (M=) builds need.
 */
#include "../../common/omx_wire_codec.c"
