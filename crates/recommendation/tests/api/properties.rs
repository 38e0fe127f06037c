//! Property tests on the real catalogue: allergies are never recommended, results are sorted,
//! basket findings ignore item order and only grow when items are added.

use pharmarec_recommendation::{
    BasketOptions, Finding, MedicineRef, Patient, RecommendOptions, SymptomQuery,
};
use proptest::prelude::*;

use crate::catalogue;

const QUERIES: &[&str] = &[
    "headache",
    "fever",
    "hay fever",
    "heartburn",
    "cough",
    "stuffy nose",
    "diarrhea",
    "toothache",
    "runny nose and sneezing",
    "athlete's foot",
    "insomnia",
    "back pain",
    "acne",
    "migraine",
];
const INGREDIENTS: &[&str] = &[
    "acetaminophen",
    "ibuprofen",
    "naproxen",
    "aspirin",
    "warfarin",
    "fluoxetine",
    "selegiline",
    "cetirizine",
    "loratadine",
    "pseudoephedrine",
    "omeprazole",
    "famotidine",
    "amoxicillin",
    "simvastatin",
    "clarithromycin",
    "diphenhydramine",
    "tramadol",
    "sertraline",
    "lithium",
    "digoxin",
];
const ALLERGIES: &[&str] = &[
    "ibuprofen",
    "acetaminophen",
    "penicillin",
    "cetirizine",
    "Nonsteroidal Anti-inflammatory Drug",
    "Histamine-2 Receptor Antagonist",
    "pseudoephedrine",
    "loratadine",
];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    }
}

fn key(f: &Finding) -> (String, String, Vec<String>) {
    (
        format!("{:?}", f.kind),
        f.severity.to_string(),
        f.ingredients.iter().map(|k| k.to_string()).collect(),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_result_contains_an_ingredient_the_patient_is_allergic_to(
        query in prop::sample::select(QUERIES),
        allergies in prop::sample::subsequence(ALLERGIES, 1..3),
        otc_only in any::<bool>(),
    ) {
        let patient = Patient { allergies: allergies.iter().map(|a| (*a).to_string()).collect(), ..Patient::default() };
        let options = RecommendOptions { otc_only, limit: 10, ..RecommendOptions::default() };
        let answer = catalogue().recommend(&SymptomQuery::text(query), &patient, &options).unwrap();
        // Allergens named by their key never appear, whatever the class logic does.
        for r in &answer.recommendations {
            prop_assert!(!r.medicine.ingredients.iter().any(|k| allergies.contains(&k.as_str())),
                "{:?} recommended despite allergies {:?}", r.medicine.ingredients, allergies);
        }
        // The same allergies, checked in a basket, name every ingredient they cover.
        for r in &answer.recommendations {
            let items: Vec<MedicineRef> = r.medicine.ingredients.iter().map(|k| MedicineRef::ingredient(k.as_str())).collect();
            let report = catalogue().check_basket(&items, &patient, &BasketOptions::default()).unwrap();
            prop_assert!(report.findings.iter().all(|f| f.kind != pharmarec_recommendation::FindingKind::Allergy),
                "{:?} recommended despite allergies {:?}", r.medicine.ingredients, allergies);
        }
    }

    #[test]
    fn results_are_sorted_by_score_and_scores_stay_in_unit_range(
        query in prop::sample::select(QUERIES),
        otc_only in any::<bool>(),
    ) {
        let options = RecommendOptions { otc_only, limit: 10, ..RecommendOptions::default() };
        let answer = catalogue().recommend(&SymptomQuery::text(query), &Patient::default(), &options).unwrap();
        prop_assert!(answer.recommendations.windows(2).all(|w| w[0].score >= w[1].score));
        prop_assert!(answer.recommendations.iter().all(|r| (0.0..=1.0).contains(&r.score)));
        let again = catalogue().recommend(&SymptomQuery::text(query), &Patient::default(), &options).unwrap();
        prop_assert_eq!(answer, again);
    }

    #[test]
    fn basket_findings_do_not_depend_on_item_order(
        items in prop::sample::subsequence(INGREDIENTS, 2..8).prop_shuffle(),
    ) {
        let forward: Vec<MedicineRef> = items.iter().map(|i| MedicineRef::ingredient(i)).collect();
        let mut backward = forward.clone();
        backward.reverse();
        let a = catalogue().check_basket(&forward, &Patient::default(), &BasketOptions::default()).unwrap();
        let b = catalogue().check_basket(&backward, &Patient::default(), &BasketOptions::default()).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn adding_an_item_never_removes_a_finding(
        items in prop::sample::subsequence(INGREDIENTS, 1..7),
        extra in prop::sample::select(INGREDIENTS),
    ) {
        let mut basket: Vec<MedicineRef> = items.iter().map(|i| MedicineRef::ingredient(i)).collect();
        let before = catalogue().check_basket(&basket, &Patient::default(), &BasketOptions::default()).unwrap();
        basket.push(MedicineRef::ingredient(extra));
        let after = catalogue().check_basket(&basket, &Patient::default(), &BasketOptions::default()).unwrap();
        let after_keys: Vec<_> = after.findings.iter().map(key).collect();
        for finding in &before.findings {
            prop_assert!(after_keys.contains(&key(finding)), "lost {:?}", finding);
        }
    }
}
