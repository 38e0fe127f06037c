//! The global tracing subscriber: an `EnvFilter` plus a human or JSON formatting layer.

use serde::Deserialize;
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

use crate::ObservabilityError;

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

/// Installs the global subscriber, filtering with `filter` unless `RUST_LOG` is set and valid.
///
/// # Errors
/// [`ObservabilityError::InvalidFilter`] when `filter` is not valid `EnvFilter` syntax, and
/// [`ObservabilityError::AlreadyInitialised`] when a global subscriber is already installed (a second
/// call fails instead of panicking).
///
/// # Implementation Notes
/// `filter` is validated even when `RUST_LOG` overrides it, so a broken configuration file is reported
/// on every machine, not only where the variable happens to be unset. The JSON layer flattens events and
/// lists the current spans, which is how the request id of the HTTP root span reaches every line.
pub fn init_tracing(format: LogFormat, filter: &str) -> Result<(), ObservabilityError> {
    let configured =
        EnvFilter::try_new(filter).map_err(|source| ObservabilityError::InvalidFilter {
            filter: filter.to_owned(),
            source,
        })?;
    let env_filter = EnvFilter::try_from_default_env().unwrap_or(configured);
    let registry = tracing_subscriber::registry().with(env_filter);
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
    installed.map_err(ObservabilityError::AlreadyInitialised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_filter_is_an_error_not_a_panic() {
        let result = init_tracing(LogFormat::Human, "info,=[");

        assert!(matches!(
            result,
            Err(ObservabilityError::InvalidFilter { .. })
        ));
    }

    #[test]
    fn second_initialisation_is_an_error() {
        // Both calls run in this one test: the global subscriber cannot be reset between tests.
        let first = init_tracing(LogFormat::Json, "warn");
        let second = init_tracing(LogFormat::Human, "warn");

        assert!(first.is_ok());
        assert!(matches!(
            second,
            Err(ObservabilityError::AlreadyInitialised(_))
        ));
    }

    #[test]
    fn log_format_reads_from_configuration_text() {
        let format: LogFormat = serde_json::from_str("\"json\"").unwrap();

        assert_eq!(format, LogFormat::Json);
    }
}
