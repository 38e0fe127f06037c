#!/usr/bin/env bash
# Where the release server's memory is, scenario by scenario: resident anonymous memory split into
# mimalloc's arena and the rest (C's heap, which is SQLite's, and thread stacks), and the resident
# part of the mapped binary and libraries.
#   scripts/load/memory.sh [SECONDS] [CONNECTIONS]        (defaults: 8 s, 256 connections)
# Environment: SERVER_BIN (default target/release/pharmarec), ONLY (extended regex on scenario
# names); any other variable (MIMALLOC_PURGE_DELAY=0, PHARMAREC_DATABASE__POOL_MAX_SIZE=4, ...)
# reaches the server, for experiments.
# The server runs on an already imported SQLite database (made by a normal start first), with the
# load-test settings of scripts/load.sh, and the scenarios run in load.sh's order. Every loop is
# bounded; the server is stopped on exit. Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-8}"
connections="${2:-256}"
bin="${SERVER_BIN:-target/release/pharmarec}"
only="${ONLY:-.}"
export LOAD_DIR="$PWD/scripts/load"
export ZIPF_KEYS="${ZIPF_KEYS:-10000}" ZIPF_S="${ZIPF_S:-1.0}"
port=18280
work=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

serve() {
  PHARMAREC_DATABASE__URL="sqlite://$work/load.db" PHARMAREC_LOG__FILTER=warn \
  PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=1000000000 \
    "$bin" serve --bind "127.0.0.1:$port" >>"$work/server.log" 2>&1 &
  pid=$!
}
wait_ready() { # at most $1 seconds
  for _ in $(seq 1 $(($1 * 10))); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && return 0; sleep 0.1; done
  echo "server did not become ready" >&2; cat "$work/server.log" >&2; exit 1
}
# One table row: anonymous (arena + other) and file-backed resident memory, MiB. mimalloc reserves
# its arena as one large anonymous mapping, the only one over 20 MiB.
row() {
  awk -v name="$1" '
    FILENAME ~ /status$/ && /^RssAnon:/ { anon = $2 }
    FILENAME ~ /status$/ && /^RssFile:/ { file = $2 }
    FILENAME ~ /smaps$/ && /^[0-9a-f]+-[0-9a-f]+ / { unnamed = (NF < 6) }
    FILENAME ~ /smaps$/ && /^Rss:/ && unnamed && $2 > 20480 && !arena { arena = $2 }
    END { printf "| %s | %d | %d | %d | %d |\n", name, anon / 1024, arena / 1024, (anon - arena) / 1024, file / 1024 }
  ' "/proc/$pid/status" "/proc/$pid/smaps"
}

serve   # imports the catalogue into the empty database
wait_ready 120
kill "$pid"; wait "$pid" 2>/dev/null || true
serve
wait_ready 30
sleep 1

echo "| after | anonymous | arena | other | file |"
echo "|---|---|---|---|---|"
row "ready"
for scenario in "GET /version:trivial.lua" \
                "GET /api/v1/medicines (mixed):medicines.lua" \
                "GET /api/v1/medicines/{id}:medicine_by_id.lua" \
                "recommendations, 8 bodies:recommendations.lua" \
                "recommendations, every body distinct:recommendations_uncached.lua" \
                "interaction checks, 4 bodies:interactions.lua" \
                "interaction checks, every basket distinct:interactions_distinct.lua" \
                "Zipf mix:zipf_mix.lua"; do
  IFS=: read -r name script <<<"$scenario"
  grep -Eq "$only" <<<"$name" || continue
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$LOAD_DIR/$script" "http://127.0.0.1:$port" >/dev/null
  row "$name"
done
