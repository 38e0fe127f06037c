use pharmarec_domain::{InteractionSource, Severity};
use pharmarec_recommendation::{
    BasketOptions, FindingKind, KnowledgeSnapshot, MedicineRef, Patient, RecommendationError,
    Verdict,
};

use crate::catalogue;

fn ingredient(name: &str) -> MedicineRef {
    MedicineRef::ingredient(name)
}

#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn check(items: &[MedicineRef]) -> pharmarec_recommendation::BasketReport {
    catalogue()
        .check_basket(items, &Patient::default(), &BasketOptions::default())
        .unwrap()
}

#[test]
fn a_pair_in_both_sources_is_one_finding_with_each_source_kept_apart() {
    // interactions.csv: fluoxetine + selegiline major (ONC high priority);
    // interactions_ansm.csv: the same pair, minor ("A prendre en compte").
    let report = check(&[ingredient("selegiline"), ingredient("fluoxetine")]);
    let findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Interaction)
        .collect();
    assert_eq!(findings.len(), 1, "no pair is reported twice");
    let finding = findings[0];
    assert_eq!(finding.severity, Severity::Major);
    assert_eq!(
        finding
            .ingredients
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
        ["fluoxetine", "selegiline"]
    );
    let sources: Vec<_> = finding
        .evidence
        .iter()
        .map(|e| (e.source.clone(), e.severity))
        .collect();
    assert_eq!(
        sources,
        [
            (InteractionSource::MergedPddi, Severity::Major),
            (InteractionSource::Ansm2020, Severity::Minor)
        ]
    );
    assert!(
        finding.evidence[1]
            .description
            .contains("A prendre en compte")
    );
    assert_eq!(report.verdict, Verdict::Major);
}

#[test]
fn paracetamol_resolves_to_acetaminophen_and_two_products_are_a_duplicate() {
    let report = check(&[ingredient("paracetamol"), ingredient("Acetaminophen")]);
    assert!(report.unrecognised.is_empty());
    let duplicate = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DuplicateIngredient)
        .unwrap();
    assert_eq!(duplicate.ingredients[0].as_str(), "acetaminophen");
}

#[test]
fn two_acetaminophen_products_by_id_are_a_duplicate_ingredient() {
    let ids: Vec<MedicineRef> = catalogue_products_containing("acetaminophen")
        .into_iter()
        .take(2)
        .map(MedicineRef::MedicineId)
        .collect();
    let report = check(&ids);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::DuplicateIngredient
                && f.ingredients[0].as_str() == "acetaminophen")
    );
}

/// Products of the single-ingredient treatment `key`, found through a public recommendation.
#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure here is a test failure"
)]
fn catalogue_products_containing(key: &str) -> Vec<pharmarec_domain::MedicineId> {
    let options = pharmarec_recommendation::RecommendOptions {
        otc_only: false,
        limit: 50,
        include_products: true,
        max_products: 50,
        ..Default::default()
    };
    let recs = catalogue()
        .recommend(
            &pharmarec_recommendation::SymptomQuery::text("toothache"),
            &Patient::default(),
            &options,
        )
        .unwrap();
    let treatment = recs
        .recommendations
        .iter()
        .find(|r| r.medicine.ingredients.len() == 1 && r.medicine.ingredients[0].as_str() == key)
        .unwrap();
    std::iter::once(treatment.medicine.id.clone())
        .chain(treatment.products.iter().map(|p| p.id.clone()))
        .collect()
}

#[test]
fn same_class_ingredients_are_a_class_duplication() {
    let report = check(&[ingredient("ibuprofen"), ingredient("naproxen")]);
    let finding = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::DuplicateClass)
        .unwrap();
    assert!(
        finding
            .description
            .contains("Nonsteroidal Anti-inflammatory Drug")
    );
}

#[test]
fn allergy_and_pregnancy_contraindication_are_reported() {
    let patient = Patient {
        pregnant: true,
        allergies: vec!["penicillin".into()],
        ..Patient::default()
    };
    let report = catalogue()
        .check_basket(
            &[ingredient("amoxicillin"), ingredient("warfarin")],
            &patient,
            &BasketOptions::default(),
        )
        .unwrap();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::Allergy && f.ingredients[0].as_str() == "amoxicillin")
    );
    // pregnancy_categories.csv: warfarin is category X.
    assert!(report.findings.iter().any(
        |f| f.kind == FindingKind::Contraindication && f.severity == Severity::Contraindicated
    ));
    assert_eq!(report.verdict, Verdict::Contraindicated);
}

#[test]
fn a_clean_basket_says_no_known_interaction_and_lists_what_is_not_covered() {
    // data/README.md: cetirizine and guaifenesin have no interaction rows in either source.
    let report = check(&[ingredient("cetirizine"), ingredient("guaifenesin")]);
    assert_eq!(report.verdict, Verdict::NoKnownInteraction);
    assert!(
        report.verdict_text.contains("no known interaction")
            && !report.verdict_text.contains("safe ")
    );
    let not_covered: Vec<_> = report.not_covered.iter().map(|k| k.as_str()).collect();
    assert_eq!(not_covered, ["cetirizine", "guaifenesin"]);
}

#[test]
fn min_severity_hides_minor_findings_and_counts_them() {
    let items = [
        ingredient("fluoxetine"),
        ingredient("selegiline"),
        ingredient("cetirizine"),
    ];
    let all = check(&items);
    let options = BasketOptions {
        min_severity: Severity::Contraindicated,
    };
    let strict = catalogue()
        .check_basket(&items, &Patient::default(), &options)
        .unwrap();
    assert!(strict.findings.is_empty());
    assert_eq!(strict.suppressed_findings, all.findings.len());
    assert_eq!(strict.verdict, Verdict::NoKnownInteraction);
}

#[test]
fn unknown_items_are_reported_as_unrecognised() {
    let report = check(&[ingredient("unobtainium"), ingredient("ibuprofen")]);
    assert_eq!(report.unrecognised, ["unobtainium"]);
}

#[test]
fn without_interaction_knowledge_a_check_is_an_error() {
    let empty = KnowledgeSnapshot::empty();
    let result = empty.check_basket(
        &[ingredient("ibuprofen")],
        &Patient::default(),
        &BasketOptions::default(),
    );
    assert_eq!(
        result.unwrap_err(),
        RecommendationError::InteractionKnowledgeUnavailable
    );
}

#[test]
fn current_medicines_are_checked_with_the_basket() {
    let patient = Patient {
        current_medicines: vec![ingredient("warfarin")],
        ..Patient::default()
    };
    let report = catalogue()
        .check_basket(
            &[ingredient("aspirin")],
            &patient,
            &BasketOptions::default(),
        )
        .unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Interaction)
        .unwrap();
    assert_eq!(finding.severity, Severity::Contraindicated);
    assert!(
        finding
            .items
            .iter()
            .any(|item| item == "current medicine warfarin")
    );
}
