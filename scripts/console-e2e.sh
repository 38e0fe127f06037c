#!/usr/bin/env bash
# Browser tests of the pharmacist console (issue 12): Playwright drives Debian's Chromium against a
# `pharmarec serve` started on a fresh SQLite database; every page gets an axe-core scan (0 serious
# or critical violations) and a screenshot in docs/screenshots/. Installs what it needs: Chromium
# from apt when missing, the pinned npm packages (package-lock.json) with `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
fi
command -v node >/dev/null || { echo "console-e2e: Node.js 18+ is needed to run the browser tests" >&2; exit 1; }

cargo build --locked -p pharmarec-server --bin pharmarec
(cd crates/web/e2e && npm ci --no-audit --no-fund)

export CONSOLE_E2E_BIN="${CONSOLE_E2E_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/pharmarec}"
node crates/web/e2e/console.e2e.mjs
