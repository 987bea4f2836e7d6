# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for scripts that run inside a test guest (sourced by guest-init and
# by the tests). Environment: OMX_TOP, OMX_RUN_DIR, OMX_NODE, OMX_NODES,
# OMX_TOPOLOGY.

OMX_KO=${OMX_KO:-$OMX_TOP/driver/linux/omx.ko}
OMX_TOOLS=$OMX_TOP/tools
export PATH=$OMX_TOOLS:$OMX_TOP/tests/driver:$PATH

# Interfaces that omx attaches for each topology.
omx_vm_setup_topology() {
	case "$OMX_TOPOLOGY" in
	none)
		OMX_VM_IFNAMES=
		;;
	pair)
		modprobe veth || return 1
		ip link add veth0 type veth peer name veth1 || return 1
		ip link set veth0 mtu 9000 up && ip link set veth1 mtu 9000 up || return 1
		OMX_VM_IFNAMES=veth0,veth1
		;;
	twonode)
		modprobe virtio_net || return 1
		omx_wait_for 20 test -e /sys/class/net/eth0 || {
			echo "twonode: no eth0 appeared"; return 1; }
		ip link set eth0 mtu 9000 up || return 1
		OMX_VM_IFNAMES=eth0
		;;
	*)
		echo "unknown topology '$OMX_TOPOLOGY'"
		return 1
		;;
	esac
	export OMX_VM_IFNAMES
}

# Remove the topology's devices: a leaked netdev reference makes this hang,
# which the timeout turns into a failure.
omx_vm_teardown_topology() {
	case "$OMX_TOPOLOGY" in
	pair)
		! test -e /sys/class/net/veth0 || timeout 30 ip link del veth0
		;;
	twonode)
		! grep -q '^virtio_net ' /proc/modules || timeout 30 rmmod virtio_net
		;;
	esac
}

# omx_wait_for SECONDS CMD...: poll until CMD succeeds.
omx_wait_for() {
	local limit=$1 i=0
	shift
	until "$@"; do
		i=$((i + 1))
		[ "$i" -le $((limit * 10)) ] || return 1
		sleep 0.1
	done
}

omx_loaded() {
	grep -q '^omx ' /proc/modules
}

# omx_load [IFNAMES] [PARAM=VALUE...]
omx_load() {
	local ifn=${1-}
	[ $# -eq 0 ] || shift
	insmod "$OMX_KO" ${ifn:+ifnames=$ifn} "$@" || {
		echo "omx_load: insmod $OMX_KO failed"; return 1; }
}

omx_unload() {
	timeout 30 rmmod omx
}

# Unload omx if loaded and prove nothing stayed behind.
omx_unload_checked() {
	local ok=0
	if omx_loaded && ! omx_unload; then
		echo "rmmod omx failed"
		ok=1
	fi
	if grep -qi '^86df ' /proc/net/ptype; then
		echo "ethertype 0x86df handler still registered"
		ok=1
	fi
	if test -e /dev/omx || test -e /dev/omx-raw; then
		echo "/dev/omx or /dev/omx-raw still present"
		ok=1
	fi
	omx_vm_teardown_topology || { echo "topology teardown failed"; ok=1; }
	return $ok
}

# Cross-node coordination through the shared run directory.
omx_barrier() {
	local name=$1 n=0
	mkdir -p "$OMX_RUN_DIR/barrier"
	touch "$OMX_RUN_DIR/barrier/$name.$OMX_NODE"
	while [ "$n" -lt "$OMX_NODES" ]; do
		n=$(find "$OMX_RUN_DIR/barrier" -name "$name.*" | wc -l)
		[ "$n" -ge "$OMX_NODES" ] && break
		sleep 0.2
	done
}

omx_publish() {
	mkdir -p "$OMX_RUN_DIR/kv"
	printf '%s\n' "$2" > "$OMX_RUN_DIR/kv/$1.tmp" &&
		mv "$OMX_RUN_DIR/kv/$1.tmp" "$OMX_RUN_DIR/kv/$1"
}

omx_lookup() {
	omx_wait_for 120 test -e "$OMX_RUN_DIR/kv/$1" && cat "$OMX_RUN_DIR/kv/$1"
}

# Checks: each prints one "ok"/"not ok" line; t_done sums them up.
T_PASSED=0
T_FAILED=0

t_ok() {
	T_PASSED=$((T_PASSED + 1))
	echo "ok - $1"
}

t_fail() {
	T_FAILED=$((T_FAILED + 1))
	echo "not ok - $1"
}

# t_check DESC CMD...: CMD must succeed.
t_check() {
	local desc=$1
	shift
	if "$@"; then t_ok "$desc"; else t_fail "$desc"; fi
}

# t_check_fails DESC CMD...: CMD must fail.
t_check_fails() {
	local desc=$1
	shift
	if "$@"; then t_fail "$desc"; else t_ok "$desc"; fi
}

# t_match DESC REGEX TEXT: TEXT must match the extended REGEX.
t_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_ok "$1"
	else
		t_fail "$1"
		printf '  expected /%s/ in:\n%s\n' "$2" "$3" | sed 's/^/  | /'
	fi
}

t_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_fail "$1"
		printf '  unexpected /%s/ in:\n%s\n' "$2" "$3" | sed 's/^/  | /'
	else
		t_ok "$1"
	fi
}

t_done() {
	echo "checks: $T_PASSED ok, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ] && [ "$T_PASSED" -gt 0 ]
}

# omx_hold BOARD INDEX OUTFILE: keep an endpoint open in the background
# (omx_hold_endpoint) until omx_release; its verdict lands in OUTFILE.
# Its stdin is a pipe from a process outside the job, so that waiting for
# the holder does not wait for the pipe's writer.
omx_hold() {
	omx_hold_endpoint "$1" "$2" > "$3" < <(sleep 600) &
	OMX_HOLDER=$!
	omx_wait_for 10 grep -q held "$3"
}

omx_release() {
	kill "$OMX_HOLDER" && wait "$OMX_HOLDER"
}
