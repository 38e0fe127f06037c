//! `/api/v1/medicines/{id}/substitutes`: generic equivalents, then therapeutic alternatives.
//!
//! `GET` answers for an unknown patient; `POST` takes the patient in the body, so allergies and
//! current medicines never end up in URLs and access logs.

use actix_web::{HttpResponse, web};
use pharmarec_domain::MedicineId;
use pharmarec_recommendation::{Patient, SubstituteOptions};

use crate::auth::MaybeUser;
use crate::availability::pharmacy_stock;
use crate::dto::{
    ClinicalMeta, SubstituteParams, SubstitutesDto, SubstitutesQuery, SubstitutesRequest,
    check_condition_codes,
};
use crate::envelope::{self, Clinical, ErrorEnvelope};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        Endpoint::new("/medicines/{id}/substitutes")
            .get(get_substitutes)
            .post(post_substitutes),
    );
}

/// Substitutes of a medicine for a patient about whom nothing is known.
#[utoipa::path(
    get, path = "/api/v1/medicines/{id}/substitutes", tag = "clinical",
    params(("id" = String, Path, description = "Medicine id, e.g. `OB-A071192-001`", pattern = r"^[A-Za-z0-9_-]{1,64}$"), SubstitutesQuery),
    responses(
        (status = 200, description = "Generic equivalents first, then therapeutic alternatives, each with why it qualifies", body = Clinical<SubstitutesDto>),
        (status = 400, description = "`invalid_path` or `invalid_query` (unknown parameter, `pharmacy_id` not a UUID)", body = ErrorEnvelope),
        (status = 404, description = "`medicine_not_found` or `pharmacy_not_found`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: limit outside 1-50", body = ErrorEnvelope),
        (status = 503, description = "`knowledge_unavailable`: no catalogue loaded", body = ErrorEnvelope),
    )
)]
#[tracing::instrument(skip_all, fields(medicine_id = %id))]
pub(crate) async fn get_substitutes(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<MedicineId>,
    Validated(query): Validated<web::Query<SubstitutesQuery>>,
) -> Result<HttpResponse, ApiError> {
    substitutes(&state, &id, &Patient::default(), query.params()).await
}

/// Substitutes of a medicine that are safe for the patient in the body, as far as the data knows.
#[utoipa::path(
    post, path = "/api/v1/medicines/{id}/substitutes", tag = "clinical",
    params(("id" = String, Path, description = "Medicine id, e.g. `OB-A071192-001`", pattern = r"^[A-Za-z0-9_-]{1,64}$")),
    request_body = SubstitutesRequest,
    responses(
        (status = 200, description = "Generic equivalents first, then therapeutic alternatives; excluded candidates with the reason", body = Clinical<SubstitutesDto>),
        (status = 400, description = "`invalid_json`, `invalid_body` or `invalid_path`", body = ErrorEnvelope),
        (status = 404, description = "`medicine_not_found` or `pharmacy_not_found`", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`", body = ErrorEnvelope),
        (status = 503, description = "`knowledge_unavailable`: no catalogue loaded", body = ErrorEnvelope),
    )
)]
// Patient details are health data: never put them on spans or in logs.
#[tracing::instrument(skip_all, fields(medicine_id = %id))]
pub(crate) async fn post_substitutes(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<MedicineId>,
    Validated(body): Validated<web::Json<SubstitutesRequest>>,
) -> Result<HttpResponse, ApiError> {
    let (patient, params) = body.into_inner().into_parts();
    let patient = patient.into_patient("patient")?;
    substitutes(&state, &id, &patient, params).await
}

/// What both forms do once the patient and the options are known.
async fn substitutes(
    state: &AppState,
    id: &MedicineId,
    patient: &Patient,
    params: SubstituteParams,
) -> Result<HttpResponse, ApiError> {
    let stock = pharmacy_stock(state, params.pharmacy).await?;
    // Taken after the last await, so the answer uses the freshest snapshot, and only this one.
    let catalogue = state.knowledge.current();
    // Condition codes are the snapshot's vocabulary: an unknown one is the caller's mistake (422).
    check_condition_codes("patient", patient, catalogue.condition_codes())?;
    let options = SubstituteOptions {
        limit: params.limit,
        stock: stock.as_ref(),
        ..SubstituteOptions::default()
    };
    // Inline, like `recommend`: sub-millisecond on the full catalogue (docs/PERFORMANCE.md).
    let answer = catalogue.substitutes(id, patient, &options)?;
    tracing::info!(
        generics = answer.generics.len(),
        alternatives = answer.alternatives.len(),
        excluded = answer.excluded.len(),
        catalogue_version = answer.knowledge.catalogue_version,
        "substitutes served"
    );
    let meta = ClinicalMeta::new(&answer.knowledge, answer.disclaimer);
    Ok(envelope::clinical(meta, SubstitutesDto::from(answer)))
}
