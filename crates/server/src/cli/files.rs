//! `pharmarec import-catalogue` and `pharmarec import-interactions`: files a user brings, parsed and
//! validated whole before one transaction writes them (formats in docs/IMPORTING.md).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use pharmarec_domain::PharmacyId;
use pharmarec_domain::imports::{
    CatalogueImportReport, FileErrors, LicensedFormat, LicensedImport, LicensedImportReport,
    LicensedSourceName, parse_catalogue, parse_licensed,
};
use pharmarec_domain::ports::{ChangeCounts, KnowledgeImports};
use pharmarec_domain::{AuditContext, DomainError};
use pharmarec_repository::Database;

use super::progress::TerminalProgress;
use crate::database;
use crate::settings::Settings;

/// What `import-interactions` was asked to import.
#[derive(Debug, Clone)]
pub struct LicensedFiles {
    /// Layout of every file.
    pub format: LicensedFormat,
    /// Name of the source.
    pub name: LicensedSourceName,
    /// Label shown with its findings.
    pub label: Option<String>,
    /// Where it is published.
    pub url: Option<String>,
    /// The files, read as one source (DDInter publishes one file per ATC group).
    pub files: Vec<PathBuf>,
}

/// Imports a pharmacy's product list from `file` (stock and prices for `pharmacy`).
///
/// # Errors
/// Every bad line (`FILE: line N: reason`), an unknown ingredient or pharmacy, or a database failure;
/// the database is then unchanged.
pub async fn import_catalogue(
    settings: &Settings,
    file: &Path,
    pharmacy: Option<PharmacyId>,
    out: &mut dyn Write,
) -> anyhow::Result<CatalogueImportReport> {
    let parsed = parse_catalogue(open(file)?, pharmacy).map_err(|e| refused(file, &e))?;
    let report = write(settings, async move |db, sink| {
        db.import_catalogue(parsed, sink, &AuditContext::cli())
            .await
    })
    .await?;
    counts(out, "products", &report.products)?;
    if pharmacy.is_some() {
        counts(out, "stock lines", &report.stock)?;
    }
    writeln!(out, "catalogue version: {}", report.catalogue_version)?;
    Ok(report)
}

/// Imports licensed interaction files as one source.
///
/// # Errors
/// Every bad line of every file, a pair stated twice, or a database failure; the database is then
/// unchanged.
pub async fn import_interactions(
    settings: &Settings,
    request: LicensedFiles,
    out: &mut dyn Write,
) -> anyhow::Result<LicensedImportReport> {
    let mut rows = Vec::new();
    for file in &request.files {
        rows.extend(parse_licensed(request.format, open(file)?).map_err(|e| refused(file, &e))?);
    }
    let import = LicensedImport::new(
        request.name,
        request.format,
        request.label,
        request.url,
        rows,
    )?;
    let report = write(settings, async move |db, sink| {
        db.import_interactions(import, sink, &AuditContext::cli())
            .await
    })
    .await?;
    counts(
        out,
        &format!("interactions of {}", report.source),
        &report.interactions,
    )?;
    if report.unmatched_rows > 0 {
        writeln!(
            out,
            "{} rows name a drug PharmaRec does not know and were not imported, e.g. {}",
            report.unmatched_rows,
            report.unmatched_names.join(", ")
        )?;
    }
    writeln!(out, "catalogue version: {}", report.catalogue_version)?;
    Ok(report)
}

/// Opens the database (migrating a fresh one), runs `work` with a progress bar, then closes it.
async fn write<T>(
    settings: &Settings,
    work: impl AsyncFnOnce(Database, &TerminalProgress) -> Result<T, DomainError>,
) -> anyhow::Result<T> {
    let progress = TerminalProgress::new();
    let sink = &progress;
    let result = database::with_database(&settings.database, true, |db| async move {
        work(db, sink)
            .await
            .context("import failed; the database is unchanged")
    })
    .await;
    progress.finish();
    result
}

fn open(file: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))
}

/// Names the file in front of each bad line.
fn refused(file: &Path, errors: &FileErrors) -> anyhow::Error {
    anyhow::anyhow!("{}: {errors}", file.display())
}

fn counts(out: &mut dyn Write, what: &str, c: &ChangeCounts) -> std::io::Result<()> {
    if !c.changed() {
        return writeln!(out, "{what}: nothing changed ({} unchanged)", c.unchanged);
    }
    writeln!(
        out,
        "{what}: {} inserted, {} updated, {} unchanged, {} removed",
        c.inserted, c.updated, c.unchanged, c.removed
    )
}
