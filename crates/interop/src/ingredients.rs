//! The shipped ingredients by RxNorm id and name, and which of them a FHIR medication concept
//! names: by RxNorm ingredient code, else by its words.
//!
//! `data/ingredients.csv` carries the RxNorm ids of *ingredients* only; the shipped data has no
//! RxNorm clinical-drug (SCD) or branded-drug (SBD) ids, so such codes cannot be mapped by code.
//! They are reported, and the concept's text or display is read instead: RxNorm drug names start
//! with the ingredient names, each before its strength, several joined by ` / `
//! (`Acetaminophen 325 MG / Hydrocodone Bitartrate 10 MG Oral Tablet`), per the RxNorm naming
//! conventions (<https://www.nlm.nih.gov/research/umls/rxnorm/docs/appendix5.html>). Each part's
//! words before the first number are matched, longest prefix first, against the ingredient
//! names, so `Warfarin Sodium` reads as `warfarin` and `Ketorolac Tromethamine` as `ketorolac`.

use std::collections::HashMap;

use pharmarec_domain::{Ingredient, IngredientKey};

use crate::fhir::model::{CodeableConcept, RXNORM};

/// Ingredient names and RxNorm ids of one catalogue version.
#[derive(Debug, Default)]
pub(crate) struct IngredientNames {
    by_rxcui: HashMap<String, IngredientKey>,
    by_name: HashMap<String, IngredientKey>,
    rxcui_of: HashMap<IngredientKey, String>,
    classes: HashMap<IngredientKey, Vec<String>>,
}

/// How a concept was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identified {
    /// The ingredients named, in order, without repeats.
    pub(crate) ingredients: Vec<IngredientKey>,
    /// How they were found, in English (for the card detail).
    pub(crate) how: String,
    /// RxNorm codes the shipped data does not carry.
    pub(crate) unmapped_codes: Vec<String>,
}

impl IngredientNames {
    /// Indexes `ingredients` by RxNorm id and by key, INN and US name (lower case).
    pub(crate) fn new(ingredients: &[Ingredient]) -> Self {
        let mut names = Self::default();
        for ingredient in ingredients {
            names
                .classes
                .insert(ingredient.key.clone(), ingredient.epc_classes.clone());
            for rxcui in &ingredient.rxcui {
                names.by_rxcui.insert(rxcui.clone(), ingredient.key.clone());
                names
                    .rxcui_of
                    .entry(ingredient.key.clone())
                    .or_insert_with(|| rxcui.clone());
            }
            let spelled = [
                Some(ingredient.key.as_str()),
                ingredient.inn_name.as_deref(),
                ingredient.us_name.as_deref(),
            ];
            for name in spelled.into_iter().flatten() {
                names
                    .by_name
                    .entry(name.to_lowercase())
                    .or_insert_with(|| ingredient.key.clone());
            }
        }
        names
    }

    /// The RxNorm ingredient id of `key`, when the shipped data has one.
    pub(crate) fn rxcui(&self, key: &IngredientKey) -> Option<&str> {
        self.rxcui_of.get(key).map(String::as_str)
    }

    /// The ingredient with this RxNorm id.
    pub(crate) fn by_rxcui(&self, rxcui: &str) -> Option<&IngredientKey> {
        self.by_rxcui.get(rxcui)
    }

    /// The FDA Established Pharmacologic Classes of `key`.
    pub(crate) fn classes(&self, key: &IngredientKey) -> &[String] {
        self.classes.get(key).map_or(&[], Vec::as_slice)
    }

