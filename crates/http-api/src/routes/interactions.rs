//! `POST /api/v1/interactions/check`: interactions, duplications, allergy and contraindication hits.

use actix_web::{HttpResponse, web};
use pharmarec_recommendation::BasketOptions;

use crate::auth::MaybeUser;
use crate::dto::{
    ClinicalMeta, InteractionCheckInput, InteractionCheckRequest, InteractionReportDto,
    check_condition_codes,
};
use crate::envelope::{self, Clinical, ErrorEnvelope};
use crate::error::ApiError;
use crate::extract::Validated;
use crate::routes::Endpoint;
use crate::state::AppState;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(Endpoint::new("/interactions/check").post(check_interactions));
}

/// Checks medicines together (and with the patient's current medicines) and gives a verdict.
///
/// The verdict is the worst severity found, or `no_known_interaction`, which is not a statement of
/// safety. Unknown names are listed in `unrecognised` and ingredients no source covers in
/// `not_covered`: neither was checked.
#[utoipa::path(
    post, path = "/api/v1/interactions/check", tag = "clinical",
    request_body = InteractionCheckRequest,
    responses(
        (status = 200, description = "Verdict, findings, unrecognised items and uncovered ingredients", body = Clinical<InteractionReportDto>),
        (status = 400, description = "`invalid_json` or `invalid_body` (unknown field, unknown severity)", body = ErrorEnvelope),
        (status = 413, description = "`payload_too_large`", body = ErrorEnvelope),
        (status = 422, description = "`validation_failed`: items outside 1-50, malformed id or name", body = ErrorEnvelope),
        (status = 503, description = "`knowledge_unavailable`: interaction knowledge is not loaded, so no check is possible", body = ErrorEnvelope),
    )
)]
// Medicines and patient details are health data: never put them on spans or in logs.
#[tracing::instrument(skip_all)]
pub(crate) async fn check_interactions(
    _reader: MaybeUser,
    state: web::Data<AppState>,
    Validated(body): Validated<web::Json<InteractionCheckRequest>>,
) -> Result<HttpResponse, ApiError> {
    let input = InteractionCheckInput::try_from(body.into_inner())?;
    let catalogue = state.knowledge.current();
    // Condition codes are the snapshot's vocabulary: an unknown one is the caller's mistake (422).
    check_condition_codes("patient", &input.patient, catalogue.condition_codes())?;
    let options = BasketOptions {
        min_severity: input.min_severity,
    };
    let report = catalogue.check_basket(&input.items, &input.patient, &options)?;
    tracing::info!(
        findings = report.findings.len(),
        unrecognised = report.unrecognised.len(),
        not_covered = report.not_covered.len(),
        catalogue_version = report.knowledge.catalogue_version,
        "interaction check served"
    );
    let meta = ClinicalMeta::new(&report.knowledge, report.disclaimer);
    Ok(envelope::clinical(meta, InteractionReportDto::from(report)))
}
