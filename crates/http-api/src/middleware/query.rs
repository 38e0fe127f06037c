//! Rejects a query string that does not percent-decode to UTF-8, or that holds NUL.
//!
//! The query extractor decodes lossily (`%ff` becomes U+FFFD), so `?q=%ff%fe` would search for
//! replacement characters and answer `200`; a client that sent such bytes has a bug it should hear of.

use actix_web::dev::ServiceRequest;
use percent_encoding::percent_decode_str;
use serde::de::Error as _;

use super::NUL_REASON;
use crate::error::ApiError;

/// `Err` when the query string does not percent-decode to UTF-8 or holds NUL. Called by the input
/// check middleware ([`super::nul::reject_invalid_input`]) before it looks at the body.
pub(super) fn check_query(req: &ServiceRequest) -> Result<(), ApiError> {
    let reason = match percent_decode_str(req.query_string()).decode_utf8() {
        Err(_) => Some("the query string is not valid UTF-8 once percent-decoded".to_owned()),
        // The same rule as for bodies: no store keeps NUL alike on both backends.
        Ok(decoded) if decoded.contains('\0') => Some(format!("parameters {NUL_REASON}")),
        Ok(_) => None,
    };
    match reason {
        Some(reason) => Err(ApiError::InvalidQuery(serde::de::value::Error::custom(
            reason,
        ))),
        None => Ok(()),
    }
}
