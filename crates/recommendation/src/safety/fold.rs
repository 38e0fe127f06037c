//! Case-insensitive search of short texts without allocating: product dose forms, routes and
//! strengths are tested for every product of every candidate treatment, where lower-casing a copy
//! of each cost more than the search. (Long texts searched for many words are lower-cased once
//! instead: see `labels`.)

/// Whether `text` lower-cased contains `needle` (already lower case): the same answer as
/// `text.to_lowercase().contains(needle)`, without the copy when `text` is ASCII.
pub(crate) fn contains_ignore_case(text: &str, needle: &str) -> bool {
    if !text.is_ascii() {
        return text.to_lowercase().contains(needle);
    }
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || text
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_answers_like_lower_casing_a_copy() {
        for (text, needle) in [
            ("Association DECONSEILLEE", "deconseillee"),
            ("Précaution d'emploi", "précaution"),
            ("PRÉCAUTION", "précaution"),
            ("Tablet, Extended Release", "extended"),
            ("tablet", "extended"),
            ("", "x"),
            ("abc", ""),
        ] {
            assert_eq!(
                contains_ignore_case(text, needle),
                text.to_lowercase().contains(needle),
                "{text} / {needle}"
            );
        }
    }
}
