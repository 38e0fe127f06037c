//! A small SYNTHETIC knowledge base for the clinical endpoints' tests.
//!
//! Every ingredient, class, condition, code and interaction below is made up: none of it is a
//! medical fact, and none of it may be read as one. It exists only to give the engine known shapes:
//!
//! * `zorbanol` (class Alpha) treats "Sneezing" (synthetic code `SYN0001`); two products, rated `AB`,
//!   so each is the other's generic equivalent;
//! * `quellium` (class Delta) also treats "Sneezing": a therapeutic alternative of `zorbanol`;
//! * `mirtasone` treats "Sneezing" but is prescription-only;
//! * `velocaine` treats "Itching"; it interacts `major` with `zorbanol` and `minor` with `quellium`;
//! * `pendorex` treats "Itching" and no interaction source mentions it (not covered);
//! * SYNTHETIC rule tables: condition code `synthetic_condition` (phrase "synthetic condition"),
//!   a `warn` rule for it on `zorbanol`, and an age rule excluding `zorbanol` under 48 months.

use std::sync::Arc;

use pharmarec_domain::{
    ActiveIngredient, AgeRule, Citation, ClinicalRules, ConditionPhrase, ConditionRule, Indication,
    IndicationRelation, Ingredient, IngredientPair, Interaction, InteractionSource, KnowledgeBase,
    KnowledgeVersion, MarketingStatus, Medicine, MedicineOrigin, RuleAction, RuleScope, Severity,
    TeCode,
};
use pharmarec_recommendation::{KnowledgeHandle, KnowledgeSnapshot};

/// Catalogue version of the synthetic snapshot, checked in every response's `meta`.
pub(crate) const VERSION: i64 = 7;
/// Its one source name.
pub(crate) const SOURCE: &str = "synthetic test knowledge (not medical facts)";

pub(crate) const ZORBANOL_BRAND: &str = "SYN-ZOR-001";
pub(crate) const ZORBANOL_GENERIC: &str = "SYN-ZOR-002";
pub(crate) const QUELLIUM: &str = "SYN-QUE-001";
pub(crate) const MIRTASONE: &str = "SYN-MIR-001";
pub(crate) const VELOCAINE: &str = "SYN-VEL-001";
pub(crate) const PENDOREX: &str = "SYN-PEN-001";

fn ingredient(key: &str, class: &str) -> Ingredient {
    Ingredient {
        key: key.parse().unwrap(),
        inn_name: None,
        us_name: None,
        epc_classes: vec![class.to_owned()],
        moa_classes: vec![],
        rxcui: vec![],
        has_otc_product: true,
    }
}

fn medicine(id: &str, brand: &str, key: &str, status: MarketingStatus, te: &str) -> Medicine {
    Medicine {
        id: id.parse().unwrap(),
        brand_name: brand.to_owned(),
        ingredients: vec![ActiveIngredient {
            ingredient: key.parse().unwrap(),
            as_labelled: key.to_uppercase(),
            strength: None,
        }],
        strength: "10MG".to_owned(),
        dose_form: "tablet".to_owned(),
        route: "oral".to_owned(),
        status,
        te_codes: TeCode::parse_list(te),
        applicant: None,
        application: None,
        approval_date: None,
        reference_listed_drug: false,
        origin: MedicineOrigin::Local,
    }
}

fn indication(key: &str, condition: &str, code: &str) -> Indication {
    Indication {
        ingredient: key.parse().unwrap(),
        condition: condition.to_owned(),
        relation: IndicationRelation::Indication,
        umls_cui: Some(code.to_owned()),
        snomedct_id: None,
        doid: None,
        source: "synthetic".to_owned(),
    }
}

fn interaction(a: &str, b: &str, severity: Severity) -> Interaction {
    Interaction {
        pair: IngredientPair::new(a.parse().unwrap(), b.parse().unwrap()).unwrap(),
        severity,
        source: InteractionSource::MergedPddi,
        source_ids: vec!["SYN-I".to_owned()],
        original_level: None,
        class_a: None,
        class_b: None,
        description: Some(format!("synthetic interaction between {a} and {b}")),
        management: None,
    }
}

