//! Single-medicine reads from the engine's in-memory snapshot, everything else from the database.
//!
//! `GET /api/v1/medicines/{id}` is the hottest catalogue read; answering it from the snapshot the engine
//! already holds costs a hash lookup instead of a pooled connection and two queries. Writes go to the
//! database and then rebuild this instance's snapshot at once, so an instance reads its own writes;
//! other instances catch up within `catalogue.refresh_interval_secs`.

use std::sync::Arc;

use async_trait::async_trait;
use pharmarec_domain::ports::{KnowledgeStore, MedicineQuery, MedicineRepository};
use pharmarec_domain::{
    AuditContext, DomainError, Ingredient, Medicine, MedicineId, NewMedicine, Page, PageRequest,
};
use pharmarec_recommendation::KnowledgeHandle;

use crate::knowledge_refresh::load_snapshot;

/// A [`MedicineRepository`] that serves `get` from the current snapshot when it holds the medicine.
pub struct SnapshotBackedMedicines {
    database: Arc<dyn MedicineRepository>,
    knowledge: Arc<dyn KnowledgeStore>,
    engine: Arc<KnowledgeHandle>,
}

impl std::fmt::Debug for SnapshotBackedMedicines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotBackedMedicines")
            .finish_non_exhaustive()
    }
}

impl SnapshotBackedMedicines {
    /// Wraps the database catalogue; `knowledge` and `engine` rebuild the snapshot after writes.
    pub fn new(
        database: Arc<dyn MedicineRepository>,
        knowledge: Arc<dyn KnowledgeStore>,
        engine: Arc<KnowledgeHandle>,
    ) -> Self {
        Self {
            database,
            knowledge,
            engine,
        }
    }

    /// Rebuilds the snapshot after a committed write; a failure leaves the periodic refresh to retry.
    async fn refresh(&self) {
        match load_snapshot(self.knowledge.as_ref()).await {
            Ok(snapshot) => self.engine.replace(snapshot),
            Err(error) => tracing::warn!("snapshot rebuild after a write failed: {error:#}"),
        }
    }
}

#[async_trait]
impl MedicineRepository for SnapshotBackedMedicines {
    async fn get(&self, id: &MedicineId) -> Result<Medicine, DomainError> {
        if let Some(medicine) = self.engine.current().medicine(id) {
            return Ok(medicine.clone());
        }
        self.database.get(id).await
    }

    async fn search(&self, query: &MedicineQuery) -> Result<Page<Medicine>, DomainError> {
        self.database.search(query).await
    }

    async fn ingredients(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Ingredient>, DomainError> {
        self.database.ingredients(text, page).await
    }

    async fn conditions(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<String>, DomainError> {
        self.database.conditions(text, page).await
    }

    async fn create(
        &self,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        let created = self.database.create(medicine, ctx).await?;
        self.refresh().await;
        Ok(created)
    }

    async fn update(
        &self,
        id: &MedicineId,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        let updated = self.database.update(id, medicine, ctx).await?;
        self.refresh().await;
        Ok(updated)
    }

    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError> {
        self.database.delete(id, ctx).await?;
        self.refresh().await;
        Ok(())
    }
}
