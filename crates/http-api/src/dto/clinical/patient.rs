//! The patient as a clinical request gives it, and medicine references: shape checks here,
//! meaning (names, codes, phrases) in the engine.

use pharmarec_domain::{DomainError, MedicineId};
use pharmarec_recommendation::{MedicineRef, Patient};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::dto::text::NameDto;
use crate::dto::wire;
use crate::error::{ApiError, FieldError};

/// The person a clinical answer is for, as a pharmacist knows them; every field is optional.
///
/// Give `age` (years) or, under 2, `age_months`, not both. `pregnancy_week` or
/// `pregnancy_trimester` imply `pregnant`; given both, the week must lie in the trimester (weeks
/// 1-13, 14-27, 28-45). `pregnant: true` alone means the stage is unknown and the strictest stage
/// is applied. Every entry that cannot be checked is returned as such.
#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct PatientDto {
    /// Age in whole years, 0-130.
    // Signed on the wire so that a negative age is a 422 naming the field, not a type error.
    #[validate(range(min = 0, max = 130, message = "must be 0-130 (years)"))]
    #[schema(minimum = 0, maximum = 130)]
    #[serde(deserialize_with = "wire::optional")]
    age: Option<i64>,
    /// Age in whole months, 0-23, for children under 2 (instead of `age`).
    #[validate(range(
        min = 0,
        max = 23,
        message = "must be 0-23 (months; from 2 years give age in years)"
    ))]
    #[schema(minimum = 0, maximum = 23)]
    #[serde(deserialize_with = "wire::optional")]
    age_months: Option<i64>,
    /// Weight in kilograms, above 0 and at most 500. No shipped rule uses it: reported as not checked.
    #[validate(range(
        exclusive_min = 0.0,
        max = 500.0,
        message = "must be above 0 and at most 500 (kg)"
    ))]
    #[schema(exclusive_minimum = 0.0, maximum = 500.0)]
    weight_kg: Option<f64>,
    /// Pregnant (stage unknown unless a week or trimester is given).
    pregnant: bool,
    /// Gestational week, 1-45; implies pregnant.
    #[validate(range(min = 1, max = 45, message = "must be 1-45 (weeks)"))]
    #[schema(minimum = 1, maximum = 45)]
    #[serde(deserialize_with = "wire::optional")]
    pregnancy_week: Option<i64>,
    /// Trimester, 1-3; implies pregnant.
    #[validate(range(min = 1, max = 3, message = "must be 1, 2 or 3"))]
    #[schema(minimum = 1, maximum = 3)]
    #[serde(deserialize_with = "wire::optional")]
    pregnancy_trimester: Option<i64>,
    /// Breast-feeding.
    breast_feeding: bool,
    /// Conditions: codes of `data/rules/patient_conditions.csv` (`hypertension`, `peptic_ulcer`,
    /// …; an entry with an underscore and no space is read as a code and must be one of them) or
    /// free text matched against its phrases (`high blood pressure`); at most 30.
    #[validate(
        length(max = 30, message = "must list at most 30 entries"),
        custom(function = "names_fit")
    )]
    conditions: Vec<NameDto>,
    /// Ingredient names (any synonym or salt), FDA pharmacologic class names, or class words
    /// (`sulfa`, `penicillin`, `nsaid`, `opioid`: `data/rules/allergy_words.csv`); at most 50.
    #[validate(
        length(max = 50, message = "must list at most 50 entries"),
        custom(function = "names_fit")
    )]
    allergies: Vec<NameDto>,
    /// Medicines the patient takes now, by product id or ingredient name (any common name or
    /// salt: `lithium`, `levothyroxine`); at most 50.
    #[validate(length(max = 50, message = "must list at most 50 entries"))]
    current_medicines: Vec<MedicineRefDto>,
}

/// A medicine named by catalogue product id or by active ingredient (any of its names).
// `Serialize` only because validator's length rule echoes the rejected value into its error.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum MedicineRefDto {
    /// `{"medicine_id": "OB-A071192-001"}`.
    MedicineId(String),
    /// `{"ingredient": "paracetamol"}`.
    Ingredient(NameDto),
}

/// Why a name is rejected; one text for lists and single references alike.
const NAME_RULE: &str = "must be 1-200 characters, not blank";

/// Every name in the list is 1-200 characters and not blank.
pub(crate) fn names_fit(names: &[NameDto]) -> Result<(), ValidationError> {
    if names.iter().all(NameDto::fits) {
        Ok(())
    } else {
        Err(ValidationError::new("name_length")
            .with_message(format!("each entry {NAME_RULE}").into()))
    }
}

