//! Repeats one request of the issue 8 speed target for a profiler: recommend ("headache and
//! fever") or the 10-item basket, for the full patient of `benches/engine.rs` (age, pregnancy
//! week, three conditions, five current medicines, two allergies). Instruction counts do not
//! depend on the machine's load, unlike times:
//!
//! ```sh
//! cargo build --release -p pharmarec-recommendation --example full_patient
//! valgrind --tool=callgrind --toggle-collect='*run_basket*' target/release/examples/full_patient basket
//! valgrind --tool=callgrind --toggle-collect='*run_recommend*' target/release/examples/full_patient recommend
//! ```
//!
//! Each run makes 201 calls (200, then one whose answer size is printed).

#[path = "../tests/support/allocator.rs"]
mod allocator;
#[path = "../tests/support/dataset.rs"]
mod dataset;
#[path = "../tests/support/workload.rs"]
mod workload;

use std::io::Write;

use pharmarec_recommendation::{
    BasketOptions, BasketReport, KnowledgeSnapshot, MedicineRef, Patient, RecommendOptions,
    RecommendationError, Recommendations, SymptomQuery,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = dataset::shipped_catalogue()?;
    let basket = std::env::args().nth(1).is_some_and(|a| a == "basket");
    let patient = workload::full_patient();
    let items = workload::ten_item_basket();
    let query = SymptomQuery::text("headache and fever");
    for _ in 0..200 {
        if basket {
            std::hint::black_box(run_basket(&catalogue, &items, &patient)?);
        } else {
            std::hint::black_box(run_recommend(&catalogue, &query, &patient)?);
        }
    }
    let bytes = if basket {
        serde_json::to_vec(&run_basket(&catalogue, &items, &patient)?)?.len()
    } else {
        serde_json::to_vec(&run_recommend(&catalogue, &query, &patient)?)?.len()
    };
    writeln!(std::io::stdout().lock(), "answer: {bytes} bytes of JSON")?;
    Ok(())
}

/// Not inlined, so a profiler can collect this call alone.
#[inline(never)]
fn run_recommend(
    catalogue: &KnowledgeSnapshot,
    query: &SymptomQuery,
    patient: &Patient,
) -> Result<Recommendations, RecommendationError> {
    catalogue.recommend(query, patient, &RecommendOptions::default())
}

/// Not inlined, so a profiler can collect this call alone.
#[inline(never)]
fn run_basket(
    catalogue: &KnowledgeSnapshot,
    items: &[MedicineRef],
    patient: &Patient,
) -> Result<BasketReport, RecommendationError> {
    catalogue.check_basket(items, patient, &BasketOptions::default())
}
