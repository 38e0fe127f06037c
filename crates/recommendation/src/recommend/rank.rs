//! Scoring and ordering of candidate treatments (the rules are in the parent module's docs).

use std::cmp::Ordering;
use std::collections::HashMap;

use pharmarec_domain::MarketingStatus;

use super::{RecommendOptions, Recommendation};
use crate::StockLine;
use crate::catalogue::{Catalogue, Hit, IngId, Route, TreatmentId};
use crate::matching::{Interpretation, MatchedTerm};
use crate::model::{Excluded, Reason};
use crate::safety::{PatientContext, Thresholds};

const UNMATCHED_INGREDIENT_FACTOR: f64 = 0.85;
const PRESCRIPTION_FACTOR: f64 = 0.9;
const NOT_IN_STOCK_FACTOR: f64 = 0.8;
/// Evidence below this is reported as possibly inherited from a combination product.
const INHERITED_EVIDENCE_BELOW: f32 = 0.7;
/// How many indications of one ingredient may add up for one query term.
const SUPPORTING_LINKS: usize = 3;
/// Only links at least this strong (synonyms, hierarchy, word matches) add up for one term.
const MIN_ACCUMULATED_WEIGHT: f32 = 0.5;

/// The strongest way one term reaches one ingredient.
#[derive(Debug, Clone, Copy)]
struct Best {
    score: f32,
    hit: Hit,
    evidence: f32,
    indication: u32,
}

/// A scored treatment before the safety split.
struct Candidate {
    treatment: TreatmentId,
    score: f64,
    products: Vec<u32>,
    in_stock: bool,
    term_best: Vec<Option<(IngId, Best)>>,
}

pub(super) fn rank(
    catalogue: &Catalogue,
    interpretation: &Interpretation,
    context: &PatientContext<'_>,
    thresholds: Thresholds,
    options: &RecommendOptions<'_>,
) -> (Vec<Recommendation>, Vec<Excluded>) {
    let per_term: Vec<HashMap<IngId, Best>> = interpretation
        .terms
        .iter()
        .map(|term| best_per_ingredient(catalogue, term))
        .collect();
    let mut treatments: Vec<TreatmentId> = per_term
        .iter()
        .flat_map(HashMap::keys)
        .filter_map(|&i| catalogue.treatments_by_ingredient.get(i as usize))
        .flatten()
        .copied()
        .collect();
    treatments.sort_unstable();
    treatments.dedup();
    let mut candidates: Vec<Candidate> = treatments
        .into_iter()
        .filter_map(|t| score(catalogue, t, &per_term, options))
        .collect();
    candidates.sort_by(|a, b| compare(catalogue, a, b, options));
    let mut recommendations = Vec::new();
    let mut excluded = Vec::new();
    for candidate in candidates {
        // Excluded treatments are those that would otherwise have made the list: stop once it is full.
        if recommendations.len() >= options.limit {
            break;
        }
        let ingredients = &catalogue.treatments[candidate.treatment as usize].ingredients;
        let mut assessment = context.assess(ingredients, thresholds);
        // The right product for this patient and complaint (`products`); none left excludes.
        let chosen = super::products::for_patient(
            catalogue,
            ingredients,
            &candidate.products,
            context,
            options.stock,
        );
        let products = match chosen {
            Ok((products, mut warnings)) => {
                assessment.warnings.append(&mut warnings);
                products
            }
            Err(reason) => {
                assessment.exclusion.get_or_insert(*reason);
                candidate.products.clone()
            }
        };
        let best = products[0];
        if assessment.exclusion.is_none() {
            context.shown(&assessment);
        }
        match assessment.exclusion {
            Some(reason) if excluded.len() < options.limit => excluded.push(Excluded {
                medicine: catalogue.summary(best, options.stock),
                reason,
            }),
            Some(_) => {}
            None => recommendations.push(Recommendation {
                medicine: catalogue.summary(best, options.stock),
                products: products[1..]
                    .iter()
                    .take(options.max_products)
                    .map(|&p| catalogue.summary(p, options.stock))
                    .collect(),
                product_count: products.len(),
                score: candidate.score,
                reasons: reasons(catalogue, &interpretation.terms, &candidate.term_best),
                warnings: assessment.warnings,
                label: assessment.label,
                not_checked: assessment.not_checked,
            }),
        }
    }
    (recommendations, excluded)
}

/// Per ingredient: the strongest link (for the reason) and the term's accumulated match.
///
/// # Implementation Notes
/// Several indications supporting the same term are combined as a noisy-OR of the strongest
/// [`SUPPORTING_LINKS`] (`1 − Π(1 − sᵢ)`): an ingredient indicated for `Headache Disorder`,
/// `Tension-Type Headache` and `Pain` is better evidence for "headache" than one that only
/// inherited `Headache Disorder`. Capping the count, and letting only links of at least
/// [`MIN_ACCUMULATED_WEIGHT`] add up, keeps broad ingredients with many weak `symptom_of` links
/// from outscoring specific ones.
fn best_per_ingredient(catalogue: &Catalogue, term: &MatchedTerm) -> HashMap<IngId, Best> {
    let mut best: HashMap<IngId, (Best, [f32; SUPPORTING_LINKS])> = HashMap::new();
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
    best.into_iter()
        .map(|(ingredient, (strongest, top))| {
            let combined = 1.0 - top.iter().map(|s| 1.0 - s).product::<f32>();
            (
                ingredient,
                Best {
                    score: combined.max(strongest.score),
                    ..strongest
                },
            )
        })
        .collect()
}

