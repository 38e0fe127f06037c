//! In-memory fakes of the account, audit, rate-limit and cache ports.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use pharmarec_domain::ports::{
    AuditLog, RateDecision, RateLimiter, RefreshTokenStore, ResponseCache, UserRepository,
};
use pharmarec_domain::{
    AuditContext, AuditEvent, AuditQuery, ConflictKind, DomainError, Email, Entity, NewAuditEvent,
    NewUser, Page, PageRequest, PharmacyId, RefreshTokenRecord, Role, User, UserId,
};
use uuid::Uuid;

use super::{Contexts, epoch, page_of};

fn down() -> DomainError {
    DomainError::unavailable("redis", "connection refused")
}

/// [`UserRepository`] in memory.
#[derive(Debug, Default)]
pub struct FakeUsers {
    /// The users.
    pub users: Mutex<BTreeMap<UserId, User>>,
    /// The audit context of every write, in order.
    pub contexts: Contexts,
    /// The token store whose tokens a change of rights revokes, like the database's one transaction.
    pub tokens: Arc<FakeRefreshTokens>,
}

/// The user `id`, or `NotFound`.
fn stored(users: &BTreeMap<UserId, User>, id: UserId) -> Result<User, DomainError> {
    users
        .get(&id)
        .cloned()
        .ok_or_else(|| DomainError::not_found(Entity::User, &id))
}

/// The repository's rule: no change may leave no enabled administrator.
fn ensure_an_admin_remains(users: &BTreeMap<UserId, User>, user: &User) -> Result<(), DomainError> {
    let others = users
        .values()
        .filter(|u| u.id != user.id && u.role == Role::Admin && u.is_enabled())
        .count();
    if user.role == Role::Admin && user.is_enabled() && others == 0 {
        return Err(DomainError::conflict(
            ConflictKind::LastAdmin,
            Entity::User,
            "the last enabled administrator cannot be demoted or disabled",
        ));
    }
    Ok(())
}

impl FakeUsers {
    /// The stored role of `id`.
    pub fn user_role(&self, id: UserId) -> Role {
        self.users.lock().unwrap()[&id].role
    }

    /// Stores a user as given.
    pub fn insert(
        &self,
        email: &str,
        role: Role,
        hash: String,
        pharmacies: Vec<PharmacyId>,
    ) -> User {
        let user = User {
            id: UserId::new(),
            email: email.parse().unwrap(),
            role,
            password_hash: hash,
            pharmacies,
            created_at: epoch(),
            disabled_at: None,
        };
        self.users.lock().unwrap().insert(user.id, user.clone());
        user
    }
}

#[async_trait]
impl UserRepository for FakeUsers {
    async fn create_user(&self, user: NewUser, ctx: &AuditContext) -> Result<User, DomainError> {
        self.contexts.record(ctx);
        if self.user_by_email(&user.email).await?.is_some() {
            return Err(DomainError::conflict(
                ConflictKind::Duplicate,
                Entity::User,
                "the e-mail address is already registered",
            ));
        }
        Ok(self.insert(
            user.email.as_str(),
            user.role,
            user.password_hash,
            user.pharmacies,
        ))
    }

    async fn user(&self, id: UserId) -> Result<User, DomainError> {
        stored(&self.users.lock().unwrap(), id)
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<User>, DomainError> {
        let users = self.users.lock().unwrap();
        Ok(users.values().find(|u| &u.email == email).cloned())
    }

    async fn users(&self, page: PageRequest) -> Result<Page<User>, DomainError> {
        let mut all: Vec<User> = self.users.lock().unwrap().values().cloned().collect();
        all.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(page_of(&all, page))
    }

    async fn update_user(
        &self,
        id: UserId,
        role: Role,
        pharmacies: Vec<PharmacyId>,
        ctx: &AuditContext,
    ) -> Result<User, DomainError> {
        self.contexts.record(ctx);
        let mut users = self.users.lock().unwrap();
        let before = stored(&users, id)?;
        if role != Role::Admin {
            ensure_an_admin_remains(&users, &before)?;
        }
        if (before.role, &before.pharmacies) != (role, &pharmacies) {
            self.tokens.revoke_user(id);
        }
        let user = User {
            role,
            pharmacies,
            ..before
        };
        users.insert(id, user.clone());
        Ok(user)
    }

    async fn disable_user(&self, id: UserId, ctx: &AuditContext) -> Result<User, DomainError> {
        self.contexts.record(ctx);
        let mut users = self.users.lock().unwrap();
        let before = stored(&users, id)?;
        if !before.is_enabled() {
            return Ok(before);
        }
        ensure_an_admin_remains(&users, &before)?;
        self.tokens.revoke_user(id);
        let user = User {
            disabled_at: Some(Utc::now().naive_utc()),
            ..before
        };
        users.insert(id, user.clone());
        Ok(user)
    }
}

/// [`RefreshTokenStore`] in memory.
#[derive(Debug, Default)]
pub struct FakeRefreshTokens {
    /// Tokens by hash.
    pub records: Mutex<HashMap<String, RefreshTokenRecord>>,
}

impl FakeRefreshTokens {
    /// Revokes every token of `user`, as a change of their rights does.
    fn revoke_user(&self, user: UserId) {
        for record in self.records.lock().unwrap().values_mut() {
            if record.user_id == user {
                record.revoked_at.get_or_insert(Utc::now().naive_utc());
            }
        }
    }