    /// Reads `concept`: RxNorm ingredient codes first, then its words.
    pub(crate) fn identify(&self, concept: &CodeableConcept) -> Identified {
        let mut ingredients = Vec::new();
        let mut unmapped_codes = Vec::new();
        let rxnorm = concept
            .coding
            .iter()
            .filter(|c| c.system.as_deref() == Some(RXNORM))
            .filter_map(|c| c.code.as_deref());
        for code in rxnorm {
            match self.by_rxcui.get(code) {
                Some(key) if !ingredients.contains(key) => ingredients.push(key.clone()),
                Some(_) => {}
                None => unmapped_codes.push(code.to_string()),
            }
        }
        if !ingredients.is_empty() {
            let how = format!(
                "RxNorm ingredient code(s) of data/ingredients.csv: {}",
                join_keys(&ingredients)
            );
            return Identified {
                ingredients,
                how,
                unmapped_codes,
            };
        }
        let texts = concept
            .text
            .iter()
            .chain(concept.coding.iter().filter_map(|c| c.display.as_ref()));
        for text in texts {
            if let Some(found) = self.read_drug_name(text) {
                return Identified {
                    how: format!(
                        "the medication text \"{text}\" (read as {})",
                        join_keys(&found)
                    ),
                    ingredients: found,
                    unmapped_codes,
                };
            }
        }
        Identified {
            ingredients,
            how: "no RxNorm ingredient code and no ingredient name in the text".to_string(),
            unmapped_codes,
        }
    }

    /// Every part of an RxNorm-style name resolved, or `None` if one part names no ingredient.
    fn read_drug_name(&self, text: &str) -> Option<Vec<IngredientKey>> {
        let mut found: Vec<IngredientKey> = Vec::new();
        for part in text.split(" / ") {
            let words: Vec<String> = part
                .split_whitespace()
                .take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
                .map(str::to_lowercase)
                .collect();
            let key = (1..=words.len())
                .rev()
                .find_map(|n| self.by_name.get(&words[..n].join(" ")))?;
            if !found.contains(key) {
                found.push(key.clone());
            }
        }
        (!found.is_empty()).then_some(found)
    }
}

fn join_keys(keys: &[IngredientKey]) -> String {
    keys.iter()
        .map(IngredientKey::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::model::Coding;

    /// Synthetic ingredients with made-up RxNorm ids (not the real ones).
    fn names() -> IngredientNames {
        let ingredient = |key: &str, rxcui: &str| Ingredient {
            key: key.parse().unwrap(),
            inn_name: None,
            us_name: Some(key.to_string()),
            epc_classes: vec![],
            moa_classes: vec![],
            rxcui: vec![rxcui.to_string()],
            has_otc_product: true,
        };
        IngredientNames::new(&[
            ingredient("alphamine", "901"),
            ingredient("betamol", "902"),
            ingredient("tromethamine", "903"),
        ])
    }

    fn rxnorm(code: &str, display: &str) -> CodeableConcept {
        CodeableConcept {
            coding: vec![Coding {
                system: Some(RXNORM.to_string()),
                code: Some(code.to_string()),
                display: Some(display.to_string()),
            }],
            text: None,
        }
    }

    #[test]
    fn an_ingredient_code_maps_by_code() {
        let found = names().identify(&rxnorm("902", "whatever"));
        assert_eq!(found.ingredients, vec!["betamol".parse().unwrap()]);
        assert!(found.unmapped_codes.is_empty());
    }

    #[test]
    fn a_drug_code_is_reported_and_its_name_read_longest_prefix_first() {
        let found = names().identify(&rxnorm(
            "555",
            "Alphamine Tromethamine 10 MG / Betamol 5 MG Oral Tablet",
        ));
        assert_eq!(found.unmapped_codes, vec!["555".to_string()]);
        assert_eq!(
            found.ingredients,
            vec!["alphamine".parse().unwrap(), "betamol".parse().unwrap()]
        );
    }

    #[test]
    fn a_name_with_an_unknown_part_is_not_half_read() {
        let found = names().identify(&rxnorm("555", "Alphamine 10 MG / Gammazol 5 MG"));
        assert!(found.ingredients.is_empty());
        assert_eq!(found.unmapped_codes, vec!["555".to_string()]);
    }
}
