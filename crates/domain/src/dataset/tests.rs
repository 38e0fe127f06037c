use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use super::*;
use crate::{MarketingStatus, RuleScope, Severity};

/// Files held in memory; a test replaces one file of a valid set to break it.
struct MemorySource(HashMap<&'static str, String>);

impl DatasetSource for MemorySource {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        self.0
            .get(file)
            .map(|text| Box::new(text.as_bytes()) as Box<dyn Read>)
            .ok_or_else(|| DatasetError::file(file, "missing"))
    }
}

/// Reads the real shipped files from the repository's `data/` directory.
struct DirSource(PathBuf);

impl DatasetSource for DirSource {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        std::fs::File::open(self.0.join(file))
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| DatasetError::file(file, e.to_string()))
    }
}

/// A tiny, internally consistent dataset. Synthetic: the rows exercise the parser, not medicine.
fn valid_files() -> MemorySource {
    let mut files = HashMap::new();
    files.insert("ingredients.csv", "ingredient,inn_name,us_name,drugcentral_id,rxcui,unii,drugbank_id,fda_epc_classes,fda_moa_classes,has_otc_product,n_products\nalpha,alpha inn,alpha,1,11,U1,DB1,Class A,,yes,1\nbeta,beta,,2,,U2,,,,no,0\n".to_string());
    files.insert(
        "ingredient_synonyms.csv",
        "ingredient,synonym,synonym_source\nalpha,Alfa,drugcentral_inn\n".to_string(),
    );
    files.insert("medicines.csv", "medicine_id,brand_name,ingredients,ingredients_as_labelled,strength,dose_form,route,status,application_type,application_number,product_number,te_code,reference_listed_drug,reference_standard,applicant,approval_date,source\nOB-A1-001,ALPHA,alpha|beta,alpha hcl|beta,5MG;N/A,tablet,oral,otc,ANDA,1,001,\"AB1,AB2\",no,no,ACME,\"Dec 1, 1987\",fda_orange_book\n".to_string());
    files.insert("indications.csv", "ingredient,condition,relation,umls_cui,snomedct_id,doid,source\nalpha,Fever,indication,C1,,,drugcentral_2016\n".to_string());
    files.insert("condition_vocabulary.csv", "term,condition,relation,hops,source,source_id,source_label,condition_concept,condition_link,source_version\npyrexia,Fever,exact_synonym,0,symp,SYMP:1,fever,SYMP:1,name_exact,v\n".to_string());
    files.insert("interactions.csv", "ingredient_a,ingredient_b,severity,ndfrt_severity,onc_list,sources,source_ids\nalpha,beta,major,critical,,ndf-rt,NDFRT:N1\n".to_string());
    files.insert("interactions_ansm.csv", "ingredient_a,ingredient_b,severity,source,source_ids,original_level,class_a,class_b,description_fr,management_fr,severity_basis\nalpha,beta,contraindicated,ansm_2020,A + B,Contre-indication,A,B,Risque.,,single_level\n".to_string());
    files.insert("otc_label_warnings.csv", "label_generic_name,ingredients,do_not_use,ask_doctor,ask_doctor_or_pharmacist,when_using,stop_use,pregnancy_or_breast_feeding,keep_out_of_reach_of_children,warnings_text,source\nALPHA,alpha,Do not use,,,,,,,,label\n".to_string());
    files.insert("pregnancy_categories.csv", "ingredient,who_eml_name,pregnancy_category,pregnancy_warning,who_eml_section,source\nalpha,alpha,C,yes,S,gnuhealth\n".to_string());
    MemorySource(files)
}

