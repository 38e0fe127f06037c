use pharmarec_domain::{MedicineId, Money};
use pharmarec_recommendation::{
    AlertKind, Patient, PharmacyStock, RecommendationError, StockLine, SubstituteKind,
    SubstituteOptions,
};

use crate::catalogue;

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn id(text: &str) -> MedicineId {
    text.parse().unwrap()
}

#[test]
fn ab1_product_is_substituted_only_by_ab1_products() {
    // medicines.csv: Proventil-HFA (AB1); albuterol generics AB1 (A207085, A209959), AB2 (A209954,
    // A212447, ProAir HFA) and Ventolin HFA (BX), all EQ 0.09MG BASE/INH metered aerosol.
    let answer = catalogue()
        .substitutes(
            &id("OB-N020503-001"),
            &Patient::default(),
            &SubstituteOptions::default(),
        )
        .unwrap();
    let mut generics: Vec<&str> = answer
        .generics
        .iter()
        .map(|s| s.medicine.id.as_str())
        .collect();
    generics.sort_unstable();
    assert_eq!(generics, ["OB-A207085-001", "OB-A209959-001"]);
    assert!(
        answer
            .generics
            .iter()
            .all(|s| s.kind == SubstituteKind::GenericEquivalent)
    );
    assert!(answer.generics[0].why.iter().any(|w| w.contains("AB1")));
}

#[test]
fn alternatives_share_a_class_or_indication_and_say_which() {
    let answer = catalogue()
        .substitutes(
            &id("OB-N020503-001"),
            &Patient::default(),
            &SubstituteOptions::default(),
        )
        .unwrap();
    assert!(!answer.alternatives.is_empty());
    for alternative in &answer.alternatives {
        assert_eq!(alternative.kind, SubstituteKind::TherapeuticAlternative);
        assert_ne!(
            alternative.medicine.ingredients,
            answer.medicine.ingredients
        );
        assert!(!alternative.why.is_empty());
    }
    assert!(answer.alternatives[0].why[0].starts_with("same FDA pharmacologic class"));
}

#[test]
fn with_a_stock_only_products_on_hand_are_offered_cheapest_first() {
    let money = |minor| Money {
        minor,
        currency: "USD".into(),
    };
    let mut stock = PharmacyStock::new();
    stock.insert(
        id("OB-A207085-001"),
        StockLine {
            quantity: 5,
            price: money(900),
        },
    );
    stock.insert(
        id("OB-A209959-001"),
        StockLine {
            quantity: 0,
            price: money(100),
        },
    );
    let options = SubstituteOptions {
        stock: Some(&stock),
        ..SubstituteOptions::default()
    };
    let answer = catalogue()
        .substitutes(&id("OB-N020503-001"), &Patient::default(), &options)
        .unwrap();
    let generics: Vec<&str> = answer
        .generics
        .iter()
        .map(|s| s.medicine.id.as_str())
        .collect();
    assert_eq!(generics, ["OB-A207085-001"]);
    assert!(
        answer.alternatives.is_empty(),
        "no alternative product is in stock"
    );
}

#[test]
fn an_allergic_patient_gets_no_generic_and_sees_why() {
    let patient = Patient {
        allergies: vec!["albuterol".into()],
        ..Patient::default()
    };
    let answer = catalogue()
        .substitutes(
            &id("OB-N020503-001"),
            &patient,
            &SubstituteOptions::default(),
        )
        .unwrap();
    assert!(answer.generics.is_empty());
    assert!(
        answer
            .excluded
            .iter()
            .any(|e| e.reason.kind == AlertKind::Allergy)
    );
    assert!(answer.alternatives.iter().all(|a| {
        !a.medicine
            .ingredients
            .iter()
            .any(|k| k.as_str() == "albuterol")
    }));
}

#[test]
fn unknown_medicine_is_an_error() {
    let result = catalogue().substitutes(
        &id("OB-X000000-000"),
        &Patient::default(),
        &SubstituteOptions::default(),
    );
    assert!(matches!(
        result,
        Err(RecommendationError::MedicineNotFound(_))
    ));
}
