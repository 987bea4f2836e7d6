# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 150
# omx-vm-expect: fail kernel log of .* reports: .*INFO: task .* blocked for more than
# omx-vm-expect-not: script exited with status
# A task stuck in D state for real: a write to a frozen filesystem waits
# uninterruptibly in sb_start_write() until the thaw.  With the hung
# task detector's timeout at 1 s the kernel reports it; the script itself
# succeeds, so only the harness's kernel-log check can fail the run.
. tests/vm/lib.sh
modprobe loop && modprobe ext4 || exit 2
echo 1 > /proc/sys/kernel/hung_task_timeout_secs || exit 2
truncate -s 16M /tmp/frozen.img && mkfs.ext4 -q /tmp/frozen.img || exit 2
mkdir -p /mnt/frozen && mount -o loop /tmp/frozen.img /mnt/frozen || exit 2
fsfreeze -f /mnt/frozen || exit 2
sh -c 'echo stuck > /mnt/frozen/file' &
writer=$!
t_check "the writer is in D state" omx_wait_for 10 sh -c "grep -q '^State:.*D' /proc/$writer/status"
t_check "the kernel reports the hung task" omx_wait_for 20 sh -c "dmesg | grep -q 'blocked for more than'"
dmesg | grep -A2 'blocked for more than' | head -n 3
# thaw, or the writer (and the power-off's sync) would wait forever
fsfreeze -u /mnt/frozen
wait "$writer"
umount /mnt/frozen
t_done
