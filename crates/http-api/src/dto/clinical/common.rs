//! Wire types shared by the clinical endpoints: the patient, medicine references, product
//! summaries, warnings, severities and the knowledge/disclaimer meta block.
//!
//! The engine's result types derive `Serialize`, but they are mapped here field by field anyway: the
//! engine may rename or add fields while its owner works on it, and clients must not notice.

use pharmarec_domain::{DomainError, KnowledgeVersion, MedicineId, Severity};
use pharmarec_recommendation::{
    Alert, AlertKind, Excluded, MedicineRef, MedicineSummary, Patient, StockLine,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::dto::medicine::MarketingStatusDto;
use crate::error::{ApiError, FieldError};

/// Longest accepted name (ingredient, class, code); the longest real class names are ~100 characters.
const MAX_NAME_CHARS: usize = 200;

/// The person a clinical answer is for; every field is optional.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PatientDto {
    /// Age in years, 0-130. Accepted but not yet used by the engine (age limits exist only inside
    /// verbatim label warnings, which are shown as they are).
    #[validate(range(max = 130, message = "must be at most 130"))]
    #[schema(maximum = 130)]
    age: Option<u16>,
    /// Pregnant.
    pregnant: bool,
    /// Breast-feeding.
    breast_feeding: bool,
    /// Ingredient names (any synonym) or FDA pharmacologic class names; at most 50.
    #[validate(
        length(max = 50, message = "must list at most 50 entries"),
        custom(function = "names_fit")
    )]
    allergies: Vec<String>,
    /// Medicines the patient takes now, by product id or ingredient name; at most 50.
    #[validate(length(max = 50, message = "must list at most 50 entries"))]
    current_medicines: Vec<MedicineRefDto>,
}

/// A medicine named by catalogue product id or by active ingredient (any of its names).
// `Serialize` only because validator's length rule echoes the rejected value into its error.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum MedicineRefDto {
    /// `{"medicine_id": "OB-A071192-001"}`.
    MedicineId(String),
    /// `{"ingredient": "paracetamol"}`.
    Ingredient(String),
}

/// Why a name is rejected; one text for lists and single references alike.
const NAME_RULE: &str = "must be 1-200 characters";

/// A name (ingredient, class, code) is not blank and at most 200 characters.
fn name_fits(name: &str) -> bool {
    !name.trim().is_empty() && name.chars().count() <= MAX_NAME_CHARS
}

/// Every name in the list is 1-200 characters.
pub(crate) fn names_fit(names: &[String]) -> Result<(), ValidationError> {
    if names.iter().all(|n| name_fits(n)) {
        Ok(())
    } else {
        Err(ValidationError::new("name_length")
            .with_message(format!("each entry {NAME_RULE}").into()))
    }
}

/// Converts medicine references, reporting every malformed one under `field[index]`.
///
/// A well-formed id or name the catalogue does not know is not an error: the engine reports it as
/// unrecognised, so the caller sees it was not checked.
pub(crate) fn medicine_refs(
    field: &str,
    refs: Vec<MedicineRefDto>,
) -> Result<Vec<MedicineRef>, ApiError> {
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(refs.len());
    for (index, reference) in refs.into_iter().enumerate() {
        match reference {
            MedicineRefDto::MedicineId(id) => match id.parse::<MedicineId>() {
                Ok(id) => out.push(MedicineRef::MedicineId(id)),
                Err(error) => problems.push(FieldError {
                    field: format!("{field}[{index}].medicine_id"),
                    // The domain's own rule text; the field is already in the path.
                    reason: match error {
                        DomainError::Invalid { reason, .. } => reason,
                        other => other.to_string(),
                    },
                }),
            },
            MedicineRefDto::Ingredient(name) if name_fits(&name) => {
                out.push(MedicineRef::Ingredient(name));
            }
            MedicineRefDto::Ingredient(_) => problems.push(FieldError {
                field: format!("{field}[{index}].ingredient"),
                reason: NAME_RULE.to_owned(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(problems))
    }
}

impl PatientDto {
    /// The engine's patient; `field` is the body path of this object, for error paths.
    pub(crate) fn into_patient(self, field: &str) -> Result<Patient, ApiError> {
        Ok(Patient {
            age: self.age,
            pregnant: self.pregnant,
            breast_feeding: self.breast_feeding,
            allergies: self.allergies,
            current_medicines: medicine_refs(
                &format!("{field}.current_medicines"),
                self.current_medicines,
            )?,
        })
    }
}

/// Severity on PharmaRec's scale, least severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SeverityDto {
    /// Usually no action needed; be aware.
    Minor,
    /// Monitor or adjust.
    Moderate,
    /// Avoid the combination.
    Major,
    /// Never combine.
    Contraindicated,
}

impl From<Severity> for SeverityDto {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Minor => Self::Minor,
            Severity::Moderate => Self::Moderate,
            Severity::Major => Self::Major,
            Severity::Contraindicated => Self::Contraindicated,
        }
    }
}

impl From<SeverityDto> for Severity {
    fn from(severity: SeverityDto) -> Self {
        match severity {
            SeverityDto::Minor => Self::Minor,
            SeverityDto::Moderate => Self::Moderate,
            SeverityDto::Major => Self::Major,
            SeverityDto::Contraindicated => Self::Contraindicated,
        }
    }
}

/// What a clinical answer was computed from, and the disclaimer that goes with every answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClinicalMeta {
    /// The knowledge snapshot used.
    knowledge: KnowledgeDto,
    /// Decision support only: supports, and does not replace, a pharmacist's judgement.
    disclaimer: &'static str,
}

