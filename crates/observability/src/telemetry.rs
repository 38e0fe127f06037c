//! The global tracing subscriber: an `EnvFilter`, a human or JSON formatting layer, and, when an
//! endpoint is configured, an OpenTelemetry layer exporting spans over OTLP/HTTP.
//!
//! Policy: what is exported is exactly what is logged, since both layers sit under the same filter:
//! spans carry only the fields their `#[instrument(skip_all, fields(…))]` opts in (ids, routes,
//! statuses, error messages), never a request body, so no patient data leaves the process.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use serde::Deserialize;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

use crate::ObservabilityError;

/// The `service.name` spans are exported under.
const SERVICE_NAME: &str = "pharmarec";

/// How log lines are written to standard output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// Multi-field, coloured text for a developer's terminal.
    #[default]
    Human,
    /// One JSON object per line, with the fields of every enclosing span, for log shippers.
    Json,
}

/// Keeps the span exporter running; dropping it exports what is still buffered and stops it.
#[derive(Debug, Default)]
#[must_use = "dropping the guard stops the trace export"]
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl TelemetryGuard {
    /// Exports every finished span now instead of at the next batch (tests, shutdown).
    ///
    /// # Errors
    /// [`ObservabilityError::Export`] when the endpoint does not accept the batch.
    pub fn force_flush(&self) -> Result<(), ObservabilityError> {
        match &self.provider {
            Some(provider) => provider
                .force_flush()
                .map_err(|e| ObservabilityError::Export(e.into())),
            None => Ok(()),
        }
    }
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(error) = provider.shutdown()
        {
            tracing::warn!(%error, "trace export did not shut down cleanly");
        }
    }
}

/// A tracer provider batching spans to `{endpoint}/v1/traces` as OTLP/HTTP protobuf.
///
/// # Implementation Notes
/// The batch processor exports from its own thread with a blocking client, so the export needs no
/// async runtime and never runs on an actix worker.
fn otlp_provider(endpoint: &str) -> Result<SdkTracerProvider, ObservabilityError> {
    let exporter = SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .build()
        .map_err(|e| ObservabilityError::Export(e.into()))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name(SERVICE_NAME).build())
        .build())
}

/// Installs the global subscriber, filtering with `filter` unless `RUST_LOG` is set and valid, and
/// exporting spans to `otlp_endpoint` (an OTLP/HTTP base URL such as `http://collector:4318`) when set.
///
/// # Errors
/// [`ObservabilityError::InvalidFilter`] when `filter` is not valid `EnvFilter` syntax,
/// [`ObservabilityError::Export`] when the exporter cannot be built (e.g. an invalid URL), and
/// [`ObservabilityError::AlreadyInitialised`] when a global subscriber is already installed (a second
/// call fails instead of panicking).
///
/// # Implementation Notes
/// `filter` is validated even when `RUST_LOG` overrides it, so a broken configuration file is reported
/// on every machine, not only where the variable happens to be unset. The JSON layer flattens events and
/// lists the current spans, which is how the request id of the HTTP root span reaches every line.
pub fn init_tracing(
    format: LogFormat,
    filter: &str,
    otlp_endpoint: Option<&str>,
) -> Result<TelemetryGuard, ObservabilityError> {
    let configured =
        EnvFilter::try_new(filter).map_err(|source| ObservabilityError::InvalidFilter {
            filter: filter.to_owned(),
            source,
        })?;
    let env_filter = EnvFilter::try_from_default_env().unwrap_or(configured);
    let provider = otlp_endpoint.map(otlp_provider).transpose()?;
    let otel = provider
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer(SERVICE_NAME)));
    let registry = tracing_subscriber::registry().with(env_filter).with(otel);
    let installed = match format {
        LogFormat::Human => registry.with(fmt::layer()).try_init(),
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(true),
            )
            .try_init(),
    };
    installed.map_err(ObservabilityError::AlreadyInitialised)?;
    Ok(TelemetryGuard { provider })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_filter_is_an_error_not_a_panic() {
        let result = init_tracing(LogFormat::Human, "info,=[", None);

        assert!(matches!(
            result,
            Err(ObservabilityError::InvalidFilter { .. })
        ));
    }

    #[test]
    fn second_initialisation_is_an_error() {
        // Both calls run in this one test: the global subscriber cannot be reset between tests.
        let first = init_tracing(LogFormat::Json, "warn", None);
        let second = init_tracing(LogFormat::Human, "warn", None);

        assert!(first.is_ok());
        assert!(matches!(
            second,
            Err(ObservabilityError::AlreadyInitialised(_))
        ));
    }

    #[test]
    fn an_endpoint_that_is_no_url_is_an_error() {
        let result = otlp_provider("not a url");

        assert!(matches!(result, Err(ObservabilityError::Export(_))));
    }

    #[test]
    fn log_format_reads_from_configuration_text() {
        let format: LogFormat = serde_json::from_str("\"json\"").unwrap();

        assert_eq!(format, LogFormat::Json);
    }
}
