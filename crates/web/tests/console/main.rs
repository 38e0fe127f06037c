//! The console's handlers over a real SQLite database, through the same `app()` and middleware as
//! the server: sign-in cookies, CSRF, roles, the audited dismissal and stale stock edits.
//!
//! Modules are marked `#[cfg(test)]` so clippy treats helpers as test code (unwrap allowed).

#[cfg(test)]
mod access;
#[cfg(test)]
mod clinical;
#[cfg(test)]
mod helpers;
