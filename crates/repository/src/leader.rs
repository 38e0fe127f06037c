//! [`LeaderLock`] on PostgreSQL: a session-level advisory lock held on a dedicated connection.
//!
//! The lock lives as long as the session that took it, so the holder keeps it from tick to tick and
//! loses it only by stopping (the connection closes) or by losing its connection; then a standby's
//! next `pg_try_advisory_lock` succeeds. The connection is its own, not a pooled one: a pooled
//! connection would go back to the pool still holding the lock.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use pharmarec_domain::DomainError;
use pharmarec_domain::ports::LeaderLock;

/// Advisory-lock key of the scheduled tasks: the ASCII bytes of `pharmarc` (any fixed number would do;
/// it only has to differ from other applications' keys on a shared server).
pub const SCHEDULER_LOCK_KEY: i64 = 0x7068_6172_6d61_7263;

#[derive(QueryableByName)]
struct Acquired {
    #[diesel(sql_type = Bool)]
    acquired: bool,
}

/// The dedicated session and whether it holds the lock.
#[derive(Default)]
struct Session {
    conn: Option<PgConnection>,
    held: bool,
}

/// A PostgreSQL advisory lock taken with `pg_try_advisory_lock` and kept until this value is dropped.
pub struct AdvisoryLock {
    url: String,
    key: i64,
    session: Arc<Mutex<Session>>,
}

impl std::fmt::Debug for AdvisoryLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL is left out on purpose: it may hold a password.
        f.debug_struct("AdvisoryLock")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl AdvisoryLock {
    /// A lock on `key` for the database at `url` (`postgres://…`); it connects on first use.
    pub fn new(url: &str, key: i64) -> Self {
        Self {
            url: url.to_string(),
            key,
            session: Arc::default(),
        }
    }
}

/// Keeps or takes the lock; any error drops the session (and with it the lock, if held).
fn lead(session: &mut Session, url: &str, key: i64) -> Result<bool, DomainError> {
    let result = (|| {
        let conn = match &mut session.conn {
            Some(conn) => conn,
            None => session.conn.insert(PgConnection::establish(url)?),
        };
        if session.held {
            // Still our session, so still our lock.
            conn.batch_execute("SELECT 1")?;
            return Ok(true);
        }
        let acquired = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS acquired")
            .bind::<BigInt, _>(key)
            .get_result::<Acquired>(conn)?
            .acquired;
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(acquired)
    })();
    match result {
        Ok(acquired) => {
            session.held = acquired;
            Ok(acquired)
        }
        Err(error) => {
            *session = Session::default();
            Err(DomainError::unavailable("database", error))
        }
    }
}

#[async_trait]
impl LeaderLock for AdvisoryLock {
    async fn try_lead(&self) -> Result<bool, DomainError> {
        let (session, url, key) = (Arc::clone(&self.session), self.url.clone(), self.key);
        tokio::task::spawn_blocking(move || {
            let mut session = session
                .lock()
                .map_err(|_| DomainError::internal("leader lock session poisoned"))?;
            lead(&mut session, &url, key)
        })
        .await
        .map_err(DomainError::internal)?
    }
}
