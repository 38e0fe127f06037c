//! Opening the database from settings, with migrations applied when configured.

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
    tokio::task::spawn_blocking(move || -> anyhow::Result<Database> {
        // The error names the backend problem but never the URL, which may carry a password.
        let database = Database::connect(&url, pool).context("cannot open the database")?;
        if apply_migrations {
            let applied = database
                .run_pending_migrations()
                .context("cannot apply migrations")?;
            for name in applied {
                tracing::info!(migration = %name, "applied migration");
            }
        }
        Ok(database)
    })
    .await
    .context("database start-up task failed")?
}

/// First wait between start-up attempts.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// Longest wait between start-up attempts.
const MAX_RETRY: Duration = Duration::from_secs(30);

/// [`open`] for the server: while the database cannot be opened, logs why and tries again with a
/// doubling back-off, so a server started before its database (a compose stack, a reboot) comes up
/// once the database does. A broken URL or a failing migration is not retried: waiting cannot fix it.
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
