//! [`RedisStore`]: the rate limiter, response cache and health probe on a Redis shared by every
//! instance.
//!
//! Key layout under the prefix `P` (default [`DEFAULT_KEY_PREFIX`]):
//!
//! - `P rl:{window_ms}:{key}`: a fixed-window counter that expires with its window. The window length
//!   is part of the key so routes with different windows never share a counter.
//! - `P cache:gen`: the cache generation, incremented by `invalidate`.
//! - `P cache:{gen}:{key}`: a cached response. Bumping the generation makes every older entry
//!   unreachable on every instance at once, without SCAN or DEL; the old entries expire by TTL.
//!
//! Each limiter and cache call is one atomic round trip: a small Lua script sent with EVAL (the
//! `redis` crate's `script` feature is off in our dependency set, and EVAL needs nothing from it).
//! The cache scripts build the entry key from the generation inside Redis, which a single server
//! allows; this pool is not a cluster client.
//!
//! Timeouts are short so a down or stalled Redis fails fast: connecting and waiting for a pooled
//! connection take at most [`CONNECT_TIMEOUT`], a whole call at most [`CALL_TIMEOUT`]. What to do then
//! is the caller's choice (see [`FallbackLimiter`](super::FallbackLimiter)).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::redis::{AsyncConnectionConfig, Cmd, FromRedisValue, cmd};
use deadpool_redis::{Manager, Pool, Runtime};
use pharmarec_domain::DomainError;
use pharmarec_domain::error::BoxError;
use pharmarec_domain::ports::{HealthProbe, PoolStats, RateDecision, RateLimiter, ResponseCache};

use super::{DEPENDENCY, KvError, decide, expiry_millis};

/// Key prefix for production: every key this store writes starts with it.
pub const DEFAULT_KEY_PREFIX: &str = "pharmarec:";

/// Pool size. Connections are multiplexed, so a few carry many concurrent requests.
const POOL_MAX_SIZE: usize = 16;
/// Limit for opening a connection and for waiting on the pool.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(250);
/// Limit for one whole call: pool checkout plus the command's round trip.
const CALL_TIMEOUT: Duration = Duration::from_millis(500);

/// Counts a hit: `KEYS[1]` the counter, `ARGV[1]` the window in ms. Returns `{count, pttl}`.
///
/// The expiry is set when the counter has none, which is on the first hit of a window; checking
/// PTTL rather than `count == 1` also repairs a counter that somehow lost its expiry.
const HIT_SCRIPT: &str = r"
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
";

/// Reads an entry: `KEYS[1]` the generation, `ARGV[1]` the entry prefix, `ARGV[2]` the key.
const GET_SCRIPT: &str = r"
local gen = redis.call('GET', KEYS[1]) or '0'
return redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])
";

/// Writes an entry: as [`GET_SCRIPT`], plus `ARGV[3]` the value and `ARGV[4]` the TTL in ms.
const PUT_SCRIPT: &str = r"
local gen = redis.call('GET', KEYS[1]) or '0'
redis.call('SET', ARGV[1] .. gen .. ':' .. ARGV[2], ARGV[3], 'PX', ARGV[4])
return 1
";

/// Rate limiter, response cache and health probe on one Redis connection pool.
///
/// Cheap to clone: clones share the pool. Creating it does not contact Redis; a down Redis shows up
/// as `DomainError::Unavailable { dependency: "redis", .. }` from each call, and deadpool opens fresh
/// connections once it is back.
#[derive(Debug, Clone)]
pub struct RedisStore {
    pool: Pool,
    prefix: Arc<str>,
}

