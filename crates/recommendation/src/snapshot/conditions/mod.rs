//! Condition index: what a query phrase, word or code reaches, and which ingredients treat it.
//!
//! # Implementation Notes
//! Weights encode the data's own caveats (`data/README.md`): an indication's own condition name and
//! the vocabulary's `exact_synonym` rows are strongest, other synonyms next, `parent`/`child` below,
//! `symptom_of` weakest (the disease has the symptom; its medicines need not treat it). A query word
//! found inside a condition name ("headache" in `Tension-Type Headache`) is a word match, because
//! the vocabulary alone leaves a bare "headache" with no headache condition.

use foldhash::{HashMap, HashMapExt};

use pharmarec_domain::{ConditionTerm, Indication, LayPhrase, TermRelation};

use super::names::{IngId, IngredientIndex};
use super::postings::holding_every_word;
use crate::spelling::Speller;
use crate::text::phrase_key;

/// Dense condition index (distinct `Indication::condition` strings).
pub(crate) type CondId = u32;

/// Weight of an exact match on a condition's own name.
const NAME_WEIGHT: f32 = 1.0;
/// Weight of another name of the same UMLS concept: as an exact synonym of the vocabulary.
const SAME_CONCEPT_WEIGHT: f32 = 0.95;
/// Base and span-coverage share of a word match inside a longer condition name.
const WORD_BASE: f32 = 0.45;
const WORD_COVERAGE: f32 = 0.3;

/// Evidence of a `PharmacotherapyDB` indication (physician-curated, ingredient-level).
const CURATED_EVIDENCE: f32 = 1.0;
/// Evidence of a `DrugCentral` indication of an ingredient that the catalogue also sells alone.
const SINGLE_INGREDIENT_EVIDENCE: f32 = 0.85;
/// Evidence of a `DrugCentral` indication of an ingredient sold only in combinations here: the
/// indication is product-level (data/README.md) and most likely belongs to a partner.
const COMBINATION_ONLY_EVIDENCE: f32 = 0.6;

/// How a condition was reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Route {
    /// The condition's own name.
    Name,
    /// A `condition_vocabulary` row (index into [`ConditionIndex::terms`]).
    Vocabulary(u32),
    /// Every query word occurs in the condition name.
    Words,
    /// A condition or concept code.
    Code,
    /// A lay vocabulary row whose target is this condition (index into
    /// `ClinicalRules::lay_vocabulary`).
    Lay(u32),
    /// The name of another condition with the same UMLS concept (`Warts` and `Verruca Vulgaris`
    /// are both C0043037).
    SameConcept(CondId),
}

/// A condition reached from a phrase, word or code, with the strength of that link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub(crate) condition: CondId,
    pub(crate) weight: f32,
    pub(crate) route: Route,
}

/// An ingredient used for a condition, with the evidence weight of that link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub(crate) ingredient: IngId,
    pub(crate) evidence: f32,
    /// Index into [`ConditionIndex::indications`].
    pub(crate) indication: u32,
}

/// Phrase, word and code lookups over every condition that has an indication.
#[derive(Debug, Default)]
pub(crate) struct ConditionIndex {
    pub(crate) names: Vec<String>,
    token_counts: Vec<usize>,
    phrases: HashMap<String, Vec<Hit>>,
    words: HashMap<String, Vec<CondId>>,
    codes: HashMap<String, Vec<Hit>>,
    pub(crate) speller: Speller,
    pub(crate) max_phrase_words: usize,
    pub(crate) links: Vec<Vec<Link>>,
    /// Per ingredient: the conditions it is indicated for, sorted.
    pub(crate) by_ingredient: Vec<Vec<CondId>>,
    pub(crate) terms: Vec<ConditionTerm>,
    pub(crate) indications: Vec<Indication>,
}

pub(crate) fn relation_weight(relation: TermRelation, hops: u8) -> f32 {
    match relation {
        TermRelation::ExactSynonym => 0.95,
        TermRelation::NarrowSynonym | TermRelation::BroadSynonym | TermRelation::RelatedSynonym => {
            0.75
        }
        TermRelation::Parent if hops <= 1 => 0.6,
        TermRelation::Parent => 0.5,
        TermRelation::Child => 0.5,
        TermRelation::SymptomOf => 0.25,
    }
}

