//! Reads a CSV file by column name: required and optional columns, unknown ones refused, every row
//! handed over with its line so the caller can report each bad row.

use std::collections::HashMap;
use std::io::Read;

use super::FileErrors;

/// One row's cells by column name; an empty cell reads as absent.
pub(super) struct Cells<'a> {
    columns: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Cells<'_> {
    /// The trimmed cell of `column`, `None` when the column is absent or the cell empty.
    pub(super) fn get(&self, column: &str) -> Option<&str> {
        let index = *self.columns.get(column)?;
        self.record
            .get(index)
            .map(str::trim)
            .filter(|cell| !cell.is_empty())
    }

    /// The cell of a required column, or why the row is bad.
    pub(super) fn required(&self, column: &str) -> Result<&str, String> {
        self.get(column).ok_or_else(|| format!("{column} is empty"))
    }
}

/// Reads every row of `reader`, converting each with `convert`: the good rows, and every bad row in
/// the errors, so the caller can check the good ones further before refusing the file.
///
/// # Errors
/// A header that cannot be read, names an unknown column twice or misses a required one.
///
/// Headers are matched exactly (case-sensitively, as the format documents them); a missing required
/// column or an unknown one refuses the file, so a typo never silently drops a column.
pub(super) fn read<T>(
    reader: impl Read,
    required: &[&str],
    optional: &[&str],
    mut convert: impl FnMut(&Cells<'_>) -> Result<T, String>,
) -> Result<(Vec<(u64, T)>, FileErrors), FileErrors> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| FileErrors::whole(format!("cannot read the header: {}", reason(&e))))?
        .clone();
    if headers.iter().any(|name| name.contains('\0')) {
        return Err(FileErrors::whole("the header contains a NUL character"));
    }
    let mut columns = HashMap::new();
    for (index, name) in headers.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        if !required.contains(&name) && !optional.contains(&name) {
            return Err(FileErrors::whole(format!(
                "unknown column '{name}'; expected {}",
                required
                    .iter()
                    .chain(optional)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if columns.insert(name.to_string(), index).is_some() {
            return Err(FileErrors::whole(format!("column '{name}' appears twice")));
        }
    }
    if let Some(missing) = required.iter().find(|c| !columns.contains_key(**c)) {
        return Err(FileErrors::whole(format!(
            "missing required column '{missing}'"
        )));
    }
    let mut errors = FileErrors::default();
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                errors.push(line, reason(&error));
                // A malformed quote or invalid UTF-8 leaves the reader's position unreliable.
                if !matches!(error.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().any(|cell| cell.contains('\0')) {
            errors.push(line, "contains a NUL character");
            continue;
        }
        let cells = Cells {
            columns: &columns,
            record: &record,
        };
        match convert(&cells) {
            Ok(value) => out.push((line, value)),
            Err(reason) => errors.push(line, reason),
        }
    }
    if out.is_empty() && errors.errors.is_empty() {
        errors.push(0, "the file has no data rows");
    }
    Ok((out, errors))
}

fn reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        _ => error.to_string(),
    }
}

/// Checks a free-text cell's length in characters.
pub(super) fn bounded(column: &str, text: &str, max: usize) -> Result<String, String> {
    if text.chars().count() > max {
        Err(format!("{column} is longer than {max} characters"))
    } else {
        Ok(text.to_string())
    }
}
