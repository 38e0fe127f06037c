//! Request ids: a well-formed incoming `X-Request-Id` is kept, anything else is replaced by a UUID.
//!
//! tracing-actix-web's own `RequestId` always generates a fresh id, so this root span builder picks the
//! id, stores it in the request extensions for the error middleware, and records it on the root span,
//! which puts it on every log line of the request. It also resolves the request's route pattern once
//! for every inner layer ([`RoutePattern`]).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use uuid::Uuid;

use super::route::RoutePattern;

/// The header carrying the request id, in both directions.
pub(crate) const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

const MAX_REQUEST_ID_LEN: usize = 64;

/// The id of one request, as echoed to the client and logged.
///
/// Held as the header value it is sent back as, so echoing it on every response copies nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestId(HeaderValue);

impl RequestId {
    /// Keeps an incoming id of 1-64 characters from `[A-Za-z0-9._-]`; anything else could forge log
    /// lines or headers, so it is rejected.
    fn from_header(value: &HeaderValue) -> Option<Self> {
        let bytes = value.as_bytes();
        let well_formed = !bytes.is_empty()
            && bytes.len() <= MAX_REQUEST_ID_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        well_formed.then(|| Self(value.clone()))
    }

    /// A fresh random id (a version 4 UUID).
    ///
    /// # Implementation Notes
    /// With uuid's `fast-rng` feature the bits come from rand's thread-local CSPRNG, seeded once
    /// per thread: no system call per request.
    pub(crate) fn generate() -> Self {
        let mut text = Uuid::encode_buffer();
        let text = Uuid::new_v4().hyphenated().encode_lower(&mut text);
        // Hex digits and hyphens are always a valid header value.
        Self(HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("invalid")))
    }

    /// The id as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only visible ASCII ever gets in (checked above, or generated), so this never falls back.
        self.0.to_str().unwrap_or_default()
    }

    /// The id as the `X-Request-Id` header value.
    pub(crate) fn header_value(&self) -> HeaderValue {
        self.0.clone()
    }
}
/// When the request started, for the completion log line.
#[derive(Debug, Clone, Copy)]
struct RequestStart(Instant);

/// Root span builder that honours a well-formed incoming `X-Request-Id`.
#[derive(Debug)]
pub(crate) struct RequestIdRootSpan;

impl RootSpanBuilder for RequestIdRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let id = request
            .headers()
            .get(REQUEST_ID_HEADER)
            .and_then(RequestId::from_header)
            .unwrap_or_else(RequestId::generate);
        let route = RoutePattern::of(request).as_str();
        // The path only: query strings may carry search text that does not belong in logs.
        let span = tracing::info_span!(
            "HTTP request",
            request_id = %id.as_str(),
            http.method = %request.method(),
            http.route = route,
            http.target = %request.path(),
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
        );
        let mut extensions = request.extensions_mut();
        extensions.insert(id);
        // Only the completion log line reads the start: under a filter that hides it (`warn` in
        // production) the clock read and the extension's allocation are skipped.
        if tracing::enabled!(tracing::Level::INFO) {
            extensions.insert(RequestStart(Instant::now()));
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (status, started) = match outcome {
            Ok(response) => (
                response.status(),
                response
                    .request()
                    .extensions()
                    .get::<RequestStart>()
                    .copied(),
            ),
            Err(error) => (error.as_response_error().status_code(), None),
        };
        let latency_ms = started.map(|RequestStart(at)| at.elapsed().as_secs_f64() * 1000.0);
        span.in_scope(|| {
            tracing::info!(
                http.status_code = status.as_u16(),
                latency_ms,
                "request completed"
            );
        });
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_incoming_ids_are_kept() {
        for id in ["abc-123", "A.b_c-9", &"x".repeat(64)] {
            let header = HeaderValue::from_str(id).unwrap();

            assert_eq!(RequestId::from_header(&header).unwrap().as_str(), id);
        }
    }

    #[test]
    fn generated_ids_are_distinct_version_4_uuids() {
        let ids: Vec<RequestId> = (0..1000).map(|_| RequestId::generate()).collect();

        for id in &ids {
            let uuid = Uuid::parse_str(id.as_str()).unwrap();
            assert_eq!(uuid.get_version_num(), 4, "{}", id.as_str());
        }
        let distinct: std::collections::HashSet<&str> = ids.iter().map(RequestId::as_str).collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn malformed_incoming_ids_are_rejected() {
        for id in ["", "has space", "semi;colon", "ünïcode", &"x".repeat(65)] {
            let header = HeaderValue::from_bytes(id.as_bytes()).unwrap();

            assert!(RequestId::from_header(&header).is_none(), "{id:?} accepted");
        }
    }
}
