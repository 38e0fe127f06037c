//! CORS: only the configured origins may call the API from a browser.

use std::collections::HashSet;

use actix_cors::Cors;
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName};

use super::request_id::REQUEST_ID_HEADER;

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE_SECS: usize = 3600;

/// Builds the CORS middleware for an allow-list of exact origins (`https://pharmacy.example`).
///
/// # Implementation Notes
/// Origins are compared in a closure rather than with `Cors::allowed_origin`, which panics on a
/// malformed origin or `*`; a bad configuration entry then simply matches nothing.
pub(crate) fn cors(allowed_origins: &[String]) -> Cors {
    let allowed: HashSet<Vec<u8>> = allowed_origins
        .iter()
        .map(|origin| origin.trim_end_matches('/').as_bytes().to_vec())
        .collect();
    Cors::default()
        .allowed_origin_fn(move |origin, _| allowed.contains(origin.as_bytes()))
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allowed_headers([
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            REQUEST_ID_HEADER,
        ])
        .expose_headers([
            REQUEST_ID_HEADER,
            header::LOCATION,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderName::from_static("x-cache"),
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECS)
}
