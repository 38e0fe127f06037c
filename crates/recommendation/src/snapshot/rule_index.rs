//! The clinical rule tables indexed onto the snapshot's ingredients, once, at build time.
//!
//! A rule is scoped by an OTC use category (every catalogue ingredient of that monograph category),
//! an ingredient (resolved through the ingredient index: key, INN, synonym, the `medicine_names`
//! table, or the name without its salt words) or an FDA EPC class (its members). Salt / ester forms
//! of a covered substance are covered too (salt/ester-form rule). The hot path then reads a dense
//! per-ingredient list. Targets that match no catalogue ingredient are kept in
//! [`RuleIndex::unmapped`], so the gaps are visible.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt};

use pharmarec_domain::{ClinicalRules, RuleScope};

use super::monograph::{CategoryId, MonographIndex, base_name};
use super::names::{IngId, IngredientIndex};
use super::trigrams::Trigger;

/// One rule of one table (an index into that table of `ClinicalRules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleRef {
    Age(u32),
    OlderAge(u32),
    Pregnancy(u32),
    Lactation(u32),
    Condition(u32),
    Withdrawn(u32),
}

/// Rules by ingredient, category and name; names and condition phrases by text.
#[derive(Debug, Default)]
pub(crate) struct RuleIndex {
    /// Dense by [`IngId`]: every rule covering the ingredient.
    by_ingredient: Vec<Vec<RuleRef>>,
    /// Dense by [`CategoryId`]: category-scoped rules (monograph members with no catalogue
    /// ingredient are assessed through these and [`Self::by_name`]).
    by_category: Vec<Vec<RuleRef>>,
    /// Ingredient-scoped rules by lower-case target name and its salt-free name.
    by_name: HashMap<String, Vec<RuleRef>>,
    /// Dense by [`IngId`]: an age rule or a monograph age line names it.
    has_age_info: Vec<bool>,
    /// Allergy word → the ingredients it covers, with the `allergy_words` row.
    allergy_words: HashMap<String, Vec<(u32, Vec<IngId>)>>,
    /// Other names of ingredients (`medicine_names.csv`) and salt-free keys, lower case; a
    /// salt-free name may stand for several salts of one substance (`lithium`).
    other_names: HashMap<String, Vec<IngId>>,
    /// Condition phrases and codes, lower case, longest phrase first.
    pub(crate) phrases: Vec<(String, String)>,
    /// Condition code → its phrases as label triggers, in [`Self::phrases`] order.
    pub(crate) code_phrases: HashMap<String, Vec<Trigger>>,
    /// Phrase → the code of its first row in [`Self::phrases`].
    pub(crate) phrase_code: HashMap<String, String>,
    /// Rule targets that match no catalogue ingredient (`file: target`), sorted, unique.
    pub(crate) unmapped: Vec<String>,
}

