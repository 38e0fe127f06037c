//! In-process tests of the HTTP API: `app(state)` over the in-memory fakes of the domain ports from
//! `pharmarec-test-support`, which the repository's tests hold to the database's contract.
//!
//! Modules are marked `#[cfg(test)]` so clippy treats helpers and fakes as test code (unwrap allowed).

#[cfg(test)]
mod access;
#[cfg(test)]
mod audit;
#[cfg(test)]
mod auth;
#[cfg(test)]
mod cache;
#[cfg(test)]
mod cache_storage;
#[cfg(test)]
mod catalogue;
#[cfg(test)]
mod contract;
#[cfg(test)]
mod edges;
#[cfg(test)]
mod errors;
#[cfg(test)]
mod helpers;
#[cfg(test)]
mod imports_fakes;
#[cfg(test)]
mod interactions;
#[cfg(test)]
mod knowledge;
#[cfg(test)]
mod logging;
#[cfg(test)]
mod medicines;
#[cfg(test)]
mod methods;
#[cfg(test)]
mod middleware;
#[cfg(test)]
mod openapi;
#[cfg(test)]
mod operational;
#[cfg(test)]
mod patient;
#[cfg(test)]
mod pharmacies;
#[cfg(test)]
mod rate_limit;
#[cfg(test)]
mod recommendation_input;
#[cfg(test)]
mod recommendation_stock;
#[cfg(test)]
mod recommendations;
#[cfg(test)]
mod roles;
#[cfg(test)]
mod stock;
#[cfg(test)]
mod substitutes;
#[cfg(test)]
mod unchecked_patient_data;
#[cfg(test)]
mod users;
