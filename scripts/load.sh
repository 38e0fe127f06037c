#!/usr/bin/env bash
# Load test of the release server on the shipped catalogue (SQLite), with wrk.
#   scripts/load.sh [DURATION_SECONDS] [CONNECTIONS]
# Builds the release binary and the bare actix-web + diesel baseline, starts both on 127.0.0.1, runs every
# scenario for DURATION seconds at CONNECTIONS connections, prints a Markdown table and the server's RSS.
# Every loop is bounded by wrk's -d; both servers are stopped on exit. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
connections="${2:-1000}"
threads=2
export LOAD_DIR="$PWD/scripts/load"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cargo build --release --bin pharmarec --example bare_read >&2
bin="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=18080
bare_port=18081
# Rate limiting would throttle a load test: the run sets a limit far above what it sends.
PHARMAREC_DATABASE__URL="sqlite://$work/load.db" PHARMAREC_LOG__FILTER=warn \
PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=1000000000 \
  "$bin/pharmarec" serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pids+=($!)
server_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || { echo "server did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }

"$bin/examples/bare_read" "sqlite://$work/load.db" "127.0.0.1:$bare_port" >"$work/bare.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -sf "http://127.0.0.1:$bare_port/medicines/OB-A071192-001" >/dev/null && break; sleep 0.25; done

run() { # name, script, base url
  local line
  line=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$LOAD_DIR/$2" "$3" | grep '^RESULT')
  echo "$1 $line"
}

echo "| scenario | requests/s | p50 ms | p95 ms | p99 ms | requests | socket errors | non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
for scenario in "trivial GET /version:trivial.lua:$port" \
                "GET /api/v1/medicines (mixed):medicines.lua:$port" \
                "GET /api/v1/medicines/{id}:medicine_by_id.lua:$port" \
                "bare actix-web + diesel GET /medicines/{id}:medicine_by_id_bare.lua:$bare_port" \
                "POST /api/v1/recommendations (8 bodies, cached):recommendations.lua:$port" \
                "POST /api/v1/recommendations (every body distinct):recommendations_uncached.lua:$port" \
                "POST /api/v1/interactions/check:interactions.lua:$port"; do
  IFS=: read -r name script p <<<"$scenario"
  run "$name" "$script" "http://127.0.0.1:$p" |
    sed -E 's/^(.*) RESULT rps=([^ ]+) p50=([^ ]+) p95=([^ ]+) p99=([^ ]+) requests=([^ ]+) socket_errors=([^ ]+) non_2xx=([^ ]+)$/| \1 | \2 | \3 | \4 | \5 | \6 | \7 | \8 |/'
done
echo
echo "server RSS after the run: $(grep -E 'VmRSS' /proc/$server_pid/status | awk '{print $2/1024 " MiB"}'), peak $(grep -E 'VmHWM' /proc/$server_pid/status | awk '{print $2/1024 " MiB"}')"
