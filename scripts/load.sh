#!/usr/bin/env bash
# Load test of the release server on the shipped catalogue (SQLite), with wrk, optionally beside the
# TechEmpower actix anchors, printing the whole issue-14 table in one run.
#   scripts/load.sh [DURATION_SECONDS] [CONNECTIONS]          (defaults: 10 s, 256 connections)
# Environment:
#   ANCHORS_DIR   a TechEmpower FrameworkBenchmarks checkout (only frameworks/Rust/actix is read); when
#                 set, the actix `/json` (tfb-web) and actix + diesel `/db` (tfb-web-diesel, PostgreSQL)
#                 anchors are built and measured in the same run. Their code stays outside this
#                 repository: a copy under ANCHORS_BUILD_DIR gets two edits (database URL, listen
#                 address) and is built there with its own target directory and its Dockerfiles'
#                 RUSTFLAGS (-C target-cpu=native).
#   ANCHORS_BUILD_DIR  where that copy and its target directory live (default: $ANCHORS_DIR/../anchor-build).
#   ANCHOR_PG_URL      PostgreSQL server for the `/db` anchor (default postgres://postgres@127.0.0.1:5432);
#                      the database `tfb_hello_world` with TechEmpower's `world` table (10,000 rows) is
#                      created there if missing. Nothing else on that server is touched.
#   ZIPF_KEYS, ZIPF_S  parameters of the Zipf mix scenario (default 10,000 distinct requests, s = 1.0).
#   ONLY               an extended regex: run only the scenarios whose name matches (for quick checks).
# Builds the release binary and the bare actix-web + diesel baseline, measures the time to /ready of a
# restart on the imported database, runs every scenario for DURATION seconds at CONNECTIONS connections
# against one server process, and prints a Markdown table, the response-cache hit rate of the Zipf mix,
# the server's RSS and a check against the issue-14 targets. Every loop is bounded (wrk's -d, polling
# limits); every process started here is stopped on exit. Needs wrk (apt-get install wrk), and cmake
# for the anchors.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-256}"
threads=2
export LOAD_DIR="$PWD/scripts/load"
export ZIPF_KEYS="${ZIPF_KEYS:-10000}" ZIPF_S="${ZIPF_S:-1.0}"
only="${ONLY:-.}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
# The anchors' allocator (snmalloc-sys) builds with cmake.
[[ -z "${ANCHORS_DIR:-}" ]] || command -v cmake >/dev/null \
  || { echo "building the anchors needs cmake (apt-get install cmake)" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# --- the anchors (built first: their build is the long part, and fails early if it fails) ---------------
anchor_port=18090
if [[ -n "${ANCHORS_DIR:-}" ]]; then
  anchor_src="$ANCHORS_DIR/frameworks/Rust/actix"
  [[ -f "$anchor_src/Cargo.toml" ]] || { echo "no $anchor_src/Cargo.toml: ANCHORS_DIR must be a FrameworkBenchmarks checkout" >&2; exit 2; }
  anchors_build="${ANCHORS_BUILD_DIR:-$ANCHORS_DIR/../anchor-build}"
  pg_url="${ANCHOR_PG_URL:-postgres://postgres@127.0.0.1:5432}"
  anchor_db_url="$pg_url/tfb_hello_world"
  mkdir -p "$anchors_build"
  # Stage the patched copy and replace the build copy only when it changed, so a rerun keeps cargo's
  # fingerprints and does not rebuild. The two edits: TechEmpower's database host and credentials
  # (tfb-database, benchmarkdbuser) do not exist here, and both binaries listen on 0.0.0.0:8080.
  stage="$work/actix"
  cp -a "$anchor_src" "$stage"
  sed -i -e "s#postgres://benchmarkdbuser:benchmarkdbpass@tfb-database/hello_world#$anchor_db_url#" \
    -e "s#0\.0\.0\.0:8080#127.0.0.1:$anchor_port#" "$stage/src/main_web.rs" "$stage/src/main_web_diesel.rs"
  grep -q "127.0.0.1:$anchor_port" "$stage/src/main_web.rs" && grep -q "$anchor_db_url" "$stage/src/main_web_diesel.rs" \
    || { echo "the anchors' sources changed: the listen address or database URL edit no longer applies" >&2; exit 1; }
  if ! diff -rq "$stage" "$anchors_build/actix" >/dev/null 2>&1; then
    rm -rf "$anchors_build/actix"
    cp -a "$stage" "$anchors_build/actix"
  fi
  (cd "$anchors_build/actix" && RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR="$anchors_build/target" \
    cargo build --release --locked --bin tfb-web --bin tfb-web-diesel >&2)
  anchor_bin="$anchors_build/target/release"
  # TechEmpower's schema and data (toolset/databases/postgres/create-postgres.sql), in a database of
  # its own; created once.
  if [[ "$(psql "$pg_url/postgres" -Atc "select 1 from pg_database where datname = 'tfb_hello_world'")" != 1 ]]; then
    psql "$pg_url/postgres" -qc "create database tfb_hello_world" >&2
  fi
  psql "$anchor_db_url" -q >&2 <<'SQL'
create table if not exists world (id integer not null primary key, randomnumber integer not null default 0);
insert into world (id, randomnumber)
  select x.id, least(floor(random() * 10000 + 1), 10000) from generate_series(1, 10000) as x(id)
  on conflict (id) do nothing;
SQL
fi

# --- PharmaRec --------------------------------------------------------------------------------------------
cargo build --release --bin pharmarec --example bare_read >&2
bin="${CARGO_TARGET_DIR:-target}/release"

port=18080
bare_port=18081
# Rate limiting would throttle a load test: the run sets a limit far above what it sends.
start_server() {
  PHARMAREC_DATABASE__URL="sqlite://$work/load.db" PHARMAREC_LOG__FILTER=warn \
  PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=1000000000 \
    "$bin/pharmarec" serve --bind "127.0.0.1:$port" >>"$work/server.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
}
# Polls every 10 ms for at most $1 seconds; prints the seconds it took.
wait_ready() {
  local started=$EPOCHREALTIME
  for _ in $(seq 1 $(($1 * 100))); do
    if curl -sf "http://127.0.0.1:$port/ready" >/dev/null; then
      awk -v now="$EPOCHREALTIME" -v then="$started" 'BEGIN { printf "%.2f\n", now - then }'
      return 0
    fi
    sleep 0.01
  done
  echo "server did not become ready" >&2; cat "$work/server.log" >&2; exit 1
}
# First start imports the embedded catalogue into the empty database; the restart is what "ready < 1 s
# on an imported database" measures.
start_server
first_ready=$(wait_ready 120)
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
start_server
ready_secs=$(wait_ready 30)

"$bin/examples/bare_read" "sqlite://$work/load.db" "127.0.0.1:$bare_port" >"$work/bare.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 40); do curl -sf "http://127.0.0.1:$bare_port/medicines/OB-A071192-001" >/dev/null && break; sleep 0.25; done

declare -A rps p99
run() { # name, script, base url
  local line
  line=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s "$LOAD_DIR/$2" "$3" | grep '^RESULT')
  rps[$1]=$(sed -E 's/.* rps=([^ ]+) .*/\1/' <<<"$line")
  p99[$1]=$(sed -E 's/.* p99=([^ ]+) .*/\1/' <<<"$line")
  sed -E 's/^(.*) RESULT rps=([^ ]+) p50=([^ ]+) p95=([^ ]+) p99=([^ ]+) requests=([^ ]+) socket_errors=([^ ]+) non_2xx=([^ ]+)$/| \1 | \2 | \3 | \4 | \5 | \6 | \7 | \8 |/' <<<"$1 $line"
}
cache_counts() { # "hits misses" from the server's counters
  curl -sf "http://127.0.0.1:$port/metrics" | awk '
    /^pharmarec_cache_requests_total\{result="hit"\}/ { h = $2 }
    /^pharmarec_cache_requests_total\{result="miss"\}/ { m = $2 }
    END { print h + 0, m + 0 }'
}
# Starts an anchor binary, waits until `path` answers, runs the scenario, stops it.
run_anchor() { # name, binary, script, path
  [[ -n "${ANCHORS_DIR:-}" ]] || return 0
  local pid
  "$anchor_bin/$2" >"$work/$2.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$anchor_port$4" >/dev/null && break; sleep 0.1; done
  curl -sf "http://127.0.0.1:$anchor_port$4" >/dev/null || { echo "anchor $2 did not answer" >&2; cat "$work/$2.log" >&2; exit 1; }
  run "$1" "$3" "http://127.0.0.1:$anchor_port"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

json_anchor="TechEmpower actix /json (trivial anchor)"
db_anchor="TechEmpower actix + diesel /db (PostgreSQL anchor)"
trivial="trivial GET /version"
by_id="GET /api/v1/medicines/{id}"
distinct="POST /api/v1/recommendations (every body distinct)"
baskets="POST /api/v1/interactions/check (10 items, every basket distinct)"
zipf="Zipf mix of recommendations and interaction checks (s = $ZIPF_S over $ZIPF_KEYS requests)"

echo "| scenario | requests/s | p50 ms | p95 ms | p99 ms | requests | socket errors | non-2xx |"
echo "|---|---|---|---|---|---|---|---|"
for scenario in "$json_anchor:anchor_json.lua:tfb-web:/json" \
                "$db_anchor:anchor_db.lua:tfb-web-diesel:/db" \
                "$trivial:trivial.lua:$port" \
                "GET /api/v1/medicines (mixed):medicines.lua:$port" \
                "$by_id:medicine_by_id.lua:$port" \
                "bare actix-web + diesel GET /medicines/{id}:medicine_by_id_bare.lua:$bare_port" \
                "POST /api/v1/recommendations (8 bodies, cached):recommendations.lua:$port" \
                "$distinct:recommendations_uncached.lua:$port" \
                "POST /api/v1/interactions/check (2-10 items, 4 bodies):interactions.lua:$port" \
                "$baskets:interactions_distinct.lua:$port" \
                "$zipf:zipf_mix.lua:$port"; do
  IFS=: read -r name script target path <<<"$scenario"
  grep -Eq "$only" <<<"$name" || continue
  case "$target" in
    tfb-*) run_anchor "$name" "$target" "$script" "$path" ;;
    *)
      if [[ "$name" == "$zipf" ]]; then read -r hits0 misses0 < <(cache_counts); fi
      run "$name" "$script" "http://127.0.0.1:$target"
      if [[ "$name" == "$zipf" ]]; then read -r hits1 misses1 < <(cache_counts); fi
      ;;
  esac
