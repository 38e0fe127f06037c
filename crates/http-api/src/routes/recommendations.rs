//! `POST /api/v1/recommendations`: ranked, explained, patient-filtered treatments for symptoms.

use std::time::Instant;

use actix_web::{HttpResponse, web};
use pharmarec_recommendation::{RecommendOptions, RecommendationError, Recommendations};

use crate::auth::{MaybeUser, sees_prescription};
use crate::availability::pharmacy_stock;
use crate::dto::{
    ClinicalMeta, RecommendationInput, RecommendationRequest, RecommendationsDto,
    check_condition_codes,
};
use crate::envelope::{self, Clinical, ErrorEnvelope};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/recommendations").post(recommend).cached());
}

/// Recommends treatments for symptoms or condition codes, safe for the patient as far as the data knows.
///
/// Each treatment is a set of active ingredients: its best product, the other products, a score,
/// the reasons (which term matched which indication, from which source) and warnings. Treatments
/// the patient must not take are listed in `excluded` with the reason.
#[utoipa::path(
    post, path = "/api/v1/recommendations", tag = "clinical",
    request_body = RecommendationRequest,
    responses(
        (status = 200, description = "Ranked treatments, exclusions and unrecognised terms", body = Clinical<RecommendationsDto>),
        (status = 400, description = "`invalid_json` or `invalid_body` (unknown field, wrong type, `pharmacy_id` not a UUID)", body = ErrorEnvelope),
        (status = 404, description = "`pharmacy_not_found`", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: no symptoms or codes, limit outside 1-50, too long or too many entries", body = ErrorEnvelope),
        (status = 503, description = "`knowledge_unavailable`: no catalogue loaded; `dependency_unavailable`: stock could not be read", body = ErrorEnvelope),
    )
)]
// Symptoms and patient details are health data: never put them on spans or in logs.
#[tracing::instrument(skip_all)]
pub(crate) async fn recommend(
    MaybeUser(caller): MaybeUser,
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<RecommendationRequest>>,
) -> Result<HttpResponse, ApiError> {
    let mut input = RecommendationInput::try_from(body.into_inner())?;
    // Prescription medicines are for pharmacists and administrators; everyone else gets OTC only,
    // whatever they ask for. The answer's `otc_only` says which applied.
    input.otc_only |= !sees_prescription(caller.as_ref());
    let stock = pharmacy_stock(&state, input.pharmacy).await?;
    // Taken after the last await, so the answer uses the freshest snapshot, and only this one.
    let catalogue = state.knowledge.current();
    // Condition codes are the snapshot's vocabulary: an unknown one is the caller's mistake (422).
    check_condition_codes("patient", &input.patient, catalogue.condition_codes())?;
    let options = RecommendOptions {
        limit: input.limit,
        otc_only: input.otc_only,
        stock: stock.as_ref(),
        include_products: input.include_products,
        max_products: input.max_products,
        ..RecommendOptions::default()
    };
    // Inline on the worker: on the full shipped catalogue `recommend` takes tens of µs (figures in
    // docs/PERFORMANCE.md), less than a hop to the blocking pool would cost.
    let started = Instant::now();
    let answer = catalogue.recommend(&input.query, &input.patient, &options);
    state
        .metrics
        .observe_recommendation(outcome(&answer), started.elapsed());
    let answer = answer?;
    tracing::info!(
        recommended = answer.recommendations.len(),
        excluded = answer.excluded.len(),
        unrecognised = answer.unrecognised_terms.len(),
        catalogue_version = answer.knowledge.catalogue_version,
        "recommendation served"
    );
    let meta = ClinicalMeta::new(&answer.knowledge, answer.disclaimer);
    Ok(envelope::clinical(
        meta,
        RecommendationsDto::new(answer, input.otc_only),
    ))
}

/// The `outcome` label of `pharmarec_recommendations_total`: a small fixed set, so few series.
fn outcome(answer: &Result<Recommendations, RecommendationError>) -> &'static str {
    match answer {
        Ok(answer) if !answer.recommendations.is_empty() => "recommended",
        // Something matched, but nothing is safe for this patient: worth watching separately.
        Ok(answer) if !answer.excluded.is_empty() => "all_excluded",
        Ok(_) => "no_match",
        Err(
            RecommendationError::CatalogueNotLoaded
            | RecommendationError::InteractionKnowledgeUnavailable,
        ) => "knowledge_unavailable",
        Err(_) => "error",
    }
}
