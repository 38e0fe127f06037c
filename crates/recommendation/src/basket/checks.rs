//! The checks of a basket, one function each; `findings::collect` runs them from its tables.
//!
//! Every check reads the basket (items and where each ingredient occurs) and adds findings to a
//! [`Collected`], which shows those at or above the requested severity and counts the rest.

use std::sync::Arc;

use pharmarec_domain::{InteractionSource, Severity};

use super::Item;
use super::findings::{Basket, Collected, Finding, FindingKind, InteractionEvidence, Occurrence};
use crate::SharedText;
use crate::model::{Alert, AlertKind, STRUCTURAL_RULE};
use crate::safety::CLASS_SOURCE;

/// The same ingredient in two or more items: therapeutic duplication (structural rule).
pub(super) fn repeated_ingredient(basket: &Basket<'_>, a: &Occurrence<'_>, out: &mut Collected) {
    if a.items.len() < 2 {
        return;
    }
    let key = basket.key(a.ingredient);
    out.add(Finding {
        kind: FindingKind::DuplicateIngredient,
        severity: Severity::Major,
        description: format!(
            "{key} is contained in {} basket items (therapeutic duplication)",
            a.items.len()
        )
        .into(),
        ingredients: vec![key],
        source: SharedText::Static(STRUCTURAL_RULE),
        items: Arc::clone(&a.labels),
        evidence: Vec::new(),
    });
}

/// The patient is allergic to the ingredient or its class.
pub(super) fn allergy(basket: &Basket<'_>, a: &Occurrence<'_>, out: &mut Collected) {
    let Some(alert) = basket.context.allergy_alert(a.ingredient) else {
        return;
    };
    out.add(Finding {
        kind: FindingKind::Allergy,
        severity: Severity::Contraindicated,
        ingredients: vec![basket.key(a.ingredient)],
        description: alert.message,
        source: alert.source,
        items: Arc::clone(&a.labels),
        evidence: Vec::new(),
    });
}

/// The patient's facts (rules, pregnancy category, label lines) for the ingredient, and what
/// could not be checked: the same evaluation as recommendations.
pub(super) fn patient_facts(basket: &Basket<'_>, a: &Occurrence<'_>, out: &mut Collected) {
    let alerts = basket
        .context
        .patient_alerts(&[a.ingredient], &mut out.not_checked);
    for alert in alerts {
        out.add(patient_finding(alert, Arc::clone(&a.labels)));
    }
}

/// Two forms of one substance (salt/ester-form rule): therapeutic duplication.
pub(super) fn same_substance(
    basket: &Basket<'_>,
    a: &Occurrence<'_>,
    b: &Occurrence<'_>,
    out: &mut Collected,
) {
    if !basket
        .catalogue
        .ingredients
        .same_substance(a.ingredient, b.ingredient)
    {
        return;
    }
    out.add(structural_pair(
        basket,
        (a, b),
        (FindingKind::DuplicateIngredient, Severity::Major),
        |pair| {
            format!(
                "{} and {} are forms of one substance (salt/ester-form rule; therapeutic duplication)",
                pair[0], pair[1]
            )
        },
        SharedText::Static(STRUCTURAL_RULE),
    ));
}

/// An interaction between the two in a source; each source's statement stays apart in `evidence`.
pub(super) fn interaction(
    basket: &Basket<'_>,
    a: &Occurrence<'_>,
    b: &Occurrence<'_>,
    out: &mut Collected,
) {
    let interactions = &basket.catalogue.interactions;
    let rows = interactions.between(a.ingredient, b.ingredient);
    let Some(worst) = rows.clone().map(|(_, r)| r.severity).max() else {
        return;
    };
    // Texts are only built for findings that will be shown (alert fatigue filter first).
    if !out.shows(worst) {
        return;
    }
    let mut evidence: Vec<InteractionEvidence> = rows
        .filter_map(|(index, row)| {
            let message = interactions.shared_message(index)?;
            Some(InteractionEvidence {
                source: row.source.clone(),
                severity: row.severity,
                original_level: row.original_level.as_ref().map(SharedText::from),
                description: SharedText::from(message),
                source_ids: Arc::clone(&row.source_ids),
            })
        })
        .collect();
    evidence.sort_by(|x, y| (&x.source, &x.source_ids).cmp(&(&y.source, &y.source_ids)));
    let mut sources: Vec<&InteractionSource> = evidence.iter().map(|e| &e.source).collect();
    sources.dedup();
    // The most severe statement; every source's own text stays in `evidence`.
    let description = match evidence.iter().max_by_key(|e| e.severity) {
        Some(most) if evidence.len() > 1 => {
            let others = (evidence.len() - 1).to_string();
            let parts = [
                most.description.as_str(),
                " (+",
                &others,
                " other source statement(s) in evidence)",
            ];
            let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
            parts.iter().for_each(|p| text.push_str(p));
            SharedText::Owned(text)
        }
        // One statement: the finding says what it says, sharing the same text.
        Some(most) => most.description.clone(),
        None => SharedText::Owned(String::new()),
    };
    out.add(Finding {
        kind: FindingKind::Interaction,
        severity: worst,
        ingredients: basket.pair(a, b),
        description,
        source: match sources[..] {
            [only] => SharedText::citation_of(only),
            _ => sources
                .iter()
                .map(|s| s.citation())
                .collect::<Vec<_>>()
                .join("; ")
                .into(),
        },
        items: basket.pair_labels(a, b),
        evidence,
    });
}

