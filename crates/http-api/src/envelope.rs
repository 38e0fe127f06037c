//! The one JSON envelope of every response: `{"success": true, "data": …}` (plus `meta` on paginated
//! lists and clinical answers) or `{"success": false, "error": {…}}`.
//!
//! Handlers build successes with [`ok`], [`created`], [`paginated`] and [`clinical`]; errors are
//! rendered from `ApiError` only, by the error middleware, which knows the request id.

use actix_web::http::header::{self, ContentType};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, HttpResponseBuilder};
use pharmarec_domain::Page;
use serde::Serialize;
use utoipa::ToSchema;

use crate::dto::ClinicalMeta;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::json_writer::with_json;

/// A successful response carrying one value.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Envelope<T> {
    /// Always `true`.
    success: bool,
    /// The payload.
    data: T,
}

/// A successful response carrying one page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Paginated<T> {
    /// Always `true`.
    success: bool,
    /// Items of this page.
    data: Vec<T>,
    /// Paging facts.
    meta: PageMeta,
}

/// A successful clinical answer: the payload plus the knowledge it was computed from and the disclaimer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Clinical<T> {
    /// Always `true`.
    success: bool,
    /// The payload.
    data: T,
    /// Knowledge version and sources, and the decision-support disclaimer.
    meta: ClinicalMeta,
}

/// Where a page sits in the whole list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PageMeta {
    /// 1-based number of this page.
    current_page: u32,
    /// Requested page size.
    per_page: u32,
    /// Items across all pages.
    total_items: u64,
    /// Number of pages (0 when there are no items).
    total_pages: u64,
}

/// A failed response.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorEnvelope {
    /// Always `false`.
    success: bool,
    /// What went wrong.
    error: ErrorBody,
}

/// The error object of [`ErrorEnvelope`].
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    /// Stable machine-readable code; see the table in `docs/api.md`.
    code: ErrorCode,
    /// Human-readable explanation, lower case; may change between releases.
    message: String,
    /// Per-field problems, for validation errors only.
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<Vec<FieldError>>,
    /// The request id, also sent in the `X-Request-Id` header; quote it when reporting a problem.
    request_id: String,
}

impl ErrorEnvelope {
    /// Builds the error envelope.
    pub(crate) fn new(
        code: ErrorCode,
        message: String,
        details: Option<Vec<FieldError>>,
        request_id: &str,
    ) -> Self {
        Self {
            success: false,
            error: ErrorBody {
                code,
                message,
                details,
                request_id: request_id.to_owned(),
            },
        }
    }
}

/// `200 OK` with `data`.
pub(crate) fn ok<T: Serialize>(data: T) -> HttpResponse {
    json(
        HttpResponse::Ok(),
        &Envelope {
            success: true,
            data,
        },
    )
}

/// `201 Created` with `data` and a `Location` header naming the new resource.
pub(crate) fn created<T: Serialize>(location: &str, data: T) -> HttpResponse {
    let mut builder = HttpResponse::Created();
    builder.insert_header((header::LOCATION, location));
    json(
        builder,
        &Envelope {
            success: true,
            data,
        },
    )
}

/// `200 OK` with one page of items and its paging facts.
pub(crate) fn paginated<T: Serialize>(page: Page<T>) -> HttpResponse {
    let meta = PageMeta {
        current_page: page.request.page(),
        per_page: page.request.per_page(),
        total_items: page.total_items,
        total_pages: page.total_pages(),
    };
    json(
        HttpResponse::Ok(),
        &Paginated {
            success: true,
            data: page.items,
            meta,
        },
    )
}

/// `200 OK` with a clinical answer and its `meta` (knowledge version, sources, disclaimer).
///
/// # Implementation Notes
/// The provenance goes in `meta`, not `data`, so every clinical endpoint carries it in the same place
/// and clients can show it without knowing each payload.
pub(crate) fn clinical<T: Serialize>(meta: ClinicalMeta, data: T) -> HttpResponse {
    json(
        HttpResponse::Ok(),
        &Clinical {
            success: true,
            data,
            meta,
        },
    )
}

/// `builder` finished with `body` as `application/json`.
///
/// # Implementation Notes
/// sonic-rs writes the same bytes as serde_json (tests below), but escapes strings with SIMD: the
/// answers are 10–30 KB, mostly quoted label and ANSM text, and serde_json's byte-by-byte escaping
/// was the largest single cost of a distinct recommendation (issue 14).
fn json(mut builder: HttpResponseBuilder, body: &impl Serialize) -> HttpResponse {
    match with_json(body, Bytes::copy_from_slice) {
        Ok(bytes) => builder.content_type(ContentType::json()).body(bytes),
        // Carried as the response's error, so the error middleware renders and logs it.
        Err(error) => HttpResponse::from_error(ApiError::Internal(Box::new(error))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use actix_web::body::to_bytes;
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    use super::*;

    /// Every serde shape the DTOs use, with text that needs each kind of escape.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Shapes {
        text: String,
        shared: Arc<str>,
        id: Uuid,
        at: chrono::DateTime<Utc>,
        scores: Vec<f64>,
        counts: (u64, i64, u32),
        flag: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        absent: Option<String>,
        present: Option<u8>,
        nothing: Option<u8>,
        tagged: Tagged,
        plain: Plain,
        newtype: Newtype,
        by_key: BTreeMap<String, f32>,
        any: serde_json::Value,
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        Finding { severity: Plain },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Plain {
        NotChecked,
    }

    #[derive(Serialize)]
    #[serde(transparent)]
    struct Newtype(String);

    fn shapes() -> Shapes {
        // Every code point up to U+00FF (control characters, quotes, backslash, DEL, Latin-1), then
        // typographic quotes, line separators, an emoji and the French of an ANSM statement.
        let mut text: String = (0u32..=0xFF).filter_map(char::from_u32).collect();
        text.push_str(
            "“dose” — \u{2028}\u{2029} 😀 / <b>&amp;</b> Association DÉCONSEILLÉE : risque majoré",
        );
        Shapes {
            shared: Arc::from(text.as_str()),
            text,
            id: Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            at: Utc.with_ymd_and_hms(2026, 12, 1, 5, 30, 0).unwrap(),
            scores: vec![0.0, -0.0, 0.1 + 0.2, 1e21, 1.5e-7, 17.85, f64::MAX, 5e-324],
            counts: (u64::MAX, i64::MIN, 7),
            flag: true,
            absent: None,
            present: Some(3),
            nothing: None,
            tagged: Tagged::Finding {
                severity: Plain::NotChecked,
            },
            plain: Plain::NotChecked,
            newtype: Newtype("lithium carbonate".to_owned()),
            by_key: BTreeMap::from([("b\n".to_owned(), 0.1), ("a".to_owned(), 2.5)]),
            any: serde_json::json!({"z": [1, 2.5, "x\u{1}"], "a": null}),
        }
    }

    #[actix_web::test]
    async fn answers_are_serde_jsons_bytes() {
        let response = ok(shapes());
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let written = to_bytes(response.into_body()).await.unwrap();
        let expected = serde_json::to_vec(&Envelope {
            success: true,
            data: shapes(),
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(written.to_vec()).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[actix_web::test]
    async fn a_body_that_cannot_be_written_is_an_internal_error() {
        // JSON object keys must be strings: a map keyed by a pair cannot be written.
        let response = ok(BTreeMap::from([((1, 2), "x")]));
        assert_eq!(response.status(), 500);
        assert!(matches!(
            response.error().and_then(|e| e.as_error::<ApiError>()),
            Some(ApiError::Internal(_))
        ));
    }
}
