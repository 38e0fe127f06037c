//! Embedding the engine from another crate: load the shipped dataset, build a snapshot, share it
//! through a `KnowledgeHandle`, and answer one recommendation and one basket check as JSON.
//!
//! Run: `cargo run -p pharmarec-recommendation --example counter -- "stuffy nose and sneezing"`

#[path = "../tests/support/dataset.rs"]
mod dataset;

use std::io::Write;
use std::sync::Arc;

use pharmarec_recommendation::{
    BasketOptions, KnowledgeHandle, MedicineRef, Patient, RecommendOptions, SymptomQuery,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "headache and fever".to_string());
    let handle = KnowledgeHandle::unloaded();
    handle.replace(Arc::new(dataset::shipped_catalogue()?));
    let catalogue = handle.current();

    let patient = Patient {
        allergies: vec!["penicillin".to_string()],
        current_medicines: vec![MedicineRef::ingredient("warfarin")],
        ..Patient::default()
    };
    let answer = catalogue.recommend(
        &SymptomQuery::text(&query),
        &patient,
        &RecommendOptions::default(),
    )?;
    let basket = catalogue.check_basket(
        &[
            MedicineRef::ingredient("paracetamol"),
            MedicineRef::ingredient("ibuprofen"),
        ],
        &patient,
        &BasketOptions::default(),
    )?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &answer)?;
    writeln!(out)?;
    serde_json::to_writer_pretty(&mut out, &basket)?;
    writeln!(out)?;
    Ok(())
}
