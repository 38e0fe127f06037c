//! Prints the answer to one query on the full shipped catalogue, compactly: each treatment and
//! ingredient-level suggestion with its score and first reason, then what was not understood.
//!
//! Run: `cargo run --release -p pharmarec-recommendation --example ask -- "blocked nose"`

#[path = "../tests/support/dataset.rs"]
mod dataset;

use std::io::Write;

use pharmarec_recommendation::{Patient, RecommendOptions, SymptomQuery};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = dataset::shipped_catalogue()?;
    let mut out = std::io::stdout().lock();
    for query in std::env::args().skip(1) {
        let answer = catalogue.recommend(
            &SymptomQuery::text(&query),
            &Patient::default(),
            &RecommendOptions::default(),
        )?;
        writeln!(out, "== {query}")?;
        for r in &answer.recommendations {
            let names: Vec<&str> = r.medicine.ingredients.iter().map(|k| k.as_str()).collect();
            let why = r
                .reasons
                .first()
                .map_or(String::new(), |x| format!("{} ← {}", x.matched, x.via));
            writeln!(
                out,
                "  {:.3} {} [{}]  {}",
                r.score,
                names.join("+"),
                r.medicine.route,
                why
            )?;
        }
        for s in &answer.ingredient_suggestions {
            let why = s
                .reasons
                .first()
                .map_or(String::new(), |x| x.matched.clone());
            writeln!(
                out,
                "  {:.3} ({}) {} — {}; {}",
                s.score, s.category, s.ingredient, s.note, why
            )?;
        }
        if !answer.unrecognised_terms.is_empty() {
            writeln!(out, "  unrecognised: {:?}", answer.unrecognised_terms)?;
        }
    }
    Ok(())
}
