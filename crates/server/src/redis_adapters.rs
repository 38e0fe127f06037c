//! Rate limiter, response cache and Redis health: shared through Redis when `redis.url` is set (with an
//! in-process fallback while Redis is down), in process otherwise.

use std::sync::Arc;

use anyhow::Context;
use pharmarec_domain::ports::{HealthProbe, RateLimiter, ResponseCache};
use pharmarec_repository::kv::{
    FallbackCache, FallbackLimiter, MemoryCache, MemoryLimiter, RedisStore,
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
    /// Builds the adapters. Connecting to Redis does not contact it, so a Redis that is down at start
    /// only makes the service degraded, never stops it.
    ///
    /// # Errors
    /// The Redis URL is malformed.
    pub fn from_settings(settings: &RedisSettings) -> anyhow::Result<Self> {
        let Some(url) = &settings.url else {
            return Ok(Self {
                limiter: Arc::new(MemoryLimiter::default()),
                cache: Arc::new(MemoryCache::default()),
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
