//! [`UserRepository`] for [`Database`]: users, their pharmacy memberships, audited writes.
//!
//! E-mail uniqueness is the `users.email` unique constraint (the domain has already normalised the
//! address), so two concurrent sign-ups of one address cannot both succeed. Memberships are kept
//! sorted by pharmacy id, the order they are read back in. Changes of rights follow the rules of
//! [`access`]: serialised, never leaving no enabled administrator, revoking the user's refresh tokens.

mod access;

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use pharmarec_domain::ports::UserRepository;
use pharmarec_domain::{
    AuditAction, AuditContext, DomainError, Email, NewUser, Page, PageRequest, PharmacyId, Role,
    User, UserId,
};

use crate::audit::snapshot::UserV1;
use crate::audit::{self, snapshot};
use crate::connection::{Db, DbConnection};
use crate::error::TxError;
use crate::paging::{limits, total};
use crate::rows::{self, UserPharmacyRow, UserRow};
use crate::schema::{pharmacies, user_pharmacies, users};
use crate::{Database, tx};

fn user_snapshot(user: &User) -> Result<serde_json::Value, TxError> {
    snapshot(&UserV1::from(user))
}

/// Attaches each row's memberships (one query for all rows) and converts, keeping row order.
fn with_memberships(conn: &mut DbConnection, rows: Vec<UserRow>) -> Result<Vec<User>, TxError> {
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let mut memberships: HashMap<String, Vec<PharmacyId>> = HashMap::new();
    for member in user_pharmacies::table
        .filter(user_pharmacies::user_id.eq_any(&ids))
        .select(UserPharmacyRow::as_select())
        .order((user_pharmacies::user_id, user_pharmacies::pharmacy_id))
        .load(conn)?
    {
        let pharmacy = rows::parse_stored("pharmacy_id", &member.pharmacy_id)?;
        memberships
            .entry(member.user_id)
            .or_default()
            .push(pharmacy);
    }
    rows.into_iter()
        .map(|row| {
            let own = memberships.remove(&row.id).unwrap_or_default();
            rows::user_from(row, own)
        })
        .collect()
}

/// At most one user: `query` selects by a unique column.
fn find_one(
    conn: &mut DbConnection,
    query: users::BoxedQuery<'static, Db>,
) -> Result<Option<User>, TxError> {
    let found = query.select(UserRow::as_select()).load(conn)?;
    Ok(with_memberships(conn, found)?.pop())
}

fn find(conn: &mut DbConnection, id: UserId) -> Result<User, TxError> {
    find_one(conn, users::table.find(id.to_string()).into_boxed())?
        .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::User, &id).into())
}

/// The distinct pharmacies, sorted; `Invalid` naming the first that does not exist.
fn check_pharmacies(
    conn: &mut DbConnection,
    pharmacies: &[PharmacyId],
) -> Result<Vec<PharmacyId>, TxError> {
    let wanted: BTreeSet<PharmacyId> = pharmacies.iter().copied().collect();
    let wanted: Vec<PharmacyId> = wanted.into_iter().collect();
    let texts: Vec<String> = wanted.iter().map(ToString::to_string).collect();
    let known: Vec<String> = pharmacies::table
        .filter(pharmacies::id.eq_any(&texts))
        .select(pharmacies::id)
        .load(conn)?;
    match texts.iter().find(|id| !known.contains(id)) {
        Some(unknown) => {
            Err(DomainError::invalid("pharmacies", format!("unknown pharmacy '{unknown}'")).into())
        }
        None => Ok(wanted),
    }
}

/// Replaces a user's memberships.
fn write_memberships(
    conn: &mut DbConnection,
    user: &str,
    pharmacies: &[PharmacyId],
) -> Result<(), TxError> {
    diesel::delete(user_pharmacies::table.filter(user_pharmacies::user_id.eq(user)))
        .execute(conn)?;
    let rows: Vec<UserPharmacyRow> = pharmacies
        .iter()
        .map(|pharmacy| UserPharmacyRow {
            user_id: user.to_string(),
            pharmacy_id: pharmacy.to_string(),
        })
        .collect();
    tx::insert_rows!(conn, user_pharmacies::table, &rows)?;
    Ok(())
}

