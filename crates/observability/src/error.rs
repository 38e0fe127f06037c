//! The one error type of this crate.

/// Why setting up logging or metrics failed.
#[derive(Debug, thiserror::Error)]
pub enum ObservabilityError {
    /// The log filter is not valid `EnvFilter` syntax.
    #[error("invalid log filter {filter:?}")]
    InvalidFilter {
        /// The rejected directives.
        filter: String,
        /// The parser's complaint.
        #[source]
        source: tracing_subscriber::filter::ParseError,
    },
    /// A global subscriber (or `log` logger) is already installed.
    #[error("tracing is already initialised")]
    AlreadyInitialised(#[source] tracing_subscriber::util::TryInitError),
    /// The OTLP span exporter could not be built or flushed.
    #[error("trace export error")]
    Export(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A metric could not be created, registered or encoded.
    #[error("metrics error")]
    Metrics(#[from] prometheus::Error),
}
