//! [`SharedText`]: an answer's text that is either written for this answer or shared with the
//! snapshot.
//!
//! # Implementation Notes
//! A basket of ten with a full patient returns some 60 findings and 60 KB of text, most of it the
//! sources' own statements (ANSM's French texts, rule verbatims). Writing each into a fresh
//! `String` per request was the largest remaining cost of the check (issue 8). A statement that
//! depends only on its data row is written once per snapshot and shared (`Arc<str>`, a reference
//! count instead of a copy); text built for one answer stays an owned `String` and is moved, never
//! copied. Either way the type reads as a `&str` and serialises as a plain JSON string.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Text of an answer: owned, or shared with the snapshot. Compares, orders and serialises as the
/// string it holds.
#[derive(Clone)]
pub enum SharedText {
    /// Written for this answer.
    Owned(String),
    /// Written once per snapshot from a data row, shared by every answer that shows it.
    Shared(Arc<str>),
    /// A fixed text of the engine (`pharmarec structural rule`).
    Static(&'static str),
}

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Owned(text) => text,
            Self::Shared(text) => text,
            Self::Static(text) => text,
        }
    }

    /// `texts` joined by `separator`, like `[String]::join`.
    pub fn join(texts: &[Self], separator: &str) -> String {
        texts
            .iter()
            .map(Self::as_str)
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// A source's citation: the fixed text of a shipped source, a copy of a licensed one's.
    pub(crate) fn citation_of(source: &pharmarec_domain::InteractionSource) -> Self {
        source
            .shipped_citation()
            .map_or_else(|| source.citation().into(), Self::Static)
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        Self::Owned(text)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        Self::Owned(text.to_string())
    }
}

impl From<&Arc<str>> for SharedText {
    fn from(text: &Arc<str>) -> Self {
        Self::Shared(Arc::clone(text))
    }
}

impl From<Arc<str>> for SharedText {
    fn from(text: Arc<str>) -> Self {
        Self::Shared(text)
    }
}

impl From<SharedText> for String {
    fn from(text: SharedText) -> Self {
        match text {
            SharedText::Owned(text) => text,
            SharedText::Shared(text) => text.to_string(),
            SharedText::Static(text) => text.to_string(),
        }
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Two answers' copies of one snapshot text: equal without reading them (findings are
        // sorted by text).
        if let (Self::Shared(a), Self::Shared(b)) = (self, other)
            && Arc::ptr_eq(a, b)
        {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for SharedText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Serialize for SharedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_and_shared_texts_are_the_same_string_to_every_reader() {
        let owned = SharedText::from("ANSM text".to_string());
        let shared = SharedText::from(Arc::<str>::from("ANSM text"));
        assert_eq!(owned, shared);
        assert_eq!(shared, "ANSM text");
        assert_eq!(shared.to_string(), "ANSM text");
        assert_eq!(
            serde_json::to_string(&shared).unwrap(),
            serde_json::to_string("ANSM text").unwrap()
        );
        assert_eq!(SharedText::Static("ANSM text"), owned);
        let (first, second) = (
            SharedText::from("a"),
            SharedText::from(Arc::<str>::from("b")),
        );
        assert!(first < second, "ordered as strings, whatever the variant");
    }
}
