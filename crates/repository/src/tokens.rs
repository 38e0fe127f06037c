//! [`RefreshTokenStore`] for [`Database`]: hashed refresh tokens, consumed at most once.
//!
//! Tokens are credentials, so they are never audited: no token hash ever reaches `audit_events`.

use async_trait::async_trait;
use diesel::prelude::*;
use pharmarec_domain::ports::RefreshTokenStore;
use pharmarec_domain::{DomainError, RefreshTokenRecord};
use uuid::Uuid;

use crate::connection::DbConnection;
use crate::error::TxError;
use crate::rows::RefreshTokenRow;
use crate::schema::refresh_tokens;
use crate::{Database, tx};

/// Marks the token used if it is still live, then returns it as it was before.
///
/// # Implementation Notes
/// The guarded `UPDATE` is the transaction's first statement: on PostgreSQL a concurrent consumer
/// waits on the row lock and then matches no row; on SQLite it takes the write lock first. Either
/// way exactly one consumer sees one changed row, and every other one gets the record with
/// `used_at` (or `revoked_at`) already set, which the caller treats as reuse.
fn consume(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<RefreshTokenRecord>, TxError> {
    conn.transaction(|conn| {
        let token = refresh_tokens::table.find(token_hash);
        let changed = diesel::update(
            token
                .filter(refresh_tokens::used_at.is_null())
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set(refresh_tokens::used_at.eq(tx::now()))
        .execute(conn)?;
        let Some(mut row) = token
            .select(RefreshTokenRow::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(None);
        };
        if changed == 1 {
            // This call spent it; the caller gets the live token it presented.
            row.used_at = None;
        }
        Ok(Some(row.try_into()?))
    })
}

#[async_trait]
impl RefreshTokenStore for Database {
    async fn insert_refresh_token(&self, record: RefreshTokenRecord) -> Result<(), DomainError> {
        self.run(move |conn| {
            diesel::insert_into(refresh_tokens::table)
                .values(RefreshTokenRow::new(record, tx::now()))
                .execute(conn)?;
            Ok(())
        })
        .await
    }

    async fn consume_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshTokenRecord>, DomainError> {
        let token_hash = token_hash.to_string();
        self.run(move |conn| consume(conn, &token_hash)).await
    }

    #[tracing::instrument(skip_all, fields(family_id = %family_id))]
    async fn revoke_refresh_family(&self, family_id: Uuid) -> Result<(), DomainError> {
        self.run(move |conn| {
            diesel::update(
                refresh_tokens::table
                    .filter(refresh_tokens::family_id.eq(family_id.to_string()))
                    .filter(refresh_tokens::revoked_at.is_null()),
            )
            .set(refresh_tokens::revoked_at.eq(tx::now()))
            .execute(conn)?;
            Ok(())
        })
        .await
    }
}
