//! The findings of a basket check, computed from sorted structures so item order never matters.

use std::collections::BTreeMap;

use pharmarec_domain::{IngredientKey, InteractionSource, Severity};
use serde::Serialize;

use super::Item;
use crate::catalogue::{Catalogue, IngId};
use crate::model::{Alert, NotChecked, merge_not_checked};
use crate::model::{AlertKind, STRUCTURAL_RULE};
use crate::safety::{PatientContext, interaction_message};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Two ingredients in different items interact according to a source.
    Interaction,
    /// The same ingredient in two items (therapeutic duplication; structural rule).
    DuplicateIngredient,
    /// Two ingredients of the same FDA pharmacologic class in different items (structural rule).
    DuplicateClass,
    /// The patient is allergic to an ingredient or its class.
    Allergy,
    /// A recorded contraindication for this patient (pregnancy category X, or D at `major`).
    Contraindication,
    /// A pregnancy category C (moderate) or A/B note.
    Pregnancy,
    /// An age rule (`age_rules.csv`).
    Age,
    /// A pregnancy rule for the patient's stage (`pregnancy_rules.csv`).
    PregnancyStage,
    /// A breast-feeding rule (`lactation_rules.csv`).
    BreastFeeding,
    /// A drug–condition rule (`condition_rules.csv`).
    Condition,
    /// A withdrawn medicine (`withdrawn.csv`).
    Withdrawn,
    /// An OTC label line about one of this patient's facts.
    Label,
}

/// One source's statement about an interacting pair, kept apart from the other source's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InteractionEvidence {
    /// The source.
    pub source: InteractionSource,
    /// PharmaRec's mapping of the source's level.
    pub severity: Severity,
    /// The level as the source prints it.
    pub original_level: Option<String>,
    /// The source's text (French, verbatim, for ANSM) or, where it has none, its structured facts.
    pub description: String,
    /// Source-specific ids.
    pub source_ids: Vec<String>,
}

/// One finding of a basket check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// Severity on PharmaRec's scale (for interactions, the worst of the sources).
    pub severity: Severity,
    /// Ingredients concerned, sorted.
    pub ingredients: Vec<IngredientKey>,
    /// What the finding says, from the data or the named structural rule.
    pub description: String,
    /// Citation(s), or `pharmarec structural rule`.
    pub source: String,
    /// Basket items involved, sorted.
    pub items: Vec<String>,
    /// For interactions: each source's statement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<InteractionEvidence>,
}

