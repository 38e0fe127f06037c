//! Turns a query (free text and/or condition codes) into matched terms and unrecognised words.
//!
//! At each word the longest run of words that names something wins, then shorter runs: a
//! monograph indication or a cited lay phrase (`catalogue::UseIndex`), a condition name or a
//! condition-vocabulary phrase, or, failing those, a run whose words all occur in a condition name
//! or an indication. So "cold sore" or "blocked nose" is one term, never "cold" + "sore". Function
//! words ("and", "my") are never reported; a run may hold them only when it is a whole phrase of an
//! index ("the runs", "hard to fall asleep"), so "headache and fever" stays two terms. Words the
//! indexes do not know are corrected when one close spelling exists (`hedache` → `headache`,
//! reported in the reason), otherwise reported as unrecognised, never guessed; so is a run that
//! reaches nothing through a strong link ([`STRONG_LINK`]).

use serde::{Deserialize, Serialize};

use crate::snapshot::{CondId, ConditionIndex, Hit, UseHit, UseIndex};
use crate::text::{is_stop_word, tokens};

/// What the patient or pharmacist asks about: symptom or condition text and/or condition codes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SymptomQuery {
    /// Free text, e.g. `headache and fever`, `hay fever`.
    pub text: String,
    /// Condition codes: UMLS CUI (`C0018681`), SNOMED CT id, `DOID:…`, `SYMP:…`.
    pub condition_codes: Vec<String>,
}

impl SymptomQuery {
    /// A free-text query.
    pub fn text(text: &str) -> Self {
        Self {
            text: text.to_string(),
            condition_codes: Vec::new(),
        }
    }
}

/// One understood part of the query with the conditions and OTC uses it reaches.
#[derive(Debug, Clone)]
pub(crate) struct MatchedTerm {
    /// As the caller wrote it.
    pub(crate) term: String,
    /// Spelling corrections applied, e.g. `hedache → headache`.
    pub(crate) corrections: Vec<String>,
    /// Conditions of the indication sources (DrugCentral, PharmacotherapyDB).
    pub(crate) hits: Vec<Hit>,
    /// OTC monograph indications.
    pub(crate) uses: Vec<UseHit>,
}

/// The query as understood.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interpretation {
    pub(crate) terms: Vec<MatchedTerm>,
    pub(crate) unrecognised: Vec<String>,
}

struct Word {
    typed: String,
    normal: String,
    corrected: bool,
    known: bool,
    stop: bool,
}

/// Room for function words inside a run, on top of the longest condition name.
const EXTRA_SPAN_WORDS: usize = 3;
/// A link at least this strong (a name, a synonym, a cited phrase, a word match covering two
/// thirds of a name: 0.45 + 0.3 × 2/3 = 0.65, less f32 rounding) makes a run understood and may
/// carry a result. Weaker links (`symptom_of`, `parent`, `child`, a word inside a long name) only
/// support: a run reaching nothing stronger is reported as unrecognised,
/// because what it would match is a guess.
pub(crate) const STRONG_LINK: f32 = 0.64;

/// Interprets `query` against the condition and OTC-use indexes.
pub(crate) fn interpret(
    conditions: &ConditionIndex,
    uses: &UseIndex,
    query: &SymptomQuery,
) -> Interpretation {
    let mut out = Interpretation::default();
    let words = read_words(conditions, &query.text);
    let max_span = (conditions.max_phrase_words + EXTRA_SPAN_WORDS).max(uses.max_span_words);
    let mut start = 0;
    while let Some(first) = words.get(start) {
        if !first.known {
            out.unrecognised.push(first.typed.clone());
            start += 1;
            continue;
        }
        let longest = words[start..]
            .iter()
            .take(max_span.max(1))
            .take_while(|w| w.known)
            .count();
        let matched = (1..=longest).rev().find_map(|len| {
            let span = &words[start..start + len];
            span_term(conditions, uses, span).map(|term| (len, term))
        });
        match matched {
            Some((len, term)) => {
                out.terms.push(term);
                start += len;
            }
            None => {
                if !first.stop {
                    out.unrecognised.push(first.typed.clone());
                }
                start += 1;
            }
        }
    }
    if out.terms.is_empty() && out.unrecognised.is_empty() {
        // Only function words ("and the"): nothing was understood, and the caller must see that.
        out.unrecognised = words.into_iter().map(|w| w.typed).collect();
    }
    for code in &query.condition_codes {
        let hits = conditions.code(code);
        if hits.is_empty() {
            out.unrecognised.push(code.clone());
        } else {
            out.terms.push(MatchedTerm {
                term: code.clone(),
                corrections: Vec::new(),
                hits: hits.to_vec(),
                uses: Vec::new(),
            });
        }
    }
    out
}

