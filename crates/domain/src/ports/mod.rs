//! Ports: the traits other layers implement (repository) or call (HTTP API, server).
//!
//! Every write takes the caller's [`AuditContext`]: the implementation records the audit event in the
//! same transaction as the write, so a committed write always has one and a failed write has none.
//!
//! All are `Send + Sync` and object-safe, so the server can hold them as `Arc<dyn Port>`. Async methods
//! use `async_trait` because native `async fn` in traits is not dyn-compatible.

mod accounts;
mod imports;
mod limits;
mod maintenance;

pub use accounts::{AuditLog, RefreshTokenStore, UserRepository};
pub use imports::KnowledgeImports;
pub use limits::{RateDecision, RateLimiter, ResponseCache};
pub use maintenance::{LeaderLock, LowStockSweep, MaintenanceTasks};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString};

use crate::{
    AuditContext, DomainError, Ingredient, KnowledgeBase, MarketingStatus, Medicine, MedicineId,
    NewMedicine, NewPharmacy, Page, PageRequest, Pharmacy, PharmacyId, StockAdjustment, StockLevel,
    StockUpdate,
};

/// Sort orders for medicine listings.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Display, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MedicineSort {
    /// By brand name, then id.
    #[default]
    Name,
    /// By brand name descending, then id.
    NameDesc,
    /// By id.
    Id,
}

/// Filters for a medicine listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MedicineQuery {
    /// Case-insensitive substring of the brand name or an ingredient key.
    pub text: Option<String>,
    /// Exact FDA pharmacologic class of one of its ingredients.
    pub class: Option<String>,
    /// OTC or prescription only.
    pub status: Option<MarketingStatus>,
    /// Exact dose form.
    pub dose_form: Option<String>,
    /// Order.
    pub sort: MedicineSort,
    /// Page.
    pub page: PageRequest,
}

/// Read and write access to the product catalogue.
#[async_trait]
pub trait MedicineRepository: Send + Sync {
    /// One medicine.
    async fn get(&self, id: &MedicineId) -> Result<Medicine, DomainError>;
    /// A filtered, sorted page of medicines.
    async fn search(&self, query: &MedicineQuery) -> Result<Page<Medicine>, DomainError>;
    /// Ingredients whose key or a synonym contains `text` (all when `None`).
    async fn ingredients(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Ingredient>, DomainError>;
    /// Distinct indication conditions containing `text` (all when `None`).
    async fn conditions(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<String>, DomainError>;
    /// Creates a local product; bumps the catalogue version.
    async fn create(
        &self,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError>;
    /// Replaces a product's facts; bumps the catalogue version.
    async fn update(
        &self,
        id: &MedicineId,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError>;
    /// Deletes a product that no pharmacy stocks; bumps the catalogue version.
    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError>;
}

/// Counts of what an import did to one kind of record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCounts {
    /// New records.
    pub inserted: u64,
    /// Changed records.
    pub updated: u64,
    /// Records already identical.
    pub unchanged: u64,
    /// Records removed (reference knowledge no longer in the source).
    pub removed: u64,
}

impl ChangeCounts {
    /// Whether anything changed.
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.removed > 0
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Products (upserted by source id; local products untouched).
    pub medicines: ChangeCounts,
    /// Reference knowledge rows (ingredients, synonyms, indications, terms, interactions, warnings).
    pub reference: ChangeCounts,
    /// Catalogue version after the import.
    pub catalogue_version: i64,
}

impl ImportReport {
    /// Whether the import changed anything.
    pub fn changed(&self) -> bool {
        self.medicines.changed() || self.reference.changed()
    }
}

/// Receives progress of a long operation (the CLI draws a progress bar; others ignore it).
pub trait ProgressSink: Send + Sync {
    /// A new stage begins with `total` units of work.
    fn stage(&self, name: &str, total: u64);
    /// `done` more units of the current stage finished.
    fn advance(&self, done: u64);
}

/// A [`ProgressSink`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _done: u64) {}
}

/// The stored clinical knowledge: loaded whole for the engine, replaced by imports.
#[async_trait]
pub trait KnowledgeStore: Send + Sync {
    /// Everything the engine needs, as of [`KnowledgeStore::catalogue_version`].
    async fn load(&self) -> Result<KnowledgeBase, DomainError>;
    /// The catalogue version; changes whenever the catalogue or knowledge changes.
    async fn catalogue_version(&self) -> Result<i64, DomainError>;
    /// Whether no knowledge has ever been imported.
    async fn is_empty(&self) -> Result<bool, DomainError>;
    /// Replaces reference knowledge and upserts imported products, in one transaction.
    async fn import(
        &self,
        knowledge: KnowledgeBase,
        progress: &dyn ProgressSink,
    ) -> Result<ImportReport, DomainError>;
}

/// Pharmacies.
#[async_trait]
pub trait PharmacyRepository: Send + Sync {
    /// Creates a pharmacy.
    async fn create(
        &self,
        pharmacy: NewPharmacy,
        ctx: &AuditContext,
    ) -> Result<Pharmacy, DomainError>;
    /// One pharmacy.
    async fn get(&self, id: PharmacyId) -> Result<Pharmacy, DomainError>;
    /// A page of pharmacies by name.
    async fn list(&self, page: PageRequest) -> Result<Page<Pharmacy>, DomainError>;
}

/// Stock levels and prices.
#[async_trait]
pub trait StockRepository: Send + Sync {
    /// A page of one pharmacy's stock lines.
    async fn list(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError>;
    /// A page of one pharmacy's lines at or below their low-stock threshold.
    async fn list_low(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError>;
    /// Every stock line of a pharmacy (for availability-aware ranking).
    async fn all_for(&self, pharmacy: PharmacyId) -> Result<Vec<StockLevel>, DomainError>;
    /// Creates or replaces a line if `expected_version` matches (0 for a new line), else conflict.
    async fn put(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        update: StockUpdate,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError>;
    /// Adds `delta` atomically; refuses a negative result with a conflict.
    async fn adjust(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        adjustment: StockAdjustment,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError>;
}

/// Connection-pool figures for diagnostics and metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolStats {
    /// Connections open.
    pub connections: u32,
    /// Of those, idle.
    pub idle: u32,
    /// Configured maximum.
    pub max_size: u32,
}

/// Liveness of a dependency, for `/ready` and `/health`.
#[async_trait]
pub trait HealthProbe: Send + Sync {
    /// Name shown in health output (`database`, `redis`).
    fn name(&self) -> &'static str;
    /// Answers when the dependency responds.
    async fn ping(&self) -> Result<(), DomainError>;
    /// Pool figures, when the dependency is pooled.
    fn pool_stats(&self) -> Option<PoolStats>;
}