fn create(conn: &mut DbConnection, new: NewUser, ctx: &AuditContext) -> Result<User, TxError> {
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        let pharmacies = check_pharmacies(conn, &new.pharmacies)?;
        let now = tx::now();
        let row = UserRow {
            id: UserId::new().to_string(),
            email: new.email.to_string(),
            role: <&str>::from(new.role).to_string(),
            password_hash: new.password_hash,
            created_at: now,
            updated_at: now,
            disabled_at: None,
        };
        diesel::insert_into(users::table)
            .values(&row)
            .execute(conn)
            .map_err(|error| match error {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    DomainError::conflict(
                        pharmarec_domain::ConflictKind::Duplicate,
                        pharmarec_domain::Entity::User,
                        "the e-mail address is already registered",
                    )
                    .into()
                }
                other => TxError::from(other),
            })?;
        write_memberships(conn, &row.id, &pharmacies)?;
        let user = rows::user_from(row, pharmacies)?;
        let after = user_snapshot(&user)?;
        let id = user.id.to_string();
        audit::record(conn, ctx, AuditAction::UserCreate, &id, None, Some(after))?;
        Ok(user)
    })
}

fn update(
    conn: &mut DbConnection,
    id: UserId,
    role: Role,
    pharmacies: &[PharmacyId],
    ctx: &AuditContext,
) -> Result<User, TxError> {
    conn.transaction(|conn| {
        access::lock_accounts(conn)?;
        let before = find(conn, id)?;
        if role != Role::Admin {
            access::ensure_an_admin_remains(conn, &before)?;
        }
        let pharmacies = check_pharmacies(conn, pharmacies)?;
        let key = id.to_string();
        diesel::update(users::table.find(&key))
            .set((
                users::role.eq(<&str>::from(role)),
                users::updated_at.eq(tx::now()),
            ))
            .execute(conn)?;
        write_memberships(conn, &key, &pharmacies)?;
        let after = User {
            role,
            pharmacies,
            ..before.clone()
        };
        let (old, new) = (user_snapshot(&before)?, user_snapshot(&after)?);
        audit::record(
            conn,
            ctx,
            AuditAction::UserUpdate,
            &key,
            Some(old),
            Some(new),
        )?;
        if (before.role, &before.pharmacies) != (after.role, &after.pharmacies) {
            // Tokens carry the old role: none may be refreshed into a new access token.
            access::revoke_tokens(conn, &key, ctx)?;
        }
        Ok(after)
    })
}

fn disable(conn: &mut DbConnection, id: UserId, ctx: &AuditContext) -> Result<User, TxError> {
    conn.transaction(|conn| {
        access::lock_accounts(conn)?;
        let before = find(conn, id)?;
        if !before.is_enabled() {
            return Ok(before);
        }
        access::ensure_an_admin_remains(conn, &before)?;
        let key = id.to_string();
        let now = tx::now();
        diesel::update(users::table.find(&key))
            .set((users::disabled_at.eq(now), users::updated_at.eq(now)))
            .execute(conn)?;
        let after = User {
            disabled_at: Some(now),
            ..before.clone()
        };
        let (old, new) = (user_snapshot(&before)?, user_snapshot(&after)?);
        audit::record(
            conn,
            ctx,
            AuditAction::UserDisable,
            &key,
            Some(old),
            Some(new),
        )?;
        access::revoke_tokens(conn, &key, ctx)?;
        Ok(after)
    })
}

fn page(conn: &mut DbConnection, page: PageRequest) -> Result<Page<User>, TxError> {
    let (limit, offset) = limits(page)?;
    let count: i64 = users::table.count().get_result(conn)?;
    let found = users::table
        .select(UserRow::as_select())
        .order((users::email, users::id))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok(Page {
        items: with_memberships(conn, found)?,
        request: page,
        total_items: total(count),
    })
}

#[async_trait]
impl UserRepository for Database {
    #[tracing::instrument(skip_all)]
    async fn create_user(&self, user: NewUser, ctx: &AuditContext) -> Result<User, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| create(conn, user, &ctx)).await
    }

    async fn user(&self, id: UserId) -> Result<User, DomainError> {
        self.run(move |conn| find(conn, id)).await
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<User>, DomainError> {
        let email = email.to_string();
        self.run(move |conn| {
            find_one(
                conn,
                users::table.filter(users::email.eq(email)).into_boxed(),
            )
        })
        .await
    }

    async fn users(&self, page_request: PageRequest) -> Result<Page<User>, DomainError> {
        self.run(move |conn| page(conn, page_request)).await
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    async fn update_user(
        &self,
        id: UserId,
        role: Role,
        pharmacies: Vec<PharmacyId>,
        ctx: &AuditContext,
    ) -> Result<User, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| update(conn, id, role, &pharmacies, &ctx))
            .await
    }

    #[tracing::instrument(skip_all, fields(user_id = %id))]
    async fn disable_user(&self, id: UserId, ctx: &AuditContext) -> Result<User, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| disable(conn, id, &ctx)).await
    }
}
