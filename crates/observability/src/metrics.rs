//! The Prometheus metrics of the service, owned by one [`Metrics`] value with its own registry.
//!
//! Rule of thumb: counters for things that happen (`*_total`), histograms for how long they take
//! (`*_seconds`), gauges for current levels that are refreshed when scraped. Labels take values from a
//! small, fixed set (route patterns, never raw paths), so the number of series stays bounded.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::ObservabilityError;
use crate::http_series::{self, Request};
use crate::jobs::JobMetrics;

/// Source of [`Metrics`] instance ids, which tell one instance's per-thread series from another's.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// What a response-cache lookup found, the `result` label of `pharmarec_cache_requests_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheLookup {
    /// A stored answer was served.
    Hit,
    /// Nothing stored: the handler ran.
    Miss,
    /// The cache failed; counted as neither, and the handler ran.
    Error,
}

/// Connection-pool levels for `pharmarec_db_pool_connections`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolConnections {
    /// Open connections not in use.
    pub idle: u32,
    /// Open connections in use.
    pub active: u32,
    /// Configured maximum.
    pub max: u32,
}

/// Every metric PharmaRec exports, registered in a registry owned by this value.
pub struct Metrics {
    id: u64,
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    pool_connections: IntGaugeVec,
    recommendations: IntCounterVec,
    recommendation_duration: Histogram,
    catalogue_version: IntGauge,
    /// The `hit`, `miss` and `error` children of `pharmarec_cache_requests_total`, resolved once.
    cache_lookups: [IntCounter; 3],
    redis_failures: IntGauge,
    password_verifications: IntCounter,
    jobs: JobMetrics,
}

