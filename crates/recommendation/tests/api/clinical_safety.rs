//! Issue 8: the pharmacist's examples that gave unsafe answers, each now answered safely.
//!
//! Every expectation rests on a cited row of `data/rules/` (the row is named in the comment);
//! the tests assert what the engine does with those rows, never a medical fact of their own.

use pharmarec_domain::Severity;
use pharmarec_recommendation::{
    AlertKind, BasketOptions, FindingKind, MedicineRef, Patient, RecommendOptions, Recommendations,
    SymptomQuery, Verdict,
};

use crate::catalogue;

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
pub(crate) fn recommend(text: &str, patient: &Patient) -> Recommendations {
    catalogue()
        .recommend(
            &SymptomQuery::text(text),
            patient,
            &RecommendOptions::default(),
        )
        .unwrap()
}

fn recommended(answer: &Recommendations, key: &str) -> bool {
    answer
        .recommendations
        .iter()
        .any(|r| r.medicine.ingredients.iter().any(|k| k.as_str() == key))
}

fn excluded_for(answer: &Recommendations, key: &str) -> Option<AlertKind> {
    answer
        .excluded
        .iter()
        .find(|e| e.medicine.ingredients.iter().any(|k| k.as_str() == key))
        .map(|e| e.reason.kind)
}

pub(crate) fn aged(years: u16) -> Patient {
    Patient {
        age: Some(years),
        ..Patient::default()
    }
}

#[test]
fn fever_in_a_three_year_old_offers_no_adult_products_and_excludes_aspirin() {
    let answer = recommend("fever", &aged(3));
    // age_rules.csv: aspirin, under 240 months, exclude (Reye's label line); naproxen under 144;
    // nasal_decongestant category under 48 (FDA cough and cold products page).
    for key in ["aspirin", "naproxen", "pseudoephedrine"] {
        assert!(!recommended(&answer, key), "{key} offered to a 3-year-old");
    }
    for r in &answer.recommendations {
        let form = r.medicine.dose_form.to_lowercase();
        let guaifenesin = r
            .medicine
            .ingredients
            .iter()
            .any(|k| k.as_str() == "guaifenesin");
        assert!(
            !(guaifenesin && form.contains("extended")),
            "{:?}",
            r.medicine
        );
    }
    let reye = answer.excluded.iter().chain(&[]).find(|e| {
        e.medicine
            .ingredients
            .iter()
            .any(|k| k.as_str() == "aspirin")
    });
    if let Some(reye) = reye {
        assert_eq!(reye.reason.kind, AlertKind::Age);
        assert!(reye.reason.message.contains("Children and teenagers"));
        assert!(reye.reason.source_url.is_some());
    }
}

#[test]
fn runny_nose_and_cough_at_two_offers_no_cough_and_cold_medicine() {
    let answer = recommend("runny nose and cough", &aged(2));
    // age_rules.csv: guaifenesin, dextromethorphan, the antitussive, expectorant and nasal
    // decongestant categories: under 48 months, exclude.
    for key in ["guaifenesin", "pseudoephedrine", "dextromethorphan"] {
        assert!(!recommended(&answer, key), "{key} offered to a 2-year-old");
    }
}

#[test]
fn diarrhea_at_one_does_not_offer_loperamide() {
    let patient = Patient {
        age_months: Some(12),
        ..Patient::default()
    };
    let answer = recommend("diarrhea", &patient);
    // age_rules.csv: loperamide, under 24 months, exclude.
    assert!(!recommended(&answer, "loperamide"));
    if let Some(kind) = excluded_for(&answer, "loperamide") {
        assert_eq!(kind, AlertKind::Age);
    }
}

