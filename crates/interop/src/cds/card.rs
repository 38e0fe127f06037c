//! The CDS Hooks 2.0 card and its parts (<https://cds-hooks.hl7.org/2.0/#card-attributes>).

use pharmarec_domain::{InteractionSource, Severity};
use serde::Serialize;
use serde_json::Value;

use crate::fhir::model::Coding;

/// The spec's limit on `summary` ("<140 characters").
pub(crate) const SUMMARY_MAX: usize = 140;

/// Where PharmaRec's own statements (structural rules, "not checked" notes) are documented.
pub(crate) const PHARMAREC_SOURCE: (&str, &str) = (
    "PharmaRec",
    "https://example.invalid/pharmarec/docs/INTEROPERABILITY.md",
);

/// The code system of PharmaRec's override reasons.
pub(crate) const OVERRIDE_SYSTEM: &str = "urn:pharmarec:cds:override-reason";

/// Override reasons offered on every card with a finding: administrative codes, not clinical facts.
const OVERRIDE_REASONS: [(&str, &str); 4] = [
    (
        "benefit-outweighs-risk",
        "Benefit outweighs the risk for this patient",
    ),
    ("will-monitor", "Will monitor the patient"),
    (
        "already-tolerated",
        "Patient already tolerates this combination",
    ),
    ("not-applicable", "Does not apply to this patient"),
];

/// Card urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Indicator {
    Info,
    Warning,
    Critical,
}

impl From<Severity> for Indicator {
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Minor => Self::Info,
            Severity::Moderate => Self::Warning,
            Severity::Major | Severity::Contraindicated => Self::Critical,
        }
    }
}

/// `Card.source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Source {
    pub(crate) label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<String>,
}

impl Source {
    pub(crate) fn pharmarec() -> Self {
        Self {
            label: PHARMAREC_SOURCE.0.to_string(),
            url: Some(PHARMAREC_SOURCE.1.to_string()),
        }
    }

    /// An interaction source, with where its data was read (`data/README.md`).
    /// A licensed source a user imported has no URL of ours: its citation, as the importer gave
    /// it, is the label.
    pub(crate) fn interaction(source: &InteractionSource) -> Self {
        let url = match source {
            InteractionSource::Ansm2020 => Some(
                "https://ansm.sante.fr/documents/reference/thesaurus-des-interactions-medicamenteuses-1",
            ),
            InteractionSource::MergedPddi => Some("https://github.com/dbmi-pitt/Merged-PDDI"),
            InteractionSource::Licensed(_) => None,
        };
        Self {
            label: source.citation().to_string(),
            url: url.map(str::to_string),
        }
    }
}

/// A FHIR action of a suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Action {
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) resource: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) resource_id: Option<Vec<String>>,
}

/// `Card.suggestions[]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Suggestion {
    pub(crate) label: String,
    pub(crate) uuid: String,
    pub(crate) is_recommended: bool,
    pub(crate) actions: Vec<Action>,
}

/// One card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Card {
    pub(crate) uuid: String,
    pub(crate) summary: String,
    pub(crate) detail: String,
    pub(crate) indicator: Indicator,
    pub(crate) source: Source,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) suggestions: Vec<Suggestion>,
    /// Required by the spec when suggestions are present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) selection_behavior: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) override_reasons: Vec<Coding>,
    /// What the card says, for de-duplication within a hook instance; not sent.
    #[serde(skip)]
    pub(crate) fingerprint: String,
}

impl Card {
    /// A card; the summary is cut to the spec's limit on a character boundary.
    pub(crate) fn new(
        fingerprint: String,
        summary: &str,
        detail: String,
        indicator: Indicator,
        source: Source,
    ) -> Self {
        Self {
            uuid: uuid::Uuid::new_v4().to_string(),
            summary: bounded_summary(summary),
            detail,
            indicator,
            source,
            suggestions: Vec::new(),
            selection_behavior: None,
            override_reasons: Vec::new(),
            fingerprint,
        }
    }

    /// Offers the coded override reasons (cards about a finding).
    pub(crate) fn overridable(mut self) -> Self {
        self.override_reasons = OVERRIDE_REASONS
            .iter()
            .map(|(code, display)| Coding {
                system: Some(OVERRIDE_SYSTEM.to_string()),
                code: Some((*code).to_string()),
                display: Some((*display).to_string()),
            })
            .collect();
        self
    }

    /// Attaches a suggestion; one at a time may be accepted.
    pub(crate) fn suggest(mut self, suggestion: Suggestion) -> Self {
        self.suggestions.push(suggestion);
        self.selection_behavior = Some("at-most-one");
        self
    }
}

/// Whether `code` is one of the override reasons offered.
pub(crate) fn is_override_reason(code: &str) -> bool {
    OVERRIDE_REASONS.iter().any(|(c, _)| *c == code)
}

fn bounded_summary(summary: &str) -> String {
    if summary.chars().count() < SUMMARY_MAX {
        return summary.to_string();
    }
    let mut cut: String = summary.chars().take(SUMMARY_MAX - 2).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_summary_is_cut_below_the_limit_on_a_character_boundary() {
        let long = "é".repeat(300);
        let card = Card::new(
            String::new(),
            &long,
            String::new(),
            Indicator::Info,
            Source::pharmarec(),
        );
        assert!(card.summary.chars().count() < SUMMARY_MAX);
        assert!(card.summary.ends_with('…'));
    }

    #[test]
    fn severities_map_to_indicators() {
        assert_eq!(Indicator::from(Severity::Minor), Indicator::Info);
        assert_eq!(Indicator::from(Severity::Moderate), Indicator::Warning);
        assert_eq!(Indicator::from(Severity::Major), Indicator::Critical);
        assert_eq!(
            Indicator::from(Severity::Contraindicated),
            Indicator::Critical
        );
    }
}