impl RedisStore {
    /// A store for the Redis at `url` (`redis://[:password@]host[:port][/db]`) whose keys all start
    /// with `prefix` ([`DEFAULT_KEY_PREFIX`] in production, a unique one per test).
    ///
    /// # Errors
    ///
    /// [`KvError::InvalidUrl`] when `url` does not parse, [`KvError::Pool`] when the pool cannot be
    /// built. An unreachable server is not an error here.
    pub fn connect(url: &str, prefix: &str) -> Result<Self, KvError> {
        let connection = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT));
        let manager = Manager::new_with_config(url, connection).map_err(KvError::InvalidUrl)?;
        let pool = Pool::builder(manager)
            .max_size(POOL_MAX_SIZE)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(KvError::Pool)?;
        Ok(Self {
            pool,
            prefix: prefix.into(),
        })
    }

    /// Runs `command` on a pooled connection, all within [`CALL_TIMEOUT`].
    async fn query<T: FromRedisValue>(&self, command: &Cmd) -> Result<T, DomainError> {
        let call = async {
            let mut connection = self.pool.get().await.map_err(unavailable)?;
            command
                .query_async::<T>(&mut connection)
                .await
                .map_err(unavailable)
        };
        tokio::time::timeout(CALL_TIMEOUT, call)
            .await
            .map_err(unavailable)?
    }

    /// The key of the cache generation counter.
    fn generation_key(&self) -> String {
        format!("{}cache:gen", self.prefix)
    }

    /// An EVAL of a cache script with its generation key and entry prefix filled in.
    fn cache_script(&self, script: &str, key: &str) -> Cmd {
        let mut command = cmd("EVAL");
        command
            .arg(script)
            .arg(1)
            .arg(self.generation_key())
            .arg(format!("{}cache:", self.prefix))
            .arg(key);
        command
    }
}

fn unavailable(error: impl Into<BoxError>) -> DomainError {
    DomainError::unavailable(DEPENDENCY, error)
}

#[async_trait]
impl RateLimiter for RedisStore {
    #[tracing::instrument(name = "redis.rate_limit", level = "debug", skip_all)]
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<RateDecision, DomainError> {
        let window_ms = expiry_millis(window);
        let mut command = cmd("EVAL");
        command
            .arg(HIT_SCRIPT)
            .arg(1)
            .arg(format!("{}rl:{window_ms}:{key}", self.prefix))
            .arg(window_ms);
        let (count, ttl_ms): (i64, i64) = self.query(&command).await?;
        let reset_after = Duration::from_millis(u64::try_from(ttl_ms).unwrap_or(0));
        Ok(decide(
            u64::try_from(count).unwrap_or(0),
            limit,
            reset_after,
        ))
    }
}

#[async_trait]
impl ResponseCache for RedisStore {
    #[tracing::instrument(name = "redis.cache_get", level = "debug", skip_all)]
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError> {
        self.query(&self.cache_script(GET_SCRIPT, key)).await
    }

    #[tracing::instrument(name = "redis.cache_put", level = "debug", skip_all)]
    async fn put(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), DomainError> {
        if ttl.is_zero() {
            return Ok(());
        }
        let mut command = self.cache_script(PUT_SCRIPT, key);
        command.arg(value).arg(expiry_millis(ttl));
        self.query::<i64>(&command).await.map(drop)
    }

    #[tracing::instrument(name = "redis.cache_invalidate", level = "debug", skip_all)]
    async fn invalidate(&self) -> Result<(), DomainError> {
        let mut command = cmd("INCR");
        command.arg(self.generation_key());
        self.query::<i64>(&command).await.map(drop)
    }
}

#[async_trait]
impl HealthProbe for RedisStore {
    fn name(&self) -> &'static str {
        DEPENDENCY
    }

    async fn ping(&self) -> Result<(), DomainError> {
        self.query::<String>(&cmd("PING")).await.map(drop)
    }

    fn pool_stats(&self) -> Option<PoolStats> {
        let status = self.pool.status();
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Some(PoolStats {
            connections: count(status.size),
            idle: count(status.available),
            max_size: count(status.max_size),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;
    use std::time::Instant;

    use super::*;

    /// A port nothing listens on (bound, then released).
    fn closed_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }

    #[test]
    fn connect_rejects_a_malformed_url_without_echoing_it() {
        let error = RedisStore::connect("http://user:secret@host", "t:").unwrap_err();
        assert!(matches!(error, KvError::InvalidUrl(_)), "{error:?}");
        assert!(!error.to_string().contains("secret"));
    }

    #[tokio::test]
    async fn a_down_server_fails_fast_as_unavailable() {
        let store = RedisStore::connect(&format!("redis://127.0.0.1:{}", closed_port()), "t:")
            .expect("creating the pool needs no server");

        let started = Instant::now();
        let ping = store.ping().await;
        let hit = store.hit("ip", 10, Duration::from_secs(60)).await;

        assert!(
            matches!(
                ping,
                Err(DomainError::Unavailable {
                    dependency: "redis",
                    ..
                })
            ),
            "{ping:?}"
        );
        assert!(
            matches!(hit, Err(DomainError::Unavailable { .. })),
            "{hit:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(store.name(), "redis");
        assert_eq!(store.pool_stats().map(|s| s.max_size), Some(16));
    }
}
