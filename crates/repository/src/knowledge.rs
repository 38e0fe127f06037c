//! [`KnowledgeStore`] for [`Database`]: whole-knowledge load, version, emptiness and import.

use async_trait::async_trait;
use diesel::dsl::exists;
use diesel::prelude::*;
use pharmarec_domain::ports::{ImportReport, KnowledgeStore, ProgressSink};
use pharmarec_domain::{AuditContext, DomainError, KnowledgeBase};

use crate::connection::DbConnection;
use crate::import;
use crate::schema::ingredients;
use crate::{Database, read, tx};

/// Makes a read-only transaction see one snapshot on PostgreSQL (SQLite transactions already do),
/// so a load running next to an import never mixes old and new rows.
pub(crate) fn snapshot(conn: &mut DbConnection) -> QueryResult<()> {
    if matches!(conn, DbConnection::Postgres(_)) {
        diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(conn)?;
    }
    Ok(())
}

#[async_trait]
impl KnowledgeStore for Database {
    #[tracing::instrument(skip_all)]
    async fn load(&self) -> Result<KnowledgeBase, DomainError> {
        self.run(|conn| {
            conn.transaction(|conn| {
                snapshot(conn)?;
                read::knowledge(conn)
            })
        })
        .await
    }

    async fn catalogue_version(&self) -> Result<i64, DomainError> {
        self.run(|conn| Ok(tx::catalogue_version(conn)?)).await
    }

    async fn is_empty(&self) -> Result<bool, DomainError> {
        self.run(|conn| {
            let any: bool = diesel::select(exists(
                ingredients::table.select(ingredients::ingredient_key),
            ))
            .get_result(conn)?;
            Ok(!any)
        })
        .await
    }

    /// Imports in one transaction; see the `import` module for what is replaced, kept, counted and
    /// audited.
    #[tracing::instrument(skip_all, fields(medicines = knowledge.medicines.len()))]
    async fn import(
        &self,
        knowledge: KnowledgeBase,
        progress: &dyn ProgressSink,
    ) -> Result<ImportReport, DomainError> {
        // Imports come from the CLI or from start-up, never from an HTTP request.
        let ctx = AuditContext::cli();
        import::with_progress(progress, |sender| {
            self.run(move |conn| import::import(conn, &knowledge, &sender, &ctx))
        })
        .await
    }
}
