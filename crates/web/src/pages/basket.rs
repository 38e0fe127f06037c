//! Basket check: medicines added by name or scan code, for the patient of the shared panel
//! (allergies, age, pregnancy, breast-feeding, conditions, current medicines); findings most
//! severe first in plain English with their source, duplicates, what no source covers and what
//! could not be checked. A major or contraindicated finding is dismissed only with a coded reason
//! and free text, written to the audit trail (`dismissal`).

mod dismissal;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{MedicineId, PageRequest};
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{
    BasketOptions, BasketReport, Finding, MedicineRef, Patient, SharedText,
};

use super::clinical::{join, name_input, not_checked, patient_from, patient_panel};
use crate::error::WebError;
use crate::form::FormData;
use crate::layout::{self, Nav};
use crate::session::Session;
use crate::text;
pub(crate) use dismissal::dismiss;
use dismissal::{Dismissed, Refused, dismissal, needs_reason};

/// Most medicines in one basket (the API's bound).
const MAX_ITEMS: usize = 50;
/// Longest medicine name or scan code.
const MAX_NAME_CHARS: usize = 200;

pub(crate) async fn form(session: Session) -> HttpResponse {
    let blank = FormData::default();
    render(StatusCode::OK, &session, &blank, &[], None, None, None)
}

pub(crate) async fn check(
    session: Session,
    state: web::Data<AppState>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let mut items: Vec<String> = form.all("item").map(str::to_owned).collect();
    if let Some(remove) = form.number::<usize>("remove", "Item")?
        && remove < items.len()
    {
        items.remove(remove);
    }
    if let Some(added) = form.get("add") {
        items.push(added.to_owned());
    }
    if items.len() > MAX_ITEMS {
        return Err(WebError::Invalid(format!(
            "A basket holds at most {MAX_ITEMS} medicines."
        )));
    }
    if items
        .iter()
        .any(|item| item.chars().count() > MAX_NAME_CHARS)
    {
        return Err(WebError::Invalid(format!(
            "A medicine name or code has at most {MAX_NAME_CHARS} characters."
        )));
    }
    let patient = patient_from(&form)?;
    let report = report(&state, &items, patient).await?;
    Ok(render(
        StatusCode::OK,
        &session,
        &form,
        &items,
        report.as_ref(),
        None,
        None,
    ))
}

/// The engine's report on `items` for `patient`, or `None` for an empty basket.
async fn report(
    state: &AppState,
    items: &[String],
    mut patient: Patient,
) -> Result<Option<BasketReport>, WebError> {
    if items.is_empty() {
        return Ok(None);
    }
    let mut refs = Vec::with_capacity(items.len());
    for item in items {
        refs.push(resolve(state, item).await?);
    }
    // The current-medicine boxes offer the same names as the basket's box (product names too), so
    // they are read the same way.
    let mut current = Vec::with_capacity(patient.current_medicines.len());
    for medicine in &patient.current_medicines {
        current.push(resolve(state, medicine.label()).await?);
    }
    patient.current_medicines = current;
    let catalogue = state.knowledge.current();
    Ok(Some(catalogue.check_basket(
        &refs,
        &patient,
        &BasketOptions::default(),
    )?))
}

/// A scanned product code or a product's exact brand name names that product; anything else is
/// an ingredient name for the engine to resolve (or report as unrecognised).
async fn resolve(state: &AppState, item: &str) -> Result<MedicineRef, WebError> {
    if let Ok(id) = item.parse::<MedicineId>()
        && state.knowledge.current().medicine(&id).is_some()
    {
        return Ok(MedicineRef::MedicineId(id));
    }
    let products = state
        .medicines
        .search(&MedicineQuery {
            text: Some(item.to_owned()),
            page: PageRequest::new(1, 20)?,
            ..MedicineQuery::default()
        })
        .await?;
    Ok(products
        .items
        .into_iter()
        .find(|m| m.brand_name.eq_ignore_ascii_case(item))
        .map_or_else(
            || MedicineRef::ingredient(item),
            |m| MedicineRef::MedicineId(m.id),
        ))
}

/// Stable names of a basket's findings, in the report's order: kind and ingredients, and for a
/// later finding of the same kind on the same ingredients (two conditions that each exclude one
/// medicine) its rank among them, `:2`, `:3`. The engine's order is total (severity, kind,
/// ingredients, description), so the same basket and patient give the same names when a
/// dismissal re-checks them.
fn ids_of(findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .iter()
        .map(|finding| {
            let base = id_of(finding);
            let rank = seen.entry(base.clone()).or_default();
            *rank += 1;
            match *rank {
                1 => base,
                rank => format!("{base}:{rank}"),
            }
        })
        .collect()
}

