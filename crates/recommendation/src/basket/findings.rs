//! The findings of a basket check: what a finding is, and the tables of checks that produce
//! them (`checks`, one function per check). Computed from sorted structures, so item order never
//! matters.

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeMap;
use std::sync::Arc;

use pharmarec_domain::{IngredientKey, InteractionSource, Severity};
use serde::Serialize;

use super::{Item, checks};
use crate::SharedText;
use crate::model::NotChecked;
use crate::safety::PatientContext;
use crate::snapshot::{IngId, KnowledgeSnapshot};

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
    pub original_level: Option<SharedText>,
    /// The source's text (French, verbatim, for ANSM) or, where it has none, its structured facts;
    /// shared with the snapshot, which writes each row's statement once.
    pub description: SharedText,
    /// Source-specific ids (shared with the snapshot).
    pub source_ids: Arc<[String]>,
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
    /// What the finding says, from the data or the named structural rule. For an interaction
    /// with one source statement, that statement itself (shared, not copied).
    pub description: SharedText,
    /// Citation(s), or `pharmarec structural rule`.
    pub source: SharedText,
    /// Basket items involved, sorted (each label written once per check, and each ingredient's
    /// list once, shared by its findings).
    pub items: Arc<[SharedText]>,
    /// For interactions: each source's statement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<InteractionEvidence>,
}

/// An ingredient of the basket and the items (indices) holding it.
pub(super) struct Occurrence<'a> {
    pub(super) ingredient: IngId,
    pub(super) items: &'a [usize],
    /// Those items' labels, sorted: the `items` of every finding about this ingredient alone.
    pub(super) labels: Arc<[SharedText]>,
}

/// The basket as the checks see it.
pub(super) struct Basket<'a> {
    pub(super) catalogue: &'a KnowledgeSnapshot,
    pub(super) items: &'a [Item],
    pub(super) context: &'a PatientContext<'a>,
}

impl Basket<'_> {
    pub(super) fn key(&self, id: IngId) -> IngredientKey {
        self.catalogue.ingredients.key(id).clone()
    }

    /// The two ingredients' keys, sorted.
    pub(super) fn pair(&self, a: &Occurrence<'_>, b: &Occurrence<'_>) -> Vec<IngredientKey> {
        let mut pair = vec![self.key(a.ingredient), self.key(b.ingredient)];
        pair.sort();
        pair
    }

    /// The labels of the items holding either ingredient, sorted, unique.
    pub(super) fn pair_labels(&self, a: &Occurrence<'_>, b: &Occurrence<'_>) -> Arc<[SharedText]> {
        match (&a.labels[..], &b.labels[..]) {
            // The usual pair: two ingredients of two single items, in one allocation.
            ([x], [y]) => match x.cmp(y) {
                Ordering::Less => Arc::from([x.clone(), y.clone()]),
                Ordering::Greater => Arc::from([y.clone(), x.clone()]),
                Ordering::Equal => Arc::clone(&a.labels),
            },
            (x, y) => sorted_unique(x.iter().chain(y).cloned().collect()),
        }
    }

    /// The labels of the items at `indices`, sorted, unique.
    fn labels_of(&self, indices: &[usize]) -> Arc<[SharedText]> {
        let mut labels = indices
            .iter()
            .filter_map(|&i| self.items.get(i))
            .map(|i| i.label.clone());
        match (labels.next(), indices.len()) {
            // Most ingredients are in one item.
            (Some(only), 1) => Arc::from([only]),
            (first, _) => sorted_unique(first.into_iter().chain(labels).collect()),
        }
    }
}

fn sorted_unique(mut labels: Vec<SharedText>) -> Arc<[SharedText]> {
    labels.sort();
    labels.dedup();
    labels.into()
}

/// What the checks found: the findings shown, how many fell below the requested severity, and
/// the patient facts that could not be checked.
#[derive(Debug)]
pub(super) struct Collected {
    min_severity: Severity,
    pub(super) findings: Vec<Finding>,
    pub(super) suppressed: usize,
    pub(super) not_checked: Vec<NotChecked>,
}

impl Collected {
    /// Room for `capacity` findings up front: a full patient's basket of ten has some 60, and
    /// growing a vector of findings one doubling at a time (each move copying every finding) was
    /// 8 % of the check.
    fn new(min_severity: Severity, capacity: usize) -> Self {
        Self {
            min_severity,
            findings: Vec::with_capacity(capacity),
            suppressed: 0,
            not_checked: Vec::new(),
        }
    }

    /// Whether a finding of `severity` is shown; counts it as suppressed when not.
    pub(super) fn shows(&mut self, severity: Severity) -> bool {
        let shown = severity >= self.min_severity;
        if !shown {
            self.suppressed += 1;
        }
        shown
    }

