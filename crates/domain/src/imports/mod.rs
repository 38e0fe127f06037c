//! Files a user brings: a pharmacy's own product list and interaction knowledge they licence.
//!
//! Parsing is pure and complete before anything is written: every row is checked, every bad row is
//! reported with its line (up to [`MAX_REPORTED_ERRORS`]), and a file with any bad row is refused
//! whole. The formats are documented in `docs/IMPORTING.md`; the repository resolves ingredient names
//! and writes in one transaction.

mod catalogue_file;
mod licensed;
mod table;

pub use catalogue_file::{CatalogueFile, CatalogueRow, StockLine, parse_catalogue};
pub use licensed::{
    LicensedFormat, LicensedImport, LicensedRow, LicensedSourceName, parse_licensed,
};

use serde::{Deserialize, Serialize};

use crate::ports::ChangeCounts;

/// Most row errors one report lists; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 50;

/// One bad row: its 1-based line in the file and why it was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line (the header is line 1; 0 when the whole file is at fault).
    pub line: u64,
    /// Why, lower case.
    pub reason: String,
}

/// Why a file was refused: its bad rows, in line order, and how many more were not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.summary())]
pub struct FileErrors {
    /// The first [`MAX_REPORTED_ERRORS`] bad rows.
    pub errors: Vec<RowError>,
    /// Bad rows beyond those.
    pub more: usize,
}

impl FileErrors {
    /// Collects row errors, keeping the first [`MAX_REPORTED_ERRORS`].
    pub fn push(&mut self, line: u64, reason: impl Into<String>) {
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(RowError {
                line,
                reason: reason.into(),
            });
        } else {
            self.more += 1;
        }
    }

    /// A whole-file error (bad header, unreadable bytes).
    pub(crate) fn whole(reason: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.push(0, reason);
        errors
    }

    /// `Ok(value)` when no row was refused, else these errors in line order.
    ///
    /// # Errors
    /// `self`, when it holds any row error.
    pub fn or<T>(mut self, value: T) -> Result<T, Self> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            self.errors.sort_by_key(|e| e.line);
            Err(self)
        }
    }

    fn summary(&self) -> String {
        let mut text: Vec<String> = self
            .errors
            .iter()
            .map(|e| match e.line {
                0 => e.reason.clone(),
                line => format!("line {line}: {}", e.reason),
            })
            .collect();
        if self.more > 0 {
            text.push(format!("and {} more bad rows", self.more));
        }
        format!("nothing was imported: {}", text.join("; "))
    }
}

impl From<FileErrors> for crate::DomainError {
    fn from(errors: FileErrors) -> Self {
        Self::invalid("file", errors.to_string())
    }
}

/// What a pharmacy catalogue import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueImportReport {
    /// Products, by id (`LOC-<product_code>`); products absent from the file are kept.
    pub products: ChangeCounts,
    /// The pharmacy's stock lines written from the price and stock columns.
    pub stock: ChangeCounts,
    /// Catalogue version after the import (unchanged when nothing changed).
    pub catalogue_version: i64,
}

/// What a licensed interaction import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicensedImportReport {
    /// The source's name.
    pub source: String,
    /// Interaction rows of this source (those no longer in the file count as removed).
    pub interactions: ChangeCounts,
    /// Rows naming a drug PharmaRec does not know, or pairing a drug with itself: not imported.
    pub unmatched_rows: u64,
    /// Drug names not found among ingredient keys or synonyms, sorted (at most 50).
    pub unmatched_names: Vec<String>,
    /// Catalogue version after the import (unchanged when nothing changed).
    pub catalogue_version: i64,
}
