//! The OTC Drug Facts labels (`otc_label_warnings.csv`), ready to quote: each section's text and
//! citation written once per snapshot and shared by every answer, with a lower-cased copy to
//! search for the patient's facts.

use std::sync::Arc;

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

/// Builds the labels of the snapshot.
///
/// # Errors
/// [`RecommendationError::InvalidKnowledge`] when a label names an unknown ingredient.
pub(crate) fn build(
    labels: Vec<OtcLabelWarning>,
    ingredients: &IngredientIndex,
) -> Result<Vec<IndexedLabel>, RecommendationError> {
    labels
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
        .collect()
}
