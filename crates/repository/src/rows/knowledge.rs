//! Rows of the reference-knowledge tables: indications, condition terms, interactions, label warnings
//! and pregnancy categories.

use diesel::prelude::*;
use pharmarec_domain::{
    ConditionTerm, Indication, IngredientPair, Interaction, OtcLabelWarning, PregnancyEntry,
    Severity,
};

use super::{parse_stored, position};
use crate::error::TxError;
use crate::schema::{
    condition_terms, indications, interactions, otc_label_warning_ingredients, otc_label_warnings,
    pregnancy_categories,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = indications, treat_none_as_default_value = false)]
pub(crate) struct IndicationRow {
    pub(crate) ingredient_key: String,
    pub(crate) condition: String,
    pub(crate) relation: String,
    pub(crate) umls_cui: Option<String>,
    pub(crate) snomedct_id: Option<String>,
    pub(crate) doid: Option<String>,
    pub(crate) source: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = condition_terms)]
pub(crate) struct ConditionTermRow {
    pub(crate) term: String,
    pub(crate) condition: String,
    pub(crate) relation: String,
    pub(crate) hops: i32,
    pub(crate) source: String,
    pub(crate) source_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = interactions, treat_none_as_default_value = false)]
pub(crate) struct InteractionRow {
    pub(crate) ingredient_a: String,
    pub(crate) ingredient_b: String,
    pub(crate) source: String,
    pub(crate) severity: String,
    pub(crate) source_ids: String,
    pub(crate) original_level: Option<String>,
    pub(crate) class_a: Option<String>,
    pub(crate) class_b: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) management: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = otc_label_warnings, treat_none_as_default_value = false)]
pub(crate) struct WarningRow {
    pub(crate) id: i32,
    pub(crate) label_generic_name: String,
    pub(crate) do_not_use: Option<String>,
    pub(crate) ask_doctor: Option<String>,
    pub(crate) ask_doctor_or_pharmacist: Option<String>,
    pub(crate) when_using: Option<String>,
    pub(crate) stop_use: Option<String>,
    pub(crate) pregnancy_or_breast_feeding: Option<String>,
    pub(crate) source: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = otc_label_warning_ingredients)]
pub(crate) struct WarningIngredientRow {
    pub(crate) warning_id: i32,
    pub(crate) position: i32,
    pub(crate) ingredient_key: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pregnancy_categories)]
pub(crate) struct PregnancyRow {
    pub(crate) ingredient_key: String,
    pub(crate) category: String,
    pub(crate) warning: bool,
    pub(crate) who_eml_name: String,
    pub(crate) source: String,
}

pub(crate) fn indication_row(i: &Indication) -> IndicationRow {
    IndicationRow {
        ingredient_key: i.ingredient.to_string(),
        condition: i.condition.clone(),
        relation: <&str>::from(i.relation).to_string(),
        umls_cui: i.umls_cui.clone(),
        snomedct_id: i.snomedct_id.clone(),
        doid: i.doid.clone(),
        source: i.source.clone(),
    }
}

pub(crate) fn indication_from(row: IndicationRow) -> Result<Indication, TxError> {
    Ok(Indication {
        ingredient: parse_stored("ingredient_key", &row.ingredient_key)?,
        condition: row.condition,
        relation: parse_stored("relation", &row.relation)?,
        umls_cui: row.umls_cui,
        snomedct_id: row.snomedct_id,
        doid: row.doid,
        source: row.source,
    })
}

pub(crate) fn term_row(t: &ConditionTerm) -> ConditionTermRow {
    ConditionTermRow {
        term: t.term.clone(),
        condition: t.condition.clone(),
        relation: <&str>::from(t.relation).to_string(),
        hops: i32::from(t.hops),
        source: t.source.clone(),
        source_id: t.source_id.clone(),
    }
}

pub(crate) fn term_from(row: ConditionTermRow) -> Result<ConditionTerm, TxError> {
    Ok(ConditionTerm {
        term: row.term,
        condition: row.condition,
        relation: parse_stored("relation", &row.relation)?,
        hops: parse_stored("hops", &row.hops.to_string())?,
        source: row.source,
        source_id: row.source_id,
    })
}

