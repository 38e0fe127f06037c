//! Licensed interaction sources: each import replaces one named source's rows, never another's.
//!
//! Drug names are joined to ingredient keys (or unambiguous synonyms); rows naming a drug PharmaRec
//! does not know are counted and listed, not imported (no basket can hold such a drug). Two lines
//! stating the same pair are an error in the generic format; in DDInter's (whose per-ATC files
//! repeat pairs) the most severe statement is kept and the levels are joined.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;
use pharmarec_domain::imports::{FileErrors, LicensedFormat, LicensedImport, LicensedImportReport};
use pharmarec_domain::ports::ChangeCounts;
use pharmarec_domain::{
    AuditAction, AuditContext, DomainError, IngredientPair, Interaction, InteractionSource,
};

use super::Progress;
use super::resolve::Resolver;
use crate::audit::{self, snapshot::LicensedImportV1};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::rows::{self, parse_stored};
use crate::schema::{licensed_interactions, licensed_sources};
use crate::tx::{self, rows_per_batch};

/// Most unmatched names a report lists.
const MAX_UNMATCHED_NAMES: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = licensed_interactions, treat_none_as_default_value = false)]
pub(crate) struct LicensedRowDb {
    source_name: String,
    ingredient_a: String,
    ingredient_b: String,
    severity: String,
    original_level: String,
    description: Option<String>,
    management: Option<String>,
    source_ids: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = licensed_sources, treat_none_as_default_value = false)]
struct SourceRow {
    name: String,
    format: String,
    label: String,
    url: Option<String>,
    imported_at: chrono::NaiveDateTime,
}

/// Every licensed interaction, each citing its own source (for the engine snapshot).
pub(crate) fn read_all(conn: &mut DbConnection) -> Result<Vec<Interaction>, TxError> {
    let sources: HashMap<String, InteractionSource> = licensed_sources::table
        .select(SourceRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|s| {
            let import = LicensedImport {
                name: parse_stored("source_name", &s.name)?,
                format: parse_stored("format", &s.format)?,
                label: s.label,
                url: s.url,
                rows: Vec::new(),
            };
            Ok((s.name, import.source()))
        })
        .collect::<Result<_, TxError>>()?;
    licensed_interactions::table
        .select(LicensedRowDb::as_select())
        .order((
            licensed_interactions::source_name,
            licensed_interactions::ingredient_a,
            licensed_interactions::ingredient_b,
        ))
        .load(conn)?
        .into_iter()
        .filter_map(|row| {
            let source = sources.get(&row.source_name)?.clone();
            Some(interaction_from(row, source))
        })
        .collect()
}

fn interaction_from(row: LicensedRowDb, source: InteractionSource) -> Result<Interaction, TxError> {
    let (pair, severity) =
        rows::stored_statement(&row.ingredient_a, &row.ingredient_b, &row.severity)?;
    Ok(Interaction {
        pair,
        severity,
        source,
        source_ids: serde_json::from_str(&row.source_ids)?,
        original_level: Some(row.original_level),
        class_a: None,
        class_b: None,
        description: row.description,
        management: row.management,
    })
}

/// Imports one licensed source in one transaction; see the module doc.
pub(crate) fn import(
    conn: &mut DbConnection,
    import: &LicensedImport,
    progress: &Progress,
    ctx: &AuditContext,
) -> Result<LicensedImportReport, TxError> {
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        let resolver = Resolver::load(conn)?;
        let name = import.name.as_str().to_string();
        let mut report = LicensedImportReport {
            source: name.clone(),
            ..LicensedImportReport::default()
        };
        let incoming = resolve(import, &resolver, &mut report)?;
        let stored_source: Option<SourceRow> = licensed_sources::table
            .find(&name)
            .select(SourceRow::as_select())
            .first(conn)
            .optional()?;
        let stored: BTreeMap<(String, String), LicensedRowDb> = licensed_interactions::table
            .filter(licensed_interactions::source_name.eq(&name))
            .select(LicensedRowDb::as_select())
            .load(conn)?
            .into_iter()
            .map(|r| ((r.ingredient_a.clone(), r.ingredient_b.clone()), r))
            .collect();
        report.interactions = counts(&stored, &incoming);
        let format: &str = import.format.into();
        let same_source = stored_source.as_ref().is_some_and(|s| {
            (s.format.as_str(), &s.label, &s.url) == (format, &import.label, &import.url)
        });
        if same_source && !report.interactions.changed() {
            report.catalogue_version = tx::catalogue_version(conn)?;
            return Ok(report);
        }
        diesel::delete(
            licensed_interactions::table.filter(licensed_interactions::source_name.eq(&name)),
        )
        .execute(conn)?;
        diesel::delete(licensed_sources::table.find(&name)).execute(conn)?;
        diesel::insert_into(licensed_sources::table)
            .values(SourceRow {
                name: name.clone(),
                format: format.to_string(),
                label: import.label.clone(),
                url: import.url.clone(),
                imported_at: tx::now(),
            })
            .execute(conn)?;
        let rows: Vec<LicensedRowDb> = incoming.into_values().collect();
        progress.stage("licensed interactions", rows.len());
        for chunk in rows.chunks(rows_per_batch(8)) {
            tx::insert_rows!(conn, licensed_interactions::table, chunk)?;
            progress.advance(chunk.len());
        }
        report.catalogue_version = tx::bump_version(conn)?;
        let after = audit::snapshot(&LicensedImportV1::from(&report))?;
        audit::record(
            conn,
            ctx,
            AuditAction::LicensedInteractionsImport,
            &name,
            None,
            Some(after),
        )?;
        Ok(report)
    })
}

