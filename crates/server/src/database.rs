//! Opening the database from settings, with migrations applied when configured, and closing it
//! before the process exits.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use pharmarec_repository::{Database, PoolSettings};
use secrecy::ExposeSecret;

use crate::settings::DatabaseSettings;

/// Connects the pool; applies pending migrations first when `apply_migrations` is set.
///
/// Connecting and migrating block, so they run on the blocking pool.
///
/// # Errors
/// The URL is unusable, the database does not answer, or a migration fails.
pub async fn open(settings: &DatabaseSettings, apply_migrations: bool) -> anyhow::Result<Database> {
    let url = settings.url.expose_secret().to_string();
    let pool = PoolSettings {
        max_size: settings.pool_max_size,
        connect_timeout: Duration::from_secs(settings.connect_timeout_secs),
    };
    // The error names the backend problem but never the URL, which may carry a password.
    let database = tokio::task::spawn_blocking(move || Database::connect(&url, pool))
        .await
        .context("database start-up task failed")?
        .context("cannot open the database")?;
    if apply_migrations {
        let migrating = database.clone();
        let applied = tokio::task::spawn_blocking(move || migrating.run_pending_migrations())
            .await
            .context("migration task failed")
            .and_then(|applied| applied.context("cannot apply migrations"));
        match applied {
            Ok(applied) => {
                for name in applied {
                    tracing::info!(migration = %name, "applied migration");
                }
            }
            Err(error) => {
                database.close().await;
                return Err(error);
            }
        }
    }
    Ok(database)
}

/// Runs a one-shot command on a freshly opened database, then closes it whatever the outcome.
///
/// # Implementation Notes
/// The process exits right after a command. r2d2 may still be opening a connection on a worker
/// thread then (it refills its idle connection after every checkout), and exiting during libpq's TLS
/// handshake crashed the process (issue 10); [`Database::close`] waits for that connect first.
///
/// # Errors
/// The database cannot be opened, or `work` fails.
pub async fn with_database<T, F, Fut>(
    settings: &DatabaseSettings,
    apply_migrations: bool,
    work: F,
) -> anyhow::Result<T>
where
    F: FnOnce(Database) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let database = open(settings, apply_migrations).await?;
    let result = work(database.clone()).await;
    database.close().await;
    result
}
