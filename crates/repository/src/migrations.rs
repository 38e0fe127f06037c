//! Embedded per-backend migrations (`migrations/sqlite`, `migrations/postgres`, same names) and the
//! functions the CLI and start-up use to apply, revert and list them.

use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::connection::DbConnection;
use crate::{Database, RepositoryError};

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Whether one migration has been applied to the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Directory name, e.g. `2026-11-25-000001_catalogue`.
    pub name: String,
    /// Whether it is applied.
    pub applied: bool,
}

fn migration_error(error: impl Into<pharmarec_domain::error::BoxError>) -> RepositoryError {
    RepositoryError::Migration(error.into())
}

/// Runs `sqlite` or `postgres` against the concrete connection inside the pooled one, so each
/// backend gets its own migration set.
macro_rules! on_backend {
    ($conn:expr, |$c:ident, $migrations:ident, $db:ident| $body:expr) => {
        match &mut *$conn {
            DbConnection::Sqlite($c) => {
                type $db = diesel::sqlite::Sqlite;
                let $migrations = SQLITE;
                $body
            }
            DbConnection::Postgres($c) => {
                type $db = diesel::pg::Pg;
                let $migrations = POSTGRES;
                $body
            }
        }
    };
}

impl Database {
    /// Applies every pending migration, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Migration`] when one fails (it is rolled back), or `Connect` on checkout.
    pub fn run_pending_migrations(&self) -> Result<Vec<String>, RepositoryError> {
        let mut conn = self.checkout()?;
        on_backend!(conn, |c, migrations, _Db| {
            let applied = c
                .run_pending_migrations(migrations)
                .map_err(migration_error)?;
            Ok(applied.iter().map(ToString::to_string).collect())
        })
    }

    /// Reverts the newest applied migration; `None` when none is applied.
    ///
    /// # Errors
    /// [`RepositoryError::Migration`] when the revert fails.
    pub fn revert_last_migration(&self) -> Result<Option<String>, RepositoryError> {
        if !self.migration_status()?.iter().any(|m| m.applied) {
            return Ok(None);
        }
        let mut conn = self.checkout()?;
        on_backend!(conn, |c, migrations, _Db| {
            let reverted = c
                .revert_last_migration(migrations)
                .map_err(migration_error)?;
            Ok(Some(reverted.to_string()))
        })
    }

    /// Reverts every applied migration, newest first, and returns their names in that order.
    ///
    /// # Errors
    /// [`RepositoryError::Migration`] when a revert fails.
    pub fn revert_all_migrations(&self) -> Result<Vec<String>, RepositoryError> {
        let mut conn = self.checkout()?;
        on_backend!(conn, |c, migrations, _Db| {
            let reverted = c
                .revert_all_migrations(migrations)
                .map_err(migration_error)?;
            Ok(reverted.iter().map(ToString::to_string).collect())
        })
    }

    /// Every known migration, oldest first, with whether it is applied.
    ///
    /// # Errors
    /// [`RepositoryError::Migration`] when the applied list cannot be read.
    pub fn migration_status(&self) -> Result<Vec<MigrationStatus>, RepositoryError> {
        let mut conn = self.checkout()?;
        on_backend!(conn, |c, migrations, Db| {
            let applied = c.applied_migrations().map_err(migration_error)?;
            Ok(status(&migrations_of::<Db>(&migrations)?, &applied))
        })
    }
}

/// The names and versions of a migration set, oldest first.
fn migrations_of<DB: diesel::backend::Backend>(
    source: &impl MigrationSource<DB>,
) -> Result<Vec<(String, String)>, RepositoryError> {
    let mut all: Vec<(String, String)> = source
        .migrations()
        .map_err(migration_error)?
        .iter()
        .map(|m| (m.name().to_string(), m.name().version().to_string()))
        .collect();
    all.sort();
    Ok(all)
}

fn status(
    known: &[(String, String)],
    applied: &[diesel::migration::MigrationVersion<'static>],
) -> Vec<MigrationStatus> {
    let applied: Vec<String> = applied.iter().map(ToString::to_string).collect();
    known
        .iter()
        .map(|(name, version)| MigrationStatus {
            name: name.clone(),
            applied: applied.contains(version),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;

    use super::*;

    #[test]
    fn both_backends_embed_the_same_migration_names() {
        let sqlite: Vec<String> = migrations_of::<Sqlite>(&SQLITE)
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let postgres: Vec<String> = migrations_of::<Pg>(&POSTGRES)
            .unwrap()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
