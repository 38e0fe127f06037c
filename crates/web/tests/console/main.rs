//! The console's handlers over a real SQLite database, through the same `app()` and middleware as
//! the server: sign-in cookies, CSRF, roles, the audited dismissal, the basket for a described
//! patient, stale stock edits and the product page.
//!
//! Modules are marked `#[cfg(test)]` so clippy treats helpers as test code (unwrap allowed).

#[cfg(test)]
mod access;
#[cfg(test)]
mod basket_patient;
#[cfg(test)]
mod clinical;
#[cfg(test)]
mod helpers;
#[cfg(test)]
mod product;
#[cfg(test)]
mod stock_threshold;
