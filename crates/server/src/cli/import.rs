//! `pharmarec import [--dir DIR]`: load the dataset in one transaction, report what changed.

use std::io::Write;
use std::path::PathBuf;

use pharmarec_domain::ports::ImportReport;

use super::progress::TerminalProgress;
use crate::database;
use crate::dataset::{DirectoryDataset, EmbeddedDataset};
use crate::knowledge_refresh::import_dataset;
use crate::settings::Settings;

/// Imports the embedded dataset, or the one in `dir`, and writes a summary to `out`.
///
/// # Errors
/// A malformed row (reported with file, line and reason) or a database failure; in both cases the
/// database is left as it was.
pub async fn import(
    settings: &Settings,
    dir: Option<PathBuf>,
    out: &mut dyn Write,
) -> anyhow::Result<ImportReport> {
    // Import needs the schema; a fresh database gets its migrations first.
    let progress = TerminalProgress::new();
    let sink = &progress;
    let report = database::with_database(&settings.database, true, |db| async move {
        match dir {
            Some(dir) => import_dataset(&db, DirectoryDataset(dir), sink).await,
            None => import_dataset(&db, EmbeddedDataset, sink).await,
        }
    })
    .await;
    progress.finish();
    let report = report?;
    write_summary(&report, out)?;
    Ok(report)
}

fn write_summary(report: &ImportReport, out: &mut dyn Write) -> std::io::Result<()> {
    if !report.changed() {
        return writeln!(
            out,
            "nothing changed: the database already holds this catalogue (version {})",
            report.catalogue_version
        );
    }
    for (what, c) in [
        ("medicines", &report.medicines),
        ("reference knowledge", &report.reference),
    ] {
        writeln!(
            out,
            "{what}: {} inserted, {} updated, {} unchanged, {} removed",
            c.inserted, c.updated, c.unchanged, c.removed
        )?;
    }
    writeln!(out, "catalogue version: {}", report.catalogue_version)
}
