//! End-to-end tests: the real `pharmarec` application (same `Application::build` as `main`) on a real
//! database — SQLite always, PostgreSQL too when `DATABASE_URL` names one — driven over HTTP.

mod cli;
mod helpers;
mod medicines;
mod operational;
mod stock;