/// Converts medicine references, reporting every malformed one under `field[index]`.
///
/// A well-formed id or name the catalogue does not know is not an error: the engine reports it as
/// unrecognised, so the caller sees it was not checked.
pub(crate) fn medicine_refs(
    field: &str,
    refs: Vec<MedicineRefDto>,
) -> Result<Vec<MedicineRef>, ApiError> {
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(refs.len());
    for (index, reference) in refs.into_iter().enumerate() {
        match reference {
            MedicineRefDto::MedicineId(id) => match id.parse::<MedicineId>() {
                Ok(id) => out.push(MedicineRef::MedicineId(id)),
                Err(error) => problems.push(FieldError {
                    field: format!("{field}[{index}].medicine_id"),
                    // The domain's own rule text; the field is already in the path.
                    reason: match error {
                        DomainError::Invalid { reason, .. } => reason,
                        other => other.to_string(),
                    },
                }),
            },
            MedicineRefDto::Ingredient(name) if name.fits() => {
                out.push(MedicineRef::Ingredient(name.into()));
            }
            MedicineRefDto::Ingredient(_) => problems.push(FieldError {
                field: format!("{field}[{index}].ingredient"),
                reason: NAME_RULE.to_owned(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(problems))
    }
}

impl PatientDto {
    /// The engine's patient; `field` is the body path of this object, for error paths.
    pub(crate) fn into_patient(self, field: &str) -> Result<Patient, ApiError> {
        // The cross-field rules of the patient; named on a real field, not `__all__`.
        if self.age.is_some() && self.age_months.is_some() {
            return Err(ApiError::Validation(vec![FieldError {
                field: format!("{field}.age_months"),
                reason: "give age (years) or age_months (under 2), not both".to_owned(),
            }]));
        }
        if let (Some(week), Some(trimester)) = (self.pregnancy_week, self.pregnancy_trimester)
            && !trimester_weeks(trimester)
                .is_some_and(|(first, last)| (i64::from(first)..=i64::from(last)).contains(&week))
        {
            // Two stages that disagree: answering for either could apply the wrong stage's rules.
            return Err(ApiError::Validation(vec![FieldError {
                field: format!("{field}.pregnancy_week"),
                reason: "must lie in pregnancy_trimester (weeks 1-13, 14-27, 28-45)".to_owned(),
            }]));
        }
        Ok(Patient {
            age: narrow(self.age),
            age_months: narrow(self.age_months),
            #[expect(
                clippy::cast_possible_truncation,
                reason = "validated to (0, 500] kg, well inside f32"
            )]
            weight_kg: self.weight_kg.map(|kg| kg as f32),
            pregnant: self.pregnant,
            pregnancy_week: narrow(self.pregnancy_week),
            pregnancy_trimester: narrow(self.pregnancy_trimester),
            breast_feeding: self.breast_feeding,
            conditions: self.conditions.into_iter().map(Into::into).collect(),
            allergies: self.allergies.into_iter().map(Into::into).collect(),
            current_medicines: medicine_refs(
                &format!("{field}.current_medicines"),
                self.current_medicines,
            )?,
        })
    }
}

/// The gestational weeks of a trimester as the engine counts them (`None` outside 1-3).
pub(crate) fn trimester_weeks(trimester: i64) -> Option<(u8, u8)> {
    let trimester = u8::try_from(trimester)
        .ok()
        .filter(|t| (1..=3).contains(t))?;
    Patient {
        pregnancy_trimester: Some(trimester),
        ..Patient::default()
    }
    .pregnancy_weeks()
}

/// A validated range value in the engine's type (the ranges above fit every target type).
fn narrow<T: TryFrom<i64>>(value: Option<i64>) -> Option<T> {
    value.and_then(|v| T::try_from(v).ok())
}

/// Rejects condition entries that are written as codes (an underscore, no space) but are not codes
/// of the snapshot's vocabulary, listing the allowed codes; free text is the engine's to match.
///
/// # Errors
/// [`ApiError::Validation`] naming `field[index]` and every allowed code.
pub(crate) fn check_condition_codes(
    field: &str,
    patient: &Patient,
    known: &[String],
) -> Result<(), ApiError> {
    let problems: Vec<FieldError> = patient
        .conditions
        .iter()
        .enumerate()
        .filter(|(_, entry)| {
            let entry = entry.trim();
            entry.contains('_')
                && !entry.contains(char::is_whitespace)
                && !known.iter().any(|code| code.eq_ignore_ascii_case(entry))
        })
        .map(|(index, _)| FieldError {
            field: format!("{field}.conditions[{index}]"),
            reason: format!("unknown condition code; allowed: {}", known.join(", ")),
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(problems))
    }
}
