# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# omx follows its interfaces: down/up, MTU changes, renames.
. tests/vm/lib.sh

ip link set veth1 down
info=$(omx_info)
t_match "board 1 reported down" 'board 1: ifname=veth1 .*status=down ' "$info"
t_match "board 0 lost its carrier" 'board 0: ifname=veth0 .*status=up ' "$info"
t_match "omx_info warns about the down board" '^warning: .*veth1' "$info"
t_match "kernel log saw the down" 'board 1 \(veth1\): interface down' "$(dmesg)"
ip link set veth1 up
omx_wait_for 10 sh -c 'omx_info | grep -q "board 0: .*status=up,running "'
info=$(omx_info)
t_match "board 1 up and running again" 'board 1: ifname=veth1 .*status=up,running ' "$info"
t_match "board 0 running again" 'board 0: ifname=veth0 .*status=up,running ' "$info"
t_match "kernel log saw the up" 'board 1 \(veth1\): interface up' "$(dmesg)"

ip link set veth0 mtu 1500
t_match "MTU change followed" 'board 0: ifname=veth0 mac=[0-9a-f:]+ mtu=1500 ' "$(omx_info)"
t_match "kernel log saw the MTU change" 'board 0 \(veth0\): MTU changed to 1500' "$(dmesg)"
ip link set veth0 mtu 600
info=$(omx_info)
t_match "too small MTU flagged" 'board 0: .*mtu=600 status=up,running,mtu_too_small' "$info"
t_match "omx_info warns about the MTU" '^warning: .*veth0.*MTU' "$info"
t_match "kernel log says how to fix the MTU" 'board 0 \(veth0\): MTU 600 is below .*ip link set veth0 mtu' "$(dmesg)"
ip link set veth0 mtu 1058
t_nomatch "MTU 1058 carries 1072-byte frames: not too small" 'mtu_too_small' "$(omx_info)"
ip link set veth0 mtu 1057
t_match "MTU 1057 is too small" 'board 0: .*mtu=1057 status=up,running,mtu_too_small' "$(omx_info)"
ip link set veth0 mtu 9000
t_nomatch "flag cleared at MTU 9000" 'mtu_too_small' "$(omx_info)"

ip link set veth1 down
ip link set veth1 name omxnet1
ip link set omxnet1 up
t_match "rename followed" 'board 1: ifname=omxnet1 ' "$(omx_info)"
t_match "parameter shows the new name" '^veth0,omxnet1$' "$(cat /sys/module/omx/parameters/ifnames)"
ip link set omxnet1 down
ip link set omxnet1 name veth1
t_done
