//! Word posting lists: which entries (condition names, indication texts) hold every word of a span.

use foldhash::HashMap;

/// The entries holding every word of `span`, each with the share of its words the span covers
/// (`span words / entry words`, at most 1). `postings` maps a word to the sorted ids of the entries
/// holding it; `word_counts[id]` is an entry's number of words.
pub(crate) fn holding_every_word(
    postings: &HashMap<String, Vec<u32>>,
    word_counts: &[usize],
    span: &[&str],
) -> Vec<(u32, f32)> {
    let mut lists = Vec::with_capacity(span.len());
    for word in span {
        match postings.get(*word) {
            Some(list) => lists.push(list),
            None => return Vec::new(),
        }
    }
    // Walk the shortest list; look the others up by binary search.
    lists.sort_by_key(|l| l.len());
    let Some((first, rest)) = lists.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|id| rest.iter().all(|l| l.binary_search(id).is_ok()))
        .map(|&id| {
            let total = word_counts.get(id as usize).copied().unwrap_or(1).max(1);
            #[expect(clippy::cast_precision_loss, reason = "word counts are tiny")]
            let coverage = (span.len() as f32 / total as f32).min(1.0);
            (id, coverage)
        })
        .collect()
}
