//! `pharmarec migrate up|down [--all]|status`.

use std::io::Write;

use anyhow::Context;
use pharmarec_repository::Database;

use super::MigrateAction;
use crate::database;
use crate::settings::Settings;

/// Runs a migration action and writes what it did to `out`.
///
/// # Errors
/// The database cannot be opened or a migration fails (the failed migration's transaction is rolled
/// back by the migration harness).
pub async fn migrate(
    settings: &Settings,
    action: &MigrateAction,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let lines = database::with_database(&settings.database, false, |db| run(db, action)).await?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// What `action` did, one line per migration.
async fn run(db: Database, action: &MigrateAction) -> anyhow::Result<Vec<String>> {
    Ok(match action {
        MigrateAction::Up { .. } => {
            let applied = blocking(move || db.run_pending_migrations()).await?;
            if applied.is_empty() {
                vec!["no pending migrations".to_string()]
            } else {
                applied
                    .into_iter()
                    .map(|m| format!("applied {m}"))
                    .collect()
            }
        }
        MigrateAction::Down { all: true, .. } => {
            let reverted = blocking(move || db.revert_all_migrations()).await?;
            if reverted.is_empty() {
                vec!["no applied migrations".to_string()]
            } else {
                reverted
                    .into_iter()
                    .map(|m| format!("reverted {m}"))
                    .collect()
            }
        }
        MigrateAction::Down { all: false, .. } => {
            match blocking(move || db.revert_last_migration()).await? {
                Some(m) => vec![format!("reverted {m}")],
                None => vec!["no applied migrations".to_string()],
            }
        }
        MigrateAction::Status { .. } => blocking(move || db.migration_status())
            .await?
            .into_iter()
            .map(|m| format!("[{}] {}", if m.applied { "x" } else { " " }, m.name))
            .collect(),
    })
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, pharmarec_repository::RepositoryError> + Send + 'static,
) -> anyhow::Result<T> {
    let result = tokio::task::spawn_blocking(work)
        .await
        .context("migration task failed")?;
    result.context("migration failed")
}
