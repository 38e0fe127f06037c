//! `KnowledgeStore::import`: compare the stored knowledge with the incoming one, then, in the same
//! transaction, rewrite only what differs.
//!
//! Policy:
//! * Reference collections (synonyms, indications, condition terms, interactions, label warnings,
//!   pregnancy) are compared as sets; one that differs is deleted and re-inserted whole.
//! * Ingredients and imported products are upserted by key / source id. Local products, pharmacies
//!   and stock are never read for writing, let alone touched.
//! * An imported product no longer in the source is deleted unless a stock line references it; then
//!   it is kept (counted as `unchanged`, logged) so no pharmacy loses a line. Likewise an ingredient
//!   no longer in the source is kept while a remaining product contains it.
//! * Nothing changed: nothing is written and the catalogue version stays; otherwise it is bumped once
//!   and one `catalogue.import` audit event (the report as `after`, the new catalogue version as
//!   entity id) is recorded in the same transaction. Reference data is not audited row by row.

mod licensed;
mod pharmacy_catalogue;
mod port;
mod resolve;
mod write;

pub(crate) use licensed::read_all as licensed_interactions;
pub(crate) use port::with_progress;

use std::collections::HashSet;

use diesel::prelude::*;
use pharmarec_domain::ports::ImportReport;
use pharmarec_domain::{AuditAction, AuditContext, DomainError, KnowledgeBase, MedicineOrigin};
use tokio::sync::mpsc::UnboundedSender;

use crate::audit;
use crate::audit::snapshot::ImportReportV1;
use crate::connection::DbConnection;
use crate::diff::{Diff, diff, sum};
use crate::error::TxError;
use crate::read::{self, Scope};
use crate::schema::{medicine_ingredients, stock_levels};
use crate::tx::{self, MAX_BINDS};

/// A progress report sent from the blocking import to the async caller's sink.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ProgressEvent {
    Stage(&'static str, u64),
    Advance(u64),
}

/// The sending half of the progress channel.
pub(crate) struct Progress(pub(crate) UnboundedSender<ProgressEvent>);

impl Progress {
    fn stage(&self, name: &'static str, total: usize) {
        // A closed channel means the caller stopped listening; the import itself must go on.
        let _ = self.0.send(ProgressEvent::Stage(name, total as u64));
    }

    fn advance(&self, done: usize) {
        let _ = self.0.send(ProgressEvent::Advance(done as u64));
    }
}

/// The stored knowledge an import compares against.
pub(super) struct Stored {
    pub(super) ingredients: Vec<pharmarec_domain::Ingredient>,
    pub(super) medicines: Vec<pharmarec_domain::Medicine>,
    pub(super) synonyms: Diff,
    pub(super) indications: Diff,
    pub(super) terms: Diff,
    pub(super) interactions: Diff,
    pub(super) warnings: Diff,
    pub(super) pregnancy: Diff,
}

/// Runs the whole import in one transaction; any error rolls everything back.
pub(crate) fn import(
    conn: &mut DbConnection,
    kb: &KnowledgeBase,
    progress: &Progress,
    ctx: &AuditContext,
) -> Result<ImportReport, TxError> {
    check_products(kb)?;
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        let stored = compare(conn, kb)?;
        let mut medicine_diff = diff(&stored.medicines, &kb.medicines, |m| m.id.clone());
        let stocked = stocked(conn, &removed_ids(&stored.medicines, &medicine_diff))?;
        let kept_medicines =
            medicine_diff.keep(|j| stocked.contains(stored.medicines[j].id.as_str()));
        let deleted: HashSet<String> = removed_ids(&stored.medicines, &medicine_diff)
            .into_iter()
            .collect();
        let mut ingredient_diff = diff(&stored.ingredients, &kb.ingredients, |i| i.key.clone());
        let used = still_used(
            conn,
            &removed_keys(&stored.ingredients, &ingredient_diff),
            &deleted,
        )?;
        let kept_ingredients =
            ingredient_diff.keep(|j| used.contains(stored.ingredients[j].key.as_str()));
        let collections = [
            &stored.synonyms,
            &stored.indications,
            &stored.terms,
            &stored.interactions,
            &stored.warnings,
            &stored.pregnancy,
        ];
        let reference = sum(collections
            .iter()
            .map(|d| d.counts())
            .chain([ingredient_diff.counts()]));
        let medicines = medicine_diff.counts();
        if kept_medicines + kept_ingredients > 0 {
            tracing::info!(
                kept_medicines,
                kept_ingredients,
                "records gone from the source were kept because stock or products still use them"
            );
        }
        if !ingredient_diff.changed()
            && !medicine_diff.changed()
            && collections.iter().all(|d| !d.changed())
        {
            return Ok(ImportReport {
                medicines,
                reference,
                catalogue_version: tx::catalogue_version(conn)?,
            });
        }
        write::clear_changed_collections(conn, &stored)?;
        write::upsert_ingredients(conn, kb, &ingredient_diff, progress)?;
        write::write_medicines(conn, kb, &deleted, &medicine_diff, progress)?;
        write::delete_ingredients(conn, &removed_keys(&stored.ingredients, &ingredient_diff))?;
        write::insert_changed_collections(conn, kb, &stored, progress)?;
        let report = ImportReport {
            medicines,
            reference,
            catalogue_version: tx::bump_version(conn)?,
        };
        let version = report.catalogue_version.to_string();
        let after = audit::snapshot(&ImportReportV1::from(&report))?;
        audit::record(
            conn,
            ctx,
            AuditAction::CatalogueImport,
            &version,
            None,
            Some(after),
        )?;
        Ok(report)
    })
}

