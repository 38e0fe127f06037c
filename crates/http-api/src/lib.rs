//! The HTTP API of PharmaRec: actix-web handlers, extractors, middleware, envelopes, `ApiError` and the
//! generated OpenAPI document.
//!
//! It talks to storage only through the domain ports held in [`AppState`], so it must never depend on
//! diesel, r2d2 or `pharmarec-repository` (a CI check enforces it); the `server` crate wires concrete
//! adapters in. The clinical endpoints call the pure recommendation engine in-process, through the
//! lock-free snapshot handle in [`AppState::engine`]. [`app`] builds the whole application, for
//! `HttpServer` and for in-process tests alike. Every response, success or error, uses one JSON
//! envelope; see `docs/api.md` for the error codes.

mod app;
mod dto;
mod envelope;
mod error;
mod extract;
mod middleware;
mod openapi;
mod routes;
mod state;

pub use app::app;
pub use error::{ApiError, ConflictKind, FieldError};
pub use state::{ApiConfig, AppState, BuildInfo};
