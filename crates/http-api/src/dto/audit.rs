//! The audit trail as it goes on the wire.

use chrono::{DateTime, Utc};
use pharmarec_domain::{AuditEvent, AuditQuery, UserId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::page_request;
use crate::error::ApiError;

/// Filters of `GET /api/v1/audit`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditListQuery {
    /// Only writes by this user.
    actor: Option<Uuid>,
    /// Only this action, e.g. `stock.adjust`.
    action: Option<String>,
    /// Only this entity kind, e.g. `medicine`.
    entity_type: Option<String>,
    /// Only this entity id.
    entity_id: Option<String>,
    /// At or after this instant (RFC 3339).
    from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    to: Option<DateTime<Utc>>,
    /// 1-based page number (default 1, at most 2147483647).
    #[param(minimum = 1, maximum = 2_147_483_647)]
    page: Option<u32>,
    /// Page size (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

impl TryFrom<AuditListQuery> for AuditQuery {
    type Error = ApiError;

    fn try_from(query: AuditListQuery) -> Result<Self, Self::Error> {
        Ok(Self {
            actor: query.actor.map(UserId::from),
            action: query.action,
            entity_type: query.entity_type,
            entity_id: query.entity_id,
            from: query.from.map(|at| at.naive_utc()),
            to: query.to.map(|at| at.naive_utc()),
            page: page_request(query.page, query.per_page)?,
        })
    }
}

/// One recorded write.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditEventDto {
    /// Sequence number.
    id: i64,
    /// When (UTC).
    at: DateTime<Utc>,
    /// Who; `null` for the command line.
    actor: Option<Uuid>,
    /// What, e.g. `medicine.update`.
    action: String,
    /// Entity kind.
    entity_type: String,
    /// Entity id.
    entity_id: String,
    /// The entity before the write, if it existed.
    #[schema(value_type = Option<Object>)]
    before: Option<serde_json::Value>,
    /// The entity after the write, if it still exists.
    #[schema(value_type = Option<Object>)]
    after: Option<serde_json::Value>,
    /// Request id of the write.
    request_id: String,
    /// Client IP of the write.
    client_ip: Option<String>,
}

/// A stored snapshot as JSON; one that does not parse is shown as a string rather than dropped.
fn snapshot(text: Option<String>) -> Option<serde_json::Value> {
    text.map(|text| serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}

impl From<AuditEvent> for AuditEventDto {
    fn from(event: AuditEvent) -> Self {
        Self {
            id: event.id,
            at: event.at.and_utc(),
            actor: event.actor.map(|actor| actor.as_uuid()),
            action: event.action,
            entity_type: event.entity_type,
            entity_id: event.entity_id,
            before: snapshot(event.before),
            after: snapshot(event.after),
            request_id: event.request_id,
            client_ip: event.client_ip,
        }
    }
}
