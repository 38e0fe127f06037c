//! The warnings of each OTC use category (`otc_monograph_warnings.csv`), ready to quote: each
//! row's message, source and scope written once per snapshot. An ingredient-level suggestion
//! quotes its category's warnings (`recommend::category_warnings` chooses which), and writing them
//! per request, scope matching included, was a third of a recommendation's server time.

use std::sync::Arc;

use pharmarec_domain::rules::MonographWarning;

use super::monograph::{CategoryId, MonographIndex, MonographMember};

/// `warning_kind` values that are not warnings.
const NOT_WARNINGS: &[&str] = &["directions", "professional_labeling_dosage"];

/// One warning row of a category.
#[derive(Debug)]
pub(crate) struct CategoryWarning {
    /// `{kind}: {text} (applies to: {applies_to})`.
    pub(crate) message: Arc<str>,
    /// `otc_monograph {cfr_section} ({source_type})`.
    pub(crate) source: Arc<str>,
    pub(crate) source_url: Arc<str>,
    /// `applies_to`, lower case: the members it names.
    pub(crate) scope: Box<str>,
    /// It names no member of its category: it is about the whole category.
    pub(crate) category_wide: bool,
    /// The first warning of the category with the same kind and text (its own index otherwise):
    /// a suggestion shows each statement once.
    pub(crate) first_alike: usize,
}

impl CategoryWarning {
    /// Whether `applies_to` names `member` (by name or by name without salt).
    pub(crate) fn names(&self, member: &MonographMember) -> bool {
        self.scope.contains(member.name.as_str()) || self.scope.contains(member.base_name.as_str())
    }
}

/// Per category, its warnings in the data's order (directions and dosing left out).
#[derive(Debug, Default)]
pub(crate) struct CategoryWarnings {
    per_category: Vec<Vec<CategoryWarning>>,
}

impl CategoryWarnings {
    pub(crate) fn build(warnings: &[MonographWarning], monograph: &MonographIndex) -> Self {
        let mut per_category: Vec<Vec<CategoryWarning>> =
            monograph.categories.iter().map(|_| Vec::new()).collect();
        let mut keys: Vec<Vec<(&str, &str)>> = per_category.iter().map(|_| Vec::new()).collect();
        for warning in warnings {
            let Some(category) = monograph.category(&warning.category_id) else {
                continue;
            };
            if NOT_WARNINGS.contains(&warning.warning_kind.as_str()) {
                continue;
            }
            let index = usize::from(category);
            let key = (
                warning.warning_kind.as_str(),
                warning.condition_or_text.as_str(),
            );
            let first_alike = keys[index].iter().position(|k| *k == key);
            keys[index].push(key);
            let mut row = CategoryWarning {
                message: format!(
                    "{}: {} (applies to: {})",
                    warning.warning_kind.replace('_', " "),
                    warning.condition_or_text.trim(),
                    warning.applies_to
                )
                .into(),
                source: format!(
                    "otc_monograph {} ({})",
                    warning.cfr_section, warning.source_type
                )
                .into(),
                source_url: warning.source_url.as_str().into(),
                scope: warning.applies_to.to_lowercase().into(),
                category_wide: false,
                first_alike: first_alike.unwrap_or(per_category[index].len()),
            };
            row.category_wide = !monograph.get(category).members.iter().any(|m| row.names(m));
            per_category[index].push(row);
        }
        Self { per_category }
    }

    /// The warnings of `category`, in the data's order.
    pub(crate) fn of(&self, category: CategoryId) -> &[CategoryWarning] {
        self.per_category
            .get(usize::from(category))
            .map_or(&[], Vec::as_slice)
    }
}