impl RuleIndex {
    pub(crate) fn build(
        rules: &ClinicalRules,
        ingredients: &IngredientIndex,
        monograph: &MonographIndex,
    ) -> Self {
        let mut index = Self {
            by_ingredient: vec![Vec::new(); ingredients.len()],
            by_category: vec![Vec::new(); monograph.categories.len()],
            has_age_info: vec![false; ingredients.len()],
            ..Self::default()
        };
        index.other_names = other_names(rules, ingredients);
        let forms = salt_forms(ingredients);
        let scoped = rules
            .age_rules
            .iter()
            .map(|r| ("age_rules", &r.scope))
            .zip((0u32..).map(RuleRef::Age))
            .chain(
                rules
                    .older_age_rules
                    .iter()
                    .map(|r| ("older_age_rules", &r.scope))
                    .zip((0u32..).map(RuleRef::OlderAge)),
            )
            .chain(
                rules
                    .pregnancy_rules
                    .iter()
                    .map(|r| ("pregnancy_rules", &r.scope))
                    .zip((0u32..).map(RuleRef::Pregnancy)),
            )
            .chain(
                rules
                    .lactation_rules
                    .iter()
                    .map(|r| ("lactation_rules", &r.scope))
                    .zip((0u32..).map(RuleRef::Lactation)),
            )
            .chain(
                rules
                    .condition_rules
                    .iter()
                    .map(|r| ("condition_rules", &r.scope))
                    .zip((0u32..).map(RuleRef::Condition)),
            );
        for ((file, scope), rule) in scoped {
            let targets = index.targets(scope, ingredients, monograph, &forms);
            if targets.is_empty() && !matches!(scope, RuleScope::Category(_)) {
                index
                    .unmapped
                    .push(format!("{file}: {}", scope_text(scope)));
            }
            for &id in &targets {
                index.by_ingredient[id as usize].push(rule);
                if matches!(rule, RuleRef::Age(_)) {
                    index.has_age_info[id as usize] = true;
                }
            }
            match scope {
                RuleScope::Category(id) => {
                    if let Some(category) = monograph.category(id) {
                        index.by_category[usize::from(category)].push(rule);
                    }
                }
                RuleScope::Ingredient(name) => {
                    for key in [name.clone(), base_name(name)] {
                        let list = index.by_name.entry(key).or_default();
                        if !list.contains(&rule) {
                            list.push(rule);
                        }
                    }
                }
                RuleScope::EpcClass(_) => {}
            }
        }
        for (row, withdrawn) in (0u32..).zip(&rules.withdrawn) {
            let scope = RuleScope::Ingredient(withdrawn.ingredient.clone());
            let targets = index.targets(&scope, ingredients, monograph, &forms);
            if targets.is_empty() {
                index
                    .unmapped
                    .push(format!("withdrawn: {}", withdrawn.ingredient));
            }
            for id in targets {
                index.by_ingredient[id as usize].push(RuleRef::Withdrawn(row));
            }
        }
        for line in &rules.monograph.age_lines {
            let name = line.ingredient_or_category.to_lowercase();
            for id in index.resolve_name(&name, ingredients) {
                index.has_age_info[id as usize] = true;
            }
        }
        for (row, word) in (0u32..).zip(&rules.allergy_words) {
            let targets = index.targets(&word.scope, ingredients, monograph, &forms);
            if targets.is_empty() {
                index.unmapped.push(format!(
                    "allergy_words: {} → {}",
                    word.word,
                    scope_text(&word.scope)
                ));
            }
            index
                .allergy_words
                .entry(word.word.clone())
                .or_default()
                .push((row, targets));
        }
        index.phrases = rules
            .conditions
            .iter()
            .map(|c| (c.phrase.trim().to_lowercase(), c.code.clone()))
            .filter(|(phrase, _)| !phrase.is_empty())
            .collect();
        index
            .phrases
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        index.phrases.dedup();
        for (phrase, code) in &index.phrases {
            index
                .code_phrases
                .entry(code.clone())
                .or_default()
                .extend(Trigger::new(phrase.clone()));
            index
                .phrase_code
                .entry(phrase.clone())
                .or_insert_with(|| code.clone());
        }
        index.unmapped.sort();
        index.unmapped.dedup();
        index
    }

