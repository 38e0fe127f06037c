//! The reasons shown with a result: which query term reached which indication, how, and from which
//! source.

use super::rank::TermBest;
use crate::matching::MatchedTerm;
use crate::model::Reason;
use crate::snapshot::{KnowledgeSnapshot, Route, UseRoute};

/// Evidence below this is reported as possibly inherited from a combination product.
const INHERITED_EVIDENCE_BELOW: f32 = 0.7;

pub(super) fn reasons(
    catalogue: &KnowledgeSnapshot,
    terms: &[MatchedTerm],
    term_best: &[Option<TermBest>],
) -> Vec<Reason> {
    terms
        .iter()
        .zip(term_best)
        .filter_map(|(term, best)| {
            let best = (*best)?;
            let ingredient = catalogue.ingredients.key(best.ingredient).clone();
            let mut reason = match best.credit.primary {
                Some(primary) if best.primary => {
                    use_reason(catalogue, term, primary.hit, ingredient)?
                }
                _ => secondary_reason(catalogue, term, best, ingredient)?,
            };
            if !term.corrections.is_empty() {
                reason.via.push_str(&format!(
                    "; spelling read as {}",
                    term.corrections.join(", ")
                ));
            }
            Some(reason)
        })
        .collect()
}

/// The reason for an OTC use credit: the indication wording, its category and citation.
pub(super) fn use_reason(
    catalogue: &KnowledgeSnapshot,
    term: &MatchedTerm,
    hit: crate::snapshot::UseHit,
    ingredient: pharmarec_domain::IngredientKey,
) -> Option<Reason> {
    let indication = catalogue.uses.indications.get(hit.indication as usize)?;
    let category = catalogue.monograph.get(indication.category);
    let mut via = format!("OTC use category: {}", category.name);
    match hit.route {
        UseRoute::Wording => via.push_str("; the indication's own wording"),
        UseRoute::Words => via.push_str("; query words found in the indication wording"),
        UseRoute::Lay(row) => {
            via.push_str("; ");
            via.push_str(&lay_row(catalogue, row));
        }
    }
    Some(Reason {
        term: term.term.clone(),
        matched: indication.text.clone(),
        ingredient,
        source: format!(
            "otc_monograph {} {}",
            indication.cfr_section, indication.source_url
        ),
        via,
    })
}

fn secondary_reason(
    catalogue: &KnowledgeSnapshot,
    term: &MatchedTerm,
    best: TermBest,
    ingredient: pharmarec_domain::IngredientKey,
) -> Option<Reason> {
    let (_, link) = best.credit.secondary?;
    let indication = catalogue
        .conditions
        .indications
        .get(link.indication as usize)?;
    let mut via = match link.hit.route {
        Route::Name => "condition name".to_string(),
        Route::Words => "query words found in the condition name".to_string(),
        Route::Code => "condition code".to_string(),
        Route::Lay(row) => lay_row(catalogue, row),
        Route::SameConcept(name) => format!(
            "same UMLS concept as the condition name \"{}\"",
            catalogue
                .conditions
                .names
                .get(name as usize)
                .map_or("", String::as_str)
        ),
        Route::Vocabulary(row) => {
            catalogue
                .conditions
                .terms
                .get(row as usize)
                .map_or_else(String::new, |t| {
                    format!(
                        "condition vocabulary: {} \"{}\" ({} {})",
                        t.relation, t.term, t.source, t.source_id
                    )
                })
        }
    };
    if link.evidence < INHERITED_EVIDENCE_BELOW {
        via.push_str("; the catalogue sells this ingredient only in combinations and DrugCentral indications are product-level, so the indication may belong to a partner");
    }
    Some(Reason {
        term: term.term.clone(),
        matched: indication.condition.clone(),
        ingredient,
        source: indication.source.clone(),
        via,
    })
}

/// `lay vocabulary "<phrase>" (<source>, <URL>)` for a row of the lay vocabulary.
fn lay_row(catalogue: &KnowledgeSnapshot, row: u32) -> String {
    catalogue
        .rules
        .lay_vocabulary
        .get(row as usize)
        .map_or_else(String::new, |lay| {
            format!(
                "lay vocabulary \"{}\" ({}, {})",
                lay.phrase, lay.source, lay.source_url
            )
        })
}
