//! [`ExpiringMap`]: the bounded map of expiring entries behind the in-process limiter and cache.
//!
//! Eviction policy: expired entries go first (purged on every insert), then the entries that expire
//! soonest, until both the entry count and the total weight fit. An index ordered by expiry makes
//! each step O(log n), so a flood of distinct keys (one per client IP) never triggers a full scan.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use foldhash::fast::RandomState;

/// One stored value with its bookkeeping.
#[derive(Debug)]
struct Slot<V> {
    value: V,
    expires_at: Instant,
    /// Insertion number: makes the expiry index key unique when two entries expire together.
    seq: u64,
    weight: usize,
}

/// A string-keyed map whose entries expire, capped in entry count and total weight.
#[derive(Debug)]
pub(super) struct ExpiringMap<V> {
    /// foldhash, seeded per process: every request hashes its rate-limit key here, and with SipHash
    /// that took 460 of `/version`'s 35.5 k instructions (callgrind, issue 14).
    slots: HashMap<String, Slot<V>, RandomState>,
    by_expiry: BTreeMap<(Instant, u64), String>,
    next_seq: u64,
    weight: usize,
    max_entries: usize,
    max_weight: usize,
}

impl<V> ExpiringMap<V> {
    /// An empty map holding at most `max_entries` entries of at most `max_weight` total weight.
    pub(super) fn new(max_entries: usize, max_weight: usize) -> Self {
        Self {
            slots: HashMap::default(),
            by_expiry: BTreeMap::new(),
            next_seq: 0,
            weight: 0,
            max_entries,
            max_weight,
        }
    }

    /// The live value under `key` and its expiry; an expired entry is dropped on the way.
    pub(super) fn get_mut(&mut self, key: &str, now: Instant) -> Option<(&mut V, Instant)> {
        if self.slots.get(key)?.expires_at <= now {
            self.remove(key);
            return None;
        }
        self.slots
            .get_mut(key)
            .map(|slot| (&mut slot.value, slot.expires_at))
    }

    /// Stores `value` under `key` until `expires_at`, evicting as needed; returns `false` and stores
    /// nothing when the value alone is heavier than the whole map may be.
    pub(super) fn insert(
        &mut self,
        key: String,
        value: V,
        expires_at: Instant,
        weight: usize,
        now: Instant,
    ) -> bool {
        self.remove(&key);
        if self.max_entries == 0 || weight > self.max_weight {
            return false;
        }
        self.purge_expired(now);
        while self.slots.len() >= self.max_entries || self.weight + weight > self.max_weight {
            if !self.evict_soonest() {
                break;
            }
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.by_expiry.insert((expires_at, seq), key.clone());
        self.weight += weight;
        self.slots.insert(
            key,
            Slot {
                value,
                expires_at,
                seq,
                weight,
            },
        );
        true
    }

    /// Drops every entry.
    pub(super) fn clear(&mut self) {
        self.slots.clear();
        self.by_expiry.clear();
        self.weight = 0;
    }

    fn remove(&mut self, key: &str) {
        if let Some(slot) = self.slots.remove(key) {
            self.by_expiry.remove(&(slot.expires_at, slot.seq));
            self.weight -= slot.weight;
        }
    }

    fn purge_expired(&mut self, now: Instant) {
        while let Some(entry) = self.by_expiry.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let key = entry.remove();
            if let Some(slot) = self.slots.remove(&key) {
                self.weight -= slot.weight;
            }
        }
    }

    /// Drops the entry that expires first; `false` when the map is empty.
    fn evict_soonest(&mut self) -> bool {
        let Some((_, key)) = self.by_expiry.pop_first() else {
            return false;
        };
        if let Some(slot) = self.slots.remove(&key) {
            self.weight -= slot.weight;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    impl<V> ExpiringMap<V> {
        fn len(&self) -> usize {
            assert_eq!(self.slots.len(), self.by_expiry.len(), "index out of sync");
            self.slots.len()
        }
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn expired_entries_are_not_returned_and_are_purged_on_insert() {
        let t0 = Instant::now();
        let mut map = ExpiringMap::new(10, usize::MAX);
        map.insert("a".into(), 1, t0 + secs(1), 0, t0);
        map.insert("b".into(), 2, t0 + secs(5), 0, t0);

        assert_eq!(map.get_mut("a", t0).map(|(v, _)| *v), Some(1));
        assert!(map.get_mut("a", t0 + secs(1)).is_none());
        assert_eq!(map.len(), 1);

        map.insert("c".into(), 3, t0 + secs(9), 0, t0 + secs(6));
        assert_eq!(
            map.len(),
            1,
            "b expired at 5s and is purged by the insert at 6s"
        );
        assert_eq!(map.get_mut("c", t0 + secs(6)).map(|(v, _)| *v), Some(3));
    }

    #[test]
    fn a_full_map_evicts_the_entry_expiring_soonest() {
        let t0 = Instant::now();
        let mut map = ExpiringMap::new(2, usize::MAX);
        map.insert("late".into(), 1, t0 + secs(9), 0, t0);
        map.insert("soon".into(), 2, t0 + secs(3), 0, t0);

        map.insert("new".into(), 3, t0 + secs(5), 0, t0);

        assert_eq!(map.len(), 2);
        assert!(map.get_mut("soon", t0).is_none());
        assert!(map.get_mut("late", t0).is_some());
        assert!(map.get_mut("new", t0).is_some());
    }

    #[test]
    fn weight_is_capped_and_replacing_a_key_releases_its_weight() {
        let t0 = Instant::now();
        let mut map = ExpiringMap::new(10, 10);
        assert!(map.insert("a".into(), (), t0 + secs(1), 6, t0));
        assert!(
            map.insert("a".into(), (), t0 + secs(2), 6, t0),
            "replaces itself"
        );
        assert_eq!(map.len(), 1);

        assert!(map.insert("b".into(), (), t0 + secs(3), 6, t0));
        assert!(map.get_mut("a", t0).is_none(), "evicted to make room for b");
        assert!(!map.insert("huge".into(), (), t0 + secs(3), 11, t0));
        assert!(
            map.get_mut("b", t0).is_some(),
            "a refused value evicts nothing"
        );
    }

    #[test]
    fn clear_empties_the_map() {
        let t0 = Instant::now();
        let mut map = ExpiringMap::new(10, 10);
        map.insert("a".into(), (), t0 + secs(1), 4, t0);
        map.clear();
        assert_eq!(map.len(), 0);
        assert!(
            map.insert("b".into(), (), t0 + secs(1), 10, t0),
            "weight was released"
        );
    }
}
