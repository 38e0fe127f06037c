//! Whole-table and by-id reads shared by `load`, `import` (to compare before writing) and the
//! catalogue: a fixed handful of queries per call, never one per medicine.

use std::collections::HashMap;

use diesel::prelude::*;
use pharmarec_domain::{
    ConditionTerm, Indication, Ingredient, Interaction, KnowledgeBase, Medicine, OtcLabelWarning,
    PregnancyEntry, Synonym,
};

use crate::connection::DbConnection;
use crate::error::TxError;
use crate::rows::{self, ClassRow, IngredientRow, MedicineIngredientRow, MedicineRow};
use crate::schema::{
    condition_terms, indications, ingredient_classes, ingredient_synonyms, ingredients,
    interactions, medicine_ingredients, medicines, otc_label_warning_ingredients,
    otc_label_warnings, pregnancy_categories,
};

/// Which medicines to read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// Every product.
    All,
    /// Products with origin `imported` (what an import compares against).
    Imported,
    /// The given ids (a page; at most a few hundred).
    Ids(&'a [String]),
}

/// Medicines in `scope`, ordered by id, each with its ingredients in label order.
pub(crate) fn medicines(
    conn: &mut DbConnection,
    scope: Scope<'_>,
) -> Result<Vec<Medicine>, TxError> {
    let mut products = medicines::table
        .select(MedicineRow::as_select())
        .order(medicines::id)
        .into_boxed();
    let mut parts = medicine_ingredients::table
        .select(MedicineIngredientRow::as_select())
        .order((
            medicine_ingredients::medicine_id,
            medicine_ingredients::position,
        ))
        .into_boxed();
    match scope {
        Scope::All => {}
        Scope::Imported => {
            products = products.filter(medicines::origin.eq(rows::IMPORTED));
            parts = parts.filter(
                medicine_ingredients::medicine_id.eq_any(
                    medicines::table
                        .filter(medicines::origin.eq(rows::IMPORTED))
                        .select(medicines::id),
                ),
            );
        }
        Scope::Ids(ids) => {
            products = products.filter(medicines::id.eq_any(ids));
            parts = parts.filter(medicine_ingredients::medicine_id.eq_any(ids));
        }
    }
    let products = products.load(conn)?;
    let mut by_medicine: HashMap<String, Vec<MedicineIngredientRow>> = HashMap::new();
    for part in parts.load(conn)? {
        by_medicine
            .entry(part.medicine_id.clone())
            .or_default()
            .push(part);
    }
    let mut medicines = products
        .into_iter()
        .map(|row| {
            let parts = by_medicine.remove(&row.id).unwrap_or_default();
            rows::medicine_from(row, parts)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The collect reuses the buffer of the larger rows; the snapshot keeps this vector.
    medicines.shrink_to_fit();
    Ok(medicines)
}

/// Ingredients (all, or the given keys), ordered by key, with their classes.
pub(crate) fn ingredients(
    conn: &mut DbConnection,
    keys: Option<&[String]>,
) -> Result<Vec<Ingredient>, TxError> {
    let mut rows_query = ingredients::table
        .select(IngredientRow::as_select())
        .order(ingredients::ingredient_key)
        .into_boxed();
    let mut classes_query = ingredient_classes::table
        .select(ClassRow::as_select())
        .order((
            ingredient_classes::ingredient_key,
            ingredient_classes::kind,
            ingredient_classes::position,
        ))
        .into_boxed();
    if let Some(keys) = keys {
        rows_query = rows_query.filter(ingredients::ingredient_key.eq_any(keys));
        classes_query = classes_query.filter(ingredient_classes::ingredient_key.eq_any(keys));
    }
    let mut classes: HashMap<String, Vec<ClassRow>> = HashMap::new();
    for class in classes_query.load(conn)? {
        classes
            .entry(class.ingredient_key.clone())
            .or_default()
            .push(class);
    }
    rows_query
        .load(conn)?
        .into_iter()
        .map(|row| {
            let own = classes.remove(&row.ingredient_key).unwrap_or_default();
            rows::ingredient_from(row, &own)
        })
        .collect()
}

pub(crate) fn synonyms(conn: &mut DbConnection) -> Result<Vec<Synonym>, TxError> {
    ingredient_synonyms::table
        .select(rows::SynonymRow::as_select())
        .order(ingredient_synonyms::all_columns)
        .load(conn)?
        .into_iter()
        .map(rows::synonym_from)
        .collect()
}

pub(crate) fn indications(conn: &mut DbConnection) -> Result<Vec<Indication>, TxError> {
    indications::table
        .select(rows::IndicationRow::as_select())
        .order((
            indications::ingredient_key,
            indications::condition,
            indications::relation,
            indications::source,
        ))
        .load(conn)?
        .into_iter()
        .map(rows::indication_from)
        .collect()
}

pub(crate) fn condition_terms(conn: &mut DbConnection) -> Result<Vec<ConditionTerm>, TxError> {
    condition_terms::table
        .select(rows::ConditionTermRow::as_select())
        .order((
            condition_terms::term,
            condition_terms::condition,
            condition_terms::relation,
            condition_terms::source,
            condition_terms::source_id,
        ))
        .load(conn)?
        .into_iter()
        .map(rows::term_from)
        .collect()
}

pub(crate) fn interactions(conn: &mut DbConnection) -> Result<Vec<Interaction>, TxError> {
    interactions::table
        .select(rows::InteractionRow::as_select())
        .order((
            interactions::ingredient_a,
            interactions::ingredient_b,
            interactions::source,
        ))
        .load(conn)?
        .into_iter()
        .map(rows::interaction_from)
        .collect()
}

pub(crate) fn label_warnings(conn: &mut DbConnection) -> Result<Vec<OtcLabelWarning>, TxError> {
    let mut parts: HashMap<i32, Vec<rows::WarningIngredientRow>> = HashMap::new();
    for part in otc_label_warning_ingredients::table
        .select(rows::WarningIngredientRow::as_select())
        .order((
            otc_label_warning_ingredients::warning_id,
            otc_label_warning_ingredients::position,
        ))
        .load(conn)?
    {
        parts.entry(part.warning_id).or_default().push(part);
    }
    otc_label_warnings::table
        .select(rows::WarningRow::as_select())
        .order(otc_label_warnings::id)
        .load(conn)?
        .into_iter()
        .map(|row| {
            let own = parts.remove(&row.id).unwrap_or_default();
            rows::warning_from(row, &own)
        })
        .collect()
}

pub(crate) fn pregnancy(conn: &mut DbConnection) -> Result<Vec<PregnancyEntry>, TxError> {
    pregnancy_categories::table
        .select(rows::PregnancyRow::as_select())
        .order((
            pregnancy_categories::ingredient_key,
            pregnancy_categories::source,
        ))
        .load(conn)?
        .into_iter()
        .map(rows::pregnancy_from)
        .collect()
}

/// The whole knowledge base: eleven full-table queries.
pub(crate) fn knowledge(conn: &mut DbConnection) -> Result<KnowledgeBase, TxError> {
    Ok(KnowledgeBase {
        medicines: medicines(conn, Scope::All)?,
        ingredients: ingredients(conn, None)?,
        synonyms: synonyms(conn)?,
        indications: indications(conn)?,
        condition_terms: condition_terms(conn)?,
        interactions: {
            // Licensed sources sit next to the shipped ones, each row citing its own source.
            let mut all = interactions(conn)?;
            all.extend(crate::import::licensed_interactions(conn)?);
            all
        },
        label_warnings: label_warnings(conn)?,
        pregnancy: pregnancy(conn)?,
        // Rule tables ship with the code, not in the database.
        rules: pharmarec_domain::ClinicalRules::default(),
    })
}
