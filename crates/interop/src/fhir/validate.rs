//! Checks of the R4 shapes PharmaRec emits, for tests here and end to end.
//!
//! Written from the R4 resource pages: required elements, the elements each resource may carry,
//! and the `required`-strength value sets of the codes used; a subset of what the official FHIR
//! validator does.
//!
//! Sources: <https://hl7.org/fhir/R4/medicationknowledge.html>, `bundle.html`,
//! `capabilitystatement.html`, `operationoutcome.html`, `datatypes.html` (`id`, `Coding`,
//! `CodeableConcept`, `Quantity`, `Ratio`).

use serde_json::Value;

type Checked = Result<(), String>;

/// R4 `MedicationKnowledge` elements (DomainResource ones included).
const MEDICATION_KNOWLEDGE: &[&str] = &[
    "resourceType",
    "id",
    "meta",
    "implicitRules",
    "language",
    "text",
    "contained",
    "extension",
    "modifierExtension",
    "code",
    "status",
    "manufacturer",
    "doseForm",
    "amount",
    "synonym",
    "relatedMedicationKnowledge",
    "associatedMedication",
    "productType",
    "monograph",
    "ingredient",
    "preparationInstruction",
    "intendedRoute",
    "cost",
    "monitoringProgram",
    "administrationGuidelines",
    "medicineClassification",
    "packaging",
    "drugCharacteristic",
    "contraindication",
    "regulatory",
    "kinetics",
];

/// Checks an R4 `MedicationKnowledge`.
///
/// # Errors
/// The first violation, with its path.
pub fn check_medication_knowledge(resource: &Value) -> Checked {
    resource_type(resource, "MedicationKnowledge")?;
    only(resource, MEDICATION_KNOWLEDGE, "MedicationKnowledge")?;
    id(resource.get("id"), "MedicationKnowledge.id")?;
    optional_code(
        resource,
        "status",
        &["active", "inactive", "entered-in-error"],
    )?;
    for field in ["code", "doseForm"] {
        if let Some(concept) = resource.get(field) {
            codeable_concept(concept, field)?;
        }
    }
    for (i, ingredient) in array(resource, "ingredient")?.iter().enumerate() {
        let path = format!("ingredient[{i}]");
        match (
            ingredient.get("itemCodeableConcept"),
            ingredient.get("itemReference"),
        ) {
            (Some(concept), None) => {
                codeable_concept(concept, &format!("{path}.itemCodeableConcept"))?;
            }
            (None, Some(_)) => {}
            _ => return Err(format!("{path}.item[x] is 1..1")),
        }
        if ingredient.get("isActive").is_some_and(|v| !v.is_boolean()) {
            return Err(format!("{path}.isActive must be a boolean"));
        }
        if let Some(ratio) = ingredient.get("strength") {
            for side in ["numerator", "denominator"] {
                quantity(&ratio[side], &format!("{path}.strength.{side}"))?;
            }
        }
    }
    for (i, class) in array(resource, "medicineClassification")?
        .iter()
        .enumerate()
    {
        let path = format!("medicineClassification[{i}]");
        codeable_concept(&class["type"], &format!("{path}.type"))?;
        for (j, concept) in array(class, "classification")?.iter().enumerate() {
            codeable_concept(concept, &format!("{path}.classification[{j}]"))?;
        }
    }
    for (i, regulatory) in array(resource, "regulatory")?.iter().enumerate() {
        if !regulatory["regulatoryAuthority"].is_object() {
            return Err(format!("regulatory[{i}].regulatoryAuthority is 1..1"));
        }
    }
    Ok(())
}

/// Checks an R4 `searchset` `Bundle` and every entry with `entry_check`.
///
/// # Errors
/// The first violation, with its path.
pub fn check_searchset(bundle: &Value, entry_check: fn(&Value) -> Checked) -> Checked {
    resource_type(bundle, "Bundle")?;
    if bundle["type"] != "searchset" {
        return Err("Bundle.type must be searchset".into());
    }
    if bundle.get("total").is_some_and(|t| !t.is_u64()) {
        return Err("Bundle.total must be an unsignedInt".into());
    }
    for (i, link) in array(bundle, "link")?.iter().enumerate() {
        if !link["relation"].is_string() || !link["url"].is_string() {
            return Err(format!("Bundle.link[{i}] needs relation and url"));
        }
    }
    for (i, entry) in array(bundle, "entry")?.iter().enumerate() {
        if !entry["fullUrl"].is_string() {
            return Err(format!("Bundle.entry[{i}].fullUrl is missing"));
        }
        if !["match", "include", "outcome"]
            .contains(&entry["search"]["mode"].as_str().unwrap_or(""))
        {
            return Err(format!(
                "Bundle.entry[{i}].search.mode is not a search-entry-mode"
            ));
        }
        entry_check(&entry["resource"]).map_err(|e| format!("Bundle.entry[{i}].resource: {e}"))?;
    }
    Ok(())
}

