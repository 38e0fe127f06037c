//! The writing half of an import: each step rewrites only what the comparison found different.

use std::collections::HashSet;

use diesel::prelude::*;
use pharmarec_domain::KnowledgeBase;

use super::{Progress, Stored};
use crate::connection::DbConnection;
use crate::diff::Diff;
use crate::error::TxError;
use crate::rows;
use crate::schema::{
    condition_terms, indications, ingredient_classes, ingredient_synonyms, ingredients,
    interactions, medicine_ingredients, medicines, otc_label_warning_ingredients,
    otc_label_warnings, pregnancy_categories,
};
use crate::tx::{self, MAX_BINDS, rows_per_batch};

/// Inserts `$rows` in batches that stay under the bind-parameter limits, reporting progress.
macro_rules! insert_batches {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr, $progress:expr) => {
        for chunk in $rows.chunks(rows_per_batch($columns)) {
            tx::insert_rows!($conn, $table, chunk)?;
            $progress.advance(chunk.len());
        }
    };
}

/// Deletes the rows of `$table` whose `$column` is in `$keys`, in batches.
macro_rules! delete_where_in {
    ($conn:expr, $table:expr, $column:expr, $keys:expr) => {
        for chunk in $keys.chunks(MAX_BINDS) {
            diesel::delete($table.filter($column.eq_any(chunk))).execute($conn)?;
        }
    };
}

/// Deletes ingredients (and their classes) that the comparison found removable.
pub(super) fn delete_ingredients(conn: &mut DbConnection, keys: &[String]) -> Result<(), TxError> {
    delete_where_in!(
        conn,
        ingredient_classes::table,
        ingredient_classes::ingredient_key,
        keys
    );
    delete_where_in!(conn, ingredients::table, ingredients::ingredient_key, keys);
    Ok(())
}

/// Empties every reference collection that differs, before ingredients may be removed.
pub(super) fn clear_changed_collections(
    conn: &mut DbConnection,
    stored: &Stored,
) -> Result<(), TxError> {
    if stored.synonyms.changed() {
        diesel::delete(ingredient_synonyms::table).execute(conn)?;
    }
    if stored.indications.changed() {
        diesel::delete(indications::table).execute(conn)?;
    }
    if stored.terms.changed() {
        diesel::delete(condition_terms::table).execute(conn)?;
    }
    if stored.interactions.changed() {
        diesel::delete(interactions::table).execute(conn)?;
    }
    if stored.warnings.changed() {
        diesel::delete(otc_label_warning_ingredients::table).execute(conn)?;
        diesel::delete(otc_label_warnings::table).execute(conn)?;
    }
    if stored.pregnancy.changed() {
        diesel::delete(pregnancy_categories::table).execute(conn)?;
    }
    Ok(())
}

/// Inserts new ingredients and rewrites changed ones (row updated in place: products refer to it).
pub(super) fn upsert_ingredients(
    conn: &mut DbConnection,
    kb: &KnowledgeBase,
    d: &Diff,
    progress: &Progress,
) -> Result<(), TxError> {
    progress.stage("ingredients", d.inserted.len() + d.updated.len());
    let mut new_rows = Vec::with_capacity(d.inserted.len());
    let mut classes = Vec::new();
    for &i in &d.inserted {
        let (row, class_rows) = rows::ingredient_rows(&kb.ingredients[i])?;
        new_rows.push(row);
        classes.extend(class_rows);
    }
    insert_batches!(conn, ingredients::table, new_rows, 5, progress);
    let updated_keys: Vec<String> = d
        .updated
        .iter()
        .map(|&i| kb.ingredients[i].key.to_string())
        .collect();
    delete_where_in!(
        conn,
        ingredient_classes::table,
        ingredient_classes::ingredient_key,
        updated_keys
    );
    for &i in &d.updated {
        let (row, class_rows) = rows::ingredient_rows(&kb.ingredients[i])?;
        diesel::update(ingredients::table.find(&row.ingredient_key))
            .set(&row)
            .execute(conn)?;
        classes.extend(class_rows);
        progress.advance(1);
    }
    insert_batches!(conn, ingredient_classes::table, classes, 4, NoAdvance);
    Ok(())
}

