//! Conditions are never symptoms: a pre-pass over the symptom text that moves "history of
//! stomach ulcer", "she has asthma", "known diabetes" … to the patient's conditions.
//!
//! Pharmacists have no separate field for conditions, so they type them into the symptoms. A span
//! is moved only when a trigger (`history of`, `known`, `i have`, `she has`, `he has`, `has`,
//! `with`, `diagnosed with`, `suffers from`) is followed by a phrase of the coded condition
//! vocabulary (`patient_conditions.csv`); several phrases may follow, joined by `and`, `or` or a
//! comma. "headache with fever" keeps "fever": it is not a condition phrase. The span is replaced
//! by a comma so the remaining complaints stay apart; the matcher never sees it.

use serde::Serialize;

/// Words that introduce a condition the patient has, longest first.
const TRIGGERS: &[&[&str]] = &[
    &["history", "of"],
    &["diagnosed", "with"],
    &["suffers", "from"],
    &["suffering", "from"],
    &["she", "has"],
    &["he", "has"],
    &["i", "have"],
    &["known"],
    &["has"],
    &["have"],
    &["with"],
];

/// Words that may sit between a trigger and the phrase, or join two phrases.
const FILLERS: &[&str] = &["a", "an", "and", "or", "also", "had"];

/// A condition phrase found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionFromText {
    /// The words as written (trigger included).
    pub text: String,
    /// The condition code it was read as.
    pub code: String,
}

/// One phrase occurrence: byte span of the phrase and its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) code: String,
}

/// The text with condition spans removed, and what was moved.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) text: String,
    pub(crate) conditions: Vec<ConditionFromText>,
}

/// Words of `text` with their byte spans (letters, digits, `-`, `'`), lower case.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let in_word = c.is_alphanumeric() || c == '-' || c == '\'';
        match (start, in_word) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                out.push((from, at, text[from..at].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The longest vocabulary phrase starting at word `at`: (words used, code).
fn phrase_at(
    phrases: &[(String, String)],
    tokens: &[(usize, usize, String)],
    at: usize,
) -> Option<(usize, String)> {
    // `phrases` is sorted longest first, so the first match is the longest.
    // Word by word, without collecting the phrase's words: this runs for every phrase of the
    // vocabulary at every word of the text.
    phrases.iter().find_map(|(phrase, code)| {
        let mut len = 0;
        for part in phrase.split_whitespace() {
            let (_, _, word) = tokens.get(at + len)?;
            if word != part {
                return None;
            }
            len += 1;
        }
        (len > 0).then(|| (len, code.clone()))
    })
}

/// Every condition phrase of `text`: after a trigger only, or anywhere when `anywhere` is set (a
/// conditions field, where every word is about the patient).
pub(crate) fn find_phrases(phrases: &[(String, String)], text: &str, triggered: bool) -> Vec<Span> {
    find(phrases, &words(text), triggered)
        .into_iter()
        .map(|(_, span)| span)
        .collect()
}

/// Spans with the byte offset their trigger starts at.
fn find(
    phrases: &[(String, String)],
    tokens: &[(usize, usize, String)],
    triggered: bool,
) -> Vec<(usize, Span)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let trigger = if triggered {
            TRIGGERS.iter().find(|t| {
                tokens
                    .get(at..at + t.len())
                    .is_some_and(|w| w.iter().zip(t.iter()).all(|((_, _, a), b)| a == b))
            })
        } else {
            Some(&(&[] as &[&str]))
        };
        let Some(trigger) = trigger else {
            at += 1;
            continue;
        };
        let trigger_start = tokens[at].0;
        let mut next = at + trigger.len();
        let mut found_any = false;
        loop {
            while tokens
                .get(next)
                .is_some_and(|(_, _, w)| FILLERS.contains(&w.as_str()))
            {
                next += 1;
            }
            match phrase_at(phrases, tokens, next) {
                Some((len, code)) => {
                    let (start, end) = (tokens[next].0, tokens[next + len - 1].1);
                    out.push((trigger_start, Span { start, end, code }));
                    next += len;
                    found_any = true;
                }
                None => break,
            }
        }
        at = if found_any { next } else { at + 1 };
    }
    out
}

/// Moves triggered condition spans out of `text`.
pub(crate) fn extract(phrases: &[(String, String)], text: &str) -> Extracted {
    let tokens = words(text);
    let spans = find(phrases, &tokens, true);
    if spans.is_empty() {
        return Extracted {
            text: text.to_string(),
            conditions: Vec::new(),
        };
    }
    let mut cleaned = String::with_capacity(text.len());
    let mut kept_from = 0;
    let mut conditions = Vec::new();
    for (trigger_start, span) in &spans {
        let from = (*trigger_start).max(kept_from);
        cleaned.push_str(&text[kept_from..from]);
        cleaned.push_str(", ");
        conditions.push(ConditionFromText {
            text: text[from..span.end].to_string(),
            code: span.code.clone(),
        });
        kept_from = span.end;
    }
    cleaned.push_str(&text[kept_from..]);
    Extracted {
        text: cleaned,
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Synthetic vocabulary (words only, no medical claim), longest first as the index keeps it.
    fn phrases() -> Vec<(String, String)> {
        vec![
            ("stomach ulcer".to_string(), "code_u".to_string()),
            ("asthma".to_string(), "code_a".to_string()),
        ]
    }

    #[test]
    fn a_triggered_condition_is_moved_out_of_the_complaint() {
        let out = extract(&phrases(), "headache, history of stomach ulcer");
        assert_eq!(out.conditions.len(), 1);
        assert_eq!(out.conditions[0].code, "code_u");
        assert_eq!(out.conditions[0].text, "history of stomach ulcer");
        assert!(!out.text.contains("ulcer") && out.text.contains("headache"));
    }

    #[test]
    fn several_phrases_after_one_trigger_are_all_moved() {
        let out = extract(
            &phrases(),
            "period pain, she has asthma and a stomach ulcer",
        );
        let codes: Vec<&str> = out.conditions.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["code_a", "code_u"]);
        assert!(out.text.contains("period pain") && !out.text.contains("asthma"));
    }

    #[test]
    fn an_untriggered_phrase_stays_a_complaint() {
        let out = extract(&phrases(), "asthma attack");
        assert!(out.conditions.is_empty());
        assert_eq!(out.text, "asthma attack");
    }

    #[test]
    fn with_followed_by_a_complaint_moves_nothing() {
        let out = extract(&phrases(), "headache with fever");
        assert!(out.conditions.is_empty());
    }
}
