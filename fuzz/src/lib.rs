//! The code behind each fuzz target, shared with the `replay` fallback (no libFuzzer needed there).
//!
//! Every function takes the raw fuzz input and must never panic, whatever the bytes; the only
//! assertions are properties that hold for every input (documented at each function).

use std::io::{Cursor, Read};
use std::sync::{Arc, OnceLock};

use pharmarec_domain::dataset::{self, DatasetError, DatasetSource};
use pharmarec_domain::medicine::split_strength;
use pharmarec_domain::*;
use pharmarec_recommendation::*;

/// Fixture files the fuzzed file is parsed alongside: headers only, except `ingredients.csv`, which
/// holds six real rows so that rows of other files naming those ingredients pass the reference check.
macro_rules! fixtures {
    ($dir:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../fixtures/", $dir, "/", $name)))),+]
    };
}

const DATASET_FIXTURES: &[(&str, &str)] = fixtures!("dataset":
    "ingredients.csv", "ingredient_synonyms.csv", "medicines.csv", "indications.csv",
    "condition_vocabulary.csv", "interactions.csv", "interactions_ansm.csv",
    "otc_label_warnings.csv", "pregnancy_categories.csv",
);

const RULE_FIXTURES: &[(&str, &str)] = fixtures!("rules":
    "otc_monograph/otc_monograph_ingredients.csv", "otc_monograph/otc_monograph_indications.csv",
    "otc_monograph/otc_monograph_warnings.csv", "otc_monograph/age_rules.csv",
    "rules/patient_conditions.csv", "rules/condition_rules.csv", "rules/age_rules.csv",
    "rules/pregnancy_rules.csv", "rules/lactation_rules.csv", "rules/allergy_words.csv",
    "rules/medicine_names.csv", "rules/lay_vocabulary.csv", "rules/category_opposites.csv",
);

/// An in-memory dataset: one file (chosen by the input's first byte) is the fuzz input, the others
/// are the fixtures.
struct OneFuzzedFile<'a> {
    fuzzed: &'a str,
    bytes: &'a [u8],
    fixtures: &'static [(&'static str, &'static str)],
}

impl DatasetSource for OneFuzzedFile<'_> {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        if file == self.fuzzed {
            return Ok(Box::new(Cursor::new(self.bytes)));
        }
        self.fixtures
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, text)| Box::new(Cursor::new(text.as_bytes())) as Box<dyn Read>)
            .ok_or_else(|| DatasetError::file(file, "no such fixture"))
    }
}

fn pick<'a>(
    data: &'a [u8],
    fixtures: &'static [(&'static str, &'static str)],
) -> Option<OneFuzzedFile<'a>> {
    let (&selector, bytes) = data.split_first()?;
    let (fuzzed, _) = fixtures[usize::from(selector) % fixtures.len()];
    Some(OneFuzzedFile {
        fuzzed,
        bytes,
        fixtures,
    })
}

/// `dataset::parse` with one of `DATASET_FILES` replaced by the input (after its selector byte).
/// Property: an error names the file it comes from.
pub fn dataset(data: &[u8]) {
    let Some(source) = pick(data, DATASET_FIXTURES) else {
        return;
    };
    if let Err(error) = dataset::parse(&source) {
        assert!(
            DATASET_FIXTURES.iter().any(|(name, _)| *name == error.file),
            "{error}"
        );
    }
}

/// `dataset::parse_rules` with one of `RULE_FILES` replaced by the input (after its selector byte).
pub fn rules(data: &[u8]) {
    let Some(source) = pick(data, RULE_FIXTURES) else {
        return;
    };
    let _ = dataset::parse_rules(&source);
}

/// `Strength::parse` and `split_strength` (first byte: ingredient count 0–7; the rest: the label).
/// Properties: one entry per ingredient; the label is kept trimmed.
pub fn strength(data: &[u8]) {
    let Some((&count, label)) = data.split_first() else {
        return;
    };
    let Ok(label) = std::str::from_utf8(label) else {
        return;
    };
    let strength = Strength::parse(label);
    assert_eq!(strength.label, label.trim());
    let count = usize::from(count % 8);
    assert_eq!(split_strength(label, count).len(), count);
}

