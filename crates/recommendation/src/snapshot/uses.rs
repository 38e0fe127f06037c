//! What each OTC use category is for, as query knowledge: which phrase names which category
//! indication, and which category members that indication credits.
//!
//! Phrases come from two cited sources only: the monograph's own indication wording
//! (`otc_monograph_indications.csv`) and the lay vocabulary (`rules/lay_vocabulary.csv`, every row a
//! lay phrase → an exact indication text, with its source). Nothing is added in code.
//!
//! # Implementation Notes
//! * An indication copied from a marketed label ends with the label in brackets
//!   (`headache [aspirin 325 mg label]`, data/otc_monograph/README.md). When the category also has
//!   indications in the regulation's own wording, such a row credits only the members the bracket
//!   names: the bismuth subsalicylate label's "relieves heartburn" is not a use of loperamide,
//!   although both are antidiarrheals. When the regulation's wording was not obtained (nasal
//!   decongestants, laxatives, anorectals: README "Known gaps"), the label rows are the only
//!   wording of the category's uses and credit the whole category, as does a bracket naming no
//!   member (`[DM/guaifenesin label]`). A leading parenthesis naming a member
//!   (`(astringent, witch hazel) minor skin irritations due to: insect bites`) credits that member.
//! * Keys drop function words, as the condition index does. A phrase whose function words carry
//!   its meaning (`the runs`, `a cold`, `feeling sick`) would shrink to one ordinary word (`run`),
//!   so it is also kept with its function words (a *literal* key) and indexed without them only
//!   when at least two words remain.
//! * A query span whose words all occur in an indication text also reaches it, but only when it
//!   covers at least half of that text's words: one word inside a long sentence ("sleep" in "the
//!   impulse to cough to help you get to sleep") is a weak link, not a use.

use foldhash::{HashMap, HashMapExt};

use pharmarec_domain::ClinicalRules;

use super::monograph::{CategoryId, MonographIndex};
use super::postings::holding_every_word;
use super::routes::route_bits_of_use;
use crate::text::{is_stop_word, phrase_key, words};

/// Dense index of a category indication inside one snapshot.
pub(crate) type UseId = u32;

/// Weight of a phrase that is an indication's own wording or a cited lay phrase for it.
const PHRASE_WEIGHT: f32 = 1.0;
/// Base and coverage share of a span whose words all occur in an indication text.
const WORD_BASE: f32 = 0.45;
const WORD_COVERAGE: f32 = 0.3;
/// A word match must cover at least this share of the indication's words.
const MIN_WORD_COVERAGE: f32 = 0.5;
/// Credit of a member that a label-derived wording covers as a category member without naming it
/// (pseudoephedrine for the oral phenylephrine label's words): the label naming an ingredient is
/// the stronger evidence, so it ranks first among equals.
const UNNAMED_MEMBER_FACTOR: f32 = 0.95;

/// One selectable indication of a category.
#[derive(Debug)]
pub(crate) struct UseIndication {
    pub(crate) category: CategoryId,
    /// `indication_text`, exactly as the data gives it.
    pub(crate) text: String,
    pub(crate) cfr_section: String,
    pub(crate) source_url: String,
    /// Indices into the category's members that this indication credits, each with the share of
    /// the link's weight it gets.
    pub(crate) members: Vec<(u16, f32)>,
    /// Whether it credits the whole category (the category's own use, not one ingredient's):
    /// only such uses make the opposite categories off limits.
    pub(crate) whole_category: bool,
}

/// How a query span reached an indication.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UseRoute {
    /// The indication's own wording.
    Wording,
    /// A lay vocabulary row (index into `ClinicalRules::lay_vocabulary` of the snapshot).
    Lay(u32),
    /// Every word of the span occurs in the indication text.
    Words,
}

/// An indication reached by a query span, with the strength of that link.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UseHit {
    pub(crate) indication: UseId,
    pub(crate) weight: f32,
    pub(crate) route: UseRoute,
}

/// Phrase lookups over the category indications, and the opposite-category table.
#[derive(Debug, Default)]
pub(crate) struct UseIndex {
    pub(crate) indications: Vec<UseIndication>,
    /// Keys without function words.
    phrases: HashMap<String, Vec<UseHit>>,
    /// Keys with their function words (`the run`), for phrases that need them.
    literal: HashMap<String, Vec<UseHit>>,
    words: HashMap<String, Vec<UseId>>,
    word_counts: Vec<usize>,
    /// Per category: the categories whose members a query for it never returns.
    opposites: Vec<Vec<CategoryId>>,
    /// Per category, per member: the product routes its monograph use applies to.
    member_routes: Vec<Vec<u8>>,
    /// Longest key in words (function words included).
    pub(crate) max_span_words: usize,
}

