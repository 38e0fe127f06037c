#!/usr/bin/env bash
# Enforces the crate dependency rule on normal (non-dev) dependencies:
#   domain -> no sibling; recommendation -> domain only; repository -> domain only;
#   http-api, web (the console) and interop -> never diesel, r2d2 or the repository;
#   domain/recommendation -> no diesel, actix, tokio;
#   test-support -> domain only, and a dev-dependency of the others, never a normal one.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
tree() {
  local out
  out=$(cargo tree -p "$1" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u)
  # An empty tree would make every rule pass: treat it as a failure of the check itself.
  [ -n "$out" ] || { echo "FAIL: cargo tree printed nothing for $1" >&2; exit 1; }
  echo "$out"
}
forbid() { # crate, pattern, reason
  local hits
  local deps
  deps=$(tree "$1")
  hits=$(grep -E "$2" <<<"$deps" | grep -v -x "$1" || true)
  if [ -n "$hits" ]; then echo "FAIL: $1 depends on $(echo $hits | tr '\n' ' ')— $3"; fail=1; else echo "ok: $1 — $3"; fi
}
forbid pharmarec-domain '^pharmarec-' "domain depends on no sibling"
forbid pharmarec-domain '^(diesel|actix|tokio|r2d2)' "domain does no I/O"
forbid pharmarec-recommendation '^pharmarec-(repository|http-api|observability|server)$' "recommendation depends on domain only"
forbid pharmarec-recommendation '^(diesel|actix|tokio|r2d2|libsqlite3-sys|pq-sys)' "the engine has no database, HTTP or async runtime"
forbid pharmarec-repository '^pharmarec-(recommendation|http-api|observability|server)$' "repository depends on domain only"
forbid pharmarec-http-api '^(diesel|r2d2|pharmarec-repository|libsqlite3-sys|pq-sys)' "http-api talks to ports, never to diesel"
forbid pharmarec-observability '^pharmarec-' "observability is a leaf"
forbid pharmarec-interop '^(diesel|r2d2|pharmarec-repository|libsqlite3-sys|pq-sys)' "interop talks to ports, never to diesel"
forbid pharmarec-web '^(diesel|r2d2|pharmarec-repository|pharmarec-server|libsqlite3-sys|pq-sys)' "the console talks to ports, never to diesel"
forbid pharmarec-test-support '^pharmarec-(repository|recommendation|http-api|observability|server)$' "test support depends on domain only"
# Test support is a dev-dependency: the server's tree holds every shipped crate, so it must not show up.
forbid pharmarec-server '^pharmarec-test-support$' "test support never ships"
# The rule itself is checked against a crate known to break it, so a broken check cannot pass silently.
# Captured first: `tree | grep -q` can fail under pipefail when grep exits before tree finishes writing.
server_deps=$(tree pharmarec-server)
grep -qx 'pharmarec-repository' <<<"$server_deps" || { echo "FAIL: the check does not see server -> repository"; fail=1; }
exit $fail
