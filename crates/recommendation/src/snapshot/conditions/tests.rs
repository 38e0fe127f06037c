use pharmarec_domain::{IndicationRelation, Ingredient};

use super::*;

fn indication(ingredient: &str, condition: &str, source: &str) -> Indication {
    Indication {
        ingredient: ingredient.parse().unwrap(),
        condition: condition.to_string(),
        relation: IndicationRelation::Indication,
        umls_cui: Some("C0015967".into()),
        snomedct_id: None,
        doid: None,
        source: source.to_string(),
    }
}

fn ingredients(keys: &[&str]) -> IngredientIndex {
    let list: Vec<Ingredient> = keys
        .iter()
        .map(|k| Ingredient {
            key: k.parse().unwrap(),
            inn_name: None,
            us_name: None,
            epc_classes: vec![],
            moa_classes: vec![],
            rxcui: vec![],
            has_otc_product: true,
        })
        .collect();
    IngredientIndex::build(&list, &[])
}

#[test]
fn synonyms_outweigh_hierarchy_and_symptoms() {
    let exact = relation_weight(TermRelation::ExactSynonym, 0);
    let related = relation_weight(TermRelation::RelatedSynonym, 0);
    let parent = relation_weight(TermRelation::Parent, 1);
    let child = relation_weight(TermRelation::Child, 1);
    let symptom = relation_weight(TermRelation::SymptomOf, 1);
    assert!(NAME_WEIGHT > exact && exact > related && related > parent);
    assert!(parent >= child && child > symptom);
}

#[test]
fn push_best_keeps_the_strongest_route_per_condition() {
    let mut hits = Vec::new();
    push_best(&mut hits, 3, 0.25, Route::Vocabulary(1));
    push_best(&mut hits, 3, 0.95, Route::Vocabulary(2));
    push_best(&mut hits, 3, 0.5, Route::Words);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].route, Route::Vocabulary(2));
}

#[test]
fn curated_and_single_ingredient_evidence_outweigh_combination_only() {
    let index = ingredients(&["alpha", "beta"]);
    let rows = [
        indication("alpha", "Fever", "drugcentral_2016"),
        indication("beta", "Fever", "drugcentral_2016"),
        indication("beta", "fever", "pharmacotherapydb_1.0"),
    ];
    // alpha is sold alone, beta only inside combinations.
    let weights = evidence_weights(&rows, &index, &[true, false]);
    assert_eq!(
        weights,
        [
            SINGLE_INGREDIENT_EVIDENCE,
            COMBINATION_ONLY_EVIDENCE,
            CURATED_EVIDENCE
        ]
    );
}

#[test]
fn names_words_and_codes_reach_conditions() {
    let index = ingredients(&["alpha"]);
    let conditions = ConditionIndex::build(
        vec![indication(
            "alpha",
            "Tension-Type Headache",
            "drugcentral_2016",
        )],
        vec![],
        &index,
        &[true],
        &[],
        std::iter::empty(),
    );
    assert_eq!(
        conditions.phrase("tension type headache")[0].route,
        Route::Name
    );
    let words = conditions.containing_all(&["headache"]);
    assert_eq!(words.len(), 1);
    assert!(words[0].weight < NAME_WEIGHT);
    assert_eq!(conditions.code("c0015967").len(), 1);
    assert!(conditions.knows_word("tension"));
}

#[test]
fn names_of_one_umls_concept_reach_each_other() {
    let index = ingredients(&["alpha", "beta", "gamma"]);
    let mut other = indication("gamma", "Acne", "drugcentral_2016");
    other.umls_cui = Some("C0702166".into());
    let conditions = ConditionIndex::build(
        vec![
            indication("alpha", "Warts", "drugcentral_2016"),
            indication("beta", "Verruca Vulgaris", "drugcentral_2016"),
            other,
        ],
        vec![],
        &index,
        &[true, true, true],
        &[],
        std::iter::empty(),
    );
    let warts = conditions.phrase("wart");
    assert_eq!(warts.len(), 2, "{warts:?}");
    let verruca = warts.iter().find(|h| h.condition == 1).unwrap();
    assert_eq!(verruca.route, Route::SameConcept(0));
    assert!(verruca.weight < NAME_WEIGHT);
    assert_eq!(conditions.phrase("acne").len(), 1);
}
