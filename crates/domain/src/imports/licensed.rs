//! Interaction knowledge a user licenses: a generic CSV and DDInter's download layout
//! (`docs/IMPORTING.md`). Nothing of DDInter ships with PharmaRec; each import is its own source.

use std::io::Read;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

use super::FileErrors;
use super::table::{self, Cells};
use crate::{DomainError, InteractionSource, LicensedSource, Severity};

/// The layout of a licensed interaction file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum LicensedFormat {
    /// `ingredient_a,ingredient_b,severity[,description,management,reference]`.
    Generic,
    /// DDInter 2.0 downloads: `DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level`.
    Ddinter,
}

/// The name a licensed source is stored and shown under: 1-40 of `a-z`, `0-9`, `_`, `-`, starting
/// with a letter or digit, and not a shipped source's tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LicensedSourceName(String);

impl LicensedSourceName {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LicensedSourceName {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let well_formed = (1..=40).contains(&value.len())
            && value
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !well_formed {
            return Err(DomainError::invalid(
                "source_name",
                "must be 1-40 of a-z, 0-9, '_' or '-', starting with a letter or digit",
            ));
        }
        if InteractionSource::SHIPPED_TAGS.contains(&value.as_str()) {
            return Err(DomainError::invalid(
                "source_name",
                format!("'{value}' is a shipped source; choose another name"),
            ));
        }
        Ok(Self(value))
    }
}

impl FromStr for LicensedSourceName {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_string())
    }
}

impl From<LicensedSourceName> for String {
    fn from(name: LicensedSourceName) -> Self {
        name.0
    }
}

/// One interaction statement of the file, drugs still named as the file names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensedRow {
    /// 1-based line in the file.
    pub line: u64,
    /// First drug, lower case.
    pub drug_a: String,
    /// Second drug, lower case.
    pub drug_b: String,
    /// PharmaRec's severity (for DDInter, our mapping of its level; see `docs/IMPORTING.md`).
    pub severity: Severity,
    /// The level as the file writes it.
    pub original_level: String,
    /// The source's text, verbatim.
    pub description: Option<String>,
    /// What to do, verbatim.
    pub management: Option<String>,
    /// The source's ids for this statement (DDInter drug ids; the generic `reference`).
    pub source_ids: Vec<String>,
}

/// A parsed licensed file with the name, label and URL it is imported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensedImport {
    /// Unique source name; importing under an existing name replaces that source's rows.
    pub name: LicensedSourceName,
    /// Layout of the file.
    pub format: LicensedFormat,
    /// Label shown with every finding, e.g. `DDInter 2.0 (CC BY-NC-SA 4.0)`.
    pub label: String,
    /// Where the source is published, shown after the label.
    pub url: Option<String>,
    /// The statements, in file order.
    pub rows: Vec<LicensedRow>,
}

impl LicensedImport {
    /// Names a parsed file; the label defaults to the format's (DDInter's names its licence).
    ///
    /// # Errors
    /// `Invalid` for a label over 200 characters or a URL that is not `http(s)://…` within 500.
    pub fn new(
        name: LicensedSourceName,
        format: LicensedFormat,
        label: Option<String>,
        url: Option<String>,
        rows: Vec<LicensedRow>,
    ) -> Result<Self, DomainError> {
        let label = match label
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
        {
            Some(label) if label.chars().count() > 200 => {
                return Err(DomainError::invalid(
                    "label",
                    "must be at most 200 characters",
                ));
            }
            Some(label) => label,
            None => match format {
                LicensedFormat::Generic => name.as_str().to_string(),
                LicensedFormat::Ddinter => {
                    "DDInter (CC BY-NC-SA 4.0: non-commercial use only)".to_string()
                }
            },
        };
        if let Some(url) = &url
            && (url.len() > 500
                || !(url.starts_with("https://") || url.starts_with("http://"))
                || url.chars().any(char::is_whitespace))
        {
            return Err(DomainError::invalid(
                "url",
                "must be an http(s) URL of at most 500 characters",
            ));
        }
        Ok(Self {
            name,
            format,
            label,
            url,
            rows,
        })
    }

    /// The source as findings cite it.
    pub fn source(&self) -> InteractionSource {
        let citation = match &self.url {
            Some(url) => format!("{} ({url}); imported licensed source", self.label),
            None => format!("{}; imported licensed source", self.label),
        };
        InteractionSource::Licensed(Arc::new(LicensedSource {
            name: self.name.as_str().to_string(),
            citation,
        }))
    }
}

/// Parses and validates a whole licensed file in `format`.
///
/// # Errors
/// [`FileErrors`] listing every bad row (missing drug, unknown severity or level, a drug paired with
/// itself), or a header that does not match the format.
pub fn parse_licensed(
    format: LicensedFormat,
    reader: impl Read,
) -> Result<Vec<LicensedRow>, FileErrors> {
    let (rows, errors) = match format {
        LicensedFormat::Generic => table::read(
            reader,
            &["ingredient_a", "ingredient_b", "severity"],
            &["description", "management", "reference"],
            generic,
        )?,
        LicensedFormat::Ddinter => table::read(
            reader,
            &["DDInterID_A", "Drug_A", "DDInterID_B", "Drug_B", "Level"],
            &[],
            ddinter,
        )?,
    };
    errors.or(rows
        .into_iter()
        .map(|(line, row)| LicensedRow { line, ..row })
        .collect())
}

