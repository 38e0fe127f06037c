//! `/api/v1/medicines`: search, read and (for catalogue writers) create, replace and delete products.

use actix_web::{HttpResponse, web};
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{MedicineId, NewMedicine};

use super::API_PREFIX;
use crate::auth::{Audit, Authorized, MaybeUser, PharmacistOrAdmin};
use crate::dto::{MedicineDto, MedicineListQuery, MedicineRequest};
use crate::envelope::{self, Envelope, ErrorEnvelope, Paginated};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::new("/medicines")
            .get(list_medicines)
            .cached()
            .post(create_medicine)
            .invalidates_cache(),
    )
    .service(
        Endpoint::new("/medicines/{id}")
            .get(get_medicine)
            .cached()
            .put(update_medicine)
            .invalidates_cache()
            .delete(delete_medicine)
            .invalidates_cache(),
    );
}

/// A filtered, sorted page of medicines.
#[utoipa::path(
    get, path = "/api/v1/medicines", tag = "medicines",
    params(MedicineListQuery),
    responses(
        (status = 200, description = "One page of medicines", body = Paginated<MedicineDto>),
        (status = 400, description = "`invalid_query`: unknown parameter or wrong type", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: page or per_page out of range", body = ErrorEnvelope),
        (status = 503, description = "`dependency_unavailable`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_medicines(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    Validated(query): Validated<web::Query<MedicineListQuery>>,
) -> Result<HttpResponse, ApiError> {
    let query = MedicineQuery::try_from(query.into_inner())?;
    let page = state.medicines.search(&query).await?;
    Ok(envelope::paginated(page.map(MedicineDto::from)))
}

/// One medicine.
#[utoipa::path(
    get, path = "/api/v1/medicines/{id}", tag = "medicines",
    params(("id" = String, Path, description = "Medicine id, e.g. `OB-A071192-001`", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    responses(
        (status = 200, description = "The medicine", body = Envelope<MedicineDto>),
        (status = 400, description = "`invalid_path`: malformed id", body = ErrorEnvelope),
        (status = 404, description = "`medicine_not_found`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(medicine_id = %id))]
pub(crate) async fn get_medicine(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<MedicineId>,
) -> Result<HttpResponse, ApiError> {
    let medicine = state.medicines.get(&id).await?;
    Ok(envelope::ok(MedicineDto::from(medicine)))
}

/// Creates a local product.
#[utoipa::path(
    post, path = "/api/v1/medicines", tag = "medicines",
    request_body = MedicineRequest,
    security(("bearer" = [])),
    responses(
        (status = 403, description = "`forbidden`: not a pharmacist or administrator", body = ErrorEnvelope),
        (status = 201, description = "Created; `Location` names the new medicine", body = Envelope<MedicineDto>,
            headers(("Location" = String, description = "URL of the new medicine"))),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 404, description = "`ingredient_not_found`: an ingredient the catalogue does not know", body = ErrorEnvelope),
        (status = 409, description = "`conflict`", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create_medicine(
    _writer: Authorized<PharmacistOrAdmin>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<MedicineRequest>>,
) -> Result<HttpResponse, ApiError> {
    let medicine = state
        .medicines
        .create(NewMedicine::try_from(body.into_inner())?, &audit)
        .await?;
    tracing::info!(medicine_id = %medicine.id, "medicine created");
    let location = format!("{API_PREFIX}/medicines/{}", medicine.id);
    Ok(envelope::created(&location, MedicineDto::from(medicine)))
}

/// Replaces a product's facts.
#[utoipa::path(
    put, path = "/api/v1/medicines/{id}", tag = "medicines",
    params(("id" = String, Path, description = "Medicine id", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    request_body = MedicineRequest,
    security(("bearer" = [])),
    responses(
        (status = 403, description = "`forbidden`: not a pharmacist or administrator", body = ErrorEnvelope),
        (status = 200, description = "The updated medicine", body = Envelope<MedicineDto>),
        (status = 400, description = "`invalid_json`, `invalid_body` or `invalid_path`", body = ErrorEnvelope),
        (status = 404, description = "`medicine_not_found`, or `ingredient_not_found` for an ingredient the catalogue does not know", body = ErrorEnvelope),
        (status = 409, description = "`conflict`", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(medicine_id = %id))]
pub(crate) async fn update_medicine(
    _writer: Authorized<PharmacistOrAdmin>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    id: web::Path<MedicineId>,
    Validated(body): Validated<web::Json<MedicineRequest>>,
) -> Result<HttpResponse, ApiError> {
    let medicine = state
        .medicines
        .update(&id, NewMedicine::try_from(body.into_inner())?, &audit)
        .await?;
    Ok(envelope::ok(MedicineDto::from(medicine)))
}

/// Deletes a product that no pharmacy stocks.
#[utoipa::path(
    delete, path = "/api/v1/medicines/{id}", tag = "medicines",
    params(("id" = String, Path, description = "Medicine id", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    security(("bearer" = [])),
    responses(
        (status = 403, description = "`forbidden`: not a pharmacist or administrator", body = ErrorEnvelope),
        (status = 204, description = "Deleted"),
        (status = 400, description = "`invalid_path`", body = ErrorEnvelope),
        (status = 404, description = "`medicine_not_found`", body = ErrorEnvelope),
        (status = 409, description = "`conflict`: still stocked", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(medicine_id = %id))]
pub(crate) async fn delete_medicine(
    _writer: Authorized<PharmacistOrAdmin>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    id: web::Path<MedicineId>,
) -> Result<HttpResponse, ApiError> {
    state.medicines.delete(&id, &audit).await?;
    tracing::info!("medicine deleted");
    Ok(HttpResponse::NoContent().finish())
}
