#!/usr/bin/env bash
# Contract test: schemathesis drives every operation of /api/v1/openapi.json with generated requests,
# anonymously and as an administrator, with every check (no server error, schema-valid requests
# accepted, schema-invalid ones refused, status codes, headers and response bodies as documented).
# SQLite always; PostgreSQL too when DATABASE_URL is a postgres:// URL (a throwaway database,
# dropped afterwards). Any failure fails the script. What it covers: docs/api.md, "Contract test".
#
#   bash scripts/schemathesis.sh            # MAX_EXAMPLES=25 SEED=1 by default
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
SEED="${SEED:-1}"
SCHEMATHESIS_VERSION="4.32.5"
# Known gap, outside this script's reach: as an administrator, the two CSV imports
# (POST /api/v1/catalogue/imports and /api/v1/interactions/imports) refuse schema-valid bodies with
# 422 because the body is a CSV file whose columns and rows are checked line by line
# (docs/IMPORTING.md); the document can say `text/csv`, not which CSV a generated string must be. So
# only the positive-data check is skipped on them (every other check runs). A medicine naming an
# ingredient the catalogue does not know is `404 ingredient_not_found`, which the check accepts.
DATA_DEPENDENT=(--include-name "POST /api/v1/catalogue/imports" --include-name "POST /api/v1/interactions/imports")
# Changing or disabling a user can demote or disable the administrator whose token the run uses, and
# every later operation would then see only 401: those two operations run last, on their own.
ACCOUNT_WRITES=(--include-name "PUT /api/v1/users/{id}" --include-name "POST /api/v1/users/{id}/disable")
EVERY_OTHER=(--exclude-name "POST /api/v1/catalogue/imports" --exclude-name "POST /api/v1/interactions/imports"
  --exclude-name "PUT /api/v1/users/{id}" --exclude-name "POST /api/v1/users/{id}/disable")

if ! command -v st >/dev/null 2>&1 || ! st --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet --bin pharmarec
BIN="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/pharmarec"

WORK="$(mktemp -d)"
SERVER_PID=""
PG_DB=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  if [ -n "$PG_DB" ]; then
    psql "$DATABASE_URL" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Runs the whole contract test against one database URL.
run_against() {
  local label="$1" url="$2" port password token
  port="$(free_port)"
  password="schemathesis-$(date +%s%N)"
  export PHARMAREC_DATABASE__URL="$url"
  export PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE=10000000
  export PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_ACCOUNT=10000000
  export PHARMAREC_RATE_LIMIT__LOGIN_ATTEMPTS_PER_MINUTE_PER_IP=10000000
  export PHARMAREC_AUTH__BCRYPT_COST=4
  export PHARMAREC_LOG__FILTER=warn
  # exec: the subshell becomes the server, so killing SERVER_PID stops the server (it was left running).
  (cd "$WORK" && exec "$BIN" serve --bind "127.0.0.1:$port" >"$WORK/server-$label.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null || { cat "$WORK/server-$label.log"; exit 1; }
  echo "$password" | (cd "$WORK" && "$BIN" user create --email "st-admin@pharmarec.test" --role admin) >/dev/null
  token="$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\": \"st-admin@pharmarec.test\", \"password\": \"$password\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')"
  local schema="http://127.0.0.1:$port/api/v1/openapi.json"
  local common=(--url "http://127.0.0.1:$port" --max-examples "$MAX_EXAMPLES" --seed "$SEED" --no-color)
  echo "== schemathesis ($label, anonymous): every operation, all checks"
  st run "$schema" "${common[@]}" --checks all
  echo "== schemathesis ($label, administrator): every operation, all checks (see the known gaps)"
  st run "$schema" "${common[@]}" -H "Authorization: Bearer $token" --checks all "${EVERY_OTHER[@]}"
  st run "$schema" "${common[@]}" -H "Authorization: Bearer $token" --checks all \
    --exclude-checks positive_data_acceptance "${DATA_DEPENDENT[@]}"
  st run "$schema" "${common[@]}" -H "Authorization: Bearer $token" --checks all "${ACCOUNT_WRITES[@]}"
  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

run_against sqlite "sqlite://$WORK/schemathesis.db"
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*)
    PG_DB="pharmarec_st_$$"
    psql "$DATABASE_URL" -q -c "CREATE DATABASE $PG_DB" >/dev/null
    run_against postgres "${DATABASE_URL%/*}/$PG_DB"
    ;;
  *) echo "skipped PostgreSQL schemathesis run: DATABASE_URL is not a postgres:// URL" ;;
esac
echo "schemathesis: the contract holds, anonymously and as an administrator"
