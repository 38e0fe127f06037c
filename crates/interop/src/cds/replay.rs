//! Refusal of a replayed CDS client JWT. CDS Hooks 2.0 makes `jti` "a nonce string value that
//! uniquely identifies this authentication JWT (used to protect against replay attacks)".
//!
//! Each verified token's (`iss`, `jti`) is remembered until the token would stop being accepted
//! anyway (its `exp` plus the clock leeway); a second use before then is refused like any other bad
//! token. The record lives:
//!
//! * in process memory, always: at most [`MAX_ENTRIES`] entries, expired ones dropped first. A live
//!   entry is never evicted (that would let its token be replayed): when the record is full of live
//!   entries, new tokens are refused with `429` and `Retry-After` until the soonest one expires.
//!   Accepted tokens are remembered at most seven minutes (five of lifetime, plus a minute of leeway
//!   on each side), so the cap binds only above about 120 calls per second sustained;
//! * and, when `redis.url` is set, in Redis with `SET key 1 NX PX ttl`, so a token accepted by one
//!   instance is refused by every other. If Redis fails, the call goes on with the in-process record
//!   alone (logged as a warning): during an outage a token can be replayed once per instance, which
//!   was preferred to refusing every EHR call while Redis is down.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use deadpool_redis::redis::{AsyncConnectionConfig, cmd};
use deadpool_redis::{Manager, Pool, Runtime};
use pharmarec_http_api::ApiError;

use crate::error::InteropError;

/// Tokens remembered at most in process memory.
pub(crate) const MAX_ENTRIES: usize = 50_000;

/// Longest `jti` accepted; an ordinary one is a UUID (36 characters). Keeps the record's memory bounded.
pub(crate) const MAX_JTI_BYTES: usize = 128;

/// Limit for one Redis call, connecting included: a stalled Redis must not stall the EHR.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// The replay record shared by every worker of one server.
#[derive(Debug)]
pub(crate) struct ReplayGuard {
    local: Mutex<Seen>,
    shared: Option<SharedSeen>,
}

/// Where Redis is, for a record shared by every instance.
#[derive(Clone)]
pub struct SharedReplayStore {
    /// `redis://…` (the server's `redis.url`).
    pub url: String,
    /// Prefix of every key (the server's `redis.key_prefix`).
    pub key_prefix: String,
}

impl std::fmt::Debug for SharedReplayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: not shown.
        f.debug_struct("SharedReplayStore")
            .field("key_prefix", &self.key_prefix)
            .finish_non_exhaustive()
    }
}

impl ReplayGuard {
    /// A record in process memory, plus Redis when `shared` is given.
    ///
    /// # Errors
    /// [`InteropError::ReplayStore`] when the Redis URL does not parse (nothing is contacted here).
    pub(crate) fn new(shared: Option<&SharedReplayStore>) -> Result<Self, InteropError> {
        Ok(Self {
            local: Mutex::default(),
            shared: shared.map(SharedSeen::connect).transpose()?,
        })
    }

    /// Records the first use of `jti` from `iss`, remembered for `ttl`.
    ///
    /// # Errors
    /// [`ApiError::InvalidToken`] when the token was already used (or its `jti` is over
    /// [`MAX_JTI_BYTES`]); [`ApiError::RateLimited`] when the in-process record is full.
    pub(crate) async fn first_use(
        &self,
        iss: &str,
        jti: &str,
        ttl: Duration,
    ) -> Result<(), ApiError> {
        if jti.len() > MAX_JTI_BYTES {
            return Err(ApiError::InvalidToken);
        }
        // JSON of the pair: no `iss` and `jti` can be joined into another pair's key.
        let key = serde_json::json!([iss, jti]).to_string();
        let now = Instant::now();
        // A poisoned lock only means another request panicked mid-insert; the maps are still usable.
        // One statement: the guard is dropped before the Redis call below awaits.
        self.local
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .record(&key, now + ttl, now)?;
        let Some(shared) = &self.shared else {
            return Ok(());
        };
        match shared.first_use(&key, ttl).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(ApiError::InvalidToken),
            Err(why) => {
                tracing::warn!(
                    why,
                    "CDS token replay record: Redis failed, checked in process only"
                );
                Ok(())
            }
        }
    }
}

/// The in-process record: each key with its expiry, and the keys ordered by expiry.
#[derive(Debug, Default)]
struct Seen {
    until: HashMap<String, Instant>,
    by_expiry: BTreeMap<(Instant, u64), String>,
    /// Insertion number: keeps two keys expiring at the same instant apart in `by_expiry`.
    next: u64,
}

impl Seen {
    fn record(&mut self, key: &str, until: Instant, now: Instant) -> Result<(), ApiError> {
        while let Some(entry) = self.by_expiry.first_entry()
            && entry.key().0 <= now
        {
            let expired = entry.remove();
            self.until.remove(&expired);
        }
        if self.until.contains_key(key) {
            return Err(ApiError::InvalidToken);
        }
        if self.until.len() >= MAX_ENTRIES {
            let soonest = self.by_expiry.keys().next().map_or(now, |(at, _)| *at);
            return Err(ApiError::RateLimited {
                retry_after: soonest
                    .saturating_duration_since(now)
                    .max(Duration::from_secs(1)),
            });
        }
        self.until.insert(key.to_string(), until);
        self.by_expiry.insert((until, self.next), key.to_string());
        self.next = self.next.wrapping_add(1);
        Ok(())
    }
}

/// The record in Redis, shared by every instance.
struct SharedSeen {
    pool: Pool,
    prefix: String,
}

impl std::fmt::Debug for SharedSeen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: not shown.
        f.debug_struct("SharedSeen")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl SharedSeen {
    fn connect(store: &SharedReplayStore) -> Result<Self, InteropError> {
        let bad = |reason: String| InteropError::ReplayStore { reason };
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT));
        // The error names the part that failed to parse; the URL itself (a password) is not echoed.
        let manager = Manager::new_with_config(store.url.as_str(), connection)
            .map_err(|e| bad(format!("redis.url: {:?}", e.kind())))?;
        let pool = Pool::builder(manager)
            .max_size(4)
            .wait_timeout(Some(REDIS_TIMEOUT))
            .create_timeout(Some(REDIS_TIMEOUT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| bad(e.to_string()))?;
        Ok(Self {
            pool,
            prefix: format!("{}cds-jti:", store.key_prefix),
        })
    }

    /// `true` when Redis did not hold the key and now does for `ttl`.
    async fn first_use(&self, key: &str, ttl: Duration) -> Result<bool, String> {
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let call = async {
            let mut connection = self.pool.get().await.map_err(|e| e.to_string())?;
            cmd("SET")
                .arg(format!("{}{key}", self.prefix))
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query_async::<Option<String>>(&mut connection)
                .await
                .map(|set| set.is_some())
                .map_err(|e| e.to_string())
        };
        actix_web::rt::time::timeout(REDIS_TIMEOUT, call)
            .await
            .map_err(|_| "timed out".to_string())?
    }
}

#[cfg(test)]
mod tests;
