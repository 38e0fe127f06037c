#!/usr/bin/env bash
# Backup/restore test on the real PostgreSQL and SQLite: fills a throwaway database with the real
# schema and catalogue (pharmarec migrate + import), an admin and a demo pharmacy's stock (audit rows
# included), backs it up with scripts/backup.sh (age-encrypted), restores it with scripts/restore.sh
# into a fresh database, and compares the table list, the row count and an MD5 of the ordered rows of
# every table. Then the same for SQLite, the refusals (non-empty target, damaged file), and retention.
#
#   scripts/test-backup-restore.sh
#
# PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) must be allowed to create and drop
# databases; the databases are pharmarec_backup_{src,test,busy}_<pid> and are dropped on exit.
# PHARMAREC_BIN names the binary (default: release, else debug under $CARGO_TARGET_DIR or target/,
# built in debug when neither exists).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok:   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
need() { command -v "$1" >/dev/null || { echo "test-backup-restore: $1 is missing ($2)" >&2; exit 1; }; }
need age "apt-get install age"; need age-keygen "apt-get install age"; need pg_dump "postgresql-client"
need pg_restore "postgresql-client"; need psql "postgresql-client"; need sqlite3 "apt-get install sqlite3"

target_dir="${CARGO_TARGET_DIR:-target}"
bin="${PHARMAREC_BIN:-}"
if [ -z "$bin" ]; then
  for c in "$target_dir/release/pharmarec" "$target_dir/debug/pharmarec"; do
    [ -x "$c" ] && { bin="$c"; break; }
  done
fi
if [ -z "$bin" ]; then
  echo "building the pharmarec binary (debug)"
  cargo build --locked --bin pharmarec
  bin="$target_dir/debug/pharmarec"
fi
echo "binary: $bin"

