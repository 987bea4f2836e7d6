# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 30
# omx-vm-expect: fail killed at the 30s timeout
# The script never ends: the harness must kill the guest and fail the run.
while :; do sleep 1; done
