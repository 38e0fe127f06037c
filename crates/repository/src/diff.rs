//! Set comparison of stored and incoming records, so an import writes only what changed.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use pharmarec_domain::ports::ChangeCounts;

/// How an incoming collection differs from the stored one, by record key.
#[derive(Debug, Default)]
pub(crate) struct Diff {
    /// Indexes into the new records whose key is not stored.
    pub(crate) inserted: Vec<usize>,
    /// Indexes into the new records whose key is stored with different content.
    pub(crate) updated: Vec<usize>,
    /// Indexes into the old records whose key is gone.
    pub(crate) removed: Vec<usize>,
    /// Records identical on both sides.
    pub(crate) unchanged: u64,
    /// A stored key matched twice: the new records repeat one, which the write must see.
    repeated: bool,
}

impl Diff {
    /// Whether anything must be written.
    pub(crate) fn changed(&self) -> bool {
        self.repeated
            || !self.inserted.is_empty()
            || !self.updated.is_empty()
            || !self.removed.is_empty()
    }

    /// Moves the removed records for which `keep(old_index)` holds to `unchanged`; returns how many.
    pub(crate) fn keep(&mut self, keep: impl Fn(usize) -> bool) -> u64 {
        let before = self.removed.len();
        self.removed.retain(|&j| !keep(j));
        let kept = (before - self.removed.len()) as u64;
        self.unchanged += kept;
        kept
    }

    /// The counts for the import report.
    pub(crate) fn counts(&self) -> ChangeCounts {
        ChangeCounts {
            inserted: self.inserted.len() as u64,
            updated: self.updated.len() as u64,
            unchanged: self.unchanged,
            removed: self.removed.len() as u64,
        }
    }
}

/// Compares `old` and `new` by `key`, then by content.
pub(crate) fn diff<T: PartialEq, K: Hash + Eq>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
) -> Diff {
    let old_by_key: HashMap<K, usize> = old.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    let mut matched = HashSet::new();
    let mut result = Diff::default();
    for (i, record) in new.iter().enumerate() {
        match old_by_key.get(&key(record)) {
            Some(&j) => {
                result.repeated |= !matched.insert(j);
                if old[j] == *record {
                    result.unchanged += 1;
                } else {
                    result.updated.push(i);
                }
            }
            None => result.inserted.push(i),
        }
    }
    result.removed = (0..old.len()).filter(|j| !matched.contains(j)).collect();
    result
}

/// Adds counts of several collections into one.
pub(crate) fn sum(counts: impl IntoIterator<Item = ChangeCounts>) -> ChangeCounts {
    counts
        .into_iter()
        .fold(ChangeCounts::default(), |a, b| ChangeCounts {
            inserted: a.inserted + b.inserted,
            updated: a.updated + b.updated,
            unchanged: a.unchanged + b.unchanged,
            removed: a.removed + b.removed,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_inserted_updated_removed_and_unchanged_by_key() {
        let old = [("a", 1), ("b", 2), ("c", 3)];
        let new = [("a", 1), ("b", 20), ("d", 4)];
        let d = diff(&old, &new, |r| r.0);
        assert_eq!(d.inserted, vec![2]);
        assert_eq!(d.updated, vec![1]);
        assert_eq!(d.removed, vec![2]);
        assert_eq!(d.unchanged, 1);
        assert!(d.changed());
    }

    #[test]
    fn same_records_in_another_order_are_unchanged() {
        let d = diff(&[1, 2, 3], &[3, 1, 2], |r| *r);
        assert!(!d.changed());
        assert_eq!(d.counts().unchanged, 3);
    }

    #[test]
    fn an_added_duplicate_counts_as_a_change() {
        assert!(diff(&[1, 2], &[1, 2, 2], |r| *r).changed());
    }

    #[test]
    fn kept_records_count_as_unchanged() {
        let mut d = diff(&[1, 2, 3], &[1], |r| *r);
        assert_eq!(d.keep(|j| j == 1), 1);
        assert_eq!(d.removed, vec![2]);
        assert_eq!(d.counts().unchanged, 2);
    }
}
