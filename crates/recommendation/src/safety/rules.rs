//! The cited rule tables (`data/rules/`) applied to one patient: the one evaluation path shared by
//! recommendations, substitutes and basket checks.
//!
//! Grading (PharmaRec's mapping of the tables' actions, documented in docs/RECOMMENDATION.md):
//! `exclude` → excluded, severity `contraindicated`; `children_formulation` → the product is not
//! for this age, excluded at `major`; `warn` → warning at `moderate`; `info` → ungraded note.
//! A rule with a dose-form or strength filter concerns products, not ingredients: it is applied
//! when a product is chosen (`product` given, and then only those rules) and skipped otherwise.

use pharmarec_domain::{AgeRule, IngredientKey, RuleAction, Severity};

use crate::model::{Alert, AlertKind, NotChecked, note_not_checked};
use crate::snapshot::{KnowledgeSnapshot, ProductTraits, RuleRef};

/// Under this age (months), an ingredient with no age rule is reported as "age not checked":
/// the tables' age limits are children's and teenagers' limits.
const CHILD_MONTHS: u32 = 18 * 12;

/// The patient facts the rule tables test.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub(crate) age_months: Option<u32>,
    /// Gestational weeks the patient may be in (all of pregnancy when the stage is unknown).
    pub(crate) weeks: Option<(u8, u8)>,
    pub(crate) breast_feeding: bool,
    /// Condition codes, sorted, unique.
    pub(crate) conditions: Vec<String>,
    /// The facts as alerts quote them, written once per patient: `age 3 years`,
    /// `pregnant, week 24`, and per condition `condition hypertension`.
    age_text: String,
    pregnancy_text: String,
    condition_texts: Vec<String>,
}

impl Facts {
    pub(crate) fn new(
        age_months: Option<u32>,
        weeks: Option<(u8, u8)>,
        breast_feeding: bool,
        conditions: Vec<String>,
    ) -> Self {
        let mut facts = Self {
            age_months,
            weeks,
            breast_feeding,
            condition_texts: conditions
                .iter()
                .map(|c| format!("condition {c}"))
                .collect(),
            conditions,
            ..Self::default()
        };
        facts.age_text = facts.write_age_text();
        facts.pregnancy_text = facts.write_pregnancy_text();
        facts
    }

    fn write_age_text(&self) -> String {
        match self.age_months {
            Some(months) if months < 24 => format!("age {months} months"),
            Some(months) => format!("age {} years", months / 12),
            None => "age unknown".to_string(),
        }
    }

    fn write_pregnancy_text(&self) -> String {
        match self.weeks {
            Some((from, to)) if from == to => format!("pregnant, week {from}"),
            Some((0, _)) => "pregnant, stage not given (every stage applied)".to_string(),
            Some((from, to)) => format!("pregnant, weeks {from}-{to}"),
            None => "not pregnant".to_string(),
        }
    }
}

/// What the rules say about one ingredient (or product) for this patient.
#[derive(Debug, Default)]
pub(crate) struct RuleOutcome {
    pub(crate) exclusions: Vec<Alert>,
    pub(crate) warnings: Vec<Alert>,
    /// A pregnancy rule covers the patient's stage.
    pub(crate) pregnancy_covered: bool,
    /// A breast-feeding rule covers the ingredient.
    pub(crate) lactation_covered: bool,
    /// Some drug–condition rule (any condition) covers the ingredient.
    pub(crate) conditions_covered: bool,
    /// Some age rule or age line covers the ingredient.
    pub(crate) age_covered: bool,
    /// Only the reasons to exclude are wanted: warnings and notes are not written.
    pub(crate) exclusions_only: bool,
}

/// What the rules are applied to: its name in the texts, and its key when it has one.
#[derive(Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub(crate) name: &'a str,
    pub(crate) key: Option<&'a IngredientKey>,
}

impl<'a> Subject<'a> {
    /// A catalogue ingredient.
    pub(crate) fn ingredient(key: &'a IngredientKey) -> Self {
        Self {
            name: key.as_str(),
            key: Some(key),
        }
    }
}

