//! FHIR errors as an R4 `OperationOutcome` (<https://hl7.org/fhir/R4/operationoutcome.html>) in
//! `application/fhir+json`, which the API's error envelope passes through untouched.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use pharmarec_domain::DomainError;
use pharmarec_recommendation::RecommendationError;
use serde_json::json;

use crate::error::InteropError;

/// The FHIR JSON media type (R4 "http.html#mime-type").
pub(crate) const FHIR_JSON: &str = "application/fhir+json";

/// An `OperationOutcome` with one issue; `code` is from the R4 `issue-type` value set.
pub(crate) fn outcome(status: StatusCode, code: &str, diagnostics: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(FHIR_JSON)
        .json(json!({
            "resourceType": "OperationOutcome",
            "issue": [{
                "severity": if status.is_server_error() { "fatal" } else { "error" },
                "code": code,
                "diagnostics": diagnostics,
            }]
        }))
}

/// The outcome of `error`; 5xx causes are logged, never shown.
pub(crate) fn from_error(error: &InteropError) -> HttpResponse {
    match error {
        InteropError::InvalidRequest { field, reason } => outcome(
            StatusCode::BAD_REQUEST,
            "invalid",
            &format!("{field}: {reason}"),
        ),
        InteropError::NotFound { what, id } => outcome(
            StatusCode::NOT_FOUND,
            "not-found",
            &format!("{what} {id} not found"),
        ),
        InteropError::Domain(DomainError::NotFound { entity, id }) => outcome(
            StatusCode::NOT_FOUND,
            "not-found",
            &format!("{entity} {id} not found"),
        ),
        InteropError::Domain(DomainError::Invalid { field, reason }) => outcome(
            StatusCode::BAD_REQUEST,
            "invalid",
            &format!("{field}: {reason}"),
        ),
        InteropError::Domain(DomainError::Internal(_))
        | InteropError::Engine(RecommendationError::InvalidKnowledge { .. }) => {
            tracing::error!(error = %error, "FHIR request failed");
            outcome(
                StatusCode::INTERNAL_SERVER_ERROR,
                "exception",
                "internal error",
            )
        }
        other => {
            tracing::error!(error = %other, "FHIR request failed");
            outcome(
                StatusCode::SERVICE_UNAVAILABLE,
                "transient",
                "service temporarily unavailable, retry later",
            )
        }
    }
}
