//! One fresh database per test and backend: a SQLite file in a temporary directory always, and a
//! PostgreSQL database created on the server `DATABASE_URL` names, dropped when the test ends.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::report_skip;

/// A database that exists for one test and is removed afterwards.
#[derive(Debug)]
pub enum TestDatabase {
    /// A SQLite file in its own temporary directory.
    Sqlite {
        /// Removed on drop, with the file.
        dir: tempfile::TempDir,
        /// `sqlite://<path>`.
        url: String,
    },
    /// A PostgreSQL database of its own.
    Postgres {
        /// The `DATABASE_URL` it was created through, used again to drop it.
        admin_url: String,
        /// The database's name.
        name: String,
        /// The `DATABASE_URL` with the database name replaced (query string kept).
        url: String,
    },
}

impl TestDatabase {
    /// A fresh SQLite database file.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("pharmarec.db").display());
        Self::Sqlite { dir, url }
    }

    /// A fresh PostgreSQL database on the server of `admin_url`.
    pub fn postgres(admin_url: &str) -> Self {
        let name = format!("pharmarec_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(admin_url).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        Self::Postgres {
            admin_url: admin_url.to_string(),
            url: with_database(admin_url, &name),
            name,
        }
    }

    /// The URL the application connects with.
    pub fn url(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } | Self::Postgres { url, .. } => url,
        }
    }

    /// What a raw diesel connection establishes with: the SQLite file path or the PostgreSQL URL.
    pub fn raw_target(&self) -> &str {
        match self {
            Self::Sqlite { url, .. } => url.trim_start_matches("sqlite://"),
            Self::Postgres { url, .. } => url,
        }
    }

    /// `sqlite` or `postgres`, for assertion messages.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Why PostgreSQL tests are skipped.
const NO_POSTGRES: &str = "DATABASE_URL is not set to a postgres:// URL";

/// The PostgreSQL server `DATABASE_URL` names, if it names one.
fn postgres_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| url.starts_with("postgres://") || url.starts_with("postgresql://"))
}

/// One fresh database per backend available: SQLite always, PostgreSQL when `DATABASE_URL` is set.
pub fn fresh_databases() -> Vec<TestDatabase> {
    let mut databases = vec![TestDatabase::sqlite()];
    match postgres_url() {
        Some(url) => databases.push(TestDatabase::postgres(&url)),
        None => report_skip(&format!("PostgreSQL: {NO_POSTGRES}")),
    }
    databases
}

/// A fresh PostgreSQL database, or `None` after reporting the skip of `test`.
pub fn postgres_database(test: &str) -> Option<TestDatabase> {
    let url = postgres_url();
    if url.is_none() {
        report_skip(&format!("PostgreSQL: {test}: {NO_POSTGRES}"));
    }
    url.map(|url| TestDatabase::postgres(&url))
}

/// `url` with its database name replaced by `name`, keeping the query string (`?sslmode=…`).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{}/{name}{query}", &base[..path_start])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_database_replaces_only_the_database_name() {
        assert_eq!(
            with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
        assert_eq!(
            with_database("postgresql://u:p@h/db?sslmode=require&x=1", "y"),
            "postgresql://u:p@h/y?sslmode=require&x=1"
        );
    }
}
