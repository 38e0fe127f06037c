//! Builds the running application from [`Settings`]: database, catalogue, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::HttpServer;
use actix_web::dev::Server;
use anyhow::Context;
use pharmarec_domain::ports::{KnowledgeStore, NoProgress};
use pharmarec_http_api::{ApiConfig, AppState, BuildInfo};
use pharmarec_observability::Metrics;

use crate::catalogue::import_dataset;
use crate::database;
use crate::dataset::EmbeddedDataset;
use crate::settings::Settings;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
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
        let db =
            Arc::new(database::open(&settings.database, settings.database.auto_migrate).await?);
        if settings.database.auto_import && db.is_empty().await? {
            tracing::info!("empty database: importing the embedded catalogue");
            let report = import_dataset(db.as_ref(), EmbeddedDataset, &NoProgress).await?;
            tracing::info!(
                catalogue_version = report.catalogue_version,
                "catalogue imported"
            );
        }
        let metrics = Arc::new(Metrics::new().context("cannot create the metrics registry")?);
        let state = AppState {
            catalogue: db.clone(),
            pharmacies: db.clone(),
            stock: db.clone(),
            database: db,
            optional_dependencies: Vec::new(),
            metrics,
            config: Arc::new(ApiConfig {
                cors_allowed_origins: settings.http.cors_allowed_origins.clone(),
                max_body_bytes: settings.http.max_body_bytes,
                build: build_info(),
            }),
            started_at: Instant::now(),
        };
        let listener = TcpListener::bind(settings.server.bind)
            .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
        let port = listener.local_addr()?.port();
        let mut server = HttpServer::new(move || pharmarec_http_api::app(state.clone()))
            .listen(listener)?
            // actix-web stops accepting on SIGTERM/SIGINT and drains in-flight requests for this long.
            .shutdown_timeout(settings.server.shutdown_timeout_secs);
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        Ok(Self {
            port,
            server: server.run(),
        })
    }

    /// The bound port (useful with port 0 in tests).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM/SIGINT, then shuts down gracefully.
    ///
    /// # Errors
    /// The server failed while running.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Facts recorded by `build.rs`.
pub fn build_info() -> BuildInfo {
    BuildInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit: env!("PHARMAREC_GIT_COMMIT").to_string(),
        build_time: env!("PHARMAREC_BUILD_TIME").to_string(),
        rustc: env!("PHARMAREC_RUSTC").to_string(),
    }
}