#[test]
fn parses_a_consistent_dataset() {
    let kb = parse(&valid_files()).unwrap();
    let medicine = &kb.medicines[0];
    assert_eq!(medicine.status, MarketingStatus::Otc);
    assert_eq!(medicine.ingredients[0].as_labelled, "alpha hcl");
    assert_eq!(medicine.te_codes.len(), 2);
    assert!(
        medicine.ingredients[1]
            .strength
            .as_ref()
            .unwrap()
            .amount
            .is_none()
    );
    assert_eq!(kb.synonyms[0].synonym, "alfa");
    assert_eq!(kb.interactions.len(), 2);
    assert_eq!(kb.interactions[1].severity, Severity::Contraindicated);
    assert_eq!(
        kb.interactions[0].original_level.as_deref(),
        Some("critical")
    );
}

#[test]
fn malformed_row_reports_file_line_and_reason() {
    let mut files = valid_files();
    files.0.insert("interactions.csv", "ingredient_a,ingredient_b,severity,ndfrt_severity,onc_list,sources,source_ids\nalpha,beta,major,,,,\nalpha,beta,catastrophic,,,,\n".to_string());
    let error = parse(&files).unwrap_err();
    assert_eq!(error.file, "interactions.csv");
    assert_eq!(error.line, 3);
    assert!(error.reason.contains("catastrophic"), "{error}");
}

#[test]
fn row_with_missing_fields_is_malformed() {
    let mut files = valid_files();
    files.0.insert(
        "indications.csv",
        "ingredient,condition,relation,umls_cui,snomedct_id,doid,source\nalpha,Fever\n".to_string(),
    );
    let error = parse(&files).unwrap_err();
    assert_eq!((error.file.as_str(), error.line), ("indications.csv", 2));
}

#[test]
fn unknown_ingredient_reference_is_rejected() {
    let mut files = valid_files();
    files.0.insert("pregnancy_categories.csv", "ingredient,who_eml_name,pregnancy_category,pregnancy_warning,who_eml_section,source\nalpha,a,B,,S,g\ngamma,g,C,yes,S,g\n".to_string());
    let error = parse(&files).unwrap_err();
    assert_eq!(error.line, 3);
    assert!(error.reason.contains("gamma"));
}

#[test]
fn self_interaction_is_malformed() {
    let mut files = valid_files();
    files.0.insert("interactions.csv", "ingredient_a,ingredient_b,severity,ndfrt_severity,onc_list,sources,source_ids\nalpha,alpha,major,,,,\n".to_string());
    assert_eq!(parse(&files).unwrap_err().line, 2);
}

#[test]
fn missing_file_is_reported_by_name() {
    let mut files = valid_files();
    files.0.remove("medicines.csv");
    let error = parse(&files).unwrap_err();
    assert_eq!((error.file.as_str(), error.line), ("medicines.csv", 0));
}

#[test]
fn shipped_dataset_parses_with_the_documented_row_counts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let kb = parse(&DirSource(dir)).unwrap();
    // Counts from data/README.md: a parser that drops or duplicates rows fails here.
    let counts = kb.counts();
    assert_eq!(counts.medicines, 23_096);
    assert_eq!(counts.ingredients, 1_349);
    assert_eq!(counts.synonyms, 432);
    assert_eq!(counts.indications, 9_827);
    assert_eq!(counts.condition_terms, 16_225);
    assert_eq!(counts.interactions, 5_449 + 23_315);
    assert_eq!(counts.label_warnings, 30);
    assert_eq!(counts.pregnancy, 235);
    let otc = kb
        .medicines
        .iter()
        .filter(|m| m.status == MarketingStatus::Otc)
        .count();
    assert_eq!(otc, 748);
}

