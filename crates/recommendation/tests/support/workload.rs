//! The patients and basket of the speed targets, shared by `benches/engine.rs` and
//! `examples/full_patient.rs` through `#[path]`, so the bench and the profiler driver measure the
//! same requests.

use pharmarec_recommendation::{MedicineRef, Patient};

/// A patient aged 67 on five common prescription medicines, allergic to penicillins.
pub(crate) fn five_medicines_patient() -> Patient {
    Patient {
        age: Some(67),
        allergies: vec!["penicillin".into()],
        current_medicines: [
            "warfarin",
            "simvastatin",
            "lisinopril",
            "metformin",
            "sertraline",
        ]
        .into_iter()
        .map(MedicineRef::ingredient)
        .collect(),
        ..Patient::default()
    }
}

/// The full patient of the issue 8 target: age, pregnancy stage, three conditions, five current
/// medicines, two allergies.
pub(crate) fn full_patient() -> Patient {
    Patient {
        age: Some(31),
        pregnancy_week: Some(24),
        breast_feeding: false,
        conditions: vec![
            "hypertension".into(),
            "asthma".into(),
            "kidney disease".into(),
        ],
        allergies: vec!["sulfa".into(), "penicillin".into()],
        ..five_medicines_patient()
    }
}

/// Ten ingredients with interacting pairs in both sources and class duplicates.
pub(crate) fn ten_item_basket() -> Vec<MedicineRef> {
    [
        "acetaminophen",
        "ibuprofen",
        "aspirin",
        "fluoxetine",
        "selegiline",
        "cetirizine",
        "omeprazole",
        "clarithromycin",
        "digoxin",
        "tramadol",
    ]
    .into_iter()
    .map(MedicineRef::ingredient)
    .collect()
}
