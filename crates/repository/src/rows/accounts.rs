//! Rows of the account tables (users, memberships, refresh tokens) and of the audit trail.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use pharmarec_domain::{AuditEvent, PharmacyId, RefreshTokenRecord, User};

use super::parse_stored;
use crate::error::TxError;
use crate::schema::{audit_events, refresh_tokens, user_pharmacies, users};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
pub(crate) struct UserRow {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) role: String,
    pub(crate) password_hash: String,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
    pub(crate) disabled_at: Option<NaiveDateTime>,
}

/// Builds a [`User`] from its row and its memberships.
pub(crate) fn user_from(row: UserRow, pharmacies: Vec<PharmacyId>) -> Result<User, TxError> {
    Ok(User {
        id: parse_stored("user_id", &row.id)?,
        email: parse_stored("email", &row.email)?,
        role: parse_stored("role", &row.role)?,
        password_hash: row.password_hash,
        pharmacies,
        created_at: row.created_at,
        disabled_at: row.disabled_at,
    })
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_pharmacies)]
pub(crate) struct UserPharmacyRow {
    pub(crate) user_id: String,
    pub(crate) pharmacy_id: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens, treat_none_as_default_value = false)]
pub(crate) struct RefreshTokenRow {
    pub(crate) token_hash: String,
    pub(crate) family_id: String,
    pub(crate) user_id: String,
    pub(crate) expires_at: NaiveDateTime,
    pub(crate) used_at: Option<NaiveDateTime>,
    pub(crate) revoked_at: Option<NaiveDateTime>,
    pub(crate) created_at: NaiveDateTime,
}

impl RefreshTokenRow {
    /// The row storing `record`, issued at `created_at`.
    pub(crate) fn new(record: RefreshTokenRecord, created_at: NaiveDateTime) -> Self {
        Self {
            token_hash: record.token_hash,
            family_id: record.family_id.to_string(),
            user_id: record.user_id.to_string(),
            expires_at: record.expires_at,
            used_at: record.used_at,
            revoked_at: record.revoked_at,
            created_at,
        }
    }
}

impl TryFrom<RefreshTokenRow> for RefreshTokenRecord {
    type Error = TxError;

    fn try_from(row: RefreshTokenRow) -> Result<Self, TxError> {
        Ok(Self {
            token_hash: row.token_hash,
            family_id: parse_stored("family_id", &row.family_id)?,
            user_id: parse_stored("user_id", &row.user_id)?,
            expires_at: row.expires_at,
            used_at: row.used_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// An audit event to insert; the database assigns its id.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub(crate) struct NewAuditRow<'a> {
    pub(crate) at: NaiveDateTime,
    pub(crate) actor: Option<String>,
    pub(crate) action: &'a str,
    pub(crate) entity_type: &'a str,
    pub(crate) entity_id: &'a str,
    pub(crate) before_json: Option<String>,
    pub(crate) after_json: Option<String>,
    pub(crate) request_id: &'a str,
    pub(crate) client_ip: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub(crate) struct AuditRow {
    pub(crate) id: i64,
    pub(crate) at: NaiveDateTime,
    pub(crate) actor: Option<String>,
    pub(crate) action: String,
    pub(crate) entity_type: String,
    pub(crate) entity_id: String,
    pub(crate) before_json: Option<String>,
    pub(crate) after_json: Option<String>,
    pub(crate) request_id: String,
    pub(crate) client_ip: Option<String>,
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = TxError;

    fn try_from(row: AuditRow) -> Result<Self, TxError> {
        Ok(Self {
            id: row.id,
            at: row.at,
            actor: row
                .actor
                .map(|actor| parse_stored("actor", &actor))
                .transpose()?,
            action: row.action,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            before: row.before_json,
            after: row.after_json,
            request_id: row.request_id,
            client_ip: row.client_ip,
        })
    }
}