/// A minimal, consistent set of rule files. Synthetic: the rows exercise the parser, not medicine.
fn valid_rule_files() -> MemorySource {
    let mut files = HashMap::new();
    files.insert("otc_label_warnings.csv", "label_generic_name,ingredients,do_not_use,ask_doctor,ask_doctor_or_pharmacist,when_using,stop_use,pregnancy_or_breast_feeding,keep_out_of_reach_of_children,warnings_text,source\nALPHA,alpha,Do not use,,,,,,,Warnings Stomach bleeding warning: higher if you are age 60 or older Do not use,label\nALPHA AND BETA,alpha|beta,,,,,,,,Stomach bleeding warning: age 60 or older,label\n".to_string());
    files.insert("otc_monograph/otc_monograph_ingredients.csv", "category_id,category_name,ingredient,route_form_constraint,max_concentration_or_dose,cfr_section,source_url,source_type\ncat_a,cat a,alpha hydrochloride,oral,,1,https://x,monograph\n".to_string());
    files.insert("otc_monograph/otc_monograph_indications.csv", "category_id,indication_text,cfr_section,source_url,source_type,statement_verbatim\ncat_a,sneezing,1,https://x,monograph,For sneezing\n".to_string());
    files.insert("otc_monograph/otc_monograph_warnings.csv", "category_id,warning_kind,condition_or_text,applies_to,cfr_section,source_url,source_type,statement_verbatim\ncat_a,do_not_use,glaucoma,all,1,https://x,monograph,\n".to_string());
    files.insert("otc_monograph/age_rules.csv", "ingredient_or_category,age_condition,action,verbatim_text,cfr_section_or_label,source_url,source_type\nalpha,under 2 years,do_not_use,under 2: do not use,1,https://x,label\n".to_string());
    files.insert(
        "rules/patient_conditions.csv",
        "code,label,phrase,source_url,quote\nglaucoma,Glaucoma,glaucoma,https://x,glaucoma\n"
            .to_string(),
    );
    files.insert("rules/condition_rules.csv", "scope,target,condition_code,action,section,verbatim,citation,source_url\ncategory,cat_a,glaucoma,warn,ask_doctor,glaucoma,1,https://x\n".to_string());
    files.insert("rules/age_rules.csv", "scope,target,dose_form_contains,strength_contains,under_months,action,condition,verbatim,citation,source_url\ningredient,Alpha,,,24,exclude,,under 2: do not use,1,https://x\n".to_string());
    files.insert("rules/pregnancy_rules.csv", "scope,target,from_week,to_week,action,verbatim,citation,source_url\nepc_class,Class A,20,,exclude,at 20 weeks,1,https://x\n".to_string());
    files.insert(
        "rules/lactation_rules.csv",
        "scope,target,action,verbatim,citation,source_url\ningredient,alpha,warn,ask,1,https://x\n"
            .to_string(),
    );
    files.insert("rules/allergy_words.csv", "word,scope,target,action,verbatim,citation,source_url\nAlphas,epc_class,Class A,exclude,alphas,1,https://x\n".to_string());
    files.insert(
        "rules/medicine_names.csv",
        "name,ingredient,quote,source_url\nalf,alpha,alf is alpha,https://x\n".to_string(),
    );
    files.insert(
        "rules/lay_vocabulary.csv",
        "phrase,target,source,source_url,quote\nachoo,sneezing,s,https://x,achoo means sneezing\n"
            .to_string(),
    );
    files.insert(
        "rules/category_opposites.csv",
        "category_a,category_b,reason,source,source_url,quote\ncat_a,cat_a,r,s,https://x,q\n"
            .to_string(),
    );
    files.insert(
        "rules/withdrawn.csv",
        "ingredient,date,verbatim,citation,source_url\nsynthamine,2000-01-01,q,c,https://x\n"
            .to_string(),
    );
    MemorySource(files)
}

fn rules_error(file: &'static str, text: &str) -> DatasetError {
    let mut source = valid_rule_files();
    source.0.insert(file, text.to_string());
    parse_rules(&source).unwrap_err()
}

