//! Ports for accounts, refresh tokens and the audit trail.

use async_trait::async_trait;

use crate::account::{Email, NewUser, RefreshTokenRecord, User, UserId};
use crate::audit::{AuditContext, AuditEvent, AuditNote, AuditQuery};
use crate::{DomainError, Page, PageRequest, PharmacyId, Role};

/// Users and their pharmacy memberships.
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// Creates a user (conflict when the e-mail is taken); audited.
    async fn create_user(&self, user: NewUser, ctx: &AuditContext) -> Result<User, DomainError>;
    /// One user.
    async fn user(&self, id: UserId) -> Result<User, DomainError>;
    /// The user with this e-mail, if any.
    async fn user_by_email(&self, email: &Email) -> Result<Option<User>, DomainError>;
    /// A page of users by e-mail.
    async fn users(&self, page: PageRequest) -> Result<Page<User>, DomainError>;
    /// Changes a user's role and pharmacy memberships; audited.
    ///
    /// A change of either revokes every refresh token of the user in the same transaction (audited
    /// as `user.revoke_tokens`), so the old rights cannot be refreshed into new tokens.
    ///
    /// # Errors
    /// [`DomainError::Conflict`] when it would leave no enabled administrator; the check and the write
    /// are one transaction, so two concurrent demotions cannot both pass it.
    async fn update_user(
        &self,
        id: UserId,
        role: Role,
        pharmacies: Vec<PharmacyId>,
        ctx: &AuditContext,
    ) -> Result<User, DomainError>;
    /// Disables a user and revokes every refresh token of theirs in one audited transaction.
    /// Disabling a disabled user changes nothing.
    ///
    /// # Errors
    /// [`DomainError::Conflict`] when the user is the last enabled administrator.
    async fn disable_user(&self, id: UserId, ctx: &AuditContext) -> Result<User, DomainError>;
}

/// Hashed refresh tokens, rotated on every use.
#[async_trait]
pub trait RefreshTokenStore: Send + Sync {
    /// Stores a newly issued token.
    async fn insert_refresh_token(&self, record: RefreshTokenRecord) -> Result<(), DomainError>;
    /// Atomically marks the token with this hash used and returns it as it was before, so exactly one
    /// of two concurrent exchanges of the same token succeeds. `None` when no such token exists.
    async fn consume_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshTokenRecord>, DomainError>;
    /// Revokes every token of a family (logout, or reuse of a spent token).
    async fn revoke_refresh_family(&self, family_id: uuid::Uuid) -> Result<(), DomainError>;
}

/// The append-only audit trail. There is deliberately no method to change or delete events.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// A filtered page of events, newest first.
    async fn audit_events(&self, query: &AuditQuery) -> Result<Page<AuditEvent>, DomainError>;
    /// Appends a decision that changes no stored entity (writes of entities record their own events
    /// in their transaction).
    async fn record_note(&self, note: AuditNote, ctx: &AuditContext) -> Result<(), DomainError>;
}
