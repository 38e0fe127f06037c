//! Admission to the response cache: an answer is stored once its request has been seen before.
//!
//! Most recommendation requests are asked once (every patient differs). Storing each answer cost a
//! gzip pass, 434 k of a distinct recommendation's 1 011 k instructions (docs/PERFORMANCE.md), and
//! memory, and it evicted the answers that are asked again. So a miss is stored only when its key was seen recently
//! (TinyLFU's "doorkeeper"), or when identical requests waited for it at once.

use std::sync::atomic::{AtomicU64, Ordering};

/// Recently seen cache keys, by a 64-bit fingerprint in a fixed table of 512 KiB.
///
/// A key's slot is picked by its fingerprint, and a newer key in the same slot displaces it, so
/// one-off keys age out without a sweep and the table never grows.
#[derive(Debug)]
pub struct CacheAdmission {
    slots: Box<[AtomicU64]>,
}

/// Slots in the table: a power of two, so the slot is the fingerprint's low bits.
const SLOTS: usize = 1 << 16;

impl Default for CacheAdmission {
    fn default() -> Self {
        Self {
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl CacheAdmission {
    /// Records a sighting of the key with `digest` (a SHA-256); whether it had been seen already
    /// and not displaced since.
    pub(crate) fn seen_before(&self, digest: &[u8; 32]) -> bool {
        let mut first = [0; 8];
        first.copy_from_slice(&digest[..8]);
        // Never 0, the empty slot's value.
        let fingerprint = u64::from_le_bytes(first) | 1;
        // The low bits pick the slot; truncating to usize keeps them.
        #[allow(clippy::cast_possible_truncation)]
        let slot = &self.slots[fingerprint as usize & (SLOTS - 1)];
        slot.swap(fingerprint, Ordering::Relaxed) == fingerprint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(first: u8, slot_bits: u16) -> [u8; 32] {
        let mut digest = [first; 32];
        digest[..2].copy_from_slice(&slot_bits.to_le_bytes());
        digest
    }

    #[test]
    fn a_key_is_seen_before_from_its_second_sighting_on() {
        let admission = CacheAdmission::default();
        let key = digest(7, 0x1234);

        assert!(!admission.seen_before(&key));
        assert!(admission.seen_before(&key));
        assert!(admission.seen_before(&key));
        assert!(!admission.seen_before(&digest(8, 0x5678)), "another key");
    }

    #[test]
    fn a_newer_key_in_the_same_slot_displaces_an_older_one() {
        let admission = CacheAdmission::default();
        let (older, newer) = (digest(7, 0x1234), digest(9, 0x1234));

        admission.seen_before(&older);
        assert!(!admission.seen_before(&newer));

        assert!(
            !admission.seen_before(&older),
            "displaced: a first sighting again"
        );
    }
}