base="${PG_ADMIN_URL%/*}"
src_db="pharmarec_backup_src_$$"; dst_db="pharmarec_backup_test_$$"; busy_db="pharmarec_backup_busy_$$"
src_url="$base/$src_db"; dst_url="$base/$dst_db"; busy_url="$base/$busy_db"
work=$(mktemp -d)
cleanup() {
  for db in "$src_db" "$dst_db" "$busy_db"; do
    psql -X -q --dbname="$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for db in "$src_db" "$dst_db" "$busy_db"; do
  psql -X -q --dbname="$PG_ADMIN_URL" -c "CREATE DATABASE \"$db\"" >/dev/null
done

# Settings for the CLI: explicit environment, nothing from the caller's.
cli() { env -i PATH="$PATH" HOME="$HOME" PHARMAREC_ENVIRONMENT=test PHARMAREC_AUTH__BCRYPT_COST=4 "$bin" "$@"; }
fill() { # URL
  cli migrate up --database-url "$1" >/dev/null
  cli import --database-url "$1" >/dev/null
  echo "correct horse battery staple" | cli user create --email "backup-admin@example.org" --role admin --database-url "$1" >/dev/null
  cli demo-stock --database-url "$1" >/dev/null
}

# ---- PostgreSQL -------------------------------------------------------------------------------
t0=$(date +%s)
fill "$src_url"
echo "source filled in $(( $(date +%s) - t0 )) s"

age-keygen -o "$work/backup.key" 2>/dev/null
pub=$(age-keygen -y "$work/backup.key")
scripts/backup.sh --database-url "$src_url" --out "$work/backups" --recipient "$pub"
dump=$(ls "$work"/backups/pharmarec-pg-*.dump.age)
head -c 64 "$dump" | grep -q "age-encryption.org/v1" && ok "the dump is age-encrypted" || bad "the dump is not age-encrypted"
if grep -q -a "PGDMP" "$dump"; then bad "plaintext pg_dump header found in the backup"; else ok "no plaintext dump header in the backup"; fi

scripts/restore.sh --identity "$work/backup.key" --from "$dump" --database-url "$dst_url"

tables() { psql -X -q -t -A --dbname="$1" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"; }
fingerprint() { # URL TABLE -> "count md5"
  psql -X -q -t -A -F ' ' --dbname="$1" \
    -c "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM public.\"$2\" t"
}
src_tables=$(tables "$src_url"); dst_tables=$(tables "$dst_url")
[ -n "$src_tables" ] && [ "$src_tables" = "$dst_tables" ] \
  && ok "same $(echo "$src_tables" | wc -l) tables after restore" || bad "table lists differ"
total=0
for t in $src_tables; do
  a=$(fingerprint "$src_url" "$t"); b=$(fingerprint "$dst_url" "$t")
  if [ "$a" = "$b" ]; then ok "table $t: ${a%% *} rows, checksum equal"; else bad "table $t: source '$a', restored '$b'"; fi
  total=$(( total + ${a%% *} ))
done
echo "PostgreSQL: $total rows compared"
[ "$total" -gt 1000 ] && ok "the catalogue is in the backup ($total rows)" || bad "too few rows ($total)"
audit=$(psql -X -q -t -A --dbname="$dst_url" -c "SELECT count(*) FROM audit_events" 2>/dev/null || echo 0)
[ "${audit:-0}" -gt 0 ] && ok "audit trail restored ($audit events)" || bad "no audit events after restore"

# Restoring over a database that has tables is refused.
cli migrate up --database-url "$busy_url" >/dev/null
if scripts/restore.sh --identity "$work/backup.key" --from "$dump" --database-url "$busy_url" 2>"$work/err"; then
  bad "restore into a non-empty database was accepted"
else
  grep -q "restore into an empty database" "$work/err" && ok "restore into a non-empty database refused" || bad "unexpected error: $(cat "$work/err")"
fi
# A damaged backup is refused by its checksum.
cp "$dump" "$work/pharmarec-pg-damaged.dump.age"; cp "$dump.sha256" "$work/pharmarec-pg-damaged.dump.age.sha256"
sed -i "s/$(basename "$dump")/pharmarec-pg-damaged.dump.age/" "$work/pharmarec-pg-damaged.dump.age.sha256"
printf 'x' | dd of="$work/pharmarec-pg-damaged.dump.age" bs=1 seek=200 conv=notrunc 2>/dev/null
if scripts/restore.sh --identity "$work/backup.key" --from "$work/pharmarec-pg-damaged.dump.age" --database-url "$dst_url" --force 2>/dev/null; then
  bad "a damaged backup was restored"
else
  ok "a damaged backup is refused (checksum)"
fi

# ---- SQLite (online backup) --------------------------------------------------------------------
sqlite_src="$work/source.db"; sqlite_dst="$work/restored.db"
fill "sqlite://$sqlite_src"
scripts/backup.sh --database-url "sqlite://$sqlite_src" --out "$work/backups" --recipient "$pub"
sq=$(ls "$work"/backups/pharmarec-sqlite-*.sqlite.age)
scripts/restore.sh --identity "$work/backup.key" --from "$sq" --database-url "sqlite://$sqlite_dst"
sq_tables=$(sqlite3 "$sqlite_src" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
[ "$sq_tables" = "$(sqlite3 "$sqlite_dst" "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")" ] \
  && ok "SQLite: same $(echo "$sq_tables" | wc -l) tables" || bad "SQLite: table lists differ"
sq_total=0; sq_bad=0
for t in $sq_tables; do
  a="$(sqlite3 "$sqlite_src" "SELECT count(*) FROM \"$t\"") $(sqlite3 "$sqlite_src" "SELECT * FROM \"$t\" ORDER BY 1" | sha256sum | cut -c1-16)"
  b="$(sqlite3 "$sqlite_dst" "SELECT count(*) FROM \"$t\"") $(sqlite3 "$sqlite_dst" "SELECT * FROM \"$t\" ORDER BY 1" | sha256sum | cut -c1-16)"
  [ "$a" = "$b" ] || { sq_bad=$((sq_bad + 1)); echo "  SQLite table $t: '$a' vs '$b'"; }
  sq_total=$(( sq_total + ${a%% *} ))
done
[ "$sq_bad" = 0 ] && ok "SQLite: every table's count and checksum equal ($sq_total rows)" || bad "SQLite: $sq_bad table(s) differ"

# ---- retention --------------------------------------------------------------------------------
for i in $(seq 1 6); do
  f="$work/backups/pharmarec-pg-2020010${i}T000000Z.dump.age"
  echo old > "$f"; touch -d "$((20 + i)) days ago" "$f"
done
scripts/backup.sh --database-url "$src_url" --out "$work/backups" --recipient "$pub" --keep-days 14 --keep-min 3 >/dev/null
left=$(find "$work/backups" -name 'pharmarec-pg-*.dump.age' | wc -l)
old_left=$(find "$work/backups" -name 'pharmarec-pg-2020*.dump.age' | wc -l)
# Two fresh backups + the newest old one (kept by --keep-min 3); the other five old ones removed.
[ "$left" = 3 ] && [ "$old_left" = 1 ] && ok "retention: kept 3 (keep-min), removed 5 older than 14 days" \
  || bad "retention: $left left ($old_left old)"

echo "backup-restore: $pass passed, $fail failed"
[ "$fail" = 0 ]
