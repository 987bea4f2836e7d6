# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --no-load --timeout 180
# Both nodes run this script; they see each other on the wire (MTU 9000)
# and exchange values through the shared run directory.
. tests/vm/lib.sh
t_match "node name" "^node$OMX_NODE\$" "$(hostname)"
t_match "eth0 has MTU 9000" "mtu 9000" "$(ip link show eth0)"
ip addr add "10.99.0.$((OMX_NODE + 1))/24" dev eth0
omx_publish "mac$OMX_NODE" "$(cat /sys/class/net/eth0/address)"
peer=$((1 - OMX_NODE))
t_match "peer published its MAC" '^([0-9a-f]{2}:){5}[0-9a-f]{2}$' "$(omx_lookup "mac$peer")"
omx_barrier addressed
t_check "9000-byte frames reach the peer" busybox ping -c 2 -W 5 -s 8900 "10.99.0.$((peer + 1))"
omx_barrier done
t_done