/// A small **synthetic** catalogue (made-up names and classes, not medical facts), built like the
/// example in `crates/recommendation/src/lib.rs`, once per process.
fn catalogue() -> &'static Arc<KnowledgeSnapshot> {
    static CATALOGUE: OnceLock<Arc<KnowledgeSnapshot>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let key = |k: &str| k.parse::<IngredientKey>().expect("synthetic key");
        let ingredient = |k: &str, class: &str| Ingredient {
            key: key(k),
            inn_name: None,
            us_name: None,
            epc_classes: vec![class.to_string()],
            moa_classes: vec![],
            rxcui: vec![],
            has_otc_product: true,
        };
        let medicine = |id: &str, k: &str, status| Medicine {
            id: id.parse().expect("synthetic id"),
            brand_name: k.to_uppercase(),
            ingredients: vec![ActiveIngredient {
                ingredient: key(k),
                as_labelled: k.into(),
                strength: Some(Strength::parse("10MG")),
            }],
            strength: "10MG".into(),
            dose_form: "tablet".into(),
            route: "oral".into(),
            status,
            te_codes: vec![],
            applicant: None,
            application: None,
            approval_date: None,
            reference_listed_drug: false,
            origin: MedicineOrigin::Local,
        };
        let indication = |k: &str, condition: &str| Indication {
            ingredient: key(k),
            condition: condition.into(),
            relation: IndicationRelation::Indication,
            umls_cui: None,
            snomedct_id: None,
            doid: None,
            source: "synthetic".into(),
        };
        let knowledge = KnowledgeBase {
            ingredients: vec![
                ingredient("alphamine", "Synthetic Class A"),
                ingredient("betamol", "Synthetic Class B"),
                ingredient("gammadol", "Synthetic Class A"),
            ],
            synonyms: vec![Synonym {
                ingredient: key("alphamine"),
                synonym: "alfamine".into(),
                source: "synthetic".into(),
            }],
            medicines: vec![
                medicine("SYN-1", "alphamine", MarketingStatus::Otc),
                medicine("SYN-2", "betamol", MarketingStatus::Otc),
                medicine("SYN-3", "gammadol", MarketingStatus::Rx),
            ],
            indications: vec![
                indication("alphamine", "Sneezing"),
                indication("betamol", "Headache"),
                indication("gammadol", "Fever"),
                indication("betamol", "Hay fever"),
            ],
            interactions: vec![Interaction {
                pair: IngredientPair::new(key("alphamine"), key("betamol")).expect("pair"),
                severity: Severity::Major,
                source: InteractionSource::MergedPddi,
                source_ids: vec![],
                original_level: None,
                class_a: None,
                class_b: None,
                description: None,
                management: None,
            }],
            ..KnowledgeBase::default()
        };
        let version = KnowledgeVersion {
            catalogue_version: 1,
            sources: vec!["synthetic fuzz catalogue".into()],
        };
        Arc::new(KnowledgeSnapshot::build(knowledge, version).expect("synthetic catalogue"))
    })
}

/// `KnowledgeSnapshot::recommend` with `SymptomQuery::text(input)`, as `POST /api/v1/recommendations`
/// passes the `symptoms` string (UTF-8 only: JSON strings are). Property: never more treatments
/// than the limit.
pub fn symptoms(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for otc_only in [true, false] {
        let options = RecommendOptions {
            otc_only,
            ..RecommendOptions::default()
        };
        if let Ok(answer) =
            catalogue().recommend(&SymptomQuery::text(text), &Patient::default(), &options)
        {
            assert!(answer.recommendations.len() <= options.limit);
        }
    }
}

/// A patient from JSON (`serde_json::from_slice::<Patient>`), then `recommend` and `check_basket`
/// with the patient's current medicines plus a synthetic item as the basket.
pub fn patient(data: &[u8]) {
    let Ok(patient) = serde_json::from_slice::<Patient>(data) else {
        return;
    };
    let catalogue = catalogue();
    for query in ["sneezing", "headache and fever"] {
        let _ = catalogue.recommend(
            &SymptomQuery::text(query),
            &patient,
            &RecommendOptions::default(),
        );
    }
    let mut basket = patient.current_medicines.clone();
    basket.push(MedicineRef::ingredient("alphamine"));
    let _ = catalogue.check_basket(&basket, &patient, &BasketOptions::default());
}

/// The targets by name, for the replay fallback.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("dataset", dataset),
    ("rules", rules),
    ("strength", strength),
    ("symptoms", symptoms),
    ("patient", patient),
];
