//! The warnings the OTC monograph data gives for an ingredient-level suggestion's category
//! (`otc_monograph_warnings.csv`): a suggestion has no product label, so the category's own
//! warnings are what the pharmacist reads instead.
//!
//! # Implementation Notes
//! A row's `applies_to` says whom it is about: the whole category ("all antihistamines in
//! 341.12"), some members by name, or one marketed product's label ("loperamide HCl 2 mg caplet").
//! A row is shown with a suggestion when it names one of the suggestion's ingredients, or when it
//! names no member of the category at all (category-wide). A row naming only other members (the
//! calcium carbonate label for magnesium hydroxide) is not. `applies_to` is quoted in the message,
//! so a row scoped to a sub-group the data does not model ("ophthalmic demulcents") says so.
//! Directions and professional dosing are not warnings and are left out.

use crate::model::{Alert, AlertKind};
use crate::snapshot::{CategoryId, KnowledgeSnapshot, MonographMember};

/// `warning_kind` values that are not warnings.
const NOT_WARNINGS: &[&str] = &["directions", "professional_labeling_dosage"];

/// The category's warnings that apply to `members` (one ingredient, or a combination's parts),
/// each once, in the data's order.
pub(super) fn category_warnings(
    catalogue: &KnowledgeSnapshot,
    category: CategoryId,
    members: &[&MonographMember],
) -> Vec<Alert> {
    let all_members = &catalogue.monograph.get(category).members;
    let names = |m: &MonographMember, scope: &str| {
        scope.contains(m.name.as_str()) || scope.contains(m.base_name.as_str())
    };
    let mut seen: Vec<(&str, &str)> = Vec::new();
    let mut out = Vec::new();
    for &row in catalogue.uses.warning_rows(category) {
        let Some(warning) = catalogue.rules.monograph.warnings.get(row as usize) else {
            continue;
        };
        if NOT_WARNINGS.contains(&warning.warning_kind.as_str()) {
            continue;
        }
        let scope = warning.applies_to.to_lowercase();
        let applies = members.iter().any(|m| names(m, &scope))
            || !all_members.iter().any(|m| names(m, &scope));
        let key = (
            warning.warning_kind.as_str(),
            warning.condition_or_text.as_str(),
        );
        if !applies || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(Alert {
            kind: AlertKind::MonographWarning,
            severity: None,
            message: format!(
                "{}: {} (applies to: {})",
                warning.warning_kind.replace('_', " "),
                warning.condition_or_text.trim(),
                warning.applies_to
            )
            .into(),
            source: format!(
                "otc_monograph {} ({})",
                warning.cfr_section, warning.source_type
            )
            .into(),
            ingredients: members
                .iter()
                .filter_map(|m| m.base_name.parse().ok())
                .collect(),
            source_url: Some(warning.source_url.clone().into()),
            patient_fact: None,
        });
    }
    out
}
