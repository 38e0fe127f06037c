//! `POST /api/v1/interactions/check`: the basket, and the verdict with its findings.

use pharmarec_domain::{IngredientKey, Severity};
use pharmarec_recommendation::{
    BasketReport, Finding, FindingKind, InteractionEvidence, MedicineRef, Patient, SharedText,
    Verdict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::common::{NotCheckedDto, SeverityDto, map_all};
use super::patient::{MedicineRefDto, PatientDto, medicine_refs};
use crate::dto::wire;
use crate::error::ApiError;

/// Body of `POST /api/v1/interactions/check`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub(crate) struct InteractionCheckRequest {
    /// The medicines to check together, by product id or ingredient name; 1-50.
    #[validate(length(min = 1, max = 50, message = "must list 1-50 items"))]
    #[schema(min_items = 1, max_items = 50)]
    items: Vec<MedicineRefDto>,
    /// The patient: allergies, pregnancy, and current medicines (checked as part of the basket).
    #[serde(default, deserialize_with = "wire::object")]
    #[validate(nested)]
    patient: PatientDto,
    /// Leave out findings below this severity (default `minor`: report everything).
    min_severity: Option<SeverityDto>,
}

/// An interaction check as the engine takes it.
#[derive(Debug)]
pub(crate) struct InteractionCheckInput {
    pub(crate) items: Vec<MedicineRef>,
    pub(crate) patient: Patient,
    pub(crate) min_severity: Severity,
}

impl TryFrom<InteractionCheckRequest> for InteractionCheckInput {
    type Error = ApiError;

    fn try_from(request: InteractionCheckRequest) -> Result<Self, Self::Error> {
        Ok(Self {
            items: medicine_refs("items", request.items)?,
            patient: request.patient.into_patient("patient")?,
            min_severity: request.min_severity.map_or(Severity::Minor, Severity::from),
        })
    }
}

/// The overall verdict: the worst severity found, or that the sources know of none.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum VerdictDto {
    /// Nothing at or above `min_severity` in the sources used. Not a statement of safety.
    NoKnownInteraction,
    /// Worst finding is minor.
    Minor,
    /// Worst finding is moderate.
    Moderate,
    /// Worst finding is major.
    Major,
    /// Worst finding is a contraindication.
    Contraindicated,
}

impl From<Verdict> for VerdictDto {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::NoKnownInteraction => Self::NoKnownInteraction,
            Verdict::Minor => Self::Minor,
            Verdict::Moderate => Self::Moderate,
            Verdict::Major => Self::Major,
            Verdict::Contraindicated => Self::Contraindicated,
        }
    }
}

/// The answer to an interaction check.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InteractionReportDto {
    /// Worst severity reported, or `no_known_interaction` (never "safe").
    verdict: VerdictDto,
    /// The verdict in words, naming the sources.
    verdict_text: String,
    /// Findings at or above `min_severity`, most severe first; independent of item order.
    findings: Vec<FindingDto>,
    /// Findings below `min_severity`, left out.
    suppressed_findings: usize,
    /// Items (and patient entries) that matched no product or ingredient: not checked.
    unrecognised: Vec<String>,
    /// Ingredients no interaction source has any row about: not checked, not safe.
    not_covered: Vec<String>,
    /// Patient facts (age, pregnancy, breast-feeding, conditions, weight) that could not be checked.
    not_checked: Vec<NotCheckedDto>,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FindingKindDto {
    /// Two ingredients in different items interact according to a source.
    Interaction,
    /// The same ingredient in two items.
    DuplicateIngredient,
    /// Two ingredients of the same FDA pharmacologic class in different items.
    DuplicateClass,
    /// The patient is allergic to an ingredient or its class.
    Allergy,
    /// A recorded contraindication for this patient.
    Contraindication,
    /// A pregnancy category below contraindication.
    Pregnancy,
    /// An age rule.
    Age,
    /// A pregnancy rule for the patient's stage.
    PregnancyStage,
    /// A breast-feeding rule.
    BreastFeeding,
    /// A drug-condition rule.
    Condition,
    /// A withdrawn medicine.
    Withdrawn,
    /// An OTC label line about one of this patient's facts.
    Label,
}

/// One finding.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FindingDto {
    /// What it is about.
    kind: FindingKindDto,
    /// Severity (for interactions, the worst of the sources).
    severity: SeverityDto,
    /// Ingredients concerned, sorted.
    #[schema(value_type = Vec<String>)]
    ingredients: Vec<IngredientKey>,
    /// What the finding says, from the data or the named structural rule. For an interaction, the
    /// most severe source statement (with a count of the others when there are several).
    #[schema(value_type = String)]
    description: SharedText,
    /// Citation(s), or `pharmarec structural rule`.
    #[schema(value_type = String)]
    source: SharedText,
    /// Basket items involved, sorted.
    #[schema(value_type = Vec<String>)]
    items: std::sync::Arc<[SharedText]>,
    /// For interactions: each source's own statement, kept apart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<EvidenceDto>,
}

