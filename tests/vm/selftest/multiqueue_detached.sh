# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-long: --no-slub-debug --topology multiqueue --vnic-no-guard --no-load --timeout 240
# omx-vm-expect: fail not ok - 4 queues \(phase 1\): steering is not in force on node1: per-queue rx packets
# Without omx_vnic's guard qemu detaches the tap's steering program when
# the guest driver sets up its queues, and the tap falls back to its own
# flow hash.  The first phase of multiqueue.sh must then see frames on
# queues other than their endpoint's and say so.
mq_phases=4
. tests/vm/selftest/multiqueue.sh
