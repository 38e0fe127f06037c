//! The one error type of the domain layer; ports return it and the HTTP edge maps it to a status.

/// A boxed error kept as the source of [`DomainError::Unavailable`] and [`DomainError::Internal`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The kinds of entity a use case can fail to find or conflict on; the HTTP edge maps each to its own
/// error code, exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Entity {
    /// A medicine (product).
    Medicine,
    /// An active ingredient.
    Ingredient,
    /// A pharmacy.
    Pharmacy,
    /// A stock line (pharmacy × medicine).
    Stock,
    /// A user account.
    User,
    /// A stored row the storage layer cannot name more precisely.
    Record,
}

/// Which conflict a write ran into. It travels with [`DomainError::Conflict`] from where the conflict
/// is detected, so the HTTP edge maps it to its code without guessing from the call that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::Display, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ConflictKind {
    /// The writer's expected version is not the current one (optimistic locking).
    StaleVersion,
    /// An adjustment would leave negative stock.
    InsufficientStock,
    /// The change would leave no enabled administrator.
    LastAdmin,
    /// A record with the same key already exists (a registered e-mail, a duplicate id).
    Duplicate,
    /// The record is still referred to, or refers to a missing one (a medicine a pharmacy stocks).
    Referenced,
    /// The record belongs to the catalogue import and changes only through it.
    ManagedByImport,
    /// A concurrent transaction interfered; the same write may succeed when retried.
    ConcurrentWrite,
}

/// Everything that can go wrong in a use case, independent of storage or transport.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The entity does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of entity.
        entity: Entity,
        /// The id that was looked up.
        id: String,
    },
    /// A value breaks a domain rule (well-formed input, invalid meaning).
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Field that broke the rule.
        field: String,
        /// Why it is invalid, lower case, no trailing period.
        reason: String,
    },
    /// The write conflicts with the current state (stale version, duplicate, negative stock).
    #[error("conflict on {entity}: {reason}")]
    Conflict {
        /// Which conflict.
        kind: ConflictKind,
        /// Kind of entity in conflict.
        entity: Entity,
        /// What conflicts.
        reason: String,
    },
    /// A dependency (database, cache) cannot be reached or timed out.
    #[error("{dependency} unavailable")]
    Unavailable {
        /// Which dependency, e.g. `database`.
        dependency: &'static str,
        /// The underlying failure.
        #[source]
        source: BoxError,
    },
    /// Clinical knowledge needed to answer safely is missing or failed to load.
    #[error("clinical knowledge not loaded: {0}")]
    KnowledgeUnavailable(String),
    /// A bug or an unexpected state; never shown in detail to clients.
    #[error("internal error")]
    Internal(#[source] BoxError),
}

impl DomainError {
    /// Builds [`DomainError::Invalid`] for `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Builds [`DomainError::NotFound`] for an entity kind and id.
    pub fn not_found(entity: Entity, id: &impl ToString) -> Self {
        Self::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Builds [`DomainError::Conflict`] of `kind` on `entity`.
    pub fn conflict(kind: ConflictKind, entity: Entity, reason: impl Into<String>) -> Self {
        Self::Conflict {
            kind,
            entity,
            reason: reason.into(),
        }
    }

    /// Builds [`DomainError::Unavailable`] for a dependency failure.
    pub fn unavailable(dependency: &'static str, source: impl Into<BoxError>) -> Self {
        Self::Unavailable {
            dependency,
            source: source.into(),
        }
    }

    /// Builds [`DomainError::Internal`].
    pub fn internal(source: impl Into<BoxError>) -> Self {
        Self::Internal(source.into())
    }
}

impl From<validator::ValidationErrors> for DomainError {
    fn from(errors: validator::ValidationErrors) -> Self {
        // Report the first failing field; the HTTP layer validates DTOs itself for full detail.
        let (field, reason) = errors
            .field_errors()
            .into_iter()
            .next()
            .map(|(field, errs)| {
                let reason = errs
                    .first()
                    .map(|e| e.message.as_deref().unwrap_or(&e.code).to_string())
                    .unwrap_or_default();
                (field.to_string(), reason)
            })
            .unwrap_or_else(|| ("input".to_string(), "failed validation".to_string()));
        Self::Invalid { field, reason }
    }
}
