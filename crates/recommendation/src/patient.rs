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

/// The patient a recommendation, substitution or basket check is for, as a pharmacist knows them.
///
/// Every entry given is either used by a rule or reported back as not checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Patient {
    /// Age in whole years, if known.
    pub age: Option<u16>,
    /// Age in whole months, for children under 2 (an alternative to `age`).
    pub age_months: Option<u16>,
    /// Weight in kilograms. No shipped rule is weight-based, so it is reported as not checked.
    pub weight_kg: Option<f32>,
    /// Pregnant (stage unknown unless `pregnancy_week` or `pregnancy_trimester` is given).
    pub pregnant: bool,
    /// Gestational week, 1-45; implies pregnant.
    pub pregnancy_week: Option<u8>,
    /// Trimester, 1-3; implies pregnant.
    pub pregnancy_trimester: Option<u8>,
    /// Breast-feeding.
    pub breast_feeding: bool,
    /// Conditions: codes of `data/rules/patient_conditions.csv` or free text matched against its
    /// phrases (`high blood pressure` → `hypertension`).
    pub conditions: Vec<String>,
    /// Allergies: ingredient names, FDA pharmacologic class names, or the class words of
    /// `data/rules/allergy_words.csv` (`sulfa`, `penicillin`).
    pub allergies: Vec<String>,
    /// Medicines the patient already takes.
    pub current_medicines: Vec<MedicineRef>,
}

/// Gestational weeks of each trimester, as counted in the rule tables: the first trimester runs to
/// the end of week 13, the second to the end of week 27 (the usual obstetric convention; a
/// counting convention, not a clinical rule).
const TRIMESTER_WEEKS: [(u8, u8); 3] = [(1, 13), (14, 27), (28, MAX_WEEK)];

/// Latest gestational week (the rule tables use the same bound).
const MAX_WEEK: u8 = 45;

impl Patient {
    /// Age in months, from `age_months` or from `age` (whole years, so the youngest it can be).
    pub fn age_in_months(&self) -> Option<u32> {
        self.age_months
            .map(u32::from)
            .or_else(|| self.age.map(|years| u32::from(years) * 12))
    }

    /// Pregnant, stated directly or implied by a week or trimester.
    pub fn is_pregnant(&self) -> bool {
        self.pregnant || self.pregnancy_week.is_some() || self.pregnancy_trimester.is_some()
    }

    /// The gestational weeks the patient may be in: one week, a trimester, or (stage unknown) the
    /// whole pregnancy, so that the strictest stage applies. `None` when not pregnant.
    pub fn pregnancy_weeks(&self) -> Option<(u8, u8)> {
        if let Some(week) = self.pregnancy_week {
            return Some((week, week));
        }
        if let Some(trimester) = self.pregnancy_trimester {
            let index = usize::from(trimester.clamp(1, 3) - 1);
            return TRIMESTER_WEEKS.get(index).copied();
        }
        self.pregnant.then_some((0, MAX_WEEK))
    }
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

    #[test]
    fn a_stage_implies_pregnancy_and_an_unknown_stage_spans_the_whole_pregnancy() {
        let week = Patient {
            pregnancy_week: Some(32),
            ..Patient::default()
        };
        assert!(week.is_pregnant());
        assert_eq!(week.pregnancy_weeks(), Some((32, 32)));
        let trimester = Patient {
            pregnancy_trimester: Some(2),
            ..Patient::default()
        };
        assert_eq!(trimester.pregnancy_weeks(), Some((14, 27)));
        let unknown = Patient {
            pregnant: true,
            ..Patient::default()
        };
        assert_eq!(unknown.pregnancy_weeks(), Some((0, 45)));
        assert_eq!(Patient::default().pregnancy_weeks(), None);
    }

    #[test]
    fn age_in_months_prefers_months_and_counts_years_as_whole_years() {
        let baby = Patient {
            age_months: Some(11),
            ..Patient::default()
        };
        assert_eq!(baby.age_in_months(), Some(11));
        let child = Patient {
            age: Some(3),
            ..Patient::default()
        };
        assert_eq!(child.age_in_months(), Some(36));
    }
}
