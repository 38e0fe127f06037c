//! Basket check: medicines added by name or scan code, findings most severe first in plain English
//! with their source, duplicates and what no source covers. A major or contraindicated finding is
//! dismissed only with a coded reason and free text, written to the audit trail.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::ports::MedicineQuery;
use pharmarec_domain::{AuditAction, MedicineId, NewAuditEvent, PageRequest, Severity};
use pharmarec_http_api::{AppState, audit_context};
use pharmarec_recommendation::{BasketOptions, BasketReport, Finding, MedicineRef, Patient};
use serde_json::json;

use super::clinical::{join, name_input, names_list, not_checked};
use crate::error::WebError;
use crate::form::FormData;
use crate::layout::{self, Nav};
use crate::session::Session;
use crate::text;

/// Most medicines in one basket (the API's bound).
const MAX_ITEMS: usize = 50;
/// Longest medicine name or scan code.
const MAX_NAME_CHARS: usize = 200;
/// Longest free-text reason kept.
const MAX_REASON_CHARS: usize = 500;
/// Why a pharmacist may go ahead despite a serious finding: codes stored in the audit trail, and
/// the words shown for them.
const REASONS: [(&str, &str); 5] = [
    ("prescriber_confirmed", "Prescriber consulted and confirmed"),
    (
        "patient_counselled",
        "Patient counselled; benefit judged to outweigh the risk",
    ),
    ("monitoring_in_place", "Monitoring already in place"),
    ("not_applicable", "Does not apply to this patient"),
    ("other", "Other (explain below)"),
];

/// What a dismissal did, shown after it.
struct Dismissed {
    finding: String,
    reason: &'static str,
    text: String,
}

/// A dismissal form that failed validation, shown again with its message.
struct Refused {
    finding: String,
    message: String,
}

pub(crate) async fn form(session: Session) -> HttpResponse {
    render(StatusCode::OK, &session, &[], None, None, None)
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
    let report = report(&state, &items).await?;
    Ok(render(
        StatusCode::OK,
        &session,
        &items,
        report.as_ref(),
        None,
        None,
    ))
}

pub(crate) async fn dismiss(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let items: Vec<String> = form.all("item").map(str::to_owned).collect();
    let report = report(&state, &items).await?.ok_or(WebError::NotFound)?;
    let finding_id = form.get("finding").unwrap_or_default();
    // Re-checked now, so only a finding this basket really has can be dismissed.
    let finding = report
        .findings
        .iter()
        .find(|f| id_of(f) == finding_id && needs_reason(f))
        .ok_or(WebError::NotFound)?;
    let reason = form
        .get("reason_code")
        .and_then(|code| REASONS.iter().find(|(c, _)| *c == code));
    let text = form.get("reason_text").unwrap_or_default();
    let checked = match reason {
        None => Err("Choose a reason."),
        Some(_) if text.is_empty() => Err("Explain the reason in your own words."),
        Some(_) if text.chars().count() > MAX_REASON_CHARS => {
            Err("Keep the explanation under 500 characters.")
        }
        Some(reason) => Ok(*reason),
    };
    let (code, label) = match checked {
        Ok(reason) => reason,
        Err(message) => {
            let refused = Refused {
                finding: finding_id.to_owned(),
                message: message.to_owned(),
            };
            let page = render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &session,
                &items,
                Some(&report),
                None,
                Some(&refused),
            );
            return Ok(page);
        }
    };
    let ctx = audit_context(&state, &req, Some(session.account.id));
    let note = NewAuditEvent {
        action: AuditAction::BasketFindingDismiss,
        entity_id: finding_id.to_owned(),
        after: json!({
            "reason_code": code,
            "reason": text,
            "pharmacy_id": session.pharmacy.as_ref().map(|p| p.id),
            "finding": {
                "kind": finding.kind,
                "severity": finding.severity,
                "ingredients": finding.ingredients,
                "description": finding.description,
                "source": finding.source,
                "items": finding.items,
            },
        }),
    };
    state.audit.record_events(vec![note], &ctx).await?;
    tracing::info!(finding = finding_id, "basket finding dismissed");
    let dismissed = Dismissed {
        finding: finding_id.to_owned(),
        reason: label,
        text: text.to_owned(),
    };
    Ok(render(
        StatusCode::OK,
        &session,
        &items,
        Some(&report),
        Some(&dismissed),
        None,
    ))
}

