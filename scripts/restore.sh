#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh.
#
#   scripts/restore.sh --identity AGE_PRIVATE_KEY_FILE --from FILE.age --database-url URL [--force]
#                      [--pg-restore-cmd 'CMD']
#
# The .sha256 beside the backup is checked first. PostgreSQL: the target database must exist and be
# empty (no table in schema public) unless --force; the dump is decrypted into `pg_restore
# --exit-on-error --no-owner --no-acl` (plaintext only in the pipe). In the compose stack:
#   --pg-restore-cmd 'docker compose -p pharmarec -f deploy/docker-compose.prod.yml exec -T postgres pg_restore --exit-on-error --no-owner --no-acl -U pharmarec -d pharmarec'
# SQLite: decrypted next to the target, `PRAGMA integrity_check`ed, then moved into place; an existing
# file is refused unless --force (stop the service first). After a restore: `pharmarec migrate status`.
set -euo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
die() { echo "restore.sh: $*" >&2; exit 1; }

identity=""; from=""; url="${DATABASE_URL:-}"; force=0; pg_restore_cmd=""
while [ $# -gt 0 ]; do
  case "$1" in
    --identity) identity="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --database-url) url="$2"; shift 2 ;;
    --pg-restore-cmd) pg_restore_cmd="$2"; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage ;;
    *) die "unknown argument $1 (--help)" ;;
  esac
done
[ -f "$identity" ] || die "--identity: age private key file required"
[ -f "$from" ] || die "--from: backup file not found"
command -v age >/dev/null || die "age is not installed (apt-get install age)"
if [ -f "$from.sha256" ]; then
  (cd "$(dirname "$from")" && sha256sum --quiet --check "$(basename "$from").sha256") \
    || die "checksum mismatch: $from is damaged"
else
  echo "restore: no $from.sha256 beside the backup: checksum not verified" >&2
fi

case "$(basename "$from")" in
  pharmarec-pg-*.dump.age)
    if [ -n "$pg_restore_cmd" ]; then
      age -d -i "$identity" "$from" | bash -c "$pg_restore_cmd"
    else
      [[ "$url" == postgres://* || "$url" == postgresql://* ]] || die "a postgres:// --database-url is required"
      command -v pg_restore >/dev/null || die "pg_restore is not installed (apt-get install postgresql-client)"
      tables=$(psql -X -q -t -A --dbname="$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") \
        || die "cannot connect to the target database"
      if [ "$tables" != "0" ] && [ "$force" != 1 ]; then
        die "the target database has $tables table(s): restore into an empty database, or --force"
      fi
      age -d -i "$identity" "$from" | pg_restore --exit-on-error --no-owner --no-acl --dbname="$url"
    fi
    echo "restore: PostgreSQL restored from $(basename "$from")"
    ;;
  pharmarec-sqlite-*.sqlite.age)
    [[ "$url" == sqlite://* ]] || die "a sqlite:// --database-url is required"
    path="${url#sqlite://}"
    if [ -e "$path" ] && [ "$force" != 1 ]; then
      die "$path exists: stop the service and move it away, or --force"
    fi
    umask 077
    tmp="$path.restore.$$"
    trap 'rm -f "$tmp"' EXIT
    age -d -i "$identity" -o "$tmp" "$from"
    check=$(sqlite3 "$tmp" "PRAGMA integrity_check;")
    [ "$check" = "ok" ] || die "integrity check of the restored file failed: $check"
    rm -f "$path-wal" "$path-shm"
    mv "$tmp" "$path"
    echo "restore: SQLite restored to $path from $(basename "$from")"
    ;;
  *) die "not a backup.sh file name: $(basename "$from")" ;;
esac