impl Metrics {
    /// Creates the metrics and registers them in a fresh registry.
    ///
    /// # Errors
    /// [`ObservabilityError::Metrics`] if a metric definition is rejected (a bug in this crate).
    pub fn new() -> Result<Self, ObservabilityError> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new("pharmarec_http_requests_total", "HTTP requests served"),
            &["method", "route", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "pharmarec_http_request_duration_seconds",
                "Time to serve an HTTP request",
            ),
            &["method", "route"],
        )?;
        let pool_connections = IntGaugeVec::new(
            Opts::new(
                "pharmarec_db_pool_connections",
                "Database pool connections by state",
            ),
            &["state"],
        )?;
        let recommendations = IntCounterVec::new(
            Opts::new(
                "pharmarec_recommendations_total",
                "Recommendation requests by outcome",
            ),
            &["outcome"],
        )?;
        let recommendation_duration = Histogram::with_opts(HistogramOpts::new(
            "pharmarec_recommendation_duration_seconds",
            "Time to compute a recommendation",
        ))?;
        let catalogue_version = IntGauge::new(
            "pharmarec_catalogue_version",
            "Catalogue version currently served",
        )?;
        let cache_requests = IntCounterVec::new(
            Opts::new(
                "pharmarec_cache_requests_total",
                "Response cache lookups by result (hit, miss, error)",
            ),
            &["result"],
        )?;
        // A gauge set from the Redis adapter's own counter at scrape time; it only ever grows.
        let redis_failures = IntGauge::new(
            "pharmarec_redis_failures_total",
            "Redis operations that failed since start (served by the in-process fallback)",
        )?;
        let password_verifications = IntCounter::new(
            "pharmarec_password_verifications_total",
            "bcrypt verifications run by logins, including the dummy one for unknown e-mails",
        )?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(recommendations.clone()))?;
        registry.register(Box::new(recommendation_duration.clone()))?;
        registry.register(Box::new(catalogue_version.clone()))?;
        registry.register(Box::new(cache_requests.clone()))?;
        registry.register(Box::new(redis_failures.clone()))?;
        registry.register(Box::new(password_verifications.clone()))?;
        let jobs = JobMetrics::register(&registry)?;
        // Resolved up front, so all three series exist (at 0) from the first scrape.
        let cache_lookups =
            ["hit", "miss", "error"].map(|r| cache_requests.with_label_values(&[r]));
        Ok(Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            registry,
            http_requests,
            http_duration,
            pool_connections,
            recommendations,
            recommendation_duration,
            catalogue_version,
            cache_lookups,
            redis_failures,
            password_verifications,
            jobs,
        })
    }

    /// The scheduled tasks' metrics.
    pub fn jobs(&self) -> &JobMetrics {
        &self.jobs
    }

    /// Records one served HTTP request; `route` must be the matched route pattern, not the raw path.
    pub fn observe_http_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let request = Request {
            requests: &self.http_requests,
            duration: &self.http_duration,
            method,
            route,
            status,
        };
        http_series::record(self.id, &request, elapsed.as_secs_f64());
    }

    /// Sets the pool gauges; called at scrape time so they are never stale.
    pub fn set_pool_connections(&self, pool: PoolConnections) {
        for (state, value) in [
            ("idle", pool.idle),
            ("active", pool.active),
            ("max", pool.max),
        ] {
            self.pool_connections
                .with_label_values(&[state])
                .set(i64::from(value));
        }
    }

    /// Records one recommendation; `outcome` is one of a small fixed set chosen by the engine endpoints.
    pub fn observe_recommendation(&self, outcome: &str, elapsed: Duration) {
        self.recommendations.with_label_values(&[outcome]).inc();
        self.recommendation_duration.observe(elapsed.as_secs_f64());
    }

    /// Sets the catalogue version gauge.
    pub fn set_catalogue_version(&self, version: i64) {
        self.catalogue_version.set(version);
    }

    /// Records one response-cache lookup. The hit rate is `hit / (hit + miss)` of
    /// `pharmarec_cache_requests_total`.
    pub fn observe_cache_request(&self, result: CacheLookup) {
        let at = match result {
            CacheLookup::Hit => 0,
            CacheLookup::Miss => 1,
            CacheLookup::Error => 2,
        };
        self.cache_lookups[at].inc();
    }

    /// Sets the Redis failure count; called at scrape time from the adapter's counter.
    pub fn set_redis_failures(&self, failures: u64) {
        self.redis_failures
            .set(i64::try_from(failures).unwrap_or(i64::MAX));
    }

    /// Records one bcrypt password verification (login CPU load, and proof that unknown e-mails cost
    /// the same work).
    pub fn observe_password_verification(&self) {
        self.password_verifications.inc();
    }

    /// Renders every metric in the Prometheus text exposition format.
    ///
    /// # Errors
    /// [`ObservabilityError::Metrics`] if encoding fails.
    pub fn render(&self) -> Result<String, ObservabilityError> {
        Ok(TextEncoder::new().encode_to_string(&self.registry.gather())?)
    }
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The registry's contents are what `render` is for; Debug only names the type.
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_requests_are_counted_by_method_route_and_status() {
        let metrics = Metrics::new().unwrap();

        metrics.observe_http_request(
            "GET",
            "/api/v1/medicines/{id}",
            200,
            Duration::from_millis(3),
        );
        metrics.observe_http_request(
            "GET",
            "/api/v1/medicines/{id}",
            200,
            Duration::from_millis(5),
        );
        let text = metrics.render().unwrap();

        assert!(text.contains(
            r#"pharmarec_http_requests_total{method="GET",route="/api/v1/medicines/{id}",status="200"} 2"#
        ));
        assert!(text.contains(
            r#"pharmarec_http_request_duration_seconds_count{method="GET",route="/api/v1/medicines/{id}"} 2"#
        ));
    }

    #[test]
    fn http_series_of_two_instances_on_one_thread_stay_apart() {
        let first = Metrics::new().unwrap();
        let second = Metrics::new().unwrap();

        // Alternating on one thread: each instance must count into its own registry.
        for _ in 0..3 {
            first.observe_http_request("GET", "/version", 200, Duration::ZERO);
            second.observe_http_request("GET", "/version", 200, Duration::ZERO);
        }
        second.observe_http_request("GET", "/version", 404, Duration::ZERO);
        first.observe_http_request("POST", "/version", 200, Duration::ZERO);

        let (first, second) = (first.render().unwrap(), second.render().unwrap());
        assert!(first.contains(
            r#"pharmarec_http_requests_total{method="GET",route="/version",status="200"} 3"#
        ));
        assert!(first.contains(
            r#"pharmarec_http_requests_total{method="POST",route="/version",status="200"} 1"#
        ));
        assert!(!first.contains(r#"status="404""#));
        assert!(second.contains(
            r#"pharmarec_http_requests_total{method="GET",route="/version",status="200"} 3"#
        ));
        assert!(second.contains(
            r#"pharmarec_http_requests_total{method="GET",route="/version",status="404"} 1"#
        ));
        assert!(second.contains(
            r#"pharmarec_http_request_duration_seconds_count{method="GET",route="/version"} 4"#
        ));
    }

    #[test]
    fn pool_gauges_show_idle_active_and_max() {
        let metrics = Metrics::new().unwrap();

        metrics.set_pool_connections(PoolConnections {
            idle: 3,
            active: 2,
            max: 10,
        });
        let text = metrics.render().unwrap();

        assert!(text.contains(r#"pharmarec_db_pool_connections{state="idle"} 3"#));
        assert!(text.contains(r#"pharmarec_db_pool_connections{state="active"} 2"#));
        assert!(text.contains(r#"pharmarec_db_pool_connections{state="max"} 10"#));
    }

    #[test]
    fn recommendations_and_catalogue_version_are_exported() {
        let metrics = Metrics::new().unwrap();

        metrics.observe_recommendation("ok", Duration::from_millis(12));
        metrics.set_catalogue_version(42);
        let text = metrics.render().unwrap();

        assert!(text.contains(r#"pharmarec_recommendations_total{outcome="ok"} 1"#));
        assert!(text.contains("pharmarec_recommendation_duration_seconds_count 1"));
        assert!(text.contains("pharmarec_catalogue_version 42"));
    }

    #[test]
    fn separate_instances_do_not_share_counts() {
        let first = Metrics::new().unwrap();
        let second = Metrics::new().unwrap();

        first.observe_http_request("GET", "/health", 200, Duration::ZERO);

        assert!(!second.render().unwrap().contains("/health"));
    }

    #[test]
    fn cache_results_redis_failures_and_verifications_are_exported() {
        let metrics = Metrics::new().unwrap();

        metrics.observe_cache_request(CacheLookup::Hit);
        metrics.observe_cache_request(CacheLookup::Miss);
        metrics.observe_cache_request(CacheLookup::Hit);
        metrics.set_redis_failures(7);
        metrics.observe_password_verification();
        let text = metrics.render().unwrap();

        assert!(text.contains(r#"pharmarec_cache_requests_total{result="hit"} 2"#));
        assert!(text.contains(r#"pharmarec_cache_requests_total{result="miss"} 1"#));
        assert!(text.contains(r#"pharmarec_cache_requests_total{result="error"} 0"#));
        assert!(text.contains("pharmarec_redis_failures_total 7"));
        assert!(text.contains("pharmarec_password_verifications_total 1"));
    }
}
