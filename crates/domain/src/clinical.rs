//! Clinical enumerations shared by the knowledge, the engine and the API: no stringly-typed severities.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

/// Severity of an interaction or a safety finding, ordered from least to most severe.
///
/// The scale is PharmaRec's mapping of the sources' own scales (see `data/README.md`): NDF-RT and ONC
/// give `major`/`moderate`/`minor`; ANSM adds `contraindicated`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    /// Usually no action needed; be aware.
    Minor,
    /// Monitor or adjust (ANSM "précaution d'emploi").
    Moderate,
    /// Avoid the combination (ANSM "association déconseillée", NDF-RT critical, ONC high priority).
    Major,
    /// Never combine (ANSM "contre-indication").
    Contraindicated,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Self; 4] = [
        Self::Minor,
        Self::Moderate,
        Self::Major,
        Self::Contraindicated,
    ];
}

/// Whether a product can be sold over the counter.
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
pub enum MarketingStatus {
    /// Over the counter.
    Otc,
    /// Prescription only.
    Rx,
}

/// US FDA pregnancy letter category (retired for prescription labels in 2015), as recorded by GNU Health.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
pub enum PregnancyCategory {
    /// Controlled studies show no risk.
    A,
    /// No evidence of risk in humans.
    B,
    /// Risk cannot be ruled out.
    C,
    /// Positive evidence of risk.
    D,
    /// Contraindicated in pregnancy.
    X,
    /// Not classified.
    N,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_from_minor_to_contraindicated() {
        assert!(Severity::Minor < Severity::Moderate);
        assert!(Severity::Major < Severity::Contraindicated);
        assert_eq!(Severity::ALL.iter().max(), Some(&Severity::Contraindicated));
    }

    #[test]
    fn severity_text_round_trips() {
        for s in Severity::ALL {
            assert_eq!(s.to_string().parse::<Severity>().unwrap(), s);
        }
        assert!("safe".parse::<Severity>().is_err());
    }
}
