#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# omx_affinity on the host, without the module: the driver's state from a
# file in omx_endpoint_info's format (--state), the paper's Clovertown as
# topology (--topology), and real processes pinned with taskset to CPU 0
# or 1, whose /proc the tool reads.  Checks the classes of the placements,
# every warning, the JSON and SVG against the text, and the errors.
# Needs jq and xmllint (scripts/install-deps).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
A=$top/tools/omx_affinity
CLOVERTOWN="pack:2 l2:2(size=4MiB) core:2 pu:1"
tmp=$(mktemp -d)
pids=
# SIGKILL: a SIGSTOPped sleeper ignores SIGTERM and would outlive the test
trap '{ kill -KILL $pids; wait $pids; } 2> /dev/null; rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { local d=$1; shift; if "$@"; then ok; else bad "$d"; fi; }
# match DESC REGEX TEXT
match() {
	if grep -Eq -- "$2" <<< "$3"; then ok; else bad "$1: /$2/ not in:"; sed 's/^/  | /' <<< "$3"; fi
}
nomatch() {
	if grep -Eq -- "$2" <<< "$3"; then bad "$1: /$2/ unexpected in:"; sed 's/^/  | /' <<< "$3"; else ok; fi
}

# ./configure --without-hwloc builds no omx_affinity
# a test that cannot run is not a pass: scripts/install-deps installs hwloc
grep -q '^HAVE_HWLOC := 1$' "$top/config.mk" ||
	{ echo "test_affinity: built without hwloc: apt-get install libhwloc-dev, rerun ./configure"; exit 1; }
[ -x "$A" ] || { echo "FAIL: $A not built: run make"; exit 1; }
for t in jq xmllint taskset lstopo-no-graphics; do
	command -v $t > /dev/null || { echo "FAIL: $t missing: scripts/install-deps"; exit 1; }
done
cpu1=1
[ "$(nproc)" -ge 2 ] || cpu1=0

# pinned processes standing for the endpoints' owners
pin() { taskset -c "$1" sleep 300 > /dev/null 2>&1 & pids="$pids $!"; pinned=$!; }
pin 0; p0=$pinned	# on CPU 0
pin $cpu1; p1=$pinned	# on CPU 1
pin 0; p2=$pinned	# stopped below: not busy
pin 0; p3=$pinned	# no frames: not busy
# once taskset has pinned it and exec'd sleep
sleep 0.3
kill -STOP "$p2"
sleep 0.1

