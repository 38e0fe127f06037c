//! Row structs (diesel derives live here, never on domain types) and their conversions.
//!
//! Enums are stored as their snake_case text (CHECK constraints list the same values), lists that are
//! never queried as JSON text arrays, and a stored value that no longer parses is an internal error.

mod accounts;
mod catalogue;
mod knowledge;
mod stock;

pub(crate) use accounts::*;
pub(crate) use catalogue::*;
pub(crate) use knowledge::*;
pub(crate) use stock::*;

use std::str::FromStr;

use pharmarec_domain::DomainError;

/// Parses a stored enum or id; the database only holds values we wrote, so failure is a bug.
pub(crate) fn parse_stored<T: FromStr>(column: &str, value: &str) -> Result<T, DomainError> {
    value
        .parse()
        .map_err(|_| DomainError::internal(format!("unreadable {column} '{value}' in database")))
}

/// Converts a list position to the stored integer; lists are bounded far below `i32::MAX`.
pub(crate) fn position(index: usize) -> Result<i32, DomainError> {
    i32::try_from(index).map_err(|_| DomainError::invalid("list", "too many entries"))
}

#[cfg(test)]
mod tests {
    use pharmarec_domain::{
        IndicationRelation, InteractionSource, MarketingStatus, PregnancyCategory, Role, Severity,
        TermRelation,
    };

    /// Every stored enum text must be allowed by the CHECK constraints of both migration sets.
    #[test]
    fn enum_texts_are_allowed_by_the_check_constraints() {
        let sql: String = ["sqlite", "postgres"]
            .iter()
            .flat_map(|backend| {
                let dir = format!("{}/../../migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
                std::fs::read_dir(dir).unwrap().map(|entry| {
                    std::fs::read_to_string(entry.unwrap().path().join("up.sql")).unwrap()
                })
            })
            .collect();
        let texts: Vec<&'static str> = [
            Severity::ALL
                .iter()
                .map(|s| <&str>::from(*s))
                .collect::<Vec<_>>(),
            vec![
                Role::Admin.into(),
                Role::Pharmacist.into(),
                Role::Viewer.into(),
                InteractionSource::SHIPPED_TAGS[0],
                InteractionSource::SHIPPED_TAGS[1],
                MarketingStatus::Otc.into(),
                MarketingStatus::Rx.into(),
                IndicationRelation::Indication.into(),
                IndicationRelation::DiseaseModifying.into(),
                IndicationRelation::Symptomatic.into(),
                TermRelation::ExactSynonym.into(),
                TermRelation::SymptomOf.into(),
                TermRelation::RelatedSynonym.into(),
                PregnancyCategory::X.into(),
                PregnancyCategory::N.into(),
            ],
        ]
        .concat();
        for text in texts {
            assert!(
                sql.contains(&format!("'{text}'")),
                "'{text}' missing from a CHECK"
            );
        }
    }
}
