//! [`FallbackLimiter`] and [`FallbackCache`]: Redis first, and never failing because of it.
//!
//! On a Redis error the limiter answers from its in-process [`MemoryLimiter`] (limits then hold per
//! instance instead of across instances) and the cache is bypassed: `get` misses, `put` and
//! `invalidate` return `Ok`. Each Redis error is counted (`failures()`, for the metrics endpoint) and
//! logged as a warning at most once per [`WARN_INTERVAL`].
//!
//! After an error, Redis is skipped for a pause ([`DEFAULT_RETRY_AFTER`] unless set), so a dead or
//! stalled server does not add its timeout to every request; then one call probes it again. Calls
//! skipped during the pause are not failures. deadpool replaces broken connections by itself, so
//! recovery needs nothing beyond a probe that succeeds.
//!
//! An `invalidate` that cannot reach Redis is remembered and replayed before the cache next reads or
//! writes through Redis, so entries cached before an outage never outlive a write made during it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use pharmarec_domain::DomainError;
use pharmarec_domain::ports::{RateDecision, RateLimiter, ResponseCache};

use super::{MemoryLimiter, RedisStore};

/// Default pause after a Redis error before Redis is tried again.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// Shortest interval between two "Redis unavailable" warnings of one adapter.
const WARN_INTERVAL: Duration = Duration::from_secs(10);
/// `last_warning` before any warning.
const NEVER: u64 = u64::MAX;

/// Failure counting, warning throttling and the retry pause of one fallback adapter.
///
/// Times are milliseconds since `origin`, so they fit in atomics and the hot path takes no lock.
#[derive(Debug)]
struct Breaker {
    /// What falls back, for log messages.
    role: &'static str,
    origin: Instant,
    retry_after_ms: u64,
    /// Until when Redis is skipped; 0 while Redis is healthy.
    open_until: AtomicU64,
    last_warning: AtomicU64,
    failures: AtomicU64,
}

impl Breaker {
    fn new(role: &'static str) -> Self {
        let mut breaker = Self {
            role,
            origin: Instant::now(),
            retry_after_ms: 0,
            open_until: AtomicU64::new(0),
            last_warning: AtomicU64::new(NEVER),
            failures: AtomicU64::new(0),
        };
        breaker.set_retry_after(DEFAULT_RETRY_AFTER);
        breaker
    }

    fn set_retry_after(&mut self, pause: Duration) {
        // At least 1 ms, so `open_until` is never 0 (healthy) right after a failure.
        self.retry_after_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX).max(1);
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether to call Redis now: always while healthy; after an error, once the pause is over, and
    /// then only for the one caller that claims the probe (the others keep skipping until it ends).
    fn should_try(&self) -> bool {
        let until = self.open_until.load(Ordering::Acquire);
        if until == 0 {
            return true;
        }
        let now = self.now_ms();
        now >= until
            && self
                .open_until
                .compare_exchange(
                    until,
                    now.saturating_add(self.retry_after_ms),
                    Ordering::AcqRel,
                    Ordering::Acquire,
                )
                .is_ok()
    }

    fn succeeded(&self) {
        // Load first: the common healthy case then never writes the shared cache line.
        if self.open_until.load(Ordering::Acquire) != 0
            && self.open_until.swap(0, Ordering::AcqRel) != 0
        {
            tracing::info!(role = self.role, "redis reachable again");
        }
    }

    fn failed(&self, error: &DomainError) {
        let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        let now = self.now_ms();
        self.open_until
            .store(now.saturating_add(self.retry_after_ms), Ordering::Release);
        let last = self.last_warning.load(Ordering::Relaxed);
        let due = last == NEVER || now.saturating_sub(last) >= WARN_INTERVAL.as_secs() * 1000;
        if due
            && self
                .last_warning
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                role = self.role,
                failures,
                error = %error_chain(error),
                "redis unavailable; falling back"
            );
        }
    }

    fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }
}

