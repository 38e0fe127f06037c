//! The command line: import (all-or-nothing, idempotent), migrations, invalid configuration.

use std::path::{Path, PathBuf};
use std::process::Command;

use pharmarec_domain::ports::{KnowledgeStore, MedicineQuery, MedicineRepository};
use pharmarec_server::cli::{MigrateAction, import, migrate};
use pharmarec_server::database;

use crate::helpers::{fresh_databases, postgres_database, settings_for};

fn shipped_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

/// A copy of the shipped dataset with one line of one file replaced.
fn corrupted_copy(file: &str, line: usize, replacement: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(shipped_data()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let target = dir.path().join(file);
    let text = std::fs::read_to_string(&target).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[line - 1] = replacement;
    std::fs::write(&target, lines.join("\n") + "\n").unwrap();
    dir
}

async fn import_into(url: &str, dir: Option<&Path>) -> (anyhow::Result<()>, String) {
    let mut settings = settings_for(url);
    settings.database.auto_import = false;
    let mut out = Vec::new();
    let result = import(&settings, dir.map(Path::to_path_buf), &mut out)
        .await
        .map(|_| ());
    (result, String::from_utf8(out).unwrap())
}

async fn medicine_count(url: &str) -> (i64, u64) {
    let db = database::open(&settings_for(url).database, false)
        .await
        .unwrap();
    let version = db.catalogue_version().await.unwrap();
    let total = MedicineRepository::search(&db, &MedicineQuery::default())
        .await
        .unwrap()
        .total_items;
    (version, total)
}

#[actix_web::test]
async fn import_is_idempotent_and_all_or_nothing() {
    for database in fresh_databases() {
        let url = database.url();
        let (first, out) = import_into(url, None).await;
        first.unwrap();
        assert!(
            out.contains("medicines: 23096 inserted"),
            "{}: {out}",
            database.backend()
        );
        let before = medicine_count(url).await;

        let (second, out) = import_into(url, None).await;
        second.unwrap();
        assert!(out.starts_with("nothing changed"), "{out}");
        assert_eq!(
            medicine_count(url).await,
            before,
            "a second import changes nothing"
        );

        // Line 100 of interactions.csv gets an unknown severity: the import must stop there.
        let broken = corrupted_copy(
            "interactions.csv",
            100,
            "abarelix,quinine,catastrophic,,,ndf-rt,",
        );
        let (result, _) = import_into(url, Some(broken.path())).await;
        let message = format!("{:#}", result.unwrap_err());
        assert!(message.contains("interactions.csv:100"), "{message}");
        assert!(message.contains("catastrophic"), "{message}");
        assert_eq!(
            medicine_count(url).await,
            before,
            "a failed import leaves the database as it was"
        );
    }
}

#[actix_web::test]
async fn migrations_go_down_to_zero_and_back_up() {
    for database in fresh_databases() {
        let settings = settings_for(database.url());
        let mut out = Vec::new();
        migrate(
            &settings,
            &MigrateAction::Up {
                database: Default::default(),
            },
            &mut out,
        )
        .await
        .unwrap();
        migrate(
            &settings,
            &MigrateAction::Down {
                all: true,
                database: Default::default(),
            },
            &mut out,
        )
        .await
        .unwrap();
        let mut status = Vec::new();
        migrate(
            &settings,
            &MigrateAction::Status {
                database: Default::default(),
            },
            &mut status,
        )
        .await
        .unwrap();
        let status = String::from_utf8(status).unwrap();
        assert!(
            !status.is_empty() && !status.contains("[x]"),
            "all reverted on {}: {status}",
            database.backend()
        );
        let mut again = Vec::new();
        migrate(
            &settings,
            &MigrateAction::Up {
                database: Default::default(),
            },
            &mut again,
        )
        .await
        .unwrap();
        assert!(String::from_utf8(again).unwrap().contains("applied"));
    }
}

#[test]
fn invalid_configuration_exits_non_zero_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_pharmarec"))
        .args(["migrate", "status"])
        .current_dir(dir.path())
        .env_clear()
        .env("PHARMAREC_DATABASE__URL", "mysql://user:hunter2@db/x")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("database.url"), "{stderr}");
    assert!(
        !stderr.contains("hunter2") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn the_binary_serves_from_an_empty_directory_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_pharmarec"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(dir.path())
        .env_clear()
        // Info logs every request from a worker thread: a regression test for a stdout lock held by
        // the main thread, which once froze every worker at its first log line.
        .env("PHARMAREC_LOG__FILTER", "info")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // First start: migrate and import the embedded catalogue into ./pharmarec.db, then listen.
    let mut healthy = false;
    for _ in 0..240 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            stream
                .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut reply = String::new();
            let _ = stream.read_to_string(&mut reply);
            healthy = reply.starts_with("HTTP/1.1 200");
            if healthy {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(healthy, "the server never answered /health");
    assert!(
        dir.path().join("pharmarec.db").exists(),
        "the default database is created in the working directory"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    for _ in 0..120 {
        if let Some(exited) = server.try_wait().unwrap() {
            status = Some(exited);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let Some(status) = status else {
        let _ = server.kill();
        panic!("the server did not stop after SIGTERM");
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[actix_web::test]
async fn demo_stock_is_synthetic_and_feeds_stock_aware_answers() {
    let database = crate::helpers::fresh_databases().remove(0);
    let settings = settings_for(database.url());
    let app = crate::helpers::TestApp::spawn_with(settings.clone(), database.backend()).await;
    let mut out = Vec::new();
    assert!(
        pharmarec_server::cli::demo_stock(&settings, "eur", &mut out)
            .await
            .is_err()
    );
    pharmarec_server::cli::demo_stock(&settings, "EUR", &mut out)
        .await
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("Synthetic") && out.contains("748 synthetic stock lines"),
        "{out}"
    );
    let pharmacy = out
        .split_whitespace()
        .find(|w| uuid::Uuid::parse_str(w).is_ok())
        .expect("pharmacy id");

    let stock = app
        .get(&format!("/api/v1/pharmacies/{pharmacy}/stock?per_page=1"))
        .await;
    assert_eq!(
        stock.json["meta"]["total_items"], 748,
        "every OTC product of the catalogue: {}",
        stock.text
    );
    let shop = app.get(&format!("/api/v1/pharmacies/{pharmacy}")).await;
    assert!(
        shop.json["data"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Synthetic")
    );
    let body = serde_json::json!({"symptoms": "fever", "pharmacy_id": pharmacy});
    let answer = app
        .send_json("POST", "/api/v1/recommendations", &body)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(
        answer.text.contains("price_minor"),
        "stock and price reach the answer: {}",
        answer.text
    );
}

/// Issue 10: one-shot commands on PostgreSQL crashed at exit (SIGSEGV, exit 139) in about 3 % of
/// runs, when r2d2 was still connecting in the background. Forty runs make a crash very likely if the
/// pool is not closed before exit.
#[test]
fn one_shot_commands_on_postgresql_exit_cleanly_every_time() {
    let Some(database) = postgres_database("one-shot commands exit cleanly") else {
        return;
    };
    let config_dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();

    for run in 0..40 {
        let email = format!("exit-{run}@example.org");
        let args: Vec<&str> = if run % 2 == 0 {
            vec!["user", "create", "--email", &email, "--role", "viewer"]
        } else {
            vec!["migrate", "status"]
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_pharmarec"))
            .args(&args)
            .args(["--database-url", database.url()])
            .arg("--config-dir")
            .arg(config_dir.path())
            .env("PHARMAREC_AUTH__BCRYPT_COST", "4")
            .env("PHARMAREC_LOG__FILTER", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            // Commands that read no password close stdin early; a broken pipe is fine then.
            let _ = stdin.write_all(b"correct horse battery staple\n");
        }
        let output = child.wait_with_output().unwrap();
        if !output.status.success() {
            failures.push(format!(
                "run {run} ({}): {:?} {}",
                args.join(" "),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }

    assert!(failures.is_empty(), "{failures:#?}");
}
