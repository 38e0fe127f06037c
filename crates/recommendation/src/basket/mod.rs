//! `check_basket`: interactions, duplications, allergy and contraindication hits in a set of items.
//!
//! The patient's current medicines are checked as part of the basket. Findings are computed over
//! sorted, de-duplicated structures, so they do not depend on item order, and each ingredient pair
//! is reported once per kind (an interaction finding keeps each source's statement apart in
//! `evidence`). Two ingredients of the same product are not checked against each other: the
//! combination is the product itself. Safety first: with no interaction knowledge the check is an
//! error; ingredients no source covers are listed in `not_covered`; a clean verdict is
//! `no_known_interaction`, never "safe".

mod checks;
mod findings;

use pharmarec_domain::{IngredientKey, InteractionSource, KnowledgeVersion, Severity};
use serde::{Deserialize, Serialize};

use crate::model::{DISCLAIMER, NotChecked, merge_not_checked};
use crate::safety::{PatientContext, resolve_ref};
use crate::snapshot::{IngId, KnowledgeSnapshot};
use crate::{MedicineRef, Patient, RecommendationError, SharedText};

pub use findings::{Finding, FindingKind, InteractionEvidence};

/// Options of [`KnowledgeSnapshot::check_basket`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasketOptions {
    /// Findings below this severity are not reported (counted in `suppressed_findings`).
    pub min_severity: Severity,
}

impl Default for BasketOptions {
    fn default() -> Self {
        Self {
            min_severity: Severity::Minor,
        }
    }
}

/// Overall verdict: the worst severity reported, or that the sources know no interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No finding at or above the requested severity in the sources used: not a statement of safety.
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

impl From<Severity> for Verdict {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Minor => Self::Minor,
            Severity::Moderate => Self::Moderate,
            Severity::Major => Self::Major,
            Severity::Contraindicated => Self::Contraindicated,
        }
    }
}

/// The answer to a basket check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasketReport {
    /// Worst severity reported, or `no_known_interaction`.
    pub verdict: Verdict,
    /// The verdict in words, naming the sources (never "safe").
    pub verdict_text: String,
    /// Findings at or above `min_severity`, most severe first.
    pub findings: Vec<Finding>,
    /// Findings below `min_severity`, not shown.
    pub suppressed_findings: usize,
    /// Items that matched no product or ingredient: not checked.
    pub unrecognised: Vec<String>,
    /// Basket ingredients about which no interaction source has any row: not checked, not safe.
    pub not_covered: Vec<IngredientKey>,
    /// Patient facts (age, pregnancy, breast-feeding, conditions, weight) that could not be
    /// checked, with the ingredients concerned and why.
    pub not_checked: Vec<NotChecked>,
    /// The knowledge this answer was computed from.
    pub knowledge: KnowledgeVersion,
    /// [`DISCLAIMER`].
    pub disclaimer: &'static str,
}

/// One basket entry resolved: its label, its ingredients and, for a product, its index.
pub(crate) struct Item {
    /// Shared by every finding about the item.
    pub(crate) label: SharedText,
    pub(crate) ingredients: Vec<IngId>,
    pub(crate) product: Option<u32>,
}

