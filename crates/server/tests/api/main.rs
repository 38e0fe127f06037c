//! End-to-end tests: the real `pharmarec` application (same `Application::build` as `main`) on a real
//! database — SQLite always, PostgreSQL too when `DATABASE_URL` names one — driven over HTTP.
//!
//! Modules are `#[cfg(test)]` so clippy gives helpers the in-test allowances (unwrap, expect, eprintln).

#[cfg(test)]
mod access;
#[cfg(test)]
mod accounts;
#[cfg(test)]
mod cds_hooks;
#[cfg(test)]
mod cli;
#[cfg(test)]
mod endpoints;
#[cfg(test)]
mod fhir;
#[cfg(test)]
mod helpers;
#[cfg(test)]
mod imports;
#[cfg(test)]
mod jobs;
#[cfg(test)]
mod medicines;
#[cfg(test)]
mod operational;
#[cfg(test)]
mod outage;
#[cfg(test)]
mod stock;
#[cfg(test)]
mod telemetry;
