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
//! Directions and professional dosing are not warnings and are left out. The rows' texts are
//! written once per snapshot (`snapshot::CategoryWarnings`).

use pharmarec_domain::IngredientKey;

use crate::model::{Alert, AlertKind};
use crate::snapshot::{CategoryId, KnowledgeSnapshot, MonographMember};

/// The category's warnings that apply to `members` (one ingredient, or a combination's parts),
/// each statement once, in the data's order.
pub(super) fn category_warnings(
    catalogue: &KnowledgeSnapshot,
    category: CategoryId,
    members: &[&MonographMember],
) -> Vec<Alert> {
    let ingredients: Vec<IngredientKey> = members
        .iter()
        .filter_map(|m| m.base_name.parse().ok())
        .collect();
    // Statements shown so far, by their first row.
    let mut shown: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for warning in catalogue.category_warnings.of(category) {
        let applies = warning.category_wide || members.iter().any(|m| warning.names(m));
        if !applies || shown.contains(&warning.first_alike) {
            continue;
        }
        shown.push(warning.first_alike);
        out.push(Alert {
            kind: AlertKind::MonographWarning,
            severity: None,
            message: (&warning.message).into(),
            source: (&warning.source).into(),
            ingredients: ingredients.clone(),
            source_url: Some((&warning.source_url).into()),
            patient_fact: None,
        });
    }
    out
}