#[test]
fn headache_at_32_weeks_offers_no_nsaid() {
    let patient = Patient {
        pregnancy_week: Some(32),
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    // pregnancy_rules.csv: the NSAID class from week 20, aspirin and naproxen from week 28.
    for key in ["aspirin", "ibuprofen", "naproxen"] {
        assert!(!recommended(&answer, key), "{key} offered at week 32");
    }
}

#[test]
fn a_history_of_stomach_ulcer_is_a_condition_not_a_complaint() {
    let answer = recommend("headache, history of stomach ulcer", &Patient::default());
    assert_eq!(answer.conditions_from_text.len(), 1);
    assert_eq!(answer.conditions_from_text[0].code, "peptic_ulcer");
    assert!(
        answer
            .recommendations
            .iter()
            .flat_map(|r| &r.reasons)
            .all(|reason| !reason.matched.to_lowercase().contains("ulcer")),
        "the ulcer was treated as a complaint"
    );
    if let Some(first) = answer.recommendations.first() {
        assert!(
            !first
                .medicine
                .ingredients
                .iter()
                .any(|k| k.as_str() == "naproxen")
        );
    }
}

#[test]
fn she_has_asthma_does_not_boost_a_decongestant_for_period_pain() {
    let answer = recommend("period pain, she has asthma", &Patient::default());
    assert!(
        answer
            .conditions_from_text
            .iter()
            .any(|c| c.code == "asthma")
    );
    assert!(
        answer
            .recommendations
            .iter()
            .flat_map(|r| &r.reasons)
            .all(|reason| !reason.term.to_lowercase().contains("asthma"))
    );
    assert!(!recommended(&answer, "pseudoephedrine"));
}

#[test]
fn a_basket_for_a_pregnant_patient_says_what_it_could_not_check() {
    let patient = Patient {
        pregnant: true,
        ..Patient::default()
    };
    let report = catalogue()
        .check_basket(
            &[MedicineRef::ingredient("isotretinoin")],
            &patient,
            &BasketOptions::default(),
        )
        .unwrap();
    let found = report.findings.iter().any(|f| {
        matches!(
            f.kind,
            FindingKind::Contraindication | FindingKind::PregnancyStage | FindingKind::Pregnancy
        )
    });
    let unchecked = report.not_checked.iter().any(|n| n.fact == "pregnancy");
    assert!(found || unchecked, "{report:?}");
    if report.verdict == Verdict::NoKnownInteraction {
        assert!(report.verdict_text.contains("not_checked"));
    }
}

#[test]
fn a_basket_checks_breast_feeding() {
    let patient = Patient {
        breast_feeding: true,
        ..Patient::default()
    };
    let report = catalogue()
        .check_basket(
            &[MedicineRef::ingredient("codeine")],
            &patient,
            &BasketOptions::default(),
        )
        .unwrap();
    // lactation_rules.csv: codeine, exclude.
    let finding = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::BreastFeeding)
        .expect("a breast-feeding finding");
    assert_eq!(finding.severity, Severity::Contraindicated);
    assert!(finding.source.contains("http"));
}

