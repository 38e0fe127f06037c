//! Ingredient-level answers: an OTC category member the query's use names, of which the catalogue
//! has no product for that use ("bismuth subsalicylate — OTC antidiarrheal; no product of it in
//! this catalogue").
//!
//! They are listed apart from the stocked treatments, scored on the same scale (a single-ingredient
//! treatment with the same use would score the same), and pass the same safety assessment
//! (`PatientContext::assess_member`): excluded ones are listed with the reason. A combination row of
//! the monograph (`pyrethrum extract + piperonyl butoxide`) is one suggestion, excluded when a part
//! is. Each carries its category's monograph warnings (`category_warnings`).

use foldhash::{HashMap, HashMapExt};

use pharmarec_domain::IngredientKey;
use serde::Serialize;

use super::RecommendOptions;
use super::category_warnings::category_warnings;
use super::evidence::{MemberHit, TermEvidence, USE_SHARE};
use super::rank::{MIN_SCORE, round_score};
use super::reasons::use_reason;
use crate::matching::MatchedTerm;
use crate::model::{Alert, Reason};
use crate::safety::{PatientContext, Thresholds};
use crate::snapshot::{CategoryId, IngId, KnowledgeSnapshot, MonographMember};

/// Why a suggestion has no product in the answer.
const NO_PRODUCT: &str = "no product of it in this catalogue";
const NO_PRODUCT_FOR_USE: &str = "no single-ingredient product of it in this catalogue that this \
use applies to (over the counter when only OTC products are asked for, and of a route the use names)";

/// An OTC monograph ingredient suited to the query, without a product in this catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngredientSuggestion {
    /// The catalogue key when the name joins one (`meclizine`), else the monograph name
    /// (`bismuth subsalicylate`, `docusate sodium`).
    pub ingredient: String,
    /// The ingredient as the monograph names it (`meclizine hydrochloride`).
    pub monograph_name: String,
    /// The catalogue ingredient it joins, when there is one (its products do not fit this use).
    pub catalogue_ingredient: Option<IngredientKey>,
    /// OTC use category (`antidiarrheal`).
    pub category: String,
    /// Its id in the monograph data (`antidiarrheal`, `nasal_decongestant`).
    pub category_id: String,
    /// Where the ingredient's membership of the category was read (CFR paragraph or label, URL).
    pub category_source: String,
    /// Why no product is offered.
    pub note: &'static str,
    /// Relevance in `[0, 1]`, on the same scale as the recommendations' scores.
    pub score: f64,
    /// Which query term matched which indication wording, from which source (CFR paragraph or
    /// label, and URL).
    pub reasons: Vec<Reason>,
    /// What the pharmacist should check (at least: what could not be checked).
    pub warnings: Vec<Alert>,
}

/// An ingredient-level suggestion that must not be given to this patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedSuggestion {
    /// As in [`IngredientSuggestion::ingredient`].
    pub ingredient: String,
    /// OTC use category.
    pub category: String,
    /// The most severe reason.
    pub reason: Alert,
}

/// One suggestion's best credit per term: an ingredient (its rows in several categories are one
/// suggestion), or a combination row of the monograph (`pyrethrum extract + piperonyl butoxide`),
/// whose use is the combination's and which is therefore suggested as one.
struct Pending<'c> {
    /// The ingredient, or the combination's parts in the row's order.
    members: Vec<&'c MonographMember>,
    category: CategoryId,
    per_term: Vec<Option<(MemberHit, f32)>>,
    /// Product routes its crediting rows apply to.
    routes: u8,
    /// Indication rows crediting it: among equal scores, the better-attested ingredient first.
    rows: usize,
}

