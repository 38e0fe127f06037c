//! Interaction lookup by ingredient pair, with both sources kept apart (one row per pair and source).

use std::sync::{Arc, OnceLock};

use pharmarec_domain::{Interaction, InteractionSource};

use super::interaction_rows::{InteractionRow, shared_rows};
use super::names::{IngId, IngredientIndex};
use crate::SharedText;
use crate::safety::interaction_message;

/// Adjacency lists over the interaction rows.
#[derive(Debug, Default)]
pub(crate) struct InteractionIndex {
    pub(crate) rows: Vec<InteractionRow>,
    /// Per ingredient: (partner, row), sorted by partner then row, for binary search.
    adjacency: Vec<Vec<(IngId, u32)>>,
    /// The sources present, sorted: a verdict names every one it consulted.
    sources: Vec<InteractionSource>,
    /// Per row, its statement as answers show it (`interaction_message`), written the first time
    /// a request needs it and then shared: it depends on the row only, and writing it per request
    /// was the largest cost of a basket check. Lazily, so the snapshot build and memory pay only
    /// for rows used.
    messages: Vec<OnceLock<Arc<str>>>,
}

impl InteractionIndex {
    pub(crate) fn build(rows: Vec<Interaction>, ingredients: &IngredientIndex) -> Self {
        let rows = shared_rows(rows, ingredients);
        let mut adjacency = vec![Vec::new(); ingredients.len()];
        for (row, interaction) in (0u32..).zip(&rows) {
            let a = ingredients.resolve(interaction.pair.first().as_str());
            let b = ingredients.resolve(interaction.pair.second().as_str());
            if let (Some(a), Some(b)) = (a, b) {
                adjacency[a as usize].push((b, row));
                adjacency[b as usize].push((a, row));
            }
        }
        for list in &mut adjacency {
            list.sort_unstable();
        }
        let mut sources: Vec<InteractionSource> = rows.iter().map(|r| r.source.clone()).collect();
        sources.sort();
        sources.dedup();
        Self {
            messages: rows.iter().map(|_| OnceLock::new()).collect(),
            rows,
            adjacency,
            sources,
        }
    }

    /// The sources loaded, shipped ones first.
    pub(crate) fn sources(&self) -> &[InteractionSource] {
        &self.sources
    }

    /// Every source's row for the pair `a`–`b` (none when the sources know no interaction), with
    /// its index for [`Self::message`], in row order.
    pub(crate) fn between(
        &self,
        a: IngId,
        b: IngId,
    ) -> impl Iterator<Item = (u32, &InteractionRow)> + Clone {
        let list = |id: IngId| {
            self.adjacency
                .get(id as usize)
                .map_or(&[][..], Vec::as_slice)
        };
        // Each row is listed under both ingredients: search the shorter list.
        let (list, partner) = if list(a).len() <= list(b).len() {
            (list(a), b)
        } else {
            (list(b), a)
        };
        let start = list.partition_point(|&(other, _)| other < partner);
        list[start..]
            .iter()
            .take_while(move |&&(other, _)| other == partner)
            .filter_map(|&(_, row)| Some((row, self.rows.get(row as usize)?)))
    }

    /// Row `row`'s statement (`interaction_message`), shared with every answer that shows it.
    pub(crate) fn message(&self, row: u32) -> SharedText {
        self.shared_message(row).map_or_else(
            // Not a row of this index: nothing to say (callers only pass rows from `between`).
            || SharedText::Owned(String::new()),
            |message| SharedText::Shared(Arc::clone(message)),
        )
    }

    /// Row `row`'s statement, written on first use.
    pub(crate) fn shared_message(&self, row: u32) -> Option<&Arc<str>> {
        let slot = self.messages.get(row as usize)?;
        let interaction = self.rows.get(row as usize)?;
        Some(slot.get_or_init(|| Arc::from(interaction_message(interaction))))
    }

    /// Whether any source lists any interaction for `ingredient`.
    pub(crate) fn covers(&self, ingredient: IngId) -> bool {
        self.adjacency
            .get(ingredient as usize)
            .is_some_and(|list| !list.is_empty())
    }

    /// Whether interaction knowledge is loaded at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
