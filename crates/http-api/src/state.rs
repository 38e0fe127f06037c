//! What every handler can reach: the ports, the engine, metrics and configuration, cloned into each
//! worker.

use std::sync::Arc;
use std::time::Instant;

use pharmarec_domain::ports::{
    AuditLog, HealthProbe, KnowledgeImports, MedicineRepository, PharmacyRepository, RateLimiter,
    RefreshTokenStore, ResponseCache, StockRepository, UserRepository,
};
use pharmarec_observability::Metrics;
use pharmarec_recommendation::KnowledgeHandle;

use crate::config::{AuthConfig, CacheConfig, RateLimitConfig};
use crate::middleware::CacheAdmission;

/// Facts about the running build, shown by `GET /version`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildInfo {
    /// Package version, e.g. `0.1.0`.
    pub version: String,
    /// Commit the binary was built from.
    pub git_commit: String,
    /// When it was built (RFC 3339).
    pub build_time: String,
    /// Compiler version used.
    pub rustc: String,
}

/// HTTP settings the server passes in from its configuration.
///
/// No `Default`: a zero body limit would refuse every body, so the server sets each field explicitly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// Origins allowed to call the API from a browser (`https://pharmacy.example`); empty allows none.
    pub cors_allowed_origins: Vec<String>,
    /// Largest accepted request body in bytes; larger bodies get `413 payload_too_large`.
    pub max_body_bytes: usize,
    /// Build facts for `/version` and `/health`.
    pub build: BuildInfo,
    /// Tokens, password hashing and whether reads need a token.
    pub auth: AuthConfig,
    /// Request and login rate limits, and the trusted proxies.
    pub rate_limit: RateLimitConfig,
    /// The response cache.
    pub cache: CacheConfig,
}

/// The shared state of the application: ports, the engine, metrics and configuration.
#[derive(Clone)]
pub struct AppState {
    /// Medicines, ingredients and conditions.
    pub medicines: Arc<dyn MedicineRepository>,
    /// Pharmacies.
    pub pharmacies: Arc<dyn PharmacyRepository>,
    /// Stock levels and prices.
    pub stock: Arc<dyn StockRepository>,
    /// Users and their pharmacy memberships.
    pub users: Arc<dyn UserRepository>,
    /// Hashed refresh tokens.
    pub refresh_tokens: Arc<dyn RefreshTokenStore>,
    /// Imports of a pharmacy's catalogue and of licensed interaction knowledge.
    pub imports: Arc<dyn KnowledgeImports>,
    /// The audit trail, read-only.
    pub audit: Arc<dyn AuditLog>,
    /// Request and login rate limiting (Redis-backed with an in-process fallback, wired by the server).
    /// An error from it lets the request through.
    pub rate_limiter: Arc<dyn RateLimiter>,
    /// The response cache for hot reads. An error from it is a miss.
    pub cache: Arc<dyn ResponseCache>,
    /// Which cache keys were seen recently: an answer is stored from its second sighting on. One per
    /// process, shared by the workers.
    pub cache_admission: Arc<CacheAdmission>,
    /// How many Redis operations have failed so far, exported at `/metrics` as
    /// `pharmarec_redis_failures_total`; `None` without Redis.
    pub redis_failures: Option<Arc<dyn Fn() -> u64 + Send + Sync>>,
    /// The recommendation engine's current knowledge snapshot, replaced atomically when the catalogue
    /// changes. Handlers call `current()` once per request and answer from that one snapshot, so an
    /// answer never mixes two catalogue versions.
    pub knowledge: Arc<KnowledgeHandle>,
    /// The database: `/ready` fails when it does not answer; its pool feeds metrics and diagnostics.
    pub database: Arc<dyn HealthProbe>,
    /// Dependencies the service can run without (Redis later): when down, `/ready` says `degraded`.
    pub optional_dependencies: Vec<Arc<dyn HealthProbe>>,
    /// Metrics registry, rendered by `/metrics`.
    pub metrics: Arc<Metrics>,
    /// HTTP configuration.
    pub config: Arc<ApiConfig>,
    /// When the process started, for uptime.
    pub started_at: Instant,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The ports are trait objects without Debug; the configuration is what is worth seeing.
        f.debug_struct("AppState")
            .field("config", &self.config)
            .field("started_at", &self.started_at)
            .finish_non_exhaustive()
    }
}