/// Applies `rules` (the rules covering `subject`) to the patient; `product` enables product rules.
pub(crate) fn evaluate(
    catalogue: &KnowledgeSnapshot,
    facts: &Facts,
    subject: Subject<'_>,
    rules: &[RuleRef],
    product: Option<&ProductTraits>,
    out: &mut RuleOutcome,
) {
    let tables = &catalogue.rules;
    let name = subject.name;
    for &rule in rules {
        if product.is_some() && !matches!(rule, RuleRef::Age(_)) {
            continue;
        }
        match rule {
            RuleRef::Age(row) => {
                let Some(rule) = tables.age_rules.get(row as usize) else {
                    continue;
                };
                out.age_covered = true;
                let Some(months) = facts.age_months else {
                    continue;
                };
                if months >= u32::from(rule.under_months) {
                    continue;
                }
                let filtered = limits_products(rule);
                let applies_to_product = match product {
                    Some(product) => {
                        filtered
                            && product_matches(
                                product,
                                rule.dose_form_contains.as_deref(),
                                rule.strength_contains.as_deref(),
                            )
                    }
                    None => !filtered,
                };
                if !applies_to_product {
                    continue;
                }
                let fact = || {
                    let mut fact = facts.age_text.clone();
                    if let Some(condition) = &rule.condition {
                        if facts.conditions.iter().any(|c| c == condition) {
                            fact.push_str(&format!(", {condition}"));
                        } else {
                            fact.push_str(&format!(
                                "; the rule is for {}, which is not stated for this patient and cannot be ruled out, so it is applied",
                                condition.replace('_', " ")
                            ));
                        }
                    }
                    fact
                };
                push(out, AlertKind::Age, rule.action, subject, &rule.cited, fact);
            }
            RuleRef::OlderAge(row) => {
                let (Some(rule), Some(months)) =
                    (tables.older_age_rules.get(row as usize), facts.age_months)
                else {
                    continue;
                };
                if months >= u32::from(rule.from_years) * 12 {
                    let fact =
                        || format!("{}, label: {} or older", facts.age_text, rule.from_years);
                    push(out, AlertKind::Age, rule.action, subject, &rule.cited, fact);
                }
            }
            RuleRef::Pregnancy(row) => {
                let (Some(rule), Some((from, to))) =
                    (tables.pregnancy_rules.get(row as usize), facts.weeks)
                else {
                    continue;
                };
                let last = rule.to_week.unwrap_or(u8::MAX);
                if from <= last && to >= rule.from_week {
                    out.pregnancy_covered = true;
                    push(
                        out,
                        AlertKind::PregnancyStage,
                        rule.action,
                        subject,
                        &rule.cited,
                        || facts.pregnancy_text.clone(),
                    );
                }
            }
            RuleRef::Lactation(row) => {
                let Some(rule) = tables.lactation_rules.get(row as usize) else {
                    continue;
                };
                out.lactation_covered = true;
                if facts.breast_feeding {
                    push(
                        out,
                        AlertKind::BreastFeeding,
                        rule.action,
                        subject,
                        &rule.cited,
                        || "breast-feeding".to_string(),
                    );
                }
            }
            RuleRef::Condition(row) => {
                let Some(rule) = tables.condition_rules.get(row as usize) else {
                    continue;
                };
                out.conditions_covered = true;
                if let Ok(position) = facts.conditions.binary_search(&rule.condition) {
                    push(
                        out,
                        AlertKind::Condition,
                        rule.action,
                        subject,
                        &rule.cited,
                        || facts.condition_texts[position].clone(),
                    );
                }
            }
            RuleRef::Withdrawn(row) => {
                if let Some(rule) = tables.withdrawn.get(row as usize) {
                    out.exclusions.push(alert(
                        AlertKind::Withdrawn,
                        Some(Severity::Contraindicated),
                        format!(
                            "{name}: withdrawn from the market ({}): \"{}\"",
                            rule.date, rule.cited.verbatim
                        ),
                        &rule.cited,
                        subject.key,
                        None,
                    ));
                }
            }
        }
    }
}

