#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS: first every committed seed and
# regression input (tests/fuzz/corpus/TARGET), then new inputs, kept in the
# fuzz build's own corpus folder so long runs build on each other. A crash,
# leak or hang fails the run; its input is written to BUILD/artifacts/.
#
#   tests/fuzz/run_target.sh BUILD TARGET SECONDS
set -euo pipefail
build=$1 target=$2 seconds=$3
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary="$build/tests/fuzz/${target}_fuzz"
if [ ! -x "$binary" ]; then
  echo "no fuzz target $binary: build it with tools/run.sh fuzz (clang, -DEVIDENT_FUZZ=ON)" >&2
  exit 1
fi
work="$build/corpus/$target"
mkdir -p "$work" "$build/artifacts"
log="$build/artifacts/$target.log"
status=0
"$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/$target-" "$work" "$source_dir/corpus/$target" \
  >"$log" 2>&1 || status=$?
# The final coverage line and counts, or what went wrong and where.
grep -E "^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|ERROR|SUMMARY|Test unit written|^    #[0-9]+ " \
  "$log" | head -40 || true
[ "$status" -eq 0 ] || echo "$target: libFuzzer exited with $status; its output is in $log" >&2
exit "$status"
