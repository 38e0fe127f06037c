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

/// What an audited write did.
///
/// Its stored name (`stock.adjust`) and entity type (`stock`) are the values
/// [`AuditEvent::action`] and [`AuditEvent::entity_type`] hold and [`AuditQuery`] filters on; they
/// are never renamed, since stored events keep them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
pub enum AuditAction {
    /// A stock line was created or replaced.
    #[strum(serialize = "stock.put")]
    StockPut,
    /// A stock line was adjusted by a delta.
    #[strum(serialize = "stock.adjust")]
    StockAdjust,
    /// A local medicine was created.
    #[strum(serialize = "medicine.create")]
    MedicineCreate,
    /// A local medicine was changed.
    #[strum(serialize = "medicine.update")]
    MedicineUpdate,
    /// A local medicine was deleted.
    #[strum(serialize = "medicine.delete")]
    MedicineDelete,
    /// A pharmacy was created.
    #[strum(serialize = "pharmacy.create")]
    PharmacyCreate,
    /// The catalogue and reference knowledge were imported.
    #[strum(serialize = "catalogue.import")]
    CatalogueImport,
    /// A user was created.
    #[strum(serialize = "user.create")]
    UserCreate,
    /// A user's role or pharmacy memberships changed.
    #[strum(serialize = "user.update")]
    UserUpdate,
    /// A user was disabled.
    #[strum(serialize = "user.disable")]
    UserDisable,
    /// Every live refresh token of a user was revoked.
    #[strum(serialize = "user.revoke_tokens")]
    UserRevokeTokens,
    /// A pharmacy's own product list was imported (entity: the catalogue version it made).
    #[strum(serialize = "catalogue.pharmacy_import")]
    PharmacyCatalogueImport,
    /// A licensed interaction source was imported (entity: the source's name).
    #[strum(serialize = "interactions.licensed_import")]
    LicensedInteractionsImport,
    /// A stock line fell to its low-stock threshold (raised once per crossing).
    #[strum(serialize = "stock.low_stock_alert")]
    StockLowAlert,
    /// A low stock line rose above its threshold again.
    #[strum(serialize = "stock.low_stock_cleared")]
    StockLowCleared,
    /// The scheduled task removed expired refresh tokens.
    #[strum(serialize = "job.refresh_token_cleanup")]
    RefreshTokenCleanup,
    /// A clinician's feedback on a CDS Hooks card (entity: the card's UUID).
    #[strum(serialize = "cds.feedback")]
    CdsFeedback,
    /// A pharmacist dismissed a basket finding with a reason (entity: the finding).
    #[strum(serialize = "basket.dismiss_finding")]
    BasketFindingDismiss,
}

impl AuditAction {
    /// The stored name, e.g. `stock.adjust`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind of entity the action is about, as stored: the part of the name before the dot,
    /// unless the action is about something else than that part names.
    pub fn entity_type(self) -> &'static str {
        match self {
            Self::LicensedInteractionsImport => "licensed_source",
            Self::CdsFeedback => "cds_card",
            Self::BasketFindingDismiss => "basket_finding",
            _ => {
                let name = self.as_str();
                name.split_once('.').map_or(name, |(entity, _)| entity)
            }
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
    /// What, e.g. `stock.adjust`: an [`AuditAction`] name (kept as text, since it is read back as
    /// stored).
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

/// An event to append that no entity write produces (feedback on a CDS Hooks card, a dismissed
/// basket finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    /// What (its entity type follows from it).
    pub action: AuditAction,
    /// Entity id, e.g. the card's UUID.
    pub entity_id: String,
    /// What was recorded (JSON).
    pub after: serde_json::Value,
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

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    /// Stored events and clients' filters hold these names: a renamed variant must not change them.
    #[test]
    fn action_names_are_the_stored_ones() {
        let names: Vec<(&str, &str)> = AuditAction::iter()
            .map(|action| (action.as_str(), action.entity_type()))
            .collect();
        assert_eq!(
            names,
            [
                ("stock.put", "stock"),
                ("stock.adjust", "stock"),
                ("medicine.create", "medicine"),
                ("medicine.update", "medicine"),
                ("medicine.delete", "medicine"),
                ("pharmacy.create", "pharmacy"),
                ("catalogue.import", "catalogue"),
                ("user.create", "user"),
                ("user.update", "user"),
                ("user.disable", "user"),
                ("user.revoke_tokens", "user"),
                ("catalogue.pharmacy_import", "catalogue"),
                ("interactions.licensed_import", "licensed_source"),
                ("stock.low_stock_alert", "stock"),
                ("stock.low_stock_cleared", "stock"),
                ("job.refresh_token_cleanup", "job"),
                ("cds.feedback", "cds_card"),
                ("basket.dismiss_finding", "basket_finding"),
            ]
        );
        assert_eq!(
            "user.revoke_tokens".parse::<AuditAction>(),
            Ok(AuditAction::UserRevokeTokens)
        );
    }
}
