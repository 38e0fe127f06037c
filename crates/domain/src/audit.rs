//! The audit trail: who changed what, when, from where — recorded in the same transaction as the write.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::{PageRequest, UserId};

/// Who is writing, passed to every write so the repository can record it atomically with the write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContext {
    /// Authenticated user; `None` for the CLI or an anonymous caller.
    pub actor: Option<UserId>,
    /// Request id of the HTTP request (or `cli`).
    pub request_id: String,
    /// Client IP as resolved by the HTTP layer (trusted proxies only).
    pub client_ip: Option<String>,
}

impl AuditContext {
    /// Context for writes made from the command line.
    pub fn cli() -> Self {
        Self {
            actor: None,
            request_id: "cli".to_string(),
            client_ip: None,
        }
    }
}

/// One recorded write. `before`/`after` are JSON snapshots of the entity and never hold password or
/// token hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Sequence number.
    pub id: i64,
    /// When (UTC).
    pub at: NaiveDateTime,
    /// Who.
    pub actor: Option<UserId>,
    /// What, e.g. `stock.adjust`, `medicine.create`, `user.create`.
    pub action: String,
    /// Entity kind, e.g. `stock`, `medicine`, `pharmacy`, `user`.
    pub entity_type: String,
    /// Entity id.
    pub entity_id: String,
    /// State before the write (JSON), if it existed.
    pub before: Option<String>,
    /// State after the write (JSON), if it still exists.
    pub after: Option<String>,
    /// Request id.
    pub request_id: String,
    /// Client IP.
    pub client_ip: Option<String>,
}

/// A recorded decision that changes no stored entity: a pharmacist dismissing a basket finding.
/// Stored as an event whose `after` is `details` and whose `before` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditNote {
    /// What, e.g. `basket.dismiss_finding`.
    pub action: String,
    /// What it is about, e.g. `basket_finding`.
    pub entity_type: String,
    /// Which one, e.g. the finding's kind and ingredients.
    pub entity_id: String,
    /// The decision as JSON (reason code, free text, the finding).
    pub details: serde_json::Value,
}

/// Filters for reading the audit trail (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only this actor's writes.
    pub actor: Option<UserId>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this entity kind.
    pub entity_type: Option<String>,
    /// Only this entity id.
    pub entity_id: Option<String>,
    /// At or after (UTC).
    pub from: Option<NaiveDateTime>,
    /// Before (UTC).
    pub to: Option<NaiveDateTime>,
    /// Page.
    pub page: PageRequest,
}