pub(super) fn suggestions(
    catalogue: &KnowledgeSnapshot,
    terms: &[MatchedTerm],
    evidence: &[TermEvidence],
    forbidden: &[CategoryId],
    context: &PatientContext<'_>,
    thresholds: Thresholds,
    options: &RecommendOptions<'_>,
) -> (Vec<IngredientSuggestion>, Vec<ExcludedSuggestion>, usize) {
    let forbidden_names: Vec<&str> = forbidden
        .iter()
        .flat_map(|&c| catalogue.monograph.get(c).members.iter())
        .map(|m| m.base_name.as_str())
        .collect();
    let mut pending: HashMap<String, Pending<'_>> = HashMap::new();
    for (t, term) in evidence.iter().enumerate() {
        for hit in &term.members {
            let category = catalogue.monograph.get(hit.category);
            let Some(member) = category.members.get(usize::from(hit.member)) else {
                continue;
            };
            if forbidden_names.contains(&member.base_name.as_str()) {
                continue;
            }
            // A catalogue ingredient is scored as its treatment would be (secondary support
            // included); one the catalogue lacks has the use alone.
            let score = member
                .ingredient
                .and_then(|i| term.credits.get(&i))
                .and_then(|c| c.primary)
                .map_or(USE_SHARE * hit.hit.weight, |p| p.score);
            let entry = pending
                .entry(
                    member
                        .combination
                        .clone()
                        .unwrap_or_else(|| display_name(catalogue, member)),
                )
                .or_insert_with(|| Pending {
                    members: Vec::new(),
                    category: hit.category,
                    per_term: vec![None; evidence.len()],
                    routes: 0,
                    rows: 0,
                });
            // An ingredient is one member (its first row's); a combination, each of its parts.
            let part_of_combination = member.combination.is_some();
            if entry.members.is_empty()
                || part_of_combination && !entry.members.iter().any(|m| m.name == member.name)
            {
                entry.members.push(member);
            }
            // A row crediting a combination credits each part: count it once.
            if !part_of_combination || entry.members[0].name == member.name {
                entry.rows += 1;
            }
            entry.routes |= catalogue.uses.member_routes(hit.category, hit.member);
            let slot = &mut entry.per_term[t];
            if slot.is_none_or(|(_, s)| s < score) {
                *slot = Some((*hit, score));
            }
        }
    }
    let mut scored: Vec<(f64, &'static str, String, Pending<'_>)> = pending
        .into_iter()
        .filter_map(|(name, p)| {
            let note = missing_product(catalogue, &p.members, p.routes, options)?;
            Some((score(&p), note, name, p))
        })
        .filter(|(score, ..)| *score >= MIN_SCORE)
        .collect();
    scored.sort_by(|(sa, _, na, a), (sb, _, nb, b)| {
        sb.total_cmp(sa).then(b.rows.cmp(&a.rows)).then(na.cmp(nb))
    });
    let mut shown = Vec::new();
    let mut excluded = Vec::new();
    let mut suppressed = 0;
    for (score, note, name, pending) in scored {
        if shown.len() >= options.limit {
            break;
        }
        let category_row = catalogue.monograph.get(pending.category);
        let category = category_row.name.clone();
        // A combination is excluded when one of its parts is.
        let (mut exclusion, mut assessed) = (None, Vec::new());
        for member in &pending.members {
            let assessment = context.assess_member(member, thresholds);
            if assessment.exclusion.is_some() {
                exclusion = assessment.exclusion;
                break;
            }
            assessed.push(assessment);
        }
        if let Some(reason) = exclusion {
            if excluded.len() < options.limit {
                excluded.push(ExcludedSuggestion {
                    ingredient: name,
                    category,
                    reason,
                });
            }
            continue;
        }
        let mut warnings = Vec::new();
        for assessment in assessed {
            suppressed += assessment.suppressed;
            warnings.extend(assessment.warnings);
        }
        warnings.extend(category_warnings(
            catalogue,
            pending.category,
            &pending.members,
        ));
        let single = match pending.members.as_slice() {
            [member] => Some(*member),
            _ => None,
        };
        let first = pending.members[0];
        shown.push(IngredientSuggestion {
            monograph_name: first
                .combination
                .clone()
                .unwrap_or_else(|| first.name.clone()),
            ingredient: name,
            catalogue_ingredient: single
                .and_then(|m| m.ingredient)
                .map(|i| catalogue.ingredients.key(i).clone()),
            category,
            category_id: category_row.id.clone(),
            category_source: format!("{} {}", first.cfr_section, first.source_url),
            note,
            score,
            reasons: reasons(catalogue, terms, &pending),
            warnings,
        });
    }
    (shown, excluded, suppressed)
}

/// The catalogue key of a member that joins one, else its monograph name (salt included: for
/// such names it is part of what the substance is called).
fn display_name(catalogue: &KnowledgeSnapshot, member: &MonographMember) -> String {
    member.ingredient.map_or_else(
        || member.name.clone(),
        |i| catalogue.ingredients.key(i).as_str().to_string(),
    )
}

/// Why the catalogue offers no product of exactly `members` for a use on `routes`, or `None` when
/// it does.
fn missing_product(
    catalogue: &KnowledgeSnapshot,
    members: &[&MonographMember],
    routes: u8,
    options: &RecommendOptions<'_>,
) -> Option<&'static str> {
    let Some(mut wanted) = members
        .iter()
        .map(|m| m.ingredient)
        .collect::<Option<Vec<IngId>>>()
    else {
        return Some(NO_PRODUCT);
    };
    wanted.sort_unstable();
    wanted.dedup();
    let treatments = catalogue
        .treatments_by_ingredient
        .get(wanted[0] as usize)
        .map_or(&[][..], Vec::as_slice);
    // Only a product of exactly these ingredients answers for them: another combination brings
    // ingredients the query did not ask for (it is ranked, if at all, among the treatments).
    let fits = treatments.iter().any(|&t| {
        let treatment = &catalogue.treatments[t as usize];
        if treatment.ingredients != wanted || (options.otc_only && !treatment.has_otc) {
            return false;
        }
        let product_routes = if options.otc_only {
            treatment.routes_otc
        } else {
            treatment.routes_any
        };
        product_routes & routes != 0
    });
    (!fits).then_some(NO_PRODUCT_FOR_USE)
}

/// Mean over the query's terms of the use credit, as for a single-ingredient treatment.
fn score(pending: &Pending<'_>) -> f64 {
    let sum: f64 = pending
        .per_term
        .iter()
        .flatten()
        .map(|(_, score)| f64::from(*score))
        .sum();
    #[expect(clippy::cast_precision_loss, reason = "term counts are tiny")]
    let mean = sum / pending.per_term.len().max(1) as f64;
    round_score(mean)
}

fn reasons(
    catalogue: &KnowledgeSnapshot,
    terms: &[MatchedTerm],
    pending: &Pending<'_>,
) -> Vec<Reason> {
    terms
        .iter()
        .zip(&pending.per_term)
        .filter_map(|(term, hit)| {
            let (hit, _) = (*hit)?;
            // The part the indication row credited (each part of a combination is credited).
            let member = catalogue
                .monograph
                .get(hit.category)
                .members
                .get(usize::from(hit.member))?;
            let key: IngredientKey = match member.ingredient {
                Some(i) => catalogue.ingredients.key(i).clone(),
                None => member.base_name.parse().ok()?,
            };
            use_reason(catalogue, term, hit.hit, key)
        })
        .collect()
}
