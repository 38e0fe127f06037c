//! Builds alert texts from data rows; never adds a clinical statement the row does not make.

use std::sync::Arc;

use pharmarec_domain::{IngredientKey, InteractionSource, PregnancyCategory, Severity};

use crate::SharedText;
use crate::model::{Alert, AlertKind, STRUCTURAL_RULE};
use crate::snapshot::{IngId, InteractionRow, KnowledgeSnapshot};

/// The source of a class finding: the data's classes under PharmaRec's structural rule.
pub(crate) const CLASS_SOURCE: &str =
    "FDA EPC classes via DrugCentral 2016; pharmarec structural rule";
/// The source of a class allergy: the patient record, then [`CLASS_SOURCE`].
const CLASS_ALLERGY_SOURCE: &str =
    "patient record; FDA EPC classes via DrugCentral 2016; pharmarec structural rule";

/// Describes an interaction row: the source's own text where it has one (ANSM, French, verbatim),
/// otherwise the row's structured facts (levels, lists, ids).
pub(crate) fn interaction_message(row: &InteractionRow) -> String {
    // Pieces pushed into one buffer sized up front: basket checks write many of these on the hot
    // path, and `format!` machinery and regrowth were most of their cost.
    let (first, second) = (row.pair.first().as_str(), row.pair.second().as_str());
    let level = row.original_level.as_deref().unwrap_or("not given");
    let severity = <&str>::from(row.severity);
    let quoted = |text: &Option<Arc<str>>| text.as_deref().map_or(0, str::len);
    let mut text = String::with_capacity(
        320 + quoted(&row.description) + quoted(&row.management) + 2 * level.len(),
    );
    let mut push = |parts: &[&str]| parts.iter().for_each(|p| text.push_str(p));
    match &row.source {
        InteractionSource::Ansm2020 => {
            // An English structured summary first; the French text follows, verbatim and labelled.
            push(&[first, " + ", second, ": PharmaRec severity ", severity]);
            push(&["; ANSM level: "]);
            match ansm_level_in_english(level) {
                Some(english) => push(&[english, " (\"", level, "\")"]),
                None => push(&["\"", level, "\" (no English equivalent recorded)"]),
            }
            if let (Some(a), Some(b)) = (&row.class_a, &row.class_b) {
                push(&["; interacting ANSM entries: ", a, " + ", b]);
            }
            push(&["; ANSM level as published (French): \"", level, "\""]);
            if let Some(description) = &row.description {
                push(&["; ANSM text (French, verbatim): \"", description, "\""]);
            }
            if let Some(management) = &row.management {
                push(&[
                    "; ANSM management, \"conduite à tenir\" (French, verbatim): \"",
                    management,
                    "\"",
                ]);
            }
        }
        InteractionSource::MergedPddi => {
            push(&[first, " + ", second, ": listed as interacting by "]);
            let lists = row.source_ids.iter().filter(|id| !id.starts_with("NDFRT:"));
            for (i, list) in lists.enumerate() {
                push(&[if i == 0 { "" } else { ", " }, list]);
            }
            push(&[
                " (source levels: ",
                level,
                "); PharmaRec severity mapping: ",
            ]);
            push(&[severity, "; the source gives no description"]);
        }
        // A licensed source's level and texts verbatim, labelled with the name it was imported under.
        InteractionSource::Licensed(source) => {
            let name = source.name.as_str();
            push(&[
                first,
                " + ",
                second,
                ": according to ",
                name,
                ", level \"",
                level,
            ]);
            push(&["\" (PharmaRec severity ", severity, ")"]);
            if row.description.is_none() && row.management.is_none() {
                push(&["; ", name, " gives no description"]);
            }
            if let Some(description) = &row.description {
                push(&["; ", name, " text (verbatim): \"", description, "\""]);
            }
            if let Some(management) = &row.management {
                push(&["; ", name, " management (verbatim): \"", management, "\""]);
            }
        }
    }
    text
}

/// ANSM's four levels in English (the standard meaning of each French term, not a translation of
/// any ANSM text); `None` for a level with no English equivalent recorded.
fn ansm_level_in_english(level: &str) -> Option<&'static str> {
    let folded = level.to_lowercase();
    let has = |word: &str| folded.contains(word);
    if has("contre") {
        Some("contraindicated")
    } else if has("déconseillée") || has("deconseillee") {
        Some("not recommended")
    } else if has("précaution") || has("precaution") {
        Some("precaution for use")
    } else if has("compte") {
        Some("take into account")
    } else {
        None
    }
}

