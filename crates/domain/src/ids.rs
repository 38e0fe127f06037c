//! Newtype identifiers, so a medicine id can never be passed where a pharmacy id is expected.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::DomainError;

const MAX_MEDICINE_ID_LEN: usize = 64;

/// A medicine (product) id: the source id for imported products (`OB-A071192-001`), `LOC-<uuid>` for
/// products created locally.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MedicineId(String);

impl MedicineId {
    /// Prefix of ids given to locally created products.
    pub const LOCAL_PREFIX: &'static str = "LOC-";

    /// A fresh id for a locally created product.
    pub fn new_local() -> Self {
        Self(format!("{}{}", Self::LOCAL_PREFIX, Uuid::new_v4()))
    }

    /// Whether this id names a locally created product (never touched by import).
    pub fn is_local(&self) -> bool {
        self.0.starts_with(Self::LOCAL_PREFIX)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MedicineId {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let well_formed = !value.is_empty()
            && value.len() <= MAX_MEDICINE_ID_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if well_formed {
            Ok(Self(value))
        } else {
            Err(DomainError::invalid(
                "medicine_id",
                "must be 1-64 ASCII letters, digits, '-' or '_'",
            ))
        }
    }
}

impl FromStr for MedicineId {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(s.to_string())
    }
}

impl From<MedicineId> for String {
    fn from(id: MedicineId) -> Self {
        id.0
    }
}

impl fmt::Display for MedicineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ingredient key: the dataset's lower-case join key (`acetaminophen`, `naproxen`).
///
/// Shared text (`Arc<str>`): answers copy keys into every warning and finding, and a clone is a
/// reference count, not an allocation (the engine's answers hold hundreds of them). Compared as
/// text; two clones of one key compare equal without reading it.
#[derive(Debug, Clone, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct IngredientKey(Arc<str>);

impl std::hash::Hash for IngredientKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq for IngredientKey {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Ord for IngredientKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            return std::cmp::Ordering::Equal;
        }
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for IngredientKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for IngredientKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl IngredientKey {
    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IngredientKey {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl FromStr for IngredientKey {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        // Characters, as the message and the API document say (not bytes: `é` counts once).
        if trimmed.is_empty() || trimmed.chars().count() > 200 {
            return Err(DomainError::invalid(
                "ingredient",
                "must be 1-200 characters",
            ));
        }
        // Keys are lower case in every source file; normalising here makes user input match them.
        // Source keys are already lower case: they are shared as they are, without a copy first.
        if trimmed.chars().any(|c| !c.to_lowercase().eq([c])) {
            Ok(Self(trimmed.to_lowercase().into()))
        } else {
            Ok(Self(trimmed.into()))
        }
    }
}

impl From<IngredientKey> for String {
    fn from(key: IngredientKey) -> Self {
        key.0.to_string()
    }
}

impl fmt::Display for IngredientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pharmacy id (UUID v4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PharmacyId(Uuid);

impl PharmacyId {
    /// A fresh random id.
    pub fn new() -> Self {
        Self(Uuid::new_v4())
    }

    /// The underlying UUID.
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for PharmacyId {
    fn default() -> Self {
        Self::new()
    }
}

impl From<Uuid> for PharmacyId {
    fn from(id: Uuid) -> Self {
        Self(id)
    }
}

impl FromStr for PharmacyId {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|_| DomainError::invalid("pharmacy_id", "must be a UUID"))
    }
}

impl fmt::Display for PharmacyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medicine_id_accepts_orange_book_and_local_ids() {
        assert!("OB-A071192-001".parse::<MedicineId>().is_ok());
        let local = MedicineId::new_local();
        assert!(local.is_local());
        assert_eq!(local.as_str().parse::<MedicineId>().unwrap(), local);
    }

    #[test]
    fn medicine_id_rejects_sql_looking_and_empty_text() {
        assert!("1; DROP TABLE medicines".parse::<MedicineId>().is_err());
        assert!("".parse::<MedicineId>().is_err());
        assert!("x".repeat(65).parse::<MedicineId>().is_err());
    }

    #[test]
    fn ingredient_key_length_counts_characters() {
        assert!(IngredientKey::try_from("é".repeat(200)).is_ok());
        assert!(IngredientKey::try_from("é".repeat(201)).is_err());
    }

    #[test]
    fn ingredient_key_is_trimmed_and_lower_cased() {
        let key: IngredientKey = "  Acetaminophen ".parse().unwrap();
        assert_eq!(key.as_str(), "acetaminophen");
        assert!("   ".parse::<IngredientKey>().is_err());
        // Title-case letters are not upper case, yet lower-case to another letter.
        assert_eq!("ǅ".parse::<IngredientKey>().unwrap().as_str(), "ǆ");
    }

    #[test]
    fn ingredient_key_is_a_plain_json_string() {
        let key: IngredientKey = serde_json::from_str("\"Ibuprofen\"").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"ibuprofen\"");
    }

    #[test]
    fn pharmacy_id_round_trips_through_text() {
        let id = PharmacyId::new();
        assert_eq!(id.to_string().parse::<PharmacyId>().unwrap(), id);
        assert!("not-a-uuid".parse::<PharmacyId>().is_err());
    }
}
