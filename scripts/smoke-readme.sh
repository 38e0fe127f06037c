#!/usr/bin/env bash
# Runs the README's commands as a new user would, against a fresh server, and fails on the first one
# that does not answer as the README says:
#   - the run command exactly as written, `cargo run --release`, on a free port given through the
#     documented PHARMAREC_SERVER__BIND and a SQLite database in a temporary directory;
#   - the four "Try it" examples;
#   - the accounts walkthrough: user create (password on stdin), login, pharmacy, stock line, audit,
#     disable an account, the rate-limit loop.
# Keep it in step with README.md: when a README command changes, change it here too.
# Installs curl and jq with apt-get when missing. The server is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $1"
  apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
}
need curl
need jq

work=$(mktemp -d)
server=""
stop_server() {
  if [[ -n "$server" ]]; then
    # The server leads its own process group (setsid): cargo and pharmarec stop together.
    kill -TERM -- "-$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
cleanup() { stop_server; rm -rf "$work"; }
trap cleanup EXIT

fail() {
  echo "smoke-readme: FAILED: $*" >&2
  echo "--- last server log lines ---" >&2
  tail -n 30 "$work/server.log" >&2 || true
  exit 1
}

# A port nothing listens on.
port=""
for candidate in $(shuf -i 20000-60000 -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[[ -n "$port" ]] || fail "no free port found"
base="http://127.0.0.1:$port"

# What the README's user has: no PostgreSQL or Redis URL (CI exports both), SQLite in the working
# directory's place, and the port the walkthrough talks to.
unset REDIS_URL PHARMAREC_REDIS__URL PHARMAREC_DATABASE__URL
export DATABASE_URL="sqlite://$work/pharmarec.db"
export PHARMAREC_SERVER__BIND="127.0.0.1:$port"

echo "== cargo run --release (on $base)"
setsid cargo run --release >"$work/server.log" 2>&1 &
server=$!
ready=""
# The first start may compile the release binary and imports the catalogue: allow 15 minutes.
for _ in $(seq 1 900); do
  kill -0 "$server" 2>/dev/null || fail "cargo run --release exited before /ready"
  if curl -sf "$base/ready" >/dev/null 2>&1; then ready=yes; break; fi
  sleep 1
done
[[ -n "$ready" ]] || fail "/ready did not answer within 15 minutes"

# check STATUS JQ_FILTER DESCRIPTION -- CURL_ARGS...: runs curl, checks the HTTP status and that the JSON
# body passes the jq filter (which must print true); leaves the body in $work/body.
check() {
  local status=$1 filter=$2 what=$3
  shift 4
  local got
  got=$(curl -s -o "$work/body" -w '%{http_code}' "$@") || fail "$what: curl failed"
  [[ "$got" == "$status" ]] || fail "$what: HTTP $got, expected $status: $(head -c 600 "$work/body")"
  [[ "$(jq -r "$filter" "$work/body" 2>/dev/null)" == "true" ]] ||
    fail "$what: the body does not satisfy $filter: $(head -c 600 "$work/body")"
  echo "ok   $what"
}

echo "== Try it"
check 200 '.success and (.data.otc_only == true) and (.meta.disclaimer | length > 0)' "recommendations" -- \
  -X POST "$base/api/v1/recommendations" -H 'content-type: application/json' \
  -d '{"symptoms": "headache and fever", "patient": {"age": 34, "allergies": ["aspirin"], "current_medicines": [{"ingredient": "warfarin"}]}}'
check 200 '.success and (.data.conditions_from_text[0].code == "hypertension") and (.data.excluded | length > 0) and ([.data.recommendations[].medicine.ingredients[]] | index("pseudoephedrine") == null)' "recommendations for a child, conditions in the text" -- \
  -X POST "$base/api/v1/recommendations" -H 'content-type: application/json' \
  -d '{"symptoms": "blocked nose, history of high blood pressure", "patient": {"age": 3, "conditions": ["asthma"], "allergies": ["sulfa"], "current_medicines": [{"ingredient": "lithium"}]}}'
check 200 '.success and (.data.verdict | type == "string") and (.data.verdict != "safe")' "interactions/check" -- \
  -X POST "$base/api/v1/interactions/check" -H 'content-type: application/json' \
  -d '{"items": [{"ingredient": "warfarin"}, {"ingredient": "aspirin"}, {"ingredient": "paracetamol"}]}'
check 200 '.success and (.data != null)' "medicines/OB-N020503-001/substitutes" -- \
  "$base/api/v1/medicines/OB-N020503-001/substitutes"

echo "== Accounts, stock and the audit trail"
password="a long demo passphrase for the smoke test"
# 1. Create the first admin, the password on one line of stdin.
printf '%s\n' "$password" | cargo run --release -- user create --email admin@example.org --role admin \
  >"$work/user.out" 2>"$work/user.err" || fail "user create: $(cat "$work/user.err")"
grep -q "created admin admin@example.org" "$work/user.out" || fail "user create said: $(cat "$work/user.out")"
echo "ok   user create"

# 2. Log in.
check 200 '(.data.access_token | length > 0) and (.data.refresh_token | length > 0)' "auth/login" -- \
  -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\": \"admin@example.org\", \"password\": \"$password\"}"
TOKEN=$(jq -r .data.access_token "$work/body")

# 3. A pharmacy and a stock line.
check 201 '.data.id | length > 0' "create pharmacy" -- \
  -X POST "$base/api/v1/pharmacies" -H "authorization: Bearer $TOKEN" \
  -H 'content-type: application/json' -d '{"name": "Demo pharmacy"}'
PHARMACY=$(jq -r .data.id "$work/body")
check 200 '.data.quantity == 12' "put stock" -- \
  -X PUT "$base/api/v1/pharmacies/$PHARMACY/stock/OB-A071192-001" \
  -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"quantity": 12, "price_minor": 499, "currency": "EUR", "version": 0}'

# 4. The audit entry of that write.
check 200 '(.data[0].entity_type == "stock") and (.data[0].action == "stock.put") and (.data[0].after != null)' "audit" -- \
  "$base/api/v1/audit?entity_type=stock" -H "authorization: Bearer $TOKEN"

# 5. Disable an account: its tokens stop working at once.
check 201 '.data.role == "viewer"' "create user" -- \
  -X POST "$base/api/v1/users" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"email": "temp@example.org", "password": "another long passphrase", "role": "viewer"}'
USER_ID=$(jq -r .data.id "$work/body")
check 200 '.data.disabled_at | type == "string"' "disable user" -- \
  -X POST "$base/api/v1/users/$USER_ID/disable" -H "authorization: Bearer $TOKEN"
check 401 '.error.code == "account_disabled"' "disabled user cannot log in" -- \
  -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email": "temp@example.org", "password": "another long passphrase"}'

# 6. The rate limit: past 100 requests in the minute, 429 (the requests above count too).
codes=$(for i in $(seq 1 101); do curl -s -o /dev/null -w '%{http_code}\n' "$base/api/v1/ingredients"; done | sort | uniq -c)
echo "$codes"
grep -q ' 429$' <<<"$codes" || fail "rate limit: no 429 in 101 requests"
[[ -z "$(grep -vE ' (200|429)$' <<<"$codes")" ]] || fail "rate limit: unexpected statuses"
echo "ok   rate limit"

stop_server
echo "smoke-readme: every README command answered as documented"
