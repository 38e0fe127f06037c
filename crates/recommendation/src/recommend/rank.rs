//! Scoring and ordering of candidate treatments (the rules are in the parent module's docs).

use std::cmp::Ordering;

use fixedbitset::FixedBitSet;

use pharmarec_domain::MarketingStatus;

use super::evidence::{Credit, TermEvidence};
use super::reasons::reasons;
use super::{RecommendOptions, Recommendation};
use crate::StockLine;
use crate::matching::MatchedTerm;
use crate::model::Excluded;
use crate::safety::{PatientContext, Thresholds};
use crate::snapshot::{CategoryId, IngId, KnowledgeSnapshot, TreatmentId};

/// Per ingredient that is the best match of no term but is credited for one: a combination of
/// ingredients doing the same job ranks just below the plain product.
const REDUNDANT_INGREDIENT_FACTOR: f64 = 0.95;
/// Per ingredient credited for no term: the patient would take it for nothing they asked about.
const UNMATCHED_INGREDIENT_FACTOR: f64 = 0.6;
const PRESCRIPTION_FACTOR: f64 = 0.9;
const NOT_IN_STOCK_FACTOR: f64 = 0.8;
/// Results scoring below this are not shown: too little of the query is covered.
pub(super) const MIN_SCORE: f64 = 0.2;
/// A term's best credit in one treatment: the ingredient, its credit, and the score it gives.
#[derive(Debug, Clone, Copy)]
pub(super) struct TermBest {
    pub(super) ingredient: IngId,
    pub(super) credit: Credit,
    pub(super) score: f32,
    pub(super) strong: bool,
    /// Whether the score is the OTC use credit (else secondary evidence).
    pub(super) primary: bool,
}

/// A scored treatment before the safety split.
pub(super) struct Candidate {
    treatment: TreatmentId,
    pub(super) score: f64,
    products: Vec<u32>,
    in_stock: bool,
    term_best: Vec<Option<TermBest>>,
}

pub(super) fn candidates(
    catalogue: &KnowledgeSnapshot,
    evidence: &[TermEvidence],
    forbidden: &[CategoryId],
    options: &RecommendOptions<'_>,
) -> Vec<Candidate> {
    // The treatments of every credited ingredient, unique and in id order: marked in a bit set
    // (some thousand ids, most of them repeated, took a twelfth of a request to sort).
    let mut treatments = FixedBitSet::with_capacity(catalogue.treatments.len());
    for &treatment in evidence
        .iter()
        .flat_map(|e| e.credits.keys())
        .filter_map(|&i| catalogue.treatments_by_ingredient.get(i as usize))
        .flatten()
    {
        treatments.insert(treatment as usize);
    }
    let mut candidates: Vec<Candidate> = treatments
        .ones()
        .filter_map(|t| TreatmentId::try_from(t).ok())
        .filter(|&t| !has_forbidden_ingredient(catalogue, t, forbidden))
        .filter_map(|t| score(catalogue, t, evidence, options))
        .collect();
    candidates.sort_by(|a, b| compare(catalogue, a, b, options));
    candidates
}

/// Builds the shown recommendations and exclusions from ordered candidates, and counts the
/// interaction rows below the warning severity dropped from the recommendations shown.
pub(super) fn split(
    catalogue: &KnowledgeSnapshot,
    terms: &[MatchedTerm],
    candidates: Vec<Candidate>,
    context: &PatientContext<'_>,
    thresholds: Thresholds,
    options: &RecommendOptions<'_>,
) -> (Vec<Recommendation>, Vec<Excluded>, usize) {
    let mut recommendations = Vec::new();
    let mut excluded = Vec::new();
    let mut suppressed = 0;
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
            suppressed += assessment.suppressed;
        }
        let others = if options.include_products {
            options.max_products
        } else {
            0
        };
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
                    .take(others)
                    .map(|&p| catalogue.summary(p, options.stock))
                    .collect(),
                product_count: products.len(),
                score: candidate.score,
                reasons: reasons(catalogue, terms, &candidate.term_best),
                warnings: assessment.warnings,
                label: assessment.label,
                not_checked: assessment.not_checked,
            }),
        }
    }
    (recommendations, excluded, suppressed)
}

