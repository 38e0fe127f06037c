//! The FHIR R4 elements PharmaRec reads from a CDS Hooks request, as serde types.
//!
//! Resources are open (FHIR resources carry many more elements than a reader needs, and
//! `extension`s), so unknown elements are accepted; what R4 marks `1..1` for the elements read here
//! is required and checked by [`Resource::check`]. Shapes follow the R4 resource pages
//! (<https://hl7.org/fhir/R4/medicationrequest.html>, `medicationstatement.html`, `patient.html`,
//! `condition.html`, `allergyintolerance.html`, `bundle.html`).

use serde::{Deserialize, Serialize};

/// The RxNorm code system URI (R4 terminology page, <https://terminology.hl7.org/CodeSystem-v3-rxNorm.html>).
pub(crate) const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";

/// R4 `Coding`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Coding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) display: Option<String>,
}

/// R4 `CodeableConcept`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CodeableConcept {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) coding: Vec<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
}

impl CodeableConcept {
    /// The words a person would read: `text`, else the first coding's display.
    pub(crate) fn words(&self) -> Option<&str> {
        self.text
            .as_deref()
            .or_else(|| self.coding.iter().find_map(|c| c.display.as_deref()))
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// Whether any coding has one of `codes` (used for R4 status value sets).
    pub(crate) fn has_code(&self, codes: &[&str]) -> bool {
        self.coding
            .iter()
            .any(|c| c.code.as_deref().is_some_and(|code| codes.contains(&code)))
    }
}

/// R4 `Reference`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Reference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reference: Option<String>,
}

/// The medicine of a request, statement or dispense: R4's `medication[x]` choice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MedicationChoice {
    pub(crate) medication_codeable_concept: Option<CodeableConcept>,
    pub(crate) medication_reference: Option<Reference>,
}

/// The R4 resources the service reads, by `resourceType`; any other type is kept as `Other`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "resourceType")]
pub(crate) enum Resource {
    Bundle(Bundle),
    Patient(Patient),
    MedicationRequest(MedicationUse),
    MedicationStatement(MedicationUse),
    MedicationDispense(MedicationUse),
    Condition(PatientFact),
    AllergyIntolerance(PatientFact),
    #[serde(other)]
    Other,
}

/// R4 `Bundle` (only its entries are read).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub(crate) struct Bundle {
    #[serde(default)]
    pub(crate) entry: Vec<BundleEntry>,
}

/// R4 `Bundle.entry`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct BundleEntry {
    pub(crate) resource: Option<Resource>,
}

/// R4 `Patient` (only `birthDate` is read).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Patient {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (R4 `date`).
    pub(crate) birth_date: Option<String>,
}

/// R4 `MedicationRequest`, `MedicationStatement` or `MedicationDispense`: the elements read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MedicationUse {
    pub(crate) id: Option<String>,
    pub(crate) status: Option<String>,
    pub(crate) intent: Option<String>,
    pub(crate) subject: Option<Reference>,
    #[serde(flatten)]
    pub(crate) medication: MedicationChoice,
}

/// R4 `Condition` or `AllergyIntolerance`: a coded patient fact with its statuses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PatientFact {
    pub(crate) clinical_status: Option<CodeableConcept>,
    pub(crate) verification_status: Option<CodeableConcept>,
    pub(crate) code: Option<CodeableConcept>,
}

/// Verification statuses that mean the record does not hold (R4 value sets
/// `condition-ver-status` and `allergyintolerance-verification`).
const NOT_HOLDING: &[&str] = &["refuted", "entered-in-error"];

/// Clinical statuses that mean it is over (R4 `condition-clinical`; `allergyintolerance-clinical`
/// uses `inactive` and `resolved` of the same codes).
const OVER: &[&str] = &["inactive", "remission", "resolved"];

impl PatientFact {
    /// Whether the fact applies now: not refuted, not over (absent statuses count as holding, so a
    /// missing status never hides a fact).
    pub(crate) fn holds(&self) -> bool {
        let refuted = self
            .verification_status
            .as_ref()
            .is_some_and(|s| s.has_code(NOT_HOLDING));
        let over = self
            .clinical_status
            .as_ref()
            .is_some_and(|s| s.has_code(OVER));
        !refuted && !over
    }
}

/// A required element that is missing or empty, named by its FHIR path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missing(pub(crate) String);

impl MedicationUse {
    /// Checks the R4 cardinalities of a `MedicationRequest`: `status`, `intent`, `subject` and
    /// `medication[x]` are `1..1`.
    pub(crate) fn check_request(&self, path: &str) -> Result<(), Missing> {
        let absent = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        if absent(&self.status) {
            return Err(Missing(format!("{path}.status")));
        }
        if absent(&self.intent) {
            return Err(Missing(format!("{path}.intent")));
        }
        if self.subject.is_none() {
            return Err(Missing(format!("{path}.subject")));
        }
        self.check_medication(path)
    }

    /// `medication[x]` is `1..1` in the three medication resources.
    pub(crate) fn check_medication(&self, path: &str) -> Result<(), Missing> {
        match (
            &self.medication.medication_codeable_concept,
            &self.medication.medication_reference,
        ) {
            (None, None) => Err(Missing(format!("{path}.medication[x]"))),
            _ => Ok(()),
        }
    }
}
