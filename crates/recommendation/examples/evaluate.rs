//! Evaluation harness: runs the cited lay-language cases (`tests/fixtures/lay_queries_eval.json`)
//! through `recommend` on the full shipped catalogue and prints, for the `dev` and the `test`
//! split, acceptable-in-top-3, recall@5, MRR and the cases with a forbidden ingredient in the top
//! five, then each case's top five (ingredient-level suggestions marked `*`). Method:
//! `tests/support/evaluation.rs`. Tune on `dev` only.
//!
//! Run: `cargo run --release -p pharmarec-recommendation --example evaluate [dev|test]`

#[path = "../tests/support/dataset.rs"]
mod dataset;
#[path = "../tests/support/evaluation.rs"]
mod evaluation;

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = dataset::shipped_catalogue()?;
    let cases = evaluation::load_cases()?;
    let mut out = std::io::stdout().lock();
    // `evaluate dev` prints one split: tune while looking at `dev` only.
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for split in ["dev", "test"] {
        if !wanted.is_empty() && !wanted.iter().any(|w| w == split) {
            continue;
        }
        let report = evaluation::evaluate(&catalogue, &cases, split)?;
        writeln!(out, "== {} ({} cases)", report.split, report.cases.len())?;
        writeln!(
            out,
            "acceptable in top {}: {:.3}",
            evaluation::TOP,
            report.top_3
        )?;
        writeln!(out, "recall@{}: {:.3}", evaluation::K, report.recall_at_k)?;
        writeln!(out, "MRR: {:.3}", report.mrr)?;
        writeln!(
            out,
            "cases with a forbidden ingredient in the top {}: {}",
            evaluation::K,
            report.forbidden_cases
        )?;
        for case in &report.cases {
            writeln!(
                out,
                "  {} {:<44} RR={:.2} top=[{}]{}{}",
                if case.top_hit { "ok  " } else { "MISS" },
                case.query,
                case.reciprocal_rank,
                case.top.join(", "),
                if case.forbidden.is_empty() {
                    String::new()
                } else {
                    format!(" FORBIDDEN={:?}", case.forbidden)
                },
                if case.unrecognised.is_empty() {
                    String::new()
                } else {
                    format!(" unrecognised={:?}", case.unrecognised)
                }
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
