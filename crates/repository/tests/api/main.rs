//! Integration tests of the repository: every test runs on SQLite (a fresh temp-file database) and,
//! when `DATABASE_URL` points at PostgreSQL, on a fresh PostgreSQL database too.

// `cfg(test)` on each module lets clippy apply its in-test allowances (unwrap, eprintln) to the
// helpers too, which are test code but not `#[test]` functions.
#[cfg(test)]
mod access;
#[cfg(test)]
mod accounts;
#[cfg(test)]
mod audit;
#[cfg(test)]
mod audit_trail;
#[cfg(test)]
mod catalogue;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod helpers;
#[cfg(test)]
mod import;
#[cfg(test)]
mod maintenance;
#[cfg(test)]
mod migrations;
#[cfg(test)]
mod port_contract;
#[cfg(test)]
mod stock;
#[cfg(test)]
mod tokens;
#[cfg(test)]
mod user_imports;
