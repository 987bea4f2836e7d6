# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Several tests in one boot: the job tests/check gives a guest run when
# tests share their guest options (tests/check, "Shared boots").  A boot
# costs 12-16 s of a TCG guest, and make check booted about fifty times
# within its 45 minutes of CI.
#
#   bash tests/vm/batch.sh NODE TIMEOUT:SCRIPT...
#
# Each test gets what a boot of its own would have given it: the topology
# made again and omx.ko freshly loaded (no counter, peer or endpoint of the
# test before), /tmp and /dev/shm as before the first test, a kernel log holding nothing
# of the tests before (dmesg -C: tests match their own messages in it),
# and a run directory of its own (barriers, published values, files of
# its own names).  After it, omx must unload cleanly as at the end of any
# run, and the processes it left are killed.  Each test's kernel messages
# lie between the lines "omx-batch: begin I" and "omx-batch: end I" of the
# console, which tests/check checks test by test.
#
# Results, for test I (1, 2, ...) on node N, in RUN/nodeN/batch/:
#   I.out     its output, then what the harness saw after it
#   I.status  its status (124: killed at its timeout; 99: omx did not
#             unload cleanly after it; 98: the next test's set-up failed)
#   I.secs    seconds from its start to the end of the clean-up after it
# A test that has no I.status did not complete (the guest hung or was
# killed at the run's timeout).
set -u
. "$OMX_TOP/tests/vm/lib.sh"

node=$1
shift
base=$OMX_RUN_DIR
res=$base/node$node/batch
mkdir -p "$res" || exit 1

# the processes running before the first test: what a test leaves behind
# is any other (kernel threads have no exe)
declare -A keep=()
for p in /proc/[0-9]*; do
	[ -e "$p/exe" ] && keep[${p#/proc/}]=1
done

# what /tmp holds before the first test: the project tree itself when it
# lies under /tmp (a CI clone), mounted read-write from the host over 9p,
# which the clean-up between tests must never enter
declare -A tmp_keep=()
for f in /tmp/* /tmp/.[!.]*; do
	[ -e "$f" ] && tmp_keep[$f]=1
done

# clean_tmp: remove what the tests put in /tmp and /dev/shm (without
# crossing into another file system)
clean_tmp() {
	local f
	for f in /tmp/* /tmp/.[!.]* /dev/shm/* /dev/shm/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		[ -z "${tmp_keep[$f]-}" ] || continue
		rm -rf --one-file-system -- "$f"
	done
}

# kill_leftovers FILE: kill the user processes no test started before,
# and say which in FILE
kill_leftovers() {
	local p pid comm
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ -z "${keep[$pid]-}" ] && [ "$pid" != "$BASHPID" ] && [ -e "$p/exe" ] || continue
		comm='?'
		read -r comm < "$p/comm" 2>/dev/null
		echo "batch: killing pid $pid ($comm), left running by the test" >> "$1"
		kill -KILL "$pid" 2>/dev/null
	done
}

# sync_nodes NAME: every node of a multi-node run is there (the run
# directory's barrier, bounded: a node whose test hung is killed at its
# timeout and comes, a node that died does not).  Fails at once when a
# node gave up the batch (its test failed).
sync_nodes() {
	[ "$OMX_NODES" -gt 1 ] || return 0
	local d=$base/barrier t=0 i
	mkdir -p "$d"
	: > "$d/$1.$node"
	for ((i = 0; i < OMX_NODES; )); do
		if [ -e "$d/$1.$i" ]; then
			i=$((i + 1))
		elif [ -e "$d/abort" ]; then
			echo "batch: a node gave up the shared boot"
			return 1
		elif [ "$t" -ge 6000 ]; then
			echo "batch: node $i did not reach $1 within 1200 s"
			return 1
		else
			omx_nap 0.2
			t=$((t + 1))
		fi
	done
}

# all_passed I: test I passed on every node
all_passed() {
	local j s
	for ((j = 0; j < OMX_NODES; j++)); do
		s=$(cat "$base/node$j/batch/$1.status" 2>/dev/null)
		[ "$s" = 0 ] || return 1
	done
}

n=$#
i=0
for spec in "$@"; do
	i=$((i + 1))
	limit=${spec%%:*}
	script=${spec#*:}
	out=$res/$i.out
	t0=$SECONDS
	sync_nodes "begin.$i" > "$out" 2>&1 || break
	mkdir -p "$base/m$i"
	echo "omx-batch: begin $i $script" > /dev/kmsg
	# timeout(1) makes its own process group: at the limit, the test's
	# children get the signal too
	OMX_RUN_DIR=$base/m$i timeout -k 10 "$limit" bash "$script" "$node" \
		>> "$out" 2>&1 < /dev/null &
	pgid=$!
	wait "$pgid"
	st=$?
	kill -KILL -- "-$pgid" 2>/dev/null
	[ "$st" -ne 124 ] && [ "$st" -ne 137 ] ||
		echo "batch: the test was killed at its ${limit}s timeout" >> "$out"
	# the other nodes' part of the test may still use this one's omx
	sync_nodes "end.$i" >> "$out" 2>&1
	kill_leftovers "$out"
	if ! omx_unload_checked >> "$out" 2>&1; then
		echo "post-check: omx did not unload cleanly" >> "$out"
		[ "$st" -ne 0 ] || st=99
	fi
	clean_tmp >> "$out" 2>&1
	dmesg -C
	if [ "$i" -lt "$n" ] && [ "$st" -eq 0 ]; then
		{ omx_vm_setup_topology && omx_load "$OMX_VM_IFNAMES"; } >> "$out" 2>&1 || {
			echo "batch: setting up for the next test failed" >> "$out"
			st=98
		}
	fi
	echo "omx-batch: end $i" > /dev/kmsg
	echo "$((SECONDS - t0))" > "$res/$i.secs"
	echo "$st" > "$res/$i.status"
	# what a failed test left may fail the next ones: they get a boot of
	# their own instead (tests/check)
	if [ "$st" -ne 0 ]; then
		mkdir -p "$base/barrier" && : > "$base/barrier/abort"
		break
	fi
	sync_nodes "checked.$i" >> "$out" 2>&1 || break
	all_passed "$i" || break
done
# the run's status: every test ran and passed on this node
[ "$i" -eq "$n" ] && all_passed "$n"
