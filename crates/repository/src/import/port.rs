//! [`KnowledgeImports`] for [`Database`], and the progress relay every import shares.

use std::future::Future;

use async_trait::async_trait;
use pharmarec_domain::imports::{
    CatalogueFile, CatalogueImportReport, LicensedImport, LicensedImportReport,
};
use pharmarec_domain::ports::{KnowledgeImports, ProgressSink};
use pharmarec_domain::{AuditContext, DomainError};

use super::{Progress, ProgressEvent, licensed, pharmacy_catalogue};
use crate::Database;

/// Runs the blocking import `start` builds while relaying its progress events to `sink`.
///
/// The sink is borrowed, so it stays on this task; the blocking work sends it events instead.
pub(crate) async fn with_progress<T, F>(
    sink: &dyn ProgressSink,
    start: impl FnOnce(Progress) -> F,
) -> Result<T, DomainError>
where
    F: Future<Output = Result<T, DomainError>>,
{
    let (sender, mut events) = tokio::sync::mpsc::unbounded_channel();
    let work = start(Progress(sender));
    tokio::pin!(work);
    loop {
        tokio::select! {
            result = &mut work => {
                while let Ok(event) = events.try_recv() {
                    forward(sink, event);
                }
                return result;
            }
            Some(event) = events.recv() => forward(sink, event),
        }
    }
}

fn forward(sink: &dyn ProgressSink, event: ProgressEvent) {
    match event {
        ProgressEvent::Stage(name, total) => sink.stage(name, total),
        ProgressEvent::Advance(done) => sink.advance(done),
    }
}

#[async_trait]
impl KnowledgeImports for Database {
    #[tracing::instrument(skip_all, fields(products = file.rows.len()))]
    async fn import_catalogue(
        &self,
        file: CatalogueFile,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<CatalogueImportReport, DomainError> {
        let ctx = ctx.clone();
        with_progress(progress, |sender| {
            self.run(move |conn| pharmacy_catalogue::import(conn, &file, &sender, &ctx))
        })
        .await
    }

    #[tracing::instrument(skip_all, fields(source = %import.name.as_str(), rows = import.rows.len()))]
    async fn import_interactions(
        &self,
        import: LicensedImport,
        progress: &dyn ProgressSink,
        ctx: &AuditContext,
    ) -> Result<LicensedImportReport, DomainError> {
        let ctx = ctx.clone();
        with_progress(progress, |sender| {
            self.run(move |conn| licensed::import(conn, &import, &sender, &ctx))
        })
        .await
    }
}