/// `error` and its sources, joined by `: ` (the domain message alone only says "redis unavailable").
fn error_chain(error: &DomainError) -> String {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

/// A rate limiter shared through Redis that falls back to an in-process one while Redis fails.
#[derive(Debug)]
pub struct FallbackLimiter {
    primary: RedisStore,
    local: MemoryLimiter,
    breaker: Breaker,
}

impl FallbackLimiter {
    /// Limits through `primary`, and through `local` while `primary` fails.
    pub fn new(primary: RedisStore, local: MemoryLimiter) -> Self {
        Self {
            primary,
            local,
            breaker: Breaker::new("rate limiter"),
        }
    }

    /// Sets the pause after a Redis error before Redis is tried again (default
    /// [`DEFAULT_RETRY_AFTER`]; at least 1 ms).
    #[must_use]
    pub fn with_retry_after(mut self, pause: Duration) -> Self {
        self.breaker.set_retry_after(pause);
        self
    }

    /// How many Redis calls have failed since creation.
    pub fn failures(&self) -> u64 {
        self.breaker.failures()
    }
}

#[async_trait]
impl RateLimiter for FallbackLimiter {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<RateDecision, DomainError> {
        if self.breaker.should_try() {
            match self.primary.hit(key, limit, window).await {
                Ok(decision) => {
                    self.breaker.succeeded();
                    return Ok(decision);
                }
                Err(error) => self.breaker.failed(&error),
            }
        }
        self.local.hit(key, limit, window).await
    }
}

/// A response cache in Redis that is bypassed while Redis fails.
#[derive(Debug)]
pub struct FallbackCache {
    primary: RedisStore,
    breaker: Breaker,
    /// An invalidation has not reached Redis yet.
    pending_invalidation: AtomicBool,
}

impl FallbackCache {
    /// Caches in `primary`, and not at all while it fails.
    pub fn new(primary: RedisStore) -> Self {
        Self {
            primary,
            breaker: Breaker::new("response cache"),
            pending_invalidation: AtomicBool::new(false),
        }
    }

    /// Sets the pause after a Redis error before Redis is tried again (default
    /// [`DEFAULT_RETRY_AFTER`]; at least 1 ms).
    #[must_use]
    pub fn with_retry_after(mut self, pause: Duration) -> Self {
        self.breaker.set_retry_after(pause);
        self
    }

    /// How many Redis calls have failed since creation.
    pub fn failures(&self) -> u64 {
        self.breaker.failures()
    }

    /// Whether the cache may go through Redis now: the pause is over and any pending invalidation
    /// has reached Redis.
    async fn redis_usable(&self) -> bool {
        if !self.breaker.should_try() {
            return false;
        }
        // Cleared before the call, so an invalidation recorded meanwhile is kept for the next one.
        if self.pending_invalidation.swap(false, Ordering::AcqRel) {
            if let Err(error) = self.primary.invalidate().await {
                self.pending_invalidation.store(true, Ordering::Release);
                self.breaker.failed(&error);
                return false;
            }
            self.breaker.succeeded();
        }
        true
    }

    /// Records the outcome of a call made after [`Self::redis_usable`] said yes.
    fn record<T>(&self, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(value) => {
                self.breaker.succeeded();
                Some(value)
            }
            Err(error) => {
                self.breaker.failed(&error);
                None
            }
        }
    }
}

#[async_trait]
impl ResponseCache for FallbackCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError> {
        if !self.redis_usable().await {
            return Ok(None);
        }
        Ok(self.record(self.primary.get(key).await).flatten())
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), DomainError> {
        if self.redis_usable().await {
            self.record(self.primary.put(key, value, ttl).await);
        }
        Ok(())
    }

    async fn invalidate(&self) -> Result<(), DomainError> {
        // Recorded first, then sent by `redis_usable` now or by the first call that reaches Redis.
        self.pending_invalidation.store(true, Ordering::Release);
        self.redis_usable().await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    /// A store whose server is down: its port was bound, then released.
    fn down_store() -> RedisStore {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        RedisStore::connect(&format!("redis://127.0.0.1:{port}"), "t:").unwrap()
    }

    #[tokio::test]
    async fn limiter_answers_from_the_local_limiter_when_redis_is_down() {
        let limiter = FallbackLimiter::new(down_store(), MemoryLimiter::default());

        let started = Instant::now();
        let mut decisions = Vec::new();
        for _ in 0..3 {
            decisions.push(limiter.hit("ip", 2, MINUTE).await.unwrap());
        }

        let allowed: Vec<bool> = decisions.iter().map(|d| d.allowed).collect();
        assert_eq!(allowed, [true, true, false], "counted locally");
        assert_eq!(
            limiter.failures(),
            1,
            "later calls skip Redis during the pause"
        );
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn cache_is_bypassed_without_errors_when_redis_is_down() {
        let cache = FallbackCache::new(down_store());

        cache.put("k", b"v".to_vec(), MINUTE).await.unwrap();
        let value = cache.get("k").await.unwrap();
        cache.invalidate().await.unwrap();

        assert_eq!(value, None);
        assert_eq!(cache.failures(), 1);
        assert!(cache.pending_invalidation.load(Ordering::Acquire));
    }

    #[tokio::test]
    async fn redis_is_probed_again_once_the_pause_is_over() {
        let limiter = FallbackLimiter::new(down_store(), MemoryLimiter::default())
            .with_retry_after(Duration::from_millis(200));
        limiter.hit("ip", 5, MINUTE).await.unwrap();
        limiter.hit("ip", 5, MINUTE).await.unwrap();
        assert_eq!(limiter.failures(), 1);

        tokio::time::sleep(Duration::from_millis(250)).await;
        limiter.hit("ip", 5, MINUTE).await.unwrap();

        assert_eq!(limiter.failures(), 2);
    }

    #[test]
    fn after_the_pause_only_one_caller_claims_the_probe() {
        let mut breaker = Breaker::new("test");
        breaker.set_retry_after(Duration::from_millis(200));
        breaker.failed(&DomainError::unavailable("redis", "down"));
        assert!(!breaker.should_try(), "paused right after a failure");

        std::thread::sleep(Duration::from_millis(250));
        let first = breaker.should_try();
        let second = breaker.should_try();

        assert!(first);
        assert!(!second, "the probe is in flight; others keep skipping");
        breaker.succeeded();
        assert!(
            breaker.should_try() && breaker.should_try(),
            "healthy again"
        );
    }

    #[test]
    fn error_chain_includes_the_cause() {
        let error = DomainError::unavailable("redis", "connection refused");
        assert_eq!(error_chain(&error), "redis unavailable: connection refused");
    }
}
