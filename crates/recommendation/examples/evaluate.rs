//! Evaluation harness: runs the cited lay-language cases through `recommend` on the full shipped
//! catalogue and prints precision@5, recall@5 and MRR, then each case's top five.
//!
//! Run: `cargo run --release -p pharmarec-recommendation --example evaluate`

#[path = "../tests/support/dataset.rs"]
mod dataset;
#[path = "../tests/support/evaluation.rs"]
mod evaluation;

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = dataset::shipped_catalogue()?;
    let cases = evaluation::load_cases()?;
    let report = evaluation::evaluate(&catalogue, &cases)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "cases: {}", report.cases.len())?;
    writeln!(
        out,
        "precision@{k}: {:.3}",
        report.precision_at_k,
        k = evaluation::K
    )?;
    writeln!(
        out,
        "recall@{k}: {:.3}",
        report.recall_at_k,
        k = evaluation::K
    )?;
    writeln!(out, "MRR: {:.3}", report.mrr)?;
    writeln!(out)?;
    for case in &report.cases {
        writeln!(
            out,
            "{:<32} P={:.2} R={:.2} RR={:.2} top=[{}]{}",
            case.query,
            case.precision,
            case.recall,
            case.reciprocal_rank,
            case.top.join(", "),
            if case.unrecognised.is_empty() {
                String::new()
            } else {
                format!(" unrecognised={:?}", case.unrecognised)
            }
        )?;
    }
    Ok(())
}