# board 0: steered, queue q on CPU q except queue 0 spread over 0-1;
# board 1: steering none, no endpoint
cat > "$tmp/state" <<EOF
board 0 (eth0): 6 of 32 endpoints open
board 0 steering: mode=nic source=observed queues=8 hashed=812 misplaced=0
board 0 queue 0: irq=24 name=virtio0-input.0 cpus=0-1
board 0 queue 1: irq=25 name=virtio0-input.1 cpus=1
board 0 queue 2: irq=26 name=virtio0-input.2 cpus=2
board 0 queue 3: irq=27 name=virtio0-input.3 cpus=3
board 0 queue 4: irq=28 name=virtio0-input.4 cpus=4
board 0 queue 5: irq=29 name=virtio0-input.5 cpus=5
board 0 queue 6: irq=- name=- cpus=-
board 0 queue 7: irq=31 name=virtio0-input.7 cpus=7
board 0 endpoint 1: pid=$p1 command=sleep session=-
board 0 endpoint 1: steering=nic queue=1/8 irq=25 cpus=1
board 0 endpoint 1: rx cpu=1 frames=1234 bytes=567890
board 0 endpoint 3: pid=$p0 command=a<b&c "d" session=0x1a2b3c4d
board 0 endpoint 3: steering=nic queue=3/8 irq=27 cpus=3
board 0 endpoint 3: rx cpu=3 frames=7 bytes=700
board 0 endpoint 4: pid=$p3 command=sleep session=-
board 0 endpoint 4: steering=nic queue=4/8 irq=28 cpus=4
board 0 endpoint 9: pid=$p0 command=sleep session=-
board 0 endpoint 9: steering=nic queue=1/8 irq=25 cpus=1
board 0 endpoint 9: rx cpu=1 frames=10 bytes=5678
board 0 endpoint 9: rx cpu=0 frames=1 bytes=60
board 0 endpoint 12: pid=$p2 command=sleep session=-
board 0 endpoint 12: steering=nic queue=4/8 irq=28 cpus=4
board 0 endpoint 12: rx cpu=4 frames=3 bytes=300
board 0 endpoint 20: pid=- command=other user session=-
board 0 endpoint 20: steering=- (another user's endpoint: root sees it)
board 0 endpoint 21: free
board 1 (eth1): 0 of 32 endpoints open
board 1 steering: mode=none source=no-evidence queues=1 hashed=0 misplaced=0
board 1 queue 0: irq=40 name=eth1-rx cpus=6
warning: lines like this one are skipped
EOF

text=$("$A" --state "$tmp/state" --topology "$CLOVERTOWN"); rc=$?
check "exit 0" test "$rc" = 0
match "topology line" '^topology: pack:2 l2:2\(size=4MiB\) core:2 pu:1: packages=2 cores=8 pus=8$' "$text"
match "queue position" '^board 0 queue 5: irq=29 name=virtio0-input\.5 cpus=5 position=Package:1/L2:2/Core:5/PU:5$' "$text"
match "spread queue position stops above the cores" '^board 0 queue 0: .* cpus=0-1 position=Package:0/L2:0$' "$text"
match "queue without IRQ" '^board 0 queue 6: irq=- name=- cpus=- position=-$' "$text"
# endpoint E: queue CPU vs the process's CPU on the Clovertown
ep() { match "endpoint $1" "^board 0 endpoint $1: $2\$" "$text"; }
ep 1 "queue=1 irq=25 cpus=1 pid=$p1 command=sleep state=S allowed=$cpu1 last_cpu=$cpu1 class=$([ $cpu1 = 1 ] && echo SC || echo 'S\$') allowed_class=.* busy=yes"
ep 3 "queue=3 irq=27 cpus=3 pid=$p0 command=a<b&c \"d\" state=S allowed=0 last_cpu=0 class=SP allowed_class=SP busy=yes"
ep 4 "queue=4 irq=28 cpus=4 pid=$p3 command=sleep state=S allowed=0 last_cpu=0 class=OP allowed_class=OP busy=no"
ep 9 "queue=1 irq=25 cpus=1 pid=$p0 command=sleep state=S allowed=0 last_cpu=0 class=S\\$ allowed_class=S\\$ busy=yes"
ep 12 "queue=4 irq=28 cpus=4 pid=$p2 command=sleep state=T allowed=0 last_cpu=0 class=OP allowed_class=OP busy=no"
ep 20 "queue=- irq=- cpus=- pid=- command=other user state=- allowed=- last_cpu=- class=\\? allowed_class=\\? busy=no"
match "rx lines kept" '^board 0 endpoint 9: rx cpu=0 frames=1 bytes=60$' "$text"
match "last CPU position" '^board 0 endpoint 4: last_cpu position=Package:0/L2:0/Core:0/PU:0$' "$text"
match "board without endpoints" '^board 1: no endpoints open$' "$text"
# warnings
match "spread IRQ warned" '^warning: board 0 queue 0: irq 24 spread over CPUs 0-1' "$text"
match "OP warned" "^warning: board 0 endpoint 4: pid $p3 \\(sleep\\) last ran on CPU 0, in another package than queue 4 \\(CPUs 4\\): OP\$" "$text"
match "OP warned, stopped too" "^warning: board 0 endpoint 12: .*: OP\$" "$text"
[ $cpu1 = 1 ] && match "busy endpoints 1 and 9 share queue 1" '^warning: board 0 queue 1: 2 busy endpoints \(1,9\) share it' "$text"
nomatch "a stopped or idle endpoint is not busy" '^warning: board 0 queue 4:' "$text"
match "steering none warned" '^warning: board 1: steering none \(source=no-evidence\)' "$text"
nomatch "input warnings are not repeated" 'lines like this one' "$text"

# JSON: the same facts
json=$("$A" --state "$tmp/state" --topology "$CLOVERTOWN" --json)
check "one JSON document" test "$(jq -s length <<< "$json")" = 1
check "JSON classes = text classes" test \
	"$(jq -r '.boards[0].endpoints[] | "\(.index) \(.class) \(.busy)"' <<< "$json")" = \
	"$(sed -n 's/^board 0 endpoint \([0-9]*\): queue=.* class=\([^ ]*\) .* busy=\(yes\|no\)$/\1 \2 \3/p' <<< "$text" |
	   sed 's/ yes$/ true/; s/ no$/ false/')"
check "JSON keeps the command, escaped" test "$(jq -r '.boards[0].endpoints[1].command' <<< "$json")" = 'a<b&c "d"'
nomatch "no raw < > & in the JSON" '[<>&]' "$json"
check "JSON nulls for another user's endpoint" test \
	"$(jq -c '.boards[0].endpoints[] | select(.index == 20) | [.queue, .pid, .rx, .class]' <<< "$json")" = '[null,null,null,"?"]'
check "JSON rx" test "$(jq -c '.boards[0].endpoints[] | select(.index == 9) | .rx' <<< "$json")" = \
	'[{"cpu":0,"frames":1,"bytes":60},{"cpu":1,"frames":10,"bytes":5678}]'
check "JSON warning kinds" test "$(jq -c '[.warnings[].kind] | sort | unique' <<< "$json")" = \
	"$([ $cpu1 = 1 ] && echo '["irq-spread","other-package","shared-queue","steering-none"]' || echo '["irq-spread","other-package","steering-none"]')"
