//! Parses the clinical rule files (`data/otc_monograph/`, `data/rules/`) into [`ClinicalRules`].
//!
//! Checks what a reviewer cannot see row by row: every rule cites a source, scopes and actions are
//! known words, a rule names a condition code the vocabulary defines and a category the monograph
//! defines. Ingredient targets are checked by the engine against the catalogue it is built with.

use std::collections::HashSet;

use super::label_age::LABEL_FILE;
use super::rows::LabelRow;
use super::rule_rows::{
    AgeRuleRow, AllergyWordRow, ConditionPhraseRow, ConditionRuleRow, LactationRuleRow,
    PregnancyRuleRow, WithdrawnRow, cited,
};
use super::{DatasetError, DatasetSource, read_rows};
use crate::rules::{
    CategoryOpposite, ClinicalRules, LayPhrase, MedicineName, MonographAgeLine,
    MonographIndication, MonographIngredient, MonographWarning, OtcMonograph, RuleScope,
};

/// The rule files, relative to the dataset directory, in load order.
pub const RULE_FILES: [&str; 14] = [
    "otc_monograph/otc_monograph_ingredients.csv",
    "otc_monograph/otc_monograph_indications.csv",
    "otc_monograph/otc_monograph_warnings.csv",
    "otc_monograph/age_rules.csv",
    "rules/patient_conditions.csv",
    "rules/condition_rules.csv",
    "rules/age_rules.csv",
    "rules/pregnancy_rules.csv",
    "rules/lactation_rules.csv",
    "rules/allergy_words.csv",
    "rules/medicine_names.csv",
    "rules/lay_vocabulary.csv",
    "rules/category_opposites.csv",
    "rules/withdrawn.csv",
];

/// Latest gestational week accepted anywhere (a rule's or a patient's).
pub const MAX_PREGNANCY_WEEK: u8 = 45;

