//! The one JSON envelope of every response: `{"success": true, "data": …}` (plus `meta` on paginated
//! lists and clinical answers) or `{"success": false, "error": {…}}`.
//!
//! Handlers build successes with [`ok`], [`created`], [`paginated`] and [`clinical`]; errors are
//! rendered from `ApiError` only, by the error middleware, which knows the request id.

use actix_web::HttpResponse;
use actix_web::http::header;
use pharmarec_domain::Page;
use serde::Serialize;
use utoipa::ToSchema;

use crate::dto::ClinicalMeta;
use crate::error::{ErrorCode, FieldError};

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
    HttpResponse::Ok().json(Envelope {
        success: true,
        data,
    })
}

/// `201 Created` with `data` and a `Location` header naming the new resource.
pub(crate) fn created<T: Serialize>(location: &str, data: T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(Envelope {
            success: true,
            data,
        })
}

/// `200 OK` with one page of items and its paging facts.
pub(crate) fn paginated<T: Serialize>(page: Page<T>) -> HttpResponse {
    let meta = PageMeta {
        current_page: page.request.page(),
        per_page: page.request.per_page(),
        total_items: page.total_items,
        total_pages: page.total_pages(),
    };
    HttpResponse::Ok().json(Paginated {
        success: true,
        data: page.items,
        meta,
    })
}

/// `200 OK` with a clinical answer and its `meta` (knowledge version, sources, disclaimer).
///
/// # Implementation Notes
/// The provenance goes in `meta`, not `data`, so every clinical endpoint carries it in the same place
/// and clients can show it without knowing each payload.
pub(crate) fn clinical<T: Serialize>(meta: ClinicalMeta, data: T) -> HttpResponse {
    HttpResponse::Ok().json(Clinical {
        success: true,
        data,
        meta,
    })
}
