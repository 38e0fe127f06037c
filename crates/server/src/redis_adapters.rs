//! Rate limiter, response cache and Redis health: shared through Redis when `redis.url` is set (with an
//! in-process fallback while Redis is down), in process otherwise.

use std::sync::Arc;

use anyhow::Context;
use pharmarec_domain::ports::{HealthProbe, RateLimiter, ResponseCache};
use pharmarec_repository::kv::{
    DEFAULT_CACHE_MAX_ENTRIES, FallbackCache, FallbackLimiter, MemoryCache, MemoryLimiter,
    RedisStore,
};
use secrecy::ExposeSecret;

use crate::settings::RedisSettings;

/// Counts Redis failures across the adapters, for `/metrics`.
pub type FailureCounter = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The adapters the HTTP layer uses, chosen from the settings.
pub struct RedisAdapters {
    /// Request and login rate limiting.
    pub limiter: Arc<dyn RateLimiter>,
    /// Hot-read cache.
    pub cache: Arc<dyn ResponseCache>,
    /// Redis as an optional dependency in `/health` and `/ready` (degraded when down).
    pub redis_probe: Option<Arc<dyn HealthProbe>>,
    /// Redis failures so far (limiter and cache together).
    pub redis_failures: Option<FailureCounter>,
}

impl std::fmt::Debug for RedisAdapters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisAdapters")
            .field("redis", &self.redis_probe.is_some())
            .finish_non_exhaustive()
    }
}

impl RedisAdapters {
    /// Builds the adapters; `cache_max_bytes` bounds the in-process cache (unused with Redis).
    /// Connecting to Redis does not contact it, so a Redis that is down at start
    /// only makes the service degraded, never stops it.
    ///
    /// # Errors
    /// The Redis URL is malformed.
    pub fn from_settings(settings: &RedisSettings, cache_max_bytes: usize) -> anyhow::Result<Self> {
        let Some(url) = &settings.url else {
            return Ok(Self {
                limiter: Arc::new(MemoryLimiter::default()),
                cache: Arc::new(MemoryCache::new(DEFAULT_CACHE_MAX_ENTRIES, cache_max_bytes)),
                redis_probe: None,
                redis_failures: None,
            });
        };
        let store = RedisStore::connect(url.expose_secret(), &settings.key_prefix)
            .context("invalid redis.url")?;
        let limiter = Arc::new(FallbackLimiter::new(
            store.clone(),
            MemoryLimiter::default(),
        ));
        let cache = Arc::new(FallbackCache::new(store.clone()));
        let failures: FailureCounter = {
            let (limiter, cache) = (limiter.clone(), cache.clone());
            Arc::new(move || limiter.failures() + cache.failures())
        };
        Ok(Self {
            limiter,
            cache,
            redis_probe: Some(Arc::new(store)),
            redis_failures: Some(failures),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn the_in_process_cache_keeps_to_its_byte_budget() {
        let settings = RedisSettings {
            url: None,
            key_prefix: String::new(),
        };
        let answer = vec![b'x'; 2048];
        for (budget, kept) in [(0, false), (1024, false), (4096, true)] {
            let cache = RedisAdapters::from_settings(&settings, budget)
                .unwrap()
                .cache;
            cache
                .put("k", answer.clone(), Duration::from_secs(60))
                .await
                .unwrap();
            assert_eq!(
                cache.get("k").await.unwrap().is_some(),
                kept,
                "budget {budget}"
            );
        }
    }
}
