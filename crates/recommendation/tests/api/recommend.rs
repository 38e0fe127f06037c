use pharmarec_domain::{MarketingStatus, Severity};
use pharmarec_recommendation::{
    AlertKind, MedicineRef, Patient, PharmacyStock, RecommendOptions, StockLine, SymptomQuery,
};

use crate::catalogue;

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn recommend(text: &str, patient: &Patient) -> pharmarec_recommendation::Recommendations {
    catalogue()
        .recommend(
            &SymptomQuery::text(text),
            patient,
            &RecommendOptions::default(),
        )
        .unwrap()
}

#[test]
fn hay_fever_reaches_antihistamines_through_the_vocabulary() {
    let answer = recommend("hay fever", &Patient::default());
    let ingredients: Vec<&str> = answer
        .recommendations
        .iter()
        .flat_map(|r| r.medicine.ingredients.iter().map(|k| k.as_str()))
        .collect();
    assert!(
        ingredients.contains(&"loratadine") || ingredients.contains(&"cetirizine"),
        "{ingredients:?}"
    );
    let reason = &answer.recommendations[0].reasons[0];
    assert_eq!(reason.term, "hay fever");
    assert!(
        reason.via.contains("OTC use category: antihistamine"),
        "{}",
        reason.via
    );
}

#[test]
fn a_small_typo_is_corrected_and_reported() {
    let answer = recommend("hedache", &Patient::default());
    assert!(answer.unrecognised_terms.is_empty());
    assert!(!answer.recommendations.is_empty());
    assert!(
        answer.recommendations[0].reasons[0]
            .via
            .contains("hedache → headache")
    );
}

#[test]
fn words_that_match_nothing_are_reported_not_guessed() {
    let answer = recommend("headache and zzqqxx", &Patient::default());
    assert_eq!(answer.unrecognised_terms, ["zzqqxx"]);
    assert!(!answer.recommendations.is_empty());
}

#[test]
fn top_results_are_distinct_treatments_of_otc_products_sorted_by_score() {
    let answer = recommend("heartburn", &Patient::default());
    let sets: Vec<_> = answer
        .recommendations
        .iter()
        .map(|r| r.medicine.ingredients.clone())
        .collect();
    let mut unique = sets.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sets.len(), "one entry per treatment");
    // Withdrawn ranitidine no longer fills a place, so fewer than the limit may qualify.
    assert!((3..=5).contains(&sets.len()), "{sets:?}");
    for r in &answer.recommendations {
        assert_eq!(r.medicine.status, MarketingStatus::Otc);
        assert!(
            r.products
                .iter()
                .all(|p| p.ingredients == r.medicine.ingredients)
        );
    }
    assert!(
        answer
            .recommendations
            .windows(2)
            .all(|w| w[0].score >= w[1].score)
    );
}

#[test]
fn penicillin_class_allergy_excludes_amoxicillin_with_the_reason() {
    let patient = Patient {
        allergies: vec!["penicillin".into()],
        ..Patient::default()
    };
    let options = RecommendOptions {
        otc_only: false,
        limit: 50,
        ..RecommendOptions::default()
    };
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("acute otitis media"),
            &patient,
            &options,
        )
        .unwrap();
    assert!(answer.recommendations.iter().all(|r| {
        !r.medicine
            .ingredients
            .iter()
            .any(|k| k.as_str() == "amoxicillin")
    }));
    let excluded = answer
        .excluded
        .iter()
        .find(|e| {
            e.medicine
                .ingredients
                .iter()
                .any(|k| k.as_str() == "amoxicillin")
        })
        .expect("amoxicillin is listed as excluded");
    assert_eq!(excluded.reason.kind, AlertKind::Allergy);
    assert!(
        excluded
            .reason
            .message
            .contains("Penicillin-class Antibacterial")
    );
}

