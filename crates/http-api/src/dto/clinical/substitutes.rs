//! `GET`/`POST /api/v1/medicines/{id}/substitutes`: the query, the body and the answer.

use pharmarec_domain::PharmacyId;
use pharmarec_recommendation::{Substitute, SubstituteKind, Substitutes};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::common::{AlertDto, ExcludedDto, MedicineSummaryDto, NotCheckedDto, map_all};
use super::patient::PatientDto;
use crate::dto::wire;

/// Substitutes of each kind returned when the request does not say.
const DEFAULT_LIMIT: usize = 10;

/// `?pharmacy_id=&limit=` of `GET /api/v1/medicines/{id}/substitutes`.
#[derive(Debug, Default, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SubstitutesQuery {
    /// Offer only products this pharmacy has on hand, cheapest first among equals.
    pharmacy_id: Option<Uuid>,
    /// Maximum generic equivalents and, separately, therapeutic alternatives, 1-50 (default 10).
    #[validate(range(min = 1, max = 50, message = "must be between 1 and 50"))]
    #[param(minimum = 1, maximum = 50)]
    limit: Option<u32>,
}

/// Body of `POST /api/v1/medicines/{id}/substitutes`: the same as the query, plus the patient.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubstitutesRequest {
    /// The patient the substitutes must be safe for, as far as the data knows.
    #[serde(default, deserialize_with = "wire::object")]
    #[validate(nested)]
    patient: PatientDto,
    /// Offer only products this pharmacy has on hand, cheapest first among equals.
    pharmacy_id: Option<Uuid>,
    /// Maximum generic equivalents and, separately, therapeutic alternatives, 1-50 (default 10).
    #[validate(range(min = 1, max = 50, message = "must be between 1 and 50"))]
    #[schema(minimum = 1, maximum = 50, default = 10)]
    #[serde(default, deserialize_with = "wire::optional")]
    limit: Option<u32>,
}

/// The options both forms share, resolved.
#[derive(Debug)]
pub(crate) struct SubstituteParams {
    pub(crate) pharmacy: Option<PharmacyId>,
    pub(crate) limit: usize,
}

fn params(pharmacy_id: Option<Uuid>, limit: Option<u32>) -> SubstituteParams {
    SubstituteParams {
        pharmacy: pharmacy_id.map(PharmacyId::from),
        limit: limit.map_or(DEFAULT_LIMIT, |limit| limit as usize),
    }
}

impl SubstitutesQuery {
    /// The options of the `GET` form.
    pub(crate) fn params(&self) -> SubstituteParams {
        params(self.pharmacy_id, self.limit)
    }
}

impl SubstitutesRequest {
    /// The patient and the options of the `POST` form.
    pub(crate) fn into_parts(self) -> (PatientDto, SubstituteParams) {
        (self.patient, params(self.pharmacy_id, self.limit))
    }
}

/// The answer: the medicine, then its substitutes (generic equivalents first), and what was excluded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubstitutesDto {
    /// The medicine to replace.
    medicine: MedicineSummaryDto,
    /// Generic equivalents best first, then therapeutic alternatives best first.
    substitutes: Vec<SubstituteDto>,
    /// Candidates this patient must not take, with the reason.
    excluded: Vec<ExcludedDto>,
    /// Allergies, conditions and current medicines that matched nothing: they could not be checked.
    unrecognised_patient_entries: Vec<String>,
    /// Interactions with current medicines below the warning severity, left off the warnings (the
    /// basket check lists them with `min_severity: "minor"`).
    suppressed_interactions: usize,
    /// Patient facts that could not be checked over the whole answer, and why.
    not_checked: Vec<NotCheckedDto>,
}

/// Whether a substitute is the same medicine from another maker or a different one.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SubstituteKindDto {
    /// FDA-rated therapeutic equivalent: same ingredients, strength, form and route, shared `A*` code.
    GenericEquivalent,
    /// Different active ingredients for the same purpose: needs the prescriber's or pharmacist's call.
    TherapeuticAlternative,
}

/// One substitute with why it qualifies.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubstituteDto {
    /// The product.
    medicine: MedicineSummaryDto,
    /// Generic equivalent or therapeutic alternative.
    kind: SubstituteKindDto,
    /// Why it qualifies, one fact per entry, from the data.
    why: Vec<String>,
    /// What the pharmacist should check for this patient (alerts triggered by the patient's facts).
    warnings: Vec<AlertDto>,
    /// The rest of the product's OTC label, ungraded, once.
    label: Vec<AlertDto>,
    /// Patient facts that could not be checked for this substitute, and why.
    not_checked: Vec<NotCheckedDto>,
}

impl From<Substitutes> for SubstitutesDto {
    fn from(answer: Substitutes) -> Self {
        Self {
            medicine: answer.medicine.into(),
            // One list, generics first: a generic swap needs no clinical decision, an alternative does.
            substitutes: map_all(
                answer
                    .generics
                    .into_iter()
                    .chain(answer.alternatives)
                    .collect(),
            ),
            excluded: map_all(answer.excluded),
            unrecognised_patient_entries: answer.unrecognised_patient_entries,
            suppressed_interactions: answer.suppressed_interactions,
            not_checked: map_all(answer.not_checked),
        }
    }
}

impl From<Substitute> for SubstituteDto {
    fn from(substitute: Substitute) -> Self {
        Self {
            medicine: substitute.medicine.into(),
            kind: match substitute.kind {
                SubstituteKind::GenericEquivalent => SubstituteKindDto::GenericEquivalent,
                SubstituteKind::TherapeuticAlternative => SubstituteKindDto::TherapeuticAlternative,
            },
            why: substitute.why,
            warnings: map_all(substitute.warnings),
            label: map_all(substitute.label),
            not_checked: map_all(substitute.not_checked),
        }
    }
}
