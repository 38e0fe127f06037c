//! One serde row struct per rule file and its conversion into domain values, with the cell
//! helpers they share. Conversions return a lower-case reason; the caller adds file and line.

use serde::Deserialize;

use super::MAX_PREGNANCY_WEEK;
use crate::rules::{
    AgeRule, AllergyWord, Citation, ConditionPhrase, ConditionRule, LactationRule, PregnancyRule,
    RuleAction, RuleScope, WithdrawnRule,
};

pub(super) fn cited(quote: &str, url: &str) -> Result<(), String> {
    if quote.trim().is_empty() || url.trim().is_empty() {
        return Err("every row needs its source: quote/verbatim and source_url".to_string());
    }
    Ok(())
}

pub(super) fn citation(
    verbatim: String,
    citation: String,
    source_url: String,
) -> Result<Citation, String> {
    cited(&verbatim, &source_url)?;
    if citation.trim().is_empty() {
        return Err("citation is empty".to_string());
    }
    Ok(Citation {
        verbatim: verbatim.into(),
        citation: citation.into(),
        source_url: source_url.into(),
    })
}

pub(super) fn scope(kind: &str, target: &str) -> Result<RuleScope, String> {
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

pub(super) fn action(text: &str) -> Result<RuleAction, String> {
    text.trim().parse().map_err(|_| {
        format!("unknown action '{text}' (exclude, warn, info or children_formulation)")
    })
}

pub(super) fn week(column: &str, text: &str) -> Result<Option<u8>, String> {
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

pub(super) fn optional_lower(cell: &str) -> Option<String> {
    let trimmed = cell.trim().to_lowercase();
    (!trimmed.is_empty()).then_some(trimmed)
}

#[derive(Debug, Deserialize)]
pub(super) struct ConditionPhraseRow {
    code: String,
    label: String,
    phrase: String,
    source_url: String,
    quote: String,
}

impl ConditionPhraseRow {
    pub(super) fn into_domain(self) -> Result<ConditionPhrase, String> {
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
pub(super) struct ConditionRuleRow {
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
    pub(super) fn into_domain(self) -> Result<ConditionRule, String> {
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
pub(super) struct AgeRuleRow {
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
    pub(super) fn into_domain(self) -> Result<AgeRule, String> {
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
pub(super) struct PregnancyRuleRow {
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
    pub(super) fn into_domain(self) -> Result<PregnancyRule, String> {
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
pub(super) struct LactationRuleRow {
    scope: String,
    target: String,
    action: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl LactationRuleRow {
    pub(super) fn into_domain(self) -> Result<LactationRule, String> {
        Ok(LactationRule {
            scope: scope(&self.scope, &self.target)?,
            action: action(&self.action)?,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct AllergyWordRow {
    word: String,
    scope: String,
    target: String,
    action: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl AllergyWordRow {
    pub(super) fn into_domain(self) -> Result<AllergyWord, String> {
        Ok(AllergyWord {
            word: self.word.trim().to_lowercase(),
            scope: scope(&self.scope, &self.target)?,
            action: action(&self.action)?,
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct WithdrawnRow {
    ingredient: String,
    date: String,
    verbatim: String,
    citation: String,
    source_url: String,
}

impl WithdrawnRow {
    pub(super) fn into_domain(self) -> Result<WithdrawnRule, String> {
        let ingredient = self.ingredient.trim().to_lowercase();
        if ingredient.is_empty() || self.date.trim().is_empty() {
            return Err("ingredient and date are required".to_string());
        }
        Ok(WithdrawnRule {
            ingredient,
            date: self.date.trim().to_string(),
            cited: citation(self.verbatim, self.citation, self.source_url)?,
        })
    }
}
