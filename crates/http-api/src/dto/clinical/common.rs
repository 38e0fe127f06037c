//! Wire types shared by the clinical endpoints: product summaries, warnings, "not checked"
//! entries, severities and the knowledge/disclaimer meta block (the patient is in `patient`).
//!
//! The engine's result types derive `Serialize`, but they are mapped here field by field anyway: the
//! engine may rename or add fields while its owner works on it, and clients must not notice.

use pharmarec_domain::{IngredientKey, KnowledgeVersion, Severity};
use pharmarec_recommendation::{
    Alert, AlertKind, ConditionFromText, Excluded, MedicineSummary, NotChecked, SharedText,
    StockLine,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::medicine::MarketingStatusDto;

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
    #[schema(value_type = Vec<String>)]
    ingredients: Vec<IngredientKey>,
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
            ingredients: summary.ingredients,
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
    /// An age rule (children's limits, Reye's syndrome), `data/rules/age_rules.csv`.
    Age,
    /// A pregnancy rule for the patient's stage, `data/rules/pregnancy_rules.csv`.
    PregnancyStage,
    /// A breast-feeding rule, `data/rules/lactation_rules.csv`.
    BreastFeeding,
    /// A drug-condition rule, `data/rules/condition_rules.csv`.
    Condition,
    /// Withdrawn from the market, `data/rules/withdrawn.csv`.
    Withdrawn,
    /// A warning of an ingredient suggestion's OTC category, `otc_monograph_warnings.csv`.
    MonographWarning,
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
            AlertKind::Age => Self::Age,
            AlertKind::PregnancyStage => Self::PregnancyStage,
            AlertKind::BreastFeeding => Self::BreastFeeding,
            AlertKind::Condition => Self::Condition,
            AlertKind::Withdrawn => Self::Withdrawn,
            AlertKind::MonographWarning => Self::MonographWarning,
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
    #[schema(value_type = String)]
    message: SharedText,
    /// A source citation, or `pharmarec structural rule`.
    #[schema(value_type = String)]
    source: SharedText,
    /// Ingredients concerned.
    #[schema(value_type = Vec<String>)]
    ingredients: Vec<IngredientKey>,
    /// Where the rule's source was read (rules of the cited tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    source_url: Option<SharedText>,
    /// The patient fact that triggered it (`age 3 years`, `condition hypertension`).
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_fact: Option<String>,
}

impl From<Alert> for AlertDto {
    fn from(alert: Alert) -> Self {
        Self {
            kind: alert.kind.into(),
            severity: alert.severity.map(Into::into),
            message: alert.message,
            source: alert.source,
            ingredients: alert.ingredients,
            source_url: alert.source_url,
            patient_fact: alert.patient_fact,
        }
    }
}

/// A patient fact that could not be checked, for which ingredients, and why: never a silent pass.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NotCheckedDto {
    /// `age`, `pregnancy`, `breast_feeding`, `conditions` or `weight`.
    fact: String,
    /// Ingredients it could not be checked for (empty: the whole answer).
    #[schema(value_type = Vec<String>)]
    ingredients: Vec<IngredientKey>,
    /// Why not.
    why: String,
}

impl From<NotChecked> for NotCheckedDto {
    fn from(entry: NotChecked) -> Self {
        Self {
            fact: entry.fact,
            ingredients: entry.ingredients,
            why: entry.why,
        }
    }
}

/// A condition read from the symptom text and used as the patient's, not as a complaint.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ConditionFromTextDto {
    /// The words as written (`history of stomach ulcer`).
    text: String,
    /// The condition code it was read as (`peptic_ulcer`).
    code: String,
}

impl From<ConditionFromText> for ConditionFromTextDto {
    fn from(condition: ConditionFromText) -> Self {
        Self {
            text: condition.text,
            code: condition.code,
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