/// Whether an age rule concerns some products only (a dose-form or strength filter).
pub(crate) fn limits_products(rule: &AgeRule) -> bool {
    rule.dose_form_contains.is_some() || rule.strength_contains.is_some()
}

/// Notes in `list` the facts the rules of one ingredient (`key`) did not cover.
pub(crate) fn not_checked(
    facts: &Facts,
    key: Option<&IngredientKey>,
    outcome: &RuleOutcome,
    list: &mut Vec<NotChecked>,
) {
    if facts.age_months.is_some_and(|m| m < CHILD_MONTHS) && !outcome.age_covered {
        let why = "no age rule or label age line for this ingredient in the shipped tables";
        note_not_checked(list, "age", why, key);
    }
    if !facts.conditions.is_empty() && !outcome.conditions_covered {
        let why = "no drug-condition rule covers this ingredient in the shipped tables";
        note_not_checked(list, "conditions", why, key);
    }
}

/// Whether a product's dose form and strength contain the rule's filters (lower case). A strength
/// filter matches a whole number (`200` matches `200MG`, not `1200MG`).
fn product_matches(
    product: &ProductTraits,
    dose_form: Option<&str>,
    strength: Option<&str>,
) -> bool {
    let form_ok = dose_form.is_none_or(|f| product.dose_form.contains(f));
    let strength_ok = strength.is_none_or(|s| contains_number(&product.strength, s));
    form_ok && strength_ok
}

fn contains_number(text: &str, number: &str) -> bool {
    let numeric = |c: char| c.is_ascii_digit() || c == '.';
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        !before.is_some_and(numeric) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

fn push(
    out: &mut RuleOutcome,
    kind: AlertKind,
    action: RuleAction,
    subject: Subject<'_>,
    cited: &pharmarec_domain::Citation,
    fact: impl FnOnce() -> String,
) {
    let excludes = matches!(
        action,
        RuleAction::Exclude | RuleAction::ChildrenFormulation
    );
    // Texts are written only for the alerts the caller keeps.
    if out.exclusions_only && !excludes {
        return;
    }
    let fact = fact();
    let (severity, what) = match action {
        RuleAction::Exclude => (Some(Severity::Contraindicated), " must not be used ("),
        RuleAction::ChildrenFormulation => (
            Some(Severity::Major),
            ": this product is not for this age, a children's formulation is needed (",
        ),
        RuleAction::Warn => (Some(Severity::Moderate), ": ask a doctor before use ("),
        RuleAction::Info => (None, " ("),
    };
    // `{name}{what}{fact}): "{verbatim}"`, in one allocation (the verbatim texts are long).
    let parts = [subject.name, what, &fact, "): \"", &cited.verbatim, "\""];
    let mut message = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| message.push_str(p));
    let alert = alert(kind, severity, message, cited, subject.key, Some(fact));
    if excludes {
        out.exclusions.push(alert);
    } else {
        out.warnings.push(alert);
    }
}

fn alert(
    kind: AlertKind,
    severity: Option<Severity>,
    message: String,
    cited: &pharmarec_domain::Citation,
    key: Option<&IngredientKey>,
    fact: Option<String>,
) -> Alert {
    Alert {
        kind,
        severity,
        message: message.into(),
        source: (&cited.citation).into(),
        ingredients: key.cloned().into_iter().collect(),
        source_url: Some((&cited.source_url).into()),
        patient_fact: fact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strength_filter_matches_whole_numbers_only() {
        assert!(contains_number("200mg", "200"));
        assert!(contains_number("eq 200mg base", "200"));
        assert!(!contains_number("1200mg", "200"));
        assert!(!contains_number("2000mg", "200"));
        assert!(!contains_number("0.05%", "5"));
    }

    #[test]
    fn the_stage_text_says_when_every_stage_was_applied() {
        let facts = Facts::new(None, Some((0, 45)), false, Vec::new());
        assert!(facts.pregnancy_text.contains("every stage"));
    }
}
