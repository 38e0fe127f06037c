//! A fixed-size Bloom filter of a text's byte trigrams: an exact "cannot contain" test before a
//! substring search.
//!
//! # Implementation Notes
//! Every label section of a basket's ingredients is searched for every trigger word of the
//! patient (some thirty words): most searches find nothing. A needle whose trigrams are not all
//! in the text's filter cannot occur in it, so the search is skipped; a filter never says "no"
//! for a needle that does occur (no false negatives), so answers do not change.

/// Bits in a filter: 4096 (512 bytes per text).
const BITS: usize = 4096;

/// The trigram filter of one text.
#[derive(Debug, Clone)]
pub(crate) struct TrigramSet {
    words: Box<[u64; BITS / 64]>,
}

impl TrigramSet {
    /// The filter of `text`'s bytes.
    pub(crate) fn of(text: &str) -> Self {
        let mut words = Box::new([0u64; BITS / 64]);
        for bit in positions(text) {
            words[usize::from(bit) / 64] |= 1 << (bit % 64);
        }
        Self { words }
    }

    /// False when a needle with these trigram `positions` cannot occur in the text.
    pub(crate) fn may_contain(&self, positions: &[u16]) -> bool {
        positions
            .iter()
            .all(|&bit| self.words[usize::from(bit) / 64] & (1 << (bit % 64)) != 0)
    }
}

/// A lower-case word that makes a label line about a patient (a condition phrase, a current
/// medicine, an allergy), with its trigrams: every label section of every ingredient is tested
/// for every trigger, and the sections' filters rule most of them out without a search. Condition
/// phrases' triggers are built once per snapshot.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    pub(crate) text: String,
    trigrams: Vec<u16>,
}

impl Trigger {
    /// A trigger of more than two bytes (shorter words would match inside other words).
    pub(crate) fn new(text: String) -> Option<Self> {
        (text.len() > 2).then(|| Self {
            trigrams: positions(&text).collect(),
            text,
        })
    }

    /// Whether `lower` (a lower-cased text, `filter` its trigrams) contains the trigger.
    pub(crate) fn found_in(&self, filter: &TrigramSet, lower: &str) -> bool {
        filter.may_contain(&self.trigrams) && lower.contains(&self.text)
    }
}

/// The filter positions of `text`'s byte trigrams (empty for texts under three bytes).
fn positions(text: &str) -> impl Iterator<Item = u16> + '_ {
    text.as_bytes().windows(3).map(|w| {
        let hash = (u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2]))
            .wrapping_mul(0x9E37_79B1);
        // The top 12 bits of a multiplicative hash: 0..4096.
        u16::try_from(hash >> 20).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needle(text: &str) -> Vec<u16> {
        positions(text).collect()
    }

    #[test]
    fn a_contained_needle_is_never_ruled_out() {
        let text = "ask a doctor before use if you have high blood pressure or asthma";
        let set = TrigramSet::of(text);
        for start in 0..text.len() - 3 {
            for end in start + 3..=text.len() {
                assert!(set.may_contain(&needle(&text[start..end])));
            }
        }
    }

    #[test]
    fn an_absent_needle_is_mostly_ruled_out() {
        let set = TrigramSet::of("ask a doctor before use if you have high blood pressure");
        let ruled_out = [
            "warfarin",
            "lithium",
            "glaucoma",
            "sulfonamide",
            "kidney disease",
        ]
        .iter()
        .filter(|w| !set.may_contain(&needle(w)))
        .count();
        assert!(ruled_out >= 4, "{ruled_out}");
    }
}
