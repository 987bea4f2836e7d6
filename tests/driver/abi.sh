# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300
# The ABI is versioned and every bad ioctl gets an errno, never an oops.
. tests/vm/lib.sh

out=$(omx_abi_mismatch 2>&1)
st=$?
t_check "a library built for another ABI fails" test "$st" = 1
t_match "and says why and what to do" 'library built for ABI 0x[0-9a-f]+ but driver speaks ABI 0x[0-9a-f]+; rebuild' "$out"
out=$(omx_bad_ioctl 2>&1)
st=$?
echo "$out"
t_check "bad ioctls get the documented errnos" test "$st" = 0
t_nomatch "no bad ioctl check failed" '^FAIL' "$out"
t_match "bad ioctl checks ran" '^ok' "$out"
t_done
