//! Property: for any generated patient (age, pregnancy stage, breast-feeding, conditions,
//! allergies, current medicines, weight), no recommended or substitute product carries an
//! `exclude` rule for that patient, and every patient entry is used or reported back.

use std::sync::OnceLock;

use pharmarec_domain::{ClinicalRules, RuleAction, RuleScope, Severity};
use pharmarec_recommendation::{
    BasketOptions, FindingKind, MedicineRef, Patient, RecommendOptions, SubstituteOptions,
    SymptomQuery,
};
use proptest::prelude::*;

use super::{QUERIES, config};
use crate::{catalogue, dataset};

/// Condition entries: codes, phrases, and text that matches nothing.
const CONDITIONS: &[&str] = &[
    "hypertension",
    "high blood pressure",
    "asthma",
    "peptic_ulcer",
    "glaucoma",
    "enlarged prostate",
    "kidney_disease",
    "liver_disease",
    "gout",
    "diabetes",
    "purple elbow syndrome",
];
const ALLERGIES: &[&str] = &[
    "sulfa",
    "penicillin",
    "nsaid",
    "opioid",
    "aspirin",
    "zzunknownzz",
];
const MEDICINES: &[&str] = &[
    "lithium",
    "warfarin",
    "phenelzine",
    "sertraline",
    "methotrexate",
    "clopidogrel",
    "levothyroxine",
    "zzunknownzz",
];

fn patient_strategy() -> impl Strategy<Value = Patient> {
    (
        prop_oneof![Just(None), (0u16..100).prop_map(Some)],
        prop_oneof![Just(None), (1u8..=45).prop_map(Some)],
        any::<bool>(),
        any::<bool>(),
        prop::sample::subsequence(CONDITIONS, 0..3),
        prop::sample::subsequence(ALLERGIES, 0..2),
        prop::sample::subsequence(MEDICINES, 0..3),
        prop_oneof![Just(None), (1.0f32..150.0).prop_map(Some)],
    )
        .prop_map(
            |(age, week, pregnant, breast_feeding, conditions, allergies, medicines, weight)| {
                Patient {
                    age,
                    pregnancy_week: week,
                    pregnant,
                    breast_feeding,
                    weight_kg: weight,
                    conditions: conditions.iter().map(|c| (*c).to_string()).collect(),
                    allergies: allergies.iter().map(|a| (*a).to_string()).collect(),
                    current_medicines: medicines
                        .iter()
                        .map(|m| MedicineRef::ingredient(m))
                        .collect(),
                    ..Patient::default()
                }
            },
        )
}

/// An oracle read straight from the rule table, not from the engine's index: unfiltered
/// ingredient-scoped `exclude` age rules that apply to this patient's age.
fn excluded_by_age_table(patient: &Patient) -> Vec<String> {
    let Some(months) = patient.age_in_months() else {
        return Vec::new();
    };
    static RULES: OnceLock<ClinicalRules> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        dataset::shipped_knowledge()
            .map(|k| k.rules)
            .unwrap_or_default()
    });
    rules
        .age_rules
        .iter()
        .filter(|r| {
            r.action == RuleAction::Exclude
                && r.condition.is_none()
                && r.dose_form_contains.is_none()
                && r.strength_contains.is_none()
                && months < u32::from(r.under_months)
        })
        .filter_map(|r| match &r.scope {
            RuleScope::Ingredient(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_result_carries_an_exclude_rule_and_every_entry_is_accounted_for(
        query in prop::sample::select(QUERIES),
        patient in patient_strategy(),
    ) {
        let options = RecommendOptions { limit: 10, ..RecommendOptions::default() };
        let answer = catalogue().recommend(&SymptomQuery::text(query), &patient, &options).unwrap();
        let forbidden = excluded_by_age_table(&patient);
        let patient_exclusion = |kind: FindingKind| matches!(kind,
            FindingKind::Age | FindingKind::PregnancyStage | FindingKind::BreastFeeding
            | FindingKind::Condition | FindingKind::Withdrawn | FindingKind::Contraindication
            | FindingKind::Allergy);
        let mut shown: Vec<pharmarec_domain::MedicineId> = answer.recommendations.iter()
            .map(|r| r.medicine.id.clone()).collect();
        let amoxicillin = "OB-A061926-001".parse().unwrap();
        let substitutes = catalogue()
            .substitutes(&amoxicillin, &patient, &SubstituteOptions::default()).unwrap();
        shown.extend(substitutes.generics.iter().chain(&substitutes.alternatives)
            .map(|s| s.medicine.id.clone()));
        for id in shown {
            let medicine = catalogue().medicine(&id).unwrap();
            let item = MedicineRef::MedicineId(id.clone());
            prop_assert!(!medicine.ingredient_keys().any(|k| forbidden.iter().any(|f| f == k.as_str())),
                "{:?} offered against an age exclude rule ({patient:?})", medicine.id);
            // The same patient, checked in a basket: no exclusion-level patient finding.
            let report = catalogue().check_basket(std::slice::from_ref(&item),
                &Patient { current_medicines: Vec::new(), ..patient.clone() }, &BasketOptions::default()).unwrap();
            prop_assert!(report.findings.iter().all(|f| !(patient_exclusion(f.kind) && f.severity == Severity::Contraindicated)),
                "{:?} offered but its basket check excludes it: {:?}", medicine.id, report.findings);
        }
        // Every entry that matches nothing is reported back; every one that matches is not.
        for entry in &patient.conditions {
            let reported = answer.unrecognised_patient_entries.contains(&format!("condition: {entry}"));
            prop_assert_eq!(reported, entry == "purple elbow syndrome", "{}", entry);
        }
        for entry in &patient.allergies {
            let reported = answer.unrecognised_patient_entries.contains(&format!("allergy: {entry}"));
            prop_assert_eq!(reported, entry == "zzunknownzz", "{}", entry);
        }
        for entry in &patient.current_medicines {
            let reported = answer.unrecognised_patient_entries.contains(&format!("current medicine: {}", entry.label()));
            prop_assert_eq!(reported, entry.label() == "zzunknownzz", "{}", entry.label());
        }
        prop_assert_eq!(patient.weight_kg.is_some(), answer.not_checked.iter().any(|n| n.fact == "weight"));
    }
}