check "JSON queue without IRQ" test "$(jq -c '.boards[0].queues[6] | [.irq, .cpus]' <<< "$json")" = '[null,null]'

# SVG: valid, the same document inside, one line per placed endpoint
"$A" --state "$tmp/state" --topology "$CLOVERTOWN" --svg "$tmp/a.svg" > /dev/null
check "SVG is well-formed XML" xmllint --noout "$tmp/a.svg"
meta=$(xmllint --xpath "string(//*[local-name()='metadata'])" "$tmp/a.svg")
check "SVG metadata = --json but the time" test \
	"$(jq -c 'del(.time)' <<< "$meta")" = "$(jq -c 'del(.time)' <<< "$json")"
check "SVG: 8 CPU boxes" test "$(xmllint --xpath "count(//*[local-name()='rect'][@class='pu'])" "$tmp/a.svg")" = 8
check "SVG: 2 package boxes" test \
	"$(xmllint --xpath "count(//*[local-name()='rect'][@data-type='Package'])" "$tmp/a.svg")" = 2
for e in 1 3 4 9 12; do
	check "SVG line of endpoint $e has its class" test \
		"$(xmllint --xpath "string(//*[local-name()='path'][@data-endpoint='$e']/@data-class)" "$tmp/a.svg")" = \
		"$(jq -r ".boards[0].endpoints[] | select(.index == $e) | .class" <<< "$json")"
done
check "SVG: no line for the unknown endpoint" test \
	"$(xmllint --xpath "count(//*[local-name()='path'][@data-endpoint='20'])" "$tmp/a.svg")" = 0
match "SVG legend" 'OP other package' "$(cat "$tmp/a.svg")"

# the same machine as an hwloc XML file
lstopo-no-graphics --input "$CLOVERTOWN" --of xml "$tmp/clover.xml" 2> /dev/null
check "XML topology: same classes" test \
	"$("$A" --state "$tmp/state" --topology "$tmp/clover.xml" --json | jq -c '[.boards[0].endpoints[].class]')" = \
	"$(jq -c '[.boards[0].endpoints[].class]' <<< "$json")"
# SMT package with one L3: CPU 0 and 1 are one core, 3 and 0 share the L3
smt=$("$A" --state "$tmp/state" --topology "pack:1 l3:1 core:4 pu:2" --json)
check "SMT topology classes" test "$(jq -c '[.boards[0].endpoints[] | .class]' <<< "$smt")" = \
	'["SC","S$","S$","SC","S$","?"]'

# -b, --watch
check "-b 1: one board" test "$("$A" --state "$tmp/state" -b 1 --json | jq -c '[.boards[].index]')" = '[1]'
check "--watch 1 --count 2: two documents" test \
	"$("$A" --state "$tmp/state" --watch 1 --count 2 --json | jq -s length)" = 2
check "-w1 -c2: two text snapshots" test "$("$A" --state "$tmp/state" -w1 -c2 | grep -c '^topology: ')" = 2

# errors: one clear line, non-zero
err() { # DESC STATUS REGEX ARGS...
	local d=$1 st=$2 re=$3 out rc
	shift 3
	out=$("$A" "$@" 2>&1 > /dev/null); rc=$?
	check "$d: exit $st" test "$rc" = "$st"
	match "$d: message" "$re" "$out"
}
err "no such board" 1 "^omx_affinity: --state $tmp/state: no board 3 in it\$" --state "$tmp/state" -b 3
err "invalid board" 2 'invalid board "x"' --state "$tmp/state" -b x
err "bad --topology" 2 '^omx_affinity: --topology pack:2 bogus:3: no such hwloc XML file, and not a synthetic description' \
	--state "$tmp/state" --topology "pack:2 bogus:3"
err "missing state file" 1 "^omx_affinity: --state $tmp/none: No such file or directory\$" --state "$tmp/none"
printf 'board 0 (eth0): 0 of 32 endpoints open\nboard 0 queue x: irq=1\n' > "$tmp/bad"
err "bad state line" 1 "^omx_affinity: --state $tmp/bad:2: not a line of omx_endpoint_info's output, or out of place: board 0 queue x: irq=1\$" \
	--state "$tmp/bad"
printf 'board 0 endpoint 1: rx cpu=1 frames=1 bytes=1\n' > "$tmp/bad2"
err "line before its board" 1 "--state $tmp/bad2:1: " --state "$tmp/bad2"
err "bad --count" 2 'invalid --count "0"' --state "$tmp/state" --count 0
err "unwritable --svg" 1 "^omx_affinity: --svg $tmp/no/dir.svg.tmp: No such file or directory\$" \
	--state "$tmp/state" --svg "$tmp/no/dir.svg"
if [ ! -e /dev/omx ]; then
	err "module not loaded" 1 '/dev/omx not found: is the omx kernel module loaded\?' --topology "$CLOVERTOWN"
fi

echo "test_affinity: $pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