/// `row` as a warning about a current medicine; `statement` is its `interaction_message`, shared
/// by the snapshot (`InteractionIndex::message`), so it is copied, not written again.
pub(crate) fn interaction_with_current(
    row: &InteractionRow,
    statement: &str,
    current_label: &str,
) -> Alert {
    const PREFIX: &str = "with current medicine ";
    let mut message =
        String::with_capacity(PREFIX.len() + current_label.len() + 2 + statement.len());
    [PREFIX, current_label, ": ", statement]
        .iter()
        .for_each(|part| message.push_str(part));
    Alert {
        kind: AlertKind::Interaction,
        severity: Some(row.severity),
        message: message.into(),
        source: SharedText::citation_of(&row.source),
        ingredients: vec![row.pair.first().clone(), row.pair.second().clone()],
        source_url: None,
        patient_fact: None,
    }
}

pub(crate) fn duplicate_with_current(key: &IngredientKey, current_label: &str) -> Alert {
    Alert {
        kind: AlertKind::DuplicateIngredient,
        severity: Some(Severity::Major),
        message: format!(
            "{key} is already taken as current medicine {current_label} (therapeutic duplication)"
        )
        .into(),
        source: SharedText::Static(STRUCTURAL_RULE),
        ingredients: vec![key.clone()],
        source_url: None,
        patient_fact: None,
    }
}

/// No interaction source lists anything for `key` (structural rule over the loaded sources).
pub(crate) fn interactions_not_covered(key: &IngredientKey) -> Alert {
    Alert {
        kind: AlertKind::NotCovered,
        severity: None,
        message: format!(
            "no interaction source covers {key}: interactions with the patient's current medicines were not checked; a missing interaction is not evidence of safety"
        ).into(),
        source: SharedText::Static(STRUCTURAL_RULE),
        ingredients: vec![key.clone()],
        source_url: None,
        patient_fact: None,
    }
}

/// An OTC monograph ingredient the catalogue does not hold: only the rule tables apply to it.
pub(crate) fn not_in_catalogue(
    member: &crate::snapshot::MonographMember,
    category: &crate::snapshot::MonographCategory,
) -> Alert {
    let name = &member.base_name;
    Alert {
        kind: AlertKind::NotCovered,
        severity: None,
        message: format!(
            "{name} ({} OTC monograph category {}) is not in this catalogue: allergy classes, interactions and pregnancy category were not checked; only the rule tables were applied",
            category.name, category.id
        ).into(),
        source: format!("{} ({STRUCTURAL_RULE})", member.cfr_section).into(),
        ingredients: name.parse().map(|key| vec![key]).unwrap_or_default(),
        source_url: Some(member.source_url.clone().into()),
        patient_fact: None,
    }
}

/// `key` has no FDA class in the data, so class cross-sensitivity with `allergies` is unchecked.
pub(crate) fn no_class_for_allergy_check(key: &IngredientKey, allergies: &[String]) -> Alert {
    Alert {
        kind: AlertKind::NotCovered,
        severity: None,
        message: format!(
            "no FDA pharmacologic class for {key} in the data: class cross-sensitivity with the patient's allergies ({}) was not checked",
            allergies.join(", ")
        ).into(),
        source: SharedText::Static(CLASS_SOURCE),
        ingredients: vec![key.clone()],
        source_url: None,
        patient_fact: None,
    }
}

/// The allergy alert of the parent substance, restated for its salt / ester form `key`.
pub(crate) fn salt_form(key: &IngredientKey, parent: &IngredientKey, alert: Alert) -> Alert {
    Alert {
        message: format!(
            "{key} is a salt/ester form of {parent} (salt/ester-form rule): {}",
            alert.message
        )
        .into(),
        source: if alert.source.contains(STRUCTURAL_RULE) {
            alert.source
        } else {
            format!("{}; {STRUCTURAL_RULE}", alert.source).into()
        },
        ingredients: vec![key.clone()],
        ..alert
    }
}

pub(crate) fn allergy(
    key: &IngredientKey,
    class: Option<&str>,
    allergen: Option<&IngredientKey>,
) -> Alert {
    let message = match (class, allergen) {
        (None, _) => format!("patient is allergic to {key}"),
        (Some(class), Some(allergen)) => format!(
            "{key} shares the FDA pharmacologic class \"{class}\" with {allergen}, to which the patient is allergic (class cross-sensitivity rule)"
        ),
        (Some(class), None) => {
            format!(
                "{key} belongs to the FDA pharmacologic class \"{class}\", to which the patient is allergic"
            )
        }
    };
    Alert {
        kind: AlertKind::Allergy,
        severity: Some(Severity::Contraindicated),
        message: message.into(),
        source: SharedText::Static(match class {
            None => "patient record",
            Some(_) => CLASS_ALLERGY_SOURCE,
        }),
        ingredients: vec![key.clone()],
        source_url: None,
        patient_fact: None,
    }
}

