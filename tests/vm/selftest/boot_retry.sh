# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology twonode --no-load --timeout 240 --boot-limit 20 --hang-first-boot
# A guest that hangs before its job (a TCG boot can stop in the kernel's
# init calls) is booted again, with the run's other guests: here both
# first boots stop in the initramfs (--hang-first-boot), and the job
# must run in the second, with the first one's console kept in boot1/.
# Then the twonode topology itself (this run is the harness's one twonode
# self-test): the nodes are named, see each other on the wire with MTU
# 9000 and exchange values through the shared run directory.
. tests/vm/lib.sh
first=$OMX_RUN_DIR/boot1/node$OMX_NODE/console.log
t_check "the first boot's console was kept" test -f "$first"
t_check "the first boot stopped before the job" grep -q 'omx.hang=1: stopping here' "$first"
t_check "this boot did not stop there" sh -c \
	"! grep -q 'omx.hang=1: stopping here' '$OMX_RUN_DIR/node$OMX_NODE/console.log'"
t_check "nothing of the first boot's job is left" test ! -e "$OMX_RUN_DIR/boot1/node$OMX_NODE/output"
omx_barrier both-booted
t_check "the nodes meet at a barrier" test -e "$OMX_RUN_DIR/barrier/both-booted.$((1 - OMX_NODE))"
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
