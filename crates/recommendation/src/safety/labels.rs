//! OTC label lines graded by the patient's facts, and allergy-word alerts: texts quoted from their
//! source, never a clinical statement of ours.

use std::borrow::Cow;

use pharmarec_domain::{IngredientKey, Severity};

use crate::model::{Alert, AlertKind};
use crate::snapshot::{IngId, KnowledgeSnapshot, Trigger};

/// Which label lines that name none of the patient's facts are returned (in `label`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Untriggered {
    /// None (a basket shows the lines about this patient only).
    Skip,
    /// All but the pregnancy section (a treatment shown for a patient who is neither pregnant nor
    /// breast-feeding).
    ExceptPregnancy,
    /// Every section (a product's label lines).
    All,
}

/// Attaches the verbatim OTC label sections of every label whose ingredients all occur in
/// `ingredients`: a line that names one of the patient's facts (`triggers`: condition phrases,
/// current medicines, allergies; the pregnancy section when pregnant or breast-feeding) is a
/// warning, graded `moderate` like a `warn` rule; the others go to the compact `label` section as
/// `untriggered` says. A label's older-adult lines are rules (`OlderAgeRule`), applied by `rules`.
pub(crate) fn label_warnings(
    catalogue: &KnowledgeSnapshot,
    ingredients: &[IngId],
    triggers: &[Cow<'_, Trigger>],
    pregnancy_section: bool,
    untriggered: Untriggered,
    out: &mut super::Assessment,
) {
    for label in catalogue.labels.within(ingredients) {
        for section in &label.sections {
            let kind = section.kind;
            let fact = if kind == AlertKind::LabelPregnancyOrBreastFeeding {
                pregnancy_section.then(|| "pregnant or breast-feeding".to_string())
            } else {
                triggers
                    .iter()
                    .find(|t| t.found_in(&section.trigrams, &section.lower))
                    .map(|t| ["patient: ", &t.text].concat())
            };
            // The basket shows triggered lines only: skip building the rest.
            let shown = fact.is_some()
                || match untriggered {
                    Untriggered::Skip => false,
                    Untriggered::ExceptPregnancy => {
                        kind != AlertKind::LabelPregnancyOrBreastFeeding
                    }
                    Untriggered::All => true,
                };
            if !shown {
                continue;
            }
            let alert = Alert {
                kind,
                severity: fact.as_ref().map(|_| Severity::Moderate),
                message: (&section.text).into(),
                source: (&label.citation).into(),
                ingredients: label.keys.clone(),
                source_url: None,
                patient_fact: fact,
            };
            if alert.patient_fact.is_some() {
                out.warnings.push(alert);
            } else {
                out.label.push(alert);
            }
        }
    }
}

/// The allergy alert of an `allergy_words.csv` row (`sulfa` → a sulfonamide), citing the row.
pub(crate) fn allergy_word(
    catalogue: &KnowledgeSnapshot,
    key: &IngredientKey,
    row: u32,
    kind: AlertKind,
) -> Alert {
    let word = catalogue.rules.allergy_words.get(row as usize);
    let exclude = word.is_some_and(|w| {
        matches!(
            w.action,
            pharmarec_domain::RuleAction::Exclude
                | pharmarec_domain::RuleAction::ChildrenFormulation
        )
    });
    Alert {
        kind,
        severity: Some(if exclude {
            Severity::Contraindicated
        } else {
            Severity::Moderate
        }),
        message: match word {
            Some(w) if exclude => format!(
                "patient is allergic to \"{}\", which covers {key}: \"{}\"",
                w.word, w.cited.verbatim
            ),
            Some(w) => format!(
                "possible cross-sensitivity: patient is allergic to \"{}\" and {key} may cross-react: \"{}\"",
                w.word, w.cited.verbatim
            ),
            None => format!("patient allergy covers {key}"),
        }
        .into(),
        source: word
            .map_or_else(String::new, |w| {
                format!("patient record; {}", w.cited.citation)
            })
            .into(),
        ingredients: vec![key.clone()],
        source_url: word.map(|w| (&w.cited.source_url).into()),
        patient_fact: word.map(|w| format!("allergy {}", w.word)),
    }
}
