# SPDX-License-Identifier: GPL-2.0-or-later
# veth_tcp_setup: TCP across the pair topology's veth0/veth1 in one
# namespace, for the benchmarks' TCP references (bench/guest.sh,
# bench/mpi_guest.sh): 10.77.0.1 on veth0, 10.77.0.2 on veth1.  Both
# addresses are local, so the kernel would deliver over lo: policy
# routing sends locally generated packets for the other end out of the
# own veth, and the local table only answers what arrives on a veth.
# Static neighbours keep ARP out of the figures.
veth_tcp_setup() {
	local i
	ip addr add 10.77.0.1/24 dev veth0
	ip addr add 10.77.0.2/24 dev veth1
	ip rule add pref 10 iif lo to 10.77.0.2 lookup 7701
	ip rule add pref 11 iif lo to 10.77.0.1 lookup 7702
	ip route add 10.77.0.2 dev veth0 src 10.77.0.1 table 7701
	ip route add 10.77.0.1 dev veth1 src 10.77.0.2 table 7702
	ip rule add pref 100 lookup local
	ip rule del pref 0
	for i in all veth0 veth1; do
		sysctl -qw net.ipv4.conf.$i.rp_filter=0 net.ipv4.conf.$i.accept_local=1
	done
	ip neigh replace 10.77.0.2 lladdr "$(cat /sys/class/net/veth1/address)" dev veth0
	ip neigh replace 10.77.0.1 lladdr "$(cat /sys/class/net/veth0/address)" dev veth1
}
