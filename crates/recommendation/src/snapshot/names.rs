//! Ingredient and pharmacologic-class lookup by any of their names.

use foldhash::HashMap;

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
    /// Per ingredient: the root key it is a salt / ester / hydrate form of (itself otherwise).
    moiety: Vec<IngId>,
}

/// Salt, ester and hydrate words that never add another active moiety (reviewed list).
///
/// **Salt/ester-form rule** (a structural rule over key spellings, not a medical fact): a key
/// `"<parent key> <w1> .. <wn>"` whose words `w1 .. wn` are all in this list, and whose parent key
/// holds at least one word outside it, is the same substance as its parent for allergy matching
/// (including the parent's FDA classes for cross-sensitivity), "already taking it" and duplicate
/// ingredient findings. Words that would add another active moiety (salicylate, clavulanate,
/// iodide, bromide, ...) must never be added. Mirrors `SALT_WORDS` in data/README.md.
pub(crate) const SALT_WORDS: &[&str] = &[
    "acetate",
    "acetonide",
    "axetil",
    "benzathine",
    "benzoate",
    "besylate",
    "butyrate",
    "calcium",
    "citrate",
    "cypionate",
    "decanoate",
    "dihydrate",
    "dipropionate",
    "enanthate",
    "estolate",
    "ethylsuccinate",
    "furoate",
    "hyclate",
    "hydrochloride",
    "lactobionate",
    "maleate",
    "medoxomil",
    "mesylate",
    "monohydrate",
    "palmitate",
    "phosphate",
    "pivoxil",
    "potassium",
    "procaine",
    "propionate",
    "sodium",
    "stearate",
    "succinate",
    "sulfate",
    "tartrate",
    "trihydrate",
    "undecanoate",
    "valerate",
];

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
        index.moiety = link_salt_forms(&index.entries);
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
        // As in `resolve`: a name already in key form needs no normalisation.
        self.class_by_name
            .get(name)
            .or_else(|| self.class_by_name.get(&phrase_key(name)))
            .copied()
    }

    pub(crate) fn key(&self, id: IngId) -> &IngredientKey {
        // Ids are only ever made by this index for this index, so they are always in range.
        &self.entries[id as usize].key
    }

    /// This index's own copy of `key` when it holds that exact key: the rows that name an
    /// ingredient keep one allocation per distinct key instead of one per row (issue 14).
    pub(crate) fn shared_key(&self, key: &IngredientKey) -> Option<IngredientKey> {
        let id = self.by_name.get(key.as_str())?;
        let entry = self.entries.get(*id as usize)?;
        (entry.key == *key).then(|| entry.key.clone())
    }

    /// Replaces `key` with [`Self::shared_key`] where there is one.
    pub(crate) fn share(&self, key: &mut IngredientKey) {
        if let Some(shared) = self.shared_key(key) {
            *key = shared;
        }
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

    /// The substance `id` is a salt / ester / hydrate form of (see [`SALT_WORDS`]), or `id`.
    pub(crate) fn moiety(&self, id: IngId) -> IngId {
        self.moiety.get(id as usize).copied().unwrap_or(id)
    }

    /// Whether `a` and `b` are the same substance under the salt/ester-form rule.
    pub(crate) fn same_substance(&self, a: IngId, b: IngId) -> bool {
        a == b || self.moiety(a) == self.moiety(b)
    }

    /// The FDA classes of `id`, or of the substance it is a salt / ester form of when it has none.
    pub(crate) fn substance_classes(&self, id: IngId) -> &[ClassId] {
        match self.classes(id) {
            [] => self.classes(self.moiety(id)),
            own => own,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Links every key to its root parent under the salt/ester-form rule (see [`SALT_WORDS`]).
fn link_salt_forms(entries: &[IngredientEntry]) -> Vec<IngId> {
    let by_key: HashMap<&str, IngId> = (0u32..)
        .zip(entries)
        .map(|(id, e)| (e.key.as_str(), id))
        .collect();
    let parent = |key: &str| -> Option<IngId> {
        let words: Vec<&str> = key.split(' ').collect();
        // Longest parent first: "penicillin g benzathine" -> "penicillin g".
        for cut in (1..words.len()).rev() {
            if !SALT_WORDS.contains(&words[cut]) {
                return None;
            }
            let stem = &words[..cut];
            if stem.iter().all(|w| SALT_WORDS.contains(w)) {
                return None;
            }
            if let Some(&id) = by_key.get(stem.join(" ").as_str()) {
                return Some(id);
            }
        }
        None
    };
    let parents: Vec<Option<IngId>> = entries.iter().map(|e| parent(e.key.as_str())).collect();
    (0u32..)
        .zip(&parents)
        .map(|(id, _)| {
            let mut root = id;
            // A parent key is strictly shorter, so this chain ends.
            while let Some(Some(up)) = parents.get(root as usize) {
                root = *up;
            }
            root
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(keys: &[(&str, &[&str])]) -> IngredientIndex {
        let ingredients: Vec<Ingredient> = keys
            .iter()
            .map(|(key, classes)| Ingredient {
                key: key.parse().unwrap(),
                inn_name: None,
                us_name: None,
                epc_classes: classes.iter().map(|c| c.to_string()).collect(),
                moa_classes: vec![],
                rxcui: vec![],
                has_otc_product: false,
            })
            .collect();
        IngredientIndex::build(&ingredients, &[])
    }

    #[test]
    fn salt_and_ester_keys_link_to_their_parent_and_inherit_its_classes() {
        let index = index(&[
            ("penicillin g", &["Penicillin-class Antibacterial"]),
            ("penicillin g benzathine", &[]),
            ("hydrocortisone", &[]),
            ("hydrocortisone sodium succinate", &[]),
            ("sodium", &[]),
            ("sodium phosphate", &[]),
            ("aspirin", &[]),
            ("aspirin salicylate", &[]),
        ]);
        let id = |k: &str| index.resolve(k).unwrap();
        assert_eq!(
            index.moiety(id("penicillin g benzathine")),
            id("penicillin g")
        );
        assert!(index.same_substance(id("hydrocortisone sodium succinate"), id("hydrocortisone")));
        assert_eq!(
            index.substance_classes(id("penicillin g benzathine")),
            index.classes(id("penicillin g"))
        );
        // A parent made of salt words only, and a word that adds a moiety, link nothing.
        assert_eq!(index.moiety(id("sodium phosphate")), id("sodium phosphate"));
        assert_eq!(
            index.moiety(id("aspirin salicylate")),
            id("aspirin salicylate")
        );
    }
}
