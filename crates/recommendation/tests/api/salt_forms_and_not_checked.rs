//! Salt/ester forms in allergy and duplicate checks, "not covered" warnings, missing interaction
//! knowledge, and an exclusion reason that does not depend on input order.
//!
//! The synthetic knowledge bases below are made-up names, not medical facts.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure here is a test failure"
)]

use std::sync::Arc;

use pharmarec_domain::*;
use pharmarec_recommendation::*;

use crate::catalogue;

fn patient(allergies: &[&str], current: &[&str]) -> Patient {
    Patient {
        allergies: allergies.iter().map(|a| (*a).to_string()).collect(),
        current_medicines: current.iter().map(|c| MedicineRef::ingredient(c)).collect(),
        ..Patient::default()
    }
}

fn basket(items: &[&str], patient: &Patient) -> BasketReport {
    let items: Vec<MedicineRef> = items.iter().map(|i| MedicineRef::ingredient(i)).collect();
    catalogue()
        .check_basket(&items, patient, &BasketOptions::default())
        .unwrap()
}

fn rx_options() -> RecommendOptions<'static> {
    RecommendOptions {
        otc_only: false,
        limit: 50,
        ..RecommendOptions::default()
    }
}

#[test]
fn penicillin_allergies_reach_penicillin_g_salt_forms() {
    for allergy in ["penicillin", "amoxicillin", "penicillin g"] {
        let report = basket(
            &["penicillin g benzathine", "penicillin g procaine"],
            &patient(&[allergy], &[]),
        );
        for key in ["penicillin g benzathine", "penicillin g procaine"] {
            assert!(
                report
                    .findings
                    .iter()
                    .any(|f| f.kind == FindingKind::Allergy && f.ingredients[0].as_str() == key),
                "allergy {allergy} missed {key}: {:?}",
                report.findings
            );
        }
    }
}

#[test]
fn an_allergy_to_the_parent_excludes_its_salt_form_from_recommendations() {
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("acne vulgaris"),
            &patient(&["clindamycin"], &[]),
            &rx_options(),
        )
        .unwrap();
    assert!(answer.recommendations.iter().all(|r| {
        !r.medicine
            .ingredients
            .iter()
            .any(|k| k.as_str().starts_with("clindamycin"))
    }));
    let excluded = answer
        .excluded
        .iter()
        .find(|e| e.reason.ingredients[0].as_str() == "clindamycin phosphate")
        .expect("clindamycin phosphate is excluded");
    assert_eq!(excluded.reason.kind, AlertKind::Allergy);
    assert!(
        excluded
            .reason
            .message
            .contains("salt/ester form of clindamycin")
    );
}

#[test]
fn a_salt_form_counts_as_already_taken_and_as_a_duplicate() {
    let report = basket(
        &["clindamycin", "clindamycin phosphate"],
        &Patient::default(),
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::DuplicateIngredient),
        "{:?}",
        report.findings
    );
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("acne vulgaris"),
            &patient(&[], &["clindamycin"]),
            &rx_options(),
        )
        .unwrap();
    assert!(answer.excluded.iter().any(|e| {
        e.reason.kind == AlertKind::DuplicateIngredient
            && e.reason.ingredients[0].as_str() == "clindamycin phosphate"
    }));
}

fn ingredient(key: &str, classes: &[&str]) -> Ingredient {
    Ingredient {
        key: key.parse().unwrap(),
        inn_name: None,
        us_name: None,
        epc_classes: classes.iter().map(|c| (*c).to_string()).collect(),
        moa_classes: vec![],
        rxcui: vec![],
        has_otc_product: true,
    }
}

fn medicine(id: &str, key: &str) -> Medicine {
    Medicine {
        id: id.parse().unwrap(),
        brand_name: key.to_uppercase(),
        ingredients: vec![ActiveIngredient {
            ingredient: key.parse().unwrap(),
            as_labelled: key.into(),
            strength: None,
        }],
        strength: "10MG".into(),
        dose_form: "tablet".into(),
        route: "oral".into(),
        status: MarketingStatus::Otc,
        te_codes: vec![],
        applicant: None,
        application: None,
        approval_date: None,
        reference_listed_drug: false,
        origin: MedicineOrigin::Local,
    }
}

fn row(a: &str, b: &str, severity: Severity) -> Interaction {
    Interaction {
        pair: IngredientPair::new(a.parse().unwrap(), b.parse().unwrap()).unwrap(),
        severity,
        source: InteractionSource::MergedPddi,
        source_ids: vec![],
        original_level: None,
        class_a: None,
        class_b: None,
        description: None,
        management: None,
    }
}

