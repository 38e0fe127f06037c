#!/usr/bin/env bash
# A throwaway PostgreSQL stopped and restarted under load: while it is down, requests that need it must
# fail fast with 503 (circuit breaker), no other 5xx; after the restart the server recovers by itself.
#   scripts/reliability/postgres.sh [PHASE_SECONDS] [CONNECTIONS]
# initdb + pg_ctl make a cluster in a temp dir on a free loopback port (run as the `postgres` user when
# this script runs as root); the machine's own PostgreSQL is never touched. Load: GET /api/v1/pharmacies
# (a database read) with wrk. Prints per phase requests, p50/p99/max, socket errors, every status code;
# the time from `pg_ctl start` returning until the first 200, and until /ready answers 200.
# Needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin), wrk, curl, jq.
source "$(dirname "$0")/lib.sh"
phase=${1:-6}
connections=${2:-16}

pharmarec_bin
start_postgres
start_server postgres "$PG_URL"
url="$BASE/api/v1/pharmacies"
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1"; }
ok() { [[ $(code "$1") == 200 ]]; }

results=()
r=$(wrk_run "1 baseline (postgres up)" "$phase" "$connections" "$url"); echo "$r"; results+=("$r")

t0=$(now_ms); pg_ctl_stop; log "postgres stopped (pg_ctl -m fast) in $(( $(now_ms) - t0 )) ms"
echo "first request after the stop: $(curl -s -o /dev/null -w 'status %{http_code} in %{time_total} s' --max-time 10 "$url")"
r=$(wrk_run "2 postgres stopped" "$phase" "$connections" "$url"); echo "$r"; results+=("$r")
echo "during the outage: /ready status $(code "$BASE/ready"), /health status $(code "$BASE/health")"

t0=$(now_ms); pg_ctl_start; log "postgres restarted (pg_ctl start -w) in $(( $(now_ms) - t0 )) ms"
# Both measured from the restart: /ready first (it probes on its own), then the API (it waits out the breaker).
t0=$(now_ms); ready_ms=$(wait_until 60 ok "$BASE/ready"); api=$(wait_until 60 ok "$url")
[[ $api == timeout ]] && api_total="no 200 within 60 s" || api_total="$(( $(now_ms) - t0 )) ms"
echo "recovery after the restart: /ready 200 after ${ready_ms} ms, first 200 on /api/v1/pharmacies after $api_total"
r=$(wrk_run "3 after restart" "$phase" "$connections" "$url"); echo "$r"; results+=("$r")

other=$(printf '%s\n' "${results[@]}" | grep -o 'status={[^}]*}' | grep -oE '5[0-9][0-9]:[0-9]+' | grep -v '^503:' || true)
echo "5xx other than 503: ${other:-none}"
kill -0 "$SERVER_PID" && echo "server still running: yes"
