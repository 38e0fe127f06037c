//! `POST /cds-services/{id}`: a CDS Hooks 2.0 call answered with cards.
//!
//! Steps: validate the request, gather patient resources (prefetch, then the FHIR server when
//! allowed), identify the draft orders, run the engine's basket check with the patient, and turn
//! its report into cards, dropping cards already shown for this hook instance.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use pharmarec_domain::Severity;
use pharmarec_http_api::{ApiError, AppState};
use pharmarec_recommendation::{BasketOptions, FindingKind, KnowledgeSnapshot, MedicineRef};
use serde_json::json;

use super::card::Card;
use super::cards::{
    OrderLine, finding_card, not_covered_cards, orders_of, unchecked_card, unidentified_card,
};
use super::discovery::service;
use super::facts::Facts;
use super::fetch::fill_missing;
use super::prefetch::Gathered;
use super::request::{DraftOrder, HookRequest, parse};
use super::suggest::replacement;
use crate::error::InteropError;
use crate::ingredients::IngredientNames;
use crate::state::InteropState;

/// Answers one hook call.
// Orders and patient resources are health data: never on spans or in logs.
#[tracing::instrument(skip_all)]
pub(crate) async fn call(
    state: web::Data<AppState>,
    cds: web::Data<InteropState>,
    id: web::Path<String>,
    http: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let service = service(id.into_inner())?;
    cds.cds_auth().verify(&http, service.id).await?;
    let request = parse(&body, service.hook)?;
    let cards = answer(&state, &cds, &request).await?;
    tracing::info!(cards = cards.len(), hook = service.hook, "CDS hook served");
    Ok(HttpResponse::Ok().json(json!({ "cards": cards })))
}

async fn answer(
    state: &AppState,
    cds: &InteropState,
    request: &HookRequest,
) -> Result<Vec<Card>, InteropError> {
    let drafts = request.draft_orders()?;
    let mut gathered = match &request.prefetch {
        Some(prefetch) => Gathered::from_prefetch(prefetch)?,
        None => Gathered::default(),
    };
    let mut unchecked = Vec::new();
    if !gathered.missing().is_empty() {
        match (&request.fhir_server, &request.fhir_authorization) {
            (Some(server), Some(auth)) => {
                let patient = &request.context.patient_id;
                let token = &auth.access_token;
                let tls = cds.fhir_tls();
                unchecked.extend(fill_missing(&mut gathered, server, token, patient, tls).await);
            }
            _ => unchecked.extend(gathered.missing().into_iter().map(|c| {
                format!(
                    "{}: not prefetched (`{}`) and no fhirServer access token given, so {} could not run",
                    c.key(),
                    c.template(),
                    c.check()
                )
            })),
        }
    }
    let catalogue = state.knowledge.current();
    let names = cds
        .names(state, catalogue.knowledge_version().catalogue_version)
        .await?;
    let references: Vec<String> = drafts.iter().map(|d| d.reference.clone()).collect();
    let facts = Facts::read(&gathered, &names, &references, Utc::now().date_naive());
    unchecked.extend(facts.unread.iter().cloned());
    let orders: Vec<OrderLine> = drafts.iter().map(|d| order_line(d, &names)).collect();
    let mut cards = check(
        state,
        &catalogue,
        &names,
        &facts,
        &orders,
        &drafts,
        &mut unchecked,
    )
    .await?;
    cards.extend(unchecked_card(&unchecked));
    cards.retain(|card| cds.first_showing(&request.hook_instance, &card.fingerprint));
    Ok(cards)
}

/// Runs the engine over the identified orders and returns the finding and not-covered cards.
async fn check(
    state: &AppState,
    catalogue: &KnowledgeSnapshot,
    names: &IngredientNames,
    facts: &Facts,
    orders: &[OrderLine],
    drafts: &[DraftOrder],
    unchecked: &mut Vec<String>,
) -> Result<Vec<Card>, InteropError> {
    let mut cards: Vec<Card> = orders
        .iter()
        .filter(|o| o.selected && o.identified.ingredients.is_empty())
        .map(unidentified_card)
        .collect();
    let items: Vec<MedicineRef> = orders
        .iter()
        .flat_map(|o| o.identified.ingredients.iter())
        .map(|k| MedicineRef::Ingredient(k.to_string()))
        .collect();
    if items.is_empty() {
        return Ok(cards);
    }
    let report = catalogue.check_basket(&items, &facts.patient, &BasketOptions::default())?;
    for finding in &report.findings {
        let involved = orders_of(finding, orders);
        if !involved.iter().any(|o| o.selected) {
            continue;
        }
        let mut card = finding_card(finding, &involved);
        // A replacement answers a source that says to avoid the pair (major or contraindicated);
        // for lesser levels the sources ask for precautions, not another medicine.
        if finding.kind == FindingKind::Interaction
            && finding.severity >= Severity::Major
            && let Some(order) = involved.iter().find(|o| o.selected)
        {
            let subject = drafts
                .iter()
                .find(|d| d.reference == order.reference)
                .and_then(|d| d.resource.subject.as_ref());
            if let Some(found) = replacement(
                state,
                catalogue,
                names,
                &facts.patient,
                finding,
                order,
                subject,
            )
            .await?
            {
                card.detail.push_str(&found.detail);
                card = card.suggest(found.suggestion);
            }
        }
        cards.push(card);
    }
    cards.extend(not_covered_cards(&report));
    unchecked.extend(report.unrecognised.iter().map(|u| {
        format!("{u}: matched nothing in PharmaRec's vocabulary (SNOMED CT and ICD-10 codes are not mapped), not checked")
    }));
    unchecked.extend(report.not_checked.iter().map(|n| {
        let ingredients = n
            .ingredients
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        format!("{} ({ingredients}): {}", n.fact, n.why)
    }));
    Ok(cards)
}

fn order_line(draft: &DraftOrder, names: &IngredientNames) -> OrderLine {
    let concept = draft
        .resource
        .medication
        .medication_codeable_concept
        .as_ref();
    let identified = match concept {
        Some(concept) => names.identify(concept),
        None => crate::ingredients::Identified {
            ingredients: Vec::new(),
            how: "a medicationReference (Medication resources are not read)".to_string(),
            unmapped_codes: Vec::new(),
        },
    };
    OrderLine {
        reference: draft.reference.clone(),
        label: concept
            .and_then(|c| c.words())
            .unwrap_or("medication without text")
            .to_string(),
        identified,
        selected: draft.selected,
    }
}