impl UseIndex {
    pub(crate) fn build(rules: &ClinicalRules, monograph: &MonographIndex) -> Self {
        let mut index = Self {
            opposites: vec![Vec::new(); monograph.categories.len()],
            member_routes: monograph
                .categories
                .iter()
                .map(|c| {
                    c.members
                        .iter()
                        .map(|m| route_bits_of_use(&m.route_form))
                        .collect()
                })
                .collect(),
            ..Self::default()
        };
        let mut by_text: HashMap<&str, Vec<UseId>> = HashMap::new();
        let mut worded = vec![false; monograph.categories.len()];
        for row in &rules.monograph.indications {
            if let Some(category) = monograph.category(&row.category_id)
                && split_label(&row.indication_text).1.is_none()
            {
                worded[usize::from(category)] = true;
            }
        }
        for row in &rules.monograph.indications {
            let Some(category) = monograph.category(&row.category_id) else {
                continue;
            };
            let id = UseId::try_from(index.indications.len()).unwrap_or(UseId::MAX);
            by_text
                .entry(row.indication_text.as_str())
                .or_default()
                .push(id);
            let (wording, label) = split_label(&row.indication_text);
            let members = credited_members(
                monograph,
                category,
                wording,
                label,
                worded[usize::from(category)],
            );
            index.indications.push(UseIndication {
                category,
                text: row.indication_text.clone(),
                cfr_section: row.cfr_section.clone(),
                source_url: row.source_url.clone(),
                whole_category: members.len() == monograph.get(category).members.len(),
                members,
            });
            let hit = UseHit {
                indication: id,
                weight: PHRASE_WEIGHT,
                route: UseRoute::Wording,
            };
            let mut indexed = false;
            for part in parts(wording) {
                indexed |= index.add_phrase(&part, hit);
            }
            // Word matches only inside wordings that stand as phrases without their function
            // words: "cold" is not a use because of the template fragment "A cold".
            let key = phrase_key(wording);
            let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
            index.word_counts.push(words.len());
            for word in words.into_iter().filter(|_| indexed) {
                let list = index.words.entry(word.to_string()).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        for (row, phrase) in (0u32..).zip(&rules.lay_vocabulary) {
            for &indication in by_text.get(phrase.target.as_str()).into_iter().flatten() {
                index.add_phrase(
                    &phrase.phrase,
                    UseHit {
                        indication,
                        weight: PHRASE_WEIGHT,
                        route: UseRoute::Lay(row),
                    },
                );
            }
        }
        for pair in &rules.category_opposites {
            if let (Some(a), Some(b)) = (
                monograph.category(&pair.category_a),
                monograph.category(&pair.category_b),
            ) {
                for (from, to) in [(a, b), (b, a)] {
                    let list = &mut index.opposites[usize::from(from)];
                    if !list.contains(&to) {
                        list.push(to);
                    }
                }
            }
        }
        index
    }

    /// Indexes `text` under its key without function words and, when it has any, with them;
    /// says whether the key without function words was indexed.
    fn add_phrase(&mut self, text: &str, hit: UseHit) -> bool {
        let all = words(text);
        if all.is_empty() {
            return false;
        }
        let content = all.iter().filter(|w| !is_stop_word(w)).count();
        self.max_span_words = self.max_span_words.max(all.len());
        if content < all.len() {
            push_best(self.literal.entry(all.join(" ")).or_default(), hit);
        }
        let stands_alone = content == all.len() || content >= 2;
        if stands_alone {
            push_best(self.phrases.entry(phrase_key(text)).or_default(), hit);
        }
        stands_alone
    }

    /// Every normalised word of every key: the spelling dictionary must know them.
    pub(crate) fn vocabulary(&self) -> impl Iterator<Item = &str> {
        self.phrases
            .keys()
            .chain(self.literal.keys())
            .flat_map(|k| k.split(' '))
            .filter(|w| !w.is_empty())
    }

    /// Indications named by a key without function words.
    pub(crate) fn phrase(&self, key: &str) -> &[UseHit] {
        self.phrases.get(key).map_or(&[], Vec::as_slice)
    }

    /// Indications named by a key with its function words (`the run`).
    pub(crate) fn literal(&self, key: &str) -> &[UseHit] {
        self.literal.get(key).map_or(&[], Vec::as_slice)
    }

    /// Indications whose text holds every word of `span` and at least half of whose words it covers.
    pub(crate) fn containing_all(&self, span: &[&str]) -> Vec<UseHit> {
        holding_every_word(&self.words, &self.word_counts, span)
            .into_iter()
            .filter(|&(_, coverage)| coverage >= MIN_WORD_COVERAGE)
            .map(|(indication, coverage)| UseHit {
                indication,
                weight: WORD_BASE + WORD_COVERAGE * coverage,
                route: UseRoute::Words,
            })
            .collect()
    }

    /// Categories a query for `category` never returns (data/rules/category_opposites.csv).
    pub(crate) fn opposites(&self, category: CategoryId) -> &[CategoryId] {
        self.opposites
            .get(usize::from(category))
            .map_or(&[], Vec::as_slice)
    }

    /// Product routes the use of `member` of `category` applies to (bits `routes::ROUTE_*`).
    pub(crate) fn member_routes(&self, category: CategoryId, member: u16) -> u8 {
        self.member_routes
            .get(usize::from(category))
            .and_then(|m| m.get(usize::from(member)))
            .copied()
            .unwrap_or(0)
    }
}

/// `headache [aspirin 325 mg label]` → (`headache`, `Some("aspirin 325 mg label")`).
fn split_label(text: &str) -> (&str, Option<&str>) {
    match text
        .trim_end()
        .strip_suffix(']')
        .and_then(|t| t.rsplit_once(" ["))
    {
        Some((wording, label)) => (wording, Some(label)),
        None => (text, None),
    }
}

/// The wording, then the wording without its parenthesis and the parenthesis alone
/// (`athlete's foot (tinea pedis)` is reached by "athlete's foot" and by "tinea pedis").
fn parts(wording: &str) -> Vec<String> {
    let mut out = vec![wording.to_string()];
    if let Some((before, rest)) = wording.split_once('(')
        && let Some((inside, after)) = rest.split_once(')')
    {
        out.push(format!("{before} {after}"));
        out.push(inside.to_string());
    }
    out
}

/// The members an indication credits, with their share: those its leading parenthesis names;
/// else those its label bracket names when the category has wording of its own; else the whole
/// category, members the bracket does not name at [`UNNAMED_MEMBER_FACTOR`].
fn credited_members(
    monograph: &MonographIndex,
    category: CategoryId,
    wording: &str,
    label: Option<&str>,
    worded: bool,
) -> Vec<(u16, f32)> {
    let members = &monograph.get(category).members;
    // By full name, or by the name without its salt (`loperamide HCl 2 mg`) unless that text is
    // another member's full name (`aluminum acetate` names aluminum acetate, not aluminum sulfate,
    // whose name without its salt is `aluminum`).
    let named = |naming: &str| -> Vec<u16> {
        let naming = naming.to_lowercase();
        let full = |m: &super::MonographMember| naming.contains(m.name.as_str());
        (0u16..)
            .zip(members)
            .filter(|(_, m)| {
                full(m)
                    || (naming.contains(m.base_name.as_str())
                        && !members.iter().any(|other| {
                            other.name != m.name
                                && other.name.contains(m.base_name.as_str())
                                && full(other)
                        }))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let lead = wording
        .trim_start()
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .map(|(inside, _)| named(inside))
        .unwrap_or_default();
    if !lead.is_empty() {
        return lead.into_iter().map(|i| (i, 1.0)).collect();
    }
    let by_label = label.map(named).unwrap_or_default();
    if worded && !by_label.is_empty() {
        return by_label.into_iter().map(|i| (i, 1.0)).collect();
    }
    (0u16..)
        .take(members.len())
        .map(|i| {
            let share = if label.is_some() && !by_label.contains(&i) {
                UNNAMED_MEMBER_FACTOR
            } else {
                1.0
            };
            (i, share)
        })
        .collect()
}

fn push_best(hits: &mut Vec<UseHit>, hit: UseHit) {
    match hits.iter_mut().find(|h| h.indication == hit.indication) {
        Some(existing) if existing.weight < hit.weight => *existing = hit,
        Some(_) => {}
        None => hits.push(hit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_row_names_its_label() {
        assert_eq!(
            split_label("headache [aspirin 325 mg label]"),
            ("headache", Some("aspirin 325 mg label"))
        );
        assert_eq!(split_label("headache"), ("headache", None));
    }

    #[test]
    fn parentheses_give_two_more_phrases() {
        assert_eq!(
            parts("athlete's foot (tinea pedis)"),
            [
                "athlete's foot (tinea pedis)",
                "athlete's foot  ",
                "tinea pedis"
            ]
        );
    }
}
