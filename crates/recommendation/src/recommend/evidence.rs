//! What one understood query term says about each ingredient: its OTC use (primary evidence) and
//! the indication sources (secondary evidence).
//!
//! # Implementation Notes
//! * **Primary:** a term that reaches an OTC category indication credits that indication's members
//!   (`catalogue::UseIndex`). Each ingredient is credited only with its own category's uses, so
//!   guaifenesin never inherits "nasal congestion" from a guaifenesin + pseudoephedrine product.
//! * **Secondary:** DrugCentral and PharmacotherapyDB indications, as before (noisy-OR of the
//!   strongest links). They rank the ingredients of one category among themselves, and they are
//!   the only evidence for ingredients no monograph covers (cetirizine, famotidine) and for terms
//!   no monograph use names (a prescription query). When a term reaches an OTC category, an
//!   ingredient that has OTC categories of its own gets no secondary evidence for it: the
//!   monograph says what it is for, and its product-level DrugCentral rows would say otherwise.
//! * Secondary evidence is scaled by [`SECONDARY_WEIGHT`], below every primary credit
//!   ([`USE_SHARE`] and up), so a use in the regulated wording always ranks first.

use foldhash::{HashMap, HashMapExt};

use crate::matching::{MatchedTerm, STRONG_LINK};
use crate::snapshot::{CategoryId, Hit, IngId, KnowledgeSnapshot, UseHit};

/// Share of a primary credit given by the use itself; the rest is the secondary evidence, which
/// breaks ties between members of one category ("strongest evidence first").
pub(super) const USE_SHARE: f32 = 0.8;
/// Scale of secondary evidence alone.
pub(super) const SECONDARY_WEIGHT: f32 = 0.6;
/// How many indications of one ingredient may add up for one query term.
const SUPPORTING_LINKS: usize = 3;
/// Only links at least this strong (synonyms, hierarchy, word matches) add up for one term.
const MIN_ACCUMULATED_WEIGHT: f32 = 0.5;

/// The strongest indication-source link of one term to one ingredient.
#[derive(Debug, Clone, Copy)]
pub(super) struct Best {
    pub(super) score: f32,
    pub(super) hit: Hit,
    pub(super) evidence: f32,
    pub(super) indication: u32,
}

/// A term's use credit for one ingredient.
#[derive(Debug, Clone, Copy)]
pub(super) struct UseCredit {
    pub(super) hit: UseHit,
    /// Product route bits the crediting members' uses apply to.
    pub(super) routes: u8,
    /// `USE_SHARE × link + (1 − USE_SHARE) × secondary`.
    pub(super) score: f32,
}

/// One term's evidence for one ingredient.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Credit {
    pub(super) primary: Option<UseCredit>,
    /// Secondary evidence, already scaled, when it may count for this ingredient.
    pub(super) secondary: Option<(f32, Best)>,
}

/// A category member one term credits (whether or not the catalogue has it).
#[derive(Debug, Clone, Copy)]
pub(super) struct MemberHit {
    pub(super) category: CategoryId,
    pub(super) member: u16,
    pub(super) hit: UseHit,
}

/// Everything one term says.
///
/// The maps are keyed by ingredient id and built per request: they hash with foldhash (about a
/// quarter of a full-patient recommendation went to SipHash and regrowth) and are sized up front.
#[derive(Debug, Default)]
pub(super) struct TermEvidence {
    pub(super) credits: HashMap<IngId, Credit>,
    pub(super) members: Vec<MemberHit>,
    /// Categories whose own use (not one member's) the term reached.
    pub(super) categories: Vec<CategoryId>,
}

impl Credit {
    /// The score this credit gives a treatment whose allowed products have `routes`, whether the
    /// link is strong enough to carry the result, and whether it is the OTC use (primary).
    pub(super) fn value(&self, routes: u8) -> Option<(f32, bool, bool)> {
        if let Some(primary) = self.primary
            && primary.routes & routes != 0
        {
            return Some((primary.score, primary.hit.weight >= STRONG_LINK, true));
        }
        self.secondary
            .map(|(score, best)| (score, best.hit.weight >= STRONG_LINK, false))
    }
}

