//! The one connection type for both backends and the r2d2 manager that picks the backend by URL scheme.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self as diesel_r2d2, R2D2Connection};
use diesel::sqlite::SqliteConnection;

use std::sync::Arc;

use crate::RepositoryError;
use crate::gate::ConnectGate;

/// A connection to either backend; queries are written once against it (STYLE.md §6).
#[derive(diesel::MultiConnection)]
pub(crate) enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// The backend type of [`DbConnection`], for boxed queries.
pub(crate) type Db = <DbConnection as Connection>::Backend;

/// Which database engine a [`crate::Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (the default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// What a database URL points at, parsed once so connections never guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A SQLite file path (relative or absolute).
    Sqlite(String),
    /// A PostgreSQL connection URL, passed to libpq unchanged.
    Postgres(String),
}

impl Target {
    /// Parses `sqlite://relative.db`, `sqlite:///absolute.db`, `postgres://…` or `postgresql://…`.
    pub(crate) fn parse(url: &str) -> Result<Self, RepositoryError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            // `:memory:` would give each pooled connection its own empty database.
            if path.is_empty() || path == ":memory:" {
                return Err(RepositoryError::InvalidUrl(
                    "a sqlite URL needs a file path, e.g. sqlite://data/pharmarec.db".to_string(),
                ));
            }
            return Ok(Self::Sqlite(path.to_string()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        // Only the scheme is echoed: the rest of the URL may hold a password.
        let scheme = url.split_once("://").map_or("(none)", |(scheme, _)| scheme);
        Err(RepositoryError::InvalidUrl(format!(
            "unsupported scheme '{scheme}': expected sqlite://, postgres:// or postgresql://"
        )))
    }

    /// The backend this target uses.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}

/// r2d2 manager that opens the backend named by the URL scheme, never trying one after another.
///
/// Every connect passes `gate`, so the pool's owner can stop r2d2's background connects before the
/// process exits (see [`crate::gate`]).
#[derive(Debug)]
pub(crate) struct ConnectionManager {
    target: Target,
    gate: Arc<ConnectGate>,
}

impl ConnectionManager {
    pub(crate) fn new(target: Target, gate: Arc<ConnectGate>) -> Self {
        Self { target, gate }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel_r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let Some(_pass) = self.gate.enter() else {
            return Err(diesel_r2d2::Error::ConnectionError(
                diesel::ConnectionError::BadConnection("the database handle is closed".to_string()),
            ));
        };
        let connection = match &self.target {
            Target::Sqlite(path) => SqliteConnection::establish(path).map(DbConnection::Sqlite),
            Target::Postgres(url) => PgConnection::establish(url).map(DbConnection::Postgres),
        };
        connection.map_err(diesel_r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel_r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

/// Sets the SQLite pragmas every connection needs: foreign keys are off by default, and WAL plus a
/// busy timeout let readers and one writer share the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SqlitePragmas;

/// Each SQLite connection's page cache (and sort memory), in KiB.
///
/// # Implementation Notes
/// SQLite's default is 2 000 KiB per connection, in C's heap: a burst of catalogue searches filled
/// it on every pooled connection, and C's heap stayed at 15–17 MiB after it (3–4 at ready); at
/// 512 KiB it stays at 8–9 MiB (issue 14). Reads the cache misses come from the OS page cache.
const SQLITE_CACHE_KIB: u32 = 512;

impl r2d2::CustomizeConnection<DbConnection, diesel_r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel_r2d2::Error> {
        if let DbConnection::Sqlite(sqlite) = conn {
            // busy_timeout first: switching to WAL needs a lock another connection may hold.
            sqlite
                .batch_execute(&format!(
                    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
                     PRAGMA cache_size = -{SQLITE_CACHE_KIB};"
                ))
                .map_err(diesel_r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use diesel::RunQueryDsl;
    use diesel::sql_types::Integer;
    use r2d2::CustomizeConnection;

    use super::*;

    #[derive(diesel::QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = Integer)]
        cache_size: i32,
    }

    #[test]
    fn sqlite_connections_get_the_smaller_page_cache() {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        SqlitePragmas.on_acquire(&mut conn).unwrap();
        let DbConnection::Sqlite(sqlite) = &mut conn else {
            unreachable!("built as SQLite above")
        };
        let size: CacheSize = diesel::sql_query("PRAGMA cache_size")
            .get_result(sqlite)
            .unwrap();
        // A negative cache_size is a size in KiB, not a page count.
        assert_eq!(i64::from(size.cache_size), -i64::from(SQLITE_CACHE_KIB));
    }

    #[test]
    fn sqlite_urls_keep_relative_and_absolute_paths() {
        assert_eq!(
            Target::parse("sqlite://data/p.db").unwrap(),
            Target::Sqlite("data/p.db".into())
        );
        assert_eq!(
            Target::parse("sqlite:///var/lib/p.db").unwrap(),
            Target::Sqlite("/var/lib/p.db".into())
        );
    }

    #[test]
    fn postgres_urls_are_accepted_with_both_schemes() {
        for url in ["postgres://u@h/db", "postgresql://u@h/db"] {
            assert_eq!(Target::parse(url).unwrap().backend(), Backend::Postgres);
        }
    }

    #[test]
    fn other_schemes_and_memory_databases_are_rejected_without_echoing_secrets() {
        let error = Target::parse("mysql://root:secret@h/db").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("mysql"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(Target::parse("sqlite://:memory:").is_err());
        assert!(Target::parse("sqlite://").is_err());
        assert!(Target::parse("data.db").is_err());
    }
}
