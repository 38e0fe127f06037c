//! A database that goes away: requests fail fast, probes answer quickly, start-up waits for it.
//!
//! The outage is made with a TCP relay this test owns between the app and the machine's PostgreSQL:
//! stopping the relay cuts the app off without touching the real server.

use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::{TestApp, fresh_databases, report_skip, settings_for};

/// Relays TCP connections from a local port to `target` until stopped.
struct Relay {
    port: u16,
    stopped: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stopped = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (stop, open) = (Arc::clone(&stopped), Arc::clone(&streams));
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                let mut open = open.lock().unwrap();
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server.try_clone().unwrap(), client.try_clone().unwrap()),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
                open.extend([client, server]);
            }
            // Dropping the listener refuses new connections from here on.
        });
        Self {
            port,
            stopped,
            streams,
        }
    }

    /// Refuses new connections and cuts the open ones.
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[actix_web::test]
async fn requests_fail_fast_and_probes_answer_quickly_while_the_database_is_down() {
    let Some(database) = fresh_databases()
        .into_iter()
        .find(|d| d.backend() == "postgres")
    else {
        report_skip("PostgreSQL outage test: DATABASE_URL is not set to a postgres:// URL");
        return;
    };
    let relay = Relay::start("127.0.0.1:5432");
    let path = database.url().rsplit('/').next().unwrap();
    // The database name, without the query string the URL keeps (`?sslmode=…`).
    let name = path.split('?').next().unwrap().to_string();
    let relayed = format!("postgres://postgres@127.0.0.1:{}/{name}", relay.port);
    let app = TestApp::spawn_with(settings_for(&relayed), "postgres").await;
    assert_eq!(app.get("/ready").await.status, 200);

    relay.stop();
    // The first probe after the cut may wait out the probe timeout; it never waits for the pool.
    let started = Instant::now();
    let ready = app.get("/ready").await;
    assert_eq!(ready.status, 503, "{:?}", ready.json);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Once a connection attempt has failed, every request is refused at once.
    tokio::time::sleep(Duration::from_millis(600)).await;
    for path in ["/ready", "/health", "/api/v1/pharmacies"] {
        let started = Instant::now();
        let reply = app.get(path).await;
        let took = started.elapsed();
        assert!(took < Duration::from_millis(500), "{path} took {took:?}");
        if path == "/api/v1/pharmacies" {
            reply.assert_error(503, "dependency_unavailable");
        }
    }
}

#[test]
fn the_server_waits_for_an_unreachable_database_instead_of_exiting() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: bind one, note it, close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // The server logs to standard output.
    let log = dir.path().join("server.log");
    let mut server = Command::new(env!("CARGO_BIN_EXE_pharmarec"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_clear()
        .env(
            "PHARMAREC_DATABASE__URL",
            format!("postgres://postgres:hunter2@127.0.0.1:{port}/x"),
        )
        .env("PHARMAREC_DATABASE__CONNECT_TIMEOUT_SECS", "1")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(5));
    let still_running = server.try_wait().unwrap().is_none();
    let _ = server.kill();
    let _ = server.wait();
    let output = std::fs::read_to_string(&log).unwrap();
    assert!(still_running, "the server exited: {output}");
    assert!(
        output.matches("database not reachable at start-up").count() >= 2,
        "{output}"
    );
    assert!(!output.contains("hunter2"), "{output}");
}
