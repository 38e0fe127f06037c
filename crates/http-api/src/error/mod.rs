//! `ApiError`, the one error type of the HTTP layer, and its mapping from `DomainError`.
//!
//! Policy: handlers return `Result<_, ApiError>`; `DomainError` converts once, in the `From` impl
//! below. 4xx errors explain themselves in `message` (and `details` for validation); 5xx errors send
//! a fixed, opaque message, and the error middleware logs their full cause chain once.

mod code;
mod extractors;

use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use pharmarec_domain::error::BoxError;
use pharmarec_domain::{ConflictKind, DomainError, Entity};
use pharmarec_recommendation::RecommendationError;
use serde::Serialize;
use utoipa::ToSchema;

pub(crate) use code::{ErrorCategory, ErrorCode};

use crate::envelope::ErrorEnvelope;

/// One field that broke a rule, reported in `error.details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `price.currency`.
    pub field: String,
    /// Why it was rejected, lower case.
    pub reason: String,
}

/// Everything a request can fail with, each variant mapped to one stable error code and status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not syntactically valid JSON.
    #[error("request body is not valid JSON")]
    MalformedJson(#[source] serde_json::Error),
    /// The body is JSON but has unknown or missing fields or wrong types.
    #[error("request body does not have the expected fields and types")]
    InvalidBody(#[source] serde_json::Error),
    /// The body could not be read from the connection.
    #[error("request body could not be read")]
    UnreadableBody(#[source] PayloadError),
    /// The body is not declared as `application/json`.
    #[error("unsupported content type for this request body")]
    UnsupportedContentType,
    /// The body exceeds the configured limit.
    #[error("request body is too large")]
    PayloadTooLarge,
    /// A query parameter is missing, unknown or of the wrong type.
    #[error("invalid query string")]
    InvalidQuery(#[source] serde::de::value::Error),
    /// A path parameter is malformed.
    #[error("invalid path parameter")]
    InvalidPath(#[source] serde::de::value::Error),
    /// The request was refused before reaching a handler (e.g. a disallowed CORS preflight).
    #[error("bad request: {reason}")]
    BadRequest {
        /// Why, as reported by the rejecting component.
        reason: String,
    },
    /// Well-formed input that breaks a rule.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// No access token where one is required.
    #[error("authentication required")]
    Unauthenticated,
    /// The access token is malformed, badly signed, of another algorithm, issuer or audience.
    #[error("invalid access token")]
    InvalidToken,
    /// The access (or refresh) token has expired.
    #[error("token expired")]
    TokenExpired,
    /// Login failed; deliberately does not say whether the e-mail or the password was wrong.
    #[error("invalid e-mail or password")]
    InvalidCredentials,
    /// A refresh token was presented again after it had been used or revoked; its family is revoked.
    #[error("refresh token already used; all sessions of this login were revoked")]
    RefreshTokenReused,
    /// The account has been disabled: no login, refresh or action.
    #[error("this account is disabled")]
    AccountDisabled,
    /// Valid credentials without the needed role.
    #[error("not allowed to perform this operation")]
    Forbidden,
    /// No route matches the path.
    #[error("no route matches this path")]
    RouteNotFound,
    /// The route exists but not for this method.
    #[error("method not allowed on this route")]
    MethodNotAllowed {
        /// The methods the route answers, for the `Allow` header (empty: none).
        allow: String,
    },
    /// An entity does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of entity.
        entity: Entity,
        /// Id that was looked up.
        id: String,
    },
    /// The write conflicts with the current state.
    #[error("conflict on {entity}: {reason}")]
    Conflict {
        /// Which conflict, choosing the specific code.
        kind: ConflictKind,
        /// Kind of entity.
        entity: Entity,
        /// What conflicts.
        reason: String,
    },
    /// Too many requests from this client.
    #[error("too many requests")]
    RateLimited {
        /// When the client may retry; sent as `Retry-After` in whole seconds.
        retry_after: Duration,
    },
    /// A dependency (database, clinical knowledge) is down.
    #[error("service temporarily unavailable")]
    Unavailable(#[source] DomainError),
    /// A bug or unexpected state, including a panicking handler.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::NotFound { entity, id } => Self::NotFound { entity, id },
            DomainError::Invalid { field, reason } => {
                Self::Validation(vec![FieldError { field, reason }])
            }
            DomainError::Conflict {
                kind,
                entity,
                reason,
            } => Self::Conflict {
                kind,
                entity,
                reason,
            },
            unavailable @ (DomainError::Unavailable { .. }
            | DomainError::KnowledgeUnavailable(_)) => Self::Unavailable(unavailable),
            DomainError::Internal(source) => Self::Internal(source),
        }
    }
}

impl From<RecommendationError> for ApiError {
    /// The engine's errors, mapped here once for every clinical endpoint.
    ///
    /// # Implementation Notes
    /// An explicit match rather than going through `DomainError`: a new engine variant must fail to
    /// compile here, so nobody ships a clinical failure with a guessed status.
    fn from(error: RecommendationError) -> Self {
        match error {
            // No knowledge means no safe answer: 503, never an empty list that reads as "all clear".
            RecommendationError::CatalogueNotLoaded
            | RecommendationError::InteractionKnowledgeUnavailable => {
                Self::Unavailable(DomainError::KnowledgeUnavailable(error.to_string()))
            }
            RecommendationError::MedicineNotFound(id) => Self::NotFound {
                entity: Entity::Medicine,
                id: id.to_string(),
            },
            RecommendationError::InvalidRequest { field, reason } => {
                Self::Validation(vec![FieldError {
                    field: field.to_owned(),
                    reason: reason.to_owned(),
                }])
            }
            // Inconsistent knowledge is our data's fault, not the caller's.
            RecommendationError::InvalidKnowledge { .. } => Self::Internal(Box::new(error)),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_field_errors("", &errors, &mut fields);
        // HashMap order is random; a stable order makes responses reproducible.
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

/// Flattens nested validator errors into dotted field paths (`price.currency`, `items[2].name`).
fn collect_field_errors(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                out.extend(list.iter().map(|e| FieldError {
                    field: path.clone(),
                    reason: e.message.as_deref().unwrap_or(&e.code).to_string(),
                }));
            }
            ValidationErrorsKind::Struct(nested) => collect_field_errors(&path, nested, out),
            ValidationErrorsKind::List(items) => {
                for (index, nested) in items {
                    collect_field_errors(&format!("{path}[{index}]"), nested, out);
                }
            }
        }
    }
}

impl ApiError {
    /// The stable code of this error.
    pub(crate) fn code(&self) -> ErrorCode {
        match self {
            Self::MalformedJson(_) => ErrorCode::InvalidJson,
            Self::InvalidBody(_) => ErrorCode::InvalidBody,
            Self::UnreadableBody(_) | Self::BadRequest { .. } => ErrorCode::BadRequest,
            Self::UnsupportedContentType => ErrorCode::UnsupportedContentType,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::InvalidQuery(_) => ErrorCode::InvalidQuery,
            Self::InvalidPath(_) => ErrorCode::InvalidPath,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::Unauthenticated => ErrorCode::Unauthenticated,
            Self::InvalidToken => ErrorCode::InvalidToken,
            Self::TokenExpired => ErrorCode::TokenExpired,
            Self::InvalidCredentials => ErrorCode::InvalidCredentials,
            Self::RefreshTokenReused => ErrorCode::RefreshTokenReused,
            Self::AccountDisabled => ErrorCode::AccountDisabled,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::RouteNotFound => ErrorCode::RouteNotFound,
            Self::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            // Exhaustive on purpose: a new entity must choose its code here.
            Self::NotFound { entity, .. } => match entity {
                Entity::Medicine => ErrorCode::MedicineNotFound,
                Entity::Ingredient => ErrorCode::IngredientNotFound,
                Entity::Pharmacy => ErrorCode::PharmacyNotFound,
                Entity::Stock => ErrorCode::StockNotFound,
                Entity::User => ErrorCode::UserNotFound,
                Entity::Record => ErrorCode::ResourceNotFound,
            },
            // Exhaustive on purpose: a new kind of conflict must choose its code here.
            Self::Conflict { kind, .. } => match kind {
                ConflictKind::StaleVersion => ErrorCode::StaleVersion,
                ConflictKind::InsufficientStock => ErrorCode::InsufficientStock,
                ConflictKind::LastAdmin => ErrorCode::LastAdmin,
                ConflictKind::Duplicate
                | ConflictKind::Referenced
                | ConflictKind::ManagedByImport
                | ConflictKind::ConcurrentWrite => ErrorCode::Conflict,
            },
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Unavailable(DomainError::KnowledgeUnavailable(_)) => {
                ErrorCode::KnowledgeUnavailable
            }
            Self::Unavailable(_) => ErrorCode::DependencyUnavailable,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The error for a response some other component produced with `status` and no `ApiError`.
    pub(crate) fn from_status(status: StatusCode, reason: String) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::RouteNotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed {
                allow: String::new(),
            },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedContentType,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNAUTHORIZED => Self::Unauthenticated,
            StatusCode::FORBIDDEN => Self::Forbidden,
            status if status.is_server_error() => Self::Internal(reason.into()),
            _ => Self::BadRequest { reason },
        }
    }

    /// Renders the error envelope for the request `request_id`.
    pub(crate) fn render(&self, request_id: &str) -> HttpResponse {
        let code = self.code();
        let status = code.status();
        // 5xx bodies are opaque: the cause may name hosts, SQL or internals.
        let message = if status.is_server_error() {
            match code {
                ErrorCode::InternalError => "internal error".to_owned(),
                _ => "service temporarily unavailable, retry later".to_owned(),
            }
        } else {
            bounded(&self.to_string())
        };
        let details = match self {
            Self::Validation(fields) => Some(
                fields
                    .iter()
                    .map(|f| FieldError {
                        field: bounded(&f.field),
                        reason: bounded(&f.reason),
                    })
                    .collect(),
            ),
            Self::MalformedJson(source) | Self::InvalidBody(source) => Some(vec![FieldError {
                field: "body".to_owned(),
                reason: bounded(&source.to_string()),
            }]),
            Self::InvalidQuery(source) => Some(vec![FieldError {
                field: "query".to_owned(),
                reason: bounded(&source.to_string()),
            }]),
            Self::InvalidPath(source) => Some(vec![FieldError {
                field: "path".to_owned(),
                reason: bounded(&source.to_string()),
            }]),
            _ => None,
        };
        let mut response = HttpResponse::build(status);
        if let Self::RateLimited { retry_after } = self {
            // Round up: retrying a fraction of a second early would be rejected again.
            let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Self::MethodNotAllowed { allow } = self {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        if code.category() == ErrorCategory::Authentication {
            // RFC 6750: a 401 names the scheme the client should use.
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(ErrorEnvelope::new(code, message, details, request_id))
    }
}

/// Longest text of one message or detail: parsers quote the rejected input, which has no bound of
/// its own (a 5 000-character `sort=` value would otherwise come back whole).
const MAX_ERROR_TEXT_CHARS: usize = 200;

/// `text` cut to [`MAX_ERROR_TEXT_CHARS`] characters, marked with `…` when cut.
fn bounded(text: &str) -> String {
    match text.char_indices().nth(MAX_ERROR_TEXT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Placeholder id for an error rendered outside the middleware stack; [`crate::app`] always replaces it.
const UNASSIGNED_REQUEST_ID: &str = "unassigned";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    fn error_response(&self) -> HttpResponse {
        // The error middleware re-renders with the request id and logs 5xx chains; this is the fallback.
        self.render(UNASSIGNED_REQUEST_ID)
    }
}

#[cfg(test)]
mod tests;
