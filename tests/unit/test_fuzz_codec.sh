#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The coverage-guided fuzzer of common/'s wire codec (tests/fuzz/fuzz_codec,
# libFuzzer with ASan and UBSan): FUZZ_RUNS executions (default 1,000,000,
# about 15 s here) starting from the committed corpus tests/fuzz/corpus/,
# which must be exactly what tests/fuzz/gen_corpus writes.  New inputs go
# to a scratch directory; an input that breaks a rule is kept in
# tests/fuzz/artifacts/ and the seed is printed, for
#   tests/fuzz/fuzz_codec tests/fuzz/artifacts/crash-...
# The long run (10,000,000 or more) is `make -C tests/fuzz run FUZZ_RUNS=...`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fz=$top/tests/fuzz
runs=${FUZZ_RUNS:-1000000}
seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

make -s -C "$fz" fuzz_codec gen_corpus || {
	echo "test_fuzz_codec: cannot build tests/fuzz (clang with libFuzzer: scripts/install-deps)"; exit 1; }
make -s -C "$fz" corpus-check || {
	echo "test_fuzz_codec: tests/fuzz/corpus/ differs from gen_corpus's output: make -C tests/fuzz corpus"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$fz/artifacts"
start=$(date +%s)
"$fz/fuzz_codec" -runs="$runs" -seed="$seed" -max_len=9300 -print_final_stats=1 \
	-artifact_prefix="$fz/artifacts/" "$scratch" "$fz/corpus" > "$scratch.log" 2>&1
st=$?
end=$(date +%s)
grep -E '^(INFO: Seed|Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb))' "$scratch.log"
if [ "$st" -ne 0 ]; then
	tail -n 40 "$scratch.log"
	echo "test_fuzz_codec: FAILED with seed $seed; the input is in tests/fuzz/artifacts/ (replay: tests/fuzz/fuzz_codec FILE; again: FUZZ_SEED=$seed $0)"
	rm -f "$scratch.log"
	exit 1
fi
rm -f "$scratch.log"
echo "test_fuzz_codec: $runs executions, seed $seed, $((end - start)) s"
