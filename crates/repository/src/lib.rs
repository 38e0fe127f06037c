//! Persistence for PharmaRec: diesel adapters implementing the domain ports on SQLite (the embedded
//! default) and PostgreSQL through one code path.
//!
//! [`Database`] wraps an r2d2 pool of a `MultiConnection` whose backend is chosen from the URL scheme.
//! It implements [`MedicineRepository`](pharmarec_domain::ports::MedicineRepository),
//! [`KnowledgeStore`](pharmarec_domain::ports::KnowledgeStore),
//! [`PharmacyRepository`](pharmarec_domain::ports::PharmacyRepository),
//! [`StockRepository`](pharmarec_domain::ports::StockRepository),
//! [`UserRepository`](pharmarec_domain::ports::UserRepository),
//! [`RefreshTokenStore`](pharmarec_domain::ports::RefreshTokenStore),
//! [`AuditLog`](pharmarec_domain::ports::AuditLog),
//! [`MaintenanceTasks`](pharmarec_domain::ports::MaintenanceTasks) and
//! [`HealthProbe`](pharmarec_domain::ports::HealthProbe); each port method runs its blocking work on
//! tokio's blocking pool. Migrations for both backends are embedded in the binary.
//!
//! Every write records its audit event in its own transaction (see the `audit` module): an
//! [`AuditAction`](pharmarec_domain::AuditAction) and versioned snapshot types, never a domain type's
//! own serde output. Writes are reached through the ports only.
//!
//! This crate depends on the domain only; nothing here knows HTTP. Port methods return
//! [`DomainError`](pharmarec_domain::DomainError); connecting and migrating return [`RepositoryError`].

mod accounts;
mod audit;
mod breaker;
mod catalogue;
mod connection;
mod database;
mod diff;
mod error;
mod gate;
mod import;
mod knowledge;
pub mod kv;
mod leader;
mod maintenance;
mod migrations;
mod paging;
mod pharmacy;
mod read;
mod rows;
mod schema;
mod search;
mod stock;
mod tokens;
mod tx;

pub use connection::Backend;
pub use database::{Database, PoolSettings};
pub use error::RepositoryError;
pub use leader::{AdvisoryLock, SCHEDULER_LOCK_KEY};
pub use migrations::MigrationStatus;
