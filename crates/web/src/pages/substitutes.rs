//! Substitutes for a product: FDA-rated generic equivalents, then therapeutic alternatives, those in
//! stock here first, each with why it qualifies.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::MedicineId;
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{Patient, Substitute, SubstituteOptions};

use super::clinical::{self, alerts, join, not_checked, product, stock_line};
use crate::error::WebError;
use crate::layout::{self, Nav};
use crate::session::Session;

/// Substitutes of each kind shown.
const LIMIT: usize = 10;

pub(crate) async fn list(
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id: MedicineId = id.parse().map_err(|_| WebError::NotFound)?;
    let stock = clinical::stock_of(&state, &session).await?;
    let catalogue = state.knowledge.current();
    let options = SubstituteOptions {
        limit: LIMIT,
        stock: stock.as_ref(),
        ..SubstituteOptions::default()
    };
    let mut answer = catalogue.substitutes(&id, &Patient::default(), &options)?;
    // In stock here first; the engine's order is kept within each group.
    for list in [&mut answer.generics, &mut answer.alternatives] {
        list.sort_by_key(|s| !s.medicine.stock.as_ref().is_some_and(|l| l.in_stock()));
    }
    let title = format!("Substitutes for {}", answer.medicine.brand_name);
    let body = html! {
        h1 { (title) }
        p { (product(&answer.medicine)) " — " (join(&answer.medicine.ingredients)) " · " (stock_line(&session, &answer.medicine)) }
        section aria-labelledby="generics-title" {
            h2 #generics-title { "Generic equivalents (" (answer.generics.len()) ")" }
            (group(&session, &answer.generics, "No FDA-rated equivalent in the catalogue."))
        }
        section aria-labelledby="alternatives-title" {
            h2 #alternatives-title { "Therapeutic alternatives (" (answer.alternatives.len()) ")" }
            p.hint { "Different active ingredients for the same purpose: the prescriber's or pharmacist's call." }
            (group(&session, &answer.alternatives, "No alternative found."))
        }
        @if !answer.excluded.is_empty() {
            section aria-labelledby="excluded-title" {
                h2 #excluded-title { "Excluded (" (answer.excluded.len()) ")" }
                ul.results { @for e in &answer.excluded { li.card { p { (product(&e.medicine)) } (alerts(std::slice::from_ref(&e.reason))) } } }
            }
        }
        (not_checked(&[], &answer.unrecognised_patient_entries, &answer.not_checked))
        p.hint { (answer.disclaimer) }
    };
    Ok(layout::page(&session, Nav::Catalogue, &title, &body))
}

fn group(session: &Session, substitutes: &[Substitute], empty: &str) -> Markup {
    html! {
        @if substitutes.is_empty() { p { (empty) } }
        ol.results {
            @for s in substitutes {
                li.card {
                    p { (product(&s.medicine)) " — " (join(&s.medicine.ingredients)) }
                    p { (stock_line(session, &s.medicine)) }
                    h3.small { "Why it qualifies" }
                    ul { @for why in &s.why { li { (why) } } }
                    @if !s.warnings.is_empty() { h3.small { "Warnings" } (alerts(&s.warnings)) }
                    @if !s.label.is_empty() {
                        details { summary { "Label text (" (s.label.len()) ")" } (alerts(&s.label)) }
                    }
                }
            }
        }
    }
}
