/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The steering program's object file, carried inside omx_vnic so that the
 * launcher needs no file beside it.  OMX_VNIC_OBJ is its path (Makefile).
 */
	.section .rodata
	.balign 8
	.globl	omx_vnic_steer_obj
omx_vnic_steer_obj:
	.incbin	OMX_VNIC_OBJ
	.globl	omx_vnic_steer_obj_end
omx_vnic_steer_obj_end:
	.section .note.GNU-stack,"",%progbits
