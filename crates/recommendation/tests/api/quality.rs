//! The evaluation harness as a test: it must run over every cited case, and a collapse of the
//! figures (e.g. matching broken) fails the build. The floors sit well below the figures recorded
//! in docs/RECOMMENDATION.md, so ordinary ranking changes do not trip them.

use crate::{catalogue, evaluation};

#[test]
fn evaluation_runs_over_all_cited_cases_and_stays_above_its_floor() {
    let cases = evaluation::load_cases().unwrap();
    assert!(cases.len() >= 25, "at least 25 cited cases");
    let report = evaluation::evaluate(catalogue(), &cases).unwrap();
    assert_eq!(report.cases.len(), cases.len());
    let summary: Vec<String> = report
        .cases
        .iter()
        .map(|c| {
            format!(
                "{}: [{}] unrecognised {:?}",
                c.query,
                c.top.join(", "),
                c.unrecognised
            )
        })
        .collect();
    assert!(
        report.mrr > 0.2,
        "MRR {}\n{}",
        report.mrr,
        summary.join("\n")
    );
    assert!((0.0..=1.0).contains(&report.precision_at_k));
    assert!(report.recall_at_k > 0.3, "recall@5 {}", report.recall_at_k);
}