pub(super) fn term_evidence(catalogue: &KnowledgeSnapshot, term: &MatchedTerm) -> TermEvidence {
    let secondary = best_per_ingredient(catalogue, term);
    let mut out = TermEvidence {
        credits: HashMap::with_capacity(secondary.len() + term.uses.len() * 4),
        ..TermEvidence::default()
    };
    for &hit in &term.uses {
        let Some(indication) = catalogue.uses.indications.get(hit.indication as usize) else {
            continue;
        };
        let category = indication.category;
        if indication.whole_category && !out.categories.contains(&category) {
            out.categories.push(category);
        }
        let members = &catalogue.monograph.get(category).members;
        for &(member, share) in &indication.members {
            let hit = UseHit {
                weight: hit.weight * share,
                ..hit
            };
            out.members.push(MemberHit {
                category,
                member,
                hit,
            });
            let Some(ingredient) = members.get(usize::from(member)).and_then(|m| m.ingredient)
            else {
                continue;
            };
            let routes = catalogue.uses.member_routes(category, member);
            let credit = out.credits.entry(ingredient).or_default();
            match &mut credit.primary {
                Some(existing) if existing.hit.weight > hit.weight => {}
                Some(existing) if existing.hit.weight == hit.weight => existing.routes |= routes,
                slot => {
                    *slot = Some(UseCredit {
                        hit,
                        routes,
                        score: 0.0,
                    });
                }
            }
        }
    }
    for (ingredient, credit) in &mut out.credits {
        let support = secondary.get(ingredient).map_or(0.0, |(b, _)| b.score);
        if let Some(primary) = &mut credit.primary {
            primary.score = USE_SHARE * primary.hit.weight + (1.0 - USE_SHARE) * support;
        }
    }
    let term_has_uses = !term.uses.is_empty();
    for (ingredient, (best, _)) in secondary {
        if term_has_uses && !catalogue.monograph.categories_of(ingredient).is_empty() {
            continue;
        }
        out.credits.entry(ingredient).or_default().secondary =
            Some((SECONDARY_WEIGHT * best.score, best));
    }
    out
}

/// Per ingredient: the strongest indication-source link (for the reason), its score raised to the
/// term's accumulated match, and the scores that were accumulated.
///
/// # Implementation Notes
/// Several indications supporting the same term are combined as a noisy-OR of the strongest
/// [`SUPPORTING_LINKS`] (`1 − Π(1 − sᵢ)`): an ingredient indicated for `Headache Disorder`,
/// `Tension-Type Headache` and `Pain` is better evidence for "headache" than one that only
/// inherited `Headache Disorder`. Capping the count, and letting only links of at least
/// [`MIN_ACCUMULATED_WEIGHT`] add up, keeps broad ingredients with many weak `symptom_of` links
/// from outscoring specific ones.
fn best_per_ingredient(
    catalogue: &KnowledgeSnapshot,
    term: &MatchedTerm,
) -> HashMap<IngId, (Best, [f32; SUPPORTING_LINKS])> {
    // At most one entry per link: sized once instead of regrown while filling.
    let links: usize = term
        .hits
        .iter()
        .filter_map(|hit| catalogue.conditions.links.get(hit.condition as usize))
        .map(Vec::len)
        .sum();
    let mut best: HashMap<IngId, (Best, [f32; SUPPORTING_LINKS])> = HashMap::with_capacity(links);
    for hit in &term.hits {
        let Some(links) = catalogue.conditions.links.get(hit.condition as usize) else {
            continue;
        };
        for link in links {
            let candidate = Best {
                score: hit.weight * link.evidence,
                hit: *hit,
                evidence: link.evidence,
                indication: link.indication,
            };
            let (strongest, top) = best
                .entry(link.ingredient)
                .or_insert((candidate, [0.0; SUPPORTING_LINKS]));
            if candidate.score > strongest.score {
                *strongest = candidate;
            }
            // Keep the largest scores, descending; weak routes (symptom_of) never add up.
            let strong = hit.weight >= MIN_ACCUMULATED_WEIGHT;
            if let Some(slot) = top.iter().position(|&s| strong && candidate.score > s) {
                top[slot..].rotate_right(1);
                top[slot] = candidate.score;
            }
        }
    }
    // Combined in place: rebuilding the map as `IngId → Best` cost a twelfth of a request.
    for (strongest, top) in best.values_mut() {
        let combined = 1.0 - top.iter().map(|s| 1.0 - s).product::<f32>();
        strongest.score = combined.max(strongest.score);
    }
    best
}