#[test]
fn common_names_and_salts_of_current_medicines_and_allergies_are_recognised() {
    let patient = Patient {
        current_medicines: vec![
            MedicineRef::ingredient("lithium"),
            MedicineRef::ingredient("levothyroxine"),
        ],
        allergies: vec!["sulfa".into(), "sulfonamide".into()],
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    assert!(
        answer.unrecognised_patient_entries.is_empty(),
        "{:?}",
        answer.unrecognised_patient_entries
    );
}

#[test]
fn a_lithium_patient_gets_the_interaction_the_basket_knows() {
    let patient = Patient {
        current_medicines: vec![MedicineRef::ingredient("lithium")],
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    // interactions_ansm.csv: ibuprofen + lithium carbonate, "Association DECONSEILLEE" (major):
    // excluded at the default threshold. (The sources hold no aspirin + lithium row.)
    assert!(!recommended(&answer, "ibuprofen"));
    let reason = answer
        .excluded
        .iter()
        .find(|e| {
            e.medicine
                .ingredients
                .iter()
                .any(|k| k.as_str() == "ibuprofen")
        })
        .map(|e| &e.reason)
        .expect("ibuprofen is excluded");
    assert_eq!(reason.kind, AlertKind::Interaction);
    assert!(
        reason.message.contains("not recommended"),
        "{}",
        reason.message
    );
    assert!(reason.message.contains("(French, verbatim)"));
}

#[test]
fn conditions_given_as_codes_or_text_warn_with_the_rule_and_the_fact() {
    let patient = Patient {
        conditions: vec!["high blood pressure".into()],
        ..Patient::default()
    };
    let answer = recommend("stuffy nose", &patient);
    let warned = answer
        .recommendations
        .iter()
        .flat_map(|r| &r.warnings)
        .find(|w| w.kind == AlertKind::Condition);
    let excluded = answer
        .excluded
        .iter()
        .find(|e| e.reason.kind == AlertKind::Condition);
    let alert = warned
        .or(excluded.map(|e| &e.reason))
        .expect("a condition alert");
    assert_eq!(
        alert.patient_fact.as_deref(),
        Some("condition hypertension")
    );
    assert!(alert.source_url.is_some());
}

#[test]
fn unknown_condition_text_is_returned_as_not_checked() {
    let patient = Patient {
        conditions: vec!["purple elbow syndrome".into()],
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    assert!(
        answer
            .unrecognised_patient_entries
            .contains(&"condition: purple elbow syndrome".to_string())
    );
}

#[test]
fn a_weight_is_reported_as_not_checked() {
    let patient = Patient {
        weight_kg: Some(70.0),
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    assert!(answer.not_checked.iter().any(|n| n.fact == "weight"));
}

#[test]
fn ranitidine_is_never_offered_it_was_withdrawn() {
    let answer = recommend("heartburn", &Patient::default());
    assert!(!recommended(&answer, "ranitidine"));
}

#[test]
fn every_rule_target_that_matches_nothing_is_listed() {
    // Visible gaps: rule rows whose target is not a catalogue ingredient cannot apply.
    let unmapped = catalogue().unmapped_rule_targets();
    for target in unmapped {
        assert!(target.contains(": "), "{target}");
    }
    println!("unmapped rule targets: {unmapped:#?}");
}

#[test]
fn paracetamol_gets_no_penicillin_class_note() {
    let patient = Patient {
        allergies: vec!["penicillin".into()],
        ..Patient::default()
    };
    let answer = recommend("headache", &patient);
    let note = answer
        .recommendations
        .iter()
        .filter(|r| {
            r.medicine
                .ingredients
                .iter()
                .any(|k| k.as_str() == "acetaminophen")
        })
        .flat_map(|r| &r.warnings)
        .any(|w| w.message.contains("class cross-sensitivity"));
    assert!(!note);
}

#[test]
fn a_warfarin_label_line_is_not_a_warning_for_someone_not_taking_warfarin() {
    let answer = recommend("headache", &Patient::default());
    let warned = answer
        .recommendations
        .iter()
        .flat_map(|r| &r.warnings)
        .any(|w| w.message.to_lowercase().contains("warfarin"));
    assert!(!warned);
}

#[test]
fn a_child_is_shown_a_childrens_product_never_an_adult_extended_release_one() {
    let answer = recommend("fever", &aged(3));
    for r in &answer.recommendations {
        let shown = &r.medicine;
        assert!(
            !shown.dose_form.to_lowercase().contains("extended"),
            "{shown:?}"
        );
        let ibuprofen_only = shown.ingredients.iter().all(|k| k.as_str() == "ibuprofen");
        // age_rules.csv: ibuprofen 200 mg tablets, under 144 months, warn: a product without
        // that warning comes first when the catalogue has one.
        if ibuprofen_only {
            assert!(
                !(shown.dose_form == "tablet" && shown.strength.contains("200")),
                "{shown:?}"
            );
        }
    }
}

#[test]
fn an_adult_is_shown_an_oral_tablet_or_capsule_for_a_headache() {
    let answer = recommend("headache", &aged(40));
    let first = &answer.recommendations[0].medicine;
    let form = first.dose_form.to_lowercase();
    assert!(first.route.to_lowercase().contains("oral"), "{first:?}");
    assert!(
        form.contains("tablet") || form.contains("capsule"),
        "{first:?}"
    );
}
