//! The HTTP API of PharmaRec: actix-web handlers, extractors, middleware, envelopes, `ApiError` and the
//! generated OpenAPI document.
//!
//! It talks to storage only through the domain ports held in [`AppState`], so it must never depend on
//! diesel, r2d2 or `pharmarec-repository` (a CI check enforces it); the `server` crate wires concrete
//! adapters in. The clinical endpoints call the pure recommendation engine in-process, through the
//! lock-free snapshot handle in [`AppState::engine`]. [`app`] builds the whole application, for
//! `HttpServer` and for in-process tests alike. Every response, success or error, uses one JSON
//! envelope; see `docs/api.md` for the error codes.
//!
//! Accounts live at the edge too: bearer access tokens and the role policies are extractors
//! (`auth`), rate limiting and the response cache are middleware over the `RateLimiter` and
//! `ResponseCache` ports, and every write hands the port an `AuditContext`. `docs/SECURITY.md`
//! describes the model; [`hash_password`] is exported for the CLI.

mod app;
mod auth;
mod availability;
mod client_ip;
mod config;
mod dto;
mod envelope;
mod error;
mod extract;
mod hashing;
mod json_writer;
mod middleware;
mod openapi;
mod routes;
mod state;

pub use app::app;
pub use auth::{
    audit_context, authenticate, bearer_token, check_read_access, ensure_stock_writer,
    hash_password,
};
pub use config::{AuthConfig, CacheConfig, RateLimitConfig};
pub use error::{ApiError, FieldError};
pub use middleware::CacheAdmission;
/// The kinds of `409`, now defined in the domain where conflicts are detected; re-exported under
/// its old path.
pub use pharmarec_domain::ConflictKind;
pub use state::{ApiConfig, AppState, BuildInfo};