#[test]
fn parses_consistent_rule_files() {
    let rules = parse_rules(&valid_rule_files()).unwrap();
    assert_eq!(
        rules.monograph.ingredients[0].ingredient,
        "alpha hydrochloride"
    );
    assert_eq!(rules.age_rules[0].under_months, 24);
    // One older-adult rule: the combination label's line is not one of its ingredients'.
    assert_eq!(rules.older_age_rules.len(), 1);
    assert_eq!(rules.older_age_rules[0].from_years, 60);
    assert_eq!(
        &*rules.older_age_rules[0].cited.verbatim,
        "Stomach bleeding warning: higher if you are age 60 or older"
    );
    assert_eq!(
        rules.age_rules[0].scope,
        crate::RuleScope::Ingredient("alpha".into())
    );
    assert_eq!(rules.pregnancy_rules[0].from_week, 20);
    assert_eq!(rules.pregnancy_rules[0].to_week, None);
    assert_eq!(rules.allergy_words[0].word, "alphas");
    assert_eq!(rules.condition_rules[0].action, crate::RuleAction::Warn);
}

#[test]
fn rule_rows_that_break_a_rule_name_file_line_and_reason() {
    let header = "scope,target,condition_code,action,section,verbatim,citation,source_url\n";
    let cases = [
        (
            "rules/condition_rules.csv",
            format!("{header}category,cat_a,gout,warn,ask_doctor,v,1,https://x\n"),
            "unknown condition code 'gout'",
        ),
        (
            "rules/condition_rules.csv",
            format!("{header}category,cat_z,glaucoma,warn,ask_doctor,v,1,https://x\n"),
            "unknown category 'cat_z'",
        ),
        (
            "rules/condition_rules.csv",
            format!("{header}category,cat_a,glaucoma,maybe,ask_doctor,v,1,https://x\n"),
            "unknown action 'maybe'",
        ),
        (
            "rules/condition_rules.csv",
            format!("{header}shelf,cat_a,glaucoma,warn,ask_doctor,v,1,https://x\n"),
            "unknown scope 'shelf'",
        ),
        (
            "rules/condition_rules.csv",
            format!("{header}category,cat_a,glaucoma,warn,ask_doctor,,1,https://x\n"),
            "every row needs its source",
        ),
        (
            "rules/pregnancy_rules.csv",
            "scope,target,from_week,to_week,action,verbatim,citation,source_url\ningredient,alpha,50,,exclude,v,1,https://x\n".to_string(),
            "from_week must be a week from 0 to 45",
        ),
        (
            "rules/age_rules.csv",
            "scope,target,dose_form_contains,strength_contains,under_months,action,condition,verbatim,citation,source_url\ningredient,alpha,,,0,exclude,,v,1,https://x\n".to_string(),
            "under_months must be 1 to 1560",
        ),
        (
            "rules/lay_vocabulary.csv",
            "phrase,target,source,source_url,quote\nachoo,sneeze,s,https://x,q\n".to_string(),
            "is not an indication_text",
        ),
    ];
    for (file, text, reason) in cases {
        let error = rules_error(file, &text);
        assert_eq!(error.file, file);
        assert_eq!(error.line, 2, "{error}");
        assert!(error.reason.contains(reason), "{error}");
    }
}

#[test]
fn the_shipped_rule_files_parse() {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
    let rules = parse_rules(&DirSource(dir.clone())).unwrap();
    assert!(rules.monograph.ingredients.len() >= 150);
    assert!(rules.monograph.indications.len() >= 140);
    // The NSAID stomach-bleeding paragraphs hold the labels' only older-adult lines.
    let older: Vec<(&RuleScope, u16)> = rules
        .older_age_rules
        .iter()
        .map(|r| (&r.scope, r.from_years))
        .collect();
    let ingredient = |key: &str| RuleScope::Ingredient(key.to_string());
    assert_eq!(
        older,
        [
            (&ingredient("ibuprofen"), 60),
            (&ingredient("aspirin"), 60),
            (&ingredient("diclofenac"), 60)
        ]
    );
    let labels = std::fs::read_to_string(dir.join(LABEL_FILE)).unwrap();
    for rule in &rules.older_age_rules {
        assert!(rule.cited.verbatim.starts_with("Stomach bleeding warning:"));
        assert!(labels.contains(&*rule.cited.verbatim), "{rule:?}");
    }
}