/// A row's drugs by column name, and its facts other than the drugs.
struct Statement {
    drugs: [&'static str; 2],
    severity: Severity,
    level: String,
    description: Option<String>,
    management: Option<String>,
    source_ids: Vec<String>,
}

fn generic(cells: &Cells<'_>) -> Result<LicensedRow, String> {
    let level = cells.required("severity")?;
    let severity: Severity = level.to_ascii_lowercase().parse().map_err(|_| {
        format!("severity must be minor, moderate, major or contraindicated, not '{level}'")
    })?;
    let text = |column: &str| {
        cells
            .get(column)
            .map(|t| table::bounded(column, t, 4000))
            .transpose()
    };
    statement(
        cells,
        Statement {
            drugs: ["ingredient_a", "ingredient_b"],
            severity,
            level: level.to_string(),
            description: text("description")?,
            management: text("management")?,
            source_ids: text("reference")?.into_iter().collect(),
        },
    )
}

fn ddinter(cells: &Cells<'_>) -> Result<LicensedRow, String> {
    let level = cells.required("Level")?;
    // Our mapping (docs/IMPORTING.md). DDInter lists a pair as `Unknown` when it knows the
    // interaction but not its severity: shown as moderate, so no filter hides it as minor, with the
    // original level kept next to it.
    let severity = match level.to_ascii_lowercase().as_str() {
        "major" => Severity::Major,
        "moderate" | "unknown" => Severity::Moderate,
        "minor" => Severity::Minor,
        _ => {
            return Err(format!(
                "Level must be Major, Moderate, Minor or Unknown, not '{level}'"
            ));
        }
    };
    let ids = [
        cells.required("DDInterID_A")?,
        cells.required("DDInterID_B")?,
    ];
    statement(
        cells,
        Statement {
            drugs: ["Drug_A", "Drug_B"],
            severity,
            level: level.to_string(),
            description: None,
            management: None,
            source_ids: ids.map(str::to_string).to_vec(),
        },
    )
}

/// The row with its two drugs read, refusing a drug paired with itself.
fn statement(cells: &Cells<'_>, facts: Statement) -> Result<LicensedRow, String> {
    let [a, b] = facts.drugs;
    let (a, b) = (
        table::bounded("drug", cells.required(a)?, 200)?.to_lowercase(),
        table::bounded("drug", cells.required(b)?, 200)?.to_lowercase(),
    );
    if a == b {
        return Err(format!("'{a}' is paired with itself"));
    }
    Ok(LicensedRow {
        line: 0,
        drug_a: a,
        drug_b: b,
        severity: facts.severity,
        original_level: facts.level,
        description: facts.description,
        management: facts.management,
        source_ids: facts.source_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddinter_levels_map_to_pharmarec_severities() {
        let file = "DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level\n\
            DDInter1,Synthdrug A,DDInter2,Synthdrug B,Major\n\
            DDInter1,Synthdrug A,DDInter3,\"Synthdrug, C\",Unknown\n";
        let rows = parse_licensed(LicensedFormat::Ddinter, file.as_bytes()).unwrap();
        assert_eq!(
            rows.iter()
                .map(|r| (r.line, r.drug_b.as_str(), r.severity))
                .collect::<Vec<_>>(),
            [
                (2, "synthdrug b", Severity::Major),
                (3, "synthdrug, c", Severity::Moderate)
            ]
        );
        assert_eq!(rows[1].original_level, "Unknown");
        assert_eq!(rows[0].source_ids, ["DDInter1", "DDInter2"]);
    }

    #[test]
    fn bad_generic_rows_are_all_reported() {
        let file = "ingredient_a,ingredient_b,severity\n\
            a,b,major\n\
            a,a,minor\n\
            a,c,severe\n\
            ,c,minor\n";
        let errors = parse_licensed(LicensedFormat::Generic, file.as_bytes()).unwrap_err();
        let lines: Vec<u64> = errors.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(errors.errors[1].reason.contains("'severe'"));
    }

    #[test]
    fn a_ddinter_file_given_as_generic_is_refused_by_its_header() {
        let file = "DDInterID_A,Drug_A,DDInterID_B,Drug_B,Level\nx,a,y,b,Major\n";
        let errors = parse_licensed(LicensedFormat::Generic, file.as_bytes()).unwrap_err();
        assert!(errors.to_string().contains("unknown column 'DDInterID_A'"));
    }

    #[test]
    fn source_names_are_slugs_and_never_a_shipped_tag() {
        assert!("ddinter_2".parse::<LicensedSourceName>().is_ok());
        assert!("ansm_2020".parse::<LicensedSourceName>().is_err());
        assert!("My Source".parse::<LicensedSourceName>().is_err());
        assert!("".parse::<LicensedSourceName>().is_err());
    }
}
