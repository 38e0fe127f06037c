//! The OTC Drug Facts labels (`otc_label_warnings.csv`), ready to quote: each section's text and
//! citation written once per snapshot and shared by every answer, with a lower-cased copy to
//! search for the patient's facts.

use std::sync::Arc;

use foldhash::HashMap;
use pharmarec_domain::{IngredientKey, OtcLabelWarning};

use super::names::{IngId, IngredientIndex};
use super::resolve_all;
use super::trigrams::TrigramSet;
use crate::RecommendationError;
use crate::model::AlertKind;

/// One section of a label.
#[derive(Debug)]
pub(crate) struct LabelSection {
    pub(crate) kind: AlertKind,
    /// The label's words, verbatim.
    pub(crate) text: Arc<str>,
    /// `text` lower-cased, searched for the patient's facts.
    pub(crate) lower: Box<str>,
    /// The trigrams of `lower`: most trigger words are ruled out without a search.
    pub(crate) trigrams: TrigramSet,
}

/// One label: its ingredients, its citation and its warning sections.
#[derive(Debug)]
pub(crate) struct IndexedLabel {
    /// Sorted ingredient ids; the label applies to a set of ingredients holding all of them.
    pub(crate) ingredients: Vec<IngId>,
    /// The label's ingredient keys, as the data lists them.
    pub(crate) keys: Vec<IngredientKey>,
    /// `OTC Drug Facts label "<name>" (<source>)`.
    pub(crate) citation: Arc<str>,
    /// Its sections, in the label's order (do not use, ask a doctor, ask a doctor or pharmacist,
    /// pregnancy or breast-feeding); absent sections are left out.
    pub(crate) sections: Vec<LabelSection>,
}

/// The labels of the snapshot, found by ingredient.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    labels: Vec<IndexedLabel>,
    /// Per ingredient: the labels whose smallest ingredient id it is, in label order. A label
    /// applies only to a set holding all its ingredients, so its smallest one finds it, and a
    /// check of one ingredient reads its own few labels instead of every label.
    by_first_ingredient: HashMap<IngId, Vec<u32>>,
}

impl Labels {
    fn new(labels: Vec<IndexedLabel>) -> Self {
        let mut by_first_ingredient: HashMap<IngId, Vec<u32>> = HashMap::default();
        for (index, label) in (0u32..).zip(&labels) {
            // A label naming no ingredient applies to nothing.
            if let Some(&first) = label.ingredients.first() {
                by_first_ingredient.entry(first).or_default().push(index);
            }
        }
        Self {
            labels,
            by_first_ingredient,
        }
    }

    /// The labels whose ingredients all occur in `ingredients`, in label order.
    pub(crate) fn within(&self, ingredients: &[IngId]) -> Vec<&IndexedLabel> {
        let mut found: Vec<u32> = ingredients
            .iter()
            .filter_map(|id| self.by_first_ingredient.get(id))
            .flatten()
            .copied()
            .collect();
        if ingredients.len() > 1 {
            found.sort_unstable();
            found.dedup();
        }
        found
            .into_iter()
            .filter_map(|index| self.labels.get(index as usize))
            .filter(|label| label.ingredients.iter().all(|id| ingredients.contains(id)))
            .collect()
    }
}

/// Builds the labels of the snapshot.
///
/// # Errors
/// [`RecommendationError::InvalidKnowledge`] when a label names an unknown ingredient.
pub(crate) fn build(
    labels: Vec<OtcLabelWarning>,
    ingredients: &IngredientIndex,
) -> Result<Labels, RecommendationError> {
    let labels = labels
        .into_iter()
        .map(|label| {
            let mut ids = resolve_all(
                ingredients,
                label.ingredients.iter().map(IngredientKey::as_str),
                "label",
                &label.label_generic_name,
            )?;
            ids.sort_unstable();
            let citation = format!(
                "OTC Drug Facts label \"{}\" ({})",
                label.label_generic_name, label.source
            );
            let sections = [
                (AlertKind::LabelDoNotUse, label.do_not_use),
                (AlertKind::LabelAskDoctor, label.ask_doctor),
                (
                    AlertKind::LabelAskDoctorOrPharmacist,
                    label.ask_doctor_or_pharmacist,
                ),
                (
                    AlertKind::LabelPregnancyOrBreastFeeding,
                    label.pregnancy_or_breast_feeding,
                ),
            ]
            .into_iter()
            .filter_map(|(kind, text)| {
                let text = text?;
                let lower = text.to_lowercase();
                Some(LabelSection {
                    kind,
                    trigrams: TrigramSet::of(&lower),
                    lower: lower.into(),
                    text: text.into(),
                })
            })
            .collect();
            Ok(IndexedLabel {
                ingredients: ids,
                keys: label.ingredients,
                citation: citation.into(),
                sections,
            })
        })
        .collect::<Result<Vec<_>, RecommendationError>>()?;
    Ok(Labels::new(labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_applies_when_all_its_ingredients_are_present_in_any_order() {
        let label = |ingredients: Vec<IngId>| IndexedLabel {
            ingredients,
            keys: Vec::new(),
            citation: "synthetic".into(),
            sections: Vec::new(),
        };
        let labels = Labels::new(vec![label(vec![3, 7]), label(vec![7]), label(Vec::new())]);
        let found = |ingredients: &[IngId]| -> Vec<Vec<IngId>> {
            labels
                .within(ingredients)
                .into_iter()
                .map(|l| l.ingredients.clone())
                .collect()
        };
        assert_eq!(found(&[7]), [vec![7]]);
        assert_eq!(found(&[3]), Vec::<Vec<IngId>>::new());
        // Label order, whichever ingredient comes first in the request.
        assert_eq!(found(&[7, 3]), [vec![3, 7], vec![7]]);
        assert_eq!(found(&[1, 3, 7, 9]), [vec![3, 7], vec![7]]);
    }
}
