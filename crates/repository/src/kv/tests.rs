//! Tests against real Redis servers.
//!
//! - The shared server at `REDIS_URL` (skipped, with a message, when unset). Each test uses its own
//!   key prefix and deletes its keys when done, even on failure; the server itself is never stopped.
//! - A private `redis-server` this module starts on a free port, stops mid-test and restarts, to
//!   show the fallback adapters ride out an outage (skipped when `redis-server` is not installed).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use deadpool_redis::redis::{Client, cmd};
use pharmarec_domain::ports::{HealthProbe, RateLimiter, ResponseCache};
use pharmarec_test_support::report_skip;

use super::{FallbackCache, FallbackLimiter, MemoryLimiter, RedisStore};

const MINUTE: Duration = Duration::from_secs(60);

/// The shared Redis URL, or `None` after saying the test is skipped.
fn redis_url() -> Option<String> {
    let url = std::env::var("REDIS_URL")
        .ok()
        .filter(|url| !url.is_empty());
    if url.is_none() {
        report_skip("Redis: REDIS_URL not set");
    }
    url
}

/// A unique key prefix on a Redis, whose keys are deleted on drop.
struct Namespace {
    url: String,
    prefix: String,
}

impl Namespace {
    fn new(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            prefix: format!("pharmarec-test:{}:", uuid::Uuid::new_v4()),
        }
    }

    fn store(&self) -> RedisStore {
        RedisStore::connect(&self.url, &self.prefix).unwrap()
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // Synchronous, so it also runs while a failed test unwinds. Errors are ignored: cleanup must
        // not hide the test's own failure, and every key but the generation counter expires anyway.
        let Ok(mut connection) = Client::open(self.url.as_str()).and_then(|c| c.get_connection())
        else {
            return;
        };
        let mut cursor = 0_u64;
        loop {
            let Ok((next, keys)) = cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(format!("{}*", self.prefix))
                .arg("COUNT")
                .arg(500)
                .query::<(u64, Vec<String>)>(&mut connection)
            else {
                return;
            };
            if !keys.is_empty() {
                let _ = cmd("DEL").arg(&keys).query::<i64>(&mut connection);
            }
            if next == 0 {
                return;
            }
            cursor = next;
        }
    }
}

#[tokio::test]
async fn two_stores_with_one_prefix_share_one_limit() {
    let Some(url) = redis_url() else { return };
    let ns = Namespace::new(&url);
    let (a, b) = (ns.store(), ns.store());

    let mut decisions = Vec::new();
    for store in [&a, &b, &a, &b] {
        decisions.push(store.hit("10.0.0.1", 3, MINUTE).await.unwrap());
    }
    let other_key = b.hit("10.0.0.2", 3, MINUTE).await.unwrap();

    let remaining: Vec<u32> = decisions.iter().map(|d| d.remaining).collect();
    let allowed: Vec<bool> = decisions.iter().map(|d| d.allowed).collect();
    assert_eq!(remaining, [2, 1, 0, 0]);
    assert_eq!(allowed, [true, true, true, false]);
    assert!(decisions.iter().all(|d| d.limit == 3));
    assert!(decisions[3].reset_after > Duration::ZERO && decisions[3].reset_after <= MINUTE);
    assert!(
        other_key.allowed && other_key.remaining == 2,
        "{other_key:?}"
    );
}

#[tokio::test]
async fn a_redis_window_resets_after_it_ends() {
    let Some(url) = redis_url() else { return };
    let ns = Namespace::new(&url);
    let store = ns.store();
    let window = Duration::from_millis(150);

    let first = store.hit("ip", 1, window).await.unwrap();
    let refused = store.hit("ip", 1, window).await.unwrap();
    tokio::time::sleep(window + Duration::from_millis(50)).await;
    let fresh = store.hit("ip", 1, window).await.unwrap();

    assert!(first.allowed);
    assert!(!refused.allowed);
    assert!(fresh.allowed, "{fresh:?}");
}

#[tokio::test]
async fn invalidate_on_one_store_hides_entries_from_the_other() {
    let Some(url) = redis_url() else { return };
    let ns = Namespace::new(&url);
    let (a, b) = (ns.store(), ns.store());
    a.put("medicine:1", b"v1".to_vec(), MINUTE).await.unwrap();
    let shared = b.get("medicine:1").await.unwrap();

    b.invalidate().await.unwrap();
    let after_invalidate = a.get("medicine:1").await.unwrap();
    a.put("medicine:1", b"v2".to_vec(), MINUTE).await.unwrap();
    let refreshed = b.get("medicine:1").await.unwrap();

    assert_eq!(shared.as_deref(), Some(&b"v1"[..]));
    assert_eq!(after_invalidate, None);
    assert_eq!(refreshed.as_deref(), Some(&b"v2"[..]));
}

