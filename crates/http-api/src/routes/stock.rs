//! `/api/v1/pharmacies/{id}/stock`: list, replace (optimistic locking) and adjust stock lines.

use actix_web::{HttpResponse, web};
use pharmarec_domain::{MedicineId, PharmacyId, StockAdjustment, StockUpdate};

use crate::auth::{Audit, Authorized, MaybeUser, PharmacistOrAdmin, ensure_stock_writer};
use crate::dto::{
    StockAdjustmentRequest, StockLevelDto, StockListQuery, StockUpdateRequest, page_request,
};
use crate::envelope::{self, Envelope, ErrorEnvelope, Paginated};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/pharmacies/{id}/stock").get(list_stock))
        .service(
            Endpoint::new("/pharmacies/{id}/stock/{medicine_id}")
                .put(put_stock)
                .invalidates_cache(),
        )
        .service(
            Endpoint::new("/pharmacies/{id}/stock/{medicine_id}/adjust")
                .post(adjust_stock)
                .invalidates_cache(),
        );
}

/// A page of one pharmacy's stock lines; `?low=true` keeps those at or below their low-stock threshold.
#[utoipa::path(
    get, path = "/api/v1/pharmacies/{id}/stock", tag = "stock",
    params(("id" = uuid::Uuid, Path, description = "Pharmacy id"), StockListQuery),
    responses(
        (status = 200, description = "One page of stock lines", body = Paginated<StockLevelDto>),
        (status = 400, description = "`invalid_path` or `invalid_query`", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pharmacy_id = %id))]
pub(crate) async fn list_stock(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<PharmacyId>,
    query: web::Query<StockListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = page_request(query.page, query.per_page)?;
    // An unknown pharmacy is a 404, not an empty list.
    state.pharmacies.get(*id).await?;
    let stock = if query.low.unwrap_or(false) {
        state.stock.list_low(*id, page).await?
    } else {
        state.stock.list(*id, page).await?
    };
    Ok(envelope::paginated(stock.map(StockLevelDto::from)))
}

/// Creates or replaces a stock line if `version` is the current one (`0` for a new line).
#[utoipa::path(
    put, path = "/api/v1/pharmacies/{id}/stock/{medicine_id}", tag = "stock",
    params(
        ("id" = uuid::Uuid, Path, description = "Pharmacy id"),
        ("medicine_id" = String, Path, description = "Medicine id", pattern = r"^[A-Za-z0-9_-]{1,64}$"),
    ),
    request_body = StockUpdateRequest,
    security(("bearer" = [])),
    responses(
        (status = 403, description = "`forbidden`: not an administrator or a pharmacist of this pharmacy", body = ErrorEnvelope),
        (status = 200, description = "The stock line with its new version", body = Envelope<StockLevelDto>),
        (status = 400, description = "`invalid_json`, `invalid_body` or `invalid_path`", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found` or `medicine_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`stale_version`: someone changed the line since it was read", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pharmacy_id = %path.0, medicine_id = %path.1))]
pub(crate) async fn put_stock(
    writer: Authorized<PharmacistOrAdmin>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    path: web::Path<(PharmacyId, MedicineId)>,
    Validated(body): Validated<web::Json<StockUpdateRequest>>,
) -> Result<HttpResponse, ApiError> {
    let (pharmacy, medicine) = path.into_inner();
    ensure_stock_writer(&writer.account, pharmacy)?;
    let update = StockUpdate::try_from(body.into_inner())?;
    let level = state.stock.put(pharmacy, &medicine, update, &audit).await?;
    tracing::info!(version = level.version, "stock replaced");
    Ok(envelope::ok(StockLevelDto::from(level)))
}

/// Adds `delta` (negative for a sale) to a stock line atomically.
#[utoipa::path(
    post, path = "/api/v1/pharmacies/{id}/stock/{medicine_id}/adjust", tag = "stock",
    params(
        ("id" = uuid::Uuid, Path, description = "Pharmacy id"),
        ("medicine_id" = String, Path, description = "Medicine id", pattern = r"^[A-Za-z0-9_-]{1,64}$"),
    ),
    request_body = StockAdjustmentRequest,
    security(("bearer" = [])),
    responses(
        (status = 403, description = "`forbidden`: not an administrator or a pharmacist of this pharmacy", body = ErrorEnvelope),
        (status = 200, description = "The adjusted stock line", body = Envelope<StockLevelDto>),
        (status = 400, description = "`invalid_json`, `invalid_body` or `invalid_path`", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`, `medicine_not_found` or `stock_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`insufficient_stock`: the result would be below zero", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pharmacy_id = %path.0, medicine_id = %path.1))]
pub(crate) async fn adjust_stock(
    writer: Authorized<PharmacistOrAdmin>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    path: web::Path<(PharmacyId, MedicineId)>,
    Validated(body): Validated<web::Json<StockAdjustmentRequest>>,
) -> Result<HttpResponse, ApiError> {
    let (pharmacy, medicine) = path.into_inner();
    ensure_stock_writer(&writer.account, pharmacy)?;
    let level = state
        .stock
        .adjust(
            pharmacy,
            &medicine,
            StockAdjustment::from(body.into_inner()),
            &audit,
        )
        .await?;
    tracing::info!(quantity = level.quantity, "stock adjusted");
    Ok(envelope::ok(StockLevelDto::from(level)))
}