/// A finding's kind and ingredients.
fn id_of(finding: &Finding) -> String {
    let mut ingredients: Vec<String> = finding
        .ingredients
        .iter()
        .map(ToString::to_string)
        .collect();
    ingredients.sort();
    format!(
        "{}:{}",
        text::words(&finding.kind).to_lowercase().replace(' ', "_"),
        ingredients.join("+")
    )
}

/// The description's clauses in English, and apart from them the verbatim quotes the engine marks
/// as French (ANSM), so the English reads first and nothing is dropped.
fn split_description(description: &str) -> (Vec<&str>, Vec<&str>) {
    description
        .split("; ")
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
        .partition(|clause| !clause.contains("(French"))
}

fn render(
    status: StatusCode,
    session: &Session,
    form: &FormData,
    items: &[String],
    report: Option<&BasketReport>,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> HttpResponse {
    let body = html! {
        h1 { "Basket check" }
        form.card method="post" action="/console/basket" {
            (layout::csrf(session))
            div.field {
                label for="add" { "Add a medicine: name or scan code" }
                (name_input("add", "add", None))
            }
            // The form's first submit button: Enter in any box presses it (implicit submission),
            // so it must come before the Remove buttons.
            button type="submit" { "Add and check" }
            @if items.is_empty() { p { "The basket is empty." } }
            @else {
                h2 { "In the basket" }
                ul.basket {
                    @for (i, item) in items.iter().enumerate() {
                        li {
                            input type="hidden" name="item" value=(item);
                            span { (item) }
                            button.link type="submit" name="remove" value=(i) aria-label={ "Remove " (item) } { "Remove" }
                        }
                    }
                }
            }
            // Also holds the type-ahead's datalist for the add box.
            (patient_panel(form))
            button type="submit" { "Check the basket" }
        }
        @if let Some(dismissed) = dismissed {
            (layout::notice("ok", &html! { "Finding dismissed (" (dismissed.reason) ": " (dismissed.text) "). Recorded in the audit trail." }))
        }
        @if let Some(report) = report { (results(session, form, items, report, dismissed, refused)) }
    };
    layout::page_with_status(status, session, Nav::Basket, "Basket check", &body)
}

fn results(
    session: &Session,
    form: &FormData,
    items: &[String],
    report: &BasketReport,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> Markup {
    let mut findings: Vec<(&Finding, String)> = report
        .findings
        .iter()
        .zip(ids_of(&report.findings))
        .collect();
    findings.sort_by_key(|(f, _)| std::cmp::Reverse(f.severity));
    // The engine lists unrecognised basket items and patient entries together: the items are the
    // ones in the basket, the rest came from the patient panel.
    let (unknown_items, unknown_patient): (Vec<String>, Vec<String>) = report
        .unrecognised
        .iter()
        .cloned()
        .partition(|entry| items.contains(entry));
    html! {
        section aria-labelledby="verdict-title" {
            h2 #verdict-title { "Result" }
            p.verdict { (report.verdict_text) }
            @if findings.is_empty() { p { "No finding at or above the checked severity. That is not a statement of safety." } }
            ol.results {
                @for (place, (finding, id)) in findings.iter().enumerate() {
                    li.card.finding {
                        h3 { (layout::severity(finding.severity)) " " (text::words(&finding.kind)) ": " (SharedText::join(&finding.items, " + ")) }
                        @let (english, verbatim) = split_description(&finding.description);
                        ul { @for clause in english { li { (clause) } } }
                        @if !verbatim.is_empty() {
                            details { summary { "Source text as published (" (verbatim.len()) ")" } ul { @for clause in verbatim { li lang="fr" { (clause) } } } }
                        }
                        p.source { (finding.source) }
                        @if needs_reason(finding) {
                            (dismissal(session, form, items, id, place, dismissed, refused))
                        }
                    }
                }
            }
        }
        @if !report.not_covered.is_empty() {
            section aria-labelledby="not-covered-title" {
                h2 #not-covered-title { "Not covered by any interaction source" }
                p { "No source the service uses covers these ingredients, so their interactions were not checked: " strong { (join(&report.not_covered)) } "." }
            }
        }
        (not_checked(&unknown_items, &unknown_patient, &report.not_checked))
        p.hint { (report.disclaimer) " Catalogue version " (report.knowledge.catalogue_version) "." }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_verbatim_clauses_are_kept_apart() {
        let (english, french) = split_description(
            "a + b: PharmaRec severity major; ANSM text (French, verbatim): \"texte\"; level: x",
        );

        assert_eq!(english, ["a + b: PharmaRec severity major", "level: x"]);
        assert_eq!(french, ["ANSM text (French, verbatim): \"texte\""]);
    }
}