/// Whether a treatment holds an ingredient of a category the query must never return.
fn has_forbidden_ingredient(
    catalogue: &KnowledgeSnapshot,
    treatment: TreatmentId,
    forbidden: &[CategoryId],
) -> bool {
    !forbidden.is_empty()
        && catalogue.treatments[treatment as usize]
            .ingredients
            .iter()
            .any(|&i| {
                catalogue
                    .monograph
                    .categories_of(i)
                    .iter()
                    .any(|c| forbidden.contains(c))
            })
}

fn score(
    catalogue: &KnowledgeSnapshot,
    id: TreatmentId,
    evidence: &[TermEvidence],
    options: &RecommendOptions<'_>,
) -> Option<Candidate> {
    let treatment = catalogue.treatments.get(id as usize)?;
    if options.otc_only && !treatment.has_otc {
        return None;
    }
    let routes = if options.otc_only {
        treatment.routes_otc
    } else {
        treatment.routes_any
    };
    let term_best: Vec<Option<TermBest>> = evidence
        .iter()
        .map(|term| {
            treatment
                .ingredients
                .iter()
                .filter_map(|&ingredient| {
                    let credit = *term.credits.get(&ingredient)?;
                    let (score, strong, primary) = credit.value(routes)?;
                    Some(TermBest {
                        ingredient,
                        credit,
                        score,
                        strong,
                        primary,
                    })
                })
                // Highest score; lower ingredient id on ties, so the reason is deterministic.
                .max_by(|a, b| {
                    a.score
                        .total_cmp(&b.score)
                        .then(b.ingredient.cmp(&a.ingredient))
                })
        })
        .collect();
    // Weak links (symptom_of, a word inside a long name) support a result but never carry it.
    if !term_best.iter().flatten().any(|b| b.strong) {
        return None;
    }
    let matched: f64 = term_best.iter().flatten().map(|b| f64::from(b.score)).sum();
    #[expect(clippy::cast_precision_loss, reason = "term counts are tiny")]
    let coverage = matched / evidence.len().max(1) as f64;
    let (mut redundant, mut unmatched) = (0usize, 0usize);
    for ingredient in &treatment.ingredients {
        if term_best
            .iter()
            .flatten()
            .any(|b| b.ingredient == *ingredient)
        {
            continue;
        }
        let credited = evidence.iter().any(|term| {
            term.credits
                .get(ingredient)
                .and_then(|c| c.value(routes))
                .is_some()
        });
        if credited {
            redundant += 1;
        } else {
            unmatched += 1;
        }
    }
    // A combination at least half made of what the query did not ask for is not an answer to
    // it: the patient would take an ingredient (an NSAID in a "PM" product for sleeplessness)
    // for nothing they have. Single ingredients always match something here.
    if unmatched > 0 && unmatched * 2 >= treatment.ingredients.len() {
        return None;
    }
    let mut value = coverage
        * REDUNDANT_INGREDIENT_FACTOR.powi(i32::try_from(redundant).unwrap_or(i32::MAX))
        * UNMATCHED_INGREDIENT_FACTOR.powi(i32::try_from(unmatched).unwrap_or(i32::MAX));
    if !treatment.has_otc {
        value *= PRESCRIPTION_FACTOR;
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
    if options.stock.is_some() && !in_stock {
        value *= NOT_IN_STOCK_FACTOR;
    }
    if value < MIN_SCORE {
        return None;
    }
    Some(Candidate {
        treatment: id,
        // Rounded so that f32 noise never decides an order and scores read cleanly.
        score: round_score(value),
        products,
        in_stock,
        term_best,
    })
}

/// Rounded so that f32 noise never decides an order and scores read cleanly.
pub(super) fn round_score(value: f64) -> f64 {
    (value.clamp(0.0, 1.0) * 1e6).round() / 1e6
}

/// Best first: score, then OTC, in stock, cheaper, fewer ingredients, more products, product id.
fn compare(
    catalogue: &KnowledgeSnapshot,
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