/// Applies the product diff: deletes `deleted`, rewrites changed products, inserts new ones.
pub(super) fn write_medicines(
    conn: &mut DbConnection,
    kb: &KnowledgeBase,
    deleted: &HashSet<String>,
    d: &Diff,
    progress: &Progress,
) -> Result<(), TxError> {
    progress.stage(
        "medicines",
        d.inserted.len() + d.updated.len() + d.removed.len(),
    );
    let deleted: Vec<&String> = deleted.iter().collect();
    delete_where_in!(
        conn,
        medicine_ingredients::table,
        medicine_ingredients::medicine_id,
        deleted
    );
    delete_where_in!(conn, medicines::table, medicines::id, deleted);
    progress.advance(d.removed.len());

    let updated_ids: Vec<String> = d
        .updated
        .iter()
        .map(|&i| kb.medicines[i].id.to_string())
        .collect();
    delete_where_in!(
        conn,
        medicine_ingredients::table,
        medicine_ingredients::medicine_id,
        updated_ids
    );
    let mut parts = Vec::new();
    for &i in &d.updated {
        let (row, own) = rows::medicine_rows(&kb.medicines[i])?;
        diesel::update(medicines::table.find(&row.id))
            .set(&row)
            .execute(conn)?;
        parts.extend(own);
        progress.advance(1);
    }
    let mut new_rows = Vec::with_capacity(d.inserted.len());
    for &i in &d.inserted {
        let (row, own) = rows::medicine_rows(&kb.medicines[i])?;
        new_rows.push(row);
        parts.extend(own);
    }
    insert_batches!(conn, medicines::table, new_rows, 14, progress);
    insert_batches!(conn, medicine_ingredients::table, parts, 5, NoAdvance);
    Ok(())
}

/// Re-inserts every reference collection that differs, whole.
pub(super) fn insert_changed_collections(
    conn: &mut DbConnection,
    kb: &KnowledgeBase,
    stored: &Stored,
    progress: &Progress,
) -> Result<(), TxError> {
    if stored.synonyms.changed() {
        progress.stage("synonyms", kb.synonyms.len());
        let rows: Vec<_> = kb.synonyms.iter().map(rows::synonym_row).collect();
        insert_batches!(conn, ingredient_synonyms::table, rows, 3, progress);
    }
    if stored.indications.changed() {
        progress.stage("indications", kb.indications.len());
        let rows: Vec<_> = kb.indications.iter().map(rows::indication_row).collect();
        insert_batches!(conn, indications::table, rows, 7, progress);
    }
    if stored.terms.changed() {
        progress.stage("condition_terms", kb.condition_terms.len());
        let rows: Vec<_> = kb.condition_terms.iter().map(rows::term_row).collect();
        insert_batches!(conn, condition_terms::table, rows, 6, progress);
    }
    if stored.interactions.changed() {
        progress.stage("interactions", kb.interactions.len());
        let rows = kb
            .interactions
            .iter()
            .map(rows::interaction_row)
            .collect::<Result<Vec<_>, _>>()?;
        insert_batches!(conn, interactions::table, rows, 10, progress);
    }
    if stored.warnings.changed() {
        progress.stage("label_warnings", kb.label_warnings.len());
        let mut warning_rows = Vec::new();
        let mut parts = Vec::new();
        for (n, warning) in kb.label_warnings.iter().enumerate() {
            let (row, own) = rows::warning_rows(rows::position(n)?, warning)?;
            warning_rows.push(row);
            parts.extend(own);
        }
        insert_batches!(conn, otc_label_warnings::table, warning_rows, 9, progress);
        insert_batches!(
            conn,
            otc_label_warning_ingredients::table,
            parts,
            3,
            NoAdvance
        );
    }
    if stored.pregnancy.changed() {
        progress.stage("pregnancy", kb.pregnancy.len());
        let rows: Vec<_> = kb.pregnancy.iter().map(rows::pregnancy_row).collect();
        insert_batches!(conn, pregnancy_categories::table, rows, 5, progress);
    }
    Ok(())
}

/// Progress target for child rows, which are counted with their parent record.
struct NoAdvance;

impl NoAdvance {
    fn advance(&self, _done: usize) {}
}
