#!/usr/bin/env bash
# Instructions per request of the release server, scenario by scenario, under valgrind's callgrind: a
# figure that does not depend on the machine's load, for before/after comparisons of the request path.
#   scripts/load/callgrind.sh [SECONDS] [OUT_DIR]        (defaults: 20 s per scenario, ./callgrind-out)
# Environment: SERVER_BIN (default target/release/pharmarec; not PHARMAREC_*: the server refuses unknown
# PHARMAREC_ variables), ONLY (extended regex on scenario names).
# The server runs on an already imported SQLite database (made by a normal start first), with the
# load-test settings of scripts/load.sh. Instrumentation is off during start-up and on only while wrk
# drives one scenario (1 thread, 4 connections); the request count comes from the server's own
# pharmarec_http_requests_total, read before and after, so it is exact. Each scenario leaves a profile
# OUT_DIR/<scenario>.callgrind for callgrind_annotate. Needs valgrind and wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
out="$(realpath -m "${2:-callgrind-out}")"
bin="${SERVER_BIN:-target/release/pharmarec}"
only="${ONLY:-.}"
export LOAD_DIR="$PWD/scripts/load"
export ZIPF_KEYS="${ZIPF_KEYS:-10000}" ZIPF_S="${ZIPF_S:-1.0}"
port=18180
mkdir -p "$out"
work=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

serve() { # runs the server (under the given wrapper command, if any) in the background
  PHARMAREC_DATABASE__URL="sqlite://$work/load.db" PHARMAREC_LOG__FILTER=warn \
  PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=1000000000 \
    "$@" "$bin" serve --bind "127.0.0.1:$port" >>"$work/server.log" 2>&1 &
  pid=$!
}
wait_ready() { # at most $1 seconds
  for _ in $(seq 1 "$1"); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && return 0; sleep 1; done
  echo "server did not become ready" >&2; cat "$work/server.log" >&2; exit 1
}
served() { # requests counted by the server so far, /metrics scrapes excluded
  curl -sf "http://127.0.0.1:$port/metrics" |
    awk '/^pharmarec_http_requests_total\{/ && !/route="\/metrics"/ { n += $2 } END { print n + 0 }'
}

serve   # imports the catalogue into the empty database
wait_ready 120
kill "$pid"; wait "$pid" 2>/dev/null || true
serve valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out"
wait_ready 600

echo "| scenario | requests | instructions | instructions per request |"
echo "|---|---|---|---|"
for scenario in "trivial GET /version:trivial.lua" \
                "GET /api/v1/medicines/{id}:medicine_by_id.lua" \
                "recommendations, 8 bodies (cache hits):recommendations.lua" \
                "recommendations, every body distinct:recommendations_uncached.lua" \
                "interaction checks, 4 bodies:interactions.lua" \
                "interaction checks, 10 items, every basket distinct:interactions_distinct.lua" \
                "Zipf mix:zipf_mix.lua"; do
  IFS=: read -r name script <<<"$scenario"
  grep -Eq "$only" <<<"$name" || continue
  file="$out/$(tr -c 'a-zA-Z0-9\n' '_' <<<"$name").callgrind"
  before=$(served)
  callgrind_control -z "$pid" >/dev/null 2>&1
  callgrind_control -i on "$pid" >/dev/null 2>&1
  wrk -t1 -c4 -d"${seconds}s" --timeout 30s -s "$LOAD_DIR/$script" "http://127.0.0.1:$port" >/dev/null
  callgrind_control -i off "$pid" >/dev/null 2>&1
  callgrind_control -d "$pid" >/dev/null 2>&1
  after=$(served)
  # The dump is written next to cg.out with a numeric suffix; take the newest. (awk reads to the end:
  # with pipefail, an early exit would fail the pipeline on callgrind_annotate's SIGPIPE.)
  mv "$(ls -t "$work"/cg.out.* | head -1)" "$file"
  total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }')
  requests=$((after - before))
  echo "| $name | $requests | $total | $((total / (requests > 0 ? requests : 1))) |"
done
