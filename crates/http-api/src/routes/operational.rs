//! Operational endpoints outside `/api/v1`: health, readiness, version, diagnostics and metrics.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use futures_util::future::join_all;
use pharmarec_domain::DomainError;
use pharmarec_observability::PoolConnections;
use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};

use crate::auth::{AdminOnly, Authorized};
use crate::dto::{
    BuildDto, DependencyDto, DependencyState, DiagnosticsDto, HealthDto, PoolDto, ProcessDto,
    ReadinessDto, ReadinessStatus, VersionDto,
};
use crate::envelope::{self, Envelope, ErrorEnvelope};
use crate::error::ApiError;
use crate::routes::Endpoint;
use crate::state::AppState;

/// A probe slower than this counts as down, so a hung dependency cannot hang `/health` or `/ready`
/// (orchestrators probe with a 1 s timeout; a known-down database fails at once, see the repository).
const PROBE_TIMEOUT: Duration = Duration::from_millis(500);

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/health").get(health))
        .service(Endpoint::new("/ready").get(ready))
        .service(Endpoint::new("/version").get(version))
        .service(Endpoint::new("/diagnostics").get(diagnostics))
        .service(Endpoint::new("/metrics").get(metrics));
}

/// One probe's answer.
struct ProbeOutcome {
    name: &'static str,
    required: bool,
    result: Result<(), DomainError>,
}

impl ProbeOutcome {
    fn to_dto(&self) -> DependencyDto {
        DependencyDto {
            name: self.name,
            required: self.required,
            state: if self.result.is_ok() {
                DependencyState::Up
            } else {
                DependencyState::Down
            },
        }
    }
}

/// Pings the database (required) and every optional dependency concurrently.
async fn probe_all(state: &AppState) -> Vec<ProbeOutcome> {
    let probes = std::iter::once((Arc::clone(&state.database), true)).chain(
        state
            .optional_dependencies
            .iter()
            .map(|probe| (Arc::clone(probe), false)),
    );
    join_all(probes.map(|(probe, required)| async move {
        let result = match actix_web::rt::time::timeout(PROBE_TIMEOUT, probe.ping()).await {
            Ok(answer) => answer,
            Err(elapsed) => Err(DomainError::unavailable(probe.name(), elapsed)),
        };
        ProbeOutcome {
            name: probe.name(),
            required,
            result,
        }
    }))
    .await
}

/// The process is alive; reports each dependency's state without failing on it.
#[utoipa::path(
    get, path = "/health", tag = "operational",
    responses((status = 200, description = "The process runs", body = Envelope<HealthDto>))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn health(state: web::Data<AppState>) -> HttpResponse {
    let outcomes = probe_all(&state).await;
    envelope::ok(HealthDto {
        status: "ok",
        version: state.config.build.version.clone(),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        dependencies: outcomes.iter().map(ProbeOutcome::to_dto).collect(),
    })
}

/// Whether the service can take traffic: the database must answer; optional dependencies only degrade.
#[utoipa::path(
    get, path = "/ready", tag = "operational",
    responses(
        (status = 200, description = "Ready, or degraded when an optional dependency is down", body = Envelope<ReadinessDto>),
        (status = 503, description = "`dependency_unavailable`: the database does not answer", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let outcomes = probe_all(&state).await;
    let dependencies = outcomes.iter().map(ProbeOutcome::to_dto).collect();
    let degraded = outcomes.iter().any(|o| !o.required && o.result.is_err());
    if let Some(error) = outcomes
        .into_iter()
        .filter(|o| o.required)
        .find_map(|o| o.result.err())
    {
        return Err(ApiError::Unavailable(error));
    }
    let status = if degraded {
        ReadinessStatus::Degraded
    } else {
        ReadinessStatus::Ready
    };
    Ok(envelope::ok(ReadinessDto {
        status,
        dependencies,
    }))
}

/// Build facts of the running binary.
#[utoipa::path(
    get, path = "/version", tag = "operational",
    responses((status = 200, description = "Build facts", body = Envelope<VersionDto>))
)]
pub(crate) async fn version(state: web::Data<AppState>) -> HttpResponse {
    envelope::ok(VersionDto::from(&state.config.build))
}

/// Uptime, process resource use and pool figures; administrators only.
#[utoipa::path(
    get, path = "/diagnostics", tag = "operational",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Diagnostics", body = Envelope<DiagnosticsDto>),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn diagnostics(
    _admin: Authorized<AdminOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    // Reading /proc is blocking I/O: keep it off the async worker.
    let process = web::block(process_usage)
        .await
        .map_err(|error| ApiError::Internal(Box::new(error)))?;
    let pools = std::iter::once(&state.database)
        .chain(&state.optional_dependencies)
        .filter_map(|probe| {
            probe.pool_stats().map(|stats| PoolDto {
                name: probe.name(),
                connections: stats.connections,
                idle: stats.idle,
                max_size: stats.max_size,
            })
        })
        .collect();
    let build = &state.config.build;
    Ok(envelope::ok(DiagnosticsDto {
        uptime_seconds: state.started_at.elapsed().as_secs(),
        build: BuildDto {
            build_time: build.build_time.clone(),
            rustc: build.rustc.clone(),
        },
        process,
        pools,
    }))
}

fn process_usage() -> Option<ProcessDto> {
    let pid = sysinfo::get_current_pid().ok()?;
    let mut system = System::new().ok()?;
    system.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing().with_memory().with_cpu(),
    );
    let process = system.process(pid)?;
    Some(ProcessDto {
        pid: pid.as_u32(),
        memory_bytes: process.memory(),
        virtual_memory_bytes: process.virtual_memory(),
        cpu_time_ms: process.accumulated_cpu_time(),
    })
}

/// Prometheus metrics in the text exposition format; pool, catalogue and Redis-failure gauges are
/// refreshed at scrape time.
#[utoipa::path(
    get, path = "/metrics", tag = "operational",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String))
)]
pub(crate) async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if let Some(stats) = state.database.pool_stats() {
        state.metrics.set_pool_connections(PoolConnections {
            idle: stats.idle,
            active: stats.connections.saturating_sub(stats.idle),
            max: stats.max_size,
        });
    }
    if let Some(failures) = &state.redis_failures {
        state.metrics.set_redis_failures(failures());
    }
    // Read from the snapshot at scrape time, so the gauge follows every swap without the code that
    // swaps having to know about metrics.
    state.metrics.set_catalogue_version(
        state
            .knowledge
            .current()
            .knowledge_version()
            .catalogue_version,
    );
    let text = state
        .metrics
        .render()
        .map_err(|error| ApiError::Internal(Box::new(error)))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}
