//! Criterion benches on the full shipped catalogue: snapshot build, recommend for a patient with
//! five current medicines, a ten-item basket check, substitutes, and recommend and the basket for
//! a full patient (age, pregnancy stage, three conditions, five medicines, two allergies).
//!
//! Run: `cargo bench -p pharmarec-recommendation --bench engine`

#[path = "../tests/support/allocator.rs"]
mod allocator;
#[path = "../tests/support/dataset.rs"]
mod dataset;
#[path = "../tests/support/workload.rs"]
mod workload;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use pharmarec_recommendation::{
    BasketOptions, KnowledgeSnapshot, Patient, RecommendOptions, SubstituteOptions, SymptomQuery,
};
use workload::{five_medicines_patient, full_patient, ten_item_basket};

#[expect(
    clippy::expect_used,
    reason = "a bench without its data must fail loudly, not measure nothing"
)]
fn benches(c: &mut Criterion) {
    let knowledge = dataset::shipped_knowledge().expect("the shipped dataset parses");
    let catalogue = dataset::shipped_catalogue().expect("the shipped dataset builds");
    let patient = five_medicines_patient();
    let options = RecommendOptions::default();

    c.bench_function("snapshot_build", |b| {
        b.iter_batched(
            || knowledge.clone(),
            |kb| KnowledgeSnapshot::build(kb, dataset::shipped_version()),
            criterion::BatchSize::LargeInput,
        );
    });
    let query = SymptomQuery::text("headache and fever");
    c.bench_function("recommend_5_current_medicines", |b| {
        b.iter(|| catalogue.recommend(black_box(&query), &patient, &options));
    });
    let hay = SymptomQuery::text("runny nose and sneezing");
    c.bench_function("recommend_rx_allowed", |b| {
        let all = RecommendOptions {
            otc_only: false,
            ..RecommendOptions::default()
        };
        b.iter(|| catalogue.recommend(black_box(&hay), &patient, &all));
    });
    // Lay phrases (issue 9): monograph uses, lay vocabulary and ingredient-level suggestions.
    let lay = SymptomQuery::text("blocked nose and the runs");
    c.bench_function("recommend_lay_phrases", |b| {
        b.iter(|| catalogue.recommend(black_box(&lay), &patient, &options));
    });
    let items = ten_item_basket();
    let no_patient = Patient::default();
    c.bench_function("check_basket_10_items", |b| {
        b.iter(|| {
            catalogue.check_basket(black_box(&items), &no_patient, &BasketOptions::default())
        });
    });
    let full = full_patient();
    c.bench_function("recommend_full_patient", |b| {
        b.iter(|| catalogue.recommend(black_box(&query), &full, &options));
    });
    c.bench_function("check_basket_10_items_full_patient", |b| {
        b.iter(|| catalogue.check_basket(black_box(&items), &full, &BasketOptions::default()));
    });
    let proventil = "OB-N020503-001".parse().ok();
    if let Some(id) = proventil {
        c.bench_function("substitutes", |b| {
            b.iter(|| {
                catalogue.substitutes(black_box(&id), &patient, &SubstituteOptions::default())
            });
        });
    }
}

criterion_group! {
    name = engine;
    // Modest samples: a 2-core machine shared with other builds (noise is noted in the docs).
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(engine);
