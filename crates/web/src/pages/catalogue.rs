//! Catalogue search with filters and paging, and the product page (ingredients, classes, stock,
//! OTC label warnings).

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{DomainError, MarketingStatus, MedicineId, PageRequest};
use pharmarec_http_api::AppState;
use pharmarec_recommendation::{Alert, AlertKind, Patient};

use super::clinical::alerts;
use crate::error::WebError;
use crate::form::{FormData, Query};
use crate::layout::{self, Nav};
use crate::session::Session;
use crate::text;

/// Products per page.
const PER_PAGE: u32 = 20;
/// Longest search text or filter (the API's bounds).
const MAX_FILTER_CHARS: usize = 200;

pub(crate) async fn search(
    session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let page_number = query.page()?;
    let status = match query.get("status") {
        Some("otc") => Some(MarketingStatus::Otc),
        Some("rx") => Some(MarketingStatus::Rx),
        _ => None,
    };
    let search = MedicineQuery {
        text: query
            .bounded("q", "The search text", MAX_FILTER_CHARS)?
            .map(str::to_owned),
        class: query
            .bounded("class", "The class", MAX_FILTER_CHARS)?
            .map(str::to_owned),
        status,
        dose_form: query
            .bounded("dose_form", "The dose form", MAX_FILTER_CHARS)?
            .map(str::to_owned),
        page: PageRequest::new(page_number, PER_PAGE)?,
        ..MedicineQuery::default()
    };
    let found = state.medicines.search(&search).await?;
    let link = |page: u32| {
        let mut pairs = form_pairs(&query);
        pairs.push(("page".to_owned(), page.to_string()));
        format!("/console/catalogue?{}", encode(&pairs))
    };
    let body = html! {
        h1 { "Catalogue" }
        form.card.filters method="get" action="/console/catalogue" role="search" {
            div.field {
                label for="q" { "Name or ingredient" }
                input #q type="search" name="q" value=[query.get("q")];
            }
            div.field {
                label for="class" { "Pharmacologic class (exact)" }
                input #class type="text" name="class" value=[query.get("class")];
            }
            div.field.short {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="" { "Any" }
                    option value="otc" selected[query.get("status") == Some("otc")] { "Over the counter" }
                    option value="rx" selected[query.get("status") == Some("rx")] { "Prescription only" }
                }
            }
            div.field.short {
                label for="dose_form" { "Dose form (exact)" }
                input #dose_form type="text" name="dose_form" value=[query.get("dose_form")];
            }
            button type="submit" { "Search" }
        }
        p role="status" { (found.total_items) " products" }
        div.table-wrap {
            table {
                caption.visually-hidden { "Products" }
                thead { tr { th scope="col" { "Product" } th scope="col" { "Ingredients" } th scope="col" { "Strength" } th scope="col" { "Form" } th scope="col" { "Status" } } }
                tbody {
                    @for medicine in &found.items {
                        tr {
                            td { a href={ "/console/medicines/" (medicine.id) } { (medicine.brand_name) } }
                            td { (medicine.ingredients.iter().map(|i| i.ingredient.to_string()).collect::<Vec<_>>().join(" + ")) }
                            td { (medicine.strength) }
                            td { (medicine.dose_form.to_lowercase()) }
                            td { (text::status(medicine.status)) }
                        }
                    }
                }
            }
        }
        (layout::pager(page_number, found.total_pages(), link))
    };
    Ok(layout::page(&session, Nav::Catalogue, "Catalogue", &body))
}

/// The filters of a search, without its page, for the pager's links.
fn form_pairs(query: &FormData) -> Vec<(String, String)> {
    ["q", "class", "status", "dose_form"]
        .iter()
        .filter_map(|name| query.get(name).map(|v| ((*name).to_owned(), v.to_owned())))
        .collect()
}

fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

