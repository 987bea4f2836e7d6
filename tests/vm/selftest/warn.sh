# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 120
# omx-vm-expect: fail kernel log .*WARNING: omx harness self-test
# omx-vm-expect-not: script exited with status
# The script succeeds but leaves a WARNING in the kernel log: the harness
# must fail the run.
echo "WARNING: omx harness self-test" > /dev/kmsg
exit 0
