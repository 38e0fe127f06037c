//! Operational views: health, readiness, version and diagnostics.

use serde::Serialize;
use utoipa::ToSchema;

use crate::state::BuildInfo;

/// Whether a dependency answered its probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DependencyState {
    /// It answered in time.
    Up,
    /// It failed or timed out.
    Down,
}

/// One dependency and its state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DependencyDto {
    /// Name (`database`, `redis`).
    pub(crate) name: &'static str,
    /// Whether the service needs it to be ready.
    pub(crate) required: bool,
    /// Its state.
    pub(crate) state: DependencyState,
}

/// Body of `GET /health`: the process runs.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HealthDto {
    /// Always `ok` while the process answers.
    pub(crate) status: &'static str,
    /// Package version.
    pub(crate) version: String,
    /// Seconds since start.
    pub(crate) uptime_seconds: u64,
    /// Every dependency's state.
    pub(crate) dependencies: Vec<DependencyDto>,
}

/// Overall readiness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReadinessStatus {
    /// Every dependency is up.
    Ready,
    /// Required dependencies are up, an optional one is down.
    Degraded,
}

/// Body of `GET /ready` when the service can take traffic.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReadinessDto {
    /// `ready` or `degraded`.
    pub(crate) status: ReadinessStatus,
    /// Every dependency's state.
    pub(crate) dependencies: Vec<DependencyDto>,
}

/// Body of `GET /version`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VersionDto {
    /// Package version.
    version: String,
    /// Commit built from (public on purpose: operators and clients check which build answers, and
    /// the commit of this open-source service reveals nothing the source does not).
    git_commit: String,
}

impl From<&BuildInfo> for VersionDto {
    fn from(build: &BuildInfo) -> Self {
        Self {
            version: build.version.clone(),
            git_commit: build.git_commit.clone(),
        }
    }
}

/// The toolchain facts an administrator needs and an anonymous caller does not (compiler and build
/// time narrow down which known issues a build has).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct BuildDto {
    /// Build time.
    pub(crate) build_time: String,
    /// Compiler version.
    pub(crate) rustc: String,
}

/// Body of `GET /diagnostics`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DiagnosticsDto {
    /// Seconds since start.
    pub(crate) uptime_seconds: u64,
    /// Toolchain and build time.
    pub(crate) build: BuildDto,
    /// This process's resource use, when the platform reports it.
    pub(crate) process: Option<ProcessDto>,
    /// Connection pools of pooled dependencies.
    pub(crate) pools: Vec<PoolDto>,
}

/// Resource use of the server process.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProcessDto {
    /// Process id.
    pub(crate) pid: u32,
    /// Resident memory in bytes.
    pub(crate) memory_bytes: u64,
    /// Virtual memory in bytes.
    pub(crate) virtual_memory_bytes: u64,
    /// CPU time used since start, in milliseconds (all cores).
    pub(crate) cpu_time_ms: u64,
}

/// Connection-pool figures of one dependency.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PoolDto {
    /// Dependency name.
    pub(crate) name: &'static str,
    /// Open connections.
    pub(crate) connections: u32,
    /// Idle connections.
    pub(crate) idle: u32,
    /// Configured maximum.
    pub(crate) max_size: u32,
}
