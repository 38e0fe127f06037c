//! Import requests and reports on the wire: the options go in the query string, the file is the
//! `text/csv` body (formats in docs/IMPORTING.md).

use pharmarec_domain::imports::{
    CatalogueImportReport, FileErrors, LicensedFormat, LicensedImportReport, LicensedSourceName,
};
use pharmarec_domain::ports::ChangeCounts;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiError, FieldError};

/// Options of `POST /api/v1/catalogue/imports`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct CatalogueImportQuery {
    /// The pharmacy the file's `quantity`, `price_minor` and `currency` columns belong to; required
    /// when any row has them.
    pub(crate) pharmacy_id: Option<Uuid>,
}

/// Layout of a licensed interaction file.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum LicensedFormatDto {
    /// `ingredient_a,ingredient_b,severity[,description,management,reference]`.
    Generic,
    /// DDInter downloads: `DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level`.
    Ddinter,
}

/// Options of `POST /api/v1/interactions/imports`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct InteractionImportQuery {
    /// Layout of the body.
    #[param(inline)]
    pub(crate) format: LicensedFormatDto,
    /// Name of the source (1-40 of a-z, 0-9, `_`, `-`); importing under an existing name replaces
    /// that source's rows, never another source's.
    #[param(pattern = r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    pub(crate) source_name: String,
    /// Label shown with every finding of this source (default: the format's, or the name).
    #[param(max_length = 200)]
    pub(crate) label: Option<String>,
    /// Where the source is published, shown after the label.
    #[param(max_length = 500)]
    pub(crate) url: Option<String>,
}

impl InteractionImportQuery {
    /// The source name and format as domain values.
    pub(crate) fn source(&self) -> Result<(LicensedSourceName, LicensedFormat), ApiError> {
        let format = match self.format {
            LicensedFormatDto::Generic => LicensedFormat::Generic,
            LicensedFormatDto::Ddinter => LicensedFormat::Ddinter,
        };
        Ok((self.source_name.parse()?, format))
    }
}

/// Counts of what an import did to one kind of record.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ChangeCountsDto {
    /// New records.
    inserted: u64,
    /// Changed records.
    updated: u64,
    /// Records already identical.
    unchanged: u64,
    /// Records removed.
    removed: u64,
}

impl From<ChangeCounts> for ChangeCountsDto {
    fn from(c: ChangeCounts) -> Self {
        Self {
            inserted: c.inserted,
            updated: c.updated,
            unchanged: c.unchanged,
            removed: c.removed,
        }
    }
}

/// What a pharmacy catalogue import did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CatalogueImportDto {
    /// Products (`LOC-<product_code>`); products absent from the file are kept.
    products: ChangeCountsDto,
    /// Stock lines of the pharmacy.
    stock: ChangeCountsDto,
    /// Catalogue version after the import (unchanged when nothing changed).
    catalogue_version: i64,
}

impl From<CatalogueImportReport> for CatalogueImportDto {
    fn from(r: CatalogueImportReport) -> Self {
        Self {
            products: r.products.into(),
            stock: r.stock.into(),
            catalogue_version: r.catalogue_version,
        }
    }
}

/// What a licensed interaction import did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InteractionImportDto {
    /// The source's name.
    source: String,
    /// This source's interaction rows.
    interactions: ChangeCountsDto,
    /// Rows naming a drug PharmaRec does not know (or one drug twice): not imported.
    unmatched_rows: u64,
    /// Drug names not found, sorted (at most 50).
    unmatched_names: Vec<String>,
    /// Catalogue version after the import (unchanged when nothing changed).
    catalogue_version: i64,
}

impl From<LicensedImportReport> for InteractionImportDto {
    fn from(r: LicensedImportReport) -> Self {
        Self {
            source: r.source,
            interactions: r.interactions.into(),
            unmatched_rows: r.unmatched_rows,
            unmatched_names: r.unmatched_names,
            catalogue_version: r.catalogue_version,
        }
    }
}

/// A refused file as `422 validation_failed`, one detail per bad line (`line 7`, or `file`).
pub(crate) fn file_errors(errors: FileErrors) -> ApiError {
    let mut details: Vec<FieldError> = errors
        .errors
        .into_iter()
        .map(|e| FieldError {
            field: match e.line {
                0 => "file".to_owned(),
                line => format!("line {line}"),
            },
            reason: e.reason,
        })
        .collect();
    if errors.more > 0 {
        details.push(FieldError {
            field: "file".to_owned(),
            reason: format!("and {} more bad rows", errors.more),
        });
    }
    ApiError::Validation(details)
}
