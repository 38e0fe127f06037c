//! Transaction helpers: the clock, the catalogue version counter, the SQLite write lock, and batch
//! sizes.

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::prelude::*;

use crate::connection::DbConnection;
use crate::schema::catalogue_state;

/// Bind parameters per batch statement: below SQLite's 32,766 and PostgreSQL's 65,535 limits.
pub(crate) const MAX_BINDS: usize = 10_000;

/// Rows of `columns` columns that fit one batch statement.
pub(crate) const fn rows_per_batch(columns: usize) -> usize {
    MAX_BINDS / columns
}

/// The current UTC time at microsecond precision, which both backends store exactly.
pub(crate) fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Takes SQLite's write lock at the start of a write transaction (PostgreSQL: no-op).
///
/// # Implementation Notes
/// A deferred SQLite transaction that reads first and writes later fails with `SQLITE_BUSY` without
/// waiting when another writer committed in between; `BEGIN IMMEDIATE` is not reachable through
/// `MultiConnection`, so the first statement is a write that matches no row, which takes the lock
/// (waiting up to `busy_timeout`) before anything is read.
pub(crate) fn lock_for_write(conn: &mut DbConnection) -> QueryResult<()> {
    if matches!(conn, DbConnection::Sqlite(_)) {
        diesel::update(catalogue_state::table.filter(catalogue_state::id.ne(catalogue_state::id)))
            .set(catalogue_state::catalogue_version.eq(catalogue_state::catalogue_version))
            .execute(conn)?;
    }
    Ok(())
}

/// The current catalogue version.
pub(crate) fn catalogue_version(conn: &mut DbConnection) -> QueryResult<i64> {
    catalogue_state::table
        .select(catalogue_state::catalogue_version)
        .first(conn)
}

/// Increments the catalogue version and returns the new value; also takes SQLite's write lock.
pub(crate) fn bump_version(conn: &mut DbConnection) -> QueryResult<i64> {
    diesel::update(catalogue_state::table)
        .set(catalogue_state::catalogue_version.eq(catalogue_state::catalogue_version + 1))
        .execute(conn)?;
    catalogue_version(conn)
}

/// Inserts a slice of rows as one multi-row `INSERT`, written per backend because `MultiConnection`
/// cannot express batch inserts.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::connection::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::connection::DbConnection::Postgres(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}
pub(crate) use insert_rows;
