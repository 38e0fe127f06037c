//! Refuses text containing NUL characters anywhere in a JSON body, naming the field.
//!
//! PostgreSQL cannot store NUL in text while SQLite stores it silently, so the rule lives here, once,
//! for every endpoint and both backends: `422 validation_failed` with the field's path, before any
//! handler runs (nothing is written, not even to the audit trail). The same middleware checks the
//! query string first ([`super::query`]): one layer instead of two saves a boxed future per request.

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use serde_json::Value;

use crate::error::{ApiError, FieldError};

/// The reason given for a field holding NUL.
pub(crate) const NUL_REASON: &str = "must not contain NUL characters";

/// Middleware: `400 invalid_query` for a bad query string, then `422` for NUL in a JSON body.
pub(crate) async fn reject_invalid_input(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    super::query::check_query(&req)?;
    let json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        // Case-insensitive "json" anywhere, as before, without lowercasing into a new `String`.
        .is_some_and(|v| v.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"json")));
    if !json {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let body = req.extract::<Bytes>().await?;
    if has_nul_escape(&body)
        && let Ok(value) = serde_json::from_slice::<Value>(&body)
        && let Some(field) = nul_field(&value, "body")
    {
        return Err(ApiError::Validation(vec![FieldError {
            field,
            reason: NUL_REASON.to_owned(),
        }])
        .into());
    }
    // The handler reads the body again.
    req.set_payload(Payload::from(body));
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// Whether `body` holds a `\u0000` escape (JSON cannot carry a raw NUL inside a string); cheap, so
/// bodies without one are never parsed twice. An escaped backslash before `u0000` is not one.
fn has_nul_escape(body: &[u8]) -> bool {
    body.windows(6).enumerate().any(|(at, window)| {
        window.eq_ignore_ascii_case(b"\\u0000")
            && body[..at].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

/// The path of the first key or string holding NUL (`body.items[0].ingredient`).
fn nul_field(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::String(text) => text.contains('\0').then(|| path.to_owned()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_field(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            // The path names a key holding NUL with the escape, so the answer itself holds none.
            let child = format!("{path}.{}", key.replace('\0', "\\u0000"));
            if key.contains('\0') {
                Some(child)
            } else {
                nul_field(item, &child)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_field_holding_nul_and_ignores_escaped_backslashes() {
        let body = br#"{"items":[{"ingredient":"ok"},{"ingredient":"a\u0000b"}]}"#;
        assert!(has_nul_escape(body));
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            nul_field(&value, "body").as_deref(),
            Some("body.items[1].ingredient")
        );
        assert!(!has_nul_escape(
            br#"{"note":"a\\u0000 is how JSON writes NUL"}"#
        ));
        assert!(has_nul_escape(br#"{"note":"\\\u0000"}"#));
        let key: Value = serde_json::from_slice(br#"{"a\u0000b": 1}"#).unwrap();
        assert_eq!(nul_field(&key, "body").as_deref(), Some(r"body.a\u0000b"));
    }
}
