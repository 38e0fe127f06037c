//! A suggestion for an interaction card: replace the draft order with the engine's first
//! therapeutic alternative for this patient, as a FHIR `delete` + `create`.
//!
//! Nothing here chooses a medicine: the order's ingredients are matched to a catalogue product and
//! [`Catalogue::substitutes`](pharmarec_recommendation::Catalogue::substitutes) filters and ranks
//! the alternatives for the patient (those interacting at `major` or worse with a current medicine
//! are excluded there). The first alternative that shares no ingredient with the finding is offered,
//! with the engine's own reasons and its remaining warnings in the card detail.

use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{IngredientKey, PageRequest};
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{Catalogue, Finding, Patient, Substitute, SubstituteOptions};
use serde_json::json;

use super::card::{Action, Suggestion};
use super::cards::OrderLine;
use crate::ingredients::IngredientNames;
use crate::error::InteropError;
use crate::fhir::model::RXNORM;
use crate::fhir::model::Reference;

/// A suggestion and the lines it adds to the card detail.
#[derive(Debug)]
pub(crate) struct Replacement {
    pub(crate) suggestion: Suggestion,
    pub(crate) detail: String,
}

/// The replacement of `order` for this finding, if the engine has one.
pub(crate) async fn replacement(
    state: &AppState,
    catalogue: &Catalogue,
    names: &IngredientNames,
    patient: &Patient,
    finding: &Finding,
    order: &OrderLine,
    subject: Option<&Reference>,
) -> Result<Option<Replacement>, InteropError> {
    let Some(product) = product_of(state, &order.identified.ingredients).await? else {
        return Ok(None);
    };
    let options = SubstituteOptions {
        limit: 5,
        ..SubstituteOptions::default()
    };
    let substitutes = catalogue.substitutes(&product, patient, &options)?;
    let Some(alternative) = substitutes.alternatives.iter().find(|a| {
        !a.medicine
            .ingredients
            .iter()
            .any(|k| finding.ingredients.contains(k))
    }) else {
        return Ok(None);
    };
    Ok(Some(build(alternative, order, names, subject)))
}

/// A catalogue product with exactly these ingredients, to ask the engine for substitutes of.
async fn product_of(
    state: &AppState,
    ingredients: &[IngredientKey],
) -> Result<Option<pharmarec_domain::MedicineId>, InteropError> {
    let Some(first) = ingredients.first() else {
        return Ok(None);
    };
    let query = MedicineQuery {
        text: Some(first.to_string()),
        page: PageRequest::new(1, PageRequest::MAX_PER_PAGE)?,
        ..MedicineQuery::default()
    };
    let page = state.catalogue.search(&query).await?;
    let mut wanted = ingredients.to_vec();
    wanted.sort();
    Ok(page
        .items
        .into_iter()
        .find(|m| {
            let mut keys: Vec<IngredientKey> = m.ingredient_keys().cloned().collect();
            keys.sort();
            keys == wanted
        })
        .map(|m| m.id))
}

fn build(
    alternative: &Substitute,
    order: &OrderLine,
    names: &IngredientNames,
    subject: Option<&Reference>,
) -> Replacement {
    let medicine = &alternative.medicine;
    let ingredients = medicine
        .ingredients
        .iter()
        .map(IngredientKey::as_str)
        .collect::<Vec<_>>()
        .join(" / ");
    let text = format!(
        "{ingredients} {} {} ({})",
        medicine.strength, medicine.dose_form, medicine.brand_name
    );
    let coding: Vec<_> = medicine
        .ingredients
        .iter()
        .filter_map(|k| names.rxcui(k).map(|code| (k, code)))
        .map(|(k, code)| json!({"system": RXNORM, "code": code, "display": k.as_str()}))
        .collect();
    let mut resource = json!({
        "resourceType": "MedicationRequest",
        "status": "draft",
        "intent": "proposal",
        "medicationCodeableConcept": {"coding": coding, "text": text},
    });
    if let Some(subject) = subject {
        resource["subject"] = json!(subject);
    }
    let mut actions = Vec::new();
    if order.reference.starts_with("MedicationRequest/") {
        actions.push(Action {
            kind: "delete",
            description: format!("Remove the draft order {}", order.label),
            resource: None,
            resource_id: Some(vec![order.reference.clone()]),
        });
    }
    actions.push(Action {
        kind: "create",
        description: format!("Order {text} instead"),
        resource: Some(resource),
        resource_id: None,
    });
    let mut detail = format!(
        "\n**Suggested alternative** (PharmaRec substitution engine, therapeutic alternative): {text}\n"
    );
    for why in &alternative.why {
        detail.push_str(&format!("- Why: {why}\n"));
    }
    for warning in &alternative.warnings {
        detail.push_str(&format!(
            "- Still to check for this patient: {} ({})\n",
            warning.message, warning.source
        ));
    }
    Replacement {
        suggestion: Suggestion {
            label: format!("Replace {} with {ingredients}", order.label),
            uuid: uuid::Uuid::new_v4().to_string(),
            // A different medicine is the prescriber's call, not a default.
            is_recommended: false,
            actions,
        },
        detail,
    }
}