done
echo
echo "First start (empty database, imports the catalogue) ready after ${first_ready} s; restart on the imported database ready after ${ready_secs} s."
rss_mib=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
echo "Server RSS after the run: ${rss_mib} MiB (peak $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status") MiB)."
hit_rate=""
if [[ -n "${hits1:-}" ]]; then
  lookups=$((hits1 - hits0 + misses1 - misses0))
  hit_rate=$(awk -v h=$((hits1 - hits0)) -v n="$lookups" 'BEGIN { printf "%.1f", n ? 100 * h / n : 0 }')
  echo "Response cache during the Zipf mix: $((hits1 - hits0)) hits of $lookups lookups = ${hit_rate} % (pharmarec_cache_requests_total)."
fi

# --- against the issue-14 targets (a benchmark on this machine, not a timed test) ----------------------
verdict() { awk "BEGIN { exit !($1) }" && echo "met" || echo "**not met**"; }
echo
echo "| target | measured | status |"
echo "|---|---|---|"
if [[ -n "${rps[$json_anchor]:-}" && -n "${rps[$trivial]:-}" ]]; then
  share=$(awk -v a="${rps[$trivial]}" -v b="${rps[$json_anchor]}" 'BEGIN { printf "%.0f", 100 * a / b }')
  echo "| trivial endpoint ≥ 80 % of the trivial anchor | ${share} % | $(verdict "$share >= 80") |"
