//! Passing over a serious basket finding: only with a coded reason and free text, re-checked
//! against the same basket and patient, and written to the audit trail.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use pharmarec_domain::{AuditAction, NewAuditEvent, Severity};
use pharmarec_http_api::{AppState, audit_context};
use pharmarec_recommendation::Finding;
use serde_json::json;

use super::{ids_of, render, report};
use crate::error::WebError;
use crate::form::FormData;
use crate::layout;
use crate::pages::clinical::{patient_from, patient_hidden};
use crate::session::Session;

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
pub(super) struct Dismissed {
    finding: String,
    pub(super) reason: &'static str,
    pub(super) text: String,
}

/// A dismissal form that failed validation, shown again with its message.
pub(super) struct Refused {
    finding: String,
    message: String,
}

pub(crate) async fn dismiss(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: FormData,
) -> Result<HttpResponse, WebError> {
    session.check_csrf(&form)?;
    let items: Vec<String> = form.all("item").map(str::to_owned).collect();
    let patient = patient_from(&form)?;
    let report = report(&state, &items, patient)
        .await?
        .ok_or(WebError::NotFound)?;
    let finding_id = form.get("finding").unwrap_or_default();
    // Re-checked now, for the same patient, so only a finding this basket really has can be
    // dismissed.
    let (finding, _) = report
        .findings
        .iter()
        .zip(ids_of(&report.findings))
        .find(|(f, id)| id == finding_id && needs_reason(f))
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
                &form,
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
        &form,
        &items,
        Some(&report),
        Some(&dismissed),
        None,
    ))
}

/// Findings that may only be passed over with a recorded reason.
pub(super) fn needs_reason(finding: &Finding) -> bool {
    finding.severity >= Severity::Major
}

/// The dismissal form of the finding named `id`, carrying the basket and the patient so the
/// re-check is the same; `place` (the finding's place on the page) keeps its element ids apart.
pub(super) fn dismissal(
    session: &Session,
    form: &FormData,
    items: &[String],
    id: &str,
    place: usize,
    dismissed: Option<&Dismissed>,
    refused: Option<&Refused>,
) -> Markup {
    if dismissed.is_some_and(|d| d.finding == id) {
        return html! { p.dismissed { span aria-hidden="true" { "✓ " } "Dismissed; the reason is in the audit trail." } };
    }
    let error = refused
        .filter(|r| r.finding == id)
        .map(|r| r.message.as_str());
    html! {
        details open[error.is_some()] {
            summary { "Dismiss this finding (a reason is required)" }
            form method="post" action="/console/basket/dismiss" {
                (layout::csrf(session))
                @for item in items { input type="hidden" name="item" value=(item); }
                (patient_hidden(form))
                input type="hidden" name="finding" value=(id);
                @if let Some(error) = error { p.notice.notice-error role="alert" { (error) } }
                div.field {
                    label for={ "code-" (place) } { "Reason" }
                    select id={ "code-" (place) } name="reason_code" required {
                        option value="" { "Choose a reason" }
                        @for (code, label) in REASONS { option value=(code) { (label) } }
                    }
                }
                div.field {
                    label for={ "text-" (place) } { "Explanation" }
                    textarea id={ "text-" (place) } name="reason_text" required maxlength="500" rows="3" {}
                }
                button type="submit" { "Dismiss finding" }
            }
        }
    }
}
