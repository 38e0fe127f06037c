#!/usr/bin/env bash
# SIGTERM under load: requests in flight when the signal arrives must complete, the process must exit 0,
# and the only failures must be connections refused after the listener closed (no resets, no empty replies).
#   scripts/reliability/sigterm.sh [WORKERS] [SECONDS_BEFORE_SIGTERM]
# Starts `pharmarec serve` (SQLite in a temp dir), runs WORKERS curl loops posting varied (uncached)
# /api/v1/recommendations bodies, one new connection per request, sends SIGTERM after the given seconds and
# classifies every request by curl's exit code and by whether it started before the signal.
# Needs curl, jq. Bounded: each loop stops at its first refused connection or 40 s after the signal.
source "$(dirname "$0")/lib.sh"
workers=${1:-32}
before=${2:-4}

pharmarec_bin
start_server sigterm "sqlite://$WORK/sigterm.db" PHARMAREC_SERVER__SHUTDOWN_TIMEOUT_SECS=30
url="$BASE/api/v1/recommendations"
symptoms=("headache and fever" "hay fever" "heartburn" "runny nose and sneezing" "itchy eyes" "cough" "hedache" "pain" "sore throat" "diarrhea")

worker() { # writes "start_ms end_ms http_code curl_exit" per request
  local w=$1 i=0 deadline=$2 out="$WORK/worker.$1" rc code start
  while (( $(now_ms) < deadline )); do
    i=$((i + 1))
    local body
    body="{\"symptoms\": \"${symptoms[$(( (w + i) % ${#symptoms[@]} ))]}\", \"limit\": $(( (w * 7 + i) % 20 + 1 )), \"otc_only\": $([[ $((i % 2)) == 0 ]] && echo true || echo false)}"
    start=$(now_ms); rc=0
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 35 -X POST "$url" -H 'content-type: application/json' -d "$body") || rc=$?
    echo "$start $(now_ms) $code $rc" >>"$out"
    [[ $rc == 7 ]] && break
  done
}

deadline=$(( $(now_ms) + (before + 40) * 1000 ))
wpids=()
for w in $(seq 1 "$workers"); do worker "$w" "$deadline" & wpids+=($!); done
sleep "$before"
port=${BASE##*:}
# Accept queue of the listener just before the signal (Recv-Q of a listening socket = connections the kernel
# completed that the server has not accepted yet): resets of those would be the listener's, not dropped work.
echo "listener accept queue before SIGTERM: $(ss -Hltn "sport = :$port" | awk '{print $2}')"
term=$(now_ms)
kill -TERM "$SERVER_PID"; log "SIGTERM sent to $SERVER_PID"
rc=0; wait "$SERVER_PID" || rc=$?
exited=$(now_ms)
for pid in "${wpids[@]}"; do wait "$pid" || true; done

cat "$WORK"/worker.* >"$WORK/requests"
awk -v term="$term" -v exited="$exited" '
  { total++
    if ($1 < term) before++
    key = ($4 == 0) ? "http " $3 : "curl exit " $4
    count[key]++
    # In flight at the signal: started before it, ended after it, and connected (exit 7 = refused).
    if ($1 < term && $2 >= term && $4 != 7) { inflight++; outcome[key]++ }
    if ($4 == 52 || $4 == 56) failed = failed sprintf(" %+d", $2 - term)
    if ($4 == 0 && $2 >= term && $2 - term > last_ok) last_ok = $2 - term }
  END {
    printf "requests: %d (%d started before SIGTERM)\n", total, before
    for (k in count) printf "  %s: %d\n", k, count[k]
    printf "connected and still running at SIGTERM: %d, of which:\n", inflight
    for (k in outcome) printf "  %s: %d\n", k, outcome[k]
    printf "last 200 ended at +%d ms after SIGTERM\n", last_ok
    printf "empty replies/resets ended at (ms after SIGTERM; the server exited at +%d):%s\n", exited - term, failed
  }' "$WORK/requests"
echo "curl exit codes: 7 = connection refused (listener closed), 52 = empty reply, 56 = connection reset, 28 = timeout"
echo "server exit code: $rc, $(( exited - term )) ms after SIGTERM"
echo "server log lines mentioning a panic: $(grep -ci panic "$WORK/sigterm.log" || true)"
