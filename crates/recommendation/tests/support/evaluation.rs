//! Evaluation of ranking quality over the cited lay-language fixtures
//! (`tests/fixtures/otc_uses_lay_queries.json`): precision@5, recall@5 and MRR, computed from the
//! engine at run time.
//!
//! A result counts as relevant when its treatment contains an acceptable ingredient; recall@5 is
//! the share of a case's acceptable ingredients found in any of the top five treatments.

use std::error::Error;

use pharmarec_recommendation::{
    Catalogue, Patient, RecommendOptions, RecommendationError, SymptomQuery,
};
use serde::Deserialize;

/// Cut-off rank of every metric.
pub(crate) const K: usize = 5;

/// A public source backing one acceptable ingredient.
#[derive(Debug, Deserialize)]
#[expect(
    dead_code,
    reason = "kept with each case for reviewers; not used by the metrics"
)]
pub(crate) struct Citation {
    pub(crate) ingredient: String,
    pub(crate) source: String,
    pub(crate) url: String,
    pub(crate) quote: String,
}

/// One labelled query.
#[derive(Debug, Deserialize)]
pub(crate) struct Case {
    pub(crate) query: String,
    pub(crate) acceptable_ingredients: Vec<String>,
    #[expect(
        dead_code,
        reason = "kept with each case for reviewers; not used by the metrics"
    )]
    pub(crate) citations: Vec<Citation>,
}

#[derive(Debug, Deserialize)]
struct Fixtures {
    cases: Vec<Case>,
}

/// Metrics of one case.
#[derive(Debug)]
pub(crate) struct CaseScore {
    pub(crate) query: String,
    pub(crate) precision: f64,
    pub(crate) recall: f64,
    pub(crate) reciprocal_rank: f64,
    /// Top treatments as `ingredient+ingredient`, best first.
    pub(crate) top: Vec<String>,
    pub(crate) unrecognised: Vec<String>,
}

/// Mean metrics over all cases.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) cases: Vec<CaseScore>,
    pub(crate) precision_at_k: f64,
    pub(crate) recall_at_k: f64,
    pub(crate) mrr: f64,
}

/// Reads the fixture file shipped with the crate.
pub(crate) fn load_cases() -> Result<Vec<Case>, Box<dyn Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/otc_uses_lay_queries.json"
    );
    let fixtures: Fixtures = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    Ok(fixtures.cases)
}

/// Runs every case through `recommend` with default options (OTC only, top five, no patient).
pub(crate) fn evaluate(
    catalogue: &Catalogue,
    cases: &[Case],
) -> Result<Report, RecommendationError> {
    let options = RecommendOptions {
        limit: K,
        ..RecommendOptions::default()
    };
    let mut scores = Vec::with_capacity(cases.len());
    for case in cases {
        let answer = catalogue.recommend(
            &SymptomQuery::text(&case.query),
            &Patient::default(),
            &options,
        )?;
        let tops: Vec<Vec<String>> = answer
            .recommendations
            .iter()
            .map(|r| {
                r.medicine
                    .ingredients
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect()
            })
            .collect();
        let relevant = |ingredients: &Vec<String>| {
            ingredients
                .iter()
                .any(|i| case.acceptable_ingredients.contains(i))
        };
        let hits = tops.iter().filter(|t| relevant(t)).count();
        let found = case
            .acceptable_ingredients
            .iter()
            .filter(|a| tops.iter().any(|t| t.contains(a)))
            .count();
        let first = tops.iter().position(relevant);
        scores.push(CaseScore {
            query: case.query.clone(),
            precision: ratio(hits, K),
            recall: ratio(found, case.acceptable_ingredients.len()),
            reciprocal_rank: first.map_or(0.0, |rank| 1.0 / ratio(rank + 1, 1)),
            top: tops.iter().map(|t| t.join("+")).collect(),
            unrecognised: answer.unrecognised_terms,
        });
    }
    let mean = |f: fn(&CaseScore) -> f64| {
        scores.iter().map(f).sum::<f64>() / ratio(scores.len().max(1), 1)
    };
    Ok(Report {
        precision_at_k: mean(|s| s.precision),
        recall_at_k: mean(|s| s.recall),
        mrr: mean(|s| s.reciprocal_rank),
        cases: scores,
    })
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    let to_f64 = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
    to_f64(numerator) / to_f64(denominator.max(1))
}
