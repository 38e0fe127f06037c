//! The crate's one error enum, mapped once at the HTTP edge: CDS Hooks routes answer through the
//! API's error envelope (CDS Hooks 2.0 defines the status codes, not an error body), FHIR routes
//! answer with an `OperationOutcome` (see `fhir::outcome`).

use pharmarec_domain::DomainError;
use pharmarec_http_api::ApiError;
use pharmarec_recommendation::RecommendationError;

/// What can go wrong in a CDS Hooks or FHIR request.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// The body is not JSON, or not the CDS Hooks / FHIR R4 shape.
    #[error("invalid request: {field}: {reason}")]
    InvalidRequest {
        /// Where in the body (a JSON or FHIR path).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// No CDS service or FHIR resource with this id.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked up.
        what: &'static str,
        /// The id.
        id: String,
    },
    /// A port failed.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The engine failed (no knowledge loaded, inconsistent knowledge).
    #[error(transparent)]
    Engine(#[from] RecommendationError),
    /// Start-up: the extra CA bundle for FHIR servers cannot be used.
    #[error("CA bundle {path}: {reason}")]
    CaBundle {
        /// The configured file.
        path: std::path::PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Start-up: rustls refused the TLS configuration.
    #[error("TLS configuration: {0}")]
    Tls(#[from] rustls::Error),
    /// Start-up: a trusted CDS client issuer cannot be used.
    #[error("CDS trusted issuer {iss}: {reason}")]
    TrustedIssuer {
        /// The issuer as configured.
        iss: String,
        /// What is wrong.
        reason: String,
    },
    /// Start-up: the Redis of the CDS token replay record cannot be used.
    #[error("CDS token replay record: {reason}")]
    ReplayStore {
        /// What is wrong (never the URL, which may hold a password).
        reason: String,
    },
}

impl InteropError {
    /// An invalid-request error at `field`.
    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl From<InteropError> for ApiError {
    fn from(error: InteropError) -> Self {
        match error {
            // CDS Hooks answers malformed requests with 400 (spec "HTTP Status Codes").
            InteropError::InvalidRequest { field, reason } => Self::BadRequest {
                reason: format!("{field}: {reason}"),
            },
            // An unknown service id is an unknown route (404), as for any other path.
            InteropError::NotFound { .. } => Self::RouteNotFound,
            InteropError::Domain(error) => error.into(),
            InteropError::Engine(error) => error.into(),
            // Start-up errors: never reach a request.
            error @ (InteropError::CaBundle { .. }
            | InteropError::Tls(_)
            | InteropError::TrustedIssuer { .. }
            | InteropError::ReplayStore { .. }) => Self::Internal(error.to_string().into()),
        }
    }
}
