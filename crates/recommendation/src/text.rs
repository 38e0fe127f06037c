//! Text normalisation shared by the index and the query side, so both compare like with like.
//!
//! The rules are deliberately simple and symmetric: lower case, fold Latin accents, split on anything
//! that is not a letter or digit, reduce regular English plurals. Linguistic accuracy matters less
//! than applying the same rule to the catalogue and to what a pharmacist types.

/// English function words that carry no clinical meaning; skipped, never reported as unrecognised.
const STOP_WORDS: &[&str] = &[
    "a", "also", "am", "an", "and", "are", "as", "at", "be", "been", "by", "feel", "feeling",
    "for", "from", "got", "had", "has", "have", "having", "i", "im", "in", "is", "it", "me", "my",
    "of", "on", "or", "plus", "some", "the", "to", "very", "with",
];

/// Whether `word` (already normalised) is a function word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Lower-cases and folds the accents of the Latin letters found in the sources (ANSM, INN names).
fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ÿ' | 'ý' => 'y',
        other => other,
    }
}

/// Reduces a regular English plural to its singular (`allergies` → `allergy`, `eyes` → `eye`).
///
/// # Implementation Notes
/// Only suffixes are stripped; words that merely end in `s` (`sinus`, `psoriasis`, `loss`) are kept.
/// `aches` keeps its `e` (`headaches` → `headache`), other `-ches`/`-shes`/`-xes` lose `es`.
fn singular(word: &str) -> &str {
    let len = word.len();
    if len <= 3 || !word.ends_with('s') {
        return word;
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return word;
    }
    if word.ends_with("ies") && len > 4 {
        // Caller re-appends `y`; see `normalise_word`.
        return &word[..len - 3];
    }
    if word.ends_with("aches") {
        return &word[..len - 1];
    }
    if word.ends_with("ches") || word.ends_with("shes") || word.ends_with("xes") {
        return &word[..len - 2];
    }
    &word[..len - 1]
}

/// Normalises one already lower-cased, accent-folded word: singular form, `ies` → `y`.
fn normalise_word(word: &str) -> String {
    let stem = singular(word);
    if stem.len() + 3 == word.len() && word.ends_with("ies") {
        format!("{stem}y")
    } else {
        stem.to_string()
    }
}

/// Splits text into words, each as typed (lower case) and normalised (accents folded, singular).
pub(crate) fn tokens(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut typed = String::new();
    let mut folded = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            typed.push(c);
            folded.push(fold_char(c));
        } else if c == '\'' || c == '’' {
            // "athlete's" and "athletes" are the same word for matching purposes.
            typed.push(c);
        } else {
            flush(&mut out, &mut typed, &mut folded);
        }
    }
    flush(&mut out, &mut typed, &mut folded);
    out
}

fn flush(out: &mut Vec<(String, String)>, typed: &mut String, folded: &mut String) {
    if !folded.is_empty() {
        out.push((std::mem::take(typed), normalise_word(folded)));
    }
    typed.clear();
    folded.clear();
}

/// Splits text into normalised words (lower case, accents folded, singular), stop words included.
pub(crate) fn words(text: &str) -> Vec<String> {
    tokens(text).into_iter().map(|(_, word)| word).collect()
}

/// Normalised words without stop words, joined by one space: the key of a phrase or a name.
pub(crate) fn phrase_key(text: &str) -> String {
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS);
    }

    #[test]
    fn plurals_reduce_to_the_singular() {
        assert_eq!(words("Headaches"), ["headache"]);
        assert_eq!(words("allergies"), ["allergy"]);
        assert_eq!(words("itches rashes"), ["itch", "rash"]);
        assert_eq!(words("watery eyes"), ["watery", "eye"]);
    }

    #[test]
    fn words_ending_in_s_that_are_not_plurals_are_kept() {
        assert_eq!(
            words("sinus psoriasis hair loss"),
            ["sinus", "psoriasis", "hair", "loss"]
        );
    }

    #[test]
    fn punctuation_case_and_accents_are_ignored() {
        assert_eq!(
            words("Tension-Type HEADACHE"),
            ["tension", "type", "headache"]
        );
        assert_eq!(words("Athlete's foot"), ["athlete", "foot"]);
        assert_eq!(words("Thésaurus"), ["thesaurus"]);
    }

    #[test]
    fn tokens_keep_the_typed_form_next_to_the_normalised_one() {
        let pairs: Vec<(String, String)> = tokens("Hay-Fevers, don't");
        assert_eq!(pairs[1], ("fevers".to_string(), "fever".to_string()));
        assert_eq!(pairs[2], ("don't".to_string(), "dont".to_string()));
    }

    #[test]
    fn phrase_key_drops_function_words() {
        assert_eq!(phrase_key("headache and fever"), "headache fever");
        assert_eq!(phrase_key("Pain of the Back"), "pain back");
    }

    proptest::proptest! {
        /// The name indexes look a name up as typed before normalising it: that finds the same
        /// entry only because a key is its own key.
        #[test]
        fn a_phrase_key_is_its_own_key(text in "\\PC{0,40}") {
            let key = phrase_key(&text);
            proptest::prop_assert_eq!(phrase_key(&key), key);
        }
    }

    #[test]
    fn keys_ending_in_plural_looking_letters_are_their_own_keys() {
        for text in [
            "glasses",
            "series",
            "headaches",
            "sinuses",
            "bus",
            "ass",
            "caries",
        ] {
            let key = phrase_key(text);
            assert_eq!(phrase_key(&key), key, "{text}");
        }
    }
}
