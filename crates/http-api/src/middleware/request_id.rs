//! Request ids: a well-formed incoming `X-Request-Id` is kept, anything else is replaced by a UUID.
//!
//! tracing-actix-web's own `RequestId` always generates a fresh id, so this root span builder picks the
//! id, stores it in the request extensions for the error middleware, and records it on the root span,
//! which puts it on every log line of the request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing::field::Empty;
use tracing_actix_web::{DefaultRootSpanBuilder, RootSpanBuilder};
use uuid::Uuid;

/// The header carrying the request id, in both directions.
pub(crate) const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Route label for requests that matched no route, so raw paths never become labels.
pub(crate) const UNMATCHED_ROUTE: &str = "unmatched";

const MAX_REQUEST_ID_LEN: usize = 64;

/// The id of one request, as echoed to the client and logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RequestId(String);

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
        // The bytes were just checked to be ASCII, so this conversion cannot lose anything.
        well_formed.then(|| Self(String::from_utf8_lossy(bytes).into_owned()))
    }

    /// A fresh random id.
    pub(crate) fn generate() -> Self {
        Self(Uuid::new_v4().to_string())
    }

    /// The id as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
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
        let route = request
            .match_pattern()
            .unwrap_or_else(|| UNMATCHED_ROUTE.to_owned());
        // The path only: query strings may carry search text that does not belong in logs.
        let span = tracing::info_span!(
            "HTTP request",
            request_id = %id.as_str(),
            http.method = %request.method(),
            http.route = %route,
            http.target = %request.path(),
            http.status_code = Empty,
            otel.status_code = Empty,
            exception.message = Empty,
            exception.details = Empty,
        );
        request.extensions_mut().insert(id);
        request
            .extensions_mut()
            .insert(RequestStart(Instant::now()));
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
    fn malformed_incoming_ids_are_rejected() {
        for id in ["", "has space", "semi;colon", "ünïcode", &"x".repeat(65)] {
            let header = HeaderValue::from_bytes(id.as_bytes()).unwrap();

            assert!(RequestId::from_header(&header).is_none(), "{id:?} accepted");
        }
    }
}
