//! Reads the patient's allergies and conditions as a pharmacist types them, against one snapshot.
//!
//! * An allergy names an ingredient (any name, salt-free names included), an FDA EPC class, or a
//!   class word of `allergy_words.csv` (`sulfa`); anything else is returned as unrecognised.
//! * A condition is a code of `patient_conditions.csv` or free text holding its phrases
//!   (`high blood pressure` → `hypertension`); text with no phrase is returned as unrecognised.
//! * A weight is accepted but no shipped rule uses it: it is reported as not checked.
//! * A medicine reference (a product id, or an ingredient by any name) names ingredient ids
//!   (`resolve_ref`), for current medicines and basket items.

use std::borrow::Cow;

use foldhash::HashMap;

use pharmarec_domain::RuleAction;

use super::AllergyCause;
use crate::model::NotChecked;
use crate::patient_text::find_phrases;
use crate::snapshot::{IngId, KnowledgeSnapshot, Trigger};
use crate::{MedicineRef, Patient};

/// The ingredient ids a reference names: a product's ingredients, or one ingredient.
pub(crate) fn resolve_ref(
    catalogue: &KnowledgeSnapshot,
    reference: &MedicineRef,
) -> Option<Vec<IngId>> {
    match reference {
        MedicineRef::MedicineId(id) => catalogue
            .medicine_index(id)
            .and_then(|i| catalogue.medicine_ingredients.get(i).map(<[IngId]>::to_vec)),
        MedicineRef::Ingredient(name) => {
            let ids = catalogue
                .rule_index
                .resolve_name(name, &catalogue.ingredients);
            (!ids.is_empty()).then_some(ids)
        }
    }
}

/// The patient's entries resolved against the snapshot.
#[derive(Debug, Default)]
pub(super) struct Resolved<'c> {
    pub(super) allergies: HashMap<IngId, AllergyCause>,
    pub(super) allergy_warnings: HashMap<IngId, u32>,
    pub(super) class_allergies: Vec<String>,
    /// Condition codes, sorted, unique.
    pub(super) conditions: Vec<String>,
    /// Lower-case words that make a label line about this patient (condition phrases shared
    /// with the snapshot).
    pub(super) triggers: Vec<Cow<'c, Trigger>>,
    pub(super) unrecognised: Vec<String>,
    pub(super) not_checked: Vec<NotChecked>,
}

impl<'c> Resolved<'c> {
    pub(super) fn new(catalogue: &'c KnowledgeSnapshot, patient: &Patient) -> Self {
        let mut resolved = Self::default();
        for allergy in &patient.allergies {
            resolved.allergy(catalogue, allergy);
        }
        for condition in &patient.conditions {
            resolved.condition(catalogue, condition);
        }
        resolved.conditions.sort();
        resolved.conditions.dedup();
        if patient.weight_kg.is_some() {
            resolved.not_checked.push(NotChecked {
                fact: "weight".to_string(),
                ingredients: Vec::new(),
                why: "no weight-based rule in the shipped tables".to_string(),
            });
        }
        resolved
    }

    fn allergy(&mut self, catalogue: &KnowledgeSnapshot, allergy: &str) {
        let ingredients = &catalogue.ingredients;
        let index = &catalogue.rule_index;
        let named = index.resolve_name(allergy, ingredients);
        let words = index.allergy_word(allergy);
        let class = named
            .is_empty()
            .then(|| ingredients.resolve_class(allergy))
            .flatten();
        if named.is_empty() && words.is_none() && class.is_none() {
            self.unrecognised.push(format!("allergy: {allergy}"));
            return;
        }
        self.triggers
            .extend(Trigger::new(allergy.to_lowercase()).map(Cow::Owned));
        if let Some(class) = class {
            // The FDA class itself first: its alert names the class.
            self.allergies.reserve(ingredients.members(class).len());
            for &member in ingredients.members(class) {
                self.allergies.entry(member).or_insert(AllergyCause::Class {
                    class,
                    allergen: None,
                });
            }
            self.class_allergies.push(allergy.to_string());
        }
        for named in named {
            // The salt/ester-form rule: an allergy to a salt form is one to its substance.
            let id = ingredients.moiety(named);
            let classes = ingredients.classes(named).iter();
            for &class in classes.chain(ingredients.classes(id)) {
                for &member in ingredients.members(class) {
                    self.allergies.entry(member).or_insert(AllergyCause::Class {
                        class,
                        allergen: Some(id),
                    });
                }
            }
            if !ingredients.substance_classes(named).is_empty() {
                self.class_allergies.push(allergy.to_string());
            }
            self.allergies.insert(id, AllergyCause::Ingredient);
            self.allergies.insert(named, AllergyCause::Ingredient);
        }
        for (row, targets) in words.into_iter().flatten() {
            let action = catalogue
                .rules
                .allergy_words
                .get(*row as usize)
                .map(|w| w.action);
            // A class word stands for members the tables may not list: class not checked notes.
            self.class_allergies.push(allergy.to_string());
            for &id in targets {
                match action {
                    Some(RuleAction::Exclude | RuleAction::ChildrenFormulation) => {
                        self.allergies.entry(id).or_insert(AllergyCause::Word(*row));
                    }
                    Some(RuleAction::Warn | RuleAction::Info) => {
                        self.allergy_warnings.entry(id).or_insert(*row);
                    }
                    None => {}
                }
            }
        }
        self.class_allergies.sort();
        self.class_allergies.dedup();
    }

    fn condition(&mut self, catalogue: &'c KnowledgeSnapshot, condition: &str) {
        let index = &catalogue.rule_index;
        let phrases = &index.phrases;
        let code = condition.trim().to_lowercase();
        // A code, or exactly one phrase (the usual entry), before searching the text for phrases.
        let exact = if index.code_phrases.contains_key(&code) {
            Some(code)
        } else {
            // The longest phrase first, as `find_phrases` would take it.
            index.phrase_code.get(&code).cloned()
        };
        let found: Vec<String> = if let Some(code) = exact {
            vec![code]
        } else {
            find_phrases(phrases, condition, false)
                .into_iter()
                .map(|span| span.code)
                .collect()
        };
        if found.is_empty() {
            self.unrecognised.push(format!("condition: {condition}"));
            return;
        }
        for code in found {
            if let Some(list) = index.code_phrases.get(&code) {
                self.triggers.extend(list.iter().map(Cow::Borrowed));
            }
            self.conditions.push(code);
        }
    }
}
