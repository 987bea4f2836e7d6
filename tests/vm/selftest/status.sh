# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology none --no-load --timeout 120
# omx-vm-expect: fail script exited with status 3
# A failing script must fail the run with its own status.
exit 3