fn score(
    catalogue: &Catalogue,
    id: TreatmentId,
    per_term: &[HashMap<IngId, Best>],
    options: &RecommendOptions<'_>,
) -> Option<Candidate> {
    let treatment = catalogue.treatments.get(id as usize)?;
    if options.otc_only && !treatment.has_otc {
        return None;
    }
    let products = catalogue.ordered_products(id, options.stock, |m| {
        !options.otc_only || m.status == MarketingStatus::Otc
    });
    let first = *products.first()?;
    let in_stock = options
        .stock
        .is_some_and(|s| s.in_stock(&catalogue.medicines[first as usize].id));
    if options.in_stock_only && options.stock.is_some() && !in_stock {
        return None;
    }
    let term_best: Vec<Option<(IngId, Best)>> = per_term
        .iter()
        .map(|bests| {
            treatment
                .ingredients
                .iter()
                .filter_map(|i| bests.get(i).map(|b| (*i, *b)))
                // Highest score; lower ingredient id on ties, so the reason is deterministic.
                .max_by(|(ia, a), (ib, b)| a.score.total_cmp(&b.score).then(ib.cmp(ia)))
        })
        .collect();
    let matched: f64 = term_best
        .iter()
        .flatten()
        .map(|(_, b)| f64::from(b.score))
        .sum();
    #[expect(clippy::cast_precision_loss, reason = "term counts are tiny")]
    let coverage = matched / per_term.len().max(1) as f64;
    let unmatched = treatment
        .ingredients
        .iter()
        .filter(|i| !term_best.iter().flatten().any(|(m, _)| m == *i))
        .count();
    let mut value =
        coverage * UNMATCHED_INGREDIENT_FACTOR.powi(i32::try_from(unmatched).unwrap_or(i32::MAX));
    if !treatment.has_otc {
        value *= PRESCRIPTION_FACTOR;
    }
    if options.stock.is_some() && !in_stock {
        value *= NOT_IN_STOCK_FACTOR;
    }
    Some(Candidate {
        treatment: id,
        // Rounded so that f32 noise never decides an order and scores read cleanly.
        score: (value.clamp(0.0, 1.0) * 1e6).round() / 1e6,
        products,
        in_stock,
        term_best,
    })
}

/// Best first: score, then OTC, in stock, cheaper, fewer ingredients, more products, product id.
fn compare(
    catalogue: &Catalogue,
    a: &Candidate,
    b: &Candidate,
    options: &RecommendOptions<'_>,
) -> Ordering {
    let treatment = |c: &Candidate| &catalogue.treatments[c.treatment as usize];
    let first = |c: &Candidate| &catalogue.medicines[c.products[0] as usize];
    let price = |c: &Candidate| {
        options
            .stock
            .and_then(|s| s.get(&first(c).id))
            .map(StockLine::price_key)
    };
    b.score
        .total_cmp(&a.score)
        .then_with(|| treatment(b).has_otc.cmp(&treatment(a).has_otc))
        .then_with(|| b.in_stock.cmp(&a.in_stock))
        .then_with(|| match (price(a), price(b)) {
            (Some(pa), Some(pb)) => pa.cmp(&pb),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| treatment(a).ingredients.len().cmp(&treatment(b).ingredients.len()))
        // More products in the catalogue: a better-established treatment.
        .then_with(|| b.products.len().cmp(&a.products.len()))
        .then_with(|| first(a).id.cmp(&first(b).id))
}

fn reasons(
    catalogue: &Catalogue,
    terms: &[MatchedTerm],
    term_best: &[Option<(IngId, Best)>],
) -> Vec<Reason> {
    terms
        .iter()
        .zip(term_best)
        .filter_map(|(term, best)| {
            let (ingredient, best) = (*best)?;
            let indication = catalogue.conditions.indications.get(best.indication as usize)?;
            let mut via = match best.hit.route {
                Route::Name => "condition name".to_string(),
                Route::Words => "query words found in the condition name".to_string(),
                Route::Code => "condition code".to_string(),
                Route::Vocabulary(row) => catalogue.conditions.terms.get(row as usize).map_or_else(String::new, |t| {
                    format!("condition vocabulary: {} \"{}\" ({} {})", t.relation, t.term, t.source, t.source_id)
                }),
            };
            if best.evidence < INHERITED_EVIDENCE_BELOW {
                via.push_str("; the catalogue sells this ingredient only in combinations and DrugCentral indications are product-level, so the indication may belong to a partner");
            }
            if !term.corrections.is_empty() {
                via.push_str(&format!("; spelling read as {}", term.corrections.join(", ")));
            }
            Some(Reason {
                term: term.term.clone(),
                matched: indication.condition.clone(),
                ingredient: catalogue.ingredients.key(ingredient).clone(),
                source: indication.source.clone(),
                via,
            })
        })
        .collect()
}
