//! Turns a query (free text and/or condition codes) into matched terms and unrecognised words.
//!
//! Text is cut into chunks at function words ("headache **and** fever"); inside a chunk the longest
//! run of words that names a condition or a vocabulary phrase wins, then shorter runs, then single
//! words matched inside condition names. Words the index does not know are corrected when one close
//! spelling exists (`hedache` → `headache`, reported in the reason), otherwise reported as
//! unrecognised, never guessed.

use serde::{Deserialize, Serialize};

use crate::catalogue::{CondId, ConditionIndex, Hit};
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

/// One understood part of the query with the conditions it reaches.
#[derive(Debug, Clone)]
pub(crate) struct MatchedTerm {
    /// As the caller wrote it.
    pub(crate) term: String,
    /// Spelling corrections applied, e.g. `hedache → headache`.
    pub(crate) corrections: Vec<String>,
    pub(crate) hits: Vec<Hit>,
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
}

/// Interprets `query` against the condition index.
pub(crate) fn interpret(index: &ConditionIndex, query: &SymptomQuery) -> Interpretation {
    let mut out = Interpretation::default();
    for chunk in chunks(index, &query.text) {
        match_chunk(index, &chunk, &mut out);
    }
    for code in &query.condition_codes {
        let hits = index.code(code);
        if hits.is_empty() {
            out.unrecognised.push(code.clone());
        } else {
            out.terms.push(MatchedTerm {
                term: code.clone(),
                corrections: Vec::new(),
                hits: hits.to_vec(),
            });
        }
    }
    out
}

/// Words grouped into chunks separated by function words, with spelling corrected where possible.
fn chunks(index: &ConditionIndex, text: &str) -> Vec<Vec<Word>> {
    let mut chunks = vec![Vec::new()];
    for (typed, normal) in tokens(text) {
        if is_stop_word(&normal) {
            chunks.push(Vec::new());
            continue;
        }
        let word = if index.knows_word(&normal) {
            Word {
                typed,
                normal,
                corrected: false,
                known: true,
            }
        } else if let Some(fixed) = index.speller.correct(&normal) {
            Word {
                typed,
                normal: fixed.to_string(),
                corrected: true,
                known: true,
            }
        } else {
            Word {
                typed,
                normal,
                corrected: false,
                known: false,
            }
        };
        if let Some(last) = chunks.last_mut() {
            last.push(word);
        }
    }
    chunks.retain(|c| !c.is_empty());
    chunks
}

fn match_chunk(index: &ConditionIndex, chunk: &[Word], out: &mut Interpretation) {
    let mut start = 0;
    while let Some(first) = chunk.get(start) {
        if !first.known {
            out.unrecognised.push(first.typed.clone());
            start += 1;
            continue;
        }
        let longest = chunk[start..]
            .iter()
            .take(index.max_phrase_words.max(1))
            .take_while(|w| w.known)
            .count();
        let mut matched = false;
        for len in (1..=longest).rev() {
            let span = &chunk[start..start + len];
            let hits = span_hits(index, span);
            if hits.is_empty() {
                continue;
            }
            out.terms.push(MatchedTerm {
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
            });
            start += len;
            matched = true;
            break;
        }
        if !matched {
            out.unrecognised.push(first.typed.clone());
            start += 1;
        }
    }
}

/// Conditions a span reaches as a phrase or through its words, strongest route per condition.
fn span_hits(index: &ConditionIndex, span: &[Word]) -> Vec<Hit> {
    let normals: Vec<String> = span.iter().map(|w| w.normal.clone()).collect();
    let mut hits: Vec<Hit> = index.phrase(&normals.join(" ")).to_vec();
    for hit in index.containing_all(&normals) {
        merge(&mut hits, hit);
    }
    hits
}

fn merge(hits: &mut Vec<Hit>, hit: Hit) {
    let condition: CondId = hit.condition;
    match hits.iter_mut().find(|h| h.condition == condition) {
        Some(existing) if existing.weight < hit.weight => *existing = hit,
        Some(_) => {}
        None => hits.push(hit),
    }
}
