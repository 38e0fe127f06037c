//! What the engine knows about the person being served, and how medicines are named in requests.

use pharmarec_domain::MedicineId;
use serde::{Deserialize, Serialize};

/// A product by id, or an active ingredient by any of its names (`paracetamol`, `acetaminophen`).
///
/// Serialised as `{"medicine_id": "..."}` or `{"ingredient": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicineRef {
    /// A catalogue product.
    MedicineId(MedicineId),
    /// An ingredient key, INN, US name or synonym.
    Ingredient(String),
}

impl MedicineRef {
    /// Shorthand for an ingredient reference.
    pub fn ingredient(name: &str) -> Self {
        Self::Ingredient(name.to_string())
    }

    /// The reference as a person would read it.
    pub fn label(&self) -> &str {
        match self {
            Self::MedicineId(id) => id.as_str(),
            Self::Ingredient(name) => name,
        }
    }
}

/// The patient a recommendation, substitution or basket check is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Patient {
    /// Age in years, if known. Accepted but not yet used: the data holds age limits only inside
    /// verbatim label text, which the engine attaches as warnings without parsing.
    pub age: Option<u16>,
    /// Pregnant.
    pub pregnant: bool,
    /// Breast-feeding.
    pub breast_feeding: bool,
    /// Allergies: ingredient names or FDA pharmacologic class names (`penicillin`, `NSAID` class
    /// names as FDA spells them).
    pub allergies: Vec<String>,
    /// Medicines the patient already takes.
    pub current_medicines: Vec<MedicineRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_serialise_as_the_api_shapes() {
        let by_id = MedicineRef::MedicineId("OB-A1-001".parse().unwrap());
        assert_eq!(
            serde_json::to_string(&by_id).unwrap(),
            r#"{"medicine_id":"OB-A1-001"}"#
        );
        let parsed: MedicineRef = serde_json::from_str(r#"{"ingredient":"paracetamol"}"#).unwrap();
        assert_eq!(parsed, MedicineRef::ingredient("paracetamol"));
    }

    #[test]
    fn a_patient_with_missing_fields_deserialises_with_defaults() {
        let patient: Patient = serde_json::from_str(r#"{"pregnant":true}"#).unwrap();
        assert!(patient.pregnant && patient.allergies.is_empty() && patient.age.is_none());
    }
}