/// One source's statement about an interacting pair.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EvidenceDto {
    /// Source id (`merged_pddi`, `ansm_2020`, or the name a licensed source was imported under).
    source: String,
    /// Citation to show.
    citation: String,
    /// PharmaRec's mapping of the source's level.
    severity: SeverityDto,
    /// The level as the source prints it.
    #[schema(value_type = Option<String>)]
    original_level: Option<SharedText>,
    /// The source's text (verbatim, French for ANSM) or its structured facts. Absent for the
    /// statement the finding's own `description` already quotes, so no text is sent twice.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    description: Option<SharedText>,
    /// Source-specific ids.
    #[schema(value_type = Vec<String>)]
    source_ids: std::sync::Arc<[String]>,
}

impl From<BasketReport> for InteractionReportDto {
    fn from(report: BasketReport) -> Self {
        Self {
            verdict: report.verdict.into(),
            verdict_text: report.verdict_text,
            findings: map_all(report.findings),
            suppressed_findings: report.suppressed_findings,
            unrecognised: report.unrecognised,
            not_covered: map_all(report.not_covered),
            not_checked: map_all(report.not_checked),
        }
    }
}

impl From<Finding> for FindingDto {
    fn from(finding: Finding) -> Self {
        Self {
            kind: match finding.kind {
                FindingKind::Interaction => FindingKindDto::Interaction,
                FindingKind::DuplicateIngredient => FindingKindDto::DuplicateIngredient,
                FindingKind::DuplicateClass => FindingKindDto::DuplicateClass,
                FindingKind::Allergy => FindingKindDto::Allergy,
                FindingKind::Contraindication => FindingKindDto::Contraindication,
                FindingKind::Pregnancy => FindingKindDto::Pregnancy,
                FindingKind::Age => FindingKindDto::Age,
                FindingKind::PregnancyStage => FindingKindDto::PregnancyStage,
                FindingKind::BreastFeeding => FindingKindDto::BreastFeeding,
                FindingKind::Condition => FindingKindDto::Condition,
                FindingKind::Withdrawn => FindingKindDto::Withdrawn,
                FindingKind::Label => FindingKindDto::Label,
            },
            severity: finding.severity.into(),
            ingredients: finding.ingredients,
            evidence: finding
                .evidence
                .into_iter()
                .map(|e| EvidenceDto::new(e, &finding.description))
                .collect(),
            description: finding.description,
            source: finding.source,
            items: finding.items,
        }
    }
}

impl EvidenceDto {
    /// One statement; its text is left out when `finding_description` (the finding's own text)
    /// already begins with it (issue 14: each ANSM statement was sent twice).
    fn new(evidence: InteractionEvidence, finding_description: &str) -> Self {
        let quoted = finding_description.starts_with(evidence.description.as_str());
        Self {
            citation: evidence.source.citation().to_string(),
            source: evidence.source.tag().to_string(),
            severity: evidence.severity.into(),
            original_level: evidence.original_level,
            description: (!quoted).then_some(evidence.description),
            source_ids: evidence.source_ids,
        }
    }
}

#[cfg(test)]
mod tests {
    use pharmarec_domain::{InteractionSource, Severity};
    use pharmarec_recommendation::{Finding, FindingKind, InteractionEvidence, SharedText};

    use super::FindingDto;

    fn evidence(source: InteractionSource, severity: Severity, text: &str) -> InteractionEvidence {
        InteractionEvidence {
            source,
            severity,
            original_level: None,
            description: SharedText::from(text),
            source_ids: Vec::new().into(),
        }
    }

    #[test]
    fn the_statement_the_finding_quotes_is_sent_once_and_the_others_in_full() {
        let finding = Finding {
            kind: FindingKind::Interaction,
            severity: Severity::Major,
            ingredients: Vec::new(),
            description: "a + b: ANSM statement (+1 other source statement(s) in evidence)".into(),
            source: "both".into(),
            items: Vec::new().into(),
            evidence: vec![
                evidence(
                    InteractionSource::Ansm2020,
                    Severity::Major,
                    "a + b: ANSM statement",
                ),
                evidence(
                    InteractionSource::MergedPddi,
                    Severity::Moderate,
                    "a + b: listed",
                ),
            ],
        };
        let json = serde_json::to_value(FindingDto::from(finding)).unwrap();
        assert!(
            json["description"]
                .as_str()
                .unwrap()
                .contains("ANSM statement")
        );
        assert!(json["evidence"][0].get("description").is_none(), "{json}");
        assert_eq!(json["evidence"][1]["description"], "a + b: listed");
    }
}