fn removed_ids(stored: &[pharmarec_domain::Medicine], d: &Diff) -> Vec<String> {
    d.removed
        .iter()
        .map(|&j| stored[j].id.to_string())
        .collect()
}

fn removed_keys(stored: &[pharmarec_domain::Ingredient], d: &Diff) -> Vec<String> {
    d.removed
        .iter()
        .map(|&j| stored[j].key.to_string())
        .collect()
}

/// Which of `ids` a stock line references.
fn stocked(conn: &mut DbConnection, ids: &[String]) -> Result<HashSet<String>, TxError> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(MAX_BINDS) {
        let some: Vec<String> = stock_levels::table
            .filter(stock_levels::medicine_id.eq_any(chunk))
            .select(stock_levels::medicine_id)
            .distinct()
            .load(conn)?;
        found.extend(some);
    }
    Ok(found)
}

/// Which of `keys` a product that survives this import (not in `deleted`) contains.
fn still_used(
    conn: &mut DbConnection,
    keys: &[String],
    deleted: &HashSet<String>,
) -> Result<HashSet<String>, TxError> {
    let mut used = HashSet::new();
    for chunk in keys.chunks(MAX_BINDS) {
        let pairs: Vec<(String, String)> = medicine_ingredients::table
            .filter(medicine_ingredients::ingredient_key.eq_any(chunk))
            .select((
                medicine_ingredients::medicine_id,
                medicine_ingredients::ingredient_key,
            ))
            .load(conn)?;
        used.extend(
            pairs
                .into_iter()
                .filter(|(m, _)| !deleted.contains(m))
                .map(|(_, k)| k),
        );
    }
    Ok(used)
}

/// Rejects products the import may not write: local ones, and ones naming unknown ingredients.
fn check_products(kb: &KnowledgeBase) -> Result<(), DomainError> {
    let known: HashSet<&str> = kb.ingredients.iter().map(|i| i.key.as_str()).collect();
    for medicine in &kb.medicines {
        if medicine.origin == MedicineOrigin::Local {
            return Err(DomainError::invalid(
                "medicines",
                format!(
                    "{} is a local product; an import carries imported ones only",
                    medicine.id
                ),
            ));
        }
        if let Some(unknown) = medicine
            .ingredient_keys()
            .find(|k| !known.contains(k.as_str()))
        {
            return Err(DomainError::invalid(
                "medicines",
                format!("{} names unknown ingredient '{unknown}'", medicine.id),
            ));
        }
    }
    Ok(())
}

/// Reads what is stored and compares each reference collection with the incoming one.
fn compare(conn: &mut DbConnection, kb: &KnowledgeBase) -> Result<Stored, TxError> {
    Ok(Stored {
        ingredients: read::ingredients(conn, None)?,
        medicines: read::medicines(conn, Scope::Imported)?,
        synonyms: diff(&read::synonyms(conn)?, &kb.synonyms, |s| {
            (s.ingredient.clone(), s.synonym.clone(), s.source.clone())
        }),
        indications: diff(&read::indications(conn)?, &kb.indications, |i| {
            (
                i.ingredient.clone(),
                i.condition.clone(),
                i.relation,
                i.source.clone(),
            )
        }),
        terms: diff(&read::condition_terms(conn)?, &kb.condition_terms, |t| {
            (
                t.term.clone(),
                t.condition.clone(),
                t.relation,
                t.source.clone(),
                t.source_id.clone(),
            )
        }),
        interactions: diff(&read::interactions(conn)?, &kb.interactions, |i| {
            (i.pair.clone(), i.source.clone())
        }),
        // Warnings have no natural key: the whole record is its key.
        warnings: diff(&read::label_warnings(conn)?, &kb.label_warnings, |w| {
            serde_json::to_string(w).unwrap_or_default()
        }),
        pregnancy: diff(&read::pregnancy(conn)?, &kb.pregnancy, |p| {
            (p.ingredient.clone(), p.source.clone())
        }),
    })
}
