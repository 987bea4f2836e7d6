# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 20
# omx-vm-expect: fail killed at the 20s timeout
# The script never ends: the harness must kill the guest and fail the run.
while :; do sleep 1; done
