# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 120
# Fixture of tests/vm/shared_boot.sh: nothing 1_dirty left is here.
. "$OMX_TOP/tests/vm/lib.sh"
t_check "no file of the test before in /tmp" test ! -e /tmp/shared-boot-left
t_check "no process of the test before" sh -c '! pgrep -x sleep'
t_nomatch "no kernel message of the test before" 'message of test 1' "$(dmesg)"
t_match "omx loaded again with both interfaces" 'veth0,veth1' "$(cat /sys/module/omx/parameters/ifnames)"
t_check "veth0 made again with its MTU" test "$(cat /sys/class/net/veth0/mtu)" = 9000
t_check "a run directory of its own" test ! -e "$OMX_RUN_DIR/kv/left"
t_check "the project tree is intact (a clone under /tmp too)" test -f "$OMX_TOP/tests/vm/batch.sh"
t_done
