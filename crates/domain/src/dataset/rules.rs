//! Parses the clinical rule files (`data/otc_monograph/`, `data/rules/`) into [`ClinicalRules`].
//!
//! Checks what a reviewer cannot see row by row: every rule cites a source, scopes and actions are
//! known words, a rule names a condition code the vocabulary defines and a category the monograph
//! defines. Ingredient targets are checked by the engine against the catalogue it is built with.

use std::collections::HashSet;

use serde::Deserialize;

use super::{DatasetError, DatasetSource, read_rows};
use crate::rules::{
    AgeRule, AllergyWord, CategoryOpposite, Citation, ClinicalRules, ConditionPhrase,
    ConditionRule, LactationRule, LayPhrase, MedicineName, MonographAgeLine, MonographIndication,
    MonographIngredient, MonographWarning, OtcMonograph, PregnancyRule, RuleAction, RuleScope,
};

/// The rule files, relative to the dataset directory, in load order.
pub const RULE_FILES: [&str; 13] = [
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
];

/// Latest gestational week accepted anywhere (a rule's or a patient's).
pub const MAX_PREGNANCY_WEEK: u8 = 45;

/// Parses every file of [`RULE_FILES`].
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
            if indication_texts.contains(row.target.as_str()) {
                Ok(row)
            } else {
                Err(format!(
                    "target '{}' is not an indication_text of the monograph",
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

fn cited(quote: &str, url: &str) -> Result<(), String> {
    if quote.trim().is_empty() || url.trim().is_empty() {
        return Err("every row needs its source: quote/verbatim and source_url".to_string());
    }
    Ok(())
}

fn citation(verbatim: String, citation: String, source_url: String) -> Result<Citation, String> {
    cited(&verbatim, &source_url)?;
    if citation.trim().is_empty() {
        return Err("citation is empty".to_string());
    }
    Ok(Citation {
        verbatim,
        citation,
        source_url,
    })
}

fn scope(kind: &str, target: &str) -> Result<RuleScope, String> {
    let target = target.trim().to_string();
    if target.is_empty() {
        return Err("target is empty".to_string());
    }
    match kind.trim() {
        "category" => Ok(RuleScope::Category(target)),
        "ingredient" => Ok(RuleScope::Ingredient(target.to_lowercase())),
        "epc_class" => Ok(RuleScope::EpcClass(target)),
        other => Err(format!(
            "unknown scope '{other}' (category, ingredient or epc_class)"
        )),
    }
}

fn action(text: &str) -> Result<RuleAction, String> {
    text.trim().parse().map_err(|_| {
        format!("unknown action '{text}' (exclude, warn, info or children_formulation)")
    })
}

fn week(column: &str, text: &str) -> Result<Option<u8>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u8>() {
        Ok(week) if week <= MAX_PREGNANCY_WEEK => Ok(Some(week)),
        _ => Err(format!(
            "{column} must be a week from 0 to {MAX_PREGNANCY_WEEK}, found '{text}'"
        )),
    }
}

fn optional_lower(cell: &str) -> Option<String> {
    let trimmed = cell.trim().to_lowercase();
    (!trimmed.is_empty()).then_some(trimmed)
}

#[derive(Debug, Deserialize)]
struct ConditionPhraseRow {
    code: String,
    label: String,
    phrase: String,
    source_url: String,
    quote: String,
}

impl ConditionPhraseRow {
    fn into_domain(self) -> Result<ConditionPhrase, String> {
        cited(&self.quote, &self.source_url)?;
        if self.code.is_empty() || self.code.contains(char::is_whitespace) {
            return Err(format!("bad condition code '{}'", self.code));
        }
        Ok(ConditionPhrase {
            code: self.code,
            label: self.label,
            phrase: self.phrase.trim().to_lowercase(),
            source_url: self.source_url,
            quote: self.quote,
        })
    }
}

#[derive(Debug, Deserialize)]
struct ConditionRuleRow {
    scope: String,
    target: String,
    condition_code: String,
    action: String,
    section: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl ConditionRuleRow {
    fn into_domain(self) -> Result<ConditionRule, String> {
        Ok(ConditionRule {
            scope: scope(&self.scope, &self.target)?,
            condition: self.condition_code.trim().to_string(),
            action: action(&self.action)?,
            section: self.section,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct AgeRuleRow {
    scope: String,
    target: String,
    dose_form_contains: String,
    strength_contains: String,
    under_months: String,
    action: String,
    condition: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl AgeRuleRow {
    fn into_domain(self) -> Result<AgeRule, String> {
        let under_months = match self.under_months.trim().parse::<u16>() {
            Ok(months) if (1..=1560).contains(&months) => months,
            _ => {
                return Err(format!(
                    "under_months must be 1 to 1560, found '{}'",
                    self.under_months
                ));
            }
        };
        Ok(AgeRule {
            scope: scope(&self.scope, &self.target)?,
            dose_form_contains: optional_lower(&self.dose_form_contains),
            strength_contains: optional_lower(&self.strength_contains),
            under_months,
            action: action(&self.action)?,
            condition: optional_lower(&self.condition),
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct PregnancyRuleRow {
    scope: String,
    target: String,
    from_week: String,
    to_week: String,
    action: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl PregnancyRuleRow {
    fn into_domain(self) -> Result<PregnancyRule, String> {
        let from_week = week("from_week", &self.from_week)?.unwrap_or(0);
        let to_week = week("to_week", &self.to_week)?;
        if to_week.is_some_and(|to| to < from_week) {
            return Err("to_week is before from_week".to_string());
        }
        Ok(PregnancyRule {
            scope: scope(&self.scope, &self.target)?,
            from_week,
            to_week,
            action: action(&self.action)?,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct LactationRuleRow {
    scope: String,
    target: String,
    action: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl LactationRuleRow {
    fn into_domain(self) -> Result<LactationRule, String> {
        Ok(LactationRule {
            scope: scope(&self.scope, &self.target)?,
            action: action(&self.action)?,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
struct AllergyWordRow {
    word: String,
    scope: String,
    target: String,
    action: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl AllergyWordRow {
    fn into_domain(self) -> Result<AllergyWord, String> {
        Ok(AllergyWord {
            word: self.word.trim().to_lowercase(),
            scope: scope(&self.scope, &self.target)?,
            action: action(&self.action)?,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}