/// The file's rows joined to ingredient keys, one per pair; unmatched rows counted in `report`.
fn resolve(
    import: &LicensedImport,
    resolver: &Resolver,
    report: &mut LicensedImportReport,
) -> Result<BTreeMap<(String, String), LicensedRowDb>, TxError> {
    let mut unmatched = BTreeSet::new();
    let mut out: BTreeMap<(String, String), (u64, LicensedRowDb)> = BTreeMap::new();
    let mut errors = FileErrors::default();
    for row in &import.rows {
        let (a, b) = (resolver.resolve(&row.drug_a), resolver.resolve(&row.drug_b));
        for (name, key) in [(&row.drug_a, &a), (&row.drug_b, &b)] {
            if key.is_none() {
                unmatched.insert(name.clone());
            }
        }
        // Two names of one ingredient (a salt and its base) make no pair.
        let Some(pair) = a.zip(b).and_then(|(a, b)| IngredientPair::new(a, b).ok()) else {
            report.unmatched_rows += 1;
            continue;
        };
        let key = (pair.first().to_string(), pair.second().to_string());
        let db = LicensedRowDb {
            source_name: import.name.as_str().to_string(),
            ingredient_a: key.0.clone(),
            ingredient_b: key.1.clone(),
            severity: <&str>::from(row.severity).to_string(),
            original_level: row.original_level.clone(),
            description: row.description.clone(),
            management: row.management.clone(),
            source_ids: serde_json::to_string(&row.source_ids)?,
        };
        match out.get_mut(&key) {
            None => {
                out.insert(key, (row.line, db));
            }
            Some((first, _)) if import.format == LicensedFormat::Generic => errors.push(
                row.line,
                format!("{} + {} already stated on line {first}", key.0, key.1),
            ),
            Some((_, kept)) => keep_most_severe(kept, db, row.severity)?,
        }
    }
    errors.or(()).map_err(DomainError::from)?;
    report.unmatched_names = unmatched.into_iter().take(MAX_UNMATCHED_NAMES).collect();
    Ok(out.into_iter().map(|(k, (_, row))| (k, row)).collect())
}

/// Merges a repeated DDInter pair into the kept row: the most severe level wins, every level shown.
fn keep_most_severe(
    kept: &mut LicensedRowDb,
    repeat: LicensedRowDb,
    severity: pharmarec_domain::Severity,
) -> Result<(), TxError> {
    let kept_severity: pharmarec_domain::Severity = parse_stored("severity", &kept.severity)?;
    if repeat.original_level != kept.original_level
        && !kept
            .original_level
            .split("; ")
            .any(|l| l == repeat.original_level)
    {
        kept.original_level = format!("{}; {}", kept.original_level, repeat.original_level);
    }
    if severity > kept_severity {
        kept.severity = repeat.severity;
    }
    Ok(())
}

fn counts(
    stored: &BTreeMap<(String, String), LicensedRowDb>,
    incoming: &BTreeMap<(String, String), LicensedRowDb>,
) -> ChangeCounts {
    let mut counts = ChangeCounts::default();
    for (key, row) in incoming {
        match stored.get(key) {
            None => counts.inserted += 1,
            Some(old) if old == row => counts.unchanged += 1,
            Some(_) => counts.updated += 1,
        }
    }
    counts.removed = stored.keys().filter(|k| !incoming.contains_key(*k)).count() as u64;
    counts
}