/// The engine's report on `items`, or `None` for an empty basket.
async fn report(state: &AppState, items: &[String]) -> Result<Option<BasketReport>, WebError> {
    if items.is_empty() {
        return Ok(None);
    }
    let mut refs = Vec::with_capacity(items.len());
    for item in items {
        refs.push(resolve(state, item).await?);
    }
    let catalogue = state.engine.current();
    Ok(Some(catalogue.check_basket(
        &refs,
        &Patient::default(),
        &BasketOptions::default(),
    )?))
}

/// A scanned product code or a product's exact brand name names that product; anything else is
/// an ingredient name for the engine to resolve (or report as unrecognised).
async fn resolve(state: &AppState, item: &str) -> Result<MedicineRef, WebError> {
    if let Ok(id) = item.parse::<MedicineId>()
        && state.engine.current().medicine(&id).is_some()
    {
        return Ok(MedicineRef::MedicineId(id));
    }
    let products = state
        .catalogue
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

/// A stable name of a finding within a basket: its kind and ingredients.
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

/// Findings that may only be passed over with a recorded reason.
fn needs_reason(finding: &Finding) -> bool {
    finding.severity >= Severity::Major
}

fn render(
    status: StatusCode,
    session: &Session,
    items: &[String],
    report: Option<&BasketReport>,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> HttpResponse {
    let body = html! {
        h1 { "Basket check" }
        form.card method="post" action="/console/basket" {
            (layout::csrf(session))
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
            div.field {
                label for="add" { "Add a medicine: name or scan code" }
                (name_input("add", "add", None))
            }
            (names_list())
            button type="submit" { "Add and check" }
        }
        @if let Some(dismissed) = dismissed {
            (layout::notice("ok", &html! { "Finding dismissed (" (dismissed.reason) ": " (dismissed.text) "). Recorded in the audit trail." }))
        }
        @if let Some(report) = report { (results(session, items, report, dismissed, refused)) }
    };
    layout::page_with_status(status, session, Nav::Basket, "Basket check", &body)
}

fn results(
    session: &Session,
    items: &[String],
    report: &BasketReport,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> Markup {
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    html! {
        section aria-labelledby="verdict-title" {
            h2 #verdict-title { "Result" }
            p.verdict { (report.verdict_text) }
            @if findings.is_empty() { p { "No finding at or above the checked severity. That is not a statement of safety." } }
            ol.results {
                @for finding in findings {
                    li.card.finding {
                        h3 { (layout::severity(finding.severity)) " " (text::words(&finding.kind)) ": " (finding.items.join(" + ")) }
                        @let (english, verbatim) = split_description(&finding.description);
                        ul { @for clause in english { li { (clause) } } }
                        @if !verbatim.is_empty() {
                            details { summary { "Source text as published (" (verbatim.len()) ")" } ul { @for clause in verbatim { li lang="fr" { (clause) } } } }
                        }
                        p.source { (finding.source) }
                        @if needs_reason(finding) {
                            (dismissal(session, items, finding, dismissed, refused))
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
        (not_checked(&report.unrecognised, &[], &report.not_checked))
        p.hint { (report.disclaimer) " Catalogue version " (report.knowledge.catalogue_version) "." }
    }
}

fn dismissal(
    session: &Session,
    items: &[String],
    finding: &Finding,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> Markup {
    let id = id_of(finding);
    if dismissed.is_some_and(|d| d.finding == id) {
        return html! { p.dismissed { span aria-hidden="true" { "✓ " } "Dismissed; the reason is in the audit trail." } };
    }
    let error = refused
        .filter(|r| r.finding == id)
        .map(|r| r.message.as_str());
    let slug: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    html! {
        details open[error.is_some()] {
            summary { "Dismiss this finding (a reason is required)" }
            form method="post" action="/console/basket/dismiss" {
                (layout::csrf(session))
                @for item in items { input type="hidden" name="item" value=(item); }
                input type="hidden" name="finding" value=(id);
                @if let Some(error) = error { p.notice.notice-error role="alert" { (error) } }
                div.field {
                    label for={ "code-" (slug) } { "Reason" }
                    select id={ "code-" (slug) } name="reason_code" required {
                        option value="" { "Choose a reason" }
                        @for (code, label) in REASONS { option value=(code) { (label) } }
                    }
                }
                div.field {
                    label for={ "text-" (slug) } { "Explanation" }
                    textarea id={ "text-" (slug) } name="reason_text" required maxlength="500" rows="3" {}
                }
                button type="submit" { "Dismiss finding" }
            }
        }
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
