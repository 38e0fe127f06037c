//! Renders every error response as the error envelope, with the request id, and logs 5xx causes once.
//!
//! Handlers and extractors fail with `ApiError`; other components (actix's method guard, CORS, the
//! panic catcher, Swagger UI) fail with their own errors or bare statuses. All of them pass through
//! here, so no client ever sees actix's default text bodies. The console's pages under
//! `/console` render their own HTML errors (a stale stock edit is a `409` page showing both
//! versions), so their responses pass through unchanged; only an `Err` gets the envelope there.
//!
//! # Implementation Notes
//! An inner layer that fails with `Err` (CORS preflight rejection, a caught panic) has consumed the
//! request, and holding a clone of it during the call would break actix's routing (it needs the only
//! reference). Such errors therefore stay `Err`, wrapped in [`Enveloped`], whose `error_response` the
//! server calls to produce the same envelope and headers.

use std::error::Error as StdError;
use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError};

use super::request_id::{REQUEST_ID_HEADER, RequestId};
use super::security_headers::{self, Policy};
use crate::error::{ApiError, ErrorCode};

/// Middleware: finalises error responses and echoes `X-Request-Id` on every response.
pub(crate) async fn envelope_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(RequestId::generate);
    let html_page = Policy::for_path(req.path()) == Policy::Console;
    match next.call(req).await {
        Ok(response) => {
            let mut response = if html_page {
                response.map_into_boxed_body()
            } else {
                finalise(response, &request_id)
            };
            set_request_id(response.headers_mut(), &request_id);
            Ok(response)
        }
        Err(error) => {
            let status = error.as_response_error().status_code();
            log_if_server_error(&error, status);
            Err(Enveloped { error, request_id }.into())
        }
    }
}

fn finalise(
    response: ServiceResponse<impl MessageBody + 'static>,
    request_id: &RequestId,
) -> ServiceResponse<BoxBody> {
    let status = response.status();
    // A FHIR error is already its protocol's error body (an OperationOutcome, from pharmarec-interop).
    let fhir = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/fhir+json"));
    if fhir || !(status.is_client_error() || status.is_server_error()) {
        return response.map_into_boxed_body();
    }
    let mut rendered = match response.response().error() {
        Some(error) => {
            log_if_server_error(error, status);
            render(error, status, request_id)
        }
        None => ApiError::from_status(status, canonical_reason(status)).render(request_id.as_str()),
    };
    // Keep what inner layers added (CORS headers above all), but not the old body's framing.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !rendered.headers().contains_key(name)
        {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response.into_response(rendered)
}

/// The envelope for `error`: its own rendering for an `ApiError`, else one chosen by status.
fn render(error: &Error, status: StatusCode, request_id: &RequestId) -> HttpResponse {
    match error.as_error::<ApiError>() {
        Some(api_error) => api_error.render(request_id.as_str()),
        None => {
            // Another component's error text can be debug output (`Custom { kind: UnexpectedEof
            // … }` from a corrupt gzip body): log it, answer with the status's own words.
            tracing::debug!(%status, "request rejected: {error}");
            ApiError::from_status(status, canonical_reason(status)).render(request_id.as_str())
        }
    }
}

fn set_request_id(headers: &mut HeaderMap, request_id: &RequestId) {
    headers.insert(REQUEST_ID_HEADER, request_id.header_value());
}

/// Logs the whole cause chain of a 5xx, once per request.
fn log_if_server_error(error: &Error, status: StatusCode) {
    if !status.is_server_error() {
        return;
    }
    let (code, chain) = match error.as_error::<ApiError>() {
        Some(api_error) => (api_error.code(), cause_chain(api_error)),
        None => (ErrorCode::InternalError, error.to_string()),
    };
    tracing::error!(
        error.code = code.as_str(),
        error.category = code.category().as_str(),
        http.status_code = status.as_u16(),
        error.cause_chain = %chain,
        "request failed"
    );
}

/// `outer: caused by: inner: caused by: root`, the whole chain on one line.
fn cause_chain(error: &dyn StdError) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": caused by: ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

/// An `Err` from an inner layer, rendered as the envelope with the request id and security headers.
struct Enveloped {
    error: Error,
    request_id: RequestId,
}

impl fmt::Debug for Enveloped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enveloped")
            .field("error", &self.error)
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl fmt::Display for Enveloped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl ResponseError for Enveloped {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        let mut response = render(&self.error, self.status_code(), &self.request_id);
        set_request_id(response.headers_mut(), &self.request_id);
        // The security-headers layer only sees `Ok` responses; this one never reaches it as such.
        security_headers::apply(response.headers_mut(), Policy::Api);
        response
    }
}

/// `bad request` for 400: the status's standard reason phrase, lower case.
fn canonical_reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("rejected")
        .to_lowercase()
}
