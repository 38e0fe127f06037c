//! `POST /cds-services/{id}/feedback`: what the clinician did with a card
//! (<https://cds-hooks.hl7.org/2.0/#feedback>), appended to the audit trail, one event per entry,
//! all in one transaction.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::DateTime;
use pharmarec_domain::{AuditAction, AuditContext, NewAuditEvent};
use pharmarec_http_api::{ApiError, AppState};
use serde::{Deserialize, Serialize};

use super::card::{OVERRIDE_SYSTEM, is_override_reason};
use super::discovery::service;
use crate::error::InteropError;
use crate::fhir::model::Coding;
use crate::state::InteropState;

/// The feedback body: `{"feedback": [...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackRequest {
    feedback: Vec<Feedback>,
}

/// One feedback entry.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Feedback {
    card: String,
    outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accepted_suggestions: Option<Vec<AcceptedSuggestion>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    override_reason: Option<OverrideReason>,
    outcome_timestamp: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Accepted,
    Overridden,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AcceptedSuggestion {
    id: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OverrideReason {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_comment: Option<String>,
}

/// Most entries accepted in one call (a CDS client reports one card action at a time).
const MAX_ENTRIES: usize = 100;

/// Validates the feedback and records each entry as a `cds.feedback` audit event.
#[tracing::instrument(skip_all)]
pub(crate) async fn feedback(
    state: web::Data<AppState>,
    cds: web::Data<InteropState>,
    id: web::Path<String>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let service = service(id.into_inner())?;
    cds.cds_auth().verify(&request, service.id).await?;
    let entries = parse(&body)?;
    let ctx = AuditContext {
        actor: None,
        request_id: request_id(&request),
        // The socket's peer: forwarding headers are only trusted by the API's own resolver.
        client_ip: request.peer_addr().map(|a| a.ip().to_string()),
    };
    let events: Vec<NewAuditEvent> = entries
        .iter()
        .map(|entry| NewAuditEvent {
            action: AuditAction::CdsFeedback,
            entity_id: entry.card.clone(),
            after: serde_json::json!({ "service": service.id, "feedback": entry }),
        })
        .collect();
    // All entries or none: a failure half-way must not leave half the feedback recorded.
    state
        .audit
        .record_events(events, &ctx)
        .await
        .map_err(InteropError::from)?;
    tracing::info!(entries = entries.len(), "CDS feedback recorded");
    Ok(HttpResponse::Ok().finish())
}

fn parse(body: &[u8]) -> Result<Vec<Feedback>, InteropError> {
    let request: FeedbackRequest =
        serde_json::from_slice(body).map_err(|e| InteropError::invalid("body", e.to_string()))?;
    if request.feedback.is_empty() || request.feedback.len() > MAX_ENTRIES {
        return Err(InteropError::invalid(
            "feedback",
            format!("must hold 1 to {MAX_ENTRIES} entries"),
        ));
    }
    for (i, entry) in request.feedback.iter().enumerate() {
        let at = |field: &str| format!("feedback[{i}].{field}");
        if uuid::Uuid::parse_str(&entry.card).is_err() {
            return Err(InteropError::invalid(at("card"), "must be a card's UUID"));
        }
        if DateTime::parse_from_rfc3339(&entry.outcome_timestamp).is_err() {
            return Err(InteropError::invalid(
                at("outcomeTimestamp"),
                "must be an ISO 8601 instant",
            ));
        }
        match entry.outcome {
            Outcome::Accepted if entry.override_reason.is_some() => {
                return Err(InteropError::invalid(
                    at("overrideReason"),
                    "only with outcome overridden",
                ));
            }
            Outcome::Overridden if entry.accepted_suggestions.is_some() => {
                return Err(InteropError::invalid(
                    at("acceptedSuggestions"),
                    "only with outcome accepted",
                ));
            }
            _ => {}
        }
        if let Some(Some(reason)) = entry.override_reason.as_ref().map(|r| &r.reason) {
            let ours = reason.system.as_deref() == Some(OVERRIDE_SYSTEM)
                && reason.code.as_deref().is_some_and(is_override_reason);
            if !ours {
                return Err(InteropError::invalid(
                    at("overrideReason.reason"),
                    "must be one of the card's overrideReasons",
                ));
            }
        }
    }
    Ok(request.feedback)
}

/// The request id the API's middleware settled on (it echoes it on the response too).
fn request_id(request: &HttpRequest) -> String {
    request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(outcome: &str, extra: &str) -> String {
        format!(
            r#"{{"feedback":[{{"card":"9368d37b-283f-44a0-93ea-547cebab93ef","outcome":"{outcome}","outcomeTimestamp":"2026-11-30T10:00:00Z"{extra}}}]}}"#
        )
    }

    #[test]
    fn an_override_with_a_coded_reason_is_accepted() {
        let body = entry(
            "overridden",
            r#","overrideReason":{"reason":{"system":"urn:pharmarec:cds:override-reason","code":"will-monitor"},"userComment":"INR next week"}"#,
        );
        assert_eq!(parse(body.as_bytes()).unwrap().len(), 1);
    }

    #[test]
    fn inconsistent_or_unknown_entries_are_refused() {
        let bad = [
            entry("accepted", r#","overrideReason":{"userComment":"x"}"#),
            entry("overridden", r#","acceptedSuggestions":[{"id":"x"}]"#),
            entry(
                "overridden",
                r#","overrideReason":{"reason":{"system":"urn:other","code":"x"}}"#,
            ),
            entry("ignored", ""),
            entry("accepted", r#","surprise":1"#),
            r#"{"feedback":[]}"#.to_string(),
        ];
        for body in bad {
            assert!(parse(body.as_bytes()).is_err(), "{body}");
        }
    }
}
