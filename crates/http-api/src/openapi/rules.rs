//! Request rules utoipa's attributes cannot express, written into the generated document: text
//! patterns, cross-field rules (`anyOf`, `not`) and the condition codes of the knowledge snapshot.
//!
//! Each rule here is the statement of a check the server runs (named next to it); the patterns come
//! from `dto::text`, where the checks are, so the two are written once.

use serde_json::{Value, json};

use crate::dto::{
    FEW_DISTINCT, HAS_WORD, MAX_UNICODE_PASSWORD, NO_NUL, WHITESPACE, email_pattern,
    non_blank_pattern, trimester_weeks,
};

/// Writes every static rule into `document` (the generated OpenAPI document as JSON).
pub(super) fn state_body_rules(document: &mut Value) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        match name.as_str() {
            "NewUserRequest" => {
                new_user(schema);
                memberships_for_pharmacists(schema);
            }
            "UpdateUserRequest" => memberships_for_pharmacists(schema),
            // `dto::stock::non_zero`.
            "StockAdjustmentRequest" => set(schema, "/properties/delta/not", json!({"const": 0})),
            "PatientDto" => patient(schema),
            "RecommendationRequest" => symptoms_or_codes(schema),
            "MedicineRefDto" => medicine_ref(schema),
            _ => {}
        }
    }
    text_rules(document);
}

/// Entries of `patient.conditions` written as a code (an underscore, no white space once trimmed)
/// must be one of `codes`, in any ASCII case: `dto::check_condition_codes`.
pub(super) fn state_condition_codes(document: &mut Value, codes: &[String]) {
    let mut free_text_or_code = vec![
        json!({"not": {"pattern": "_"}}),
        json!({"pattern": format!("[^{WHITESPACE}][{WHITESPACE}]+[^{WHITESPACE}]")}),
    ];
    if !codes.is_empty() {
        let alternatives: Vec<String> = codes.iter().map(|code| any_ascii_case(code)).collect();
        free_text_or_code.push(json!({
            "pattern": format!("^[{WHITESPACE}]*(?:{})[{WHITESPACE}]*$", alternatives.join("|"))
        }));
    }
    if let Some(items) =
        document.pointer_mut("/components/schemas/PatientDto/properties/conditions/items")
    {
        *items = json!({"allOf": [items.take(), {"anyOf": free_text_or_code}]});
    }
}

/// `code` as a pattern matching it in any ASCII case, other characters escaped.
fn any_ascii_case(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
            } else {
                regex::escape(&c.to_string())
            }
        })
        .collect()
}

/// Sets the value at `pointer` (whose parent must exist) in `schema`.
fn set(schema: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(map)) = schema.pointer_mut(parent) {
        map.insert(key.to_owned(), value);
    }
}

/// Adds `rule` to the schema's `allOf`, so several cross-field rules can stand side by side.
fn require(schema: &mut Value, rule: Value) {
    if let Value::Object(map) = schema {
        let all = map.entry("allOf").or_insert_with(|| json!([]));
        if let Value::Array(rules) = all {
            rules.push(rule);
        }
    }
}

/// The e-mail shape (`dto::text::ascii_email` and the domain's `Email`) and the password policy
/// (`dto::text::password_fits` and the domain's `password_policy`; that it differs from the e-mail
/// address cannot be stated).
fn new_user(schema: &mut Value) {
    set(schema, "/properties/email/pattern", email_pattern().into());
    set(schema, "/properties/password/pattern", NO_NUL.into());
    set(
        schema,
        "/properties/password/not",
        json!({"pattern": FEW_DISTINCT}),
    );
    set(
        schema,
        "/properties/password/anyOf",
        json!([{"pattern": r"^[\u0001-\u007F]*$"}, {"maxLength": MAX_UNICODE_PASSWORD}]),
    );
}

/// Only pharmacists belong to pharmacies: `routes::users::memberships`.
fn memberships_for_pharmacists(schema: &mut Value) {
    require(
        schema,
        json!({"anyOf": [
            {"properties": {"role": {"const": "pharmacist"}}},
            {"properties": {"pharmacies": {"maxItems": 0}}},
        ]}),
    );
}

/// `age` or `age_months`, not both; a week inside the trimester when both are given:
/// `dto::clinical::PatientDto::into_patient`. A `null` counts as absent, as for the server.
fn patient(schema: &mut Value) {
    let both = |a: &str, b: &str| json!({"required": [a, b], "properties": {a: {"type": "integer"}, b: {"type": "integer"}}});
    require(schema, json!({"not": both("age", "age_months")}));
    let mut stages = vec![json!({"not": both("pregnancy_week", "pregnancy_trimester")})];
    for trimester in 1..=3 {
        if let Some((first, last)) = trimester_weeks(trimester) {
            stages.push(json!({"properties": {
                "pregnancy_trimester": {"const": trimester},
                "pregnancy_week": {"minimum": first, "maximum": last},
            }}));
        }
    }
    require(schema, json!({"anyOf": stages}));
}

/// Symptom text with a letter or digit, or at least one condition code:
/// `dto::clinical::RecommendationInput::try_from`.
fn symptoms_or_codes(schema: &mut Value) {
    require(
        schema,
        json!({"anyOf": [
            {"required": ["symptoms"], "properties": {"symptoms": {"type": "string", "pattern": HAS_WORD}}},
            {"required": ["condition_codes"], "properties": {"condition_codes": {"minItems": 1}}},
        ]}),
    );
}

/// One key per reference, as serde reads an enum, and a product id as the domain's `MedicineId`
/// accepts it: `dto::clinical::medicine_refs`.
fn medicine_ref(schema: &mut Value) {
    let Some(Value::Array(variants)) = schema.get_mut("oneOf") else {
        return;
    };
    for variant in variants {
        set(variant, "/additionalProperties", false.into());
        set(
            variant,
            "/properties/medicine_id/pattern",
            r"^[A-Za-z0-9_-]{1,64}$".into(),
        );
    }
}

/// The text rules of every string without a pattern of its own: no NUL anywhere (the NUL
/// middleware), and not blank where at least one character is required (`dto::text::non_blank`).
fn text_rules(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // `"type": "string"`, or `["string", "null"]` for an optional one (OpenAPI 3.1).
            let string = match map.get("type") {
                Some(Value::String(kind)) => kind == "string",
                Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                _ => false,
            };
            let plain_string = string
                && !["enum", "format", "pattern", "const"]
                    .iter()
                    .any(|k| map.contains_key(*k));
            if plain_string {
                let required = map
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|min| min > 0);
                let pattern = if required {
                    non_blank_pattern()
                } else {
                    NO_NUL.to_owned()
                };
                map.insert("pattern".to_owned(), pattern.into());
            }
            map.values_mut().for_each(text_rules);
        }
        Value::Array(items) => items.iter_mut().for_each(text_rules),
        _ => {}
    }
}
