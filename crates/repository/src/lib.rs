//! Persistence for PharmaRec: diesel adapters implementing the domain ports on SQLite (the embedded
//! default) and PostgreSQL through one code path.
//!
//! [`Database`] wraps an r2d2 pool of a `MultiConnection` whose backend is chosen from the URL scheme.
//! It implements [`MedicineCatalogue`](pharmarec_domain::ports::MedicineCatalogue),
//! [`KnowledgeStore`](pharmarec_domain::ports::KnowledgeStore),
//! [`PharmacyRepository`](pharmarec_domain::ports::PharmacyRepository),
//! [`StockRepository`](pharmarec_domain::ports::StockRepository) and
//! [`HealthProbe`](pharmarec_domain::ports::HealthProbe); each port method runs its blocking work on
//! tokio's blocking pool. Migrations for both backends are embedded in the binary.
//!
//! This crate depends on the domain only; nothing here knows HTTP. Port methods return
//! [`DomainError`](pharmarec_domain::DomainError); connecting and migrating return [`RepositoryError`].

mod catalogue;
mod connection;
mod database;
mod diff;
mod error;
mod import;
mod knowledge;
mod migrations;
mod pharmacy;
mod read;
mod rows;
mod schema;
mod search;
mod stock;
mod tx;

pub use connection::Backend;
pub use database::{Database, PoolSettings};
pub use error::RepositoryError;
pub use migrations::MigrationStatus;