    /// Moves every stored token's expiry into the past.
    pub fn expire_all(&self) {
        for record in self.records.lock().unwrap().values_mut() {
            record.expires_at = epoch();
        }
    }
}

#[async_trait]
impl RefreshTokenStore for FakeRefreshTokens {
    async fn insert_refresh_token(&self, record: RefreshTokenRecord) -> Result<(), DomainError> {
        self.records
            .lock()
            .unwrap()
            .insert(record.token_hash.clone(), record);
        Ok(())
    }

    async fn consume_refresh_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<RefreshTokenRecord>, DomainError> {
        let mut records = self.records.lock().unwrap();
        Ok(records.get_mut(token_hash).map(|record| {
            let before = record.clone();
            record.used_at.get_or_insert(Utc::now().naive_utc());
            before
        }))
    }

    async fn revoke_refresh_family(&self, family_id: Uuid) -> Result<(), DomainError> {
        for record in self.records.lock().unwrap().values_mut() {
            if record.family_id == family_id {
                record.revoked_at.get_or_insert(Utc::now().naive_utc());
            }
        }
        Ok(())
    }
}

/// [`AuditLog`] over events the test stores.
#[derive(Debug, Default)]
pub struct FakeAudit {
    /// The events.
    pub events: Mutex<Vec<AuditEvent>>,
    /// The last query it answered.
    pub last_query: Mutex<Option<AuditQuery>>,
}

#[async_trait]
impl AuditLog for FakeAudit {
    async fn audit_events(&self, query: &AuditQuery) -> Result<Page<AuditEvent>, DomainError> {
        *self.last_query.lock().unwrap() = Some(query.clone());
        let found: Vec<AuditEvent> = self
            .events
            .lock()
            .unwrap()
            .iter()
            .filter(|e| query.actor.is_none_or(|a| e.actor == Some(a)))
            .filter(|e| query.action.as_ref().is_none_or(|a| &e.action == a))
            .filter(|e| {
                query
                    .entity_type
                    .as_ref()
                    .is_none_or(|t| &e.entity_type == t)
            })
            .filter(|e| query.entity_id.as_ref().is_none_or(|i| &e.entity_id == i))
            .filter(|e| query.from.is_none_or(|from| e.at >= from))
            .filter(|e| query.to.is_none_or(|to| e.at < to))
            .cloned()
            .collect();
        Ok(page_of(&found, query.page))
    }

    async fn record_events(
        &self,
        new_events: Vec<NewAuditEvent>,
        ctx: &AuditContext,
    ) -> Result<(), DomainError> {
        let mut events = self.events.lock().unwrap();
        for event in new_events {
            let id = i64::try_from(events.len()).unwrap() + 1;
            events.push(AuditEvent {
                id,
                at: Utc::now().naive_utc(),
                actor: ctx.actor,
                action: event.action.as_str().to_owned(),
                entity_type: event.action.entity_type().to_owned(),
                entity_id: event.entity_id,
                before: None,
                after: Some(event.after.to_string()),
                request_id: ctx.request_id.clone(),
                client_ip: ctx.client_ip.clone(),
            });
        }
        Ok(())
    }
}

/// Fixed-window counting without time: a window never resets within a test.
#[derive(Debug, Default)]
pub struct FakeLimiter {
    /// Hits by key.
    pub hits: Mutex<HashMap<String, u32>>,
    /// Whether every call fails as an unreachable Redis would.
    pub failing: AtomicBool,
}

impl FakeLimiter {
    /// Keys that were counted, with their hit counts.
    pub fn count(&self, prefix: &str) -> u32 {
        let hits = self.hits.lock().unwrap();
        hits.iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }
}

#[async_trait]
impl RateLimiter for FakeLimiter {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
    ) -> Result<RateDecision, DomainError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(down());
        }
        let mut hits = self.hits.lock().unwrap();
        let count = hits.entry(key.to_owned()).or_default();
        *count += 1;
        Ok(RateDecision {
            allowed: *count <= limit,
            limit,
            remaining: limit.saturating_sub(*count),
            reset_after: window / 2,
        })
    }
}

/// [`ResponseCache`] in memory.
#[derive(Debug, Default)]
pub struct FakeCache {
    /// Entries by key.
    pub entries: Mutex<HashMap<String, Vec<u8>>>,
    /// Whether every call fails as an unreachable Redis would.
    pub failing: AtomicBool,
    /// How many times `invalidate` was called.
    pub invalidations: AtomicUsize,
}

#[async_trait]
impl ResponseCache for FakeCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DomainError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(down());
        }
        Ok(self.entries.lock().unwrap().get(key).cloned())
    }

    async fn put(&self, key: &str, value: Vec<u8>, _ttl: Duration) -> Result<(), DomainError> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.entries.lock().unwrap().insert(key.to_owned(), value);
        Ok(())
    }

    async fn invalidate(&self) -> Result<(), DomainError> {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        if self.failing.load(Ordering::SeqCst) {
            return Err(down());
        }
        self.entries.lock().unwrap().clear();
        Ok(())
    }
}
