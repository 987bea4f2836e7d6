# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --no-load --timeout 240 --boot-limit 40 --hang-first-boot
# A guest that hangs before its job (a TCG boot can stop in the kernel's
# init calls) is booted again, with the run's other guests: here both
# first boots stop in the initramfs (--hang-first-boot), and the job
# must run in the second, with the first one's console kept in boot1/.
. tests/vm/lib.sh
first=$OMX_RUN_DIR/boot1/node$OMX_NODE/console.log
t_check "the first boot's console was kept" test -f "$first"
t_check "the first boot stopped before the job" grep -q 'omx.hang=1: stopping here' "$first"
t_check "this boot did not stop there" sh -c \
	"! grep -q 'omx.hang=1: stopping here' '$OMX_RUN_DIR/node$OMX_NODE/console.log'"
t_check "nothing of the first boot's job is left" test ! -e "$OMX_RUN_DIR/boot1/node$OMX_NODE/output"
omx_barrier both-booted
t_check "the nodes meet at a barrier" test -e "$OMX_RUN_DIR/barrier/both-booted.$((1 - OMX_NODE))"
t_done
