//! [`Database`]: the pooled handle every port is implemented on, and the blocking-work helper.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use diesel::connection::SimpleConnection;
use pharmarec_domain::DomainError;
use pharmarec_domain::ports::{HealthProbe, PoolStats};

use crate::breaker::Breaker;
use crate::connection::{Backend, ConnectionManager, DbConnection, SqlitePragmas, Target};
use crate::error::{RepositoryError, TxError, map_pool, unavailable};
use crate::gate::ConnectGate;

/// Pool sizing and timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Most connections open at once.
    pub max_size: u32,
    /// How long a checkout (and the first connect) may wait before failing.
    pub connect_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 10,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// A pooled database handle (SQLite or PostgreSQL); cheap to clone, it shares one r2d2 pool.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    /// Shared by every clone, so one failed checkout makes all requests fail fast.
    breaker: Arc<Breaker>,
    gate: Arc<ConnectGate>,
    connect_timeout: Duration,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL is left out on purpose: it may hold a password.
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .field("pool", &self.pool.state())
            .finish()
    }
}

impl Database {
    /// Opens a pool for `url` (`sqlite://path.db`, `sqlite:///abs/path.db`, `postgres://…`) and checks
    /// that one connection works.
    ///
    /// # Errors
    /// [`RepositoryError::InvalidUrl`] for an unsupported URL, [`RepositoryError::Connect`] when no
    /// connection can be opened within `settings.connect_timeout`.
    pub fn connect(url: &str, settings: PoolSettings) -> Result<Self, RepositoryError> {
        let target = Target::parse(url)?;
        let backend = target.backend();
        if let Target::Sqlite(path) = &target {
            // SQLite creates the file but not its directory.
            if let Some(parent) = std::path::Path::new(path).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent)
                    .map_err(|e| RepositoryError::Connect(Box::new(e)))?;
            }
        }
        let breaker = Arc::new(Breaker::default());
        let gate = Arc::new(ConnectGate::default());
        let pool = r2d2::Pool::builder()
            .max_size(settings.max_size)
            .min_idle(Some(1))
            .connection_timeout(settings.connect_timeout)
            .connection_customizer(Box::new(SqlitePragmas))
            .error_handler(Box::new(OpenOnConnectError(Arc::clone(&breaker))))
            .build(ConnectionManager::new(target, gate.clone()))
            .map_err(|e| {
                // r2d2 keeps retrying a failed first connect in the background; stop it before the
                // caller reports the error and exits.
                gate.close(settings.connect_timeout);
                RepositoryError::Connect(Box::new(e))
            })?;
        Ok(Self {
            pool,
            backend,
            breaker,
            gate,
            connect_timeout: settings.connect_timeout,
        })
    }

    /// Stops the pool opening connections and waits (up to the connect timeout) for the connects r2d2
    /// is running on its worker threads. Call it before the process exits; the handle, and every clone
    /// of it, can then no longer open connections, though idle ones still serve checkouts.
    ///
    /// # Implementation Notes
    /// Exiting while a worker thread is inside libpq's TLS handshake crashes in OpenSSL's exit-time
    /// cleanup (issue 10); see [`crate::gate`].
    pub async fn close(&self) {
        let gate = self.gate.clone();
        let timeout = self.connect_timeout;
        let settled = tokio::task::spawn_blocking(move || gate.close(timeout)).await;
        if !matches!(settled, Ok(true)) {
            tracing::warn!("a database connect was still running at close");
        }
    }

    /// Which backend the URL selected.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection for synchronous callers (migrations at start-up).
    pub(crate) fn checkout(
        &self,
    ) -> Result<r2d2::PooledConnection<ConnectionManager>, RepositoryError> {
        self.pool
            .get()
            .map_err(|e| RepositoryError::Connect(Box::new(e)))
    }

    /// Runs `work` on a pooled connection on tokio's blocking pool, inside the caller's span.
    ///
    /// Checkout, queries and transaction all block, so none of it may run on an async worker; a
    /// connection never crosses an `.await`. While the database is known to be down (see
    /// [`Breaker`]) the call fails at once instead of waiting the checkout timeout.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, DomainError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, TxError> + Send + 'static,
    {
        self.breaker.admit(Instant::now()).map_err(unavailable)?;
        let pool = self.pool.clone();
        let breaker = Arc::clone(&self.breaker);
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let checkout = pool.get();
            breaker.record(checkout.is_ok(), Instant::now());
            let mut conn = checkout.map_err(map_pool)?;
            work(&mut conn).map_err(DomainError::from)
        })
        .await
        .map_err(DomainError::internal)?
    }
}

/// Opens the breaker as soon as the pool fails to open a connection in the background, so requests
/// arriving while a checkout still waits out its timeout fail at once.
#[derive(Debug)]
struct OpenOnConnectError(Arc<Breaker>);

impl<E: std::fmt::Display> r2d2::HandleError<E> for OpenOnConnectError {
    fn handle_error(&self, error: E) {
        tracing::debug!("database connection attempt failed: {error}");
        self.0.record(false, Instant::now());
    }
}

#[async_trait]
impl HealthProbe for Database {
    fn name(&self) -> &'static str {
        "database"
    }

    async fn ping(&self) -> Result<(), DomainError> {
        self.run(|conn| Ok(conn.batch_execute("SELECT 1")?)).await
    }

    fn pool_stats(&self) -> Option<PoolStats> {
        let state = self.pool.state();
        Some(PoolStats {
            connections: state.connections,
            idle: state.idle_connections,
            max_size: self.pool.max_size(),
        })
    }
}