/// Whether the ingredient's pregnancy category excludes it for a pregnant patient (X).
pub(crate) fn pregnancy_excludes(catalogue: &KnowledgeSnapshot, ingredient: IngId) -> bool {
    catalogue
        .pregnancy
        .get(ingredient as usize)
        .and_then(Option::as_ref)
        .is_some_and(|fact| fact.entry.category == PregnancyCategory::X)
}

/// The pregnancy alert of one ingredient for a pregnant patient.
///
/// X → contraindication; D → `major`, C → `moderate` (PharmaRec's mapping of the letters); A and B
/// → a graded-`None` note citing the letter; N or no row → `None`: not checked (the caller says
/// so in `not_checked`).
pub(crate) fn pregnancy(catalogue: &KnowledgeSnapshot, ingredient: IngId) -> Option<Alert> {
    let fact = catalogue
        .pregnancy
        .get(ingredient as usize)
        .and_then(Option::as_ref)?;
    let (kind, severity) = match fact.entry.category {
        PregnancyCategory::X => (AlertKind::Contraindication, Some(Severity::Contraindicated)),
        PregnancyCategory::D => (AlertKind::Pregnancy, Some(Severity::Major)),
        PregnancyCategory::C => (AlertKind::Pregnancy, Some(Severity::Moderate)),
        PregnancyCategory::A | PregnancyCategory::B => (AlertKind::Pregnancy, None),
        PregnancyCategory::N => return None,
    };
    Some(Alert {
        kind,
        severity,
        message: (&fact.message).into(),
        source: (&fact.source).into(),
        ingredients: vec![catalogue.ingredients.key(ingredient).clone()],
        source_url: None,
        patient_fact: None,
    })
}

#[cfg(test)]
mod tests {
    use pharmarec_domain::IngredientPair;

    use super::*;

    #[test]
    fn the_class_sources_end_with_the_structural_rule() {
        assert!(CLASS_SOURCE.ends_with(STRUCTURAL_RULE));
        assert!(CLASS_ALLERGY_SOURCE.ends_with(CLASS_SOURCE));
    }

    fn row(source: InteractionSource, description: Option<&str>) -> InteractionRow {
        InteractionRow {
            pair: IngredientPair::new("warfarin".parse().unwrap(), "aspirin".parse().unwrap())
                .unwrap(),
            severity: Severity::Major,
            source,
            source_ids: vec!["NDFRT:N1".into(), "onc_high_priority".into()].into(),
            original_level: Some("high_priority".into()),
            class_a: Some("ACIDE ACETYLSALICYLIQUE".into()),
            class_b: Some("ANTICOAGULANTS ORAUX".into()),
            description: description.map(Arc::from),
            management: None,
        }
    }

    #[test]
    fn a_source_without_text_is_described_by_its_structured_facts_only() {
        let text = interaction_message(&row(InteractionSource::MergedPddi, None));
        assert!(text.starts_with("aspirin + warfarin"));
        assert!(text.contains("onc_high_priority") && text.contains("high_priority"));
        assert!(text.contains("PharmaRec severity mapping: major"));
        assert!(text.contains("the source gives no description"));
    }

    #[test]
    fn ansm_text_is_quoted_verbatim_and_our_severity_is_labelled_as_ours() {
        let french = "Augmentation du risque hémorragique.";
        let text = interaction_message(&row(InteractionSource::Ansm2020, Some(french)));
        assert!(text.contains(&format!("\"{french}\"")));
        assert!(text.contains("PharmaRec severity major"));
        assert!(text.contains("ANSM level as published (French): \"high_priority\""));
    }

    #[test]
    fn ansm_levels_get_their_english_meaning_and_keep_the_french_words() {
        let mut ansm = row(InteractionSource::Ansm2020, Some("Risque."));
        ansm.original_level = Some("Association DECONSEILLEE".into());
        let text = interaction_message(&ansm);
        assert!(text.contains("ANSM level: not recommended (\"Association DECONSEILLEE\")"));
        assert!(
            text.contains(
                "interacting ANSM entries: ACIDE ACETYLSALICYLIQUE + ANTICOAGULANTS ORAUX"
            )
        );
        ansm.original_level = Some("Contre-indication".into());
        assert!(interaction_message(&ansm).contains("contraindicated"));
        ansm.original_level = Some("Précaution d'emploi".into());
        assert!(interaction_message(&ansm).contains("precaution for use"));
        ansm.original_level = Some("A prendre en compte".into());
        assert!(interaction_message(&ansm).contains("take into account"));
    }

    #[test]
    fn duplicate_with_current_is_a_structural_rule() {
        let alert = duplicate_with_current(&"acetaminophen".parse().unwrap(), "paracetamol");
        assert_eq!(alert.source, STRUCTURAL_RULE);
        assert_eq!(alert.kind, AlertKind::DuplicateIngredient);
    }
}