#[test]
fn an_interaction_with_a_current_medicine_excludes_at_the_configured_severity() {
    // interactions_ansm.csv: aspirin + warfarin contraindicated, ibuprofen + warfarin major;
    // acetaminophen + warfarin moderate (ANSM) and minor (ONC non-interruptive).
    let patient = Patient {
        current_medicines: vec![MedicineRef::ingredient("warfarin")],
        ..Patient::default()
    };
    let options = RecommendOptions {
        limit: 10,
        ..RecommendOptions::default()
    };
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("headache and fever"),
            &patient,
            &options,
        )
        .unwrap();
    let excluded_single = |key: &str| {
        answer.excluded.iter().find(|e| {
            e.medicine.ingredients.len() == 1 && e.medicine.ingredients[0].as_str() == key
        })
    };
    let aspirin = excluded_single("aspirin").expect("aspirin excluded");
    assert_eq!(
        (aspirin.reason.kind, aspirin.reason.severity),
        (AlertKind::Interaction, Some(Severity::Contraindicated))
    );
    assert!(aspirin.reason.source.contains("ANSM"));
    assert_eq!(
        excluded_single("ibuprofen")
            .expect("ibuprofen excluded")
            .reason
            .severity,
        Some(Severity::Major)
    );
    for r in &answer.recommendations {
        assert!(
            r.warnings
                .iter()
                .all(|w| w.kind != AlertKind::Interaction || w.severity < Some(Severity::Major))
        );
    }
    let relaxed = RecommendOptions {
        exclude_interactions_from: Severity::Contraindicated,
        ..options
    };
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("headache and fever"),
            &patient,
            &relaxed,
        )
        .unwrap();
    let ibuprofen = answer
        .recommendations
        .iter()
        .find(|r| {
            r.medicine.ingredients.len() == 1 && r.medicine.ingredients[0].as_str() == "ibuprofen"
        })
        .expect("ibuprofen is only warned about when major does not exclude");
    assert!(
        ibuprofen
            .warnings
            .iter()
            .any(|w| w.kind == AlertKind::Interaction && w.severity == Some(Severity::Major))
    );
}

#[test]
fn a_patient_already_taking_an_ingredient_is_not_offered_it_again() {
    let patient = Patient {
        current_medicines: vec![MedicineRef::ingredient("paracetamol")],
        ..Patient::default()
    };
    let answer = recommend("toothache", &patient);
    assert!(answer.recommendations.iter().all(|r| {
        !r.medicine
            .ingredients
            .iter()
            .any(|k| k.as_str() == "acetaminophen")
    }));
}

#[test]
fn label_warnings_are_attached_verbatim_with_their_source() {
    let answer = recommend("heartburn", &Patient::default());
    let famotidine = answer
        .recommendations
        .iter()
        .flat_map(|r| &r.warnings)
        .find(|w| w.source.contains("OTC Drug Facts"));
    if let Some(w) = famotidine {
        assert!(
            w.severity.is_none(),
            "label text is not graded by PharmaRec"
        );
    }
    // Label lines about none of this patient's facts go to the compact label section, ungraded.
    let headache = recommend("headache", &Patient::default());
    assert!(headache.recommendations.iter().any(|r| {
        r.label
            .iter()
            .any(|w| w.kind == AlertKind::LabelDoNotUse && w.severity.is_none())
    }));
    assert!(
        headache
            .recommendations
            .iter()
            .flat_map(|r| &r.warnings)
            .all(|w| w.kind != AlertKind::LabelDoNotUse)
    );
}

#[test]
fn in_stock_cheaper_product_is_shown_first() {
    let listing = RecommendOptions {
        include_products: true,
        ..RecommendOptions::default()
    };
    let first = catalogue()
        .recommend(
            &SymptomQuery::text("headache"),
            &Patient::default(),
            &listing,
        )
        .unwrap()
        .recommendations
        .remove(0);
    let mut stock = PharmacyStock::new();
    let money = |minor| pharmarec_domain::Money {
        minor,
        currency: "EUR".into(),
    };
    stock.insert(
        first.medicine.id.clone(),
        StockLine {
            quantity: 0,
            price: money(100),
        },
    );
    let other = first
        .products
        .first()
        .expect("the top treatment has several products")
        .id
        .clone();
    stock.insert(
        other.clone(),
        StockLine {
            quantity: 3,
            price: money(250),
        },
    );
    let options = RecommendOptions {
        stock: Some(&stock),
        ..RecommendOptions::default()
    };
    let answer = catalogue()
        .recommend(
            &SymptomQuery::text("headache"),
            &Patient::default(),
            &options,
        )
        .unwrap();
    let same = answer
        .recommendations
        .iter()
        .find(|r| r.medicine.ingredients == first.medicine.ingredients)
        .unwrap();
    assert_eq!(same.medicine.id, other);
    assert_eq!(same.medicine.stock.as_ref().map(|s| s.quantity), Some(3));
}

#[test]
fn every_answer_cites_its_knowledge_version_and_disclaimer() {
    let answer = recommend("cough", &Patient::default());
    assert_eq!(answer.knowledge.catalogue_version, 1);
    assert!(!answer.knowledge.sources.is_empty());
    assert!(answer.disclaimer.contains("does not replace"));
}

#[test]
fn json_shape_matches_the_api_contract() {
    let answer = recommend("hay fever", &Patient::default());
    let json = serde_json::to_value(&answer).unwrap();
    for key in [
        "recommendations",
        "excluded",
        "unrecognised_terms",
        "knowledge",
        "disclaimer",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let first = &json["recommendations"][0];
    for key in ["medicine", "products", "score", "reasons", "warnings"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert!(
        first["reasons"][0].get("term").is_some() && first["reasons"][0].get("matched").is_some()
    );
}
