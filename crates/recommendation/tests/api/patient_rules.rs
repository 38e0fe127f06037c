//! Patient-rule paths beyond the cited clinical cases: the labels' older-adult lines in a basket,
//! a medicine name the data cannot resolve, and the "not covered" warning of a current medicine.

use pharmarec_domain::Severity;
use pharmarec_recommendation::{
    AlertKind, BasketOptions, BasketReport, FindingKind, MedicineRef, Patient,
};

use crate::catalogue;
use crate::clinical_safety::{aged, recommend};

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn basket(items: &[&str], patient: &Patient) -> BasketReport {
    let items: Vec<MedicineRef> = items.iter().map(|i| MedicineRef::ingredient(i)).collect();
    catalogue()
        .check_basket(&items, patient, &BasketOptions::default())
        .unwrap()
}

/// A patient who takes `medicine`.
fn taking(medicine: &str) -> Patient {
    Patient {
        current_medicines: vec![MedicineRef::ingredient(medicine)],
        ..Patient::default()
    }
}

#[test]
fn an_nsaid_in_the_basket_of_a_67_year_old_quotes_the_labels_age_line() {
    let report = basket(&["ibuprofen"], &aged(67));
    let age_line = |report: &BasketReport| {
        report.findings.iter().any(|f| {
            f.kind == FindingKind::Age
                && f.severity == Severity::Moderate
                && f.description.contains("are age 60 or older")
                && f.description
                    .starts_with("ibuprofen: ask a doctor before use")
        })
    };
    assert!(age_line(&report), "{:#?}", report.findings);
    assert!(!age_line(&basket(&["ibuprofen"], &aged(59))));
}

#[test]
fn ferrous_sulfate_stays_reported_as_unrecognised() {
    // No shipped file ties ferrous sulfate to a catalogue key (data/rules/README.md, known gaps).
    let patient = taking("ferrous sulfate");
    let answer = recommend("headache", &patient);
    assert_eq!(
        answer.unrecognised_patient_entries,
        ["current medicine: ferrous sulfate"]
    );
    let report = basket(&["ibuprofen"], &patient);
    assert_eq!(report.unrecognised, ["current medicine ferrous sulfate"]);
}

#[test]
fn a_current_medicine_no_source_covers_is_warned_once_in_each_result() {
    // Guaifenesin has no row in either interaction source.
    let answer = recommend("headache", &taking("guaifenesin"));
    assert!(!answer.recommendations.is_empty());
    for result in &answer.recommendations {
        let notes = result
            .warnings
            .iter()
            .filter(|w| {
                w.kind == AlertKind::NotCovered
                    && w.ingredients == ["guaifenesin".parse().unwrap()]
                    && w.message
                        .starts_with("no interaction source covers guaifenesin")
            })
            .count();
        assert_eq!(notes, 1, "{:#?}", result.warnings);
    }
}
