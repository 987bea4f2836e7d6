# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 120
# Test guests boot with slub_debug=FZPU (tests/vm/run): SLUB checks
# every object (F: sanity checks, Z: red zones, P: poisoning, U: owner
# tracking), so a heap overrun or a use after free in omx is reported
# ("BUG kmalloc-N (...): Redzone overwritten"), which fails the run.
. tests/vm/lib.sh
t_match "on the kernel command line" '(^| )slub_debug=FZPU( |$)' "$(cat /proc/cmdline)"
for cache in kmalloc-64 kmalloc-512 kmalloc-4k; do
	for flag in sanity_checks red_zone poison store_user; do
		t_check "$cache: $flag in force" grep -qx 1 "/sys/kernel/slab/$cache/$flag"
	done
done
# a full validation pass over a cache omx allocates from finds nothing
t_check "omx is loaded" omx_loaded
t_check "kmalloc-64 validates" sh -c 'echo 1 > /sys/kernel/slab/kmalloc-64/validate'
t_nomatch "no SLUB report" 'BUG kmalloc|INFO: Slab' "$(dmesg)"
t_done
