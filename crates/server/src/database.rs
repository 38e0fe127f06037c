//! Opening the database from settings, with migrations applied when configured, and closing it
//! before the process exits.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use pharmarec_repository::{Database, PoolSettings, RepositoryError};
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

/// First wait between start-up attempts.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// Longest wait between start-up attempts.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// [`open`] for the server: waits for an unreachable database instead of giving up.
///
/// While the database cannot be opened, it logs why and tries again with a doubling back-off, so a
/// server started before its database (a compose stack, a reboot) comes up once the database does.
/// A broken URL or a failing migration is not retried: waiting cannot fix it.
///
/// # Errors
/// Only errors that waiting cannot fix.
pub async fn open_retrying(
    settings: &DatabaseSettings,
    apply_migrations: bool,
) -> anyhow::Result<Database> {
    let mut wait = FIRST_RETRY;
    loop {
        match open(settings, apply_migrations).await {
            Ok(database) => return Ok(database),
            Err(error) if is_unreachable(&error) => {
                tracing::warn!(
                    retry_in_secs = wait.as_secs(),
                    "database not reachable at start-up: {error:#}"
                );
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(MAX_RETRY);
            }
            Err(error) => return Err(error),
        }
    }
}

/// Whether `error` is the database not answering (worth waiting for).
fn is_unreachable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<RepositoryError>(),
            Some(RepositoryError::Connect(_))
        )
    })
}