/// Checks an R4 `CapabilityStatement`.
///
/// # Errors
/// The first violation, with its path.
pub fn check_capability_statement(statement: &Value) -> Checked {
    resource_type(statement, "CapabilityStatement")?;
    required_code(
        statement,
        "status",
        &["draft", "active", "retired", "unknown"],
    )?;
    required_code(
        statement,
        "kind",
        &["instance", "capability", "requirements"],
    )?;
    if !statement["date"].is_string() {
        return Err("CapabilityStatement.date is 1..1".into());
    }
    if statement["fhirVersion"] != "4.0.1" {
        return Err("CapabilityStatement.fhirVersion must be 4.0.1 (R4)".into());
    }
    if array(statement, "format")?.is_empty() {
        return Err("CapabilityStatement.format is 1..*".into());
    }
    for (i, rest) in array(statement, "rest")?.iter().enumerate() {
        required_code(rest, "mode", &["client", "server"]).map_err(|e| format!("rest[{i}].{e}"))?;
        for (j, resource) in array(rest, "resource")?.iter().enumerate() {
            let path = format!("rest[{i}].resource[{j}]");
            if !resource["type"].is_string() {
                return Err(format!("{path}.type is 1..1"));
            }
            for interaction in array(resource, "interaction")? {
                let codes = [
                    "read",
                    "vread",
                    "update",
                    "patch",
                    "delete",
                    "history-instance",
                    "history-type",
                    "create",
                    "search-type",
                ];
                required_code(interaction, "code", &codes)
                    .map_err(|e| format!("{path}.interaction.{e}"))?;
            }
            for param in array(resource, "searchParam")? {
                if !param["name"].is_string() {
                    return Err(format!("{path}.searchParam.name is 1..1"));
                }
                let types = [
                    "number",
                    "date",
                    "string",
                    "token",
                    "reference",
                    "composite",
                    "quantity",
                    "uri",
                    "special",
                ];
                required_code(param, "type", &types)
                    .map_err(|e| format!("{path}.searchParam.{e}"))?;
            }
        }
    }
    Ok(())
}

/// Checks an R4 `OperationOutcome`.
///
/// # Errors
/// The first violation, with its path.
pub fn check_operation_outcome(outcome: &Value) -> Checked {
    resource_type(outcome, "OperationOutcome")?;
    let issues = array(outcome, "issue")?;
    if issues.is_empty() {
        return Err("OperationOutcome.issue is 1..*".into());
    }
    for issue in issues {
        required_code(
            issue,
            "severity",
            &["fatal", "error", "warning", "information"],
        )?;
        // The issue-type codes PharmaRec uses, all members of the R4 value set.
        required_code(
            issue,
            "code",
            &[
                "invalid",
                "not-found",
                "not-supported",
                "exception",
                "transient",
            ],
        )?;
    }
    Ok(())
}

fn resource_type(resource: &Value, expected: &str) -> Checked {
    if resource["resourceType"] == expected {
        Ok(())
    } else {
        Err(format!("resourceType must be {expected}"))
    }
}

fn only(resource: &Value, allowed: &[&str], name: &str) -> Checked {
    let object = resource
        .as_object()
        .ok_or_else(|| format!("{name} must be an object"))?;
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(format!("{name}.{unknown} is not an R4 element")),
        None => Ok(()),
    }
}

/// R4 `id`: 1-64 of `[A-Za-z0-9\-\.]`.
fn id(value: Option<&Value>, path: &str) -> Checked {
    let valid = value.and_then(Value::as_str).is_some_and(|id| {
        (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    });
    if valid {
        Ok(())
    } else {
        Err(format!("{path} is not an R4 id"))
    }
}

fn required_code(object: &Value, field: &str, codes: &[&str]) -> Checked {
    match object[field].as_str() {
        Some(code) if codes.contains(&code) => Ok(()),
        _ => Err(format!("{field} must be one of {codes:?}")),
    }
}

fn optional_code(object: &Value, field: &str, codes: &[&str]) -> Checked {
    match object.get(field) {
        None => Ok(()),
        Some(_) => required_code(object, field, codes),
    }
}

fn array<'a>(object: &'a Value, field: &str) -> Result<&'a [Value], String> {
    match object.get(field) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{field} must be an array")),
    }
}

fn non_empty_string(value: &Value) -> bool {
    value.as_str().is_some_and(|s| !s.trim().is_empty())
}

fn codeable_concept(concept: &Value, path: &str) -> Checked {
    if !concept.is_object() {
        return Err(format!("{path} must be a CodeableConcept"));
    }
    if let Some(text) = concept.get("text")
        && !non_empty_string(text)
    {
        return Err(format!("{path}.text must be a non-empty string"));
    }
    for (i, coding) in array(concept, "coding")?.iter().enumerate() {
        for field in ["system", "code", "display"] {
            if let Some(value) = coding.get(field)
                && !non_empty_string(value)
            {
                return Err(format!(
                    "{path}.coding[{i}].{field} must be a non-empty string"
                ));
            }
        }
    }
    Ok(())
}

fn quantity(value: &Value, path: &str) -> Checked {
    if !value["value"].is_number() {
        return Err(format!("{path}.value must be a decimal"));
    }
    match value.get("unit") {
        Some(unit) if !non_empty_string(unit) => {
            Err(format!("{path}.unit must be a non-empty string"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn violations_are_found() {
        let bad = [
            json!({"resourceType": "MedicationKnowledge", "id": "a b"}),
            json!({"resourceType": "MedicationKnowledge", "id": "a", "status": "on-sale"}),
            json!({"resourceType": "MedicationKnowledge", "id": "a", "legalStatus": "otc"}),
            json!({"resourceType": "MedicationKnowledge", "id": "a", "ingredient": [{"isActive": true}]}),
            json!({"resourceType": "MedicationKnowledge", "id": "a", "code": {"text": ""}}),
        ];
        for resource in bad {
            assert!(check_medication_knowledge(&resource).is_err(), "{resource}");
        }
        assert!(
            check_operation_outcome(&json!({"resourceType": "OperationOutcome", "issue": []}))
                .is_err()
        );
        assert!(
            check_capability_statement(
                &json!({"resourceType": "CapabilityStatement", "status": "active"})
            )
            .is_err()
        );
    }
}
