//! "What can they take?": a complaint in everyday words and a patient panel, answered by the engine
//! with reasons, the product and its stock here, warnings by severity, exclusions with why, and what
//! could not be checked.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::Role;
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{RecommendOptions, Recommendation, Recommendations, SymptomQuery};

use super::clinical::{self, alerts, join, not_checked, patient_panel, product, stock_line};
use crate::error::WebError;
use crate::form::FormData;
use crate::layout::{self, Nav};
use crate::session::Session;

/// Longest complaint accepted (the API's bound on symptom text).
const MAX_COMPLAINT_CHARS: usize = 500;
/// Treatments shown.
const LIMIT: usize = 8;

pub(crate) async fn form(session: Session) -> HttpResponse {
    page(&session, &FormData::default(), None)
}

pub(crate) async fn answer(
    session: Session,
    state: web::Data<AppState>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let complaint = form.get("complaint").unwrap_or_default();
    if complaint.is_empty() || complaint.chars().count() > MAX_COMPLAINT_CHARS {
        return Err(WebError::Invalid(format!(
            "Describe the complaint in 1 to {MAX_COMPLAINT_CHARS} characters."
        )));
    }
    let patient = clinical::patient_from(&form)?;
    let stock = clinical::stock_of(&state, &session).await?;
    let catalogue = state.knowledge.current();
    let options = RecommendOptions {
        limit: LIMIT,
        // The API's rule: prescription medicines for pharmacists and administrators only.
        otc_only: session.account.role < Role::Pharmacist,
        stock: stock.as_ref(),
        ..RecommendOptions::default()
    };
    let answer = catalogue.recommend(&SymptomQuery::text(complaint), &patient, &options)?;
    Ok(page(&session, &form, Some(&answer)))
}

fn page(session: &Session, form: &FormData, answer: Option<&Recommendations>) -> HttpResponse {
    let body = html! {
        h1 { "What can they take?" }
        form.card method="post" action="/console/recommend" {
            (layout::csrf(session))
            div.field {
                label for="complaint" { "Complaint, in everyday words" }
                input #complaint type="text" name="complaint" required maxlength="500"
                    value=[form.get("complaint")] aria-describedby="complaint-hint";
                p.hint #complaint-hint { "For example “blocked nose”, “headache and fever”." }
            }
            (patient_panel(form))
            button type="submit" { "Find options" }
        }
        @if let Some(answer) = answer { (results(session, answer)) }
    };
    layout::page(session, Nav::Recommend, "What can they take?", &body)
}

fn results(session: &Session, answer: &Recommendations) -> Markup {
    html! {
        section aria-labelledby="results-title" {
            h2 #results-title { "Options (" (answer.recommendations.len()) ")" }
            @if !answer.conditions_from_text.is_empty() {
                p { "Read as the patient's conditions, not complaints: "
                    @for (i, c) in answer.conditions_from_text.iter().enumerate() {
                        @if i > 0 { ", " } "“" (c.text) "” → " (c.code)
                    }
                }
            }
            @if session.account.role < Role::Pharmacist {
                p.hint { "Over-the-counter products only (your role does not see prescription medicines)." }
            }
            @if answer.recommendations.is_empty() {
                p role="status" { "No option found that is safe for this patient as far as the data knows." }
            }
            ol.results {
                @for option in &answer.recommendations { (recommendation(session, option)) }
            }
        }
        @if !answer.excluded.is_empty() {
            section aria-labelledby="excluded-title" {
                h2 #excluded-title { "Not suitable for this patient (" (answer.excluded.len()) ")" }
                ul.results {
                    @for excluded in &answer.excluded {
                        li.card {
                            p { (product(&excluded.medicine)) " — " (join(&excluded.medicine.ingredients)) }
                            (alerts(std::slice::from_ref(&excluded.reason)))
                        }
                    }
                }
            }
        }
        (not_checked(&answer.unrecognised_terms, &answer.unrecognised_patient_entries, &answer.not_checked))
        p.hint { (answer.disclaimer) " Catalogue version " (answer.knowledge.catalogue_version) "." }
    }
}

fn recommendation(session: &Session, option: &Recommendation) -> Markup {
    let medicine = &option.medicine;
    html! {
        li.card {
            h3 { (join(&medicine.ingredients)) }
            p { (product(medicine)) }
            p { (stock_line(session, medicine)) " · "
                a href={ "/console/medicines/" (medicine.id) "/substitutes" } { "Substitutes" } }
            h4 { "Why" }
            ul {
                @for reason in &option.reasons {
                    li { "“" (reason.term) "” matched “" (reason.matched) "” for " (reason.ingredient)
                        " (" (reason.via) "). " span.source { "Source: " (reason.source) } }
                }
            }
            @if !option.warnings.is_empty() {
                h4 { "Warnings" }
                (alerts(&option.warnings))
            }
            @if !option.not_checked.is_empty() {
                h4 { "Not checked for this option" }
                ul { @for gap in &option.not_checked { li { strong { (gap.fact) } ": " (gap.why) } } }
            }
            @if !option.label.is_empty() {
                details {
                    summary { "Label text (" (option.label.len()) ")" }
                    (alerts(&option.label))
                }
            }
        }
    }
}
