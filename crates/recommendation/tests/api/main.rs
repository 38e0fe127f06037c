//! Integration tests of the public API on the full shipped dataset (`data/`), built once per binary.

#[path = "../support/dataset.rs"]
mod dataset;
#[path = "../support/evaluation.rs"]
mod evaluation;

mod basket;
mod clinical_cases;
mod clinical_safety;
mod handle;
mod label_lines;
mod lay_language;
mod monograph_suggestions;
mod patient_rules;
mod properties;
mod quality;
mod recommend;
mod right_product;
mod salt_forms_and_not_checked;
mod shared_keys;
mod substitutes;

use std::sync::OnceLock;

use pharmarec_recommendation::KnowledgeSnapshot;

/// The full snapshot, built once for every test in this binary.
#[expect(
    clippy::expect_used,
    reason = "test helper: a failure here is a test failure"
)]
fn catalogue() -> &'static KnowledgeSnapshot {
    static CATALOGUE: OnceLock<KnowledgeSnapshot> = OnceLock::new();
    CATALOGUE.get_or_init(|| dataset::shipped_catalogue().expect("the shipped dataset loads"))
}
