# SPDX-License-Identifier: GPL-2.0-or-later
# omx-vm: --topology pair --timeout 300 --mem 1536
# Issue 13, memory access (docs/security.md, "Memory access: connects and
# pulls"), on a veth pair in one guest, the attacker running as nobody:
# - a libomx process (mx_pingpong server) refuses a wrong key without
#   naming its session either;
# - a root victim exposes a secret by a RNDV to its partner, which pulls
#   it and goes away (the region stays registered, as in a registration
#   cache); its CONNECT refusals carry its session as a broken library
#   would: the attacker's wrong-key connect must see no session (the
#   driver zeroes it), and its pulls of every region id x 4 seqnums, with
#   the session it is assumed to have learned, must get no byte, inside
#   the host and over the wire, from its own endpoint and from the slot
#   of the partner, each refusal counted;
# - writable regions on a MAP_SHARED file of a disk filesystem (ext2 on a
#   loop device) are refused with EOPNOTSUPP, the other kinds work;
# - a 4080 MiB pull inside the host ends promptly on SIGKILL and leaves
#   nothing pinned.
. tests/vm/lib.sh
PATH=$OMX_TOP/tests/driver:$OMX_TOP/tests/mx:$PATH
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
counter() { omx_counters -b "$1" | sed -n "s/^  $2: //p"; }
len=$((64 * 1024 + 1))

# --- connects and pulls as a stranger
log=/tmp/victim.out
omx_attack_pull victim $len > "$log" 2>&1 &
victim=$!
t_check "the victim is ready" omx_wait_for 30 grep -q '^ready' "$log"
session=$(sed -n 's/^ready //p' "$log")
out=$(nobody omx_attack_pull attack "$session" $len 2>&1)
st=$?
kill "$victim"
wait "$victim"
cat "$log"
printf '%s\n' "$out"
t_nomatch "the victim's checks pass" '^FAIL' "$(cat "$log")"
t_match "its partner pulled the secret" '^ok victim: its partner pulled' "$(cat "$log")"
t_check "the attacker gets nothing (exit 0)" test "$st" = 0
t_nomatch "no attacker check failed" '^FAIL' "$out"
t_match "the refused connect names no session" '^ok attacker: the refusal reveals no session' "$out"
t_match "4 attacks, 1024 pulls each, refused" \
	"^ok .*the partner's slot: every one of 1024 pulls ended" "$out"
t_check "pull_denied shows on the victim's board" test "$(counter 0 pull_denied)" -ge 4

# the same connect against a libomx process (mx_pingpong's key is another)
mx_pingpong server -b 0 -e 4 -t 60 > /tmp/pp.out 2>&1 &
pp=$!
omx_wait_for 20 sh -c 'omx_endpoint_info -b 0 | grep -q "endpoint 4:"'
out=$(nobody omx_attack_pull connect 0 4 2>&1)
st=$?
kill "$pp"
wait "$pp"
printf '%s\n' "$out"
t_check "wrong key against libomx: checks pass" test "$st" = 0
t_match "libomx's refusal reveals no session" '^ok attacker: the refusal reveals no session' "$out"

# --- writable pins of file pages
modprobe loop
img=/tmp/ext2.img
truncate -s 16M $img && mkfs.ext2 -q -F $img && mkdir -p /mnt/ext2 &&
	mount -o loop $img /mnt/ext2 && chmod 1777 /mnt/ext2
out=$(nobody omx_attack_pull filemap /mnt/ext2 2>&1)
st=$?
printf '%s\n' "$out"
t_check "file mappings: checks pass" test "$st" = 0
t_match "MAP_SHARED ext2 file, writable: EOPNOTSUPP" \
	'^ok REGISTER MAP_SHARED file writable: errno 95' "$out"
t_match "read-only: accepted" '^ok REGISTER MAP_SHARED file read-only: errno 0' "$out"
umount /mnt/ext2

# --- a huge local pull killed
out=$(omx_attack_pull bigpull 2>&1)
st=$?
printf '%s\n' "$out"
t_check "bigpull: checks pass" test "$st" = 0
t_match "killed promptly" '^ok bigpull: SIGKILLed' "$out"
t_match "nothing left pinned" '^ok bigpull: then nothing pinned' "$out"
t_check "no oops or warning" sh -c '! dmesg | grep -qE "WARNING:|BUG:|Oops"'
t_check "module unloads" omx_unload
t_done
