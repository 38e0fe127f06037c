//! The evaluation harness as a test: it must run over every cited case, and a collapse of the
//! figures fails the build. The floors sit a little under the figures recorded in
//! docs/RECOMMENDATION.md (P@5 0.224, R@5 0.534, MRR 0.490): a ranking change that lowers any of
//! them noticeably must be looked at, and the recorded figures updated if it is kept.

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
        report.mrr > 0.45,
        "MRR {}\n{}",
        report.mrr,
        summary.join("\n")
    );
    assert!(
        report.precision_at_k > 0.2,
        "precision@5 {}",
        report.precision_at_k
    );
    assert!(report.recall_at_k > 0.5, "recall@5 {}", report.recall_at_k);
}
