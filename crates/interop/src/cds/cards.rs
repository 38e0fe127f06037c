//! The engine's answer as cards: one per finding about a draft order, one per ingredient the
//! interaction sources do not cover, one per order that could not be identified, and one listing
//! the patient checks that could not run. Never silence: what was not checked gets a card.

use pharmarec_domain::IngredientKey;
use pharmarec_recommendation::{BasketReport, Finding, FindingKind, SharedText};

use super::card::{Card, Indicator, Source};
use crate::ingredients::Identified;

/// A draft order as identified.
#[derive(Debug, Clone)]
pub(crate) struct OrderLine {
    /// `MedicationRequest/<id>`.
    pub(crate) reference: String,
    /// The order's medication text, for people.
    pub(crate) label: String,
    pub(crate) identified: Identified,
    pub(crate) selected: bool,
}

impl OrderLine {
    fn holds_any(&self, keys: &[IngredientKey]) -> bool {
        self.identified.ingredients.iter().any(|k| keys.contains(k))
    }

    fn describe(&self) -> String {
        let mut text = format!(
            "{} \"{}\", identified from {}",
            self.reference, self.label, self.identified.how
        );
        if !self.identified.unmapped_codes.is_empty() {
            text.push_str(&format!(
                "; RxNorm code(s) {} are not in PharmaRec's shipped data (it carries ingredient codes only)",
                self.identified.unmapped_codes.join(", ")
            ));
        }
        text
    }
}

/// What the engine cannot weigh, said on every interaction card (the sources grade ingredient pairs).
pub(crate) const PAIR_ONLY: &str = "PharmaRec grades the ingredient pair as its source does. It has no rule that \
raises or lowers this severity for other patient factors (other medicines such as gastroprotection or \
corticosteroids, age), and the source rows do not distinguish routes of administration (topical or systemic): \
the order's route was not used.";

/// The draft orders a finding concerns; empty when it is about current medicines only, or about
/// one order's own ingredients (a product's formulation is not an interaction).
pub(crate) fn orders_of<'a>(finding: &Finding, orders: &'a [OrderLine]) -> Vec<&'a OrderLine> {
    let involved: Vec<&OrderLine> = orders
        .iter()
        .filter(|o| o.holds_any(&finding.ingredients))
        .collect();
    let with_current = finding
        .items
        .iter()
        .any(|i| i.starts_with("current medicine "));
    let pairwise = matches!(
        finding.kind,
        FindingKind::Interaction | FindingKind::DuplicateClass | FindingKind::DuplicateIngredient
    );
    let within_one = involved.len() == 1
        && !with_current
        && finding
            .ingredients
            .iter()
            .all(|k| involved[0].identified.ingredients.contains(k));
    if pairwise && within_one && finding.ingredients.len() > 1 {
        return Vec::new();
    }
    involved
}

/// The card of one finding.
pub(crate) fn finding_card(finding: &Finding, orders: &[&OrderLine]) -> Card {
    let ingredients = finding
        .ingredients
        .iter()
        .map(IngredientKey::as_str)
        .collect::<Vec<_>>()
        .join(" + ");
    let summary = format!("{}: {ingredients}", headline(finding));
    let mut detail = format!("**{summary}**\n\n{}\n\n", finding.description);
    for order in orders {
        detail.push_str(&format!("- Order: {}\n", order.describe()));
    }
    detail.push_str(&format!(
        "- Items checked: {}\n",
        SharedText::join(&finding.items, "; ")
    ));
    detail.push_str(&format!("- Citation: {}\n", finding.source));
    for evidence in &finding.evidence {
        detail.push_str(&format!(
            "- Evidence, {}: PharmaRec severity {}{}\n",
            evidence.source.citation(),
            evidence.severity,
            evidence
                .original_level
                .as_deref()
                .map(|l| format!(", level as published: \"{l}\""))
                .unwrap_or_default()
        ));
    }
    if finding.kind == FindingKind::Interaction {
        detail.push_str(&format!("\n{PAIR_ONLY}\n"));
    }
    let source = finding
        .evidence
        .iter()
        .max_by_key(|e| e.severity)
        .map_or_else(
            || cited(&finding.source),
            |e| Source::interaction(&e.source),
        );
    let fingerprint = format!("finding:{:?}:{ingredients}", finding.kind);
    Card::new(
        fingerprint,
        &summary,
        detail,
        Indicator::from(finding.severity),
        source,
    )
    .overridable()
}

