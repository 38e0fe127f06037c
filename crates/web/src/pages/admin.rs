//! Administrators' pages: the audit trail (filters, paging) and the users.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use actix_web::{HttpResponse, web};
use maud::html;
use pharmarec_domain::{AuditQuery, DomainError, PageRequest, Role, UserId};
use pharmarec_http_api::AppState;

use crate::error::WebError;
use crate::form::Query;
use crate::layout::{self, Nav};
use crate::session::Session;
use crate::text;

/// Rows per page.
const PER_PAGE: u32 = 25;
/// Longest filter text.
const MAX_FILTER_CHARS: usize = 100;

pub(crate) async fn audit(
    session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    session.require(Role::Admin)?;
    let page_number = query.page()?;
    let events = state
        .audit
        .audit_events(&AuditQuery {
            action: query
                .bounded("action", "The action", MAX_FILTER_CHARS)?
                .map(str::to_owned),
            entity_type: query
                .bounded("entity_type", "The entity type", MAX_FILTER_CHARS)?
                .map(str::to_owned),
            page: PageRequest::new(page_number, PER_PAGE)?,
            ..AuditQuery::default()
        })
        .await?;
    // Who, by e-mail: at most one lookup per distinct actor on the page.
    let mut emails: HashMap<UserId, String> = HashMap::new();
    for actor in events.items.iter().filter_map(|e| e.actor) {
        if let Entry::Vacant(slot) = emails.entry(actor) {
            let email = match state.users.user(actor).await {
                Ok(user) => user.email.to_string(),
                Err(DomainError::NotFound { .. }) => format!("deleted user {actor}"),
                Err(error) => return Err(error.into()),
            };
            slot.insert(email);
        }
    }
    let filters = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            ["action", "entity_type"]
                .iter()
                .filter_map(|n| query.get(n).map(|v| (*n, v))),
        )
        .finish();
    let body = html! {
        h1 { "Audit trail" }
        form.card.filters method="get" action="/console/audit" {
            div.field {
                label for="action" { "Action" }
                input #action type="text" name="action" value=[query.get("action")] aria-describedby="action-hint";
                p.hint #action-hint { "For example basket.dismiss_finding, stock.put, user.create" }
            }
            div.field {
                label for="entity_type" { "Entity type" }
                input #entity_type type="text" name="entity_type" value=[query.get("entity_type")];
            }
            button type="submit" { "Filter" }
        }
        p role="status" { (events.total_items) " events, newest first" }
        div.table-wrap {
            table.audit {
                caption.visually-hidden { "Audit events" }
                thead { tr { th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Action" } th scope="col" { "What" } th scope="col" { "Details" } } }
                tbody {
                    @for event in &events.items {
                        tr {
                            td { (event.at.format("%Y-%m-%d %H:%M:%S")) }
                            td { @match event.actor.and_then(|a| emails.get(&a)) { Some(email) => (email), None => "command line" } }
                            td { (event.action) }
                            td { (event.entity_type) " " code { (event.entity_id) } }
                            td { @if let Some(after) = &event.after { code.json { (after) } } }
                        }
                    }
                }
            }
        }
        (layout::pager(page_number, events.total_pages(), |p| format!("/console/audit?{filters}&page={p}")))
    };
    Ok(layout::page(&session, Nav::Audit, "Audit trail", &body))
}

pub(crate) async fn users(
    session: Session,
    Query(query): Query,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    session.require(Role::Admin)?;
    let page_number = query.page()?;
    let users = state
        .users
        .users(PageRequest::new(page_number, PER_PAGE)?)
        .await?;
    let body = html! {
        h1 { "Users" }
        p.hint { "Create users with " code { "pharmarec user create" } " or the API's " code { "POST /api/v1/users" } "." }
        div.table-wrap {
            table {
                caption.visually-hidden { "Users" }
                thead { tr { th scope="col" { "E-mail" } th scope="col" { "Role" } th scope="col" { "Pharmacies" } th scope="col" { "Status" } th scope="col" { "Created (UTC)" } } }
                tbody {
                    @for user in &users.items {
                        tr {
                            td { (user.email) }
                            td { (text::words(&user.role)) }
                            td { (user.pharmacies.len()) }
                            td { @if user.is_enabled() { "Enabled" } @else { "Disabled" } }
                            td { (user.created_at.format("%Y-%m-%d %H:%M")) }
                        }
                    }
                }
            }
        }
        (layout::pager(page_number, users.total_pages(), |p| format!("/console/users?page={p}")))
    };
    Ok(layout::page(&session, Nav::Users, "Users", &body))
}
