#!/usr/bin/env bash
# Encrypted backup of the PharmaRec database, with retention.
#
#   scripts/backup.sh --out DIR --recipient AGE_PUBLIC_KEY [--recipient ...] [--database-url URL]
#                     [--pg-dump-cmd 'CMD'] [--keep-days N] [--keep-min N]
#
# PostgreSQL (postgres:// URL): `pg_dump -Fc` piped straight into `age` — the plaintext dump never
# touches the disk. In the compose stack, where PostgreSQL has no published port, dump through the
# container instead:
#   --pg-dump-cmd 'docker compose -p pharmarec -f deploy/docker-compose.prod.yml exec -T postgres pg_dump -Fc -U pharmarec pharmarec'
# SQLite (sqlite:// URL): an online copy with sqlite3's `.backup` (safe while the service runs, WAL
# mode), checked with `PRAGMA integrity_check`, then encrypted; the plaintext copy lives in a private
# temporary directory and is removed.
#
# Output: DIR/pharmarec-<pg|sqlite>-<UTC time>.<dump|sqlite>.age and a .sha256 beside it.
# Retention: backups older than --keep-days (default 14) are deleted, but never the newest --keep-min
# (default 7). Keys: `age-keygen -o backup.key` once; give the public key here and keep the private key
# offline (restore.sh needs it). DATABASE_URL is read from the environment when --database-url is not
# given; it is never printed.
set -euo pipefail

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
die() { echo "backup.sh: $*" >&2; exit 1; }

out=""; url="${DATABASE_URL:-}"; pg_dump_cmd=""; keep_days=14; keep_min=7
recipients=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --recipient) recipients+=(-r "$2"); shift 2 ;;
    --recipients-file) recipients+=(-R "$2"); shift 2 ;;
    --database-url) url="$2"; shift 2 ;;
    --pg-dump-cmd) pg_dump_cmd="$2"; shift 2 ;;
    --keep-days) keep_days="$2"; shift 2 ;;
    --keep-min) keep_min="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown argument $1 (--help)" ;;
  esac
done
[ -n "$out" ] || die "--out DIR is required"
[ ${#recipients[@]} -gt 0 ] || die "at least one --recipient (age public key) or --recipients-file is required"
[ -n "$url" ] || [ -n "$pg_dump_cmd" ] || die "no database: --database-url, DATABASE_URL or --pg-dump-cmd"
command -v age >/dev/null || die "age is not installed (apt-get install age)"
[[ "$keep_days" =~ ^[0-9]+$ && "$keep_min" =~ ^[0-9]+$ ]] || die "--keep-days and --keep-min are numbers"

umask 077
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

if [ -n "$pg_dump_cmd" ] || [[ "$url" == postgres://* || "$url" == postgresql://* ]]; then
  kind=pg
  target="$out/pharmarec-pg-$stamp.dump.age"
  if [ -n "$pg_dump_cmd" ]; then
    bash -c "$pg_dump_cmd" | age "${recipients[@]}" -o "$target.partial"
  else
    command -v pg_dump >/dev/null || die "pg_dump is not installed (apt-get install postgresql-client)"
    pg_dump --format=custom --compress=6 --dbname="$url" | age "${recipients[@]}" -o "$target.partial"
  fi
elif [[ "$url" == sqlite://* ]]; then
  kind=sqlite
  command -v sqlite3 >/dev/null || die "sqlite3 is not installed (apt-get install sqlite3)"
  path="${url#sqlite://}"
  [ -f "$path" ] || die "SQLite database not found: $path"
  target="$out/pharmarec-sqlite-$stamp.sqlite.age"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  sqlite3 "$path" ".timeout 10000" ".backup '$tmp/copy.sqlite'"
  check=$(sqlite3 "$tmp/copy.sqlite" "PRAGMA integrity_check;")
  [ "$check" = "ok" ] || die "integrity check of the copy failed: $check"
  age "${recipients[@]}" -o "$target.partial" "$tmp/copy.sqlite"
else
  die "unsupported database URL scheme (postgres://, postgresql:// or sqlite://)"
fi

[ -s "$target.partial" ] || die "empty backup: the dump failed"
mv "$target.partial" "$target"
(cd "$out" && sha256sum "$(basename "$target")" > "$(basename "$target").sha256")
echo "backup: $target ($(stat -c %s "$target") bytes, $kind, encrypted with age)"

# Retention: newest first; the newest keep_min are always kept, the rest go once older than keep_days.
mapfile -t all < <(find "$out" -maxdepth 1 -type f -name "pharmarec-$kind-*.age" -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
removed=0
for i in "${!all[@]}"; do
  [ "$i" -lt "$keep_min" ] && continue
  f="${all[$i]}"
  if [ -n "$(find "$f" -mtime "+$((keep_days - 1))" -print)" ]; then
    rm -f "$f" "$f.sha256"
    removed=$((removed + 1))
  fi
done
echo "retention: kept $(( ${#all[@]} - removed )) $kind backup(s), removed $removed older than $keep_days days"
