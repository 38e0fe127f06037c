#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each (default 30) and prints executions, corpus size
# and crashes per target.
#   scripts/reliability/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo fuzz passes nightly-only flags (-Zsanitizer,
# -Cpasses=sancov-module): on a stable toolchain this script sets RUSTC_BOOTSTRAP=1, which lets stable
# rustc accept them (unsupported by the Rust project; fine for a test build, never for a release).
# FUZZ_SANITIZER=none (default address) trades AddressSanitizer for speed. New inputs go to
# fuzz/work/corpus/<target> (git-ignored); the seeds in fuzz/corpus/<target> are only read.
# Crashes land in fuzz/artifacts/<target>/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
# Without cargo-fuzz, falls back to replaying the seed corpus through the same code (no fuzzing):
#   cargo run --manifest-path fuzz/Cargo.toml --bin replay
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
seconds=${1:-30}; shift || true
targets=("$@"); [[ ${#targets[@]} -gt 0 ]] || targets=(dataset rules strength symptoms patient)
sanitizer=${FUZZ_SANITIZER:-address}
export RUSTC_BOOTSTRAP=1
# The fuzz crate keeps its own target dir (fuzz/target): its flags differ from the workspace's.
unset CARGO_TARGET_DIR

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed (cargo install cargo-fuzz): replaying the seed corpus instead" >&2
  exec nice -n 19 cargo run --manifest-path fuzz/Cargo.toml --bin replay
fi

mkdir -p fuzz/work
status=0
echo "| target | seconds | executions | exec/s | corpus (units) | coverage (cov) | crashes |"
echo "|---|---|---|---|---|---|---|"
for t in "${targets[@]}"; do
  mkdir -p "fuzz/work/corpus/$t"
  log="fuzz/work/$t.log"
  nice -n 19 cargo fuzz run --sanitizer "$sanitizer" "$t" "fuzz/work/corpus/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 >"$log" 2>&1
  rc=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -n 1)
  units=$(grep -oE 'corp: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+')
  crashes=$(grep -cE '^(==[0-9]+==ERROR|thread .* panicked)' "$log")
  [[ $rc -ne 0 ]] && status=1
  echo "| $t | $seconds | ${runs:-?} | ${rate:-?} | ${units:-?} | ${cov:-?} | $crashes$([[ $rc -ne 0 ]] && echo " (exit $rc, see $log)") |"
done
find fuzz/artifacts -type f 2>/dev/null | sed "s/^/crash input: /"
exit $status
