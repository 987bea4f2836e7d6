# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 120
# Fixture of tests/vm/shared_boot.sh: leaves behind what a test may
# leave, which the next test of the shared boot must not see.
echo left > /tmp/shared-boot-left
setsid sleep 1000 < /dev/null > /dev/null 2>&1 &
echo "omx shared-boot self-test: message of test 1" > /dev/kmsg
echo -veth1 > /sys/module/omx/parameters/ifnames
ip link set veth0 mtu 1500
mkdir -p "$OMX_RUN_DIR/kv" && echo 1 > "$OMX_RUN_DIR/kv/left"
exit 0