/// Parses every file of [`RULE_FILES`], and the older-adult lines of the labels' Warnings text
/// ([`LABEL_FILE`]).
///
/// # Errors
/// The first [`DatasetError`]: a missing file, a malformed row, an uncited rule, or a reference to
/// a condition code or category that is not defined.
pub fn parse_rules(source: &dyn DatasetSource) -> Result<ClinicalRules, DatasetError> {
    let [
        ingredients,
        indications,
        warnings,
        age_lines,
        conditions,
        condition_rules,
        age_rules,
        pregnancy,
        lactation,
        allergy,
        names,
        lay,
        opposites,
        withdrawn,
    ] = RULE_FILES;
    let monograph = OtcMonograph {
        ingredients: plain::<MonographIngredient>(source, ingredients)?,
        indications: plain::<MonographIndication>(source, indications)?,
        warnings: plain::<MonographWarning>(source, warnings)?,
        age_lines: plain::<MonographAgeLine>(source, age_lines)?,
    };
    let categories: HashSet<&str> = monograph
        .ingredients
        .iter()
        .map(|i| i.category_id.as_str())
        .chain(monograph.indications.iter().map(|i| i.category_id.as_str()))
        .chain(monograph.warnings.iter().map(|w| w.category_id.as_str()))
        .collect();
    let condition_phrases = read_rows(source, conditions, ConditionPhraseRow::into_domain)?;
    let codes: HashSet<String> = condition_phrases
        .iter()
        .map(|(_, c)| c.code.clone())
        .collect();
    let check = Checks {
        categories: &categories,
        codes: &codes,
    };
    let indication_texts: HashSet<&str> = monograph
        .indications
        .iter()
        .map(|i| i.indication_text.as_str())
        .collect();
    let rules = ClinicalRules {
        conditions: condition_phrases.into_iter().map(|(_, c)| c).collect(),
        condition_rules: check.scoped(
            condition_rules,
            read_rows(source, condition_rules, ConditionRuleRow::into_domain)?,
            |r| (&r.scope, Some(r.condition.as_str())),
        )?,
        age_rules: check.scoped(
            age_rules,
            read_rows(source, age_rules, AgeRuleRow::into_domain)?,
            |r| (&r.scope, None),
        )?,
        pregnancy_rules: check.scoped(
            pregnancy,
            read_rows(source, pregnancy, PregnancyRuleRow::into_domain)?,
            |r| (&r.scope, None),
        )?,
        older_age_rules: read_rows(source, LABEL_FILE, LabelRow::into_older_age_rules)?
            .into_iter()
            .flat_map(|(_, rules)| rules)
            .collect(),
        lactation_rules: check.scoped(
            lactation,
            read_rows(source, lactation, LactationRuleRow::into_domain)?,
            |r| (&r.scope, None),
        )?,
        allergy_words: check.scoped(
            allergy,
            read_rows(source, allergy, AllergyWordRow::into_domain)?,
            |r| (&r.scope, None),
        )?,
        medicine_names: read_rows(source, names, |row: MedicineName| {
            cited(&row.quote, &row.source_url).map(|()| row)
        })?
        .into_iter()
        .map(|(_, n)| n)
        .collect(),
        lay_vocabulary: read_rows(source, lay, |row: LayPhrase| {
            cited(&row.quote, &row.source_url)?;
            // A condition target is checked against indications.csv when the snapshot is built.
            if indication_texts.contains(row.target.as_str()) || row.condition_target().is_some() {
                Ok(row)
            } else {
                Err(format!(
                    "target '{}' is not an indication_text of the monograph, nor 'condition: <name>'",
                    row.target
                ))
            }
        })?
        .into_iter()
        .map(|(_, p)| p)
        .collect(),
        category_opposites: read_rows(source, opposites, |row: CategoryOpposite| {
            cited(&row.quote, &row.source_url)?;
            for category in [&row.category_a, &row.category_b] {
                check.category(category)?;
            }
            Ok(row)
        })?
        .into_iter()
        .map(|(_, o)| o)
        .collect(),
        withdrawn: read_rows(source, withdrawn, WithdrawnRow::into_domain)?
            .into_iter()
            .map(|(_, w)| w)
            .collect(),
        monograph: OtcMonograph::default(),
    };
    Ok(ClinicalRules { monograph, ..rules })
}

/// A file whose rows are the domain type itself.
fn plain<T: serde::de::DeserializeOwned>(
    source: &dyn DatasetSource,
    file: &str,
) -> Result<Vec<T>, DatasetError> {
    Ok(read_rows(source, file, Ok::<T, String>)?
        .into_iter()
        .map(|(_, row)| row)
        .collect())
}

/// Cross-file references.
struct Checks<'a> {
    categories: &'a HashSet<&'a str>,
    codes: &'a HashSet<String>,
}

impl Checks<'_> {
    fn category(&self, id: &str) -> Result<(), String> {
        if self.categories.contains(id) {
            Ok(())
        } else {
            Err(format!("unknown category '{id}' (not in the monograph)"))
        }
    }

    /// Checks each row's scope (and condition code, when it names one).
    fn scoped<T>(
        &self,
        file: &str,
        rows: Vec<(u64, T)>,
        refs: impl Fn(&T) -> (&RuleScope, Option<&str>),
    ) -> Result<Vec<T>, DatasetError> {
        rows.into_iter()
            .map(|(line, row)| {
                let (scope, code) = refs(&row);
                let mut outcome = match scope {
                    RuleScope::Category(id) => self.category(id),
                    RuleScope::Ingredient(_) | RuleScope::EpcClass(_) => Ok(()),
                };
                if let Some(code) = code
                    && !self.codes.contains(code)
                {
                    outcome = Err(format!(
                        "unknown condition code '{code}' (not in rules/patient_conditions.csv)"
                    ));
                }
                outcome.map(|()| row).map_err(|reason| DatasetError {
                    file: file.to_string(),
                    line,
                    reason,
                })
            })
            .collect()
    }
}
