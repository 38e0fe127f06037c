//! The audit trail: [`record`] writes one event inside the caller's write transaction, and
//! [`AuditLog`] reads events back, newest first.
//!
//! Policy:
//! * Every audited write calls [`record`] on the connection of its own transaction, after the write
//!   succeeded, so a rolled-back write leaves no event and a committed one always has one.
//! * Actions are [`AuditAction`]s, never string literals.
//! * Snapshots are the dedicated, versioned types of [`snapshot`] (never a domain type's own serde
//!   output, which a renamed field would change); the user's leaves the password hash out, and
//!   refresh tokens are never audited.
//! * Nothing in this crate updates or deletes events; the migration's triggers refuse it anyway.

use async_trait::async_trait;
use diesel::prelude::*;
use pharmarec_domain::ports::AuditLog;
use pharmarec_domain::{
    AuditAction, AuditContext, AuditEvent, AuditQuery, DomainError, NewAuditEvent, Page,
};
use serde_json::Value;

use crate::connection::{Db, DbConnection};
use crate::error::TxError;
use crate::paging::{limits, total};
use crate::rows::{AuditRow, NewAuditRow};
use crate::schema::audit_events;
use crate::{Database, tx};

pub(crate) mod snapshot;

use snapshot::AuditSnapshot;

/// The stored JSON of `entity`'s snapshot.
pub(crate) fn snapshot(entity: &impl AuditSnapshot) -> Result<Value, TxError> {
    Ok(serde_json::to_value(entity)?)
}

/// Inserts one audit event; call it inside the transaction of the write it records.
pub(crate) fn record(
    conn: &mut DbConnection,
    ctx: &AuditContext,
    action: AuditAction,
    entity_id: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), TxError> {
    let row = NewAuditRow {
        at: tx::now(),
        actor: ctx.actor.map(|actor| actor.to_string()),
        action: action.as_str(),
        entity_type: action.entity_type(),
        entity_id,
        before_json: before.map(|json| json.to_string()),
        after_json: after.map(|json| json.to_string()),
        request_id: &ctx.request_id,
        client_ip: ctx.client_ip.as_deref(),
    };
    diesel::insert_into(audit_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Events matching every filter of `query`, boxed so the count and the page share it.
fn filtered(query: &AuditQuery) -> audit_events::BoxedQuery<'static, Db> {
    let mut filtered = audit_events::table.into_boxed();
    if let Some(actor) = query.actor {
        filtered = filtered.filter(audit_events::actor.eq(actor.to_string()));
    }
    if let Some(action) = &query.action {
        filtered = filtered.filter(audit_events::action.eq(action.clone()));
    }
    if let Some(entity_type) = &query.entity_type {
        filtered = filtered.filter(audit_events::entity_type.eq(entity_type.clone()));
    }
    if let Some(entity_id) = &query.entity_id {
        filtered = filtered.filter(audit_events::entity_id.eq(entity_id.clone()));
    }
    if let Some(from) = query.from {
        filtered = filtered.filter(audit_events::at.ge(from));
    }
    if let Some(to) = query.to {
        filtered = filtered.filter(audit_events::at.lt(to));
    }
    filtered
}

fn events(conn: &mut DbConnection, query: &AuditQuery) -> Result<Page<AuditEvent>, TxError> {
    let (limit, offset) = limits(query.page)?;
    let count: i64 = filtered(query).count().get_result(conn)?;
    let items = filtered(query)
        .select(AuditRow::as_select())
        // Ids grow with every insert, so they order events exactly even within one timestamp.
        .order(audit_events::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)?
        .into_iter()
        .map(AuditEvent::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page {
        items,
        request: query.page,
        total_items: total(count),
    })
}

#[async_trait]
impl AuditLog for Database {
    #[tracing::instrument(skip_all)]
    async fn audit_events(&self, query: &AuditQuery) -> Result<Page<AuditEvent>, DomainError> {
        let query = query.clone();
        self.run(move |conn| {
            // One snapshot, so the total and the page agree while writes go on.
            conn.transaction(|conn| {
                crate::knowledge::snapshot(conn)?;
                events(conn, &query)
            })
        })
        .await
    }

    #[tracing::instrument(skip_all)]
    async fn record_events(
        &self,
        events: Vec<NewAuditEvent>,
        ctx: &AuditContext,
    ) -> Result<(), DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| {
            conn.transaction(|conn| {
                for event in events {
                    record(
                        conn,
                        &ctx,
                        event.action,
                        &event.entity_id,
                        None,
                        Some(event.after),
                    )?;
                }
                Ok(())
            })
        })
        .await
    }
}
