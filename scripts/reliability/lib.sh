# shellcheck shell=bash
# Shared by the fault scripts in scripts/reliability/ (sourced, not run). Everything stays on 127.0.0.1:
# throwaway Redis and PostgreSQL servers on free ports in a temp dir, never the machine's own ones.
# Every process started here is stopped on exit, by its pid.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK=$(mktemp -d /tmp/pharmarec-reliability.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PG_DATA=""
REDIS_PID=""

cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null; done
  [[ -n "$REDIS_PID" ]] && { kill -CONT "$REDIS_PID" 2>/dev/null; kill "$REDIS_PID" 2>/dev/null; }
  [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1
  wait 2>/dev/null
  [[ -z "${KEEP_WORK:-}" ]] && rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "$1 is not installed ($2)" >&2; exit 2; }; }
need curl "apt-get install curl"
need jq "apt-get install jq"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The server binary: $RELIABILITY_BIN (not PHARMAREC_*: the server reads every PHARMAREC_ variable as a setting), else a debug build of this checkout (copied, so another build in a
# shared target dir cannot replace it mid-run).
pharmarec_bin() {
  if [[ -z "${RELIABILITY_BIN:-}" ]]; then
    (cd "$ROOT" && nice -n 19 cargo build --bin pharmarec >&2)
    RELIABILITY_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/pharmarec"
  fi
  cp "$RELIABILITY_BIN" "$WORK/pharmarec"
  BIN="$WORK/pharmarec"
}

# Settings for every server run: limits far above what a test sends, cheap bcrypt, quiet logs.
export PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=1000000000
export PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_IP=1000
export PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_ACCOUNT=1000
export PHARMAREC_AUTH__BCRYPT_COST=4
export PHARMAREC_LOG__FILTER=warn
export PHARMAREC_AUTH__JWT_SECRET="reliability-test-only-secret-0123456789abcdef"
unset DATABASE_URL REDIS_URL

# start_server NAME DATABASE_URL [extra VAR=value ...]: starts `pharmarec serve` on a free port in $WORK
# (the working directory has no config/), waits for /ready; sets SERVER_PID and BASE.
start_server() {
  local name=$1 url=$2; shift 2
  local port; port=$(free_port)
  (cd "$WORK" && exec env PHARMAREC_DATABASE__URL="$url" "$@" "$BIN" serve --bind "127.0.0.1:$port" \
     >>"$WORK/$name.log" 2>&1) &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  BASE="http://127.0.0.1:$port"
  local started; started=$(now_ms)
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$BASE/ready" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited:" >&2; tail -n 30 "$WORK/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -sf -o /dev/null "$BASE/ready" || { echo "server not ready after 300 s" >&2; tail -n 30 "$WORK/$name.log" >&2; exit 1; }
  log "$name ready at $BASE after $(( $(now_ms) - started )) ms (first start imports the catalogue)"
}

# admin_token DATABASE_URL: creates an admin through the CLI (password on stdin) and logs in.
admin_token() {
  local url=$1 email="admin-$RANDOM@example.org" password="reliability test password $RANDOM"
  (cd "$WORK" && printf '%s\n' "$password" |
     PHARMAREC_DATABASE__URL="$url" "$BIN" user create --email "$email" --role admin >/dev/null)
  curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "$(jq -n --arg e "$email" --arg p "$password" '{email: $e, password: $p}')" | jq -r .data.access_token
}

# new_stock_line TOKEN QUANTITY: a synthetic pharmacy with one stock line; prints the line's path.
new_stock_line() {
  local token=$1 quantity=$2 pharmacy
  pharmacy=$(curl -sf -X POST "$BASE/api/v1/pharmacies" -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"name": "Synthetic reliability pharmacy"}' | jq -r .data.id)
  local line="/api/v1/pharmacies/$pharmacy/stock/OB-A071192-001"
  curl -sf -o /dev/null -X PUT "$BASE$line" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"quantity\": $quantity, \"price_minor\": 499, \"currency\": \"EUR\", \"version\": 0}"
  echo "$line"
}

# start_redis: a throwaway redis-server on a free port, no persistence; sets REDIS_PORT, REDIS_PID.
start_redis() {
  need redis-server "apt-get install redis-server"
  REDIS_PORT=${REDIS_PORT:-$(free_port)}
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --dir "$WORK" --logfile "$WORK/redis.log" >/dev/null
  for _ in $(seq 1 50); do [[ -s "$WORK/redis.pid" ]] && break; sleep 0.1; done
  REDIS_PID=$(cat "$WORK/redis.pid")
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  log "throwaway redis pid $REDIS_PID on 127.0.0.1:$REDIS_PORT"
}

# A throwaway PostgreSQL cluster in $WORK, run as the `postgres` user (initdb refuses root).
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
pg_as() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg"
  mkdir -p "$PG_DATA" && [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DATA"
  pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust >"$WORK/initdb.log" 2>&1
  pg_ctl_start
  pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pharmarec
  # shellcheck disable=SC2034 # used by the scripts that source this file
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/pharmarec"
  log "throwaway PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DATA)"
}
pg_ctl_start() {
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$PG_DATA/server.log" \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c max_connections=50 -c fsync=off" start >/dev/null
}
pg_ctl_stop() { pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -m fast stop >/dev/null; }

# wrk with a per-status count: wrk_run NAME SECONDS CONNECTIONS URL [LUA_BODY]
# prints "NAME requests=.. rps=.. p50=.. p99=.. max=.. socket_errors=.. status={200:..,503:..}".
wrk_lua() {
  cat >"$WORK/count.lua" <<'EOF'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do all[status] = (all[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(all) do table.insert(parts, status .. ":" .. n) end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f socket_errors=%d(connect %d, read %d, write %d, timeout %d) status={%s}\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
EOF
}
wrk_run() {
  local name=$1 seconds=$2 connections=$3 url=$4
  need wrk "apt-get install wrk"
  [[ -f "$WORK/count.lua" ]] || wrk_lua
  local out
  out=$(nice -n 10 wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$WORK/count.lua" "$url" | grep '^RESULT')
  echo "$name ${out#RESULT }"
}

# wait_until SECONDS CMD...: polls CMD every 50 ms; prints the milliseconds it took, or "timeout".
wait_until() {
  local limit=$1; shift
  local started; started=$(now_ms)
  while (( $(now_ms) - started < limit * 1000 )); do
    if "$@" >/dev/null 2>&1; then echo $(( $(now_ms) - started )); return 0; fi
    sleep 0.05
  done
  echo timeout
}
