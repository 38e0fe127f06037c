//! Ports for request rate limiting and the response cache, shared by all instances when backed by
//! Redis, in-process otherwise.

use std::time::Duration;

use async_trait::async_trait;

use crate::DomainError;

/// The outcome of counting one request against a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The limit that applied.
    pub limit: u32,
    /// Requests left in the current window.
    pub remaining: u32,
    /// Time until the window resets.
    pub reset_after: Duration,
}

/// Fixed-window request counting per key (client IP, account).
#[async_trait]
pub trait RateLimiter: Send + Sync {
    /// Counts one hit for `key` in a window of `window`, allowing `limit` per window.
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<RateDecision, DomainError>;
}

/// A byte cache for hot reads. Keys carry everything the answer depends on; `invalidate` makes every
/// earlier entry unreachable (on all instances when shared).
#[async_trait]
pub trait ResponseCache: Send + Sync {
    /// The cached bytes for `key`, if present and fresh.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError>;
    /// Stores `value` under `key` for `ttl`.
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), DomainError>;
    /// Drops every entry (called after writes).
    async fn invalidate(&self) -> Result<(), DomainError>;
}