    /// The catalogue ingredients a scope covers, salt forms included, sorted, unique.
    fn targets(
        &self,
        scope: &RuleScope,
        ingredients: &IngredientIndex,
        monograph: &MonographIndex,
        forms: &HashMap<IngId, Vec<IngId>>,
    ) -> Vec<IngId> {
        let mut ids: Vec<IngId> = match scope {
            RuleScope::Category(id) => monograph.category(id).map_or_else(Vec::new, |c| {
                monograph
                    .get(c)
                    .members
                    .iter()
                    .filter_map(|m| m.ingredient)
                    .collect()
            }),
            RuleScope::Ingredient(name) => self.resolve_name(name, ingredients),
            RuleScope::EpcClass(name) => ingredients
                .resolve_class(name)
                .map_or_else(Vec::new, |class| ingredients.members(class).to_vec()),
        };
        let roots = ids.clone();
        for root in roots {
            ids.extend(forms.get(&root).into_iter().flatten());
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The catalogue ingredients a name stands for: key, INN, synonym, another name of the rule
    /// tables, or the name without its salt words (`lithium` → `lithium carbonate` and `lithium
    /// citrate`). Empty when nothing matches.
    pub(crate) fn resolve_name(&self, name: &str, ingredients: &IngredientIndex) -> Vec<IngId> {
        let trimmed = name.trim();
        // Names usually arrive in lower-case ASCII, which lower-cases to itself: no copy then.
        let lower = if trimmed.is_ascii() && !trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(trimmed)
        } else {
            Cow::Owned(trimmed.to_lowercase())
        };
        if let Some(id) = ingredients.resolve(&lower) {
            return vec![id];
        }
        if let Some(ids) = self.other_names.get(&*lower) {
            return ids.clone();
        }
        let base = salt_free(&lower);
        if base == lower {
            // Already looked up under this name.
            return Vec::new();
        }
        ingredients.resolve(&base).map_or_else(
            || self.other_names.get(&base).cloned().unwrap_or_default(),
            |id| vec![id],
        )
    }

    /// Every rule covering `ingredient`.
    pub(crate) fn of_ingredient(&self, ingredient: IngId) -> &[RuleRef] {
        self.by_ingredient
            .get(ingredient as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Category-scoped rules of `category`.
    pub(crate) fn of_category(&self, category: CategoryId) -> &[RuleRef] {
        self.by_category
            .get(usize::from(category))
            .map_or(&[], Vec::as_slice)
    }

    /// Ingredient-scoped rules whose target is `name` (lower case).
    pub(crate) fn of_name(&self, name: &str) -> &[RuleRef] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether an age rule or a monograph age line covers `ingredient`.
    pub(crate) fn has_age_info(&self, ingredient: IngId) -> bool {
        self.has_age_info
            .get(ingredient as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The `allergy_words` rows of `word` with the ingredients each covers.
    pub(crate) fn allergy_word(&self, word: &str) -> Option<&[(u32, Vec<IngId>)]> {
        self.allergy_words
            .get(&word.trim().to_lowercase())
            .map(Vec::as_slice)
    }
}

/// Salt words used only to read names people give (`lithium` for `lithium carbonate`): they
/// never turn one substance into another, and an ambiguous salt-free name stands for all its salts.
const NAME_SALT_WORDS: &[&str] = &["carbonate", "gluconate", "fumarate"];

/// `name` without trailing salt words, keeping at least one word.
fn salt_free(name: &str) -> String {
    let base = base_name(name);
    let mut words: Vec<&str> = base.split_whitespace().collect();
    while words.len() > 1 && words.last().is_some_and(|w| NAME_SALT_WORDS.contains(w)) {
        words.pop();
    }
    words.join(" ")
}

/// `medicine_names.csv` names and the salt-free names of salt keys (`lithium` for `lithium
/// carbonate`), when that salt-free name is not itself an ingredient.
fn other_names(
    rules: &ClinicalRules,
    ingredients: &IngredientIndex,
) -> HashMap<String, Vec<IngId>> {
    let mut out: HashMap<String, Vec<IngId>> = HashMap::new();
    for id in 0..u32::try_from(ingredients.len()).unwrap_or(u32::MAX) {
        let key = ingredients.key(id).as_str();
        let base = salt_free(key);
        if base != key && ingredients.resolve(&base).is_none() {
            out.entry(base).or_default().push(id);
        }
    }
    // The table wins over salt stripping; one name may list several salts (`lithium`).
    let mut table: HashMap<String, Vec<IngId>> = HashMap::new();
    for row in &rules.medicine_names {
        if let Some(id) = ingredients.resolve(&row.ingredient) {
            let ids = table.entry(row.name.trim().to_lowercase()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    out.extend(table);
    out
}

/// Salt / ester forms of each substance (the reverse of `IngredientIndex::moiety`).
fn salt_forms(ingredients: &IngredientIndex) -> HashMap<IngId, Vec<IngId>> {
    let mut forms: HashMap<IngId, Vec<IngId>> = HashMap::new();
    for id in 0..u32::try_from(ingredients.len()).unwrap_or(u32::MAX) {
        let moiety = ingredients.moiety(id);
        if moiety != id {
            forms.entry(moiety).or_default().push(id);
        }
    }
    forms
}

fn scope_text(scope: &RuleScope) -> String {
    match scope {
        RuleScope::Category(id) => format!("category {id}"),
        RuleScope::Ingredient(name) => format!("ingredient {name}"),
        RuleScope::EpcClass(name) => format!("epc_class {name}"),
    }
}
