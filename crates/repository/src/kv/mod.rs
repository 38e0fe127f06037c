//! Shared-state adapters outside the SQL database: rate limiting and the response cache, on Redis
//! (shared by every instance) or in process.
//!
//! - [`RedisStore`] implements [`RateLimiter`], [`ResponseCache`] and [`HealthProbe`] on one
//!   deadpool-redis pool. Every failure is `DomainError::Unavailable { dependency: "redis", .. }`.
//! - [`MemoryLimiter`] and [`MemoryCache`] are the in-process versions, used when no Redis is
//!   configured. Both are bounded in entries (and the cache in bytes).
//! - [`FallbackLimiter`] and [`FallbackCache`] put Redis first and never fail because of it: the
//!   limiter falls back to a [`MemoryLimiter`], the cache is bypassed. They count Redis failures for
//!   metrics, skip Redis briefly after a failure so a dead server does not add its timeout to every
//!   request, and use Redis again as soon as it answers.
//!
//! Policy: keys handed to these adapters are stored verbatim (Redis key names, map keys) and are never
//! logged. Callers that key on patient data should digest it first.
//!
//! [`RateLimiter`]: pharmarec_domain::ports::RateLimiter
//! [`ResponseCache`]: pharmarec_domain::ports::ResponseCache
//! [`HealthProbe`]: pharmarec_domain::ports::HealthProbe

mod error;
mod expiring;
mod fallback;
mod memory;
mod redis_store;
#[cfg(test)]
mod tests;

use std::time::Duration;

use pharmarec_domain::ports::RateDecision;

pub use error::KvError;
pub use fallback::{DEFAULT_RETRY_AFTER, FallbackCache, FallbackLimiter};
pub use memory::{
    DEFAULT_CACHE_MAX_BYTES, DEFAULT_CACHE_MAX_ENTRIES, DEFAULT_LIMITER_MAX_KEYS, MemoryCache,
    MemoryLimiter,
};
pub use redis_store::{DEFAULT_KEY_PREFIX, RedisStore};

/// Dependency name used in [`DomainError::Unavailable`](pharmarec_domain::DomainError::Unavailable).
const DEPENDENCY: &str = "redis";

/// Longest window or TTL honoured; longer ones are shortened to it, which keeps `Instant`
/// arithmetic and Redis expiry arguments far from overflow.
const MAX_EXPIRY: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// `duration` clamped to 1 ms ..= [`MAX_EXPIRY`]: Redis rejects a zero expiry, and a zero-length
/// window would never count anything.
fn expiry(duration: Duration) -> Duration {
    duration.clamp(Duration::from_millis(1), MAX_EXPIRY)
}

/// [`expiry`] in whole milliseconds, the unit of Redis `PX`/`PEXPIRE`.
fn expiry_millis(duration: Duration) -> u64 {
    u64::try_from(expiry(duration).as_millis()).unwrap_or(u64::MAX)
}

/// The decision for the `count`-th hit of a window, the same for every limiter implementation.
fn decide(count: u64, limit: u32, reset_after: Duration) -> RateDecision {
    let used = u32::try_from(count).unwrap_or(u32::MAX);
    RateDecision {
        allowed: count <= u64::from(limit),
        limit,
        remaining: limit.saturating_sub(used),
        reset_after,
    }
}
