//! The engine's [`Patient`] from the gathered FHIR resources, and what could not be read.
//!
//! * Age: whole years from `Patient.birthDate` to today; a partial date (`1950`, `1950-03`) is
//!   taken at its latest possible day, so the age is the youngest the patient can be (the side on
//!   which children's limits still apply).
//! * Conditions: the shipped vocabulary (`data/rules/patient_conditions.csv`) has no SNOMED CT or
//!   ICD-10 codes, so codes are never mapped; the condition's text or display goes to the engine,
//!   which matches it against the vocabulary's phrases or reports it as not checked.
//! * Pregnancy: a holding Condition whose text mentions pregnancy (`pregnan…`) marks the patient
//!   pregnant at an unknown stage, so the strictest stage rules apply; a lexical reading, not a
//!   code mapping, chosen to err on the side of more warnings.
//! * Allergies: an RxNorm ingredient code of the shipped data, else the text.
//! * Current medicines: active MedicationRequests (other than the draft orders), MedicationStatements
//!   that are active, intended, on hold or of unknown status, completed or in-progress dispenses.

use chrono::{Datelike, NaiveDate};
use pharmarec_recommendation::{MedicineRef, Patient};

use super::prefetch::Gathered;
use crate::fhir::model::MedicationUse;
use crate::ingredients::IngredientNames;

/// The patient for the engine, and the facts that could not be read.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    pub(crate) patient: Patient,
    /// Entries that were present but could not be used, in English.
    pub(crate) unread: Vec<String>,
}

const CURRENT_STATUSES: &[(&str, &[&str])] = &[
    ("MedicationRequest", &["active"]),
    (
        "MedicationStatement",
        &["active", "intended", "on-hold", "unknown"],
    ),
    ("MedicationDispense", &["completed", "in-progress"]),
];

impl Facts {
    /// Reads `gathered`; `drafts` are the ids of the orders being checked (not current medicines).
    pub(crate) fn read(
        gathered: &Gathered,
        names: &IngredientNames,
        drafts: &[String],
        today: NaiveDate,
    ) -> Self {
        let mut facts = Self::default();
        if let Some(patient) = &gathered.patient {
            match patient.birth_date.as_deref().map(|d| age_on(d, today)) {
                Some(Some((years, months))) => {
                    facts.patient.age = Some(years);
                    // The engine's months field is for children under 2.
                    facts.patient.age_months = (years < 2).then_some(months);
                }
                Some(None) => facts
                    .unread
                    .push("Patient.birthDate is not a valid date: age not checked".to_string()),
                None => facts
                    .unread
                    .push("Patient.birthDate is absent: age not checked".to_string()),
            }
        }
        for condition in gathered.conditions.iter().filter(|c| c.holds()) {
            match condition.code.as_ref().and_then(|c| c.words()) {
                Some(words) if words.to_lowercase().contains("pregnan") => {
                    facts.patient.pregnant = true;
                }
                Some(words) => {
                    facts.patient.conditions.push(words.to_string());
                    let coded = condition
                        .code
                        .as_ref()
                        .is_some_and(|c| !c.coding.is_empty());
                    if coded {
                        facts.unread.push(format!(
                            "condition \"{words}\": its codes (SNOMED CT, ICD-10) are not in PharmaRec's condition vocabulary, so only its text was matched against the vocabulary's phrases"
                        ));
                    }
                }
                None => facts
                    .unread
                    .push("a Condition without text or display: not checked".to_string()),
            }
        }
        for allergy in gathered.allergies.iter().filter(|a| a.holds()) {
            let Some(code) = &allergy.code else {
                facts
                    .unread
                    .push("an AllergyIntolerance without code: not checked".to_string());
                continue;
            };
            let identified = names.identify(code);
            if identified.ingredients.is_empty() {
                match code.words() {
                    Some(words) => facts.patient.allergies.push(words.to_string()),
                    None => facts.unread.push(
                        "an AllergyIntolerance with no usable code or text: not checked"
                            .to_string(),
                    ),
                }
            }
            for key in identified.ingredients {
                facts.patient.allergies.push(key.to_string());
            }
        }
        for (kind, medicine) in &gathered.medicines {
            let draft = medicine
                .id
                .as_ref()
                .is_some_and(|id| drafts.contains(&format!("{kind}/{id}")));
            if !draft && is_current(kind, medicine) {
                facts.current_medicine(kind, medicine, names);
            }
        }
        facts
    }

    fn current_medicine(&mut self, kind: &str, medicine: &MedicationUse, names: &IngredientNames) {
        let Some(concept) = &medicine.medication.medication_codeable_concept else {
            self.unread.push(format!(
                "a {kind} names its medicine by reference (Medication resources are not read): not checked"
            ));
            return;
        };
        let identified = names.identify(concept);
        if identified.ingredients.is_empty() {
            let label = concept.words().unwrap_or("without text");
            self.unread.push(format!(
                "current medicine \"{label}\" ({kind}) matched no ingredient of the shipped data: its interactions were not checked"
            ));
        }
        for key in identified.ingredients {
            self.patient
                .current_medicines
                .push(MedicineRef::Ingredient(key.to_string()));
        }
    }
}

fn is_current(kind: &str, medicine: &MedicationUse) -> bool {
    let status = medicine.status.as_deref().unwrap_or("unknown");
    CURRENT_STATUSES
        .iter()
        .any(|(k, statuses)| *k == kind && statuses.contains(&status))
}

/// Whole years and months from an R4 `date` to `today`, the partial date taken at its latest day.
fn age_on(birth_date: &str, today: NaiveDate) -> Option<(u16, u16)> {
    let mut parts = birth_date.split('-').map(str::parse::<u32>);
    let year = i32::try_from(parts.next()?.ok()?).ok()?;
    let month = parts.next().transpose().ok()?;
    let day = parts.next().transpose().ok()?;
    let born = match (month, day) {
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(year, m, d)?,
        // The last day of the month: the first of the next one, minus a day.
        (Some(m), None) => {
            NaiveDate::from_ymd_opt(year + i32::from(m == 12), m % 12 + 1, 1)?.pred_opt()?
        }
        (None, _) => NaiveDate::from_ymd_opt(year, 12, 31)?,
    };
    if born > today {
        return None;
    }
    let mut months = (today.year() - born.year()) * 12 + today.month() as i32 - born.month() as i32;
    if today.day() < born.day() {
        months -= 1;
    }
    let months = u16::try_from(months).ok()?;
    Some((months / 12, months))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn age_counts_whole_years_and_months() {
        assert_eq!(age_on("1950-06-15", day("2026-06-14")), Some((75, 911)));
        assert_eq!(age_on("1950-06-15", day("2026-06-15")), Some((76, 912)));
        assert_eq!(age_on("2025-11-30", day("2026-11-29")), Some((0, 11)));
    }

    #[test]
    fn a_partial_birth_date_gives_the_youngest_possible_age() {
        // Born some time in 1950: on 2026-06-01 the patient may still be 75.
        assert_eq!(age_on("1950", day("2026-06-01")).map(|a| a.0), Some(75));
        assert_eq!(age_on("2024-12", day("2026-12-30")).map(|a| a.0), Some(1));
    }

    #[test]
    fn a_future_or_malformed_birth_date_is_not_an_age() {
        assert_eq!(age_on("2030-01-01", day("2026-01-01")), None);
        assert_eq!(age_on("19x0", day("2026-01-01")), None);
        assert_eq!(age_on("1950-02-30", day("2026-01-01")), None);
    }
}
