#!/usr/bin/env bash
# Concurrent stock adjustments on SQLite and on a throwaway PostgreSQL: the final quantity must equal the
# start plus the sum of the accepted deltas (nothing lost, nothing applied twice), whatever the interleaving.
#   scripts/reliability/stock-concurrency.sh [REQUESTS] [PARALLEL] [START_QUANTITY]
# For each backend: starts `pharmarec serve`, creates an admin (CLI, password on stdin), logs in, creates a
# synthetic pharmacy with one stock line at START_QUANTITY, then sends REQUESTS POST .../adjust with
# delta +1 or -1 (half each, shuffled with a fixed seed) through xargs -P PARALLEL curl, and prints the
# status counts, the sum of accepted deltas and the invariant check. 409 = insufficient stock (a -1 at 0).
# Needs curl, jq, PostgreSQL server binaries. Bounded: REQUESTS requests per backend, 30 s timeout each.
source "$(dirname "$0")/lib.sh"
requests=${1:-2000}
parallel=${2:-64}
start_quantity=${3:-20}

pharmarec_bin
awk -v n="$requests" 'BEGIN { srand(42); for (i = 1; i <= n; i++) d[i] = (i <= n / 2) ? 1 : -1;
  for (i = n; i > 1; i--) { j = int(rand() * i) + 1; t = d[i]; d[i] = d[j]; d[j] = t }
  for (i = 1; i <= n; i++) print d[i] }' >"$WORK/deltas"

adjust() { # one request: prints "delta http_code"
  local reason=delivery; [[ $1 == -1 ]] && reason=sale
  echo "$1 $(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST "$ADJUST_URL" \
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d "{\"delta\": $1, \"reason\": \"$reason\"}")"
}
export -f adjust

run_backend() { # name url
  local name=$1 url=$2
  start_server "stock-$name" "$url"
  TOKEN=$(admin_token "$url")
  local line; line=$(new_stock_line "$TOKEN" "$start_quantity")
  export TOKEN ADJUST_URL="$BASE$line/adjust"
  local stock="$BASE${line%/stock/*}/stock"
  local v0; v0=$(curl -sf "$stock" -H "authorization: Bearer $TOKEN" | jq '.data[0].version')
  local t0; t0=$(now_ms)
  xargs -P "$parallel" -I{} bash -c 'adjust "$@"' _ {} <"$WORK/deltas" >"$WORK/results-$name"
  local took=$(( $(now_ms) - t0 ))
  local final; final=$(curl -sf "$stock" -H "authorization: Bearer $TOKEN")
  local quantity version
  quantity=$(jq '.data[0].quantity' <<<"$final"); version=$(jq '.data[0].version' <<<"$final")
  echo "== $name: $requests adjustments (+1/-1), $parallel in parallel, in $took ms"
  awk '{ count[$2]++ } END { for (c in count) printf "  http %s: %d\n", c, count[c] }' "$WORK/results-$name" | sort
  local accepted sum
  accepted=$(awk '$2 == 200' "$WORK/results-$name" | wc -l)
  sum=$(awk '$2 == 200 { s += $1 } END { print s + 0 }' "$WORK/results-$name")
  local expected=$(( start_quantity + sum ))
  echo "  start $start_quantity + sum of accepted deltas $sum = $expected; final quantity $quantity: $([[ $quantity == "$expected" ]] && echo 'invariant holds' || echo 'INVARIANT BROKEN')"
  echo "  version $v0 -> $version ($accepted accepted adjustments; $((v0 + accepted)) expected if each bumps it once)"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
}

run_backend sqlite "sqlite://$WORK/stock.db"
start_postgres
run_backend postgres "$PG_URL"
