//! A suggestion for an interaction card: replace the draft order with the engine's first suitable
//! therapeutic alternative for this patient, as a FHIR `delete` + `create`.
//!
//! Nothing here chooses a medicine: the order is matched to a catalogue product (same ingredients;
//! the route and dose form its text names first), and
//! [`KnowledgeSnapshot::substitutes`](pharmarec_recommendation::KnowledgeSnapshot::substitutes) filters and ranks
//! the alternatives for the patient. Of those, the first one is offered that
//! * has the product's route (an eye drop is no replacement for a tablet) and as many active
//!   ingredients as the order (a replacement adds no ingredient the prescriber did not choose);
//! * shares no FDA pharmacologic class with the ordered ingredients — a structural rule: the
//!   sources often state an interaction for a whole class and do not list every member (the
//!   shipped data has no ketorolac + warfarin row although ANSM states NSAIDs + oral
//!   anticoagulants), so a same-class drug is not offered to resolve an interaction;
//! * passes the engine's own basket check with the patient: every ingredient covered by an
//!   interaction source and no finding as severe as the one being resolved.
//!
//! The engine's reasons and the alternative's remaining warnings go into the card detail.

use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{IngredientKey, Medicine, PageRequest};
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{
    BasketOptions, Finding, KnowledgeSnapshot, MedicineRef, Patient, Substitute, SubstituteOptions,
};
use serde_json::json;

use super::card::{Action, Suggestion};
use super::cards::OrderLine;
use crate::error::InteropError;
use crate::fhir::model::RXNORM;
use crate::fhir::model::Reference;
use crate::ingredients::IngredientNames;

/// A suggestion and the lines it adds to the card detail.
#[derive(Debug)]
pub(crate) struct Replacement {
    pub(crate) suggestion: Suggestion,
    pub(crate) detail: String,
}

/// The replacement of `order` for this finding, if the engine has one.
pub(crate) async fn replacement(
    state: &AppState,
    catalogue: &KnowledgeSnapshot,
    names: &IngredientNames,
    patient: &Patient,
    finding: &Finding,
    order: &OrderLine,
    subject: Option<&Reference>,
) -> Result<Option<Replacement>, InteropError> {
    let Some(product) = product_of(state, &order.identified.ingredients, &order.label).await?
    else {
        return Ok(None);
    };
    let options = SubstituteOptions {
        limit: 20,
        ..SubstituteOptions::default()
    };
    let substitutes = catalogue.substitutes(&product.id, patient, &options)?;
    let ordered_classes: Vec<&String> = order
        .identified
        .ingredients
        .iter()
        .flat_map(|k| names.classes(k))
        .collect();
    for alternative in &substitutes.alternatives {
        let medicine = &alternative.medicine;
        let same_class = medicine
            .ingredients
            .iter()
            .flat_map(|k| names.classes(k))
            .any(|c| ordered_classes.contains(&c));
        let added = medicine.ingredients.len() != order.identified.ingredients.len();
        if medicine.route != product.route || same_class || added {
            continue;
        }
        if resolves(catalogue, patient, finding, &medicine.ingredients)? {
            return Ok(Some(build(alternative, order, names, subject)));
        }
    }
    Ok(None)
}

/// Whether the engine finds the alternative covered and free of findings as severe as `finding`.
fn resolves(
    catalogue: &KnowledgeSnapshot,
    patient: &Patient,
    finding: &Finding,
    ingredients: &[IngredientKey],
) -> Result<bool, InteropError> {
    let items: Vec<MedicineRef> = ingredients
        .iter()
        .map(|k| MedicineRef::Ingredient(k.to_string()))
        .collect();
    let report = catalogue.check_basket(&items, patient, &BasketOptions::default())?;
    let covered = report.not_covered.iter().all(|k| !ingredients.contains(k));
    let as_severe = report.findings.iter().any(|f| {
        f.severity >= finding.severity && f.ingredients.iter().any(|k| ingredients.contains(k))
    });
    Ok(covered && !as_severe && report.unrecognised.is_empty())
}

/// A catalogue product with exactly these ingredients, to ask the engine for substitutes of: one
/// whose route and dose form the order's text names, when there is one.
async fn product_of(
    state: &AppState,
    ingredients: &[IngredientKey],
    text: &str,
) -> Result<Option<Medicine>, InteropError> {
    let Some(first) = ingredients.first() else {
        return Ok(None);
    };
    let query = MedicineQuery {
        text: Some(first.to_string()),
        page: PageRequest::new(1, PageRequest::MAX_PER_PAGE)?,
        ..MedicineQuery::default()
    };
    let page = state.medicines.search(&query).await?;
    let mut wanted = ingredients.to_vec();
    wanted.sort();
    let text = text.to_lowercase();
    let named = |word: &str| text.contains(&word.to_lowercase());
    Ok(page
        .items
        .into_iter()
        .filter(|m| {
            let mut keys: Vec<IngredientKey> = m.ingredient_keys().cloned().collect();
            keys.sort();
            keys == wanted
        })
        // Stable: among equals the catalogue's order (by name) stays.
        .max_by_key(|m| (named(&m.route), named(&m.dose_form))))
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
