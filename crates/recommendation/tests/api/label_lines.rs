//! `KnowledgeSnapshot::label_lines`: a product's OTC label lines, cited, graded only for the patient's facts.

use pharmarec_domain::{MedicineId, Severity};
use pharmarec_recommendation::{Alert, AlertKind, Patient};

use crate::catalogue;

/// medicines.csv: OB-N018989-001, ADVIL, ibuprofen 200MG tablet, OTC.
const ADVIL: &str = "OB-N018989-001";

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn lines(id: &str, patient: &Patient) -> Vec<Alert> {
    catalogue()
        .label_lines(&id.parse::<MedicineId>().unwrap(), patient)
        .unwrap()
}

#[test]
fn ibuprofen_product_has_its_labels_stomach_bleeding_line_cited() {
    let lines = lines(ADVIL, &Patient::default());
    // otc_label_warnings.csv, IBUPROFEN: "Ask a doctor before use if stomach bleeding warning
    // applies to you ...".
    let ask = lines
        .iter()
        .find(|l| l.kind == AlertKind::LabelAskDoctor && l.message.contains("stomach bleeding"))
        .expect("the ibuprofen label's ask-a-doctor line");
    assert!(ask.source.starts_with("OTC Drug Facts label \"IBUPROFEN\""));
    assert_eq!(ask.severity, None, "an unknown patient grades no line");
    assert_eq!(ask.patient_fact, None);
    // Every section, the pregnancy one included ("It is especially important not to use
    // ibuprofen at 20 weeks or later in pregnancy").
    for kind in [
        AlertKind::LabelDoNotUse,
        AlertKind::LabelAskDoctorOrPharmacist,
        AlertKind::LabelPregnancyOrBreastFeeding,
    ] {
        assert!(lines.iter().any(|l| l.kind == kind), "{kind:?} missing");
    }
    assert!(lines.iter().all(|l| !l.source.is_empty()));
}

#[test]
fn a_line_naming_the_patients_condition_comes_first_as_a_warning() {
    let patient = Patient {
        conditions: vec!["high blood pressure".to_string()],
        ..Patient::default()
    };
    let lines = lines(ADVIL, &patient);
    // The ask-a-doctor line names "high blood pressure".
    let first = &lines[0];
    assert_eq!(first.kind, AlertKind::LabelAskDoctor);
    assert_eq!(first.severity, Some(Severity::Moderate));
    assert!(first.patient_fact.is_some());
    // Each section once: the graded line is not repeated ungraded.
    let asks = lines
        .iter()
        .filter(|l| l.kind == AlertKind::LabelAskDoctor && l.message == first.message)
        .count();
    assert_eq!(asks, 1);
}

#[test]
fn an_unknown_product_has_no_label_lines() {
    let unknown: MedicineId = "OB-N000000-000".parse().expect("a well-formed id");
    assert!(
        catalogue()
            .label_lines(&unknown, &Patient::default())
            .is_none()
    );
}