pub(crate) async fn product(
    session: Session,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let id: MedicineId = id.parse().map_err(|_| WebError::NotFound)?;
    let medicine = match state.medicines.get(&id).await {
        Ok(medicine) => medicine,
        Err(DomainError::NotFound { .. }) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let mut classes = Vec::new();
    for active in &medicine.ingredients {
        let page = PageRequest::new(1, 20)?;
        let found = state
            .medicines
            .ingredients(Some(active.ingredient.as_str()), page)
            .await?;
        let ingredient = found.items.into_iter().find(|i| i.key == active.ingredient);
        classes.push(ingredient.map(|i| i.epc_classes).unwrap_or_default());
    }
    let stock = match &session.pharmacy {
        Some(pharmacy) => state
            .stock
            .all_for(pharmacy.id)
            .await?
            .into_iter()
            .find(|l| l.medicine_id == id),
        None => None,
    };
    let body = html! {
        h1 { (medicine.brand_name) " " (medicine.strength) }
        dl.facts {
            dt { "Dose form" } dd { (medicine.dose_form.to_lowercase()) ", " (medicine.route.to_lowercase()) }
            dt { "Status" } dd { (text::status(medicine.status)) }
            dt { "Product code" } dd { code { (medicine.id) } }
            @if let Some(applicant) = &medicine.applicant { dt { "Maker" } dd { (applicant) } }
            dt { "Stock here" }
            dd {
                @match (&session.pharmacy, &stock) {
                    (None, _) => { "No pharmacy chosen" }
                    (Some(p), None) => { "Not stocked at " (p.name) }
                    (Some(_), Some(line)) => { (line.quantity) " at " (text::money(&line.price)) }
                }
            }
        }
        h2 { "Ingredients and classes" }
        ul {
            @for (active, classes) in medicine.ingredients.iter().zip(&classes) {
                li {
                    strong { (active.ingredient) }
                    @if let Some(strength) = &active.strength { " " (strength.label) }
                    @if classes.is_empty() { " — no FDA pharmacologic class recorded" }
                    @else { " — " (classes.join("; ")) }
                }
            }
        }
        (label_warnings(state.knowledge.current().label_lines(&id, &Patient::default())))
        p { a href={ "/console/medicines/" (medicine.id) "/substitutes" } { "Substitutes for this product" } }
    };
    Ok(layout::page(
        &session,
        Nav::Catalogue,
        &medicine.brand_name,
        &body,
    ))
}

/// The sections of an OTC Drug Facts label the engine returns, in label order, with their headings.
const LABEL_SECTIONS: [(AlertKind, &str); 4] = [
    (AlertKind::LabelDoNotUse, "Do not use"),
    (AlertKind::LabelAskDoctor, "Ask a doctor before use if"),
    (
        AlertKind::LabelAskDoctorOrPharmacist,
        "Ask a doctor or pharmacist before use if",
    ),
    (
        AlertKind::LabelPregnancyOrBreastFeeding,
        "If pregnant or breast-feeding",
    ),
];

/// The product's OTC label lines for an unknown patient, by label section, each with its source;
/// `lines` is `None` when the engine's snapshot lacks the product. No label is said as "not
/// checked", never as "no warnings".
fn label_warnings(lines: Option<Vec<Alert>>) -> Markup {
    let lines = lines.unwrap_or_default();
    html! {
        section aria-labelledby="label-title" {
            h2 #label-title { "Label warnings" }
            @if lines.is_empty() {
                p.not-checked { span aria-hidden="true" { "⚠ " } "Not checked: no shipped OTC label covers this product's ingredients. That is not a statement of safety." }
            } @else {
                p.hint { "Verbatim OTC Drug Facts label lines, not graded for a patient: lines about a patient's facts, and age limits, are graded on "
                    a href="/console/recommend" { "What can they take?" } " and in the " a href="/console/basket" { "basket check" } "." }
                @for (kind, heading) in LABEL_SECTIONS {
                    @let section: Vec<Alert> = lines.iter().filter(|l| l.kind == kind).cloned().collect();
                    @if !section.is_empty() {
                        h3 { (heading) }
                        (alerts(&section))
                    }
                }
            }
        }
    }
}
