# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm-debug: --topology none --no-load --timeout 300
# omx-vm-expect: fail kmemleak: [1-9][0-9]* suspected leak\(s\) after the job
# omx-vm-expect-not: kernel log of|^not ok
# Harness self-test for the debug kernel (tests/check-debug): a module
# that leaks (tests/debug/module/omx_debugtest.ko bug=leak) is loaded
# and unloaded; kmemleak must see the object, and the leak check that
# tests/vm/guest-init runs after every job must fail the run for it,
# while the kernel log stays clean.
. tests/vm/lib.sh
mod=$(dirname "$OMX_KO")/omx_debugtest.ko
kl=/sys/kernel/debug/kmemleak
t_check "kmemleak is on" test -w "$kl"
t_check "the leaking module loads" insmod "$mod" bug=leak
echo scan > "$kl"
echo scan > "$kl"
leaks=$(cat "$kl")
# (the size is that of the kmalloc cache, 256)
t_match "kmemleak reports the object, allocated by the module" \
	'debugtest_leak\+0x[0-9a-f]+/0x[0-9a-f]+ \[omx_debugtest\]' "$leaks"
t_check "it unloads" rmmod omx_debugtest
t_done