fi
if [[ -n "${rps[$distinct]:-}" ]]; then
  echo "| recommendation, every body distinct ≥ 25,000 requests/s | ${rps[$distinct]} | $(verdict "${rps[$distinct]} >= 25000") |"
  if [[ -n "${p99[$json_anchor]:-}" ]]; then
    echo "| … p99 within 3× the trivial anchor's p99 (${p99[$json_anchor]} ms) | ${p99[$distinct]} ms | $(verdict "${p99[$distinct]} <= 3 * ${p99[$json_anchor]}") |"
  fi
fi
if [[ -n "${rps[$baskets]:-}" ]]; then
  echo "| 10-item check, every basket distinct ≥ 30,000 requests/s, p99 < 20 ms | ${rps[$baskets]}, p99 ${p99[$baskets]} ms | $(verdict "${rps[$baskets]} >= 30000 && ${p99[$baskets]} < 20") |"
fi
if [[ -n "${rps[$by_id]:-}" && -n "${rps[$db_anchor]:-}" ]]; then
  echo "| GET /medicines/{id} ≥ 2× the actix + diesel anchor | ${rps[$by_id]} vs ${rps[$db_anchor]} | $(verdict "${rps[$by_id]} >= 2 * ${rps[$db_anchor]}") |"
fi
echo "| RSS < 150 MB after the load | ${rss_mib} MiB | $(verdict "$rss_mib * 1048576 < 150000000") |"
echo "| ready < 1 s after start on an imported SQLite database | ${ready_secs} s | $(verdict "$ready_secs < 1") |"
if [[ -n "$hit_rate" ]]; then
  echo "| response-cache hit rate > 85 % under the Zipf mix | ${hit_rate} % | $(verdict "$hit_rate > 85") |"
fi
