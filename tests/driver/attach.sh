# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# Run-time attach and detach through the ifnames parameter: name, +name,
# -name (refused while endpoints are open), --name (forced), bad names.
. tests/vm/lib.sh
param=/sys/module/omx/parameters/ifnames

# set_param VALUE: write to the parameter; status is the write's.
set_param() {
	echo "$1" > "$param" 2>/dev/null
}

t_check "detach veth1" set_param -veth1
t_match "parameter lists veth0 only" '^veth0$' "$(cat "$param")"
t_nomatch "veth1 gone from the boards" 'ifname=veth1' "$(omx_info)"
t_match "kernel log tells about the detach" 'board 1 \(veth1\): detached' "$(dmesg)"
t_check "attach veth1 with +" set_param +veth1
t_match "veth1 back as board 1" 'board 1: ifname=veth1 ' "$(omx_info)"
t_check_fails "attaching twice is refused" set_param veth1
t_match "double attach explained" 'cannot attach veth1: already attached' "$(dmesg)"
t_check_fails "unknown interface is refused" set_param +nosuch0
t_match "unknown interface explained" 'cannot attach nosuch0: no such interface' "$(dmesg)"
t_check_fails "non-Ethernet interface is refused" set_param +lo
t_match "non-Ethernet explained" 'cannot attach lo: not an Ethernet interface' "$(dmesg)"
t_check_fails "detaching what is not attached is refused" set_param -nosuch0
t_check_fails "garbage is refused" set_param '+-'
t_match "parameter unchanged by refused writes" '^veth0,veth1$' "$(cat "$param")"

# Boards keep their index; a new attach takes the lowest free slot.
ip link add vx0 type veth peer name vx1
ip link set vx0 up; ip link set vx1 up
t_check "detach veth0" set_param -veth0
t_check "attach vx0" set_param vx0
t_match "vx0 takes the free slot 0" 'board 0: ifname=vx0 ' "$(omx_info)"
t_match "veth1 kept index 1" 'board 1: ifname=veth1 ' "$(omx_info)"
t_check "attach a list" set_param veth0,vx1
t_match "list attached" '^board 3: ifname=vx1 ' "$(omx_info)"

# An open endpoint blocks a plain detach, not a forced one.
omx_hold 1 0 /tmp/hold.out
t_check_fails "detach refused while an endpoint is open" set_param -veth1
t_match "refusal says how to force" 'board 1 \(veth1\): not detached, 1 endpoint\(s\) open.*--veth1' "$(dmesg)"
t_match "veth1 still attached" 'board 1: ifname=veth1 .*endpoints=1' "$(omx_info)"
t_check "forced detach" set_param --veth1
t_match "forced detach logged" 'board 1 \(veth1\): detached by force, 1 endpoint\(s\) are now dead' "$(dmesg)"
t_nomatch "veth1 gone after forced detach" 'ifname=veth1' "$(omx_info)"
omx_release
t_match "the holder's endpoint is dead" 'endpoint dead' "$(cat /tmp/hold.out)"
t_check "re-attach after forced detach" set_param veth1
t_match "endpoint index free again" 'board 1: ifname=veth1 .*endpoints=0' "$(omx_info)"

# Removing an attached interface with an open endpoint must not hang.
omx_hold 0 0 /tmp/hold2.out
t_check "delete vx0 while attached with an open endpoint" timeout 30 ip link del vx0
t_match "unregister detached the board" 'board 0 \(vx0\): interface unregistered' "$(dmesg)"
t_nomatch "vx0 and its peer vx1 gone from the boards" 'ifname=vx' "$(omx_info)"
omx_release
t_match "that endpoint is dead too" 'endpoint dead' "$(cat /tmp/hold2.out)"
t_done
