//! Errors: [`RepositoryError`] for connecting and migrating, and the one mapping of diesel and pool
//! failures into [`DomainError`] used by every port method.
//!
//! Policy: a [`DomainError`] message never carries SQL or driver text (it may reach an HTTP response);
//! driver errors travel only as the `source` of `Unavailable`/`Internal`, which is logged, not shown.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use pharmarec_domain::error::BoxError;
use pharmarec_domain::{ConflictKind, DomainError, Entity};

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The database URL is malformed or names an unsupported backend.
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    /// The pool could not open a first connection (server down, bad credentials, unwritable file).
    #[error("cannot connect to the database")]
    Connect(#[source] BoxError),
    /// Applying, reverting or listing migrations failed.
    #[error("database migration failed")]
    Migration(#[source] BoxError),
}

/// Dependency name used in [`DomainError::Unavailable`].
pub(crate) const DEPENDENCY: &str = "database";

/// Failure inside a unit of work: a diesel error (mapped later, once) or a domain decision.
///
/// Exists because `Connection::transaction` needs an error type that is `From<diesel::result::Error>`,
/// which the foreign [`DomainError`] cannot be.
#[derive(Debug)]
pub(crate) enum TxError {
    Diesel(DieselError),
    Domain(DomainError),
}

impl From<DieselError> for TxError {
    fn from(error: DieselError) -> Self {
        Self::Diesel(error)
    }
}

impl From<DomainError> for TxError {
    fn from(error: DomainError) -> Self {
        Self::Domain(error)
    }
}

impl From<serde_json::Error> for TxError {
    fn from(error: serde_json::Error) -> Self {
        Self::Domain(DomainError::internal(error))
    }
}

impl From<TxError> for DomainError {
    fn from(error: TxError) -> Self {
        match error {
            TxError::Domain(domain) => domain,
            TxError::Diesel(diesel) => map_diesel(diesel),
        }
    }
}

/// Maps a diesel error to the domain: conflicts and rule violations by kind, lost connections as
/// unavailable, everything else internal.
///
/// A lookup that may miss uses `.optional()` and names its entity and id itself, so diesel's own
/// `NotFound` means a row the code relied on (the catalogue state) is gone: a bug, not a 404.
pub(crate) fn map_diesel(error: DieselError) -> DomainError {
    match error {
        DieselError::DatabaseError(kind, info) => match kind {
            DatabaseErrorKind::UniqueViolation => DomainError::conflict(
                ConflictKind::Duplicate,
                Entity::Record,
                "a record with the same key already exists",
            ),
            DatabaseErrorKind::ForeignKeyViolation => DomainError::conflict(
                ConflictKind::Referenced,
                Entity::Record,
                "it refers to a missing record or is still referred to",
            ),
            DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                DomainError::invalid("record", "a value breaks a storage rule")
            }
            DatabaseErrorKind::SerializationFailure => DomainError::conflict(
                ConflictKind::ConcurrentWrite,
                Entity::Record,
                "a concurrent write interfered; retry",
            ),
            DatabaseErrorKind::ClosedConnection => {
                DomainError::unavailable(DEPENDENCY, DieselError::DatabaseError(kind, info))
            }
            // PostgreSQL refuses NUL characters in text (SQLSTATE 22021), which SQLite stores: a
            // client sent them, so it is bad input, not a server fault.
            _ if info.message().contains("invalid byte sequence") => {
                DomainError::invalid("text", "must not contain NUL characters")
            }
            _ => DomainError::internal(DieselError::DatabaseError(kind, info)),
        },
        DieselError::BrokenTransactionManager => DomainError::unavailable(DEPENDENCY, error),
        other => DomainError::internal(other),
    }
}

/// A pool checkout failure: the database cannot be reached in time.
pub(crate) fn map_pool(error: r2d2::Error) -> DomainError {
    unavailable(error)
}

/// The database is unavailable, for `cause`.
pub(crate) fn unavailable(cause: impl Into<pharmarec_domain::error::BoxError>) -> DomainError {
    DomainError::unavailable(DEPENDENCY, cause)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_error(kind: DatabaseErrorKind) -> DieselError {
        DieselError::DatabaseError(kind, Box::new("INSERT INTO secret_table".to_string()))
    }

    #[test]
    fn constraint_violations_become_conflicts_of_their_kind_or_invalid_without_sql() {
        for (kind, expected) in [
            (DatabaseErrorKind::UniqueViolation, ConflictKind::Duplicate),
            (
                DatabaseErrorKind::ForeignKeyViolation,
                ConflictKind::Referenced,
            ),
            (
                DatabaseErrorKind::SerializationFailure,
                ConflictKind::ConcurrentWrite,
            ),
        ] {
            let mapped = map_diesel(db_error(kind));
            assert!(
                matches!(mapped, DomainError::Conflict { kind, .. } if kind == expected),
                "{mapped:?}"
            );
            assert!(!mapped.to_string().contains("secret_table"));
        }
        let mapped = map_diesel(db_error(DatabaseErrorKind::CheckViolation));
        assert!(matches!(mapped, DomainError::Invalid { .. }), "{mapped:?}");
    }

    #[test]
    fn closed_connection_is_unavailable_and_an_unnamed_missing_row_is_internal() {
        assert!(matches!(
            map_diesel(db_error(DatabaseErrorKind::ClosedConnection)),
            DomainError::Unavailable {
                dependency: "database",
                ..
            }
        ));
        // Never a `NotFound` without an entity id: every lookup that may miss names its own.
        assert!(matches!(
            map_diesel(DieselError::NotFound),
            DomainError::Internal(_)
        ));
    }

    #[test]
    fn unknown_database_errors_are_internal_with_an_opaque_message() {
        let mapped = map_diesel(db_error(DatabaseErrorKind::Unknown));
        assert!(matches!(mapped, DomainError::Internal(_)));
        assert_eq!(mapped.to_string(), "internal error");
    }
}
