//! Ingredient and pharmacologic-class lookup by any of their names.

use std::collections::HashMap;

use pharmarec_domain::{Ingredient, IngredientKey, Synonym};

use crate::text::phrase_key;

/// Dense ingredient index inside one snapshot.
pub(crate) type IngId = u32;
/// Dense FDA EPC class index inside one snapshot.
pub(crate) type ClassId = u32;

/// One ingredient of the snapshot.
#[derive(Debug)]
pub(crate) struct IngredientEntry {
    pub(crate) key: IngredientKey,
    /// FDA Established Pharmacologic Classes: the therapeutic classes used for cross-sensitivity,
    /// same-class duplication and therapeutic alternatives.
    pub(crate) classes: Vec<ClassId>,
}

/// Ingredients and classes, resolvable by key, INN, US name, synonym or class name.
#[derive(Debug, Default)]
pub(crate) struct IngredientIndex {
    pub(crate) entries: Vec<IngredientEntry>,
    by_name: HashMap<String, IngId>,
    pub(crate) class_names: Vec<String>,
    pub(crate) class_members: Vec<Vec<IngId>>,
    class_by_name: HashMap<String, ClassId>,
}

impl IngredientIndex {
    pub(crate) fn build(ingredients: &[Ingredient], synonyms: &[Synonym]) -> Self {
        let mut index = Self::default();
        for (id, ingredient) in (0u32..).zip(ingredients) {
            let classes = ingredient
                .epc_classes
                .iter()
                .map(|class| index.class_id(class, id))
                .collect();
            index.entries.push(IngredientEntry {
                key: ingredient.key.clone(),
                classes,
            });
        }
        // Keys win over other names: insert them first, and never let a later name overwrite one.
        for (id, ingredient) in (0u32..).zip(ingredients) {
            index.add_name(ingredient.key.as_str(), id);
        }
        for (id, ingredient) in (0u32..).zip(ingredients) {
            for name in ingredient.inn_name.iter().chain(&ingredient.us_name) {
                index.add_name(name, id);
            }
        }
        for synonym in synonyms {
            if let Some(id) = index
                .by_name
                .get(&phrase_key(synonym.ingredient.as_str()))
                .copied()
            {
                index.add_name(&synonym.synonym, id);
            }
        }
        index
    }

    fn add_name(&mut self, name: &str, id: IngId) {
        let key = phrase_key(name);
        if !key.is_empty() {
            self.by_name.entry(key).or_insert(id);
        }
    }

    fn class_id(&mut self, class: &str, member: IngId) -> ClassId {
        let key = phrase_key(class);
        let next = u32::try_from(self.class_names.len()).unwrap_or(u32::MAX);
        let id = *self.class_by_name.entry(key).or_insert(next);
        if id == next {
            self.class_names.push(class.to_string());
            self.class_members.push(Vec::new());
            // "Penicillin-class Antibacterial" is also found as "penicillin" / "penicillins".
            if let Some((stem, _)) = class.split_once("-class") {
                self.class_by_name.entry(phrase_key(stem)).or_insert(id);
            }
        }
        if let Some(members) = self.class_members.get_mut(id as usize) {
            members.push(member);
        }
        id
    }

    /// The ingredient named `name` (key, INN, US name or synonym; case, accents, plural ignored).
    pub(crate) fn resolve(&self, name: &str) -> Option<IngId> {
        // Most callers pass a key as stored; only other spellings pay for normalisation.
        self.by_name
            .get(name)
            .or_else(|| self.by_name.get(&phrase_key(name)))
            .copied()
    }

    /// The EPC class named `name` (full name, or the stem before `-class`).
    pub(crate) fn resolve_class(&self, name: &str) -> Option<ClassId> {
        self.class_by_name.get(&phrase_key(name)).copied()
    }

    pub(crate) fn key(&self, id: IngId) -> &IngredientKey {
        // Ids are only ever made by this index for this index, so they are always in range.
        &self.entries[id as usize].key
    }

    pub(crate) fn classes(&self, id: IngId) -> &[ClassId] {
        self.entries.get(id as usize).map_or(&[], |e| &e.classes)
    }

    pub(crate) fn class_name(&self, id: ClassId) -> &str {
        self.class_names.get(id as usize).map_or("", String::as_str)
    }

    pub(crate) fn members(&self, id: ClassId) -> &[IngId] {
        self.class_members
            .get(id as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}
