//! Extractor failures (body, query, path) as `ApiError`: a malformed input is a `400` naming the
//! part of the request at fault.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};

use super::ApiError;

impl From<JsonPayloadError> for ApiError {
    fn from(error: JsonPayloadError) -> Self {
        match error {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
                Self::PayloadTooLarge
            }
            JsonPayloadError::ContentType => Self::UnsupportedContentType,
            JsonPayloadError::Deserialize(source) if source.is_data() => Self::InvalidBody(source),
            JsonPayloadError::Deserialize(source) | JsonPayloadError::Serialize(source) => {
                Self::MalformedJson(source)
            }
            JsonPayloadError::Payload(source) => Self::UnreadableBody(source),
            // JsonPayloadError is non-exhaustive; a future variant is still the client's body.
            other => Self::BadRequest {
                reason: other.to_string(),
            },
        }
    }
}

impl From<QueryPayloadError> for ApiError {
    fn from(error: QueryPayloadError) -> Self {
        match error {
            QueryPayloadError::Deserialize(source) => Self::InvalidQuery(source),
            other => Self::BadRequest {
                reason: other.to_string(),
            },
        }
    }
}

impl From<PathError> for ApiError {
    fn from(error: PathError) -> Self {
        match error {
            PathError::Deserialize(source) => Self::InvalidPath(source),
            other => Self::BadRequest {
                reason: other.to_string(),
            },
        }
    }
}
