//! Rejects a query string that does not percent-decode to UTF-8, or that holds NUL.
//!
//! The query extractor decodes lossily (`%ff` becomes U+FFFD), so `?q=%ff%fe` would search for
//! replacement characters and answer `200`; a client that sent such bytes has a bug it should hear of.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use percent_encoding::percent_decode_str;
use serde::de::Error as _;

use super::NUL_REASON;
use crate::error::ApiError;

pub(crate) async fn reject_invalid_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let reason = match percent_decode_str(req.query_string()).decode_utf8() {
        Err(_) => Some("the query string is not valid UTF-8 once percent-decoded".to_owned()),
        // The same rule as for bodies: no store keeps NUL alike on both backends.
        Ok(decoded) if decoded.contains('\0') => Some(format!("parameters {NUL_REASON}")),
        Ok(_) => None,
    };
    if let Some(reason) = reason {
        return Err(ApiError::InvalidQuery(serde::de::value::Error::custom(reason)).into());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