#[tokio::test]
async fn redis_cache_entries_expire_and_binary_values_round_trip() {
    let Some(url) = redis_url() else { return };
    let ns = Namespace::new(&url);
    let store = ns.store();
    let binary: Vec<u8> = (0..=255).collect();
    store
        .put("short", b"v".to_vec(), Duration::from_millis(100))
        .await
        .unwrap();
    store.put("bytes", binary.clone(), MINUTE).await.unwrap();

    tokio::time::sleep(Duration::from_millis(150)).await;

    assert_eq!(store.get("short").await.unwrap(), None);
    assert_eq!(store.get("bytes").await.unwrap(), Some(binary));
    assert_eq!(store.get("never-put").await.unwrap(), None);
}

#[tokio::test]
async fn stores_with_different_prefixes_share_nothing() {
    let Some(url) = redis_url() else { return };
    let (ns_a, ns_b) = (Namespace::new(&url), Namespace::new(&url));
    let (a, b) = (ns_a.store(), ns_b.store());
    a.put("k", b"v".to_vec(), MINUTE).await.unwrap();
    a.hit("ip", 1, MINUTE).await.unwrap();

    assert_eq!(b.get("k").await.unwrap(), None);
    assert!(b.hit("ip", 1, MINUTE).await.unwrap().allowed);
}

#[tokio::test]
async fn health_probe_pings_and_reports_the_pool() {
    let Some(url) = redis_url() else { return };
    let ns = Namespace::new(&url);
    let store = ns.store();

    store.ping().await.unwrap();
    let stats = store.pool_stats().unwrap();

    assert_eq!(store.name(), "redis");
    assert!(
        stats.connections >= 1 && stats.connections <= stats.max_size,
        "{stats:?}"
    );
    assert!(stats.idle <= stats.connections, "{stats:?}");
}

/// A private `redis-server` child process, killed on drop.
struct RedisServer {
    child: Child,
}

impl RedisServer {
    /// Starts `redis-server` on `port` without persistence and waits until it answers PING.
    fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn redis-server");
        let server = Self { child };
        let client = Client::open(format!("redis://127.0.0.1:{port}")).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let pong = client
                .get_connection()
                .and_then(|mut c| cmd("PING").query::<String>(&mut c));
            if pong.is_ok() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server on {port} not ready"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redis_server_installed() -> bool {
    let installed = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !installed {
        report_skip("Redis outage test: redis-server not installed");
    }
    installed
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn fallback_rides_out_a_redis_outage_and_recovers() {
    if !redis_server_installed() {
        return;
    }
    let port = free_port();
    let server = RedisServer::start(port);
    let url = format!("redis://127.0.0.1:{port}");
    let direct = RedisStore::connect(&url, "pharmarec-test:").unwrap();
    let pause = Duration::from_millis(100);
    let limiter =
        FallbackLimiter::new(direct.clone(), MemoryLimiter::default()).with_retry_after(pause);
    let cache = FallbackCache::new(direct.clone()).with_retry_after(pause);

    // Up: both adapters go through Redis, seen by a second client of the same server.
    assert_eq!(limiter.hit("ip", 5, MINUTE).await.unwrap().remaining, 4);
    assert_eq!(direct.hit("ip", 5, MINUTE).await.unwrap().remaining, 3);
    cache.put("k", b"v".to_vec(), MINUTE).await.unwrap();
    assert_eq!(direct.get("k").await.unwrap().as_deref(), Some(&b"v"[..]));
    assert_eq!((limiter.failures(), cache.failures()), (0, 0));

    // Down: answers keep coming, from the local limiter and without the cache.
    drop(server);
    let started = Instant::now();
    let mut remaining = Vec::new();
    for _ in 0..3 {
        remaining.push(limiter.hit("ip", 5, MINUTE).await.unwrap().remaining);
    }
    let during_outage = cache.get("k").await.unwrap();
    cache.put("k", b"new".to_vec(), MINUTE).await.unwrap();
    cache.invalidate().await.unwrap();
    let outage_calls_took = started.elapsed();

    assert_eq!(remaining, [4, 3, 2], "a fresh local window");
    assert_eq!(during_outage, None);
    assert!(limiter.failures() >= 1 && cache.failures() >= 1);
    assert!(
        outage_calls_took < Duration::from_secs(1),
        "{outage_calls_took:?}"
    );

    // Back: an entry that predates the invalidation made during the outage...
    let _server = RedisServer::start(port);
    direct.put("stale", b"old".to_vec(), MINUTE).await.unwrap();
    tokio::time::sleep(pause + Duration::from_millis(50)).await;
    let failures = (limiter.failures(), cache.failures());

    // ...is hidden, because the pending invalidation is replayed first; then Redis is used again.
    assert_eq!(cache.get("stale").await.unwrap(), None);
    assert_eq!(direct.get("stale").await.unwrap(), None);
    cache.put("k2", b"v2".to_vec(), MINUTE).await.unwrap();
    assert_eq!(direct.get("k2").await.unwrap().as_deref(), Some(&b"v2"[..]));
    assert_eq!(cache.get("k2").await.unwrap().as_deref(), Some(&b"v2"[..]));
    assert_eq!(limiter.hit("ip", 5, MINUTE).await.unwrap().remaining, 4);
    assert_eq!(direct.hit("ip", 5, MINUTE).await.unwrap().remaining, 3);
    assert_eq!((limiter.failures(), cache.failures()), failures);
}