/// Synthetic: alphamine (class A) treats sneezing and interacts with betamol and gammine;
/// deltane (no class, no interaction row) treats sneezing too; alphamine + epsilol is minor;
/// zetol has no interaction row.
fn synthetic(with_interactions: bool) -> KnowledgeSnapshot {
    let indication = |key: &str| Indication {
        ingredient: key.parse().unwrap(),
        condition: "Sneezing".into(),
        relation: IndicationRelation::Indication,
        umls_cui: None,
        snomedct_id: None,
        doid: None,
        source: "synthetic".into(),
    };
    let knowledge = KnowledgeBase {
        ingredients: vec![
            ingredient("alphamine", &["Synthetic Class A"]),
            ingredient("betamol", &["Synthetic Class B"]),
            ingredient("gammine", &["Synthetic Class C"]),
            ingredient("deltane", &[]),
            ingredient("epsilol", &["Synthetic Class E"]),
            ingredient("zetol", &["Synthetic Class Z"]),
        ],
        medicines: [
            "alphamine",
            "betamol",
            "gammine",
            "deltane",
            "epsilol",
            "zetol",
        ]
        .iter()
        .enumerate()
        .map(|(i, k)| medicine(&format!("SYN-{i}"), k))
        .collect(),
        indications: vec![indication("alphamine"), indication("deltane")],
        interactions: if with_interactions {
            vec![
                row("alphamine", "betamol", Severity::Major),
                row("alphamine", "gammine", Severity::Major),
                row("alphamine", "epsilol", Severity::Minor),
            ]
        } else {
            vec![]
        },
        ..KnowledgeBase::default()
    };
    let version = KnowledgeVersion {
        catalogue_version: 1,
        sources: vec!["synthetic".into()],
    };
    KnowledgeSnapshot::build(knowledge, version).unwrap()
}

fn sneezing(
    catalogue: &KnowledgeSnapshot,
    patient: &Patient,
) -> Result<Recommendations, RecommendationError> {
    catalogue.recommend(
        &SymptomQuery::text("sneezing"),
        patient,
        &RecommendOptions::default(),
    )
}

fn not_covered<'a>(warnings: &'a [Alert], key: &str) -> Vec<&'a Alert> {
    warnings
        .iter()
        .filter(|w| w.kind == AlertKind::NotCovered && w.ingredients[0].as_str() == key)
        .collect()
}

#[test]
fn uncovered_interactions_and_missing_classes_are_said_not_checked() {
    let catalogue = synthetic(true);
    let answer = sneezing(&catalogue, &patient(&["epsilol"], &["zetol"])).unwrap();
    let deltane = answer
        .recommendations
        .iter()
        .find(|r| r.medicine.ingredients[0].as_str() == "deltane")
        .unwrap();
    let notes = not_covered(&deltane.warnings, "deltane");
    assert!(
        notes
            .iter()
            .any(|w| w.message.contains("no interaction source covers deltane"))
    );
    assert!(
        notes
            .iter()
            .any(|w| w.message.contains("no FDA pharmacologic class for deltane"))
    );
    // The current medicine is not covered either: said on every result.
    for r in &answer.recommendations {
        assert!(
            !not_covered(&r.warnings, "zetol").is_empty(),
            "{:?}",
            r.warnings
        );
    }
}

#[test]
fn current_medicines_without_interaction_knowledge_are_an_error() {
    let catalogue = Arc::new(synthetic(false));
    let taking = patient(&[], &["betamol"]);
    assert_eq!(
        sneezing(&catalogue, &taking).unwrap_err(),
        RecommendationError::InteractionKnowledgeUnavailable
    );
    assert_eq!(
        catalogue
            .substitutes(
                &"SYN-0".parse().unwrap(),
                &taking,
                &SubstituteOptions::default()
            )
            .unwrap_err(),
        RecommendationError::InteractionKnowledgeUnavailable
    );
    // Without current medicines there is nothing to check, so the answer stands.
    assert!(sneezing(&catalogue, &Patient::default()).is_ok());
}

#[test]
fn the_exclusion_reason_does_not_depend_on_the_order_of_current_medicines() {
    let catalogue = synthetic(true);
    let reason = |current: &[&str]| {
        let answer = sneezing(&catalogue, &patient(&[], current)).unwrap();
        answer
            .excluded
            .iter()
            .find(|e| e.medicine.ingredients[0].as_str() == "alphamine")
            .unwrap()
            .reason
            .clone()
    };
    assert_eq!(
        reason(&["betamol", "gammine"]),
        reason(&["gammine", "betamol"])
    );
}

#[test]
fn interactions_below_the_warning_severity_are_counted() {
    let catalogue = synthetic(true);
    let answer = sneezing(&catalogue, &patient(&[], &["epsilol"])).unwrap();
    let alphamine = answer
        .recommendations
        .iter()
        .find(|r| r.medicine.ingredients[0].as_str() == "alphamine")
        .unwrap();
    assert!(
        alphamine
            .warnings
            .iter()
            .all(|w| w.kind != AlertKind::Interaction)
    );
    assert_eq!(answer.suppressed_interactions, 1);
    let substitutes = catalogue
        .substitutes(
            &"SYN-3".parse().unwrap(),
            &patient(&[], &["epsilol"]),
            &SubstituteOptions::default(),
        )
        .unwrap();
    assert_eq!(substitutes.suppressed_interactions, 1, "{substitutes:?}");
}
