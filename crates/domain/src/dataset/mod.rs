//! Parses the shipped dataset (`data/*.csv`, described in `data/README.md`) into a [`KnowledgeBase`].
//!
//! No I/O here: the caller opens each file through a [`DatasetSource`] (a directory, bytes embedded in
//! the binary, or test fixtures). Parsing is all-or-nothing: the first malformed row stops it with the
//! file, line and reason, so an import never sees half a dataset.

mod label_age;
mod rows;
mod rule_rows;
mod rules;

pub use label_age::LABEL_FILE;
pub use rules::{MAX_PREGNANCY_WEEK, RULE_FILES, parse_rules};

use std::collections::HashSet;
use std::io::Read;

use serde::de::DeserializeOwned;

use crate::{IngredientKey, KnowledgeBase};

/// The dataset files PharmaRec loads, in load order (ingredients first: the others refer to them).
pub const DATASET_FILES: [&str; 9] = [
    "ingredients.csv",
    "ingredient_synonyms.csv",
    "medicines.csv",
    "indications.csv",
    "condition_vocabulary.csv",
    "interactions.csv",
    "interactions_ansm.csv",
    "otc_label_warnings.csv",
    "pregnancy_categories.csv",
];

/// Names and editions of the sources behind the shipped dataset, for provenance in every answer.
pub const DATASET_SOURCES: [&str; 8] = [
    "FDA Orange Book (products.txt, 8 Nov 2024)",
    "DrugCentral 2016 (CC BY 4.0)",
    "PharmacotherapyDB 1.0 (CC0)",
    "VA NDF-RT and ONC interaction lists via Merged-PDDI (Ayvaz et al. 2015)",
    "ANSM, Thésaurus des interactions médicamenteuses, version du 20 octobre 2020",
    "openFDA OTC drug labels",
    "GNU Health WHO essential medicines 5.0.4 (GPL-3.0-or-later)",
    "Human Disease Ontology, Symptom Ontology, Mondo mappings",
];

/// Opens dataset files by name.
pub trait DatasetSource {
    /// A reader over the named file's bytes.
    ///
    /// # Errors
    /// [`DatasetError`] when the file is missing or unreadable.
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError>;
}

/// Why the dataset could not be parsed: which file and line, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct DatasetError {
    /// File name, e.g. `medicines.csv`.
    pub file: String,
    /// 1-based line number (0 when the whole file is at fault).
    pub line: u64,
    /// What is wrong, lower case.
    pub reason: String,
}

impl DatasetError {
    /// An error about a whole file (missing, unreadable).
    pub fn file(file: &str, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            line: 0,
            reason: reason.into(),
        }
    }
}

/// Parses every file of [`DATASET_FILES`] from `source` and checks that every ingredient referred to
/// exists in `ingredients.csv`.
///
/// # Errors
/// The first [`DatasetError`]: a missing file, a malformed row, or a dangling ingredient reference.
pub fn parse(source: &dyn DatasetSource) -> Result<KnowledgeBase, DatasetError> {
    let ingredients = read_rows(source, "ingredients.csv", rows::IngredientRow::into_domain)?;
    let known: HashSet<IngredientKey> = ingredients.iter().map(|(_, i)| i.key.clone()).collect();
    let check = Refs { known: &known };
    let kb = KnowledgeBase {
        ingredients: ingredients.into_iter().map(|(_, i)| i).collect(),
        synonyms: check.all(
            "ingredient_synonyms.csv",
            read_rows(
                source,
                "ingredient_synonyms.csv",
                rows::SynonymRow::into_domain,
            )?,
            |s| vec![&s.ingredient],
        )?,
        medicines: check.all(
            "medicines.csv",
            read_rows(source, "medicines.csv", rows::MedicineRow::into_domain)?,
            |m| m.ingredient_keys().collect(),
        )?,
        indications: check.all(
            "indications.csv",
            read_rows(source, "indications.csv", rows::IndicationRow::into_domain)?,
            |i| vec![&i.ingredient],
        )?,
        condition_terms: read_rows(
            source,
            "condition_vocabulary.csv",
            rows::ConditionTermRow::into_domain,
        )?
        .into_iter()
        .map(|(_, t)| t)
        .collect(),
        interactions: {
            let mut all = check.all(
                "interactions.csv",
                read_rows(source, "interactions.csv", rows::PddiRow::into_domain)?,
                |i| vec![i.pair.first(), i.pair.second()],
            )?;
            all.extend(check.all(
                "interactions_ansm.csv",
                read_rows(source, "interactions_ansm.csv", rows::AnsmRow::into_domain)?,
                |i| vec![i.pair.first(), i.pair.second()],
            )?);
            all
        },
        label_warnings: check.all(
            "otc_label_warnings.csv",
            read_rows(
                source,
                "otc_label_warnings.csv",
                rows::LabelRow::into_domain,
            )?,
            |w| w.ingredients.iter().collect(),
        )?,
        pregnancy: check.all(
            "pregnancy_categories.csv",
            read_rows(
                source,
                "pregnancy_categories.csv",
                rows::PregnancyRow::into_domain,
            )?,
            |p| vec![&p.ingredient],
        )?,
        // Not part of the import: the caller adds them with `parse_rules`.
        rules: crate::ClinicalRules::default(),
    };
    Ok(kb)
}

/// Reads a CSV file into domain values, keeping each value's line number for later checks.
fn read_rows<R: DeserializeOwned, T>(
    source: &dyn DatasetSource,
    file: &str,
    convert: impl Fn(R) -> Result<T, String>,
) -> Result<Vec<(u64, T)>, DatasetError> {
    let reader = source.open(file)?;
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(reader);
    let headers = csv.headers().map_err(|e| at(file, &e))?.clone();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(|e| at(file, &e))? {
        let line = record.position().map_or(0, csv::Position::line);
        let row: R = record
            .deserialize(Some(&headers))
            .map_err(|e| DatasetError {
                file: file.to_string(),
                line,
                reason: csv_reason(&e),
            })?;
        let value = convert(row).map_err(|reason| DatasetError {
            file: file.to_string(),
            line,
            reason,
        })?;
        out.push((line, value));
    }
    Ok(out)
}

fn at(file: &str, error: &csv::Error) -> DatasetError {
    let line = error.position().map_or(0, csv::Position::line);
    DatasetError {
        file: file.to_string(),
        line,
        reason: csv_reason(error),
    }
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Referential check: every ingredient a row names must exist in `ingredients.csv`.
struct Refs<'a> {
    known: &'a HashSet<IngredientKey>,
}

impl Refs<'_> {
    fn all<T>(
        &self,
        file: &str,
        rows: Vec<(u64, T)>,
        keys: impl Fn(&T) -> Vec<&IngredientKey>,
    ) -> Result<Vec<T>, DatasetError> {
        rows.into_iter()
            .map(|(line, row)| {
                if let Some(missing) = keys(&row).into_iter().find(|k| !self.known.contains(*k)) {
                    return Err(DatasetError {
                        file: file.to_string(),
                        line,
                        reason: format!("unknown ingredient '{missing}' (not in ingredients.csv)"),
                    });
                }
                Ok(row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