    pub(super) fn add(&mut self, finding: Finding) {
        if self.shows(finding.severity) {
            self.findings.push(finding);
        }
    }
}

/// A check of one ingredient, of two ingredients in different items, or of one item.
type IngredientCheck = fn(&Basket<'_>, &Occurrence<'_>, &mut Collected);
type PairCheck = fn(&Basket<'_>, &Occurrence<'_>, &Occurrence<'_>, &mut Collected);
type ItemCheck = fn(&Basket<'_>, &Item, &mut Collected);

/// Every check a basket gets. The findings are sorted afterwards, so the order here is free.
const INGREDIENT_CHECKS: [IngredientCheck; 3] = [
    checks::repeated_ingredient,
    checks::allergy,
    checks::patient_facts,
];
const PAIR_CHECKS: [PairCheck; 3] = [
    checks::same_substance,
    checks::interaction,
    checks::shared_class,
];
const ITEM_CHECKS: [ItemCheck; 1] = [checks::product_limits];

/// All findings at or above `min_severity`, sorted, how many others were suppressed, and the
/// patient facts that could not be checked.
pub(super) fn collect(basket: &Basket<'_>, min_severity: Severity) -> Collected {
    let mut occurrences: BTreeMap<IngId, Vec<usize>> = BTreeMap::new();
    for (index, item) in basket.items.iter().enumerate() {
        for &ingredient in &item.ingredients {
            let list = occurrences.entry(ingredient).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    let present: Vec<Occurrence<'_>> = occurrences
        .iter()
        .map(|(&ingredient, items)| Occurrence {
            ingredient,
            items,
            labels: basket.labels_of(items),
        })
        .collect();
    // About one finding per pair of ingredients and a few per ingredient, for a full patient.
    let n = present.len();
    let mut out = Collected::new(min_severity, n * (n + 7) / 2);
    for (position, a) in present.iter().enumerate() {
        for check in INGREDIENT_CHECKS {
            check(basket, a, &mut out);
        }
        for b in &present[position + 1..] {
            // Ingredients that only meet inside one product are that product's own formulation.
            let apart = a.items.iter().any(|i| b.items.iter().any(|j| i != j));
            if apart {
                for check in PAIR_CHECKS {
                    check(basket, a, b, &mut out);
                }
            }
        }
    }
    for item in basket.items {
        for check in ITEM_CHECKS {
            check(basket, item, &mut out);
        }
    }
    sort(&mut out.findings);
    out
}

/// Sorts findings most severe first, then by kind, ingredients, description, items and source: a
/// total order, so the answer never depends on item order or on the order of the checks.
///
/// In two passes: a stable sort by (severity, kind), which compares two small numbers, then a sort
/// of each group by names and texts. One sort by the whole comparison made some 175 comparisons
/// of names and texts for a full patient's basket, most of them between different groups.
fn sort(findings: &mut [Finding]) {
    let group = |f: &Finding| (Reverse(f.severity), f.kind);
    findings.sort_by_key(group);
    for same_group in findings.chunk_by_mut(|x, y| group(x) == group(y)) {
        same_group.sort_by(|x, y| {
            x.ingredients
                .cmp(&y.ingredients)
                .then_with(|| x.description.cmp(&y.description))
                .then_with(|| x.items.cmp(&y.items))
                .then_with(|| x.source.cmp(&y.source))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole_comparison(x: &Finding, y: &Finding) -> Ordering {
        y.severity
            .cmp(&x.severity)
            .then_with(|| x.kind.cmp(&y.kind))
            .then_with(|| x.ingredients.cmp(&y.ingredients))
            .then_with(|| x.description.cmp(&y.description))
            .then_with(|| x.items.cmp(&y.items))
            .then_with(|| x.source.cmp(&y.source))
    }

    #[test]
    fn findings_sort_in_the_order_of_the_whole_comparison() {
        let kinds = [
            FindingKind::Interaction,
            FindingKind::Label,
            FindingKind::Condition,
        ];
        let names: Vec<IngredientKey> = ["aspirin", "ibuprofen", "warfarin"]
            .iter()
            .filter_map(|n| n.parse().ok())
            .collect();
        let text = |n: usize| SharedText::Owned(format!("text {}", n % 4));
        let mut findings: Vec<Finding> = (0..60)
            .map(|i| Finding {
                kind: kinds[i * 5 % 3],
                severity: Severity::ALL[i * 7 % 4],
                ingredients: names
                    .iter()
                    .cycle()
                    .skip(i % 3)
                    .take(1 + i / 3 % 2)
                    .cloned()
                    .collect(),
                description: text(i * 13),
                source: text(i),
                items: Arc::from([text(i / 2)]),
                evidence: Vec::new(),
            })
            .collect();
        let mut expected = findings.clone();
        expected.sort_by(whole_comparison);
        sort(&mut findings);
        assert_eq!(findings, expected);
    }
}
