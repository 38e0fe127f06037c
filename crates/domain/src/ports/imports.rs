//! Imports of files a user brings (a pharmacy's catalogue, licensed interaction knowledge).

use async_trait::async_trait;

use super::ProgressSink;
use crate::imports::{CatalogueFile, CatalogueImportReport, LicensedImport, LicensedImportReport};
use crate::{AuditContext, DomainError};

/// Writes validated import files, each in one transaction with its audit event.
///
/// Both are idempotent: importing the same file again changes nothing, writes no audit event and
/// keeps the catalogue version. A change bumps the version once, so every instance rebuilds its
/// engine snapshot.
#[async_trait]
pub trait KnowledgeImports: Send + Sync {
    /// Creates or updates the file's products as local products, joined to the knowledge by
    /// ingredient, and the pharmacy's stock lines; audited as `catalogue.pharmacy_import`.
    ///
    /// # Errors
    /// `Invalid` (field `file`) naming every line whose ingredient is unknown; `NotFound` for an
    /// unknown pharmacy.
    async fn import_catalogue(
        &self,
        file: CatalogueFile,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<CatalogueImportReport, DomainError>;

    /// Replaces the named licensed source's interactions with the file's; audited as
    /// `interactions.licensed_import`. Rows naming drugs PharmaRec does not know are counted, not
    /// imported.
    ///
    /// # Errors
    /// `Invalid` (field `file`) when two lines state the same pair.
    async fn import_interactions(
        &self,
        import: LicensedImport,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<LicensedImportReport, DomainError>;
}