impl KnowledgeSnapshot {
    /// Checks `items` together with the patient's current medicines.
    ///
    /// # Errors
    /// [`RecommendationError::InteractionKnowledgeUnavailable`] when the snapshot holds no
    /// interaction knowledge (never a silent "no findings").
    pub fn check_basket(
        &self,
        items: &[MedicineRef],
        patient: &Patient,
        options: &BasketOptions,
    ) -> Result<BasketReport, RecommendationError> {
        if !self.has_interaction_knowledge() {
            return Err(RecommendationError::InteractionKnowledgeUnavailable);
        }
        let context = PatientContext::with_current(self, patient, &[]);
        let mut unrecognised: Vec<String> = context.unrecognised.clone();
        let mut resolved = Vec::with_capacity(items.len() + patient.current_medicines.len());
        let all = items.iter().map(|r| (r, "")).chain(
            patient
                .current_medicines
                .iter()
                .map(|r| (r, "current medicine ")),
        );
        for (reference, prefix) in all {
            match resolve_ref(self, reference) {
                Some(ingredients) => resolved.push(Item {
                    label: SharedText::Shared([prefix, reference.label()].concat().into()),
                    ingredients,
                    product: match reference {
                        MedicineRef::MedicineId(id) => self.medicine_index(id),
                        MedicineRef::Ingredient(_) => None,
                    },
                }),
                None => unrecognised.push([prefix, reference.label()].concat()),
            }
        }
        unrecognised.sort();
        unrecognised.dedup();
        let basket = findings::Basket {
            catalogue: self,
            items: &resolved,
            context: &context,
        };
        let collected = findings::collect(&basket, options.min_severity);
        let findings = collected.findings;
        let mut not_checked = context.not_checked.clone();
        for entry in collected.not_checked {
            merge_not_checked(&mut not_checked, entry);
        }
        not_checked.sort();
        let verdict = findings
            .iter()
            .map(|f| f.severity)
            .max()
            .map_or(Verdict::NoKnownInteraction, Verdict::from);
        let mut not_covered: Vec<IngredientKey> = resolved
            .iter()
            .flat_map(|i| i.ingredients.iter().copied())
            .filter(|&i| !self.interactions.covers(i))
            .map(|i| self.ingredients.key(i).clone())
            .collect();
        not_covered.sort();
        not_covered.dedup();
        Ok(BasketReport {
            verdict,
            verdict_text: verdict_text(
                verdict,
                options.min_severity,
                !not_checked.is_empty(),
                self.interactions.sources(),
            ),
            not_checked,
            suppressed_findings: collected.suppressed,
            findings,
            unrecognised,
            not_covered,
            knowledge: self.version.clone(),
            disclaimer: DISCLAIMER,
        })
    }
}

fn verdict_text(
    verdict: Verdict,
    min_severity: Severity,
    unchecked: bool,
    loaded: &[InteractionSource],
) -> String {
    // The shipped sources are always named; licensed ones when the snapshot holds them.
    let licensed = loaded
        .iter()
        .filter(|s| matches!(s, InteractionSource::Licensed(_)));
    let sources = [InteractionSource::MergedPddi, InteractionSource::Ansm2020]
        .iter()
        .chain(licensed)
        .map(InteractionSource::citation)
        .collect::<Vec<_>>()
        .join("; ");
    let unchecked = if unchecked {
        "; some patient facts could not be checked (see not_checked)"
    } else {
        ""
    };
    match verdict {
        Verdict::NoKnownInteraction => format!(
            "no known interaction at or above {min_severity} in {sources}; this is not a statement that the combination is safe{unchecked}"
        ),
        other => {
            let worst = serde_plain_name(other);
            format!(
                "worst finding: {worst} (PharmaRec severity scale; interaction sources: {sources}){unchecked}"
            )
        }
    }
}

fn serde_plain_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NoKnownInteraction => "no_known_interaction",
        Verdict::Minor => "minor",
        Verdict::Moderate => "moderate",
        Verdict::Major => "major",
        Verdict::Contraindicated => "contraindicated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_order_like_severities() {
        assert!(Verdict::NoKnownInteraction < Verdict::from(Severity::Minor));
        assert!(Verdict::from(Severity::Major) < Verdict::from(Severity::Contraindicated));
    }

    #[test]
    fn a_clean_verdict_names_the_sources_and_never_claims_safety() {
        let text = verdict_text(Verdict::NoKnownInteraction, Severity::Minor, false, &[]);
        assert!(text.starts_with("no known interaction at or above minor in "));
        assert!(text.contains("Merged-PDDI") && text.contains("ANSM"));
        assert!(text.contains("not a statement that the combination is safe"));
    }

    #[test]
    fn a_clean_verdict_names_the_licensed_sources_loaded() {
        let licensed =
            InteractionSource::Licensed(std::sync::Arc::new(pharmarec_domain::LicensedSource {
                name: "synthetic_source".into(),
                citation: "Synthetic licensed source (test)".into(),
            }));
        let text = verdict_text(
            Verdict::NoKnownInteraction,
            Severity::Minor,
            false,
            &[InteractionSource::MergedPddi, licensed],
        );
        assert!(text.contains("ANSM") && text.contains("Synthetic licensed source (test)"));
    }
}
