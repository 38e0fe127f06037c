//! Rejects a query string that does not percent-decode to UTF-8.
//!
//! The query extractor decodes lossily (`%ff` becomes U+FFFD), so `?q=%ff%fe` would search for
//! replacement characters and answer `200`; a client that sent such bytes has a bug it should hear of.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use percent_encoding::percent_decode_str;
use serde::de::Error as _;

use crate::error::ApiError;

pub(crate) async fn reject_invalid_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if percent_decode_str(req.query_string())
        .decode_utf8()
        .is_err()
    {
        return Err(ApiError::InvalidQuery(serde::de::value::Error::custom(
            "the query string is not valid UTF-8 once percent-decoded",
        ))
        .into());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