impl ConditionIndex {
    pub(crate) fn build<'a>(
        indications: Vec<Indication>,
        terms: Vec<ConditionTerm>,
        ingredients: &IngredientIndex,
        sold_alone: &[bool],
        lay: &[LayPhrase],
        extra_words: impl Iterator<Item = &'a str>,
    ) -> Self {
        let mut index = Self::default();
        let mut by_name: HashMap<&str, CondId> = HashMap::new();
        let mut frequencies: HashMap<String, u32> = HashMap::new();
        let mut condition_of = Vec::with_capacity(indications.len());
        for indication in &indications {
            let next = u32::try_from(index.names.len()).unwrap_or(u32::MAX);
            let id = *by_name.entry(indication.condition.as_str()).or_insert(next);
            if id == next {
                index.add_condition(&indication.condition, id, &mut frequencies);
            }
            condition_of.push(id);
            for code in [
                &indication.umls_cui,
                &indication.snomedct_id,
                &indication.doid,
            ]
            .into_iter()
            .flatten()
            {
                push_best(
                    index.codes.entry(code.to_uppercase()).or_default(),
                    id,
                    NAME_WEIGHT,
                    Route::Code,
                );
            }
        }
        index.link_same_concepts(&indications, &condition_of);
        for (row, phrase) in (0u32..).zip(lay) {
            let Some(&condition) = phrase.condition_target().and_then(|n| by_name.get(n)) else {
                continue;
            };
            index.add_phrase(
                &phrase.phrase,
                (condition, NAME_WEIGHT, Route::Lay(row)),
                &mut frequencies,
            );
        }
        for (row, term) in (0u32..).zip(&terms) {
            let Some(&condition) = by_name.get(term.condition.as_str()) else {
                continue;
            };
            let weight = relation_weight(term.relation, term.hops);
            if !index.add_phrase(
                &term.term,
                (condition, weight, Route::Vocabulary(row)),
                &mut frequencies,
            ) {
                continue;
            }
            push_best(
                index
                    .codes
                    .entry(term.source_id.to_uppercase())
                    .or_default(),
                condition,
                weight,
                Route::Vocabulary(row),
            );
        }
        index.links = vec![Vec::new(); index.names.len()];
        index.by_ingredient = vec![Vec::new(); ingredients.len()];
        let evidence = evidence_weights(&indications, ingredients, sold_alone);
        let mut best: HashMap<(IngId, CondId), usize> = HashMap::new();
        for (row, indication) in indications.iter().enumerate() {
            let Some(ingredient) = ingredients.resolve(indication.ingredient.as_str()) else {
                continue;
            };
            let condition = condition_of[row];
            let keep = best
                .get(&(ingredient, condition))
                .is_none_or(|&other| evidence[row] > evidence[other]);
            if keep {
                best.insert((ingredient, condition), row);
            }
        }
        let mut chosen: Vec<(CondId, IngId, usize)> =
            best.into_iter().map(|((i, c), row)| (c, i, row)).collect();
        chosen.sort_unstable();
        for (condition, ingredient, row) in chosen {
            index.by_ingredient[ingredient as usize].push(condition);
            index.links[condition as usize].push(Link {
                ingredient,
                evidence: evidence[row],
                indication: u32::try_from(row).unwrap_or(u32::MAX),
            });
        }
        // Words of other phrase indexes (OTC uses, lay vocabulary) are words the query may use.
        for word in extra_words {
            *frequencies.entry(word.to_string()).or_default() += 1;
        }
        index.speller = Speller::new(frequencies);
        index.terms = terms;
        index.indications = indications;
        index
    }

    /// Indexes a vocabulary or lay phrase for a condition; says whether it had any word.
    fn add_phrase(
        &mut self,
        text: &str,
        (condition, weight, route): (CondId, f32, Route),
        frequencies: &mut HashMap<String, u32>,
    ) -> bool {
        let key = phrase_key(text);
        if key.is_empty() {
            return false;
        }
        for word in key.split(' ') {
            *frequencies.entry(word.to_string()).or_default() += 1;
        }
        self.max_phrase_words = self.max_phrase_words.max(key.split(' ').count());
        push_best(
            self.phrases.entry(key).or_default(),
            condition,
            weight,
            route,
        );
        true
    }

    /// Condition names sharing a UMLS CUI name one concept: each name also reaches the others.
    fn link_same_concepts(&mut self, indications: &[Indication], condition_of: &[CondId]) {
        let mut by_cui: HashMap<&str, Vec<CondId>> = HashMap::new();
        for (indication, &condition) in indications.iter().zip(condition_of) {
            if let Some(cui) = indication.umls_cui.as_deref() {
                let group = by_cui.entry(cui).or_default();
                if !group.contains(&condition) {
                    group.push(condition);
                }
            }
        }
        for group in by_cui.values().filter(|g| g.len() > 1) {
            for &from in group {
                let key = phrase_key(&self.names[from as usize]);
                let hits = self.phrases.entry(key).or_default();
                for &to in group.iter().filter(|&&to| to != from) {
                    push_best(hits, to, SAME_CONCEPT_WEIGHT, Route::SameConcept(from));
                }
            }
        }
    }

    fn add_condition(&mut self, name: &str, id: CondId, frequencies: &mut HashMap<String, u32>) {
        self.names.push(name.to_string());
        let key = phrase_key(name);
        let tokens: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        self.token_counts.push(tokens.len());
        self.max_phrase_words = self.max_phrase_words.max(tokens.len());
        for word in &tokens {
            *frequencies.entry((*word).to_string()).or_default() += 1;
            let list = self.words.entry((*word).to_string()).or_default();
            if list.last() != Some(&id) {
                list.push(id);
            }
        }
        push_best(
            self.phrases.entry(key).or_default(),
            id,
            NAME_WEIGHT,
            Route::Name,
        );
    }

    /// Conditions a normalised phrase names, through condition names and the vocabulary.
    pub(crate) fn phrase(&self, key: &str) -> &[Hit] {
        self.phrases.get(key).map_or(&[], Vec::as_slice)
    }

    /// Conditions a code names (UMLS CUI, SNOMED CT id, DOID, SYMP id), case-insensitive.
    pub(crate) fn code(&self, code: &str) -> &[Hit] {
        self.codes
            .get(&code.trim().to_uppercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Conditions whose name contains every word of `span` (each word normalised).
    pub(crate) fn containing_all(&self, span: &[&str]) -> Vec<Hit> {
        holding_every_word(&self.words, &self.token_counts, span)
            .into_iter()
            .map(|(condition, coverage)| Hit {
                condition,
                weight: WORD_BASE + WORD_COVERAGE * coverage,
                route: Route::Words,
            })
            .collect()
    }

    /// Whether a normalised word occurs in any condition name or vocabulary term.
    pub(crate) fn knows_word(&self, word: &str) -> bool {
        self.speller.knows(word)
    }
}

/// Adds `condition` to `hits`, keeping only the strongest route per condition.
fn push_best(hits: &mut Vec<Hit>, condition: CondId, weight: f32, route: Route) {
    match hits.iter_mut().find(|h| h.condition == condition) {
        Some(hit) if hit.weight < weight => {
            hit.weight = weight;
            hit.route = route;
        }
        Some(_) => {}
        None => hits.push(Hit {
            condition,
            weight,
            route,
        }),
    }
}

/// Evidence weight of each indication row (see the constants above).
///
/// # Implementation Notes
/// DrugCentral indications are product-level: an ingredient inherits every indication of the
/// combinations it is part of. Two finer rules were measured with the evaluation harness and
/// dropped because they lowered MRR (docs/RECOMMENDATION.md): down-weighting an indication that a
/// combination partner shares (it penalises the real owner as often as the inheritor), and
/// corroboration by an FDA class peer (class peers inherit the same cold-and-flu bundle).
fn evidence_weights(
    indications: &[Indication],
    ingredients: &IngredientIndex,
    sold_alone: &[bool],
) -> Vec<f32> {
    indications
        .iter()
        .map(|indication| {
            if indication.source.starts_with("pharmacotherapydb") {
                return CURATED_EVIDENCE;
            }
            let alone = ingredients
                .resolve(indication.ingredient.as_str())
                .and_then(|id| sold_alone.get(id as usize).copied())
                .unwrap_or(false);
            if alone {
                SINGLE_INGREDIENT_EVIDENCE
            } else {
                COMBINATION_ONLY_EVIDENCE
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
