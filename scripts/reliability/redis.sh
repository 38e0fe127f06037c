#!/usr/bin/env bash
# Redis killed, then frozen, under load: the server must keep answering (Redis is optional: per-instance
# limiter and no shared cache while it is away).
#   scripts/reliability/redis.sh [PHASE_SECONDS] [CONNECTIONS]
# Starts a throwaway redis-server on a free loopback port and `pharmarec serve` (SQLite in a temp dir,
# REDIS_URL set), loads GET /api/v1/medicines?q=ibuprofen (rate-limited and cached: both use Redis) with
# wrk in consecutive bounded phases, and prints per phase: requests, p50/p99/max, socket errors and every
# status code. Recovery = time from restarting (or SIGCONT) Redis until /ready says "ready" again.
# Needs wrk, redis-server, redis-cli, curl, jq. Bounded: about 6 x PHASE_SECONDS plus start-up.
source "$(dirname "$0")/lib.sh"
phase=${1:-6}
connections=${2:-16}
need redis-cli "apt-get install redis-tools"

pharmarec_bin
start_redis
start_server redis "sqlite://$WORK/redis.db" PHARMAREC_REDIS__URL="redis://127.0.0.1:$REDIS_PORT"
url="$BASE/api/v1/medicines?q=ibuprofen"
ready_status() { curl -s "$BASE/ready" | jq -r .data.status; }
is_ready() { [[ $(ready_status) == ready ]]; }
echo "start: /ready status=$(ready_status)"

wrk_run "1 baseline (redis up)" "$phase" "$connections" "$url"
echo "redis keys before the fault: $(redis-cli -p "$REDIS_PORT" dbsize)"

kill -9 "$REDIS_PID"; log "redis killed (SIGKILL)"
wrk_run "2 redis killed" "$phase" "$connections" "$url"
echo "during the kill: /ready status=$(ready_status)"

rm -f "$WORK/redis.pid"; start_redis
echo "recovery after restart: /ready back to \"ready\" after $(wait_until 30 is_ready) ms"
wrk_run "3 after restart" "$phase" "$connections" "$url"
echo "redis keys after restart (in use again): $(redis-cli -p "$REDIS_PORT" dbsize)"

kill -STOP "$REDIS_PID"; log "redis frozen (SIGSTOP)"
wrk_run "4 redis frozen" "$phase" "$connections" "$url"
echo "during the freeze: /ready status=$(ready_status) (answered in $(curl -s -o /dev/null -w '%{time_total}' "$BASE/ready") s)"

kill -CONT "$REDIS_PID"; log "redis resumed (SIGCONT)"
echo "recovery after SIGCONT: /ready back to \"ready\" after $(wait_until 30 is_ready) ms"
wrk_run "5 after SIGCONT" "$phase" "$connections" "$url"
kill -0 "$SERVER_PID" && echo "server still running: yes"
