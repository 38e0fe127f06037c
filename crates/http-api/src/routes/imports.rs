//! Imports an administrator uploads as `text/csv`: a pharmacy's product list and licensed
//! interaction knowledge. The whole file is parsed and validated before anything is written; the
//! write is one audited transaction (docs/IMPORTING.md).

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use pharmarec_domain::PharmacyId;
use pharmarec_domain::imports::{LicensedImport, parse_catalogue, parse_licensed};
use pharmarec_domain::ports::NoProgress;

use crate::auth::{AdminOnly, Audit, Authorized};
use crate::dto::{
    CatalogueImportDto, CatalogueImportQuery, InteractionImportDto, InteractionImportQuery,
    file_errors,
};
use crate::envelope::{self, Envelope, ErrorEnvelope};
use crate::error::ApiError;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::new("/catalogue/imports")
            .post(import_catalogue)
            .invalidates_cache(),
    )
    .service(
        Endpoint::new("/interactions/imports")
            .post(import_interactions)
            .invalidates_cache(),
    );
}

/// Imports a pharmacy's product list (and, with `pharmacy_id`, its stock and prices).
#[utoipa::path(
    post, path = "/api/v1/catalogue/imports", tag = "imports",
    params(CatalogueImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "The product list; columns in docs/IMPORTING.md"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or already identical: nothing changed)", body = Envelope<CatalogueImportDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`conflict`", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 415, description = "`unsupported_content_type`: the body is not `text/csv`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: one detail per bad line; nothing was imported", body = ErrorEnvelope),
        (status = 503, description = "`dependency_unavailable`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn import_catalogue(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<CatalogueImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require_csv(&request)?;
    let pharmacy = query.pharmacy_id.map(PharmacyId::from);
    let file = parse_catalogue(&body[..], pharmacy).map_err(file_errors)?;
    let report = state
        .imports
        .import_catalogue(file, &NoProgress, &audit)
        .await?;
    tracing::info!(
        catalogue_version = report.catalogue_version,
        "catalogue file imported"
    );
    Ok(envelope::ok(CatalogueImportDto::from(report)))
}

/// Imports licensed interaction knowledge as its own source.
#[utoipa::path(
    post, path = "/api/v1/interactions/imports", tag = "imports",
    params(InteractionImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "The interaction file in the chosen format (docs/IMPORTING.md)"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or already identical: nothing changed)", body = Envelope<InteractionImportDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 415, description = "`unsupported_content_type`: the body is not `text/csv`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: bad options, or one detail per bad line; nothing was imported", body = ErrorEnvelope),
        (status = 503, description = "`dependency_unavailable`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn import_interactions(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<InteractionImportQuery>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    require_csv(&request)?;
    let query = query.into_inner();
    let (name, format) = query.source()?;
    let rows = parse_licensed(format, &body[..]).map_err(file_errors)?;
    let import = LicensedImport::new(name, format, query.label, query.url, rows)?;
    let report = state
        .imports
        .import_interactions(import, &NoProgress, &audit)
        .await?;
    tracing::info!(source = %report.source, "licensed interactions imported");
    Ok(envelope::ok(InteractionImportDto::from(report)))
}

/// The body must be declared CSV: a JSON body sent here is a client mistake, not a file.
fn require_csv(request: &HttpRequest) -> Result<(), ApiError> {
    let csv = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("text/csv"));
    if csv {
        Ok(())
    } else {
        Err(ApiError::UnsupportedContentType)
    }
}
