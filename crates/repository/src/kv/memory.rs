//! In-process [`MemoryLimiter`] and [`MemoryCache`]: the adapters used when no Redis is configured,
//! and the limiter's fallback while Redis is down. Each process counts and caches on its own.
//!
//! Both are bounded (see [`ExpiringMap`] for the eviction policy). A `std::sync::Mutex` guards each
//! map: the critical sections are a hash lookup that never awaits, so an async lock would only add
//! overhead.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use pharmarec_domain::DomainError;
use pharmarec_domain::ports::{RateDecision, RateLimiter, ResponseCache};

use super::expiring::ExpiringMap;
use super::{decide, expiry, expiry_millis};

/// Default number of (key, window) counters a [`MemoryLimiter`] keeps.
pub const DEFAULT_LIMITER_MAX_KEYS: usize = 100_000;
/// Default number of entries a [`MemoryCache`] keeps.
pub const DEFAULT_CACHE_MAX_ENTRIES: usize = 10_000;
/// Default total size of a [`MemoryCache`], counting keys and values: 12 MiB, as `cache.max_bytes`
/// (the HTTP layer stores answers gzipped, a few KB each).
pub const DEFAULT_CACHE_MAX_BYTES: usize = 12 * 1024 * 1024;

/// Where "now" comes from: the system clock, or a hand-moved one in tests.
#[derive(Debug, Clone)]
enum Clock {
    System,
    #[cfg(test)]
    Manual(std::sync::Arc<Mutex<Instant>>),
}

impl Clock {
    fn now(&self) -> Instant {
        match self {
            Self::System => Instant::now(),
            #[cfg(test)]
            Self::Manual(now) => *lock(now),
        }
    }
}

/// Locks `mutex`, ignoring poisoning: every critical section leaves the map consistent before
/// anything in it can panic, so a poisoned map is still a valid one.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fixed-window rate limiter in process memory.
///
/// Counters are per (key, window length), so routes with different windows never share one. When
/// `max_keys` counters exist, the one whose window ends soonest is dropped first.
#[derive(Debug)]
pub struct MemoryLimiter {
    windows: Mutex<ExpiringMap<u64>>,
    clock: Clock,
}

impl MemoryLimiter {
    /// A limiter keeping at most `max_keys` counters.
    pub fn new(max_keys: usize) -> Self {
        Self {
            windows: Mutex::new(ExpiringMap::new(max_keys, usize::MAX)),
            clock: Clock::System,
        }
    }

    /// Counts one hit: the count so far in the current window and the time until it ends.
    fn count(&self, key: &str, window: Duration) -> (u64, Duration) {
        let now = self.clock.now();
        let map_key = window_key(expiry_millis(window), key);
        let mut windows = lock(&self.windows);
        if let Some((count, reset_at)) = windows.get_mut(&map_key, now) {
            *count = count.saturating_add(1);
            return (*count, reset_at.saturating_duration_since(now));
        }
        let window = expiry(window);
        // A refused insert (max_keys of 0) still answers as the first hit of a window.
        windows.insert(map_key, 1, now + window, 0, now);
        (1, window)
    }
}

/// `"{window_ms}:{key}"` without `format!`, which cost about 1,300 instructions on every request
/// (callgrind), more than the map lookup it keys.
fn window_key(window_ms: u64, key: &str) -> String {
    let mut digits = itoa::Buffer::new();
    let window = digits.format(window_ms);
    let mut map_key = String::with_capacity(window.len() + 1 + key.len());
    map_key.push_str(window);
    map_key.push(':');
    map_key.push_str(key);
    map_key
}

impl Default for MemoryLimiter {
    /// A limiter keeping at most [`DEFAULT_LIMITER_MAX_KEYS`] counters.
    fn default() -> Self {
        Self::new(DEFAULT_LIMITER_MAX_KEYS)
    }
}

#[async_trait]
impl RateLimiter for MemoryLimiter {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<RateDecision, DomainError> {
        let (count, reset_after) = self.count(key, window);
        Ok(decide(count, limit, reset_after))
    }
}

