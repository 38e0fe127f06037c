//! `[log]`, `[jobs]` and `[telemetry]`: logging, the scheduled tasks and the optional OTLP trace
//! export.

use serde::Deserialize;

use super::{SettingsError, rule};

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `human` or `json`.
    pub format: LogFormatSetting,
    /// `tracing` env-filter directives.
    pub filter: String,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormatSetting {
    /// Readable lines.
    Human,
    /// One JSON object per line.
    Json,
}

/// `[jobs]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsSettings {
    /// Run the scheduled tasks in this instance (one instance at a time runs them anyway).
    pub enabled: bool,
    /// Seconds between checks of the scheduler lock; a standby takes over within this.
    pub poll_interval_secs: u64,
    /// Seconds between deletions of expired refresh tokens.
    pub refresh_token_cleanup_interval_secs: u64,
    /// Seconds between low-stock checks.
    pub low_stock_interval_secs: u64,
}

/// `[telemetry]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    /// OTLP/HTTP base URL of a collector, Jaeger or Tempo (`http://host:4318`); empty = no export.
    pub otlp_endpoint: Option<String>,
}

impl TelemetrySettings {
    /// The configured endpoint; an empty value (as an env file writes "unset") means none.
    pub fn otlp_endpoint(&self) -> Option<&str> {
        self.otlp_endpoint.as_deref().filter(|url| !url.is_empty())
    }
}

/// Checks the rules of both sections.
pub(super) fn validate(
    jobs: &JobsSettings,
    telemetry: &TelemetrySettings,
) -> Result<(), SettingsError> {
    for (key, secs) in [
        ("jobs.poll_interval_secs", jobs.poll_interval_secs),
        (
            "jobs.refresh_token_cleanup_interval_secs",
            jobs.refresh_token_cleanup_interval_secs,
        ),
        ("jobs.low_stock_interval_secs", jobs.low_stock_interval_secs),
    ] {
        if secs == 0 {
            return Err(rule(key, "must be at least 1"));
        }
    }
    if let Some(url) = telemetry.otlp_endpoint()
        && !url.starts_with("http://")
    {
        // The exporter is built without TLS (compile cost); a local collector forwards over TLS.
        return Err(rule(
            "telemetry.otlp_endpoint",
            "must start with http:// (send to a local OpenTelemetry Collector for TLS)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs(poll: u64, cleanup: u64, low_stock: u64) -> JobsSettings {
        JobsSettings {
            enabled: true,
            poll_interval_secs: poll,
            refresh_token_cleanup_interval_secs: cleanup,
            low_stock_interval_secs: low_stock,
        }
    }

    fn telemetry(endpoint: Option<&str>) -> TelemetrySettings {
        TelemetrySettings {
            otlp_endpoint: endpoint.map(str::to_string),
        }
    }

    #[test]
    fn a_zero_interval_names_its_key() {
        for (settings, key) in [
            (jobs(0, 1, 1), "jobs.poll_interval_secs"),
            (jobs(1, 0, 1), "jobs.refresh_token_cleanup_interval_secs"),
            (jobs(1, 1, 0), "jobs.low_stock_interval_secs"),
        ] {
            let error = validate(&settings, &telemetry(None)).unwrap_err();

            assert!(matches!(error, SettingsError::Rule { key: k, .. } if k == key));
        }
    }

    #[test]
    fn the_otlp_endpoint_is_plain_http_and_empty_means_none() {
        let https = telemetry(Some("https://collector:4318"));
        let empty = telemetry(Some(""));
        let plain = telemetry(Some("http://collector:4318"));

        assert!(validate(&jobs(1, 1, 1), &https).is_err());
        assert!(validate(&jobs(1, 1, 1), &empty).is_ok());
        assert_eq!(empty.otlp_endpoint(), None);
        assert_eq!(plain.otlp_endpoint(), Some("http://collector:4318"));
    }
}
