//! Observability for PharmaRec: the process-wide tracing subscriber (with optional OTLP span export)
//! and the Prometheus metrics registry.
//!
//! Policy: logs go through `tracing` only (human-readable in development, JSON when configured); metrics
//! live in one injected [`Metrics`] value that owns its own registry, never in a global one, so tests
//! create fresh instances. This crate knows nothing about HTTP frameworks, databases or the domain.

mod error;
mod http_series;
mod jobs;
mod metrics;
mod telemetry;

pub use error::ObservabilityError;
pub use jobs::JobMetrics;
pub use metrics::{CacheLookup, Metrics, PoolConnections};
pub use telemetry::{LogFormat, TelemetryGuard, init_tracing};