/// All findings at or above `min_severity`, sorted, how many others were suppressed, and the
/// patient facts that could not be checked.
pub(super) fn collect(
    catalogue: &Catalogue,
    items: &[Item],
    context: &PatientContext<'_>,
    min_severity: Severity,
) -> (Vec<Finding>, usize, Vec<NotChecked>) {
    let mut suppressed = 0;
    let mut not_checked = Vec::new();
    let mut occurrences: BTreeMap<IngId, Vec<usize>> = BTreeMap::new();
    for (index, item) in items.iter().enumerate() {
        for &ingredient in &item.ingredients {
            let list = occurrences.entry(ingredient).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    let labels = |lists: &[&Vec<usize>]| -> Vec<String> {
        let mut out: Vec<String> = lists
            .iter()
            .flat_map(|l| l.iter())
            .filter_map(|&i| items.get(i))
            .map(|i| i.label.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let key = |id: IngId| catalogue.ingredients.key(id).clone();
    let mut out = Vec::new();
    let present: Vec<(&IngId, &Vec<usize>)> = occurrences.iter().collect();
    for (position, &(&a, occ_a)) in present.iter().enumerate() {
        if occ_a.len() >= 2 {
            out.push(Finding {
                kind: FindingKind::DuplicateIngredient,
                severity: Severity::Major,
                ingredients: vec![key(a)],
                description: format!(
                    "{} is contained in {} basket items (therapeutic duplication)",
                    key(a),
                    occ_a.len()
                ),
                source: STRUCTURAL_RULE.to_string(),
                items: labels(&[occ_a]),
                evidence: Vec::new(),
            });
        }
        for &(&b, occ_b) in &present[position + 1..] {
            // Ingredients that only meet inside one product are that product's own formulation.
            let apart = occ_a.iter().any(|i| occ_b.iter().any(|j| i != j));
            if !apart {
                continue;
            }
            let pair = || {
                let mut pair = vec![key(a), key(b)];
                pair.sort();
                pair
            };
            if catalogue.ingredients.same_substance(a, b) {
                let pair = pair();
                out.push(Finding {
                    kind: FindingKind::DuplicateIngredient,
                    severity: Severity::Major,
                    description: format!(
                        "{} and {} are forms of one substance (salt/ester-form rule; therapeutic duplication)",
                        pair[0], pair[1]
                    ),
                    ingredients: pair,
                    source: STRUCTURAL_RULE.to_string(),
                    items: labels(&[occ_a, occ_b]),
                    evidence: Vec::new(),
                });
            }
            // Texts are only built for findings that will be shown (alert fatigue filter first).
            let worst = catalogue
                .interactions
                .between(a, b)
                .map(|r| r.severity)
                .max();
            match worst {
                Some(severity) if severity < min_severity => suppressed += 1,
                Some(_) => {
                    if let Some(finding) = interaction(catalogue, a, b, &pair()) {
                        out.push(Finding {
                            items: labels(&[occ_a, occ_b]),
                            ..finding
                        });
                    }
                }
                None => {}
            }
            let shared: Vec<&str> = catalogue
                .ingredients
                .classes(a)
                .iter()
                .filter(|c| catalogue.ingredients.classes(b).contains(c))
                .map(|&c| catalogue.ingredients.class_name(c))
                .collect();
            if !shared.is_empty() {
                let pair = pair();
                out.push(Finding {
                    kind: FindingKind::DuplicateClass,
                    severity: Severity::Moderate,
                    description: format!(
                        "{} and {} share the FDA pharmacologic class {}",
                        pair[0],
                        pair[1],
                        shared.join(", ")
                    ),
                    ingredients: pair,
                    source: format!("FDA EPC classes via DrugCentral 2016; {STRUCTURAL_RULE}"),
                    items: labels(&[occ_a, occ_b]),
                    evidence: Vec::new(),
                });
            }
        }
        if let Some(alert) = context.allergy_alert(a) {
            out.push(Finding {
                kind: FindingKind::Allergy,
                severity: Severity::Contraindicated,
                ingredients: vec![key(a)],
                description: alert.message,
                source: alert.source,
                items: labels(&[occ_a]),
                evidence: Vec::new(),
            });
        }
        let (alerts, unchecked) = context.patient_alerts(&[a]);
        for entry in unchecked {
            merge_not_checked(&mut not_checked, entry);
        }
        for alert in alerts {
            out.push(patient_finding(alert, labels(&[occ_a])));
        }
    }
    for item in items {
        let Some(product) = item
            .product
            .and_then(|p| catalogue.medicines.get(p as usize))
        else {
            continue;
        };
        let (exclusion, warnings) = context.product_rules(&item.ingredients, product);
        for alert in exclusion.into_iter().chain(warnings) {
            out.push(patient_finding(alert, vec![item.label.clone()]));
        }
    }
    let before = out.len();
    out.retain(|f| f.severity >= min_severity);
    suppressed += before - out.len();
    out.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.ingredients.cmp(&y.ingredients))
            .then_with(|| x.description.cmp(&y.description))
    });
    (out, suppressed, not_checked)
}

fn interaction(
    catalogue: &Catalogue,
    a: IngId,
    b: IngId,
    pair: &[IngredientKey],
) -> Option<Finding> {
    let mut evidence: Vec<InteractionEvidence> = catalogue
        .interactions
        .between(a, b)
        .map(|row| InteractionEvidence {
            source: row.source.clone(),
            severity: row.severity,
            original_level: row.original_level.clone(),
            description: interaction_message(row),
            source_ids: row.source_ids.clone(),
        })
        .collect();
    evidence.sort_by(|x, y| (&x.source, &x.source_ids).cmp(&(&y.source, &y.source_ids)));
    let severity = evidence.iter().map(|e| e.severity).max()?;
    let mut sources: Vec<&str> = evidence.iter().map(|e| e.source.citation()).collect();
    sources.dedup();
    Some(Finding {
        kind: FindingKind::Interaction,
        severity,
        ingredients: pair.to_vec(),
        // The most severe statement; every source's own text stays in `evidence`.
        description: match evidence.iter().max_by_key(|e| e.severity) {
            Some(worst) if evidence.len() > 1 => format!(
                "{} (+{} other source statement(s) in evidence)",
                worst.description,
                evidence.len() - 1
            ),
            Some(worst) => worst.description.clone(),
            None => String::new(),
        },
        source: sources.join("; "),
        items: Vec::new(),
        evidence,
    })
}

/// A patient-fact alert as a basket finding (ungraded notes count as `minor`).
fn patient_finding(alert: Alert, items: Vec<String>) -> Finding {
    let severity = alert.severity.unwrap_or(Severity::Minor);
    let kind = match alert.kind {
        AlertKind::Pregnancy if severity >= Severity::Major => FindingKind::Contraindication,
        AlertKind::Contraindication => FindingKind::Contraindication,
        AlertKind::Pregnancy => FindingKind::Pregnancy,
        AlertKind::Age => FindingKind::Age,
        AlertKind::PregnancyStage => FindingKind::PregnancyStage,
        AlertKind::BreastFeeding => FindingKind::BreastFeeding,
        AlertKind::Condition => FindingKind::Condition,
        AlertKind::Withdrawn => FindingKind::Withdrawn,
        AlertKind::Allergy => FindingKind::Allergy,
        _ => FindingKind::Label,
    };
    let mut source = alert.source;
    if let Some(url) = alert.source_url {
        source = format!("{source} ({url})");
    }
    Finding {
        kind,
        severity,
        ingredients: alert.ingredients,
        description: match alert.patient_fact {
            Some(fact) if !alert.message.contains(&fact) => {
                format!("{} [patient: {fact}]", alert.message)
            }
            _ => alert.message,
        },
        source,
        items,
        evidence: Vec::new(),
    }
}
