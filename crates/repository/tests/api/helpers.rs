//! Per-test databases for both backends and a reader of the real shipped dataset.

use std::io::Read;
use std::path::PathBuf;
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use pharmarec_domain::KnowledgeBase;
use pharmarec_domain::dataset::{self, DatasetError, DatasetSource};
use pharmarec_repository::{Database, PoolSettings};

/// A database used by one test; dropping it removes the SQLite file or the PostgreSQL database.
pub(crate) struct TestDb {
    /// The handle under test (dropped first, closing its pool).
    pub(crate) db: Database,
    /// `sqlite` or `postgres`, for assertion messages.
    pub(crate) name: &'static str,
    /// What a raw diesel connection needs: the SQLite file path or the PostgreSQL URL.
    raw_target: String,
    _postgres: Option<PgDatabaseGuard>,
    _dir: Option<tempfile::TempDir>,
}

/// Drops the per-test PostgreSQL database.
struct PgDatabaseGuard {
    admin_url: String,
    database: String,
}

impl Drop for PgDatabaseGuard {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.database
            ));
        }
    }
}

fn settings() -> PoolSettings {
    PoolSettings {
        max_size: 8,
        ..PoolSettings::default()
    }
}

/// `url` with its database name replaced by `name` (query string kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").unwrap() + 3;
    let path_start = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let query = query.map(|q| format!("?{q}")).unwrap_or_default();
    format!("{}/{name}{query}", &base[..path_start])
}

fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.db").display().to_string();
    TestDb {
        db: Database::connect(&format!("sqlite://{path}"), settings()).unwrap(),
        name: "sqlite",
        raw_target: path,
        _postgres: None,
        _dir: Some(dir),
    }
}

fn postgres(admin_url: &str) -> TestDb {
    let database = format!("pharmarec_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::establish(admin_url).unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {database}"))
        .unwrap();
    let guard = PgDatabaseGuard {
        admin_url: admin_url.to_string(),
        database: database.clone(),
    };
    let url = with_database(admin_url, &database);
    TestDb {
        db: Database::connect(&url, settings()).unwrap(),
        name: "postgres",
        raw_target: url,
        _postgres: Some(guard),
        _dir: None,
    }
}

impl TestDb {
    /// Runs `sql` on a connection of its own, bypassing the repository (to test database rules).
    pub(crate) fn execute_raw(&self, sql: &str) -> diesel::QueryResult<()> {
        if self.name == "sqlite" {
            let mut conn = SqliteConnection::establish(&self.raw_target).unwrap();
            conn.batch_execute(sql)
        } else {
            let mut conn = PgConnection::establish(&self.raw_target).unwrap();
            conn.batch_execute(sql)
        }
    }
}

/// One fresh, empty (unmigrated) database per available backend.
pub(crate) fn empty_databases() -> Vec<TestDb> {
    let mut all = vec![sqlite()];
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            all.push(postgres(&url));
        }
        _ => report_skip("PostgreSQL: DATABASE_URL not set"),
    }
    all
}

/// Says that (part of) a test was skipped, so that a plain `cargo test` shows it: the line goes
/// straight to stderr, which the test harness does not capture (it captures the print macros only),
/// and is appended to the file named by `SKIPPED_TESTS_LOG` when set (`.ci/run` counts those lines).
pub(crate) fn report_skip(reason: &str) {
    use std::io::Write;
    let line = format!("skipped {reason}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(path) = std::env::var_os("SKIPPED_TESTS_LOG")
        && let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    {
        let _ = log.write_all(line.as_bytes());
    }
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

#[test]
fn with_database_replaces_only_the_database_name() {
    assert_eq!(
        with_database("postgres://u@h:5432/test?sslmode=disable", "x"),
        "postgres://u@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}

/// The audit context tests write with: a recognisable request id, no actor.
pub(crate) fn test_ctx() -> pharmarec_domain::AuditContext {
    pharmarec_domain::AuditContext {
        actor: None,
        request_id: "test-request".to_string(),
        client_ip: None,
    }
}