/// The query's words, function words marked, spelling corrected where possible.
fn read_words(index: &ConditionIndex, text: &str) -> Vec<Word> {
    tokens(text)
        .into_iter()
        .map(|(typed, normal)| {
            if is_stop_word(&normal) {
                return Word {
                    typed,
                    normal,
                    corrected: false,
                    known: true,
                    stop: true,
                };
            }
            if index.knows_word(&normal) {
                return Word {
                    typed,
                    normal,
                    corrected: false,
                    known: true,
                    stop: false,
                };
            }
            match index.speller.correct(&normal) {
                Some(fixed) => Word {
                    typed,
                    normal: fixed.to_string(),
                    corrected: true,
                    known: true,
                    stop: false,
                },
                None => Word {
                    typed,
                    normal,
                    corrected: false,
                    known: false,
                    stop: false,
                },
            }
        })
        .collect()
}

/// What a run of words names, if anything.
///
/// # Implementation Notes
/// A run that starts with a function word can only be a literal phrase (`the runs`); one that
/// holds function words inside can only be a whole phrase of an index, never a word match, so
/// two complaints joined by "and" are never read as one.
fn span_term(conditions: &ConditionIndex, uses: &UseIndex, span: &[Word]) -> Option<MatchedTerm> {
    if span.last().is_none_or(|w| w.stop) {
        return None;
    }
    let literal: Vec<&str> = span.iter().map(|w| w.normal.as_str()).collect();
    let content: Vec<&str> = span
        .iter()
        .filter(|w| !w.stop)
        .map(|w| w.normal.as_str())
        .collect();
    let mut use_hits: Vec<UseHit> = Vec::new();
    let mut hits: Vec<Hit> = Vec::new();
    let has_stop = content.len() < literal.len();
    if has_stop {
        use_hits.extend_from_slice(uses.literal(&literal.join(" ")));
    }
    if !span[0].stop {
        let key = content.join(" ");
        for &hit in uses.phrase(&key) {
            merge_use(&mut use_hits, hit);
        }
        hits.extend_from_slice(conditions.phrase(&key));
        if !has_stop {
            // Word matches only where nothing names the run as a whole.
            if use_hits.is_empty() {
                use_hits = uses.containing_all(&content);
            }
            for hit in conditions.containing_all(&content) {
                merge(&mut hits, hit);
            }
        }
    }
    let strong = hits.iter().any(|h| h.weight >= STRONG_LINK)
        || use_hits.iter().any(|h| h.weight >= STRONG_LINK);
    if !strong {
        return None;
    }
    Some(MatchedTerm {
        term: span
            .iter()
            .map(|w| w.typed.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        corrections: span
            .iter()
            .filter(|w| w.corrected)
            .map(|w| format!("{} → {}", w.typed, w.normal))
            .collect(),
        hits,
        uses: use_hits,
    })
}

fn merge(hits: &mut Vec<Hit>, hit: Hit) {
    let condition: CondId = hit.condition;
    match hits.iter_mut().find(|h| h.condition == condition) {
        Some(existing) if existing.weight < hit.weight => *existing = hit,
        Some(_) => {}
        None => hits.push(hit),
    }
}

fn merge_use(hits: &mut Vec<UseHit>, hit: UseHit) {
    match hits.iter_mut().find(|h| h.indication == hit.indication) {
        Some(existing) if existing.weight < hit.weight => *existing = hit,
        Some(_) => {}
        None => hits.push(hit),
    }
}