/// Two ingredients of the same FDA pharmacologic class (structural rule).
pub(super) fn shared_class(
    basket: &Basket<'_>,
    a: &Occurrence<'_>,
    b: &Occurrence<'_>,
    out: &mut Collected,
) {
    let names = &basket.catalogue.ingredients;
    let in_b = |c: &&_| names.classes(b.ingredient).contains(c);
    // Most pairs share no class: the names are collected only for those that do.
    if !names.classes(a.ingredient).iter().any(|c| in_b(&c)) {
        return;
    }
    let shared: Vec<&str> = names
        .classes(a.ingredient)
        .iter()
        .filter(in_b)
        .map(|&c| names.class_name(c))
        .collect();
    out.add(structural_pair(
        basket,
        (a, b),
        (FindingKind::DuplicateClass, Severity::Moderate),
        |pair| {
            format!(
                "{} and {} share the FDA pharmacologic class {}",
                pair[0],
                pair[1],
                shared.join(", ")
            )
        },
        SharedText::Static(CLASS_SOURCE),
    ));
}

/// A finding about two ingredients from a structural rule (no source statement to quote).
fn structural_pair(
    basket: &Basket<'_>,
    (a, b): (&Occurrence<'_>, &Occurrence<'_>),
    (kind, severity): (FindingKind, Severity),
    description: impl FnOnce(&[pharmarec_domain::IngredientKey]) -> String,
    source: SharedText,
) -> Finding {
    let pair = basket.pair(a, b);
    Finding {
        kind,
        severity,
        description: description(&pair).into(),
        ingredients: pair,
        source,
        items: basket.pair_labels(a, b),
        evidence: Vec::new(),
    }
}

/// A product's own limits for this patient (dose form and strength by age).
pub(super) fn product_limits(basket: &Basket<'_>, item: &Item, out: &mut Collected) {
    let Some(product) = item
        .product
        .and_then(|p| basket.catalogue.product_traits.get(p as usize))
    else {
        return;
    };
    let (exclusion, warnings) = basket.context.product_rules(&item.ingredients, product);
    for alert in exclusion.into_iter().chain(warnings) {
        out.add(patient_finding(alert, Arc::from([item.label.clone()])));
    }
}

/// A patient-fact alert as a basket finding (ungraded notes count as `minor`).
fn patient_finding(alert: Alert, items: Arc<[SharedText]>) -> Finding {
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
    let source = match alert.source_url {
        // `{source} ({url})`, in one allocation.
        Some(url) => {
            let parts = [alert.source.as_str(), " (", url.as_str(), ")"];
            let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
            parts.iter().for_each(|part| text.push_str(part));
            text.into()
        }
        None => alert.source,
    };
    Finding {
        kind,
        severity,
        ingredients: alert.ingredients,
        description: match alert.patient_fact {
            Some(fact) if !alert.message.contains(&fact) => {
                // Appended to the alert's own text, which this finding takes over (no copy).
                let mut text = String::from(alert.message);
                text.reserve_exact(" [patient: ]".len() + fact.len());
                [" [patient: ", &fact, "]"]
                    .iter()
                    .for_each(|part| text.push_str(part));
                text.into()
            }
            _ => alert.message,
        },
        source,
        items,
        evidence: Vec::new(),
    }
}
