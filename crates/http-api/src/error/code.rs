//! Stable machine-readable error codes, each with its HTTP status and category.
//!
//! Clients branch on `code`, never on `message`, so a code is never renamed or reused. The table in
//! `docs/api.md` lists every code; a test below keeps the two in sync.

use actix_web::http::StatusCode;
use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};
use utoipa::ToSchema;

/// The eight kinds of failure a client must tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub(crate) enum ErrorCategory {
    Validation,
    Authentication,
    Authorization,
    NotFound,
    Conflict,
    RateLimited,
    Unavailable,
    Internal,
}

/// Every error code the API returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub(crate) enum ErrorCode {
    InvalidJson,
    InvalidBody,
    UnsupportedContentType,
    PayloadTooLarge,
    InvalidQuery,
    InvalidPath,
    BadRequest,
    ValidationFailed,
    Unauthenticated,
    InvalidToken,
    TokenExpired,
    InvalidCredentials,
    RefreshTokenReused,
    AccountDisabled,
    Forbidden,
    RouteNotFound,
    MethodNotAllowed,
    MedicineNotFound,
    IngredientNotFound,
    PharmacyNotFound,
    StockNotFound,
    UserNotFound,
    ResourceNotFound,
    StaleVersion,
    InsufficientStock,
    LastAdmin,
    Conflict,
    RateLimited,
    DependencyUnavailable,
    KnowledgeUnavailable,
    InternalError,
}

impl ErrorCategory {
    /// The status of the category's codes unless a code needs a more specific one.
    fn status(self) -> StatusCode {
        match self {
            Self::Validation => StatusCode::BAD_REQUEST,
            Self::Authentication => StatusCode::UNAUTHORIZED,
            Self::Authorization => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict => StatusCode::CONFLICT,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The category as written in logs and docs.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

impl ErrorCode {
    /// The category the code belongs to.
    pub(crate) fn category(self) -> ErrorCategory {
        match self {
            Self::InvalidJson
            | Self::InvalidBody
            | Self::UnsupportedContentType
            | Self::PayloadTooLarge
            | Self::InvalidQuery
            | Self::InvalidPath
            | Self::BadRequest
            | Self::ValidationFailed => ErrorCategory::Validation,
            Self::Unauthenticated
            | Self::InvalidToken
            | Self::TokenExpired
            | Self::InvalidCredentials
            | Self::RefreshTokenReused
            | Self::AccountDisabled => ErrorCategory::Authentication,
            Self::Forbidden => ErrorCategory::Authorization,
            Self::RouteNotFound
            | Self::MethodNotAllowed
            | Self::MedicineNotFound
            | Self::IngredientNotFound
            | Self::PharmacyNotFound
            | Self::StockNotFound
            | Self::UserNotFound
            | Self::ResourceNotFound => ErrorCategory::NotFound,
            Self::StaleVersion | Self::InsufficientStock | Self::LastAdmin | Self::Conflict => {
                ErrorCategory::Conflict
            }
            Self::RateLimited => ErrorCategory::RateLimited,
            Self::DependencyUnavailable | Self::KnowledgeUnavailable => ErrorCategory::Unavailable,
            Self::InternalError => ErrorCategory::Internal,
        }
    }

    /// The HTTP status sent with this code: its category's, except where HTTP has a precise one.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            // Well-formed input that breaks a rule, as opposed to malformed syntax or types (400).
            Self::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            other => other.category().status(),
        }
    }

    /// The code as sent on the wire.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use strum::IntoEnumIterator;

    use super::*;

    /// Rows of the error-code table in `docs/api.md`: `| \`code\` | status | category | meaning |`.
    fn documented_codes() -> BTreeSet<(String, u16, String)> {
        let doc = include_str!("../../../../docs/api.md");
        doc.lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                let status = cells.get(2)?.parse().ok()?;
                let category = cells.get(3)?.trim_matches('`');
                Some((code.to_string(), status, category.to_string()))
            })
            .collect()
    }

    #[test]
    fn docs_error_table_matches_the_code_list() {
        let in_code: BTreeSet<(String, u16, String)> = ErrorCode::iter()
            .map(|code| {
                (
                    code.as_str().to_string(),
                    code.status().as_u16(),
                    code.category().as_str().to_string(),
                )
            })
            .collect();

        assert_eq!(documented_codes(), in_code);
    }

    #[test]
    fn every_category_is_reachable() {
        let categories: BTreeSet<&'static str> =
            ErrorCode::iter().map(|c| c.category().as_str()).collect();

        assert_eq!(categories.len(), 8);
    }

    #[test]
    fn wire_names_are_snake_case() {
        assert_eq!(ErrorCode::MedicineNotFound.as_str(), "medicine_not_found");
        assert_eq!(
            serde_json::to_value(ErrorCode::StaleVersion).unwrap(),
            "stale_version"
        );
    }
}