/// The synthetic knowledge base described in the module docs.
pub(crate) fn synthetic_knowledge() -> KnowledgeBase {
    use MarketingStatus::{Otc, Rx};
    KnowledgeBase {
        ingredients: vec![
            ingredient("zorbanol", "Synthetic Alpha [EPC]"),
            ingredient("quellium", "Synthetic Delta [EPC]"),
            ingredient("mirtasone", "Synthetic Beta [EPC]"),
            ingredient("velocaine", "Synthetic Gamma [EPC]"),
            ingredient("pendorex", "Synthetic Epsilon [EPC]"),
        ],
        medicines: vec![
            medicine(ZORBANOL_BRAND, "Zorbatex", "zorbanol", Otc, "AB"),
            medicine(ZORBANOL_GENERIC, "Zorbanol Generic", "zorbanol", Otc, "AB"),
            medicine(QUELLIUM, "Quellix", "quellium", Otc, ""),
            medicine(MIRTASONE, "Mirtarx", "mirtasone", Rx, ""),
            medicine(VELOCAINE, "Velocalm", "velocaine", Otc, ""),
            medicine(PENDOREX, "Pendora", "pendorex", Otc, ""),
        ],
        indications: vec![
            indication("zorbanol", "Sneezing", "SYN0001"),
            indication("quellium", "Sneezing", "SYN0001"),
            indication("mirtasone", "Sneezing", "SYN0001"),
            indication("velocaine", "Itching", "SYN0002"),
            indication("pendorex", "Itching", "SYN0002"),
        ],
        interactions: vec![
            interaction("zorbanol", "velocaine", Severity::Major),
            interaction("quellium", "velocaine", Severity::Minor),
        ],
        rules: synthetic_rules(),
        ..KnowledgeBase::default()
    }
}

/// The synthetic condition code of the rule tables.
pub(crate) const SYNTHETIC_CONDITION: &str = "synthetic_condition";

fn synthetic_citation(what: &str) -> Citation {
    Citation {
        verbatim: format!("synthetic {what} (not a medical fact)").into(),
        citation: "synthetic test table".into(),
        source_url: "https://example.org/synthetic".into(),
    }
}

/// SYNTHETIC rule tables (made-up words, codes and limits; not medical facts).
fn synthetic_rules() -> ClinicalRules {
    ClinicalRules {
        conditions: vec![ConditionPhrase {
            code: SYNTHETIC_CONDITION.to_owned(),
            label: "Synthetic condition".to_owned(),
            phrase: "synthetic condition".to_owned(),
            source_url: "https://example.org/synthetic".to_owned(),
            quote: "synthetic".to_owned(),
        }],
        condition_rules: vec![ConditionRule {
            scope: RuleScope::Ingredient("zorbanol".to_owned()),
            condition: SYNTHETIC_CONDITION.to_owned(),
            action: RuleAction::Warn,
            section: "ask_doctor".to_owned(),
            cited: synthetic_citation("condition rule"),
        }],
        age_rules: vec![AgeRule {
            scope: RuleScope::Ingredient("zorbanol".to_owned()),
            dose_form_contains: None,
            strength_contains: None,
            under_months: 48,
            action: RuleAction::Exclude,
            condition: None,
            cited: synthetic_citation("age rule"),
        }],
        ..ClinicalRules::default()
    }
}

/// A handle serving the synthetic knowledge.
pub(crate) fn synthetic_handle() -> Arc<KnowledgeHandle> {
    let version = KnowledgeVersion {
        catalogue_version: VERSION,
        sources: vec![SOURCE.to_owned()],
    };
    let catalogue = KnowledgeSnapshot::build(synthetic_knowledge(), version).unwrap();
    Arc::new(KnowledgeHandle::new(Arc::new(catalogue)))
}

/// Asserts the clinical envelope: success, the synthetic knowledge version and the disclaimer.
pub(crate) fn assert_clinical_meta(body: &serde_json::Value) {
    assert_eq!(body["success"], true, "{body}");
    assert_eq!(
        body["meta"]["knowledge"]["catalogue_version"], VERSION,
        "{body}"
    );
    assert_eq!(body["meta"]["knowledge"]["sources"][0], SOURCE, "{body}");
    assert_eq!(
        body["meta"]["disclaimer"],
        pharmarec_recommendation::DISCLAIMER,
        "{body}"
    );
}
