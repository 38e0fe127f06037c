//! A fake of the import port: accepts every validated file and reports its rows as inserted.

use async_trait::async_trait;
use pharmarec_domain::imports::{
    CatalogueFile, CatalogueImportReport, LicensedImport, LicensedImportReport,
};
use pharmarec_domain::ports::{ChangeCounts, KnowledgeImports, ProgressSink};
use pharmarec_domain::{AuditContext, DomainError};

fn inserted(rows: usize) -> ChangeCounts {
    ChangeCounts {
        inserted: rows as u64,
        ..ChangeCounts::default()
    }
}

#[derive(Debug, Default)]
pub(crate) struct FakeImports;

#[async_trait]
impl KnowledgeImports for FakeImports {
    async fn import_catalogue(
        &self,
        file: CatalogueFile,
        _progress: &dyn ProgressSink,
        _ctx: &AuditContext,
    ) -> Result<CatalogueImportReport, DomainError> {
        Ok(CatalogueImportReport {
            products: inserted(file.rows.len()),
            ..CatalogueImportReport::default()
        })
    }

    async fn import_interactions(
        &self,
        import: LicensedImport,
        _progress: &dyn ProgressSink,
        _ctx: &AuditContext,
    ) -> Result<LicensedImportReport, DomainError> {
        Ok(LicensedImportReport {
            source: import.name.as_str().to_string(),
            interactions: inserted(import.rows.len()),
            ..LicensedImportReport::default()
        })
    }
}
