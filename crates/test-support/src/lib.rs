//! Test support shared by the workspace's test suites; a dev-dependency only.
//!
//! * [`fakes`]: in-memory implementations of the domain ports, for the HTTP layer's tests.
//! * [`contract`]: the port contract suite. The repository's tests run it against the fakes and
//!   against `Database` on SQLite and PostgreSQL, so a fake cannot answer differently from
//!   production without a test failing.
//! * [`database`] (feature `database`): one fresh database per test and backend.
//! * [`report_skip`]: how a test says it skipped part of its work.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failed arrangement or assertion should panic the test"
)]

pub mod contract;
#[cfg(feature = "database")]
pub mod database;
pub mod fakes;
#[cfg(feature = "tls")]
pub mod tls;

/// Says that (part of) a test was skipped, so that a plain `cargo test` shows it.
///
/// The line goes straight to stderr, which the test harness does not capture (it captures the print macros only),
/// and is appended to the file named by `SKIPPED_TESTS_LOG` when set (`.ci/run` counts those lines).
pub fn report_skip(reason: &str) {
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