/// Version and sources of the knowledge snapshot an answer was computed from.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KnowledgeDto {
    /// Monotonic catalogue version; changes with every catalogue write or import.
    catalogue_version: i64,
    /// Names and editions of the sources loaded.
    sources: Vec<String>,
}

impl ClinicalMeta {
    /// The meta block of an engine report.
    pub(crate) fn new(knowledge: &KnowledgeVersion, disclaimer: &'static str) -> Self {
        Self {
            knowledge: KnowledgeDto {
                catalogue_version: knowledge.catalogue_version,
                sources: knowledge.sources.clone(),
            },
            disclaimer,
        }
    }
}

/// A product as shown in a clinical answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MedicineSummaryDto {
    /// Product id.
    id: String,
    /// Trade name.
    brand_name: String,
    /// Active ingredient keys, label order.
    ingredients: Vec<String>,
    /// Strength as labelled.
    strength: String,
    /// Dose form.
    dose_form: String,
    /// Route.
    route: String,
    /// OTC or prescription.
    status: MarketingStatusDto,
    /// FDA therapeutic-equivalence codes.
    te_codes: Vec<String>,
    /// The pharmacy's stock line, present only when `pharmacy_id` was given and it lists the product.
    #[serde(skip_serializing_if = "Option::is_none")]
    stock: Option<StockLineDto>,
}

/// Quantity and unit price of a product at the pharmacy asked about.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StockLineDto {
    /// Units on hand.
    quantity: i64,
    /// Unit price in minor units (cents).
    price_minor: i64,
    /// ISO 4217 currency code.
    currency: String,
}

impl From<MedicineSummary> for MedicineSummaryDto {
    fn from(summary: MedicineSummary) -> Self {
        Self {
            id: summary.id.into(),
            brand_name: summary.brand_name,
            ingredients: summary.ingredients.into_iter().map(Into::into).collect(),
            strength: summary.strength,
            dose_form: summary.dose_form,
            route: summary.route,
            status: summary.status.into(),
            te_codes: summary
                .te_codes
                .iter()
                .map(|code| code.as_str().to_owned())
                .collect(),
            stock: summary.stock.map(StockLineDto::from),
        }
    }
}

impl From<StockLine> for StockLineDto {
    fn from(line: StockLine) -> Self {
        Self {
            quantity: line.quantity,
            price_minor: line.price.minor,
            currency: line.price.currency,
        }
    }
}

/// What a warning or an exclusion is about.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AlertKindDto {
    /// Allergy to the ingredient or its pharmacologic class.
    Allergy,
    /// A recorded contraindication (pregnancy category X).
    Contraindication,
    /// An interaction with a medicine the patient takes.
    Interaction,
    /// The patient already takes this ingredient.
    DuplicateIngredient,
    /// A pregnancy category below contraindication (D, C).
    Pregnancy,
    /// Verbatim OTC label text: "Do not use".
    LabelDoNotUse,
    /// Verbatim OTC label text: "Ask a doctor before use if".
    LabelAskDoctor,
    /// Verbatim OTC label text: "Ask a doctor or pharmacist before use if".
    LabelAskDoctorOrPharmacist,
    /// Verbatim OTC label text: "If pregnant or breast-feeding".
    LabelPregnancyOrBreastFeeding,
    /// The sources hold nothing on this question: not checked, not safe.
    NotCovered,
}

impl From<AlertKind> for AlertKindDto {
    fn from(kind: AlertKind) -> Self {
        match kind {
            AlertKind::Allergy => Self::Allergy,
            AlertKind::Contraindication => Self::Contraindication,
            AlertKind::Interaction => Self::Interaction,
            AlertKind::DuplicateIngredient => Self::DuplicateIngredient,
            AlertKind::Pregnancy => Self::Pregnancy,
            AlertKind::LabelDoNotUse => Self::LabelDoNotUse,
            AlertKind::LabelAskDoctor => Self::LabelAskDoctor,
            AlertKind::LabelAskDoctorOrPharmacist => Self::LabelAskDoctorOrPharmacist,
            AlertKind::LabelPregnancyOrBreastFeeding => Self::LabelPregnancyOrBreastFeeding,
            AlertKind::NotCovered => Self::NotCovered,
        }
    }
}

/// A warning on a result, or the reason a product was excluded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AlertDto {
    /// What it is about.
    kind: AlertKindDto,
    /// Severity; `null` for verbatim label text and "not covered" notes, which the sources do not grade.
    severity: Option<SeverityDto>,
    /// Human-readable text, built from the data row or quoting it verbatim.
    message: String,
    /// A source citation, or `pharmarec structural rule`.
    source: String,
    /// Ingredients concerned.
    ingredients: Vec<String>,
}

impl From<Alert> for AlertDto {
    fn from(alert: Alert) -> Self {
        Self {
            kind: alert.kind.into(),
            severity: alert.severity.map(Into::into),
            message: alert.message,
            source: alert.source,
            ingredients: alert.ingredients.into_iter().map(Into::into).collect(),
        }
    }
}

/// A product the patient must not be given, with the most severe reason.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ExcludedDto {
    /// The product.
    medicine: MedicineSummaryDto,
    /// Why it was excluded.
    reason: AlertDto,
}

impl From<Excluded> for ExcludedDto {
    fn from(excluded: Excluded) -> Self {
        Self {
            medicine: excluded.medicine.into(),
            reason: excluded.reason.into(),
        }
    }
}

/// Maps a list with `From`, the shape of every list in the clinical answers.
pub(crate) fn map_all<T, U: From<T>>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(U::from).collect()
}