pub(crate) fn interaction_row(i: &Interaction) -> Result<InteractionRow, TxError> {
    Ok(InteractionRow {
        ingredient_a: i.pair.first().to_string(),
        ingredient_b: i.pair.second().to_string(),
        source: i.source.tag().to_string(),
        severity: <&str>::from(i.severity).to_string(),
        source_ids: serde_json::to_string(&i.source_ids)?,
        original_level: i.original_level.clone(),
        class_a: i.class_a.clone(),
        class_b: i.class_b.clone(),
        description: i.description.clone(),
        management: i.management.clone(),
    })
}

/// The stored pair and severity of an interaction row (shipped or licensed).
pub(crate) fn stored_statement(
    a: &str,
    b: &str,
    severity: &str,
) -> Result<(IngredientPair, Severity), TxError> {
    let pair = IngredientPair::new(
        parse_stored("ingredient_a", a)?,
        parse_stored("ingredient_b", b)?,
    )?;
    Ok((pair, parse_stored("severity", severity)?))
}

pub(crate) fn interaction_from(row: InteractionRow) -> Result<Interaction, TxError> {
    let (pair, severity) = stored_statement(&row.ingredient_a, &row.ingredient_b, &row.severity)?;
    Ok(Interaction {
        pair,
        severity,
        source: parse_stored("source", &row.source)?,
        source_ids: serde_json::from_str(&row.source_ids)?,
        original_level: row.original_level,
        class_a: row.class_a,
        class_b: row.class_b,
        description: row.description,
        management: row.management,
    })
}

/// A warning's row (under the id given by the import) and its ingredient rows.
pub(crate) fn warning_rows(
    id: i32,
    w: &OtcLabelWarning,
) -> Result<(WarningRow, Vec<WarningIngredientRow>), TxError> {
    let row = WarningRow {
        id,
        label_generic_name: w.label_generic_name.clone(),
        do_not_use: w.do_not_use.clone(),
        ask_doctor: w.ask_doctor.clone(),
        ask_doctor_or_pharmacist: w.ask_doctor_or_pharmacist.clone(),
        when_using: w.when_using.clone(),
        stop_use: w.stop_use.clone(),
        pregnancy_or_breast_feeding: w.pregnancy_or_breast_feeding.clone(),
        source: w.source.clone(),
    };
    let ingredients = w
        .ingredients
        .iter()
        .enumerate()
        .map(|(n, key)| {
            Ok(WarningIngredientRow {
                warning_id: id,
                position: position(n)?,
                ingredient_key: key.to_string(),
            })
        })
        .collect::<Result<Vec<_>, TxError>>()?;
    Ok((row, ingredients))
}

/// Rebuilds a warning from its row and its ingredient rows ordered by position.
pub(crate) fn warning_from(
    row: WarningRow,
    ingredients: &[WarningIngredientRow],
) -> Result<OtcLabelWarning, TxError> {
    Ok(OtcLabelWarning {
        label_generic_name: row.label_generic_name,
        ingredients: ingredients
            .iter()
            .map(|i| parse_stored("ingredient_key", &i.ingredient_key))
            .collect::<Result<_, _>>()?,
        do_not_use: row.do_not_use,
        ask_doctor: row.ask_doctor,
        ask_doctor_or_pharmacist: row.ask_doctor_or_pharmacist,
        when_using: row.when_using,
        stop_use: row.stop_use,
        pregnancy_or_breast_feeding: row.pregnancy_or_breast_feeding,
        source: row.source,
    })
}

pub(crate) fn pregnancy_row(p: &PregnancyEntry) -> PregnancyRow {
    PregnancyRow {
        ingredient_key: p.ingredient.to_string(),
        category: <&str>::from(p.category).to_string(),
        warning: p.warning,
        who_eml_name: p.who_eml_name.clone(),
        source: p.source.clone(),
    }
}

pub(crate) fn pregnancy_from(row: PregnancyRow) -> Result<PregnancyEntry, TxError> {
    Ok(PregnancyEntry {
        ingredient: parse_stored("ingredient_key", &row.ingredient_key)?,
        category: parse_stored("category", &row.category)?,
        warning: row.warning,
        who_eml_name: row.who_eml_name,
        source: row.source,
    })
}
