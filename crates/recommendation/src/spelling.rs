//! Small-typo tolerance (`hedache` → `headache`) with a symmetric-delete index.
//!
//! # Implementation Notes
//! Every dictionary word is indexed under itself and each string obtained by deleting one character.
//! A query word looks up the same variants of itself, so candidates within about two edits are found
//! with O(word length) lookups instead of a scan of the dictionary; each candidate is then
//! verified with the Damerau–Levenshtein distance. Short words are never corrected: at three letters
//! one edit turns most words into other real words.
//!
//! The variants are kept as 64-bit hashes in one sorted vector, searched by binary search, not as
//! strings in a map: 16 bytes each instead of a string, a vector and a map slot (the map and its
//! vectors held 4.0 MiB of the server's heap at ready, the sorted vector 0.8; heaptrack, issue 14).
//! A hash collision can only add a candidate, and every candidate is verified.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use foldhash::{HashMap, HashMapExt};

/// Words shorter than this are never corrected.
const MIN_CORRECTABLE_LEN: usize = 4;
/// From this length on, two edits are tolerated; below it, one.
const TWO_EDITS_FROM_LEN: usize = 9;

/// A dictionary of known words with their frequencies and delete variants.
#[derive(Debug, Default)]
pub(crate) struct Speller {
    words: Vec<(String, u32)>,
    exact: HashMap<String, u32>,
    /// (hash of a delete variant, id of the word it came from), sorted.
    deletes: Vec<(u64, u32)>,
}

impl Speller {
    /// Builds the index over `words` (word → number of index entries using it).
    pub(crate) fn new(frequencies: HashMap<String, u32>) -> Self {
        let mut words: Vec<(String, u32)> = frequencies.into_iter().collect();
        // Sorted so word ids, and therefore tie-breaks between equal candidates, are deterministic.
        words.sort_unstable();
        let mut exact = HashMap::with_capacity(words.len());
        let mut deletes = Vec::new();
        for (id, (word, _)) in (0u32..).zip(&words) {
            exact.insert(word.clone(), id);
            if word.chars().count() >= MIN_CORRECTABLE_LEN {
                deletes.extend(delete_variants(word).iter().map(|v| (variant_hash(v), id)));
            }
        }
        deletes.sort_unstable();
        deletes.dedup();
        deletes.shrink_to_fit();
        Self {
            words,
            exact,
            deletes,
        }
    }

    /// Whether `word` is in the dictionary as is.
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.exact.contains_key(word)
    }

    /// The closest known word within the tolerated distance: fewest edits, then most frequent.
    pub(crate) fn correct(&self, word: &str) -> Option<&str> {
        let len = word.chars().count();
        if len < MIN_CORRECTABLE_LEN || self.knows(word) {
            return None;
        }
        let max_edits = if len >= TWO_EDITS_FROM_LEN { 2 } else { 1 };
        let mut best: Option<(usize, u32, u32)> = None;
        let mut consider = |id: u32| {
            let Some((candidate, frequency)) = self.words.get(id as usize) else {
                return;
            };
            let distance = strsim::damerau_levenshtein(word, candidate);
            if distance > max_edits {
                return;
            }
            let better = match best {
                None => true,
                Some((d, f, i)) => {
                    (distance, std::cmp::Reverse(*frequency), id) < (d, std::cmp::Reverse(f), i)
                }
            };
            if better {
                best = Some((distance, *frequency, id));
            }
        };
        self.words_with_variant(word).for_each(&mut consider);
        for variant in delete_variants(word) {
            if let Some(&id) = self.exact.get(&variant) {
                consider(id);
            }
            self.words_with_variant(&variant).for_each(&mut consider);
        }
        best.and_then(|(_, _, id)| self.words.get(id as usize).map(|(w, _)| w.as_str()))
    }

    /// Ids of the words that have `variant` (or, rarely, a string of the same hash) among their
    /// delete variants.
    fn words_with_variant(&self, variant: &str) -> impl Iterator<Item = u32> + '_ {
        let hash = variant_hash(variant);
        let start = self.deletes.partition_point(|&(h, _)| h < hash);
        self.deletes[start..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, id)| id)
    }
}

/// A fixed seed, so the index is the same in every process.
fn variant_hash(variant: &str) -> u64 {
    FixedState::with_seed(0).hash_one(variant)
}

/// Every string made by deleting one character of `word`.
fn delete_variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (0..chars.len())
        .map(|skip| {
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| *c)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller(words: &[(&str, u32)]) -> Speller {
        Speller::new(words.iter().map(|(w, f)| ((*w).to_string(), *f)).collect())
    }

    #[test]
    fn one_missing_letter_is_corrected() {
        let s = speller(&[("headache", 3), ("heartburn", 1)]);
        assert_eq!(s.correct("hedache"), Some("headache"));
    }

    #[test]
    fn transposed_letters_are_corrected() {
        let s = speller(&[("fever", 1)]);
        assert_eq!(s.correct("fveer"), Some("fever"));
    }

    #[test]
    fn known_short_and_distant_words_are_not_corrected() {
        let s = speller(&[("headache", 1), ("eye", 1)]);
        assert_eq!(s.correct("headache"), None);
        assert_eq!(s.correct("eyz"), None);
        assert_eq!(s.correct("banana"), None);
    }

    #[test]
    fn most_frequent_word_wins_among_equally_close_ones() {
        let s = speller(&[("rash", 1), ("rush", 9)]);
        assert_eq!(s.correct("rosh"), Some("rush"));
    }
}
