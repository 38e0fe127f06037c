//! A tiny synthetic knowledge base (made-up names: it exercises storage, not medicine).

use pharmarec_domain::medicine::split_strength;
use pharmarec_domain::{
    ActiveIngredient, ConditionTerm, Indication, IndicationRelation, Ingredient, IngredientKey,
    IngredientPair, Interaction, InteractionSource, KnowledgeBase, MarketingStatus, Medicine,
    MedicineId, MedicineOrigin, NewMedicine, OtcLabelWarning, PregnancyCategory, PregnancyEntry,
    Severity, Synonym, TeCode, TermRelation,
};

pub(crate) fn key(text: &str) -> IngredientKey {
    text.parse().unwrap()
}

pub(crate) fn id(text: &str) -> MedicineId {
    text.parse().unwrap()
}

fn ingredient(name: &str, epc: &[&str]) -> Ingredient {
    Ingredient {
        key: key(name),
        inn_name: Some(format!("{name} inn")),
        us_name: None,
        epc_classes: epc.iter().map(|c| c.to_string()).collect(),
        moa_classes: vec!["Some Mechanism".into()],
        rxcui: vec!["1".into(), "2".into()],
        has_otc_product: true,
    }
}

pub(crate) fn medicine(
    medicine_id: &str,
    brand: &str,
    keys: &[&str],
    status: MarketingStatus,
    form: &str,
) -> Medicine {
    let strength = keys.iter().map(|_| "5MG").collect::<Vec<_>>().join(";");
    Medicine {
        id: id(medicine_id),
        brand_name: brand.into(),
        ingredients: keys
            .iter()
            .zip(split_strength(&strength, keys.len()))
            .map(|(k, strength)| ActiveIngredient {
                ingredient: key(k),
                as_labelled: format!("{k} hcl"),
                strength,
            })
            .collect(),
        strength,
        dose_form: form.into(),
        route: "oral".into(),
        status,
        te_codes: TeCode::parse_list("AB1,AB2"),
        applicant: Some("ACME".into()),
        application: Some("ANDA 1 product 001".into()),
        approval_date: None,
        reference_listed_drug: false,
        origin: MedicineOrigin::Imported {
            source: "fda_orange_book".into(),
        },
    }
}

pub(crate) fn small_kb() -> KnowledgeBase {
    use MarketingStatus::{Otc, Rx};
    KnowledgeBase {
        medicines: vec![
            medicine("OB-A1-001", "ZETA PAIN", &["alpha"], Otc, "tablet"),
            medicine("OB-A2-001", "Alpha Plus", &["alpha", "beta"], Rx, "tablet"),
            medicine("OB-A3-001", "BETACAP", &["beta"], Rx, "capsule"),
            medicine("OB-A0-001", "ZETA PAIN", &["gamma"], Otc, "capsule"),
        ],
        ingredients: vec![
            ingredient("alpha", &["Class A"]),
            ingredient("beta", &["Class B", "Class A2"]),
            ingredient("gamma", &[]),
        ],
        synonyms: vec![Synonym {
            ingredient: key("gamma"),
            synonym: "paragamma".into(),
            source: "drugcentral_inn".into(),
        }],
        indications: vec![
            indication("alpha", "Fever"),
            indication("beta", "Fever"),
            indication("beta", "Migraine Disorder"),
            indication("gamma", "Tension-Type Headache"),
        ],
        condition_terms: vec![ConditionTerm {
            term: "pyrexia".into(),
            condition: "Fever".into(),
            relation: TermRelation::ExactSynonym,
            hops: 0,
            source: "symp".into(),
            source_id: "SYMP:1".into(),
        }],
        interactions: vec![
            interaction(InteractionSource::MergedPddi, Severity::Major),
            interaction(InteractionSource::Ansm2020, Severity::Contraindicated),
        ],
        label_warnings: vec![OtcLabelWarning {
            label_generic_name: "ALPHA".into(),
            ingredients: vec![key("alpha"), key("gamma")],
            do_not_use: Some("Do not use with beta".into()),
            ask_doctor: None,
            ask_doctor_or_pharmacist: None,
            when_using: None,
            stop_use: Some("Stop use if rash".into()),
            pregnancy_or_breast_feeding: None,
            source: "label".into(),
        }],
        pregnancy: vec![PregnancyEntry {
            ingredient: key("alpha"),
            category: PregnancyCategory::C,
            warning: true,
            who_eml_name: "alpha".into(),
            source: "gnuhealth".into(),
        }],
        ..KnowledgeBase::default()
    }
}

fn indication(ingredient: &str, condition: &str) -> Indication {
    Indication {
        ingredient: key(ingredient),
        condition: condition.into(),
        relation: IndicationRelation::Indication,
        umls_cui: Some("C1".into()),
        snomedct_id: None,
        doid: None,
        source: "drugcentral_2016".into(),
    }
}

fn interaction(source: InteractionSource, severity: Severity) -> Interaction {
    Interaction {
        pair: IngredientPair::new(key("beta"), key("alpha")).unwrap(),
        severity,
        source,
        source_ids: vec!["A + B".into(), "C|D".into()],
        original_level: Some("Contre-indication".into()),
        class_a: Some("ALPHAS".into()),
        class_b: None,
        description: Some("Risque.".into()),
        management: None,
    }
}

pub(crate) fn new_medicine(brand: &str, keys: &[&str]) -> NewMedicine {
    NewMedicine {
        brand_name: brand.into(),
        ingredients: keys.iter().map(|k| key(k)).collect(),
        strength: "10MG".into(),
        dose_form: "Tablet".into(),
        route: "Oral".into(),
        status: MarketingStatus::Otc,
        applicant: None,
    }
}