/// A rule table's citation, `label (https://…)`, split into label and URL.
fn cited(citation: &str) -> Source {
    match citation.rsplit_once(" (http") {
        Some((label, rest)) if rest.ends_with(')') => Source {
            label: label.to_string(),
            url: Some(format!("http{}", rest.trim_end_matches(')'))),
        },
        _ => Source {
            label: citation.to_string(),
            url: None,
        },
    }
}

fn headline(finding: &Finding) -> String {
    let severity = finding.severity;
    match finding.kind {
        FindingKind::Interaction => format!("{} interaction", capitalised(&severity.to_string())),
        FindingKind::DuplicateIngredient => "Therapeutic duplication".to_string(),
        FindingKind::DuplicateClass => "Same pharmacologic class twice".to_string(),
        FindingKind::Allergy => "Allergy".to_string(),
        FindingKind::Contraindication => "Contraindicated for this patient".to_string(),
        FindingKind::Pregnancy | FindingKind::PregnancyStage => format!("Pregnancy ({severity})"),
        FindingKind::Age => format!("Age rule ({severity})"),
        FindingKind::BreastFeeding => format!("Breast-feeding ({severity})"),
        FindingKind::Condition => format!("Condition rule ({severity})"),
        FindingKind::Withdrawn => "Withdrawn medicine".to_string(),
        FindingKind::Label => format!("OTC label warning ({severity})"),
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "Could not be checked" cards for ingredients no interaction source covers.
pub(crate) fn not_covered_cards(report: &BasketReport) -> Vec<Card> {
    report
        .not_covered
        .iter()
        .map(|key| {
            let summary = format!("Interactions not checked: {key}");
            let detail = format!(
                "**{summary}**\n\nNo interaction source PharmaRec uses (ANSM 2020; VA NDF-RT and ONC lists via \
                 Merged-PDDI) has any row about {key}, so its interactions could not be checked. \
                 This is not a statement that it is safe to combine."
            );
            Card::new(
                format!("not-covered:{key}"),
                &summary,
                detail,
                Indicator::Warning,
                Source::pharmarec(),
            )
        })
        .collect()
}

/// The card of a draft order that names no ingredient of the shipped data.
pub(crate) fn unidentified_card(order: &OrderLine) -> Card {
    let summary = format!("Could not be checked: {}", order.label);
    let detail = format!(
        "**{summary}**\n\n{}.\n\nNo check (interactions, allergies, patient rules) was run for this order. \
         This is not a statement that it is safe.",
        order.describe()
    );
    Card::new(
        format!("unidentified:{}", order.reference),
        &summary,
        detail,
        Indicator::Warning,
        Source::pharmarec(),
    )
}

/// One card listing every patient check that could not run, or `None` when all ran.
pub(crate) fn unchecked_card(lines: &[String]) -> Option<Card> {
    if lines.is_empty() {
        return None;
    }
    let summary = "Some patient checks could not run";
    let mut detail = format!("**{summary}**\n\n");
    for line in lines {
        detail.push_str(&format!("- {line}\n"));
    }
    detail.push_str("\nWhat was not checked is not known to be safe.\n");
    Some(Card::new(
        format!("unchecked:{}", lines.join("|")),
        summary,
        detail,
        Indicator::Warning,
        Source::pharmarec(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_citation_with_a_url_is_split() {
        let source = cited("OTC label, X (data/x.csv) (https://example.org/a)");
        assert_eq!(source.label, "OTC label, X (data/x.csv)");
        assert_eq!(source.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(cited("pharmarec structural rule").url, None);
    }
}