/// A response cache in process memory, bounded in entries and bytes.
///
/// `invalidate` empties it. A value larger than the whole byte budget is not stored.
#[derive(Debug)]
pub struct MemoryCache {
    entries: Mutex<ExpiringMap<Vec<u8>>>,
    clock: Clock,
}

impl MemoryCache {
    /// A cache of at most `max_entries` entries and `max_bytes` bytes of keys plus values.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(ExpiringMap::new(max_entries, max_bytes)),
            clock: Clock::System,
        }
    }
}

impl Default for MemoryCache {
    /// A cache of at most [`DEFAULT_CACHE_MAX_ENTRIES`] entries and [`DEFAULT_CACHE_MAX_BYTES`].
    fn default() -> Self {
        Self::new(DEFAULT_CACHE_MAX_ENTRIES, DEFAULT_CACHE_MAX_BYTES)
    }
}

#[async_trait]
impl ResponseCache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError> {
        let now = self.clock.now();
        let mut entries = lock(&self.entries);
        Ok(entries.get_mut(key, now).map(|(value, _)| value.clone()))
    }

    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), DomainError> {
        if ttl.is_zero() {
            return Ok(());
        }
        let now = self.clock.now();
        let weight = key.len() + value.len();
        lock(&self.entries).insert(key.to_owned(), value, now + expiry(ttl), weight, now);
        Ok(())
    }

    async fn invalidate(&self) -> Result<(), DomainError> {
        lock(&self.entries).clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn window_keys_read_as_formatted() {
        for millis in [0, 1, 9, 10, 60_000, u64::MAX] {
            assert_eq!(window_key(millis, "rate:a:b"), format!("{millis}:rate:a:b"));
        }
    }

    /// A clock tests move by hand, so expiry is exact and the tests never sleep.
    #[derive(Debug, Clone)]
    struct ManualClock(Arc<Mutex<Instant>>);

    impl ManualClock {
        fn new() -> Self {
            Self(Arc::new(Mutex::new(Instant::now())))
        }

        fn advance(&self, by: Duration) {
            *lock(&self.0) += by;
        }

        fn clock(&self) -> Clock {
            Clock::Manual(Arc::clone(&self.0))
        }
    }

    fn limiter(max_keys: usize, clock: &ManualClock) -> MemoryLimiter {
        MemoryLimiter {
            clock: clock.clock(),
            ..MemoryLimiter::new(max_keys)
        }
    }

    fn cache(max_entries: usize, max_bytes: usize, clock: &ManualClock) -> MemoryCache {
        MemoryCache {
            clock: clock.clock(),
            ..MemoryCache::new(max_entries, max_bytes)
        }
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn limiter_counts_hits_and_refuses_past_the_limit() {
        let clock = ManualClock::new();
        let limiter = limiter(100, &clock);

        let mut decisions = Vec::new();
        for _ in 0..4 {
            decisions.push(limiter.hit("10.0.0.1", 3, MINUTE).await.unwrap());
        }

        let remaining: Vec<u32> = decisions.iter().map(|d| d.remaining).collect();
        let allowed: Vec<bool> = decisions.iter().map(|d| d.allowed).collect();
        assert_eq!(remaining, [2, 1, 0, 0]);
        assert_eq!(allowed, [true, true, true, false]);
        assert!(decisions.iter().all(|d| d.limit == 3));
        assert_eq!(decisions[0].reset_after, MINUTE);
    }

    #[tokio::test]
    async fn limiter_window_resets_after_it_ends() {
        let clock = ManualClock::new();
        let limiter = limiter(100, &clock);
        limiter.hit("ip", 1, MINUTE).await.unwrap();
        clock.advance(Duration::from_secs(45));

        let refused = limiter.hit("ip", 1, MINUTE).await.unwrap();
        clock.advance(Duration::from_secs(15));
        let fresh = limiter.hit("ip", 1, MINUTE).await.unwrap();

        assert!(!refused.allowed);
        assert_eq!(refused.reset_after, Duration::from_secs(15));
        assert!(fresh.allowed);
        assert_eq!(fresh.remaining, 0);
        assert_eq!(fresh.reset_after, MINUTE);
    }

    #[tokio::test]
    async fn limiter_keys_and_window_lengths_are_independent() {
        let clock = ManualClock::new();
        let limiter = limiter(100, &clock);
        limiter.hit("a", 1, MINUTE).await.unwrap();

        let other_key = limiter.hit("b", 1, MINUTE).await.unwrap();
        let other_window = limiter.hit("a", 1, Duration::from_secs(1)).await.unwrap();

        assert!(other_key.allowed);
        assert!(other_window.allowed);
        assert!(!limiter.hit("a", 1, MINUTE).await.unwrap().allowed);
    }

    #[tokio::test]
    async fn limiter_memory_is_bounded_by_max_keys() {
        let clock = ManualClock::new();
        let limiter = limiter(2, &clock);
        limiter.hit("a", 1, MINUTE).await.unwrap();
        limiter.hit("b", 1, MINUTE).await.unwrap();
        limiter.hit("c", 1, MINUTE).await.unwrap();

        // "a" was evicted (its window ends first), so it starts a new window.
        assert!(limiter.hit("a", 1, MINUTE).await.unwrap().allowed);
        assert!(!limiter.hit("c", 1, MINUTE).await.unwrap().allowed);
    }

    #[tokio::test]
    async fn cache_returns_what_was_put_until_the_ttl_ends() {
        let clock = ManualClock::new();
        let cache = cache(10, 1024, &clock);
        cache.put("k", b"v".to_vec(), MINUTE).await.unwrap();

        let fresh = cache.get("k").await.unwrap();
        clock.advance(MINUTE);
        let expired = cache.get("k").await.unwrap();

        assert_eq!(fresh.as_deref(), Some(&b"v"[..]));
        assert_eq!(expired, None);
        assert_eq!(cache.get("missing").await.unwrap(), None);
    }

    #[tokio::test]
    async fn cache_invalidate_drops_every_entry() {
        let clock = ManualClock::new();
        let cache = cache(10, 1024, &clock);
        cache.put("a", b"1".to_vec(), MINUTE).await.unwrap();
        cache.put("b", b"2".to_vec(), MINUTE).await.unwrap();

        cache.invalidate().await.unwrap();

        assert_eq!(cache.get("a").await.unwrap(), None);
        assert_eq!(cache.get("b").await.unwrap(), None);
        cache.put("a", b"3".to_vec(), MINUTE).await.unwrap();
        assert_eq!(cache.get("a").await.unwrap().as_deref(), Some(&b"3"[..]));
    }

    #[tokio::test]
    async fn cache_is_bounded_in_entries() {
        let clock = ManualClock::new();
        let cache = cache(2, 1024, &clock);
        cache.put("a", b"1".to_vec(), MINUTE).await.unwrap();
        cache.put("b", b"2".to_vec(), MINUTE).await.unwrap();

        cache.put("c", b"3".to_vec(), MINUTE).await.unwrap();

        assert_eq!(cache.get("a").await.unwrap(), None);
        assert!(cache.get("b").await.unwrap().is_some());
        assert!(cache.get("c").await.unwrap().is_some());
    }

    #[tokio::test]
    async fn cache_is_bounded_in_bytes_of_keys_and_values() {
        let clock = ManualClock::new();
        let cache = cache(10, 10, &clock);
        cache.put("a", vec![0; 3], MINUTE).await.unwrap();
        cache.put("b", vec![0; 3], MINUTE).await.unwrap();

        // 4 + 4 + 6 bytes exceed 10, so "a" (expiring first) makes room.
        cache.put("c", vec![0; 5], MINUTE).await.unwrap();
        // Larger than the whole budget: refused, and nothing is evicted for it.
        cache.put("d", vec![0; 10], MINUTE).await.unwrap();

        assert_eq!(cache.get("a").await.unwrap(), None);
        assert!(cache.get("b").await.unwrap().is_some());
        assert!(cache.get("c").await.unwrap().is_some());
        assert_eq!(cache.get("d").await.unwrap(), None);
    }

    #[tokio::test]
    async fn cache_put_with_zero_ttl_stores_nothing() {
        let clock = ManualClock::new();
        let cache = cache(10, 1024, &clock);
        cache.put("k", b"v".to_vec(), Duration::ZERO).await.unwrap();
        assert_eq!(cache.get("k").await.unwrap(), None);
    }
}
