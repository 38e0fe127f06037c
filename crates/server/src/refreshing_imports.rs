//! Imports that rebuild this instance's engine snapshot as soon as they change the catalogue.
//!
//! The importer's next request then already sees the new products and interactions; other instances
//! catch up within `catalogue.refresh_interval_secs`.

use std::sync::Arc;

use async_trait::async_trait;
use pharmarec_domain::imports::{
    CatalogueFile, CatalogueImportReport, LicensedImport, LicensedImportReport,
};
use pharmarec_domain::ports::{KnowledgeImports, KnowledgeStore, ProgressSink};
use pharmarec_domain::{AuditContext, DomainError};
use pharmarec_recommendation::KnowledgeHandle;

use crate::knowledge_refresh::load_snapshot;

/// A [`KnowledgeImports`] that refreshes the engine after a committed change.
pub struct RefreshingImports {
    imports: Arc<dyn KnowledgeImports>,
    knowledge: Arc<dyn KnowledgeStore>,
    engine: Arc<KnowledgeHandle>,
}

impl std::fmt::Debug for RefreshingImports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshingImports").finish_non_exhaustive()
    }
}

impl RefreshingImports {
    /// Wraps `imports`; `knowledge` and `engine` rebuild the snapshot after a change.
    pub fn new(
        imports: Arc<dyn KnowledgeImports>,
        knowledge: Arc<dyn KnowledgeStore>,
        engine: Arc<KnowledgeHandle>,
    ) -> Self {
        Self {
            imports,
            knowledge,
            engine,
        }
    }

    /// Rebuilds when the stored version moved past the served one; a failure leaves the periodic
    /// refresh to retry.
    async fn refresh(&self, version: i64) {
        if self.engine.current().knowledge_version().catalogue_version == version {
            return;
        }
        match load_snapshot(self.knowledge.as_ref()).await {
            Ok(snapshot) => self.engine.replace(snapshot),
            Err(error) => tracing::warn!("snapshot rebuild after an import failed: {error:#}"),
        }
    }
}

#[async_trait]
impl KnowledgeImports for RefreshingImports {
    async fn import_catalogue(
        &self,
        file: CatalogueFile,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<CatalogueImportReport, DomainError> {
        let report = self.imports.import_catalogue(file, progress, ctx).await?;
        self.refresh(report.catalogue_version).await;
        Ok(report)
    }

    async fn import_interactions(
        &self,
        import: LicensedImport,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<LicensedImportReport, DomainError> {
        let report = self
            .imports
            .import_interactions(import, progress, ctx)
            .await?;
        self.refresh(report.catalogue_version).await;
        Ok(report)
    }
}
