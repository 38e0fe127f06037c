//! Extractors and their configuration: validated JSON bodies and extractor failures as `ApiError`.
//! The caller extractors (`AuthenticatedUser`, `Authorized`, `MaybeUser`, `Audit`) live in `auth`.

use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web::{JsonConfig, PathConfig, QueryConfig};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use validator::Validate;

use crate::error::ApiError;

/// Registers extractor configs so that body, query and path failures answer with the error envelope.
pub(crate) fn configure(cfg: &mut web::ServiceConfig, max_body_bytes: usize) {
    cfg.app_data(
        JsonConfig::default()
            .limit(max_body_bytes)
            .error_handler(|error: JsonPayloadError, _| ApiError::from(error).into()),
    )
    .app_data(web::PayloadConfig::default().limit(max_body_bytes))
    .app_data(
        QueryConfig::default()
            .error_handler(|error: QueryPayloadError, _| ApiError::from(error).into()),
    )
    .app_data(
        PathConfig::default().error_handler(|error: PathError, _| ApiError::from(error).into()),
    );
}

/// An extracted body or query (`Validated<web::Json<T>>`, `Validated<web::Query<T>>`) that also passed
/// its `validator` rules; a broken rule is `422 validation_failed`, a malformed input stays `400`.
#[derive(Debug)]
pub(crate) struct Validated<E>(pub(crate) E);

impl<E> FromRequest for Validated<E>
where
    E: FromRequest + Deref + 'static,
    E::Target: Validate,
    E::Error: Into<actix_web::Error>,
{
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let inner = E::from_request(req, payload);
        Box::pin(async move {
            let value = inner.await.map_err(Into::into)?;
            value.validate().map_err(ApiError::from)?;
            Ok(Self(value))
        })
    }
}
