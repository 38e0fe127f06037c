//! Per-test databases for both backends (set up by `pharmarec-test-support`) and a reader of the
//! real shipped dataset.

use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use pharmarec_domain::KnowledgeBase;
use pharmarec_domain::dataset::{self, DatasetError, DatasetSource};
use pharmarec_repository::{Database, PoolSettings};
use pharmarec_test_support::database::{TestDatabase, fresh_databases};

/// A database used by one test; dropping it removes the SQLite file or the PostgreSQL database.
pub(crate) struct TestDb {
    /// The handle under test (dropped first, closing its pool).
    pub(crate) db: Database,
    /// `sqlite` or `postgres`, for assertion messages.
    pub(crate) name: &'static str,
    database: TestDatabase,
}

fn settings() -> PoolSettings {
    PoolSettings {
        max_size: 8,
        ..PoolSettings::default()
    }
}

impl TestDb {
    /// Runs `sql` on a connection of its own, bypassing the repository (to test database rules).
    pub(crate) fn execute_raw(&self, sql: &str) -> diesel::QueryResult<()> {
        let target = self.database.raw_target();
        if self.name == "sqlite" {
            SqliteConnection::establish(target)
                .unwrap()
                .batch_execute(sql)
        } else {
            PgConnection::establish(target).unwrap().batch_execute(sql)
        }
    }
}

/// One fresh, empty (unmigrated) database per available backend.
pub(crate) fn empty_databases() -> Vec<TestDb> {
    fresh_databases()
        .into_iter()
        .map(|database| TestDb {
            db: Database::connect(database.url(), settings()).unwrap(),
            name: database.backend(),
            database,
        })
        .collect()
}

/// One fresh, migrated database per available backend.
pub(crate) fn databases() -> Vec<TestDb> {
    let all = empty_databases();
    for t in &all {
        t.db.run_pending_migrations().unwrap();
    }
    all
}

/// Reads the shipped dataset files from the repository's `data/` directory.
struct DataDir(PathBuf);

impl DatasetSource for DataDir {
    fn open(&self, file: &str) -> Result<Box<dyn Read + '_>, DatasetError> {
        std::fs::File::open(self.0.join(file))
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| DatasetError::file(file, e.to_string()))
    }
}

/// The real shipped dataset, parsed once per test binary.
pub(crate) fn real_dataset() -> &'static KnowledgeBase {
    static DATASET: OnceLock<KnowledgeBase> = OnceLock::new();
    DATASET.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
        dataset::parse(&DataDir(dir)).unwrap()
    })
}

/// `kb` with every collection sorted, so two knowledge bases compare equal up to ordering.
pub(crate) fn sorted(mut kb: KnowledgeBase) -> KnowledgeBase {
    fn by_debug<T: std::fmt::Debug>(items: &mut [T]) {
        items.sort_by_cached_key(|item| format!("{item:?}"));
    }
    kb.medicines.sort_by(|a, b| a.id.cmp(&b.id));
    kb.ingredients.sort_by(|a, b| a.key.cmp(&b.key));
    by_debug(&mut kb.synonyms);
    by_debug(&mut kb.indications);
    by_debug(&mut kb.condition_terms);
    by_debug(&mut kb.interactions);
    by_debug(&mut kb.label_warnings);
    by_debug(&mut kb.pregnancy);
    kb
}

/// The audit context tests write with: a recognisable request id, no actor.
pub(crate) fn test_ctx() -> pharmarec_domain::AuditContext {
    pharmarec_domain::AuditContext {
        actor: None,
        request_id: "test-request".to_string(),
        client_ip: None,
    }
}
