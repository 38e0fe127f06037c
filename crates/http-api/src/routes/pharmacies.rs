//! `/api/v1/pharmacies`: create, list and read pharmacies.

use actix_web::{HttpResponse, web};
use pharmarec_domain::{NewPharmacy, PharmacyId};

use super::API_PREFIX;
use crate::auth::{AdminOnly, Audit, Authorized, MaybeUser};
use crate::dto::{NewPharmacyRequest, PagingQuery, PharmacyDto};
use crate::envelope::{self, Envelope, ErrorEnvelope, Paginated};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::new("/pharmacies")
            .get(list_pharmacies)
            .post(create_pharmacy)
            .invalidates_cache(),
    )
    .service(Endpoint::new("/pharmacies/{id}").get(get_pharmacy));
}

/// Creates a pharmacy.
#[utoipa::path(
    post, path = "/api/v1/pharmacies", tag = "pharmacies",
    request_body = NewPharmacyRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names the new pharmacy", body = Envelope<PharmacyDto>,
            headers(("Location" = String, description = "URL of the new pharmacy"))),
        (status = 400, description = "`invalid_json` or `invalid_body`", body = ErrorEnvelope),
        (status = 403, description = "`forbidden`: not an administrator", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn create_pharmacy(
    _admin: Authorized<AdminOnly>,
    Audit(audit): Audit,
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<NewPharmacyRequest>>,
) -> Result<HttpResponse, ApiError> {
    let pharmacy = state
        .pharmacies
        .create(NewPharmacy::from(body.into_inner()), &audit)
        .await?;
    tracing::info!(pharmacy_id = %pharmacy.id, "pharmacy created");
    let location = format!("{API_PREFIX}/pharmacies/{}", pharmacy.id);
    Ok(envelope::created(&location, PharmacyDto::from(pharmacy)))
}

/// A page of pharmacies by name.
#[utoipa::path(
    get, path = "/api/v1/pharmacies", tag = "pharmacies",
    params(PagingQuery),
    responses(
        (status = 200, description = "One page of pharmacies", body = Paginated<PharmacyDto>),
        (status = 400, description = "`invalid_query`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn list_pharmacies(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    query: web::Query<PagingQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = state.pharmacies.list(query.to_page_request()?).await?;
    Ok(envelope::paginated(page.map(PharmacyDto::from)))
}

/// One pharmacy.
#[utoipa::path(
    get, path = "/api/v1/pharmacies/{id}", tag = "pharmacies",
    params(("id" = uuid::Uuid, Path, description = "Pharmacy id")),
    responses(
        (status = 200, description = "The pharmacy", body = Envelope<PharmacyDto>),
        (status = 400, description = "`invalid_path`: not a UUID", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(pharmacy_id = %id))]
pub(crate) async fn get_pharmacy(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<PharmacyId>,
) -> Result<HttpResponse, ApiError> {
    let pharmacy = state.pharmacies.get(*id).await?;
    Ok(envelope::ok(PharmacyDto::from(pharmacy)))
}
