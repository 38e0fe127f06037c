//! The prefetch templates PharmaRec asks for, and the resources a request brought.
//!
//! Resources are gathered by type from every prefetch value (the PDDI guide's examples use keys
//! such as `item1`), so a client's own key names work too; a category counts as provided when its
//! template key is present or a resource of its type arrived. A category neither provided nor
//! fetched is a check that could not run, and the response says so.

use serde_json::{Map, Value};

use crate::error::InteropError;
use crate::fhir::model::{MedicationUse, Patient, PatientFact, Resource};

/// One kind of patient fact PharmaRec prefetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Category {
    Patient,
    MedicationRequests,
    MedicationStatements,
    Allergies,
    Conditions,
}

impl Category {
    pub(crate) const ALL: [Self; 5] = [
        Self::Patient,
        Self::MedicationRequests,
        Self::MedicationStatements,
        Self::Allergies,
        Self::Conditions,
    ];

    /// The prefetch key, as announced by discovery.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::MedicationRequests => "medicationRequests",
            Self::MedicationStatements => "medicationStatements",
            Self::Allergies => "allergies",
            Self::Conditions => "conditions",
        }
    }

    /// The FHIR query, relative to the FHIR base, with the `{{context.patientId}}` token.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Self::Patient => "Patient/{{context.patientId}}",
            Self::MedicationRequests => {
                "MedicationRequest?patient={{context.patientId}}&status=active"
            }
            Self::MedicationStatements => "MedicationStatement?patient={{context.patientId}}",
            Self::Allergies => "AllergyIntolerance?patient={{context.patientId}}",
            Self::Conditions => "Condition?patient={{context.patientId}}",
        }
    }

    /// Which check depends on it, in English.
    pub(crate) fn check(self) -> &'static str {
        match self {
            Self::Patient => "age rules (no Patient.birthDate)",
            Self::MedicationRequests => {
                "interactions with current medicines from active MedicationRequests"
            }
            Self::MedicationStatements => {
                "interactions with current medicines from MedicationStatements"
            }
            Self::Allergies => "allergy checks (no AllergyIntolerance)",
            Self::Conditions => "condition and pregnancy rules (no Condition)",
        }
    }

    fn of(resource: &Resource) -> Option<Self> {
        match resource {
            Resource::Patient(_) => Some(Self::Patient),
            Resource::MedicationRequest(_) => Some(Self::MedicationRequests),
            // A dispense is evidence of a current medicine just as a statement is.
            Resource::MedicationStatement(_) | Resource::MedicationDispense(_) => {
                Some(Self::MedicationStatements)
            }
            Resource::AllergyIntolerance(_) => Some(Self::Allergies),
            Resource::Condition(_) => Some(Self::Conditions),
            Resource::Bundle(_) | Resource::Other => None,
        }
    }
}

/// The patient resources a request brought (or the service fetched).
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub(crate) provided: Vec<Category>,
    pub(crate) patient: Option<Patient>,
    /// `(resourceType, resource)` of requests, statements and dispenses.
    pub(crate) medicines: Vec<(&'static str, MedicationUse)>,
    pub(crate) conditions: Vec<PatientFact>,
    pub(crate) allergies: Vec<PatientFact>,
}

impl Gathered {
    /// Reads every prefetch value; a value that is not an R4 resource is a 400.
    pub(crate) fn from_prefetch(prefetch: &Map<String, Value>) -> Result<Self, InteropError> {
        let mut gathered = Self::default();
        for (key, value) in prefetch {
            if value.is_null() {
                // The spec: a null prefetch value means the client could not or would not fetch it.
                continue;
            }
            if let Some(category) = Category::ALL.into_iter().find(|c| c.key() == key) {
                gathered.mark(category);
            }
            let resource: Resource = serde_json::from_value(value.clone())
                .map_err(|e| InteropError::invalid(format!("prefetch.{key}"), e.to_string()))?;
            gathered.add(resource, &format!("prefetch.{key}"))?;
        }
        Ok(gathered)
    }

    /// Adds one resource (a Bundle's entries one by one).
    pub(crate) fn add(&mut self, resource: Resource, path: &str) -> Result<(), InteropError> {
        if let Some(category) = Category::of(&resource) {
            self.mark(category);
        }
        let invalid = |missing: crate::fhir::model::Missing| {
            InteropError::invalid(missing.0, "required by FHIR R4")
        };
        match resource {
            Resource::Bundle(bundle) => {
                for (index, entry) in bundle.entry.into_iter().enumerate() {
                    if let Some(resource) = entry.resource {
                        self.add(resource, &format!("{path}.entry[{index}].resource"))?;
                    }
                }
            }
            Resource::Patient(patient) => self.patient = Some(patient),
            Resource::MedicationRequest(request) => {
                request.check_request(path).map_err(invalid)?;
                self.medicines.push(("MedicationRequest", request));
            }
            Resource::MedicationStatement(statement) => {
                statement.check_medication(path).map_err(invalid)?;
                self.medicines.push(("MedicationStatement", statement));
            }
            Resource::MedicationDispense(dispense) => {
                dispense.check_medication(path).map_err(invalid)?;
                self.medicines.push(("MedicationDispense", dispense));
            }
            Resource::Condition(condition) => self.conditions.push(condition),
            Resource::AllergyIntolerance(allergy) => self.allergies.push(allergy),
            Resource::Other => {}
        }
        Ok(())
    }

    pub(crate) fn mark(&mut self, category: Category) {
        if !self.provided.contains(&category) {
            self.provided.push(category);
        }
    }

    /// Categories neither prefetched nor fetched.
    pub(crate) fn missing(&self) -> Vec<Category> {
        Category::ALL
            .into_iter()
            .filter(|c| !self.provided.contains(c))
            .collect()
    }
}
