//! Evaluation of ranking quality over the cited lay-language cases
//! (`tests/fixtures/lay_queries_eval.json`, split into `dev` and `test`), computed from the engine
//! at run time.
//!
//! # Method
//! Each case runs through `recommend` with default options (OTC only, top five, no patient). The
//! ranked results are the stocked treatments and the ingredient-level suggestions **interleaved by
//! score** (a treatment first on equal scores): both are answers a pharmacist can act on, and the
//! score is on one scale. A result is acceptable when one of its ingredients is an acceptable
//! ingredient of the case (a monograph name with its salt, `docusate sodium`, counts as
//! `docusate`); forbidden likewise. Per split:
//!
//! * **top-3**: the share of cases with an acceptable result among the first three; a case that
//!   expects an empty answer (`expect_empty`) scores when no result is returned;
//! * **recall@5**: the share of a case's acceptable ingredients found among the first five, out of
//!   at most five (a case accepting more than five ingredients can still reach 1);
//! * **MRR**: the mean of 1 / rank of the first acceptable result (0 when none);
//! * **forbidden in top 5**: the number of cases with a forbidden ingredient among the first five.
//!
//! Recall and MRR are averaged over the cases that list acceptable ingredients.

use std::error::Error;

use pharmarec_recommendation::{
    KnowledgeSnapshot, Patient, RecommendOptions, RecommendationError, SymptomQuery,
};
use serde::Deserialize;

/// Cut-off rank of recall and of the forbidden check.
pub(crate) const K: usize = 5;
/// Cut-off rank of the headline "acceptable in the top three".
pub(crate) const TOP: usize = 3;

/// One labelled query (the citations stay in the file for reviewers).
#[derive(Debug, Deserialize)]
pub(crate) struct Case {
    pub(crate) query: String,
    pub(crate) split: String,
    pub(crate) acceptable_ingredients: Vec<String>,
    #[serde(default)]
    pub(crate) forbidden_ingredients: Vec<String>,
    #[serde(default)]
    pub(crate) expect_empty: bool,
}

#[derive(Debug, Deserialize)]
struct Fixtures {
    cases: Vec<Case>,
}

/// Metrics of one case.
#[derive(Debug)]
pub(crate) struct CaseScore {
    pub(crate) query: String,
    pub(crate) top_hit: bool,
    pub(crate) recall: f64,
    pub(crate) reciprocal_rank: f64,
    pub(crate) forbidden: Vec<String>,
    /// Top results as `ingredient+ingredient` (suggestions marked `*`), best first.
    pub(crate) top: Vec<String>,
    pub(crate) unrecognised: Vec<String>,
}

/// Metrics of one split.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) split: String,
    pub(crate) cases: Vec<CaseScore>,
    pub(crate) top_3: f64,
    pub(crate) recall_at_k: f64,
    pub(crate) mrr: f64,
    pub(crate) forbidden_cases: usize,
}

/// Reads the fixture file shipped with the crate.
pub(crate) fn load_cases() -> Result<Vec<Case>, Box<dyn Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/lay_queries_eval.json"
    );
    let fixtures: Fixtures = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    Ok(fixtures.cases)
}

/// A ranked result: its score, ingredient names, and whether it is an ingredient suggestion.
struct Ranked {
    score: f64,
    names: Vec<String>,
    suggestion: bool,
}

/// The first [`K`] results of `query`, treatments and suggestions interleaved by score.
fn ranked(
    catalogue: &KnowledgeSnapshot,
    query: &str,
) -> Result<(Vec<Ranked>, Vec<String>), RecommendationError> {
    let answer = catalogue.recommend(
        &SymptomQuery::text(query),
        &Patient::default(),
        &RecommendOptions::default(),
    )?;
    let mut results: Vec<Ranked> = answer
        .recommendations
        .iter()
        .map(|r| Ranked {
            score: r.score,
            names: r
                .medicine
                .ingredients
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
            suggestion: false,
        })
        .chain(answer.ingredient_suggestions.iter().map(|s| Ranked {
            score: s.score,
            names: vec![s.ingredient.clone()],
            suggestion: true,
        }))
        .collect();
    // Stable: on equal scores the treatments, listed first, stay first.
    results.sort_by(|a, b| b.score.total_cmp(&a.score));
    results.truncate(K);
    Ok((results, answer.unrecognised_terms))
}

/// `docusate sodium` is `docusate`; `pyrethrum extract` is itself.
fn names_match(name: &str, wanted: &str) -> bool {
    name == wanted
        || name
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with(' '))
}

fn holds(result: &Ranked, wanted: &[String]) -> bool {
    result
        .names
        .iter()
        .any(|n| wanted.iter().any(|w| names_match(n, w)))
}

fn score_case(
    catalogue: &KnowledgeSnapshot,
    case: &Case,
) -> Result<CaseScore, RecommendationError> {
    let (results, unrecognised) = ranked(catalogue, &case.query)?;
    let first = results
        .iter()
        .position(|r| holds(r, &case.acceptable_ingredients));
    let found = case
        .acceptable_ingredients
        .iter()
        .filter(|a| results.iter().any(|r| holds(r, std::slice::from_ref(*a))))
        .count();
    let forbidden = case
        .forbidden_ingredients
        .iter()
        .filter(|f| results.iter().any(|r| holds(r, std::slice::from_ref(*f))))
        .cloned()
        .collect();
    Ok(CaseScore {
        query: case.query.clone(),
        top_hit: if case.expect_empty {
            results.is_empty()
        } else {
            first.is_some_and(|rank| rank < TOP)
        },
        // Capped at K: a case with more acceptable ingredients than K can still reach 1.
        recall: ratio(found, case.acceptable_ingredients.len().min(K)),
        reciprocal_rank: first.map_or(0.0, |rank| 1.0 / ratio(rank + 1, 1)),
        forbidden,
        top: results
            .iter()
            .map(|r| {
                format!(
                    "{}{}",
                    r.names.join("+"),
                    if r.suggestion { "*" } else { "" }
                )
            })
            .collect(),
        unrecognised,
    })
}

/// Runs every case of `split` (`dev` or `test`).
pub(crate) fn evaluate(
    catalogue: &KnowledgeSnapshot,
    cases: &[Case],
    split: &str,
) -> Result<Report, RecommendationError> {
    let chosen: Vec<&Case> = cases.iter().filter(|c| c.split == split).collect();
    let scores = chosen
        .iter()
        .map(|case| score_case(catalogue, case))
        .collect::<Result<Vec<_>, _>>()?;
    let ranked_cases: Vec<&CaseScore> = chosen
        .iter()
        .zip(&scores)
        .filter(|(case, _)| !case.acceptable_ingredients.is_empty())
        .map(|(_, score)| score)
        .collect();
    let mean = |values: Vec<f64>| {
        let n = values.len().max(1);
        values.iter().sum::<f64>() / ratio(n, 1)
    };
    Ok(Report {
        split: split.to_string(),
        top_3: ratio(scores.iter().filter(|s| s.top_hit).count(), scores.len()),
        recall_at_k: mean(ranked_cases.iter().map(|s| s.recall).collect()),
        mrr: mean(ranked_cases.iter().map(|s| s.reciprocal_rank).collect()),
        forbidden_cases: scores.iter().filter(|s| !s.forbidden.is_empty()).count(),
        cases: scores,
    })
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    let to_f64 = |n: usize| f64::from(u32::try_from(n).unwrap_or(u32::MAX));
    to_f64(numerator) / to_f64(denominator.max(1))
}
