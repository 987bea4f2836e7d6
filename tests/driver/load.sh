# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# omx.ko loads, registers 0x86DF, creates its devices and attaches what it
# is told to (or every Ethernet interface by default), and unloads.
. tests/vm/lib.sh

t_check "module loaded" omx_loaded
t_check "0x86df packet handler registered" grep -qi '^86df ' /proc/net/ptype
t_check "/dev/omx is a character device" test -c /dev/omx
t_check "/dev/omx-raw is a character device" test -c /dev/omx-raw
t_match "ifnames parameter lists both veths" '^veth0,veth1$' "$(cat /sys/module/omx/parameters/ifnames)"

info=$(omx_info 2>&1)
echo "$info"
t_match "ABI reported" '^omx driver ABI 0x[0-9a-f]+, library ABI 0x[0-9a-f]+$' "$info"
for i in 0 1; do
	mac=$(cat /sys/class/net/veth$i/address)
	t_match "veth$i is board $i with its MAC, MTU 9000, up" \
		"^board $i: ifname=veth$i mac=$mac mtu=9000 status=up,running endpoints=0 hostname=node0:$i\$" "$info"
done
t_nomatch "no warning on a healthy setup" '^warning:' "$info"
t_match "kernel log tells about the attach" 'omx: .*veth1' "$(dmesg)"

# A held endpoint pins the module.
omx_hold 0 3 /tmp/hold.out
t_match "endpoint shows on its board" 'board 0: .* endpoints=1 ' "$(omx_info)"
t_check_fails "rmmod refused while an endpoint is open" rmmod omx
omx_release
t_match "endpoint survived the refused rmmod" 'endpoint alive' "$(cat /tmp/hold.out)"
t_check "rmmod succeeds once it is closed" omx_unload
t_check_fails "handler gone after unload" grep -qi '^86df ' /proc/net/ptype
t_check_fails "/dev/omx gone after unload" test -e /dev/omx
t_match "omx_info without the module says what to do" \
	'/dev/omx.*(modprobe|insmod)' "$(omx_info 2>&1)"
t_check_fails "omx_info without the module exits non-zero" omx_info

# Default: every Ethernet interface present at load, never loopback.
ip link add vx0 type veth peer name vx1
t_check "load without ifnames" omx_load
info=$(omx_info)
for n in veth0 veth1 vx0 vx1; do
	t_match "$n attached by default" "ifname=$n " "$info"
done
t_nomatch "loopback not attached" 'ifname=lo ' "$info"
t_match "down interface reported down" 'ifname=vx0 .*status=down' "$info"
t_match "down board warned about" '^warning: .*vx0' "$info"
t_check "unload" omx_unload
t_check "veth vx0 removable after unload" ip link del vx0

# Load/unload cycles leave nothing behind.
for i in 1 2 3; do
	omx_load veth0 || break
	omx_unload || break
done
t_check "three load/unload cycles" test "$i" = 3
t_check_fails "bad parameter refused at load" omx_load veth0 endpoints=0
t_check_fails "module not left loaded after a refused load" omx_loaded
t_done
