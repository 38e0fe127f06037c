//! Migrations: up, down to zero, up again on both backends; both directories in step.

use std::collections::BTreeSet;
use std::path::PathBuf;

use pharmarec_repository::{Backend, Database, PoolSettings, RepositoryError};

use crate::helpers;

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(backend);
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            for file in ["up.sql", "down.sql"] {
                let sql = std::fs::read_to_string(path.join(file)).unwrap();
                assert!(
                    !sql.trim().is_empty(),
                    "{} has an empty {file}",
                    path.display()
                );
            }
            path.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn sqlite_and_postgres_migration_directories_have_the_same_names() {
    let sqlite = migration_names("sqlite");
    assert!(sqlite.len() >= 3, "{sqlite:?}");
    assert_eq!(sqlite, migration_names("postgres"));
}

#[test]
fn migrations_go_up_then_down_to_zero_then_up_again() {
    for t in helpers::empty_databases() {
        let db = &t.db;
        let before = db.migration_status().unwrap();
        assert!(before.iter().all(|m| !m.applied), "{}", t.name);

        let applied = db.run_pending_migrations().unwrap();
        assert_eq!(applied.len(), before.len(), "{}", t.name);
        assert!(db.migration_status().unwrap().iter().all(|m| m.applied));
        assert!(db.run_pending_migrations().unwrap().is_empty());

        let mut reverted = db.revert_all_migrations().unwrap();
        reverted.reverse();
        assert_eq!(reverted, applied, "{}: reverted newest first", t.name);
        assert!(db.migration_status().unwrap().iter().all(|m| !m.applied));
        assert_eq!(db.revert_last_migration().unwrap(), None);

        assert_eq!(db.run_pending_migrations().unwrap(), applied, "{}", t.name);
        let last = db.revert_last_migration().unwrap();
        assert_eq!(last.as_ref(), applied.last(), "{}", t.name);
        assert_eq!(db.run_pending_migrations().unwrap(), vec![last.unwrap()]);
    }
}

#[test]
fn connect_picks_the_backend_from_the_scheme_and_rejects_others() {
    for t in helpers::empty_databases() {
        let expected = if t.name == "sqlite" {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        assert_eq!(t.db.backend(), expected);
    }
    let error =
        Database::connect("mysql://root:pw@localhost/x", PoolSettings::default()).unwrap_err();
    assert!(matches!(error, RepositoryError::InvalidUrl(_)), "{error:?}");
}

#[test]
fn sqlite_database_runs_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/wal.db");
    let db = Database::connect(
        &format!("sqlite://{}", path.display()),
        PoolSettings::default(),
    )
    .unwrap();
    db.run_pending_migrations().unwrap();
    assert!(path.exists());
    assert!(dir.path().join("nested/wal.db-wal").exists(), "no WAL file");
}
