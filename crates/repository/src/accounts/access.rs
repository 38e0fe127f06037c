//! The rules every change of a user's rights follows inside its transaction: changes are serialised,
//! an enabled administrator always remains, and the user's refresh tokens die with the old rights.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use pharmarec_domain::{AuditAction, AuditContext, DomainError, Entity, Role, User};

use crate::audit::snapshot::TokensRevokedV1;
use crate::audit::{self, snapshot};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::schema::{refresh_tokens, users};
use crate::tx;

/// Serialises changes of roles and of the disabled flag, so the last-administrator check of one
/// transaction sees every change another one committed. Call it first in the transaction.
///
/// # Implementation Notes
/// SQLite: its write lock, one writer at a time. PostgreSQL: `SHARE ROW EXCLUSIVE` on `users`
/// conflicts with itself and with row writes, not with reads (logins and checks keep going). Without
/// it, two concurrent demotions of the last two administrators each see the other still an
/// administrator and both commit.
pub(super) fn lock_accounts(conn: &mut DbConnection) -> Result<(), TxError> {
    if let DbConnection::Postgres(pg) = conn {
        pg.batch_execute("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")?;
    } else {
        tx::lock_for_write(conn)?;
    }
    Ok(())
}

/// Refuses a change that takes `user`'s administrator rights away when no other enabled
/// administrator exists.
pub(super) fn ensure_an_admin_remains(conn: &mut DbConnection, user: &User) -> Result<(), TxError> {
    if user.role != Role::Admin || !user.is_enabled() {
        return Ok(());
    }
    let others: i64 = users::table
        .filter(users::role.eq(<&str>::from(Role::Admin)))
        .filter(users::disabled_at.is_null())
        .filter(users::id.ne(user.id.to_string()))
        .count()
        .get_result(conn)?;
    if others == 0 {
        return Err(DomainError::conflict(
            pharmarec_domain::ConflictKind::LastAdmin,
            Entity::User,
            "the last enabled administrator cannot be demoted or disabled",
        )
        .into());
    }
    Ok(())
}

/// Revokes every live refresh token of `user`, audited as `user.revoke_tokens` with their number.
pub(super) fn revoke_tokens(
    conn: &mut DbConnection,
    user: &str,
    ctx: &AuditContext,
) -> Result<(), TxError> {
    let revoked = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(tx::now()))
    .execute(conn)?;
    let after = snapshot(&TokensRevokedV1 {
        revoked_refresh_tokens: revoked,
    })?;
    audit::record(
        conn,
        ctx,
        AuditAction::UserRevokeTokens,
        user,
        None,
        Some(after),
    )
}
