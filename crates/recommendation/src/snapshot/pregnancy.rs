//! Pregnancy letter categories (GNU Health) joined to the ingredients, each alert text written
//! once per snapshot and shared by every answer that quotes it.

use std::sync::Arc;

use pharmarec_domain::PregnancyEntry;

use super::names::IngredientIndex;

/// Citation of the pregnancy categories file.
const PREGNANCY_SOURCE: &str = "GNU Health WHO essential medicines 5.0.4 (GPL-3.0-or-later)";

/// An ingredient's pregnancy category and the texts its alert quotes.
#[derive(Debug)]
pub(crate) struct PregnancyFact {
    pub(crate) entry: PregnancyEntry,
    /// `<key>: US FDA pregnancy category <letter> as recorded by GNU Health (<name>)…`
    pub(crate) message: Arc<str>,
    pub(crate) source: Arc<str>,
}

/// Per ingredient id: its category, when the file has one (the last row wins).
pub(crate) fn build(
    entries: Vec<PregnancyEntry>,
    ingredients: &IngredientIndex,
) -> Vec<Option<PregnancyFact>> {
    let mut by_ingredient: Vec<Option<PregnancyFact>> = Vec::new();
    by_ingredient.resize_with(ingredients.len(), || None);
    for entry in entries {
        let Some(id) = ingredients.resolve(entry.ingredient.as_str()) else {
            continue;
        };
        let key = ingredients.key(id);
        let flag = if entry.warning {
            "; GNU Health pregnancy-warning flag set"
        } else {
            ""
        };
        let message = format!(
            "{key}: US FDA pregnancy category {} as recorded by GNU Health ({}){flag}",
            entry.category, entry.who_eml_name
        );
        let source = format!("{PREGNANCY_SOURCE}; {}", entry.source);
        by_ingredient[id as usize] = Some(PregnancyFact {
            entry,
            message: message.into(),
            source: source.into(),
        });
    }
    by_ingredient
}
