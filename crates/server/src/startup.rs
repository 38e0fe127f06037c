//! Builds the running application from [`Settings`]: database, catalogue, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::HttpServer;
use actix_web::dev::Server;
use anyhow::Context;
use pharmarec_domain::ports::{KnowledgeStore, NoProgress};
use pharmarec_http_api::{
    ApiConfig, AppState, AuthConfig, BuildInfo, CacheConfig, RateLimitConfig,
};
use pharmarec_observability::Metrics;
use pharmarec_recommendation::KnowledgeHandle;
use pharmarec_repository::Database;
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;

use crate::dataset::EmbeddedDataset;
use crate::knowledge_refresh::{import_dataset, keep_fresh, load_snapshot};
use crate::redis_adapters::RedisAdapters;
use crate::refreshing_imports::RefreshingImports;
use crate::settings::{Environment, Settings};
use crate::snapshot_backed_medicines::SnapshotBackedMedicines;
use crate::{database, jobs};

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    refresher: JoinHandle<()>,
    jobs: Option<jobs::Scheduler>,
    database: Arc<Database>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // actix's Server handle has no Debug; the port is what identifies a running app.
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Opens the database (migrating and importing the embedded catalogue into an empty one when
    /// configured), wires the ports into the HTTP app and binds the listener.
    ///
    /// # Errors
    /// The database cannot be opened, the first import fails, or the address cannot be bound.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = Arc::new(
            database::open_retrying(&settings.database, settings.database.auto_migrate).await?,
        );
        let built = Self::wire(settings, db.clone()).await;
        if built.is_err() {
            // The process is about to exit: let r2d2's background connects finish first (issue 10).
            db.close().await;
        }
        built
    }

    async fn wire(settings: Settings, db: Arc<Database>) -> anyhow::Result<Self> {
        if settings.database.auto_import && db.is_empty().await? {
            tracing::info!("empty database: importing the embedded catalogue");
            let report = import_dataset(db.as_ref(), EmbeddedDataset, &NoProgress).await?;
            tracing::info!(
                catalogue_version = report.catalogue_version,
                "catalogue imported"
            );
        }
        let engine = Arc::new(KnowledgeHandle::new(load_snapshot(db.as_ref()).await?));
        let refresher = actix_web::rt::spawn(keep_fresh(
            db.clone(),
            engine.clone(),
            Duration::from_secs(settings.catalogue.refresh_interval_secs),
        ));
        let shared = RedisAdapters::from_settings(&settings.redis, settings.cache.max_bytes)?;
        let metrics = Arc::new(Metrics::new().context("cannot create the metrics registry")?);
        let jobs = jobs::start(&settings, &db, metrics.clone());
        let state = AppState {
            medicines: Arc::new(SnapshotBackedMedicines::new(
                db.clone(),
                db.clone(),
                engine.clone(),
            )),
            pharmacies: db.clone(),
            stock: db.clone(),
            users: db.clone(),
            refresh_tokens: db.clone(),
            audit: db.clone(),
            imports: Arc::new(RefreshingImports::new(
                db.clone(),
                db.clone(),
                engine.clone(),
            )),
            database: db.clone(),
            optional_dependencies: shared.redis_probe.into_iter().collect(),
            knowledge: engine,
            rate_limiter: shared.limiter,
            cache: shared.cache,
            cache_admission: Arc::default(),
            redis_failures: shared.redis_failures,
            metrics,
            config: Arc::new(api_config(&settings)?),
            started_at: Instant::now(),
        };
        let listener = TcpListener::bind(settings.server.bind)
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let port = listener.local_addr()?.port();
        let interop =
            pharmarec_interop::InteropState::new(&settings.interop.config(&settings.redis))?;
        let console =
            pharmarec_web::ConsoleConfig::new(settings.environment == Environment::Production);
        let mut server = HttpServer::new(move || {
            let console = console.clone();
            pharmarec_http_api::app(state.clone())
                .configure(pharmarec_interop::configure(interop.clone()))
                .configure(|cfg| pharmarec_web::configure(cfg, console))
        })
            .listen(listener)?
            // actix-web stops accepting on SIGTERM/SIGINT and drains in-flight requests for this long.
            .shutdown_timeout(settings.server.shutdown_timeout_secs);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        if settings.server.max_blocking_threads > 0 {
            server = server.worker_max_blocking_threads(settings.server.max_blocking_threads);
        }
        Ok(Self {
            port,
            server: server.run(),
            refresher,
            jobs,
            database: db,
        })
    }

    /// The bound port (useful with port 0 in tests).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM/SIGINT, then shuts down gracefully: in-flight requests finish, then the
    /// database stops opening connections before the process exits (issue 10).
    ///
    /// # Errors
    /// The server failed while running.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.refresher.abort();
        drop(self.jobs);
        self.database.close().await;
        served
    }
}

/// The HTTP layer's configuration from the settings.
fn api_config(settings: &Settings) -> anyhow::Result<ApiConfig> {
    let signing_key = match settings.auth.signing_key()? {
        Some(key) => key.expose_secret().as_bytes().to_vec(),
        // Settings validation already refused production without a key.
        None => {
            debug_assert_ne!(settings.environment, Environment::Production);
            tracing::warn!(
                "no auth.jwt_secret set: using a random signing key; tokens will not survive a restart"
            );
            random_signing_key()
        }
    };
    let limits = &settings.rate_limit;
    Ok(ApiConfig {
        cors_allowed_origins: settings.http.cors_allowed_origins.clone(),
        max_body_bytes: settings.http.max_body_bytes,
        build: build_info(),
        auth: AuthConfig {
            signing_key,
            access_token_ttl: Duration::from_secs(settings.auth.access_token_ttl_secs),
            refresh_token_ttl: Duration::from_secs(settings.auth.refresh_token_ttl_secs),
            bcrypt_cost: settings.auth.bcrypt_cost,
            reads_require_auth: settings.auth.reads_require_auth,
        },
        rate_limit: RateLimitConfig {
            requests_per_minute: limits.requests_per_minute,
            per_route: limits.per_route.clone(),
            trusted_proxies: limits.trusted_proxies.clone(),
            login_attempts_per_minute_per_account: limits.login_attempts_per_minute_per_account,
            login_attempts_per_minute_per_ip: limits.login_attempts_per_minute_per_ip,
        },
        cache: CacheConfig {
            ttl: Duration::from_secs(settings.cache.ttl_secs),
        },
    })
}

/// Random bits from the OS (two v4 UUIDs), for a development instance without a configured key.
fn random_signing_key() -> Vec<u8> {
    // Two v4 UUIDs are 244 random bits from the OS generator; enough for an ephemeral dev key.
    let mut key = uuid::Uuid::new_v4().as_bytes().to_vec();
    key.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    key
}

/// Facts recorded by `build.rs`.
pub fn build_info() -> BuildInfo {
    BuildInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: env!("BUILD_INFO_GIT_COMMIT").to_string(),
        build_time: env!("BUILD_INFO_TIME").to_string(),
        rustc: env!("BUILD_INFO_RUSTC").to_string(),
    }
}
