//! Opening the database from settings, with migrations applied when configured.

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
