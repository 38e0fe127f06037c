//! Interaction rows as the snapshot keeps them: each distinct source text stored once.
//!
//! # Implementation Notes
//! ANSM's 23 315 pair rows quote 900 distinct statements, 517 management texts and 505 class
//! names: a row per pair repeats its class entry's texts. Owned per row they took 10.7 MiB more of
//! the server's live heap at ready (heaptrack, docs/PERFORMANCE.md) than shared (`Arc`) ones.

use std::collections::HashSet;
use std::sync::Arc;

use pharmarec_domain::{IngredientPair, Interaction, InteractionSource, Severity};

use super::names::IngredientIndex;

/// One source's statement about one ingredient pair; the fields of [`Interaction`], texts shared.
#[derive(Debug, Clone)]
pub(crate) struct InteractionRow {
    /// The two ingredients.
    pub(crate) pair: IngredientPair,
    /// PharmaRec's mapping of the source's level.
    pub(crate) severity: Severity,
    /// The source.
    pub(crate) source: InteractionSource,
    /// Source-specific ids, primary first.
    pub(crate) source_ids: Arc<[String]>,
    /// The source's own level(s) as printed.
    pub(crate) original_level: Option<Arc<str>>,
    /// The class or substance on the first ingredient's side, as the source names it.
    pub(crate) class_a: Option<Arc<str>>,
    /// The class or substance on the second ingredient's side.
    pub(crate) class_b: Option<Arc<str>>,
    /// Risk and mechanism text, verbatim.
    pub(crate) description: Option<Arc<str>>,
    /// What to do, verbatim.
    pub(crate) management: Option<Arc<str>>,
}

/// `rows` with every repeated text stored once, and each ingredient key shared with `ingredients`.
pub(crate) fn shared_rows(
    rows: Vec<Interaction>,
    ingredients: &IngredientIndex,
) -> Vec<InteractionRow> {
    let mut texts = Texts::default();
    let mut shared: Vec<InteractionRow> = rows
        .into_iter()
        .map(|row| texts.row(row, ingredients))
        .collect();
    // The collect reuses the buffer of the larger `Interaction`s.
    shared.shrink_to_fit();
    shared
}

/// The texts seen so far.
#[derive(Default)]
struct Texts {
    strings: HashSet<Arc<str>>,
    id_lists: HashSet<Arc<[String]>>,
}

impl Texts {
    fn row(&mut self, row: Interaction, ingredients: &IngredientIndex) -> InteractionRow {
        InteractionRow {
            source_ids: self.ids(row.source_ids),
            original_level: self.text(row.original_level),
            class_a: self.text(row.class_a),
            class_b: self.text(row.class_b),
            description: self.text(row.description),
            management: self.text(row.management),
            pair: row.pair.share_keys(|key| ingredients.shared_key(key)),
            severity: row.severity,
            source: row.source,
        }
    }

    fn text(&mut self, text: Option<String>) -> Option<Arc<str>> {
        let text = text?;
        if let Some(shared) = self.strings.get(text.as_str()) {
            return Some(Arc::clone(shared));
        }
        let shared: Arc<str> = text.into();
        self.strings.insert(Arc::clone(&shared));
        Some(shared)
    }

    fn ids(&mut self, ids: Vec<String>) -> Arc<[String]> {
        if let Some(shared) = self.id_lists.get(ids.as_slice()) {
            return Arc::clone(shared);
        }
        let shared: Arc<[String]> = ids.into();
        self.id_lists.insert(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use pharmarec_domain::Ingredient;

    use super::*;

    fn ansm(a: &str, b: &str, description: &str) -> Interaction {
        Interaction {
            pair: IngredientPair::new(a.parse().unwrap(), b.parse().unwrap()).unwrap(),
            severity: Severity::Moderate,
            source: InteractionSource::Ansm2020,
            source_ids: vec!["CLASS A + CLASS B".into()],
            original_level: Some("Précaution d'emploi".into()),
            class_a: Some("CLASS A".into()),
            class_b: Some("CLASS B".into()),
            description: Some(description.into()),
            management: None,
        }
    }

    fn index(keys: &[&str]) -> IngredientIndex {
        let ingredients: Vec<Ingredient> = keys
            .iter()
            .map(|key| Ingredient {
                key: key.parse().unwrap(),
                inn_name: None,
                us_name: None,
                epc_classes: Vec::new(),
                moa_classes: Vec::new(),
                rxcui: Vec::new(),
                has_otc_product: false,
            })
            .collect();
        IngredientIndex::build(&ingredients, &[])
    }

    #[test]
    fn equal_texts_are_one_allocation_and_every_field_is_kept() {
        let rows = shared_rows(
            vec![
                ansm("amiodarone", "sotalol", "Risque majoré."),
                ansm("amiodarone", "amisulpride", "Risque majoré."),
                ansm("amiodarone", "lithium", "Autre risque."),
            ],
            &index(&[]),
        );

        let [first, second, third] = &rows[..] else {
            panic!("three rows");
        };
        let same = |a: &Option<Arc<str>>, b: &Option<Arc<str>>| {
            Arc::ptr_eq(a.as_ref().unwrap(), b.as_ref().unwrap())
        };
        assert!(same(&first.description, &second.description));
        assert!(!same(&first.description, &third.description));
        assert!(same(&first.class_b, &third.class_b));
        assert!(Arc::ptr_eq(&first.source_ids, &third.source_ids));
        assert_eq!(third.description.as_deref(), Some("Autre risque."));
        assert_eq!(second.pair.second().as_str(), "amisulpride");
        assert_eq!(first.original_level.as_deref(), Some("Précaution d'emploi"));
        assert_eq!(first.management, None);
        assert_eq!(first.severity, Severity::Moderate);
    }

    #[test]
    fn ingredient_keys_are_the_index_own_and_unknown_keys_are_kept() {
        let ingredients = index(&["amiodarone", "sotalol"]);
        let rows = shared_rows(
            vec![
                ansm("amiodarone", "sotalol", "Risque majoré."),
                ansm("amiodarone", "lithium", "Autre risque."),
            ],
            &ingredients,
        );

        let own = |name: &str| ingredients.key(ingredients.resolve(name).unwrap()).as_str();
        let [first, second] = &rows[..] else {
            panic!("two rows");
        };
        assert!(std::ptr::eq(first.pair.first().as_str(), own("amiodarone")));
        assert!(std::ptr::eq(first.pair.second().as_str(), own("sotalol")));
        assert!(std::ptr::eq(
            second.pair.first().as_str(),
            own("amiodarone")
        ));
        assert_eq!(second.pair.second().as_str(), "lithium");
    }
}
