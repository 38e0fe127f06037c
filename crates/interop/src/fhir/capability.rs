//! The server's R4 `CapabilityStatement` (<https://hl7.org/fhir/R4/capabilitystatement.html>).

use serde_json::{Value, json};

/// When this statement was last changed (R4 `date` is 1..1).
const DATE: &str = "2026-11-30";

/// What `/fhir` supports: `MedicationKnowledge` read and search, JSON only.
pub(crate) fn capability_statement(base: &str) -> Value {
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": DATE,
        "publisher": "PharmaRec",
        "kind": "instance",
        "software": {"name": "PharmaRec", "version": env!("CARGO_PKG_VERSION")},
        "implementation": {"description": "PharmaRec medicine catalogue (read-only)", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Read-only. Search is strict: unknown parameters are refused with an OperationOutcome.",
            "resource": [{
                "type": "MedicationKnowledge",
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [
                    {"name": "code", "type": "token", "documentation": "urn:pharmarec:medicine|<product id>, or http://www.nlm.nih.gov/research/umls/rxnorm|<RxNorm ingredient id>"},
                    {"name": "name", "type": "string", "documentation": "Part of the brand name or of an ingredient name (PharmaRec parameter, not an R4 MedicationKnowledge one)"},
                    {"name": "_count", "type": "number", "documentation": "Page size, 1-100 (default 20)"},
                    {"name": "page", "type": "number", "documentation": "Page number, from 1"}
                ]
            }]
        }]
    })
}
